"""PIL.Image loaded when it is first used, not when ReportLab is imported.

ReportLab's `lib.utils` runs `from PIL import Image` at import time, for bitmaps, so every
process that registers a font paid for Pillow (about 58 million instructions, 10–15 ms) even
when the document has no photo. Importing this module first puts a deferred PIL.Image in its
place: ReportLab holds that module object, and the first attribute anyone reads of it (ReportLab
opening an image, paiban's image checks, matplotlib when a chart is drawn) runs Pillow's module
code in it, once. `import PIL.Image` anywhere counts as a use too.

Why not importlib.util.LazyLoader: before Python 3.12 it is not thread-safe — a second thread
touching the module while the first is loading it sees a half-made module — and `paiban watch`
imports the chart stack (which loads Pillow) in a background thread while builds run.

Nothing happens if PIL.Image is imported already or Pillow is not installed.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
import types

_lock = threading.RLock()
_loading = threading.local()


class _Deferred(types.ModuleType):
    """A module whose code runs on first attribute access, under a lock: other threads wait for
    the whole module; the loading thread itself (Pillow importing its own parts) reads it as is."""

    def __getattribute__(self, name: str):
        if type(self) is _Deferred:
            with _lock:
                if type(self) is _Deferred and not getattr(_loading, "active", False):
                    _loading.active = True
                    try:
                        spec = types.ModuleType.__getattribute__(self, "__spec__")
                        spec.loader.exec_module(self)
                    finally:
                        _loading.active = False
                        self.__class__ = types.ModuleType  # loaded (a failed load is not tried again)
        return types.ModuleType.__getattribute__(self, name)


def defer() -> bool:
    """Put a deferred PIL.Image in sys.modules; whether it did."""
    if "PIL.Image" in sys.modules:
        return False
    try:
        spec = importlib.util.find_spec("PIL.Image")  # imports the PIL package itself (small)
    except ImportError:
        return False
    if spec is None or spec.loader is None:
        return False
    module = importlib.util.module_from_spec(spec)
    module.__class__ = _Deferred
    sys.modules["PIL.Image"] = module
    setattr(sys.modules["PIL"], "Image", module)  # noqa: B010 - as the import system would
    return True


defer()
