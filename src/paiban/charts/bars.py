"""Bar charts: vertical (bar, grouped, stacked) and horizontal (hbar).

Newspaper rules: values written at the bars (so no value axis unless asked), category names in
full and wrapped rather than rotated, one highlighted category in colour against muted grey,
approximate values hatched and labelled with the article's own hedge (1000余).
"""

from __future__ import annotations

from paiban.charts.figdata import ChartData
from paiban.charts.geometry import luminance
from paiban.charts.painter import Box, Layout, Painter
from paiban.charts.parts import (
    Labels,
    axis_label_width,
    draw_legend,
    legend_height,
    nice_ticks,
    series_color,
    tick_text,
    value_labels,
)
from paiban.charts.style import ChartStyle
from paiban.charts.text import text_block_width, wrap
from paiban.spec.charts import FigureBlock

# ------------------------------------------------------------------ horizontal bars


def layout_hbar(data: ChartData, fig: FigureBlock, style: ChartStyle, width: float) -> Layout:
    """Names beside the bars when they fit in about a third of the width, else above each bar."""
    size, ls, bold = style.size, style.label_size, style.bold_labels
    n = len(data.categories)
    show_axis = fig.value_axis if fig.value_axis is not None else not fig.labels
    thick = size * 1.35  # bar thickness

    labels = value_labels(data, True) if fig.labels else Labels([[""] * n])
    if fig.labels and labels.width(style, ls, bold) > width * 0.3:
        labels = value_labels(data, False)
    room = (labels.width(style, ls, bold) + ls * 0.5) if fig.labels else size * 0.5

    # Names beside the bars only when each fits on one line in 40% of the width: a Chinese name
    # broken mid-word (乡镇挂职干 / 部包村定责) reads worse than a name set whole above its bar.
    wrapped = [[c] if "\n" not in c else c.split("\n") for c in data.categories]
    name_w = max(text_block_width(style, w, size) for w in wrapped)
    side = (name_w <= width * 0.4 and max(len(w) for w in wrapped) <= 2
            and width - name_w - size * 0.6 - room >= width * 0.38)
    if side:
        x_bars = name_w + size * 0.6
        pitch = max(thick, max(len(w) for w in wrapped) * size * 1.2) + size * 0.85
    else:
        wrapped = [wrap(style, c, width, size) for c in data.categories]
        x_bars = 0.0
        pitch = max(len(w) for w in wrapped) * size * 1.22 + size * 0.3 + thick + size * 0.75
    axis_h = size * 1.9 if show_axis else 0.0
    height = n * pitch + size * 0.3 + axis_h

    def draw(p: Painter, box: Box) -> None:
        x0, y0, x1, y1 = box
        vals = [v.number if v is not None else 0.0 for v in data.series[0].values]
        lo, hi = min(0.0, *vals), max(0.0, *vals)
        ticks = nice_ticks(lo, hi) if show_axis else []
        if ticks:
            lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])
        bx0, bx1 = x0 + x_bars, x1 - room
        scale = (bx1 - bx0) / (hi - lo or 1.0)

        def X(v: float) -> float:
            return bx0 + (v - lo) * scale

        rows_top = y1 - size * 0.3
        row_pitch = (rows_top - (y0 + axis_h)) / n
        for i in range(n):
            top = rows_top - i * row_pitch
            v = data.series[0].values[i]
            color = series_color(style, data, i)
            if side:
                yc = top - row_pitch / 2
                lines = wrapped[i]
                block_h = len(lines) * size * 1.2
                p.lines(x0 + x_bars - size * 0.6, yc + block_h / 2 - size * 0.08, lines, size=size, ha="right",
                        leading=1.2)
            else:
                lines = wrapped[i]
                p.lines(x0, top - size * 0.15, lines, size=size, leading=1.22)
                yc = top - len(lines) * size * 1.22 - size * 0.3 - thick / 2
            if v is None:
                continue
            p.rect(X(0), yc - thick / 2, X(v.number) - X(0), thick, color, approx=v.approx)
            if fig.labels:
                label = labels.texts[0][i]
                tx = X(max(v.number, 0)) + ls * 0.35
                hi_color = style.highlight if data.highlight == i else None
                p.text_mid(tx, yc, label, size=ls, bold=bold, color=hi_color)
        base_top = rows_top
        if side or lo < 0:  # above-bar names start at the baseline: a rule there would touch them
            p.polyline([X(0), X(0)], [y0 + axis_h, base_top], style.axis, 0.7)
        if ticks:
            ya = y0 + axis_h
            for t in ticks:
                if t != 0:
                    p.polyline([X(t), X(t)], [ya, base_top], style.grid, 0.5)
                p.text(X(t), ya - size * 1.15, tick_text(style, t), size=size, ha="center", color=style.axis)

    return Layout(height, draw, [labels.note] if labels.note else [])


# ------------------------------------------------------------------ vertical bars


