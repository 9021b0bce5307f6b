"""Total-fit line breaking for Chinese paragraphs (Knuth–Plass, as Typst's `linebreak.rs` does it).

Every allowed break is a candidate; dynamic programming picks the set of breaks with the least
total demerits over the whole paragraph. A line's badness comes from how far its gaps must
move away from their natural width — stretch (slack spread evenly over every justification
point: Han–Latin gaps, word spaces and gaps between characters; never between the letters of a
word) or shrink (punctuation blanks and Han–Latin gaps compressed in proportion). So where a break is prohibited (a line may not start with ，), pulling a
character back onto the line and pushing one forward are simply two candidate layouts, and the
one that keeps spacing most even wins — no fixed rule decides.

Where a full-width mark ending a line sits is one policy (`Prepared.end_extra`, from the style's
`punctuation.line_end`): by default its blank half lies past the measure and its ink is flush
with the edge on every line (clreq §3.1.6). A break at a hyphenation point adds the hyphen.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from itertools import compress, repeat
from operator import is_not

from paiban.cjk.chars import url_break_between
from paiban.cjk.items import URL_PENALTY, Prepared

#: Stretch per Han–Latin gap / word space (em) that counts as ratio 1.
SPACE_STRETCH_UNIT = 0.25
#: Stretch per character gap (em) that counts as ratio 1.
CHAR_STRETCH_UNIT = 0.1
#: Lines looser than this ratio are not considered unless nothing else works.
MAX_RATIO = 2.5
#: Ratio of a non-final line holding one glyph that cannot fill the measure.
LONE_GLYPH_RATIO = 100.0
#: Ratio of a line of several glyphs with no justification point (a long Latin word or URL alone).
UNJUSTIFIABLE_RATIO = 10.0
#: Slack (em) a ragged line can have at ratio 1.
RAGGED_UNIT = 3.0
#: Penalty for a break forced inside a run that is longer than a whole line.
EMERGENCY_PENALTY = 1000.0
#: The last line of a paragraph keeps at least this many characters (punctuation not counted).
MIN_LAST_LINE = 2

EPS = 1e-9


class CJKLayoutWarning(UserWarning):
    """A paragraph could not be set without breaking a rule (an over-long run, a missing glyph)."""


@dataclass(frozen=True)
class Line:
    """Glyphs [start, end) of a prepared paragraph set as one line."""

    start: int
    end: int
    indent: float = 0.0  # em of blank before the first glyph (first-line indent)
    last: bool = False  # the paragraph's last line: not justified
    trim: float = 0.0  # blank half of an opening mark starting the line, set outside the measure


def break_lines(p: Prepared, measure: float, *, start: int = 0, stop: int | None = None,
                indent: float = 0.0, justify: bool = True, trim_open: bool = False,
                diagnostics: list[str] | None = None, warn: bool = True, looseness: int = 0) -> list[Line]:
    """Break glyphs [start, stop) of `p` into lines `measure` em wide; the first gets `indent`.

    `trim_open`: an opening mark that starts a line (not after the first-line indent) is set
    half width, its blank half outside the measure, so the ink of every line starts flush.

    `stop` defaults to the paragraph's end; a smaller `stop` (the head of a paragraph split
    across columns) makes every line a justified, non-final line. Problems that force a rule to
    be broken (a run longer than the line) are appended to `diagnostics` and, unless `warn` is
    false (the caller reports them itself, with the place in the spec), issued as
    CJKLayoutWarning.

    `looseness` (TeX's \\looseness): set the glyphs in that many lines more (or fewer) than the
    best breaks take, if that can be done with every line within the ratio limit; else the best
    breaks. The page make-up asks for it to fill a column foot or gain the line a heading needs.
    """
    n = p.n if stop is None else stop
    if start >= n:
        return []
    para_end = n == p.n
    notes: list[str] = []
    brk, cands = _relax_overlong(p, measure, start, n, indent, notes)
    inf = float("inf")
    # Relax step by step: first only well-spaced lines; then any spacing; then give up the
    # last-line rule rather than leave a line that cannot be justified at all; then anything.
    breaks = None
    for rmax, last_rule, allow_lone in ((MAX_RATIO, True, False), (inf, True, False), (inf, False, False),
                                        (inf, False, True)):
        breaks = _optimal(p, brk, cands, measure, start, indent, justify, para_end, rmax, last_rule, allow_lone,
                          trim_open)
        if breaks is not None:
            break
    if looseness and breaks is not None and rmax == MAX_RATIO:
        breaks = _loosened(p, brk, cands, measure, start, indent, justify, para_end, trim_open, breaks,
                           len(breaks) + looseness) or breaks
    if breaks is None:  # cannot happen once over-long runs are relaxed; stay safe anyway
        breaks = _greedy(p, brk, cands, measure, start, indent)
        notes.append("no break sequence fits the measure; set greedily")
    for msg in notes if warn else ():
        warnings.warn(msg, CJKLayoutWarning, stacklevel=3)
    if diagnostics is not None:
        diagnostics.extend(notes)
    lines = []
    s = start
    for b in breaks:
        ind = indent if s == start else 0.0
        trim = p.left_blank[s] if trim_open and not ind else 0.0
        lines.append(Line(s, b + 1, ind, para_end and b == n - 1, trim))
        s = b + 1
    return lines


#: A paragraph set a line longer keeps its character gaps within this ratio (0.12 em), tighter
#: than the limit of a paragraph's best breaks: a loosened paragraph must not read as spaced out.
LOOSE_RATIO = 1.2
#: Per-line costs tried (in turn, smallest first) to reach a looseness's number of lines.
LINE_COSTS = (3e2, 1e3, 3e3, 1e4, 3e4, 1e5, 3e5, 1e6, 3e6, 1e7)


def _loosened(p: Prepared, brk: list[float | None], cands: list[int], M: float, start: int, indent: float,
              justify: bool, para_end: bool, trim_open: bool, natural: list[int], target: int) -> list[int] | None:
    """The least-demerit breaks into `target` lines, every line within `LOOSE_RATIO`, or None.

    A cost added to every line (a reward, to gain lines) trades demerits for lines: the number
    of lines moves monotonically with it, so the smallest cost that reaches the target gives
    the evenest spacing at that count (a Lagrangian relaxation of TeX's looseness search)."""
    if target < 1:
        return None
    sign = -1.0 if target > len(natural) else 1.0
    for cost in LINE_COSTS:
        out = _optimal(p, brk, cands, M, start, indent, justify, para_end, LOOSE_RATIO, True, False, trim_open,
                       line_cost=sign * cost)
        if out is None:
            return None
        if len(out) == target:
            return out
        if (len(out) - target) * sign < 0:
            return None  # past the target: that count has no breaks of its own
    return None


def _optimal(p: Prepared, brk: list[float | None], cands: list[int], M: float, start: int,
             indent: float, justify: bool, para_end: bool, rmax: float, last_rule: bool,
             allow_lone: bool = True, trim_open: bool = False, line_cost: float = 0.0) -> list[int] | None:
    """Least-demerit breaks (glyph index ending each line), or None when none qualifies.
    `line_cost` is added for every line (negative: lines are rewarded).

    Lines are scored from prefix sums only; the candidate starts for a line ending at a break
    are found by bisection (lines too loose to be acceptable are never looked at) and scanned
    backwards until the line gets too long to shrink into the measure.
    """
    pw, ps, gw, ex = p.prefix_width, p.prefix_shrink, p.gap_width, p.end_extra
    pa, pb, pc = p.prefix_space_gaps, p.prefix_char_gaps, p.prefix_content_chars
    n = cands[-1] + 1
    m = len(cands)
    inf = float("inf")
    # Index 0 stands for the paragraph's start, index j+1 for the line after cands[j].
    starts = [start, *(c + 1 for c in cands[:-1])]
    if trim_open:
        lb = p.left_blank
        spw = [pw[s] + lb[s] for s in starts]
        if indent:
            spw[0] -= lb[start]
    else:
        spw = [pw[s] for s in starts]
    spw[0] -= indent  # the first line carries the indent: as if it started earlier
    sps = [ps[s] for s in starts]
    spa = [pa[s] for s in starts]
    spb = [pb[s] for s in starts]
    tot = [0.0] + [inf] * m
    prev = [-1] * (m + 1)
    # the loosest line worth considering: every character gap stretched to the ratio limit
    loose = M if rmax == inf else M * (rmax * CHAR_STRETCH_UNIT) / (1 + rmax * CHAR_STRETCH_UNIT)
    a_unit, b_unit = SPACE_STRETCH_UNIT, CHAR_STRETCH_UNIT
    top = -1  # the last start index whose line to the current break is not too loose
    for k in range(m):
        b = cands[k]
        last = para_end and b == n - 1
        end_w = pw[b + 1] - gw[b] + ex[b]
        if last or k == m - 1:
            jhi = k
        else:
            # ends only grow, so the bound on starts only moves forward
            limit = end_w - M + loose
            while top < k and spw[top + 1] <= limit:
                top += 1
            jhi = top
        pen = 0.0 if last else (brk[b] or 0.0)
        psb, pab, pbb = ps[b], pa[b], pb[b]
        base = M - end_w
        best = inf
        best_j = -1
        for jj in range(jhi, -1, -1):
            d = base + spw[jj]
            shrink = psb - sps[jj]
            if d < -shrink - EPS:
                break  # too long; lines starting further back are longer still
            tj = tot[jj]
            if tj == inf:
                continue
            if d >= 0:
                if last:
                    bad = 0.0
                elif not justify:
                    r = d / RAGGED_UNIT
                    bad = 100.0 * r * r * r
                else:
                    na = pab - spa[jj]
                    nb = pbb - spb[jj]
                    if d <= EPS:
                        r = 0.0
                    elif na or nb:
                        # the slack is spread evenly over every justification point
                        r = d / (na * a_unit + nb * b_unit)
                    elif b > starts[jj] and rmax == inf:
                        # nowhere to put the slack (a URL or a long word alone on the line): the
                        # line is left short rather than letter-spaced, when nothing better fits
                        r = UNJUSTIFIABLE_RATIO + d  # the fuller the better
                    elif allow_lone:
                        r = LONE_GLYPH_RATIO
                    else:
                        continue  # one glyph that cannot fill the line
                    if r > rmax:
                        continue
                    bad = 100.0 * r * r * r
            else:
                rest = -d
                if rest <= EPS or shrink <= EPS:
                    bad = 0.0
                else:
                    r = rest / shrink
                    bad = 100.0 * r * r * r
            if last and last_rule and jj and pc[b + 1] - pc[starts[jj]] < MIN_LAST_LINE:
                continue  # never a lone character on the last line: pull one down
            c = 1.0 + bad + pen
            c = tj + c * c + line_cost
            if c < best:
                best = c
                best_j = jj
        tot[k + 1] = best
        prev[k + 1] = best_j
    if tot[m] == inf:
        return None
    out = []
    k = m
    while k > 0:
        out.append(cands[k - 1])
        k = prev[k]
    out.reverse()
    return out


def _greedy(p: Prepared, brk: list[float | None], cands: list[int], M: float, start: int,
            indent: float) -> list[int]:
    """First-fit: the longest line that fits, else the shortest possible one."""
    out = []
    s = start
    ind = indent
    ci = 0
    while ci < len(cands):
        chosen = None
        while ci < len(cands):
            b = cands[ci]
            w = _min_width(p, s, b, ind)
            if w > M + EPS and chosen is not None:
                break
            chosen = ci
            ci += 1
            if w > M + EPS:
                break
        out.append(cands[chosen])
        s = cands[chosen] + 1
        ind = 0.0
        ci = chosen + 1
    return out


def _relax_overlong(p: Prepared, M: float, start: int, n: int, indent: float,
                    notes: list[str]) -> tuple[list[float | None], list[int]]:
    """Open breaks inside runs that cannot fit on any line; returns the break penalties and the
    candidate breaks (every allowed one, and the last glyph).

    First after / . - _ ? & = (as in a URL); a piece still longer than the line then breaks
    anywhere rather than overflow the column, with a warning.
    """
    brk = p.break_penalty
    cands = list(compress(range(start, n - 1), map(is_not, brk[start:n - 1], repeat(None))))
    cands.append(n - 1)
    # the narrowest each unbreakable run [a, b] can be set (all in one pass: usually none is too long)
    pw, gw, ps, ex = p.prefix_width, p.gap_width, p.prefix_shrink, p.end_extra
    starts = [start, *(b + 1 for b in cands[:-1])]
    widths = [pw[b + 1] - gw[b] - pw[a] - (ps[b] - ps[a]) + ex[b] for a, b in zip(starts, cands, strict=True)]
    widths[0] += indent
    if max(widths) <= M + EPS:
        return brk, cands
    brk = list(brk)
    for a, b, w in zip(starts, cands, widths, strict=True):
        if w > M + EPS:
            _open_chunk(p, brk, a, b, M, indent if a == start else 0.0, notes)
    return brk, [i for i in range(start, n - 1) if brk[i] is not None] + [n - 1]


def _min_width(p: Prepared, a: int, b: int, indent: float) -> float:
    """Glyphs [a, b] set as tightly as they may be (every gap shrunk, the line end as its policy says)."""
    pw, ps = p.prefix_width, p.prefix_shrink
    return pw[b + 1] - p.gap_width[b] - pw[a] + indent - (ps[b] - ps[a]) + p.end_extra[b]


def _open_chunk(p: Prepared, brk: list[float | None], a: int, b: int, M: float, indent: float,
                notes: list[str]) -> None:
    chars = p.chars
    for g in range(a, b):
        if url_break_between(chars[g], chars[g + 1]) and brk[g] is None:
            brk[g] = URL_PENALTY
    x = a
    while x <= b:
        y = x
        while y < b and brk[y] is None:
            y += 1
        ind = indent if x == a else 0.0
        if _min_width(p, x, y, ind) > M + EPS:
            for g in range(x, y):
                brk[g] = EMERGENCY_PENALTY
            piece = "".join(chars[x:y + 1])
            if len(piece) > 24:  # enough to find it in the source; a whole run can be pages long
                piece = piece[:20] + "…"
            notes.append(f"“{piece}” (offset {p.source[x]}) is longer than the line "
                         f"({M:.1f} em); it is broken where no rule allows a break")
        x = y + 1
