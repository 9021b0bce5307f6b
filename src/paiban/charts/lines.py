"""Line charts: a light value grid, series named at their line ends instead of in a legend.

With one short series every point is labelled; with several (or many points) only the last value
of each line is, next to its name, and names are nudged apart so they never overprint.
"""

from __future__ import annotations

from paiban.charts.figdata import ChartData
from paiban.charts.painter import Box, Layout, Painter
from paiban.charts.parts import axis_label_width, nice_ticks, tick_text, value_labels
from paiban.charts.style import ChartStyle
from paiban.charts.text import wrap
from paiban.spec.charts import FigureBlock


def layout_line(data: ChartData, fig: FigureBlock, style: ChartStyle, width: float) -> Layout:
    size, ls, bold = style.size, style.label_size, style.bold_labels
    n, k = len(data.categories), len(data.series)
    every_point = fig.labels and k == 1 and n <= 8
    labels = value_labels(data, True)
    if every_point and labels.width(style, ls, bold) > width / max(n, 1) * 0.95:
        labels = value_labels(data, False)
    show_axis = (not every_point) if fig.value_axis is None else fig.value_axis
    vals = [v.number for s in data.series for v in s.values if v is not None]
    lo, hi = min(vals), max(vals)
    if lo >= 0 and lo < (hi - lo) * 0.6:
        lo = 0.0
    else:  # not zero-based: keep the lowest point off the bottom line
        lo -= (hi - lo) * 0.12 or abs(lo) * 0.1 or 1.0
    ticks = nice_ticks(lo, hi)
    axis_w = axis_label_width(style, ticks) if show_axis else size * 0.5

    def end_text(s: int) -> str:
        last = _last(data, s)
        parts = [data.series[s].name] if k > 1 else []
        if fig.labels and not every_point and last is not None:
            parts.append(labels.texts[s][last])
        return " ".join(parts)

    end_w = max((style.width(end_text(s), ls, bold) for s in range(k)), default=0.0)
    right = max((end_w + size * 0.6) if end_w else size * 0.8, style.width(data.categories[-1], size) / 2)
    # the first point sits clear of the axis labels, and its category label inside the frame
    inset = max(size * 1.2, style.width(data.categories[0], size) / 2 - axis_w)
    first = data.series[0].values
    if every_point and len(first) > 1 and first[0] is not None and first[1] is not None \
            and first[1].number > first[0].number:  # its label goes up-left of the first point
        inset = max(inset, style.width(labels.texts[0][0], ls, bold) + ls * 0.3 - axis_w)
    plot_w = width - axis_w - right - inset
    step = plot_w / max(n - 1, 1)
    every = 1
    while every < n and max(style.width(c, size) for c in data.categories[::every]) > step * every * 0.92:
        every += 1
    cat_lines = [wrap(style, c, max(step * every * 0.92, size * 2), size) for c in data.categories]
    cat_h = max(len(c) for c in cat_lines) * size * 1.2 + size * 0.7
    top_h = ls * 1.5
    height = top_h + min(max(width * 0.42, 70.0), 180.0) + cat_h

    def draw(p: Painter, box: Box) -> None:
        x0, y0, x1, y1 = box
        t_lo, t_hi = min(lo, ticks[0]), max(hi, ticks[-1])
        py0, py1 = y0 + cat_h, y1 - top_h
        ax0, px0, px1 = x0 + axis_w, x0 + axis_w + inset, x1 - right
        scale = (py1 - py0) / (t_hi - t_lo or 1.0)

        def Y(v: float) -> float:
            return py0 + (v - t_lo) * scale

        def X(i: int) -> float:
            return px0 + (px1 - px0) * (i / max(n - 1, 1) if n > 1 else 0.5)

        if show_axis:
            for t in ticks:
                p.polyline([ax0, px1], [Y(t), Y(t)], style.grid if t != ticks[0] else style.axis,
                           0.5 if t != ticks[0] else 0.8)
                p.text_mid(ax0 - size * 0.4, Y(t), tick_text(style, t), size=size, ha="right", color=style.axis)
        else:
            p.polyline([ax0, px1], [py0, py0], style.axis, 0.8)
        for i in range(0, n, every):
            p.lines(X(i), py0 - size * 0.45, cat_lines[i], size=size, ha="center", leading=1.2)
        ends: list[tuple[float, int]] = []
        for s, series in enumerate(data.series):
            color = style.palette[s % len(style.palette)]
            run_x: list[float] = []
            run_y: list[float] = []
            for i, v in enumerate(series.values):
                if v is None:
                    if len(run_x) > 1:
                        p.polyline(run_x, run_y, color, 1.6)
                    run_x, run_y = [], []
                    continue
                run_x.append(X(i))
                run_y.append(Y(v.number))
            if len(run_x) > 1:
                p.polyline(run_x, run_y, color, 1.6)
            for i, v in enumerate(series.values):
                if v is None:
                    continue
                if v.approx:  # hollow: the point is only approximately there
                    p.circle(X(i), Y(v.number), 2.1, "#ffffff", edge=color, lw=1.0)
                else:
                    p.circle(X(i), Y(v.number), 2.1, color)
                if every_point:
                    x, y, ha = _label_spot(series.values, i, X, Y, ls)
                    p.text(x, y, labels.texts[s][i], size=ls, bold=bold, ha=ha,
                           color=style.highlight if data.highlight == i else None)
            last = _last(data, s)
            if last is not None:
                ends.append((Y(series.values[last].number), s))  # type: ignore[union-attr]
        # names at the line ends, spread so they do not overprint
        ends.sort()
        placed: list[float] = []
        for y, _s in ends:
            placed.append(max(y, placed[-1] + ls * 1.2) if placed else y)
        for (_, s), y in zip(ends, placed, strict=True):
            text = end_text(s)
            if text:
                p.text_mid(px1 + size * 0.5, y, text, size=ls, bold=bold,
                           color=style.palette[s % len(style.palette)] if k > 1 else None)

    return Layout(height, draw, [labels.note] if labels.note and fig.labels else [], approx_key="hollow")


def _last(data: ChartData, s: int) -> int | None:
    vals = data.series[s].values
    for i in range(len(vals) - 1, -1, -1):
        if vals[i] is not None:
            return i
    return None


def _label_spot(values, i: int, X, Y, ls: float) -> tuple[float, float, str]:  # noqa: ANN001
    """Where a point's label goes so the line does not run through it: above a peak, below a
    valley, and on the side the line leaves free where it passes through rising or falling."""
    here = values[i].number
    prev = values[i - 1].number if i > 0 and values[i - 1] is not None else None
    nxt = values[i + 1].number if i + 1 < len(values) and values[i + 1] is not None else None
    x, y = X(i), Y(here)
    up_after = nxt is not None and nxt > here
    up_before = prev is not None and prev < here
    if (prev is None or prev > here) and (nxt is None or nxt > here) and (prev is not None or nxt is not None):
        if prev is None:  # first point, line rising away to the right: label up and to the left
            return x - ls * 0.3, y + ls * 0.45, "right"
        if nxt is None:
            return x, y - ls * 1.25, "center"
        return x, y - ls * 1.25, "center"  # a valley: below
    if up_before and up_after:  # rising through: the line holds lower-left and upper-right
        return x - ls * 0.3, y + ls * 0.45, "right"
    if prev is not None and nxt is not None and prev > here > nxt:  # falling through
        return x + ls * 0.3, y + ls * 0.45, "left"
    return x, y + ls * 0.6, "center"  # a peak, or an end the line reaches from below
