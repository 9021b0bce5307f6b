"""Tables from report.yaml's `data:`: CSV or JSON files beside the spec, or inline rows.

Every row remembers where it was written (the CSV line, the JSON line, or the spec line), so a
bad value is reported as `data/education.csv:4: …` — the place an editor must fix, not a
traceback. A table's content digest (not the file's mtime) keys the chart cache: touching a file
or re-saving it unchanged must not redraw anything.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paiban.errors import InputError, Location, dotted
from paiban.inputs.encodings import Undecodable, decode
from paiban.inputs.sheets import WORKBOOK_SUFFIXES, SheetError, column_letters, read_sheet
from paiban.spec.charts import TableSpec
from paiban.store import TooLarge, read_regular

# The spec stage's `where(keys) -> Location` (keys as in ["data", "education", "file"]).
Where = Callable[[Sequence[Any]], "Location | None"]

MAX_DATA_BYTES = 16 * 1024 * 1024
MAX_ROWS = 10000
MAX_COLUMNS = 1000
#: Cells that mean "no value" in an office's tables: read as missing (a gap in a line chart, a
#: located error where the chart kind needs every value).
MISSING = frozenset({"—", "——", "-", "－", "–", "/", "N/A", "n/a", "NA"})


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a chart can show")


def no_where(keys: Sequence[Any]) -> Location | None:  # noqa: ARG001 - the Where protocol
    return None


@dataclass
class Table:
    """A rectangular table of raw cells (text, numbers or None), with a location for every row."""

    name: str
    columns: list[str]
    rows: list[list[Any]]
    units: dict[str, str] = field(default_factory=dict)
    source: str | None = None
    origin: str = ""  # the data file as written in the spec, or "" for an inline table
    keys: tuple[Any, ...] = ()  # spec keys of the table (["data", "education"] or [..., "figure", "data"])
    row_where: list[Location | None] = field(default_factory=list)
    header_where: Location | None = None
    encoding: str | None = None  # the encoding a CSV/JSON file was read in; the sheet of a workbook

    def index(self, column: str) -> int:
        return self.columns.index(column)

    def has(self, column: str) -> bool:
        return column in self.columns

    def where_row(self, i: int) -> Location | None:
        return self.row_where[i] if i < len(self.row_where) else self.header_where

    def described(self) -> str:
        return self.origin or f"table {self.name!r}"

    def digest(self) -> str:
        """A hash of what a chart can show: columns, cells and units (not mtime, not the source note)."""
        payload = json.dumps([self.columns, self.rows, sorted(self.units.items())], ensure_ascii=False,
                             separators=(",", ":"), default=str)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def load_tables(spec_data: Mapping[str, TableSpec], base_dir: str | Path, where: Where | None = None
                ) -> dict[str, Table]:
    """Read every table of `data:`; raises InputError at the file:line (or spec line) of a problem."""
    where = where or no_where
    return {name: load_table(name, spec, Path(base_dir), where, ("data", name)) for name, spec in spec_data.items()}


def load_table(name: str, spec: TableSpec, base_dir: Path, where: Where, keys: Sequence[Any]) -> Table:
    """One table, from its file or its inline rows; `keys` is where the spec declares it."""
    keys = tuple(keys)
    if spec.file:
        table = _read_file(name, spec, base_dir, where, keys)
    else:
        table = _inline(name, spec, where, keys)
    table.units = dict(spec.units)
    table.source = spec.source
    table.keys = keys
    for col in spec.units:
        if col not in table.columns:
            raise InputError(f"units: column {col!r} is not in {table.described()} "
                             f"(columns: {', '.join(table.columns)})",
                             where((*keys, "units", col)), dotted((*keys, "units", col)))
    return table


def _inline(name: str, spec: TableSpec, where: Where, keys: tuple[Any, ...]) -> Table:
    columns = [str(c) for c in spec.columns or []]
    _check_header(columns, where((*keys, "columns")), dotted((*keys, "columns")))
    rows = [list(r) for r in spec.rows or []]
    if not rows:
        raise InputError(f"table {name!r} has no rows", where((*keys, "rows")), dotted((*keys, "rows")))
    row_where = [where((*keys, "rows", i)) for i in range(len(rows))]
    for i, row in enumerate(rows):
        if len(row) != len(columns):
            raise InputError(f"row has {len(row)} values, expected {len(columns)} ({', '.join(columns)})",
                             row_where[i], dotted((*keys, "rows", i)))
    return Table(name, columns, rows, origin="", row_where=row_where, header_where=where((*keys, "columns")))


def _read_file(name: str, spec: TableSpec, base_dir: Path, where: Where, keys: tuple[Any, ...]) -> Table:
    relpath = spec.file or ""
    spec_loc = where((*keys, "file"))
    keypath = dotted((*keys, "file"))
    path = base_dir / relpath
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"data file not found: {relpath} (looked at {path})", spec_loc, keypath) from None
    except OSError as exc:
        raise InputError(f"cannot read data file {relpath}: {exc.strerror}", spec_loc, keypath) from None
    if not path.is_file():
        raise InputError(f"data file {relpath} is not a file", spec_loc, keypath)
    if size > MAX_DATA_BYTES:
        raise InputError(f"data file {relpath} is {size // 1024} KiB; at most "
                         f"{MAX_DATA_BYTES // 1024 // 1024} MiB is read", spec_loc, keypath)
    try:
        raw = read_regular(path, MAX_DATA_BYTES)  # the cap holds even if the file grows meanwhile
    except TooLarge:
        raise InputError(f"data file {relpath} is more than {MAX_DATA_BYTES // 1024 // 1024} MiB; at most "
                         f"{MAX_DATA_BYTES // 1024 // 1024} MiB is read", spec_loc, keypath) from None
    except OSError as exc:
        raise InputError(f"cannot read data file {relpath}: {exc.strerror}", spec_loc, keypath) from None
    encoding: str | None
    if relpath.lower().endswith(WORKBOOK_SUFFIXES):
        columns, rows, lines, first_col, encoding = _read_workbook(spec, path, spec_loc, keypath, where, keys)
        header = Location(relpath, lines.pop(0), first_col)
    else:
        try:
            text, encoding = decode(raw, spec.encoding)
        except Undecodable as exc:
            at = where((*keys, "encoding")) if spec.encoding else Location(relpath, exc.line)
            raise InputError(exc.message, at, keypath) from None
        if relpath.lower().endswith(".json"):
            columns, rows, lines = _parse_json(text, relpath)
        else:
            columns, rows, lines = _parse_csv(text, relpath)
        header = Location(relpath, 1)
    columns, rows = _trim(columns, rows)
    table = _checked(name, relpath, columns, rows, lines, header, keypath)
    table.encoding = encoding
    return table


def _read_workbook(spec: TableSpec, path: Path, spec_loc: Location | None, keypath: str, where: Where,
                   keys: tuple[Any, ...]) -> tuple[list[str], list[list[Any]], list[int], int, str]:
    """Header, rows and their workbook row numbers (the header's first) of a sheet or its range."""
    try:
        sheet = read_sheet(path, spec.sheet, spec.range)
    except SheetError as exc:
        key = ("sheet" if "sheet" in exc.message and spec.sheet is not None else
               "range" if exc.message.startswith("range") else "file")
        raise InputError(exc.message, where((*keys, key)), dotted((*keys, key))) from None
    columns: list[str] | None = None
    rows: list[list[Any]] = []
    lines: list[int] = []
    for r, cells in enumerate(sheet.cells):
        if all(c is None for c in cells):
            continue
        if columns is None:
            columns = ["" if c is None else str(c) for c in cells]
            lines.append(sheet.first_row + r)
            continue
        rows.append([None if isinstance(c, str) and c in MISSING else c for c in cells])
        lines.append(sheet.first_row + r)
    if columns is None:
        raise InputError(f"sheet {sheet.name!r} is empty" + (f" in range {spec.range}" if spec.range else ""),
                         spec_loc, keypath)
    return columns, rows, lines, sheet.first_column, f"sheet {sheet.name!r}" + (
        f" {column_letters(sheet.first_column)}{sheet.first_row}:{spec.range.split(':')[-1]}" if spec.range else "")


def _trim(columns: list[str], rows: list[list[Any]]) -> tuple[list[str], list[list[Any]]]:
    """Excel's trailing empty columns dropped: a header cell with no name whose cells are all empty
    (a CSV saved from a sheet with formatting further right has them), and empty cells past the
    header at the end of a row."""
    width = len(columns)
    while width and not str(columns[width - 1]).strip() and all(
            len(r) < width or r[width - 1] is None for r in rows):
        width -= 1
    out = []
    for row in rows:
        r = list(row)
        while len(r) > width and r[-1] is None:
            r.pop()
        out.append(r)
    return list(columns[:width]), out


def _checked(name: str, relpath: str, columns: list[str], rows: list[list[Any]], lines: list[int],
             header: Location, keypath: str) -> Table:
    _check_header(columns, header, keypath)
    if not rows:
        raise InputError(f"{relpath} has a header but no data rows", header, keypath)
    if len(rows) > MAX_ROWS:
        raise InputError(f"{relpath} has {len(rows)} rows; at most {MAX_ROWS} are read", header, keypath)
    row_where: list[Location | None] = [Location(relpath, ln) for ln in lines]
    for i, row in enumerate(rows):
        if len(row) != len(columns):
            raise InputError(f"row has {len(row)} values, the header has {len(columns)} "
                             f"({', '.join(columns)})", row_where[i], keypath)
    return Table(name, columns, rows, origin=relpath, row_where=row_where, header_where=header)


def _check_header(columns: list[str], loc: Location | None, keypath: str) -> None:
    if not columns:
        raise InputError("the table is empty; expected a header row naming the columns", loc, keypath)
    if len(columns) > MAX_COLUMNS:
        raise InputError(f"{len(columns):,} columns; a chart's table has at most {MAX_COLUMNS}", loc, keypath)
    seen: set[str] = set()
    for i, col in enumerate(columns):
        if not col.strip():
            raise InputError(f"column {i + 1} has no name", loc, keypath)
        if col in seen:
            raise InputError(f"column {col!r} appears twice in the header", loc, keypath)
        seen.add(col)


def _parse_csv(text: str, relpath: str) -> tuple[list[str], list[list[Any]], list[int]]:
    """Header and rows of a CSV; each row with the line it starts on. Empty cells become None."""
    reader = csv.reader(io.StringIO(text, newline=""))
    columns: list[str] | None = None
    rows: list[list[Any]] = []
    lines: list[int] = []
    start = 1
    try:
        for record in reader:
            line = start
            start = reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue  # blank line
            if columns is None:
                columns = [c.strip() for c in record]
                continue
            rows.append([None if not c.strip() or c.strip() in MISSING else c.strip() for c in record])
            lines.append(line)
    except csv.Error as exc:
        raise InputError(f"cannot read CSV: {exc}", Location(relpath, reader.line_num)) from None
    return columns or [], rows, lines


def _parse_json(text: str, relpath: str) -> tuple[list[str], list[list[Any]], list[int]]:
    """{"columns": [...], "rows": [[...]]} or [{...}, ...]; each row with the line it starts on."""
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", Location(relpath, exc.lineno, exc.colno)) from None
    except RecursionError:
        raise InputError("JSON nested too deeply; expected rows of values", Location(relpath, 1)) from None
    except ValueError as exc:  # an integer of thousands of digits (Python's int limit), NaN/Infinity
        raise InputError(f"not valid JSON: {str(exc).split(';')[0]}", Location(relpath, 1)) from None
    offsets = _row_offsets(text)

    def line_of(i: int) -> int:
        return text.count("\n", 0, offsets[i]) + 1 if i < len(offsets) else 1

    if isinstance(data, dict) and set(data) <= {"columns", "rows"} and "rows" in data:
        columns = data.get("columns")
        rows = data["rows"]
        if not isinstance(rows, list):
            raise InputError('"rows" must be a list of rows', Location(relpath, 1))
        if rows and all(isinstance(r, dict) for r in rows) and columns is None:
            columns, rows = _records(rows, relpath, line_of)
        if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
            raise InputError('"columns" must be a list of column names', Location(relpath, 1))
        out = []
        for i, row in enumerate(rows):
            if not isinstance(row, list):
                raise InputError("expected a row as a list of values", Location(relpath, line_of(i)))
            out.append([_cell(v, relpath, line_of(i)) for v in row])
        return list(columns), out, [line_of(i) for i in range(len(out))]
    if isinstance(data, list):
        columns, rows = _records(data, relpath, line_of)
        return columns, rows, [line_of(i) for i in range(len(rows))]
    raise InputError('expected {"columns": [...], "rows": [[...], ...]} or a list of objects',
                     Location(relpath, 1))


def _records(records: list[Any], relpath: str, line_of: Callable[[int], int]) -> tuple[list[str], list[list[Any]]]:
    seen: dict[str, None] = {}  # the columns in order of first appearance (a dict: no list scan)
    for i, rec in enumerate(records):
        if not isinstance(rec, dict):
            raise InputError("expected an object {column: value, ...}", Location(relpath, line_of(i)))
        seen.update(dict.fromkeys(rec))
        if len(seen) > MAX_COLUMNS:
            raise InputError(f"more than {MAX_COLUMNS} columns; a chart's table has at most {MAX_COLUMNS}",
                             Location(relpath, line_of(i)))
    columns = list(seen)
    rows = [[_cell(rec.get(c), relpath, line_of(i)) for c in columns] for i, rec in enumerate(records)]
    return columns, rows


def _cell(value: Any, relpath: str, line: int) -> Any:
    if isinstance(value, str) and value.strip() in MISSING:
        return None
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise InputError(f"expected a number or text, got {type(value).__name__}", Location(relpath, line))


def _row_offsets(text: str) -> list[int]:
    """Character offsets where each row starts: elements of the top-level array, or of "rows"."""
    dec = json.JSONDecoder()
    i = _skip(text, 0)
    if i < len(text) and text[i] == "[":
        return _array_items(text, i, dec)
    if i < len(text) and text[i] == "{":
        i = _skip(text, i + 1)
        while i < len(text) and text[i] != "}":
            key, i = dec.raw_decode(text, i)
            i = _skip(text, i)
            i = _skip(text, i + 1)  # the colon
            if key == "rows" and text[i] == "[":
                return _array_items(text, i, dec)
            _, i = dec.raw_decode(text, i)
            i = _skip(text, i)
            if i < len(text) and text[i] == ",":
                i = _skip(text, i + 1)
    return []


def _array_items(text: str, i: int, dec: json.JSONDecoder) -> list[int]:
    out: list[int] = []
    i = _skip(text, i + 1)
    while i < len(text) and text[i] != "]":
        out.append(i)
        _, i = dec.raw_decode(text, i)
        i = _skip(text, i)
        if i < len(text) and text[i] == ",":
            i = _skip(text, i + 1)
    return out


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i
