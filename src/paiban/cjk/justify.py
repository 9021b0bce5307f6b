"""Place the glyphs of one line: justification, punctuation compression, alignment.

Positions follow the same arithmetic the breaker used to score the line, so a line the breaker
accepted always fills the measure exactly:

* slack goes evenly into every justification point — Han–Latin gaps, word spaces, gaps between
  characters on the Han grid — so a Han–Latin gap stays near its quarter em; letters inside a
  Latin word, digits inside a number and the gap between a word and its closing mark stay tight,
  and a line with no justification point (a long word alone) is left short, never letter-spaced;
* a line that is too long shrinks punctuation blanks and Han–Latin gaps in proportion to what
  each may give; a closing mark at its end sits as the line-end policy says (`end_trim`);
* two marks side by side keep their compressed 1.5 em: justification never widens a pair.

An opening mark at a line start keeps its full width (clreq allows both; full width is the
mainland book convention and matches the paragraph's first line, where “ follows the 2-em
indent at full width), so the left edge of a column is consistent.
"""

from __future__ import annotations

from dataclasses import dataclass

from paiban.cjk.items import Prepared
from paiban.cjk.linebreak import Line


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
    hyphen: bool = False  # the line ends at a hyphenation point: a hyphen is drawn after its last glyph


def place_line(p: Prepared, line: Line, measure: float, align: str = "justify") -> Placed:
    s, e = line.start, line.end
    b = e - 1
    gw, gclass, gshrink = p.gap_width, p.gap_class, p.gap_shrink
    end_hang = p.end_trim[b] if p.end_trim else 0.0
    extra = p.end_extra[b] if p.end_extra and not line.last else -end_hang
    natural = p.prefix_width[e] - p.gap_width[b] - p.prefix_width[s] + line.indent - line.trim + extra
    d = measure - natural
    gaps = list(gw[s:b])
    offset = 0.0
    each = 0.0
    uniform = True
    if d < 0:
        total = p.prefix_shrink[b] - p.prefix_shrink[s]
        if total > 0:
            f = min(1.0, -d / total)
            for k in range(len(gaps)):
                gaps[k] -= gshrink[s + k] * f
    elif align == "justify" and not line.last and d > 0:
        na = p.prefix_space_gaps[b] - p.prefix_space_gaps[s]
        nb = p.prefix_char_gaps[b] - p.prefix_char_gaps[s]
        if na or nb:
            # evenly over every justification point: a Han–Latin gap never takes the slack first
            each = d / (na + nb)
            for k in range(len(gaps)):
                if gclass[s + k]:  # STRETCH_SPACE or STRETCH_CHAR
                    gaps[k] += each
        # else: a long word or URL alone on the line is left short, never letter-spaced
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
    hyphen = p.hyphen[b] if p.hyphen and not line.last else False
    if hyphen:
        x += p.end_extra[b] + end_hang  # the hyphen drawn after the last glyph
    return Placed(line, tuple(xs), x - end_hang, end_hang, offset, each,
                  tuple(gaps), uniform, hyphen)
