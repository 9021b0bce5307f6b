"""A figure block + its table → the numbers and labels one chart draws.

All checks that need the data (does the column exist, is every value a number, is the highlighted
category there) happen here, before matplotlib is imported, so `paiban validate` finds them fast
and every message points at the CSV line or the spec key to fix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paiban.charts.tables import Table, Where, load_table
from paiban.charts.values import Value, parse_flag, parse_value
from paiban.errors import InputError, dotted
from paiban.spec.charts import FigureBlock

NEEDS_EVERY_VALUE = ("bar", "hbar", "pie", "donut")
MAX_CATEGORIES = 200  # categories (rows) of one chart or table figure: a figure fits on a page


@dataclass
class Series:
    name: str
    values: list[Value | None]
    unit: str = ""


@dataclass
class ChartData:
    """What one chart shows, in display order. `units[i]` is row i's unit when a unit column is used."""

    kind: str
    categories: list[str]
    series: list[Series]
    row_units: list[str] | None = None
    highlight: int | None = None
    # Only for kind "table": the header and the cell texts, and which columns are numeric.
    header: list[str] = field(default_factory=list)
    cells: list[list[str]] = field(default_factory=list)
    numeric: list[bool] = field(default_factory=list)
    approx_cells: list[list[bool]] = field(default_factory=list)

    def unit(self, series: int, row: int) -> str:
        if self.row_units is not None and self.row_units[row]:
            return self.row_units[row]
        return self.series[series].unit

    @property
    def any_approx(self) -> bool:
        if self.kind == "table":
            return any(any(r) for r in self.approx_cells)
        return any(v is not None and v.approx for s in self.series for v in s.values)

    def label(self, series: int, row: int) -> str:
        v = self.series[series].values[row]
        return "" if v is None else v.label(self.unit(series, row))


def figure_table(fig: FigureBlock, keys: Sequence[Any], tables: dict[str, Table], base_dir: Path,
                 where: Where) -> Table:
    """The table a figure draws: a named one from `data:`, or its own inline table."""
    if isinstance(fig.data, str):
        table = tables.get(fig.data)
        if table is None:
            known = ", ".join(tables) or "none defined"
            raise InputError(f"unknown data table {fig.data!r} (data: has {known})",
                             where((*keys, "data")), dotted((*keys, "data")))
        return table
    return load_table(fig.id, fig.data, base_dir, where, (*keys, "data"))


def resolve(fig: FigureBlock, table: Table, keys: Sequence[Any], where: Where, *, thousands: int = 10000
            ) -> ChartData:
    """Check the figure against its table and extract the chart's categories, series and labels."""
    keys = tuple(keys)

    def column(name: str, key: str, j: int | None = None) -> int:
        if table.has(name):
            return table.index(name)
        at = (*keys, key) if j is None else (*keys, key, j)
        raise InputError(f"column {name!r} is not in {table.described()} (its columns: "
                         f"{', '.join(table.columns)})", where(at) or table.header_where, dotted(at))

    x_name = fig.x or table.columns[0]
    xi = column(x_name, "x")
    si = column(fig.series, "series") if fig.series else None
    ui = column(fig.unit_column, "unit_column") if fig.unit_column else None
    ai = column(fig.approx, "approx") if fig.approx else None
    used = {i for i in (xi, si, ui, ai) if i is not None}
    if fig.y_columns is not None:
        y_idx = [column(name, "y", j if isinstance(fig.y, list) else None) for j, name in enumerate(fig.y_columns)]
    else:
        y_idx = [i for i in range(len(table.columns)) if i not in used]
        if not y_idx:
            raise InputError(f"{table.described()} has no value column besides {x_name!r}",
                             where(keys), dotted(keys))
    if si is not None and len(y_idx) != 1:
        raise InputError("with series: give exactly one value column in y:", where((*keys, "y")), dotted((*keys, "y")))

    flags = [_flag(table, r, ai) for r in range(len(table.rows))] if ai is not None else None
    row_units = [_text(row[ui]) for row in table.rows] if ui is not None else None

    def value(r: int, c: int) -> Value | None:
        raw = table.rows[r][c]
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if fig.chart in NEEDS_EVERY_VALUE:
                raise InputError(f"{table.columns[c]!r} is empty in this row; a {fig.chart} chart needs "
                                 "every value", table.where_row(r), dotted(table.keys))
            return None
        v = parse_value(raw, thousands=thousands)
        if v is None:
            raise InputError(f"{table.columns[c]!r} is {_shown(raw)}, not a number; expected e.g. 132, 2307.02, "
                             "11,407 or 1000余", table.where_row(r), dotted(table.keys))
        if flags is not None and flags[r] and not v.approx:
            v = Value(v.number, "约" + v.text, True)
        return v

    if len(table.rows) > MAX_CATEGORIES:  # before any drawing: 9,999 bars took a minute to refuse
        raise InputError(f"{len(table.rows):,} rows; a chart shows at most {MAX_CATEGORIES} categories "
                         "(a figure is one piece of a page)", where((*keys, "data")), dotted((*keys, "data")))
    if fig.chart == "table":
        return _table_data(fig, table, xi, y_idx, row_units, flags, thousands)

    # Categories and series, from a wide table (one column per series) or a long one (series column).
    categories: list[str] = []
    cat_rows: dict[str, int] = {}
    if si is None:
        for r, row in enumerate(table.rows):
            name = _text(row[xi])
            if name in cat_rows:
                raise InputError(f"category {name!r} appears twice in {x_name!r} (first in row {cat_rows[name] + 1})",
                                 table.where_row(r), dotted(table.keys))
            cat_rows[name] = r
            categories.append(name)
        series = [Series(table.columns[c], [value(r, c) for r in range(len(table.rows))],
                         _unit(fig, table, c)) for c in y_idx]
        units = row_units
    else:
        c = y_idx[0]
        names: list[str] = []
        known_cats: set[str] = set()
        known_names: set[str] = set()
        cells: dict[tuple[str, str], Value | None] = {}
        unit_of: dict[str, str] = {}
        for r, row in enumerate(table.rows):
            cat, ser = _text(row[xi]), _text(row[si])
            if cat not in known_cats:
                known_cats.add(cat)
                categories.append(cat)
            if ser not in known_names:
                known_names.add(ser)
                names.append(ser)
            if (cat, ser) in cells:
                raise InputError(f"{cat!r} / {ser!r} appears twice", table.where_row(r), dotted(table.keys))
            cells[(cat, ser)] = value(r, c)
            if row_units is not None and row_units[r]:
                unit_of.setdefault(cat, row_units[r])
        series = [Series(s, [cells.get((cat, s)) for cat in categories], _unit(fig, table, c)) for s in names]
        units = [unit_of.get(cat, "") for cat in categories] if row_units is not None else None

    data = ChartData(fig.chart, categories, series, units)
    _check_values(fig, data, keys, where)
    _order(fig, data)
    if fig.highlight is not None:
        if fig.highlight not in data.categories:
            raise InputError(f"highlight {fig.highlight!r} is not a category of {x_name!r} "
                             f"({', '.join(data.categories)})", where((*keys, "highlight")),
                             dotted((*keys, "highlight")))
        data.highlight = data.categories.index(fig.highlight)
    return data


