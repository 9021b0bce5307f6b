"""Numbers bound to data in text: {data:TABLE/ROW/COLUMN}, {sum:TABLE/COLUMN}, max, min, count.

"首批参训党员已达{data:cadres/2024/人数}" prints the cell as the article would print it: its
unit (the table's `units:`), thousands separators from `charts.thousands` up, and the article's
hedge kept (1000余, 近2000). ROW is the value of the table's first column. The text is filled in
when the story is built from the tables this build read, so a data change redraws the chart and
rewrites the sentence in the same build; a reference to an unknown table, row or column is a
located error (with the nearest name), found by validate as by build.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

from paiban.charts.tables import Table
from paiban.charts.values import Value, format_number, parse_value

BOUND = re.compile(r"\{(data|sum|max|min|count):([^{}\n]*)\}")
_PLAIN_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


class BindError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _near(name: str, names: list[str], what: str) -> str:
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.4)
    if close:
        return f"; did you mean {close[0]!r}?"
    shown = ", ".join(names[:12]) + (" …" if len(names) > 12 else "")
    return f"; {what}: {shown or 'none'}"


def _table(tables: Mapping[str, Table], name: str, ref: str) -> Table:
    if name not in tables:
        raise BindError(f"unknown table {name!r} in {ref}" + _near(name, list(tables), "tables in data:"))
    return tables[name]


def _column(table: Table, name: str, ref: str) -> int:
    if name not in table.columns:
        raise BindError(f"table {table.name!r} has no column {name!r} in {ref}" + _near(name, table.columns, "columns"))
    return table.index(name)


def _shown(value: Value, unit: str, thousands: int) -> str:
    if _PLAIN_NUMBER.match(value.text):  # a number typed plainly: separators as the article sets them
        value = Value(value.number, format_number(value.number, thousands=thousands), value.approx)
    return value.label(unit)


def bound_text(kind: str, arg: str, tables: Mapping[str, Table], thousands: int) -> str:
    """The text `{kind:arg}` prints; raises BindError saying what is unknown."""
    ref = "{" + kind + ":" + arg + "}"
    parts = [p.strip() for p in arg.split("/")]
    want = 3 if kind == "data" else 2
    if len(parts) != want or not all(parts):
        shape = "TABLE/ROW/COLUMN" if kind == "data" else "TABLE/COLUMN"
        raise BindError(f"{ref}: expected {{{kind}:{shape}}}")
    table = _table(tables, parts[0], ref)
    col = _column(table, parts[-1], ref)
    unit = table.units.get(parts[-1], "")
    if kind == "data":
        keys = ["" if r[0] is None else str(r[0]).strip() for r in table.rows]
        if parts[1] not in keys:
            raise BindError(f"table {table.name!r} has no row {parts[1]!r} (in its first column, "
                            f"{table.columns[0]!r}) in {ref}" + _near(parts[1], keys, "rows"))
        raw = table.rows[keys.index(parts[1])][col]
        if raw is None:
            raise BindError(f"{ref}: the cell is empty (a missing value) in {table.described()}")
        value = parse_value(raw, thousands=thousands)
        return str(raw) if value is None else _shown(value, unit, thousands)
    values = [v for v in (parse_value(r[col], thousands=thousands) for r in table.rows if len(r) > col) if v]
    if kind == "count":
        return str(len(values))
    if not values:
        raise BindError(f"{ref}: column {parts[-1]!r} of {table.described()} has no numbers")
    if kind == "sum":
        total = sum(v.number for v in values)
        text = format_number(total, thousands=thousands)
        hedged = any(v.approx for v in values)
        return ("约" if hedged else "") + Value(total, text).label(unit)
    best = max(values, key=lambda v: v.number) if kind == "max" else min(values, key=lambda v: v.number)
    return _shown(best, unit, thousands)


def fill(text: str, tables: Mapping[str, Table], thousands: int) -> str:
    """`text` with every bound number filled in (the caller has checked them)."""
    if "{" not in text:
        return text
    return BOUND.sub(lambda m: bound_text(m.group(1), m.group(2), tables, thousands), text)


def check(texts: Any, tables: Mapping[str, Table], thousands: int, locate: Any) -> list[tuple[str, Any]]:
    """(message, location) of every bound number that cannot be filled in; `texts` yields
    (keys, text) and `locate(keys, offset)` gives the place of a character."""
    problems = []
    for keys, text in texts:
        if "{" not in text:
            continue
        for m in BOUND.finditer(text):
            try:
                bound_text(m.group(1), m.group(2), tables, thousands)
            except BindError as exc:
                problems.append((exc.message, locate(keys, m.start())))
    return problems
