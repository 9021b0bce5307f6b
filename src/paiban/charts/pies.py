"""Pie and donut charts with a key beside them instead of labels around them.

In a 55 mm column there is no room for leader lines and long Chinese names around a circle
without collisions, so each slice is named in a list at the right (swatch, name, the article's
value). Shares are not computed: the article gives counts, and a derived percentage would be a
number the text never stated.
"""

from __future__ import annotations

from paiban.charts.figdata import ChartData
from paiban.charts.painter import Box, Layout, Painter
from paiban.charts.parts import slice_colors, value_labels
from paiban.charts.style import ChartStyle
from paiban.charts.text import wrap
from paiban.spec.charts import FigureBlock


def layout_pie(data: ChartData, fig: FigureBlock, style: ChartStyle, width: float) -> Layout:
    size, ls, bold = style.size, style.label_size, style.bold_labels
    diameter = min(width * 0.44, 120.0)
    gap = size * 1.2
    list_x = diameter + gap
    list_w = width - list_x - size * 1.4  # after the swatch
    labels = value_labels(data, True)
    entries: list[tuple[list[str], str, bool]] = []  # name lines, value, value on its own line
    for i, name in enumerate(data.categories):
        value = labels.texts[0][i] if fig.labels else ""
        one = style.width(name + "  ", size) + (style.width(value, ls, bold) if value else 0.0)
        if one <= list_w:
            entries.append(([name], value, False))
        else:
            entries.append((wrap(style, name, list_w, size), value, bool(value)))
    line = size * 1.3
    entry_h = [len(e[0]) * line + (line if e[2] else 0) + size * 0.45 for e in entries]
    height = max(diameter + size * 0.6, sum(entry_h) + size * 0.4)
    center_lines = wrap(style, fig.center, diameter * 0.5, size * 1.05, bold=True) if fig.center else []

    def draw(p: Painter, box: Box) -> None:
        x0, y0, x1, y1 = box
        avail_h = y1 - y0
        r = min(diameter, avail_h - size * 0.6) / 2
        cx, cy = x0 + r, y0 + avail_h / 2
        inner = r * 0.56 if data.kind == "donut" else 0.0
        values = [v.number if v is not None else 0.0 for v in data.series[0].values]
        total = sum(values) or 1.0
        colors = slice_colors(style, data)
        start = 90.0
        for i, v in enumerate(data.series[0].values):
            if v is None or v.number <= 0:
                continue
            sweep = 360.0 * v.number / total
            p.wedge(cx, cy, r, start - sweep, start, colors[i], inner=inner, approx=v.approx)
            start -= sweep
        if center_lines:
            lead = 1.2
            h = len(center_lines) * size * 1.05 * lead
            p.lines(cx, cy + h / 2 - size * 0.1, center_lines, size=size * 1.05, bold=True, ha="center", leading=lead)
        # the key, vertically centred on the circle
        total_h = sum(entry_h)
        y = cy + total_h / 2
        lx = x0 + list_x
        for i, (name_lines, value, own_line) in enumerate(entries):
            v = data.series[0].values[i]
            yc = y - line / 2
            p.rect(lx, yc - size * 0.42, size * 0.84, size * 0.84, colors[i], approx=bool(v and v.approx))
            tx = lx + size * 1.4
            hi = style.highlight if data.highlight == i else None
            for j, ln in enumerate(name_lines):
                p.text_mid(tx, yc - j * line, ln, size=size)
            if value:
                if own_line:
                    p.text_mid(tx, yc - len(name_lines) * line, value, size=ls, bold=bold, color=hi)
                else:
                    nx = tx + style.width(name_lines[0] + "  ", size)
                    p.text_mid(nx, yc, value, size=ls, bold=bold, color=hi)
            y -= entry_h[i]

    return Layout(height, draw, [])
