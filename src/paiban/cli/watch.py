"""`paiban watch`: rebuild the PDF whenever the spec or a file it uses is saved, in one warm process.

What makes it fast is what stays loaded between builds: the modules (pydantic models, ReportLab,
the text engine), the parsed fonts (paiban.fonts keeps each face once per process), and the chart
cache on disk, so a text edit re-runs only load → layout → write, and a data edit redraws only
the charts whose table changed. Within the session the expensive steps of a build are kept in
memos keyed by content (`paiban.memo`): after a one-paragraph edit only that paragraph is
measured, broken and written anew; what did not change is taken as it was (the PDF is byte for
byte what a fresh build writes). File events are gathered for GATHER_MS before a build starts
(an editor's save is a write and a rename, or a few writes).

It watches the folders of the files the last good build used (spec, fonts, data, images) plus the
spec's folder and its direct subfolders, each non-recursively: a project inside a big checkout
(the repo itself, with .venv and .git) costs a handful of inotify watches, not thousands. After a
good build only those files trigger a rebuild; after a failed one any file in those folders does,
so creating the data file the spec was missing is enough.

A broken spec leaves the last good PDF in place (the build writes atomically) and prints the
problems in the compiler form; the watcher keeps running until Ctrl-C.
"""

from __future__ import annotations

import os
import stat
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paiban.errors import PaibanError, Problem

# Every so often, with no event, compare the inputs' mtimes with what the last build read.
SAFETY_NET_MS = 1000
# After an event, how long without another before the build starts (the events of one save).
GATHER_MS = 15
# Bytes of PDF streams whose compressed form a session keeps (`remembering`).
MEMO_STREAM_BYTES = 32 * 1024 * 1024
# Modules a chart redraw needs (paiban.charts draws with matplotlib's SVG backend, read by svglib).
PREWARM = ("matplotlib", "matplotlib.figure", "matplotlib.patches", "matplotlib.backends.backend_svg",
           "svglib.svglib", "paiban.charts.draw")
# Folders the build writes or that never hold inputs (hidden ones too, such as .paiban-cache).
IGNORED_DIRS = {"figures", "build", "__pycache__", "node_modules", ".git", ".venv", "venv", ".hg", ".svn"}
# What a file a spec can use is called: after a failed build, only these are a reason to rebuild
# (a log, a PDF or an export beside the spec never is: `paiban watch > watch.log` looped on its log).
INPUT_SUFFIXES = (".yaml", ".yml", ".csv", ".tsv", ".json", ".xlsx", ".xlsm", ".xls", ".ods", ".md", ".markdown",
                  ".txt", ".docx", ".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".bmp", ".webp",
                  ".ttf", ".otf", ".ttc", ".otc")


def _own_streams() -> set[tuple[int, int]]:
    """(device, inode) of the regular files our stdout and stderr go to: never an input."""
    out = set()
    for fd in (1, 2):
        try:
            st = os.fstat(fd)
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode):
            out.add((st.st_dev, st.st_ino))
    return out


@dataclass
class Outcome:
    """One rebuild: the build's result, or the problems that stopped it."""

    result: Any = None  # paiban.build.BuildResult
    problems: list[Problem] = field(default_factory=list)
    exit_status: int = 0
    crash: str | None = None  # a traceback: a bug, not the editor's input
    changed: list[Path] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.result is not None


def input_files(loaded: Any) -> tuple[set[Path], set[Path]]:
    """The files a build of `loaded` reads, and which of them are fonts (`LoadedSpec.input_files`)."""
    return loaded.input_files()


def _prewarm() -> None:
    """Import the chart drawing stack while the editor reads the first PDF: the first data edit
    then redraws its chart without paying ~0.4 s of matplotlib imports."""
    import importlib

    for name in PREWARM:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - an optimisation only; the build imports what it needs
            continue


@contextmanager
def remembering() -> Iterator[None]:
    """A watch session's memos (`paiban.memo`) on for the builds inside."""
    from paiban import memo

    with memo.session(), _streams_remembered():
        yield


@contextmanager
def _streams_remembered() -> Iterator[None]:
    """While watching, a PDF stream compressed in an earlier build is not compressed again: the
    pages before an edit, the fonts' maps and most of a page's drawing come out the same, and
    Flate is a pure function of the bytes (zlib at one level), so the PDF is byte for byte what
    compressing would write."""
    from reportlab.pdfbase import pdfdoc

    from paiban import memo

    flate = pdfdoc.PDFZCompress
    compress = type(flate).encode

    def encode(text: str | bytes) -> bytes:
        data = text.encode("utf8") if isinstance(text, str) else bytes(text)
        streams = memo.table("compressed streams", MEMO_STREAM_BYTES)
        if streams is None:
            return compress(flate, data)
        packed = streams.get(data)
        if packed is None:
            packed = streams.put(data, compress(flate, data), len(data))
        return packed

    flate.encode = encode
    try:
        yield
    finally:
        del flate.encode


