"""The text object of a paragraph: PDF operators for glyphs the layout has already placed.

The layout (`paiban.layout.paragraph`) decides where every glyph goes; this module only says so
in PDF, as compactly as the positions allow. A paragraph is one text object: one `Td` per line
(the step down from the line before, the same few bytes line after line, which deflate all but
erases: 1 KB of the default briefing against a `Tm` with each line's own position)
and, within a line, TJ arrays whose numbers move a glyph only where it does not sit where the
previous glyph's advance plus the line's character spacing (`Tc`) put it — in a justified Chinese
line that is mostly at Han–Latin gaps and compressed marks — so the PDF stays small, draws fast,
and its text extracts in reading order, character for character.

Glyphs are written as their fonts' codes (`paiban.pdf.codes`: four hex digits each for a face
paiban embeds, two for a one-byte subset of ReportLab's); a new TJ array starts where the font
resource, the colour or the render mode changes, and around a glyph drawn with horizontal
scaling.
"""

from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, compress, count
from operator import ne
from typing import NamedTuple

from reportlab.pdfbase import pdfmetrics

from paiban.pdf.codes import subset_codes

RGB = tuple[float, float, float]


class GlyphLine(NamedTuple):
    """One line of a text object: glyphs [start, end) on the baseline at `y` (pt).

    `shifts[q]`: how far (pt) glyph q of the line (q = index − start) sits right of where the
    previous glyph's advance plus `char_space` left the text position; for q = 0, right of the
    line's left edge. A glyph without an entry sits exactly there.
    """

    y: float
    start: int
    end: int
    char_space: float  # Tc (pt), the even stretch every glyph is followed by
    shifts: Mapping[int, float]
    spaces: frozenset[int] | set[int] = frozenset()  # line positions followed by a space (code 32)
    tail: str = ""  # drawn right after the last glyph, in its font (the hyphen at a hyphenation point)


@dataclass(frozen=True)
class TextObject:
    """A paragraph's glyphs as the PDF writer needs them; glyph indices run from 0.

    fonts: (ReportLab font name, number of glyphs) for each stretch of glyphs set in one face.
    run / colors: the colour of each glyph is colors[run[glyph]].
    stroke: per glyph, the line width (pt) of fake bold (text drawn filled and stroked), 0 for
    filled only; None when no glyph is stroked.
    scaled: glyph → (x of its origin (pt), horizontal scale), for glyphs drawn scaled.
    hidden: glyphs not drawn at all (the caller draws a placeholder box instead), ascending.
    dots / dot_radius: centres (x, y, colour) of the emphasis dots, drawn after the text.
    """

    size: float
    chars: Sequence[str]
    fonts: Sequence[tuple[str, int]]
    run: Sequence[int]
    colors: Sequence[RGB]
    lines: Sequence[GlyphLine]
    stroke: Sequence[float] | None = None
    scaled: Mapping[int, tuple[float, float]] = field(default_factory=dict)
    hidden: Sequence[int] = ()
    dots: Sequence[tuple[float, float, RGB]] = ()
    dot_radius: float = 0.0


