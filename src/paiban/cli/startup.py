"""What paiban changes in the libraries it runs on, applied explicitly, once, at program start.

Each of these is a speed-up of the `paiban` command and nothing else: a program that imports
paiban as a library and never calls `prepare_process()` gets the same PDFs, a little slower. They
used to run as side effects of importing a module; now `paiban.cli.main` calls them first thing,
and each is pinned by its own test (tests/cli/test_startup.py).

- Pillow deferred (`defer_pillow`): ReportLab's `lib.utils` runs `from PIL import Image` at import
  time, so every process that registered a font paid for Pillow (10–15 ms) even with no photo.
  pyphen likewise (`defer_pyphen`): ReportLab's platypus imports it for a Paragraph paiban never uses.
- Platypus imported with two BMP-wide patterns compiled lazily (`import_platypus`): ReportLab's
  URI pattern (`[a-z\\xa1-\\uffff]` under IGNORECASE, which Python's compiler case-folds character
  by character, ≈ 50 ms) and its CJK splitter (≈ 8 ms), neither of which paiban uses. PyYAML
  likewise (`import_yaml`): its reader's pattern over all of Unicode, used only by the pure reader.
- The spec model built without pydantic's plugin loader (`build_spec_model`): importing it imports
  importlib.metadata, and looking for plugins reads the entry points of every installed
  distribution, ≈ 3 ms per model class.
- The young-generation collector threshold raised (`tune_collector`, the program only).
- The program's exit without the interpreter's teardown (`exit_now`, the program only).
"""

from __future__ import annotations

import gc
import importlib.util
import os
import re
import sys
import threading
import types
from typing import Any


def prepare_process() -> None:
    """Everything below, in the order it must happen: Pillow and pyphen before ReportLab is imported."""
    defer_pillow()
    defer_pyphen()
    import_platypus()
    import_yaml()
    build_spec_model()


def tune_collector() -> None:
    """A build makes ~10^6 short-lived objects, few of them in cycles: the collector's default
    young-generation threshold (700) ran it ~50 ms per build for almost nothing. At 20,000 a warm
    build of the default briefing still ran three young collections over long-lived layout objects
    (≈ 30 ms); at 100,000 none runs after start-up, and peak memory is the same (61 MB). For the
    program only (a library caller keeps its own settings)."""
    gc.set_threshold(100_000, 50, 100)


def exit_now(code: int) -> None:
    """End the program with `code` without tearing the interpreter down: exit handlers run and
    the standard streams are flushed, as at any exit, but the modules' teardown and the last
    full collection over every object the build made (≈ 115 million instructions, 5 % of a warm
    build) are skipped: the operating system frees the process whole. Only when nothing else
    runs: with another thread alive, or a stream that cannot be flushed, it returns and Python
    exits its own way. Every file paiban writes is closed (and renamed into place) before."""
    import atexit

    if threading.active_count() > 1:
        return
    atexit._run_exitfuncs()
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):  # a closed pipe: let Python report it and pick the status
        return
    os._exit(code)


# ------------------------------------------------------------------ Pillow and pyphen on first use

_deferred_lock = threading.RLock()
_loading = threading.local()


class _DeferredModule(types.ModuleType):
    """A module whose code runs on first attribute access, under a lock: other threads wait for
    the whole module; the loading thread itself (Pillow importing its own parts) reads it as is.

    Why not importlib.util.LazyLoader: before Python 3.12 it is not thread-safe — a second thread
    touching the module while the first is loading it sees a half-made module — and `paiban
    watch` imports the chart stack (which loads Pillow) in a background thread while builds run.
    """

    def __getattribute__(self, name: str) -> Any:
        # `import pyphen` of a module in sys.modules reads its __spec__ (is it still initializing?):
        # that is the import system's look, not a use
        if type(self) is _DeferredModule and name != "__spec__":
            with _deferred_lock:
                active = getattr(_loading, "modules", None)
                if active is None:
                    active = _loading.modules = set()
                if type(self) is _DeferredModule and id(self) not in active:
                    active.add(id(self))
                    try:
                        spec = types.ModuleType.__getattribute__(self, "__spec__")
                        spec.loader.exec_module(self)
                    finally:
                        active.discard(id(self))
                        self.__class__ = types.ModuleType  # loaded (a failed load is not tried again)
        return types.ModuleType.__getattribute__(self, name)


def defer_module(name: str) -> bool:
    """Put a module `name` in sys.modules whose code runs on first use; whether it did. Whoever
    imports it meanwhile holds that module object, and the first attribute anyone reads of it
    loads it, once. Nothing happens if it is imported already or not installed."""
    if name in sys.modules:
        return False
    try:
        spec = importlib.util.find_spec(name)  # imports a parent package itself
    except (ImportError, ValueError):
        return False
    if spec is None or spec.loader is None:
        return False
    module = importlib.util.module_from_spec(spec)
    module.__class__ = _DeferredModule
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)  # as the import system would
    return True


