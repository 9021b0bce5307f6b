"""Import ReportLab's platypus without compiling two regular expressions paiban never uses.

Any `reportlab.platypus.X` import runs the package's __init__, which imports all of platypus,
and doctemplate needs platypus.paragraph anyway. Two module-level patterns there cost more
than the rest of the import: the URI pattern of `reportlab.platypus.paragraph`
(`[a-z\\xa1-\\uffff]` under IGNORECASE — Python's compiler case-folds each of 65,000 characters,
≈ 50 ms) and the CJK splitter of `reportlab.lib.textsplit` (≈ 8 ms). paiban sets no text with
ReportLab's Paragraph, so those two are compiled the first time anything uses them instead.
"""

from __future__ import annotations

import re
import sys
from typing import Any


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
    """Import `reportlab.platypus` (once), with patterns over the whole BMP compiled lazily."""
    if "reportlab.platypus" in sys.modules:
        return
    real = re.compile

    def compile_(pattern: Any, flags: int = 0) -> Any:
        if isinstance(pattern, str) and "\uffff" in pattern:
            return LazyPattern(real, pattern, flags)
        return real(pattern, flags)

    re.compile = compile_  # type: ignore[assignment]
    try:
        import reportlab.platypus  # noqa: F401
    finally:
        re.compile = real