def _number(v: float) -> str:
    """A length or colour component as PDF content writes it: at most 3 decimals, no trailing 0."""
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def write_text(canv, text: TextObject) -> None:
    """Add the paragraph's text object (and its emphasis dots) to the page drawn on `canv`."""
    if not text.lines:
        return
    doc = canv._doc
    size = text.size
    end = len(text.chars)

    # Fill/stroke colour operator per run; equal colours share one string object: `is` compares.
    colours: dict[RGB, str] = {}
    run_op = []
    for rgb in text.colors:
        op = colours.get(rgb)
        if op is None:
            c = " ".join(_number(v) for v in rgb)
            op = colours[rgb] = f"{c} rg {c} RG"
        run_op.append(op)

    # Font resource name and code of every glyph (see pdf.codes): where the face (or, in a
    # font of one-byte subsets, its subset) changes, the font resource changes.
    chars, run_of = text.chars, text.run
    size_s = _number(size)
    tf_ops: dict[str, str] = {}  # resource name → its Tf operator, one string object each: `is` compares
    piece_at: list[int] = []  # glyph index where each run of one font resource starts
    tf_at: dict[int, str] = {}  # … → the Tf operator of that resource
    hx: list[str] = []  # each glyph's code as hex digits: pieces are joined slices
    k = 0
    for font, length in text.fonts:
        m = k + length
        enc = subset_codes(doc, font)
        got = enc.codes(chars[k:m])
        hx += map(enc.hex, got)
        subsets = [0] * len(got) if enc.wide else [c >> 8 for c in got]
        # resource names asked in the order the text is drawn: the first numbers the font
        ops = {}
        for sub in dict.fromkeys(subsets):
            name = enc.name(sub)
            ops[sub] = tf_ops.get(name) or tf_ops.setdefault(name, f"{name} {size_s} Tf")
        at = [0, *compress(count(1), map(ne, subsets[1:], subsets))]
        starts = [k + i for i in at]
        piece_at += starts
        tf_at.update(zip(starts, map(ops.__getitem__, map(subsets.__getitem__, at)), strict=True))
        k = m
    fonts_from = list(accumulate((length for _, length in text.fonts[:-1]), initial=0))
    font_name = {at: font for at, (font, _) in zip(fonts_from, text.fonts, strict=True)}

    # Text render mode: "" (fill) or the fill+stroke operators of fake bold.
    stroke = text.stroke
    modes: dict[float, str] = {}

    def mode(k: int) -> str:
        w = stroke[k]
        if not w:
            return ""
        op = modes.get(w)
        if op is None:
            op = modes[w] = f"2 Tr {_number(w)} w"
        return op

    # A new TJ array starts where the font resource or the run (colour, render mode) changes,
    # and around a glyph drawn with horizontal scaling (a dash of a —— pair).
    run_at = list(compress(count(1), map(ne, run_of[1:end], run_of[:end - 1])))
    scaled_at = text.scaled
    scaled = sorted(scaled_at)
    cut_at = sorted({*piece_at[1:], *run_at, *scaled, *(k + 1 for k in scaled)})
    lost = list(text.hidden)
    if lost:  # a glyph not drawn is a segment of its own
        cut_at = sorted({*cut_at, *lost, *(k + 1 for k in lost)})
    out = ["q", "BT"]
    line_at: int | None = 0  # the line matrix's y in thousandths of a point while its x is 0 (BT: 0, 0)
    cur_tf = cur_col = None
    cur_fake = ""
    cur_tc = 0.0
    k1000 = 1000.0 / size
    space_hex: dict[int, str] = {}  # font stretch start → the code of a space in that font

    def space_after(g: int) -> str:
        at = fonts_from[bisect_right(fonts_from, g) - 1]
        code = space_hex.get(at)
        if code is None:
            enc = subset_codes(doc, font_name[at])
            code = space_hex[at] = enc.hex(enc.codes(" ")[0])
        return code
    for ln in text.lines:
        s, e = ln.start, ln.end
        y_s = f"{ln.y:.3f}"
        y_at = int(y_s.replace(".", ""))  # exactly the position the 3 decimals say
        if line_at is None:
            out.append(f"1 0 0 1 0 {y_s} Tm")
        else:
            out.append(f"0 {_thousandths(y_at - line_at)} Td")
        line_at = y_at
        # Character spacing carries the even inter-character stretch of a justified line, so
        # most glyphs need no position number of their own.
        tc = ln.char_space
        if tc != cur_tc:
            out.append(f"{tc:.3f} Tc")
            cur_tc = tc
        line_lost = lost[bisect_left(lost, s):bisect_left(lost, e)] if lost else ()
        adj, spaces = ln.shifts, ln.spaces
        keys = sorted(adj)
        nk = len(keys)
        ki = 0
        # glyph q of the line (q = k - s) is hx[s + q]
        if spaces:
            hxl = hx[s:e]
        bounds = cut_at[bisect_left(cut_at, s + 1):bisect_left(cut_at, e)]
        bounds.append(e)
        k = s
        for b in bounds:
            a, k = k - s, b  # the segment: glyphs [s + a, b); k moves on to the next one's start
            g = s + a
            if line_lost:
                if b - g == 1 and g in line_lost:
                    # not drawn (a placeholder box stands there): an invisible space that carries
                    # the character as ActualText, so copy-paste and search get it in its place
                    font = font_name[fonts_from[bisect_right(fonts_from, g) - 1]]
                    enc = subset_codes(doc, font)
                    (code,) = enc.codes(" ")
                    name = enc.name(enc.subset(code))
                    tf = tf_ops.get(name) or tf_ops.setdefault(name, f"{name} {size_s} Tf")
                    if tf is not cur_tf:
                        cur_tf = tf
                        out.append(tf)
                    back = (pdfmetrics.getFont(font).stringWidth(" ", size) + tc) * k1000
                    actual = chars[g].encode("utf-16-be").hex().upper()
                    out.append(f"/Span <</ActualText <FEFF{actual}>>> BDC [<{enc.hex(code)}> {back:.2f}] TJ EMC")
                    continue
                tf = tf_at[piece_at[bisect_right(piece_at, g) - 1]]
            else:
                tf = tf_at.get(g, cur_tf)  # a segment not starting a resource continues the last one
            if tf is not cur_tf:
                cur_tf = tf
                out.append(tf)
            col = run_op[run_of[g]]
            if col is not cur_col:
                cur_col = col
                out.append(col)
            if stroke is not None:
                fake = mode(g)
                if fake is not cur_fake:
                    cur_fake = fake
                    out.append(fake or "0 Tr")
            qb = b - s
            while ki < nk and keys[ki] < a:
                ki += 1  # numbers of a glyph not drawn in a TJ array (placeholder, scaled dash)
            if g in scaled_at:
                origin, hscale = scaled_at[g]
                piece = _hex_piece(hxl, a, a + 1, spaces, s, space_after) if spaces else hx[s + a]
                out.append(f"{_number(hscale * 100)} Tz 1 0 0 1 {origin:.3f} {y_s} Tm <{piece}> Tj 100 Tz")
                line_at = None  # the line matrix now starts at the glyph: the next line says where it is
                continue
            if ki == nk or keys[ki] >= qb:
                # no glyph inside needs a number: one text piece
                if spaces:
                    out.append("[<" + _hex_piece(hxl, a, qb, spaces, s, space_after) + ">] TJ")
                else:
                    out.append("[<" + "".join(hx[s + a:s + qb]) + ">] TJ")
                continue
            # the TJ array: text pieces between the glyphs that need a number of their own
            items = []
            q0 = a
            while ki < nk and keys[ki] < qb:
                q = keys[ki]
                ki += 1
                if q > q0:
                    items.append("<" + (_hex_piece(hxl, q0, q, spaces, s, space_after) if spaces
                                        else "".join(hx[s + q0:s + q])) + ">")
                d = adj[q]
                if d > 0.0005 or d < -0.0005:
                    items.append(f"{-d * k1000:.2f}")
                q0 = q
            items.append("<" + (_hex_piece(hxl, q0, qb, spaces, s, space_after) if spaces
                                else "".join(hx[s + q0:s + qb])) + ">")
            out.append("[" + " ".join(items) + "] TJ")
        if ln.tail:
            # in the last glyph's font, touching it: undo the Tc that followed the last glyph
            font = fonts_from[bisect_right(fonts_from, e - 1) - 1]
            enc = subset_codes(doc, font_name[font])
            tcodes = enc.codes(ln.tail)
            for sub in dict.fromkeys(map(enc.subset, tcodes)):
                name = enc.name(sub)
                tf = tf_ops.get(name) or tf_ops.setdefault(name, f"{name} {size_s} Tf")
            if tf is not cur_tf:
                cur_tf = tf
                out.append(tf)
            back = f"{tc * k1000:.2f} " if tc else ""
            out.append(f"[{back}<{''.join(map(enc.hex, tcodes))}>] TJ")
    out.append("ET")
    if cur_tc:
        out.append("0 Tc")
    if cur_fake:
        out.append("0 Tr")
    if text.dots:
        out.append(_dots(text.dots, text.dot_radius))
    out.append("Q")
    canv.addLiteral("\n".join(out))