class Watcher:
    """Rebuilds `spec_path` on changes; `report` is called after every build with its outcome."""

    def __init__(self, spec_path: str | Path, *, output: str | Path | None = None, overrides: Iterable[str] = (),
                 allow_outside: bool = False, strict: bool = False,
                 report: Callable[[Outcome], None] | None = None,
                 progress: Callable[[], AbstractContextManager[Callable[[str], None]]] | None = None):
        self.spec_path = Path(spec_path).absolute()
        self.base_dir = self.spec_path.parent.resolve()
        self.output = output
        self.overrides = list(overrides)
        self.allow_outside = allow_outside
        self.strict = strict
        self.report = report or (lambda _o: None)
        self.progress = progress
        self.inputs: set[Path] = set()
        self.fonts: set[Path] = set()
        self.last: Outcome | None = None
        self.target: Path | None = None
        self._stamps: dict[Path, tuple[int, int] | None] = {}
        self._prewarmed = False
        self._started_ns = 0
        self._streams = _own_streams()

    # ------------------------------------------------------------------ building

    def rebuild(self, changed: Iterable[Path] = ()) -> Outcome:
        from paiban import memo
        from paiban.build import build

        memo.next_build()

        changed = sorted({Path(p) for p in changed})
        # paiban.fonts re-reads a face whose size or mtime changed; charts drawn with the old
        # font must be redrawn too.
        fonts_changed = any(p.resolve() in self.fonts for p in changed)
        self._stamps = self._stat(self.inputs | {self.spec_path.resolve()})
        self._started_ns = time.time_ns()
        t0 = time.perf_counter()
        outcome = Outcome(changed=changed)
        try:
            with self.progress() if self.progress else nullcontext(None) as say:
                outcome.result = build(self.spec_path, self.output, strict=self.strict, overrides=self.overrides,
                                       allow_outside=self.allow_outside, force_charts=fonts_changed, progress=say)
            self.target = outcome.result.output
        except PaibanError as exc:
            outcome.problems = list(exc.problems)
            outcome.exit_status = exc.exit_status
        except Exception:  # noqa: BLE001 - a bug must not end the watch session
            outcome.crash = traceback.format_exc()
            outcome.exit_status = 1
        outcome.seconds = time.perf_counter() - t0
        self.last = outcome
        self.report(outcome)  # the PDF is there: say so first, then look around
        if outcome.ok:
            self._learn_inputs()
        return outcome

    def _learn_inputs(self) -> None:
        """The files the good build used (loading the spec again is cheap in a warm process)."""
        from paiban.spec.load import load_spec

        try:
            loaded = load_spec(self.spec_path, overrides=self.overrides, allow_outside=self.allow_outside)
        except PaibanError:
            return  # changed again since the build; the next change rebuilds anyway
        files, self.fonts = input_files(loaded)
        new = files - self.inputs
        self.inputs = files
        for path, stamp in self._stat(new).items():
            if path not in self._stamps:  # first seen now: if it changed during the build, rebuild
                self._stamps[path] = stamp if stamp is None or stamp[0] < self._started_ns else (-1, -1)
        if not self._prewarmed and any(at.kind == "figure" for at in loaded.spec.blocks()):
            self._prewarmed = True
            threading.Thread(target=_prewarm, name="paiban-prewarm", daemon=True).start()

    @staticmethod
    def _stat(paths: Iterable[Path]) -> dict[Path, tuple[int, int] | None]:
        stamps: dict[Path, tuple[int, int] | None] = {}
        for p in paths:
            try:
                st = p.stat()
                stamps[p] = (st.st_mtime_ns, st.st_size)
            except OSError:
                stamps[p] = None
        return stamps

    def missed(self) -> list[Path]:
        """Inputs changed since the last build began without an event reaching us (a change made
        while the watch was being set up, or a file system that drops events)."""
        now = self._stat(self._stamps)
        return [p for p, st in now.items() if st != self._stamps[p]]

    # ------------------------------------------------------------------ watching

    def folders(self) -> set[Path]:
        """Folders to watch, non-recursively."""
        dirs = {self.base_dir} | {p.parent for p in self.inputs}
        try:
            for entry in os.scandir(self.base_dir):
                if entry.is_dir() and not entry.name.startswith(".") and entry.name not in IGNORED_DIRS:
                    dirs.add(Path(entry.path))
        except OSError:
            pass
        return {d for d in dirs if d.is_dir()}

    def relevant(self, path: str | Path) -> bool:
        """Is a change to `path` a reason to rebuild?"""
        p = Path(path)
        name = p.name
        if name.startswith(".") or name.endswith(("~", ".tmp", ".swp", ".swx")) or name == "4913":
            return False  # editors' and our own temporary files
        real = Path(os.path.realpath(p))
        if real == self.spec_path.resolve():
            return True
        if self.last is not None and self.last.ok:
            return real in self.inputs
        if real not in self.inputs and not real.exists():
            return False  # a temporary file that came and went (sed, editors' save dance)
        if self.target is not None and real == self.target.resolve():
            return False
        if real not in self.inputs and not name.lower().endswith(INPUT_SUFFIXES):
            return False  # a log, a PDF, an export: not what a spec reads
        try:
            st = real.stat()
            if (st.st_dev, st.st_ino) in self._streams:
                return False  # our own output, redirected into the project (watch > watch.txt)
        except OSError:
            pass
        if not real.is_relative_to(self.base_dir):
            return True
        folders = real.relative_to(self.base_dir).parts[:-1]
        return not any(part in IGNORED_DIRS or part.startswith(".") for part in folders)

    def run(self, stop: threading.Event | None = None, *, force_polling: bool | None = None) -> None:
        """Build once, then rebuild on every relevant change until `stop` is set or Ctrl-C."""
        with remembering():
            self._run(stop, force_polling)

    def _run(self, stop: threading.Event | None, force_polling: bool | None) -> None:
        import watchfiles

        self.rebuild()
        while stop is None or not stop.is_set():
            folders = self.folders()
            for changes in watchfiles.watch(*sorted(folders), watch_filter=lambda _c, p: self.relevant(p),
                                            recursive=False, debounce=1600, step=GATHER_MS, stop_event=stop,
                                            rust_timeout=SAFETY_NET_MS, yield_on_timeout=True,
                                            raise_interrupt=True, force_polling=force_polling):
                changed = [Path(p) for _c, p in changes] or self.missed()
                if not changed:
                    continue
                self.rebuild(changed)
                if self.folders() != folders:
                    break  # a new data or image folder: watch it too
            else:
                return
