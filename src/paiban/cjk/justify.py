"""Place the glyphs of one line: justification, punctuation compression, alignment.

Positions follow the same arithmetic the breaker used to score the line, so a line the breaker
accepted always fills the measure exactly:

* slack goes first into Han–Latin gaps and word spaces (up to an eighth of an em each), then
  evenly into every gap between characters on the Han grid; letters inside a Latin word and
  digits inside a number stay tight;
* a line that is too long first lets a closing mark at its end hang its blank half, then
  shrinks punctuation blanks and Han–Latin gaps in proportion to what each may give;
* two marks side by side keep their compressed 1.5 em: justification never widens a pair.

An opening mark at a line start keeps its full width (clreq allows both; full width is the
mainland book convention and matches the paragraph's first line, where “ follows the 2-em
indent at full width), so the left edge of a column is consistent.
"""

from __future__ import annotations

from dataclasses import dataclass

from paiban.cjk.items import STRETCH_CHAR, STRETCH_SPACE, Prepared
from paiban.cjk.linebreak import SPACE_STRETCH_FIRST, Line


@dataclass(frozen=True)
class Placed:
    """A line's glyph boxes: x[k] is the left edge of glyph start+k, in em from the line start."""

    line: Line
    x: tuple[float, ...]
    width: float  # right edge of the last glyph's (possibly compressed) box
    end_hang: float  # how much of the last glyph's box lies past `width` (its blank half)
    offset: float  # alignment shift already included in x (centre/right)
    char_space: float = 0.0  # the stretch every gap between characters got (em): most gaps' width
    gaps: tuple[float, ...] = ()  # the width each gap between the line's glyphs got (em)
    # every gap that is not "special" (see Prepared.special_gaps) got exactly `char_space` more than
    # its natural width: false when a line had to be letter-spaced
    uniform: bool = True


def place_line(p: Prepared, line: Line, measure: float, align: str = "justify") -> Placed:
    s, e = line.start, line.end
    b = e - 1
    gw, gclass, gshrink = p.gap_width, p.gap_class, p.gap_shrink
    natural = p.prefix_width[e] - p.gap_width[b] - p.prefix_width[s] + line.indent - line.trim
    d = measure - natural
    gaps = list(gw[s:b])
    end_hang = 0.0
    offset = 0.0
    each_b = 0.0
    uniform = True
    if d < 0:
        need = -d
        end_hang = min(need, p.right_blank[b])
        rest = need - end_hang
        total = p.prefix_shrink[b] - p.prefix_shrink[s]
        if rest > 0 and total > 0:
            f = min(1.0, rest / total)
            for k in range(len(gaps)):
                gaps[k] -= gshrink[s + k] * f
    elif align == "justify" and not line.last and d > 0:
        na = p.prefix_space_gaps[b] - p.prefix_space_gaps[s]
        nb = p.prefix_char_gaps[b] - p.prefix_char_gaps[s]
        if na and (d <= na * SPACE_STRETCH_FIRST or not nb):
            each_a, each_b = d / na, 0.0
        elif nb:
            each_a = SPACE_STRETCH_FIRST if na else 0.0
            each_b = (d - na * each_a) / nb
        else:
            each_a = each_b = 0.0
            if gaps:  # a URL or a long word alone on the line: letter-space it
                each = d / len(gaps)
                gaps = [g + each for g in gaps]
                uniform = False
        if each_a or each_b:
            for k in range(len(gaps)):
                c = gclass[s + k]
                if c == STRETCH_SPACE:
                    gaps[k] += each_a
                elif c == STRETCH_CHAR:
                    gaps[k] += each_b
    elif d > 0 and align == "right":
        offset = d
    elif d > 0 and align == "center":
        offset = d / 2
    adv = p.box_width
    x = offset + line.indent - line.trim
    xs = []
    for k in range(s, e):
        xs.append(x)
        x += adv[k]
        if k < b:
            x += gaps[k - s]
    return Placed(line, tuple(xs), x - end_hang, end_hang, offset, each_b, tuple(gaps), uniform)