def add_links(canv, links: Iterable[tuple[str, tuple[float, float, float, float]]]) -> None:
    """A link annotation (no border) for each (URL, rectangle x0, y0, x1, y1 in pt, in the current
    coordinates).

    On a canvas that holds its pages (`DeferredCanvas.later`) the annotation is made when the page
    is written, at the rectangle's page position taken now: a page laid out more than once (the
    last page, balanced) rolls back what it had queued with the rest of its state, whereas an
    annotation made at once is a named object of the document that no rollback removes (and the
    canvas's annotation count, rolled back, would name the next one the same: a crash).
    """
    for url, rect in links:
        if getattr(canv, "dry_run", False):
            return  # a trial layout: nothing it draws is kept
        later = getattr(canv, "later", None)
        if later is None:
            canv.linkURL(url, rect, relative=1, thickness=0)
            continue
        x0, y0, x1, y1 = rect
        corners = [canv.absolutePosition(x, y) for x, y in ((x0, y0), (x1, y1), (x0, y1), (x1, y0))]
        box = (min(c[0] for c in corners), min(c[1] for c in corners),
               max(c[0] for c in corners), max(c[1] for c in corners))
        later(functools.partial(_link, url=url, box=box))


def _link(canv, *, url: str, box: tuple[float, float, float, float]) -> None:
    canv.linkURL(url, box, relative=0, thickness=0)


