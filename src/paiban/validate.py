"""`paiban validate`: every problem with the spec, its data files and font coverage, without building.

It runs the same stages as the build up to, not including, drawing charts and laying out pages,
so what it accepts builds, and it writes nothing (no PDF, no chart cache).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from paiban.errors import Diagnostics, InputError, Location, Problem


@dataclass
class Validation:
    """What validation found: `name` is the spec as shown in messages."""

    name: str
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # choices made for the editor, one line each
    reads: list[str] = field(default_factory=list)  # how each data and text file was read (its encoding)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def problems(self) -> list[Problem]:
        """Errors and warnings in file order (problems without a line first)."""
        return sorted([*self.errors, *self.warnings], key=lambda p: Location.order(p.location))


def validate(spec_path: str | Path, *, overrides: Iterable[str] = (), allow_outside: bool = False) -> Validation:
    """Load the spec and prepare its assets without drawing charts; collect, don't raise."""
    from paiban.assets import prepare
    from paiban.spec.load import load_spec
    from paiban.spec.loader import display_name

    result = Validation(name=display_name(Path(spec_path)))
    try:
        loaded = load_spec(spec_path, overrides=overrides, allow_outside=allow_outside)
    except InputError as exc:
        result.errors.extend(exc.problems)
        return result
    result.name = loaded.source.name
    diagnostics = Diagnostics()
    try:
        assets = prepare(loaded, diagnostics, draw_charts=False)
    except InputError as exc:
        result.errors.extend(exc.problems)
    else:  # every block measured as the build will place it: what would not fit, it refuses too
        from paiban.layout.fit import spec_fit_problems

        result.reads = _reads(loaded, assets)
        for error in spec_fit_problems(loaded, assets):
            result.errors.extend(error.problems)
    result.warnings.extend(diagnostics.warnings)
    result.notes.extend(diagnostics.notes)
    return result


def _reads(loaded, assets) -> list[str]:
    """`data/a.csv: read as gbk, …` for every data file, `a.txt: read as gbk, 3 paragraphs (one a line)`
    for every text file."""
    lines = []
    for table in assets.tables.values():
        if table.origin and table.encoding:
            lines.append(f"{table.origin}: read as {table.encoding}, {len(table.rows)} rows × {len(table.columns)} columns")
    for located in loaded.text_maps.values():
        name = getattr(located, "name", None)
        if name:
            how = {"blank-line": "at blank lines", "line": "one a line", "wrapped": "hard wraps joined",
                   "markdown": "Markdown", "word": "Word"}.get(located.mode, located.mode)
            enc = f"read as {located.encoding}, " if located.encoding else ""
            lines.append(f"{name}: {enc}{located.text.count(chr(10) * 2) + 1} paragraphs ({how})")
    return lines