def layout_bar(data: ChartData, fig: FigureBlock, style: ChartStyle, width: float) -> Layout:
    """bar (one series; several columns make it grouped), grouped, and stacked."""
    size, ls, bold = style.size, style.label_size, style.bold_labels
    n, k = len(data.categories), len(data.series)
    kind = "stacked" if data.kind == "stacked" else ("grouped" if k > 1 else "bar")
    names = [s.name for s in data.series]
    legend = fig.legend if fig.legend is not None else k > 1
    leg_h = legend_height(style, names, width) if legend else 0.0

    labels = value_labels(data, True) if fig.labels else Labels([[""] * n for _ in range(k)])
    show_axis = fig.value_axis
    if show_axis is None:
        show_axis = not fig.labels

    def bar_width(plot_w: float) -> float:
        slot = plot_w / n
        if kind == "grouped":
            return min(slot * 0.8 / k, size * 3.2)
        return min(slot * 0.58, size * 5.5)

    # Value labels must fit over their bar (grouped) or their slot (bar): drop units, else the axis.
    if fig.labels and kind != "stacked":
        def fits(lb: Labels) -> bool:
            limit = bar_width(width) * 1.15 if kind == "grouped" else width / n * 0.95
            return lb.width(style, ls, bold) <= limit
        if not fits(labels):
            labels = value_labels(data, False)
            if not fits(labels):
                labels = Labels([[""] * n for _ in range(k)])
                show_axis = True if fig.value_axis is None else fig.value_axis
    has_labels = any(t for s in labels.texts for t in s)

    ticks_guess = nice_ticks(*_range(data, kind)) if show_axis else []
    axis_w = axis_label_width(style, ticks_guess) if show_axis else 0.0
    slot = (width - axis_w) / n
    cat_lines = [wrap(style, c, slot * 0.94, size) for c in data.categories]
    cat_h = max(len(c) for c in cat_lines) * size * 1.2 + size * 0.45
    top_h = (ls * 1.45 if has_labels and kind != "stacked" else size * 0.6)
    plot_h = min(max(width * 0.42, 70.0), 190.0)
    height = leg_h + top_h + plot_h + cat_h

    def draw(p: Painter, box: Box) -> None:
        x0, y0, x1, y1 = box
        lo, hi = _range(data, kind)
        ticks = nice_ticks(lo, hi) if show_axis else []
        if ticks:
            lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])
        if legend:
            colors = [style.palette[s % len(style.palette)] for s in range(k)]
            draw_legend(p, names, colors, x0 + axis_w, y1, x1 - x0 - axis_w)
        py0, py1 = y0 + cat_h, y1 - leg_h - top_h
        px0, px1 = x0 + axis_w, x1
        # labels under negative bars need room above the category names
        neg_room = ls * 1.5 if has_labels and lo < 0 and not ticks else 0.0
        scale = (py1 - py0 - neg_room) / (hi - lo or 1.0)

        def Y(v: float) -> float:
            return py0 + neg_room + (v - lo) * scale

        for t in ticks:
            if t != 0:
                p.polyline([px0, px1], [Y(t), Y(t)], style.grid, 0.5)
            p.text_mid(px0 - size * 0.4, Y(t), tick_text(style, t), size=size, ha="right", color=style.axis)
        sl = (px1 - px0) / n
        bw = bar_width(px1 - px0)
        for i in range(n):
            cx = px0 + sl * (i + 0.5)
            p.lines(cx, py0 - size * 0.35, cat_lines[i], size=size, ha="center", leading=1.2)
            if kind == "stacked":
                _stack(p, data, i, cx, bw, Y, fig.labels)
                continue
            for s in range(k):
                v = data.series[s].values[i]
                if v is None:
                    continue
                bx = cx - bw * k / 2 + s * bw if kind == "grouped" else cx - bw / 2
                inner = bw * (0.9 if kind == "grouped" else 1.0)
                p.rect(bx + (bw - inner) / 2, Y(0), inner, Y(v.number) - Y(0), series_color(style, data, i, s),
                       approx=v.approx)
                label = labels.texts[s][i]
                if label:
                    hi_color = style.highlight if data.highlight == i and k == 1 else None
                    ly = Y(max(v.number, 0)) + ls * 0.35 if v.number >= 0 else Y(v.number) - ls * 1.1
                    p.text(bx + bw / 2, ly, label, size=ls, bold=bold, ha="center", color=hi_color)
        p.polyline([px0, px1], [Y(0), Y(0)], style.axis, 0.8)

    return Layout(height, draw, [labels.note] if labels.note and has_labels else [])


def _stack(p: Painter, data: ChartData, i: int, cx: float, bw: float, Y, labels: bool) -> None:  # noqa: ANN001
    """One stacked column, bottom-up; a segment's value is written inside when it fits."""
    style = p.style
    ls = style.label_size
    base = 0.0
    for s, series in enumerate(data.series):
        v = series.values[i]
        if v is None or v.number == 0:
            continue
        color = style.palette[s % len(style.palette)]
        p.rect(cx - bw / 2, Y(base), bw, Y(base + v.number) - Y(base), color, approx=v.approx)
        if labels:
            text = v.text
            h = Y(base + v.number) - Y(base)
            if h >= ls * 1.3 and style.width(text, ls, style.bold_labels) <= bw - 2:
                ink = "#ffffff" if luminance(color) < 0.55 and not v.approx else style.text
                p.text_mid(cx, (Y(base) + Y(base + v.number)) / 2, text, size=ls, bold=style.bold_labels,
                           ha="center", color=ink)
        base += v.number


def _range(data: ChartData, kind: str) -> tuple[float, float]:
    if kind == "stacked":
        totals = [sum(s.values[i].number for s in data.series if s.values[i] is not None)
                  for i in range(len(data.categories))]
        return 0.0, max(totals + [0.0])
    vals = [v.number for s in data.series for v in s.values if v is not None]
    return min(0.0, *vals), max(0.0, *vals)
