"""The notes under a chart (单位：万元 …) and the key to approximate values, packed into rows."""

from __future__ import annotations

from collections.abc import Sequence

from paiban.charts.painter import Painter
from paiban.charts.style import ChartStyle
from paiban.charts.text import wrap


def note_height(style: ChartStyle, notes: Sequence[str], approx: str | None, width: float) -> float:
    n = len(note_rows(style, notes, approx, width))
    return 0.0 if n == 0 else style.note_size * (0.6 + 1.35 * n)


def approx_note(style: ChartStyle, approx: str | None) -> str:
    """The key's words: the theme's (斜纹为约数) for hatching; for points, the same with 空心点."""
    if approx == "hollow" and style.approx_note.startswith("斜纹"):
        return "空心点" + style.approx_note[2:]
    return style.approx_note


def note_rows(style: ChartStyle, notes: Sequence[str], approx: str | None, width: float) -> list[list[str]]:
    """Notes (单位：万元 …) and the approximate-value key, packed into as few rows as fit the width."""
    items = list(notes)
    if approx and style.approx_note:
        # \x00 marks the key, drawn with a swatch: \x01 hatched, \x02 a hollow point
        items.append("\x00" + ("\x02" if approx == "hollow" else "\x01") + approx_note(style, approx))
    rows: list[list[str]] = []
    used = 0.0
    gap = style.note_size * 1.5
    items = [piece for item in items for piece in _fit_note(style, item, width)]
    for item in items:
        w = _note_width(style, item)
        if rows and used + gap + w <= width:
            rows[-1].append(item)
            used += gap + w
        else:
            rows.append([item])
            used = w
    return rows


def _fit_note(style: ChartStyle, item: str, width: float) -> list[str]:
    """A note wider than the chart, broken into lines that fit (each then takes a row)."""
    if _note_width(style, item) <= width:
        return [item]
    if item.startswith("\x00"):
        swatch = style.note_size * 1.9
        lines = wrap(style, item[2:], max(width - swatch, style.note_size * 2), style.note_size)
        return [item[:2] + lines[0], *lines[1:]]
    return wrap(style, item, width, style.note_size)


def _note_width(style: ChartStyle, item: str) -> float:
    size = style.note_size
    if item.startswith("\x00"):
        return size * 1.9 + style.width(item[2:], size)
    return style.width(item, size)


def draw_notes(p: Painter, notes: Sequence[str], approx: str | None, x0: float, y_top: float,
               width: float) -> None:
    style = p.style
    size = style.note_size
    y = y_top - size * 0.6
    for row in note_rows(style, notes, approx, width):
        x = x0
        yc = y - size * 0.5
        for item in row:
            if item.startswith("\x00"):
                if item[1] == "\x02":
                    p.circle(x + size * 0.7, yc, 2.1, "#ffffff", edge=style.palette[0], lw=1.0)
                else:
                    p.rect(x, yc - size * 0.42, size * 1.4, size * 0.84, style.palette[0], approx=True)
                p.text_mid(x + size * 1.9, yc, item[2:], size=size, color=style.axis)
            else:
                p.text_mid(x, yc, item, size=size, color=style.axis)
            x += _note_width(style, item) + size * 1.5
        y -= size * 1.35
