"""Pieces several chart kinds share: series colours, a legend row, a value axis with nice ticks,
and the rule for when value labels drop their unit into a note.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from paiban.charts.figdata import ChartData
from paiban.charts.geometry import blend
from paiban.charts.painter import Painter
from paiban.charts.style import ChartStyle
from paiban.charts.values import format_number


def series_color(style: ChartStyle, data: ChartData, row: int, series: int = 0) -> str:
    """Several series: the palette in order. One series: the first colour, or — with a highlight —
    the highlight colour for that category and a muted grey for the rest."""
    if len(data.series) > 1:
        return style.palette[series % len(style.palette)]
    if data.highlight is None:
        return style.palette[0]
    return style.highlight if row == data.highlight else style.muted


def slice_colors(style: ChartStyle, data: ChartData) -> list[str]:
    n = len(data.categories)
    if data.highlight is not None:
        greys = [blend(style.muted, 0.1 + 0.5 * i / max(1, n - 1)) for i in range(n)]
        return [style.highlight if i == data.highlight else greys[i] for i in range(n)]
    return [style.palette[i % len(style.palette)] for i in range(n)]


@dataclass
class Labels:
    """Value labels for one series, with or without units, and the note that replaces the units."""

    texts: list[list[str]]  # [series][row]
    note: str | None = None

    def width(self, style: ChartStyle, size: float, bold: bool) -> float:
        return max((style.width(t, size, bold) for s in self.texts for t in s if t), default=0.0)


def value_labels(data: ChartData, with_units: bool) -> Labels:
    """Labels as the article writes them ("1000余条"); without units when `with_units` is false
    and every value shares one unit — then the unit moves to a "单位：条" note."""
    units = {data.unit(s, r) for s in range(len(data.series)) for r in range(len(data.categories))}
    units.discard("")
    if with_units or len(units) != 1:
        return Labels([[data.label(s, r) for r in range(len(data.categories))] for s in range(len(data.series))])
    texts = [[v.text if v is not None else "" for v in s.values] for s in data.series]
    return Labels(texts, f"单位：{units.pop()}")


def nice_ticks(lo: float, hi: float, target: int = 4) -> list[float]:
    """Round tick values covering [lo, hi] (steps 1, 2, 2.5, 5 × 10^k), about `target` of them."""
    if hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / max(1, target)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step + 1e-9) * step
    ticks = []
    v = start
    while v < hi + step * 0.999:
        ticks.append(round(v, 10))
        v += step
    return ticks


def tick_text(style: ChartStyle, v: float) -> str:
    return format_number(v, thousands=style.thousands).replace("-", "−" if style.regular.has("−") else "-")


def legend_rows(style: ChartStyle, names: Sequence[str], width: float) -> list[list[int]]:
    size = style.size
    rows: list[list[int]] = []
    used = 0.0
    for i, name in enumerate(names):
        w = size * 1.3 + style.width(name, size)
        if rows and used + size * 1.2 + w <= width:
            rows[-1].append(i)
            used += size * 1.2 + w
        else:
            rows.append([i])
            used = w
    return rows


def legend_height(style: ChartStyle, names: Sequence[str], width: float) -> float:
    return len(legend_rows(style, names, width)) * style.size * 1.45 + style.size * 0.4


def draw_legend(p: Painter, names: Sequence[str], colors: Sequence[str], x0: float, y_top: float,
                width: float) -> None:
    style = p.style
    size = style.size
    y = y_top - size * 0.75
    for row in legend_rows(style, names, width):
        x = x0
        for i in row:
            p.rect(x, y - size * 0.4, size * 0.8, size * 0.8, colors[i])
            p.text_mid(x + size * 1.3, y, names[i], size=size)
            x += size * 1.3 + style.width(names[i], size) + size * 1.2
        y -= size * 1.45


def axis_label_width(style: ChartStyle, ticks: Sequence[float]) -> float:
    return max(style.width(tick_text(style, t), style.size) for t in ticks) + style.size * 0.5
