"""Problems shown the way compilers show them: the location, the severity, the source line, a caret.

    report.yaml:8:12: error: page.columns: expected an integer from 1 to 6, got 'three'
        8 |   columns: three
          |            ^

`paiban validate` and `paiban watch` print this form; `paiban build` keeps the one-line form
(`report.yaml:8:12: page.columns: …`) that scripts already parse. The first line of both starts
with `file:line:column:`, so editors' problem matchers (VS Code, Vim's errorformat) pick it up.
The caret is placed by display width: a CJK character takes two terminal cells.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from paiban.errors import Problem

TAB = 4


def cell_width(text: str) -> int:
    """Terminal cells taken by `text`: wide and full-width characters count two, combining marks none."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


@dataclass
class Sources:
    """Source files read once each, for quoting; a file that can't be read quotes nothing."""

    _lines: dict[str, list[str] | None] = field(default_factory=dict)

    def line(self, file: str, number: int) -> str | None:
        if file not in self._lines:
            try:
                text = Path(file).read_bytes().decode("utf-8-sig", errors="replace")
                self._lines[file] = text.splitlines()
            except OSError:
                self._lines[file] = None
        lines = self._lines[file]
        if lines is None or not 1 <= number <= len(lines):
            return None
        return lines[number - 1]

    def forget(self) -> None:
        """Drop what was read (watch mode: the files change between builds)."""
        self._lines.clear()


def headline(p: Problem) -> str:
    """`file:line:col: error: key.path: message`: the location, then the severity."""
    head = f"{p.location}: " if p.location else ""
    path = f"{p.path}: " if p.path else ""
    return f"{head}{p.severity}: {path}{p.message}"


def quote(p: Problem, sources: Sources) -> list[str]:
    """The source line the problem points at and a caret under its column (none when not a file line)."""
    loc = p.location
    if loc is None or loc.line is None or str(loc.file).startswith("--set "):
        return []
    text = sources.line(str(loc.file), loc.line)
    if text is None:
        return []
    shown = text.expandtabs(TAB).rstrip()
    gutter = " " * len(str(loc.line))
    lines = [f" {loc.line} | {shown}"]
    if loc.column is not None:
        before = text[: max(loc.column - 1, 0)].expandtabs(TAB)
        lines.append(f" {gutter} | {' ' * cell_width(before)}^")
    return lines


def render(p: Problem, sources: Sources) -> list[str]:
    """All lines of one problem in the compiler form."""
    return [headline(p), *quote(p, sources)]


def summary(name: str, errors: int, warnings: int) -> str:
    """`report.yaml: 2 errors, 1 warning` or `report.yaml: ok` (with warnings, if any)."""
    def n(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    if errors:
        return f"{name}: {n(errors, 'error')}" + (f", {n(warnings, 'warning')}" if warnings else "")
    return f"{name}: ok" + (f" ({n(warnings, 'warning')})" if warnings else "")
