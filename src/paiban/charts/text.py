"""Measuring and breaking the short labels of charts, table cells and facts boxes.

Labels are a few words, so a greedy breaker is enough; what matters is to break only between
words (垃圾, 普及率 stay whole), never inside a number or between a number and its unit ("2307.02",
"10,200", "2018年") and not to start or end a line where clreq forbids it: the units come from
the one display-text breaker, paiban.cjk.display.
"""

from __future__ import annotations

from collections.abc import Sequence

from paiban.charts.style import ChartStyle
from paiban.cjk.display import units


def tokens(text: str) -> list[str]:
    """Breakable units: words (jieba), a number with its unit (2018年, 10元), Latin runs whole,
    never a break where clreq forbids one — the display-text breaker of paiban.cjk.display."""
    return units(text)


def wrap(style: ChartStyle, text: str, max_width: float, size: float, bold: bool = False) -> list[str]:
    """Break a short label into lines no wider than `max_width` (unless one token is).

    Greedy filling keeps words whole more often than not (革命传统 / 教育), but when it leaves a
    lone character on the last line (党员学习教育全覆 / 盖) the lines are balanced instead: as
    many lines, as even as possible (党员学习 / 教育全覆盖). A newline in the label always breaks."""
    if "\n" in text:
        return [ln for part in text.split("\n") for ln in wrap(style, part, max_width, size, bold)]
    if style.width(text, size, bold) <= max_width:
        return [text]
    toks = tokens(text)
    lines = _greedy(style, toks, max_width, size, bold)
    if len(lines) < 2 or len(lines[-1]) > 1:
        return lines
    lo, hi = max_width / len(lines), max_width
    best = lines
    for _ in range(12):  # narrowest width that still needs no more lines
        mid = (lo + hi) / 2
        trial = _greedy(style, toks, mid, size, bold)
        if len(trial) <= len(lines):
            best, hi = trial, mid
        else:
            lo = mid
    return best


def _greedy(style: ChartStyle, toks: Sequence[str], max_width: float, size: float, bold: bool) -> list[str]:
    lines: list[str] = []
    line = ""
    for tok in toks:
        cand = line + tok
        if line and style.width(cand.rstrip(), size, bold) > max_width:
            lines.append(line.rstrip())
            line = tok.lstrip()
        else:
            line = cand
    if line:
        lines.append(line.rstrip())
    return lines


def text_block_width(style: ChartStyle, lines: Sequence[str], size: float, bold: bool = False) -> float:
    return max((style.width(ln, size, bold) for ln in lines), default=0.0)
