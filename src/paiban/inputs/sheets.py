"""Tables from spreadsheet workbooks (.xlsx, .xlsm, .xls, .ods) with python-calamine.

A workbook is read, never run: calamine reads the values Excel or WPS last saved (no formulas
are evaluated, no macros touched). A sheet is named by `sheet:` (default the first) and may be
cut to a cell `range:` such as B3:F20. Cells come back as Python values: whole numbers as int (a
workbook stores every number as a float), text stripped, an empty cell as None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_CELL = re.compile(r"^([A-Za-z]{1,3})([1-9][0-9]{0,6})$")


class SheetError(ValueError):
    """A workbook that cannot be read as asked; `row`/`column` (1-based) when a cell is at fault."""

    def __init__(self, message: str, row: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message, self.row, self.column = message, row, column


@dataclass
class Sheet:
    """The cells of a sheet (or of its range), with the workbook row and column of the first cell."""

    name: str
    cells: list[list[Any]]
    first_row: int  # 1-based workbook row of cells[0]
    first_column: int  # 1-based workbook column of cells[r][0]


def column_number(letters: str) -> int:
    """A → 1, Z → 26, AA → 27."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def parse_range(text: str) -> tuple[int, int, int, int]:
    """"B3:F20" → (first row, first column, last row, last column), 1-based; raises SheetError."""
    parts = text.replace(" ", "").split(":")
    cells = [_CELL.match(p) for p in parts]
    if len(parts) != 2 or not all(cells):
        raise SheetError(f"range {text!r}: expected two cells such as B3:F20")
    (c1, r1), (c2, r2) = ((column_number(m.group(1)), int(m.group(2))) for m in cells if m)
    if r2 < r1 or c2 < c1:
        raise SheetError(f"range {text!r}: the second cell must be below and right of the first (B3:F20)")
    return r1, c1, r2, c2


def did_you_mean(name: str, names: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
    return f"; did you mean {close[0]!r}?" if close else ""


def read_sheet(path: Path, sheet: str | int | None = None, cell_range: str | None = None) -> Sheet:
    """The values of one sheet of a workbook; raises SheetError with what is wrong."""
    from python_calamine import CalamineWorkbook

    bounds = parse_range(cell_range) if cell_range else None
    try:
        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
    except Exception as exc:  # calamine raises its own kinds for a damaged or foreign file
        raise SheetError(f"cannot read the workbook: {' '.join(str(exc).split())[:200]}; expected an undamaged "
                         ".xlsx, .xls or .ods file") from None
    if not names:
        raise SheetError("the workbook has no sheets")
    if sheet is None:
        name = names[0]
    elif isinstance(sheet, int):
        if not 1 <= sheet <= len(names):
            raise SheetError(f"sheet {sheet}: the workbook has {len(names)} sheet(s): {', '.join(names)}")
        name = names[sheet - 1]
    elif sheet in names:
        name = sheet
    else:
        raise SheetError(f"no sheet {sheet!r} in the workbook; its sheets: {', '.join(names)}"
                         + did_you_mean(sheet, names))
    try:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as exc:
        raise SheetError(f"cannot read sheet {name!r}: {' '.join(str(exc).split())[:200]}") from None
    first_row = first_col = 1
    if bounds:
        r1, c1, r2, c2 = bounds
        rows = [row[c1 - 1:c2] for row in rows[r1 - 1:r2]]
        first_row, first_col = r1, c1
    return Sheet(name, [[_value(v) for v in row] for row in rows], first_row, first_col)


def _value(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, float):
        return int(v) if v.is_integer() and abs(v) < 1e15 else v
    if isinstance(v, int):
        return v
    if isinstance(v, str):
        return v.strip() or None
    return str(v)  # dates and times: as the text an editor sees
