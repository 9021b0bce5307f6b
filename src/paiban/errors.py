"""Errors an editor can act on: each names the file, line and column and what was expected.

Every stage raises these (never a bare traceback); the CLI prints `str(error)` as one line and
exits with the error's status: 2 for bad input, 1 for a build that failed on good input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Location:
    """A place in a source file; line and column are 1-based as editors count them."""

    file: Path | str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        name = str(self.file)
        if self.line is None:
            return name
        if self.column is None:
            return f"{name}:{self.line}"
        return f"{name}:{self.line}:{self.column}"

    @staticmethod
    def order(loc: Location | None) -> tuple[str, int, int]:
        """Sort key: file order, places without a line first (and no place before any)."""
        if loc is None:
            return ("", 0, 0)
        return (str(loc.file), loc.line or 0, loc.column or 0)


def dotted(keys: Sequence[Any]) -> str:
    """["body", 3, "figure", "y"] → "body[3].figure.y", the key path as messages print it
    (a key that is not printable is quoted, so a message stays one line)."""
    out = ""
    for k in keys:
        name = str(k) if str(k).isprintable() else repr(str(k))
        out += f"[{k}]" if isinstance(k, int) else (f".{name}" if out else name)
    return out


@dataclass
class Problem:
    """One thing wrong with the input. `path` is the dotted key path (`page.columns`), if any."""

    message: str
    location: Location | None = None
    path: str | None = None
    severity: str = "error"

    def __str__(self) -> str:
        parts = []
        if self.location is not None:
            parts.append(str(self.location))
        if self.path:
            parts.append(self.path)
        parts.append(self.message)
        return ": ".join(parts)


class PaibanError(Exception):
    """Base of every error paiban reports to the editor."""

    exit_status = 1

    def __init__(self, message: str, location: Location | None = None, path: str | None = None,
                 problems: list[Problem] | None = None):
        self.problem = Problem(message, location, path)
        self.problems: list[Problem] = problems or [self.problem]
        super().__init__(str(self.problem))

    @property
    def location(self) -> Location | None:
        return self.problem.location


class InputError(PaibanError):
    """The editor's input (spec, data, font, image) is wrong: exit status 2."""

    exit_status = 2


class BuildError(PaibanError):
    """The input was fine but the build could not finish: exit status 1."""

    exit_status = 1


@dataclass
class Diagnostics:
    """Warnings gathered during a build, shown to the editor (and errors under --strict), and notes:
    choices paiban made for the editor that are worth a line (never errors, even under --strict)."""

    warnings: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)

    def warn(self, message: str, location: Location | None = None, path: str | None = None) -> None:
        self.warnings.append(Problem(message, location, path, severity="warning"))

    def note(self, message: str, location: Location | None = None, path: str | None = None) -> None:
        self.notes.append(Problem(message, location, path, severity="note"))