def _thousandths(n: int) -> str:
    """n / 1000 written exactly, without trailing zeros (−15200 → '-15.2')."""
    sign, n = ("-", -n) if n < 0 else ("", n)
    whole, part = divmod(n, 1000)
    return f"{sign}{whole}.{part:03d}".rstrip("0").rstrip(".") if part else f"{sign}{whole}"


def _hex_piece(hx: Sequence[str], i: int, j: int, spaces: set[int] | frozenset[int], start: int,
               space_after: Callable[[int], str]) -> str:
    """Glyphs [i, j) of a line (`hx`: its glyphs' codes as hex digits; `start`: the index of
    its first glyph in the paragraph) as a PDF hex string body, with a space in the glyph's font
    (`space_after`, given the glyph's paragraph index) after each glyph whose position is in
    `spaces`."""
    if not any(i <= x < j for x in spaces):
        return "".join(hx[i:j])
    out = []
    for n in range(i, j):
        out.append(hx[n])
        if n in spaces:
            out.append(space_after(start + n))
    return "".join(out)


def _dots(dots: Sequence[tuple[float, float, RGB]], r: float) -> str:
    """Filled circles of radius `r` (four Bézier quarters) at the given centres."""
    k = 0.5523 * r
    ops = []
    cur = None
    for x, cy, rgb in dots:
        if rgb != cur:
            ops.append(" ".join(_number(v) for v in rgb) + " rg")
            cur = rgb
        ops.append(
            f"{_number(x + r)} {_number(cy)} m "
            f"{_number(x + r)} {_number(cy + k)} {_number(x + k)} {_number(cy + r)} {_number(x)} {_number(cy + r)} c "
            f"{_number(x - k)} {_number(cy + r)} {_number(x - r)} {_number(cy + k)} {_number(x - r)} {_number(cy)} c "
            f"{_number(x - r)} {_number(cy - k)} {_number(x - k)} {_number(cy - r)} {_number(x)} {_number(cy - r)} c "
            f"{_number(x + k)} {_number(cy - r)} {_number(x + r)} {_number(cy - k)} {_number(x + r)} {_number(cy)} c f"
        )
    return "\n".join(ops)
