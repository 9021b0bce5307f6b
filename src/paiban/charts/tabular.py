"""A small three-line table (三线表), for numbers that share no axis (头, 只, 箱 in one list).

The Chinese print convention: a heavy rule above and below, a thin rule under the header, no
vertical rules; text columns left-aligned, number columns right-aligned so digits line up.
"""

from __future__ import annotations

from paiban.charts.figdata import ChartData
from paiban.charts.painter import Box, Layout, Painter
from paiban.charts.style import ChartStyle
from paiban.charts.text import tokens, wrap
from paiban.spec.charts import FigureBlock


def min_table_width(data: ChartData, style: ChartStyle) -> float:
    """The narrowest width the table can be read at: the first column as wide as its longest word
    (it wraps between words only), the others as wide as their widest cell, with the gaps. A table
    wider than its column is set across the page rather than broken inside words."""
    size = style.size
    ncol = len(data.header)
    pad = size * 1.2
    first = max([size * 4] + [style.width(t.strip(), size, c == 0) for c, cell in
                               enumerate([data.header[0], *(r[0] for r in data.cells)]) for t in tokens(str(cell))])
    others = sum(max([style.width(data.header[c], size, True)] + [style.width(r[c], size) for r in data.cells])
                 for c in range(1, ncol))
    return first + others + pad * (ncol - 1)


def layout_table(data: ChartData, fig: FigureBlock, style: ChartStyle, width: float) -> Layout:
    size = style.size
    ncol = len(data.header)
    pad = size * 1.2
    natural = [max([style.width(data.header[c], size, True)] + [style.width(r[c], size) for r in data.cells])
               for c in range(ncol)]
    # The first column gives way (wraps) when the table is wider than the frame.
    others = sum(natural[1:]) + pad * (ncol - 1)
    first_w = max(min(natural[0], width - others), size * 4)
    head_lines = [wrap(style, h, first_w if c == 0 else max(natural[c], size * 3), size, True)
                  for c, h in enumerate(data.header)]
    cell_lines = [[wrap(style, r[c], first_w, size) if c == 0 else [r[c]] for c in range(ncol)] for r in data.cells]
    line = size * 1.25
    head_h = max(len(h) for h in head_lines) * line + size * 0.7
    row_h = [max(len(c) for c in row) * line + size * 0.6 for row in cell_lines]
    height = head_h + sum(row_h) + size * 0.5

    def draw(p: Painter, box: Box) -> None:
        x0, y0, x1, y1 = box
        w = x1 - x0
        # Spread the number columns evenly over the width left by the first column.
        rights: list[float] = []
        rest = w - first_w
        for c in range(1, ncol):
            rights.append(x0 + first_w + rest * c / (ncol - 1))
        top = y1 - size * 0.2
        p.polyline([x0, x1], [top, top], style.text, 0.9)
        y = top - size * 0.35
        for c in range(ncol):
            x, ha = (x0, "left") if c == 0 or not data.numeric[c] else (rights[c - 1], "right")
            if c > 0 and not data.numeric[c]:
                x = rights[c - 1] - natural[c]
            p.lines(x, y, head_lines[c], size=size, bold=True, ha=ha)
        y = top - head_h
        p.polyline([x0, x1], [y, y], style.text, 0.45)
        for r, row in enumerate(cell_lines):
            hi = data.highlight == r
            color = style.highlight if hi else None
            yt = y - size * 0.3
            for c in range(ncol):
                if c == 0 or not data.numeric[c]:
                    x = x0 if c == 0 else rights[c - 1] - natural[c]
                    p.lines(x, yt, row[c], size=size, bold=hi, color=color)
                else:
                    p.lines(rights[c - 1], yt, row[c], size=size, bold=hi, color=color, ha="right")
            y -= row_h[r]
        p.polyline([x0, x1], [y, y], style.text, 0.9)

    return Layout(height, draw, [], approx_key=None)