def defer_pillow() -> bool:
    """PIL.Image deferred (see defer_module): ReportLab holds that module object, and the first
    attribute anyone reads of it (ReportLab opening an image, paiban's image checks, matplotlib
    drawing a chart) loads Pillow, once."""
    return defer_module("PIL.Image")


def defer_pyphen() -> bool:
    """pyphen deferred (see defer_module): ReportLab's paragraph module imports it for its own
    Paragraph's hyphenation, which paiban never uses (≈ 7 ms: importlib.resources, zipfile, its
    list of dictionaries). paiban's hyphenation asks pyphen only about a word no build has met."""
    return defer_module("pyphen")


# ------------------------------------------------------------------ platypus without two patterns


class LazyPattern:
    """Stands in for a compiled pattern; compiles it on first use of any attribute."""

    __slots__ = ("_compile", "_args", "_compiled")

    def __init__(self, compile_: Any, pattern: str, flags: int) -> None:
        self._compile = compile_
        self._args = (pattern, flags)
        self._compiled: re.Pattern | None = None

    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            self._compiled = self._compile(*self._args)
        return self._compiled

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        return f"LazyPattern({self._args[0][:30]!r}…)"


def import_platypus() -> None:
    """Import `reportlab.platypus` (once), with patterns over the whole BMP compiled lazily.

    Any `reportlab.platypus.X` import runs the package's __init__, which imports all of platypus;
    the two patterns are module-level there. paiban sets no text with ReportLab's Paragraph, so
    they are compiled the first time anything uses them instead."""
    if "reportlab.platypus" not in sys.modules:
        _import_with_wide_patterns_lazy("reportlab.platypus")


def import_yaml() -> None:
    """Import PyYAML (once) with its reader's pattern of refused characters compiled lazily.

    That pattern spans all of Unicode (`[^…\U00010000-\U0010ffff]`, a class attribute of
    yaml.reader.Reader): compiling it is ≈ 57 million instructions, 2 % of a warm build. Only the
    pure-Python reader uses it, which reads a spec the fast path refused (a tab, a refused
    character) or failed on; paiban.spec.safeyaml checks a spec with a narrow pattern of its own."""
    if "yaml" not in sys.modules:
        _import_with_wide_patterns_lazy("yaml")


def _import_with_wide_patterns_lazy(name: str) -> None:
    """Import module `name` with its module-level patterns over the whole BMP or beyond compiled
    on first use (a LazyPattern each). re.compile is replaced only while the import runs, at the
    program's start, before any other thread exists."""
    real = re.compile

    def compile_(pattern: Any, flags: int = 0) -> Any:
        if isinstance(pattern, str) and ("\uffff" in pattern or "\U0010ffff" in pattern):
            return LazyPattern(real, pattern, flags)
        return real(pattern, flags)

    re.compile = compile_  # type: ignore[assignment]
    try:
        importlib.import_module(name)
    finally:
        re.compile = real


# ------------------------------------------------------------------ the spec model

_PLUGINS_OFF = "PYDANTIC_DISABLE_PLUGINS"
_LOADER = "pydantic.plugin._loader"


def _no_plugins() -> tuple[()]:
    return ()


def build_spec_model() -> None:
    """Build the spec's model classes with pydantic's plugins off. No plugin has anything to do
    with paiban's spec models, and pydantic's plugin loader costs twice over: importing it imports
    importlib.metadata (with email, csv, zipfile …: ≈ 25 ms), and its first use reads the entry
    points of every installed distribution (≈ 3 ms per model class). So while these classes are
    built the loader is a stand-in that finds none, and PYDANTIC_DISABLE_PLUGINS is set for any
    pydantic that reads it regardless. Afterwards both are taken away: a pydantic model built
    later (not paiban's) gets pydantic's own loader. A value the user set stays as it is, and
    then pydantic loads plugins its own way."""
    if "paiban.spec.model" in sys.modules or _PLUGINS_OFF in os.environ:
        return
    stand_in = None
    if _LOADER not in sys.modules:
        stand_in = types.ModuleType(_LOADER)
        stand_in.get_plugins = _no_plugins  # type: ignore[attr-defined]
        sys.modules[_LOADER] = stand_in
    os.environ[_PLUGINS_OFF] = "__all__"
    try:
        import paiban.spec.model  # noqa: F401
    finally:
        os.environ.pop(_PLUGINS_OFF, None)
        if stand_in is not None and sys.modules.get(_LOADER) is stand_in:
            del sys.modules[_LOADER]
