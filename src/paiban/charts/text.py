"""Measuring and breaking the short labels of charts and facts boxes.

Labels are a few words, so a greedy breaker is enough; what matters is not to break inside a
number ("2307.02", "10,200") and not to start or end a line where clreq forbids it (the
prohibition table of paiban.cjk.chars).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from paiban.charts.style import ChartStyle
from paiban.cjk.chars import no_break_after, no_break_before

_TOKEN = re.compile(r"[A-Za-z0-9.,%＋+\-/·:']+|\s+|.", re.S)


def tokens(text: str) -> list[str]:
    """Breakable units: Latin/digit runs stay whole, and no unit starts where a line may not
    (a closing mark, a stop, a middle dot sticks to what precedes it) nor follows one that may
    not end a line (an opening mark sticks to what follows it): cjk.chars' prohibition table."""
    out: list[str] = []
    for t in _TOKEN.findall(text):
        if out and (no_break_before(t[0]) or no_break_after(out[-1][-1])):
            out[-1] += t
        else:
            out.append(t)
    if len(out) > 1 and all(map(no_break_after, out[-1])):  # a label ending in an opening mark
        out[-2:] = [out[-2] + out[-1]]
    return out


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