def _table_data(fig: FigureBlock, table: Table, xi: int, y_idx: list[int], row_units: list[str] | None,
                flags: list[bool] | None, thousands: int) -> ChartData:
    """A small table: text cells as written, numbers with their unit and hedge, right-aligned."""
    cols = [xi, *y_idx]
    header = [table.columns[c] + (f"（{table.units[table.columns[c]]}）" if table.units.get(table.columns[c])
                                  and row_units is None and not fig.unit else "") for c in cols]
    cells: list[list[str]] = []
    approx: list[list[bool]] = []
    numeric = [False] + [True] * len(y_idx)
    for r, row in enumerate(table.rows):
        line, marks = [_text(row[xi])], [False]
        for j, c in enumerate(y_idx):
            raw = row[c]
            v = parse_value(raw, thousands=thousands) if raw is not None else None
            if v is None:
                numeric[j + 1] = numeric[j + 1] and (raw is None or not _text(raw))
                line.append(_text(raw))
                marks.append(False)
                continue
            if flags is not None and flags[r] and not v.approx:
                v = Value(v.number, "约" + v.text, True)
            unit = (row_units[r] if row_units else "") or fig.unit or ""
            line.append(v.label(unit))
            marks.append(v.approx)
        cells.append(line)
        approx.append(marks)
    order = list(range(len(cells)))
    if fig.order != "given" and y_idx:
        def key(r: int) -> float:
            v = parse_value(table.rows[r][y_idx[0]], thousands=thousands)
            return v.number if v is not None else float("-inf")
        order.sort(key=key, reverse=fig.order == "descending")
    data = ChartData("table", [cells[r][0] for r in order], [], header=header,
                     cells=[cells[r] for r in order], numeric=numeric, approx_cells=[approx[r] for r in order])
    if fig.highlight is not None and fig.highlight in data.categories:
        data.highlight = data.categories.index(fig.highlight)
    return data


def _check_values(fig: FigureBlock, data: ChartData, keys: tuple[Any, ...], where: Where) -> None:
    values = [v.number for s in data.series for v in s.values if v is not None]
    if not values:
        raise InputError("no values to draw", where((*keys, "y")), dotted((*keys, "y")))
    if fig.chart in ("pie", "donut", "stacked") and any(v < 0 for v in values):
        raise InputError(f"a {fig.chart} chart needs values of 0 or more", where((*keys, "y")), dotted((*keys, "y")))
    if fig.chart in ("pie", "donut") and sum(values) <= 0:
        raise InputError(f"a {fig.chart} chart needs a positive total", where((*keys, "y")), dotted((*keys, "y")))


def _order(fig: FigureBlock, data: ChartData) -> None:
    if fig.order == "given":
        return
    first = data.series[0].values

    def key(i: int) -> float:
        v = first[i]
        return v.number if v is not None else float("-inf")

    idx = sorted(range(len(data.categories)), key=key, reverse=fig.order == "descending")
    data.categories = [data.categories[i] for i in idx]
    for s in data.series:
        s.values = [s.values[i] for i in idx]
    if data.row_units is not None:
        data.row_units = [data.row_units[i] for i in idx]


def _unit(fig: FigureBlock, table: Table, c: int) -> str:
    if fig.unit is not None:
        return fig.unit
    return table.units.get(table.columns[c], "")


def _flag(table: Table, r: int, c: int) -> bool:
    raw = table.rows[r][c]
    flag = parse_flag(raw)
    if flag is None:
        raise InputError(f"{table.columns[c]!r} is {raw!r}; expected true or false", table.where_row(r),
                         dotted(table.keys))
    return flag


def _shown(raw: Any) -> str:
    """A cell as a message shows it: quoted, a long one cut (309 digits are one line too many)."""
    text = repr(raw)
    return text if len(text) <= 60 else f"{text[:40]}…({len(str(raw)):,} characters)"


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw == int(raw):
        return str(int(raw))
    return str(raw).strip()
