"""CJKParagraph: a ReportLab flowable that sets Chinese text per clreq with paiban's text engine.

ReportLab keeps doing what it is good at — pages, frames, KeepTogether, keepWithNext — while
the line breaking, justification, punctuation compression and Han–Latin spacing come from
`paiban.cjk`. Drawing works out where every glyph goes (in pt: each line's baseline and
character spacing, the shifts of glyphs that do not sit where the previous one's advance left
them) and hands that to `paiban.pdf.text`, which writes one text object per paragraph.

Baseline grid: a paragraph is exactly `lines × leading` tall, and each line's baseline sits
`baseline_offset(style)` below the top of its line box — the ideographic em box centred in
the line box: `(leading − size) / 2 + 0.88 × size`. Paragraphs stacked in a frame (with
spaces that are multiples of the leading) therefore keep every baseline on one grid.
"""

from __future__ import annotations

import warnings
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import groupby

from reportlab.platypus import Flowable

from paiban import memo
from paiban.cjk.display import keep_words_whole
from paiban.cjk.face import FaceLike
from paiban.cjk.items import Prepared, Spacing, prepare
from paiban.cjk.justify import Placed, place_line
from paiban.cjk.linebreak import CJKLayoutWarning, Line
from paiban.cjk.markup import parse_markup
from paiban.layout.breakcache import break_paragraph
from paiban.pdf.codes import subset_codes
from paiban.pdf.text import GlyphLine, TextObject, add_links, write_text

ALIGNS = ("justify", "left", "center", "right")
EMPHASES = ("dots", "bold", "color")
LINE_ENDS = ("half", "full", "hang")
#: Top of the ideographic em box above the baseline, in em (CJK fonts: 880/1000).
IDEOGRAPHIC_ASCENT = 0.88
#: What a watch session keeps of its paragraphs (`paiban.memo`), in glyphs: measured paragraphs,
#: their line layouts, their text objects as written.
MEMO_GLYPHS = 400_000


@dataclass(frozen=True)
class ParaStyle:
    """How a paragraph is set. Lengths in pt unless named `_em`.

    faces: the style's font first, then fallbacks, tried per character.
    bold_faces: faces for **bold** (and emphasis='bold'); when empty, bold is drawn by
    stroking the regular glyphs (fake bold).
    """

    faces: tuple[FaceLike, ...]
    size: float = 9.5
    leading: float | None = None  # default 1.7 × size
    bold_faces: tuple[FaceLike, ...] = ()
    first_indent: float | None = None  # default 2 em
    align: str = "justify"
    color: str = "#000000"
    emphasis: str = "dots"  # 着重号 under each Han character; or 'bold', or 'color'
    emphasis_color: str = "#b3120f"
    link_color: str = "#1f4e9c"
    han_latin: float = 0.25  # em
    han_latin_min: float = 0.125  # em
    han_space: float = 0.5  # em, for a space typed between two Han characters
    fullwidth_quotes: bool = True
    open_at_line_start: str = "full"  # or "half": an opening mark starting a line hangs its blank
    line_end: str = "half"  # where a mark ending a line sits: half, full or hang (Spacing.line_end)
    hyphenate: str | None = "en"  # pyphen language of Latin words in justified text; None: never
    whole_words: bool = False  # display text: break inside a word only when no word fits (cjk.display)
    space_before: float = 0.0
    space_after: float = 0.0
    keep_with_next: bool = False
    orphans: int = 2  # fewest lines left at the foot of a column when a paragraph splits
    widows: int = 2  # fewest lines carried to the head of the next column

    def __post_init__(self) -> None:
        if not self.faces:
            raise ValueError("ParaStyle needs at least one face")
        if self.align not in ALIGNS:
            raise ValueError(f"align must be one of {', '.join(ALIGNS)}, not {self.align!r}")
        if self.open_at_line_start not in ("full", "half"):
            raise ValueError(f"open_at_line_start must be 'full' or 'half', not {self.open_at_line_start!r}")
        if self.line_end not in LINE_ENDS:
            raise ValueError(f"line_end must be one of {', '.join(LINE_ENDS)}, not {self.line_end!r}")
        if self.emphasis not in EMPHASES:
            raise ValueError(f"emphasis must be one of {', '.join(EMPHASES)}, not {self.emphasis!r}")
        if self.size <= 0:
            raise ValueError("size must be positive")
        if self.leading is None:
            object.__setattr__(self, "leading", round(self.size * 1.7, 4))
        if self.first_indent is None:
            object.__setattr__(self, "first_indent", 2 * self.size)
        object.__setattr__(self, "faces", tuple(self.faces))
        object.__setattr__(self, "bold_faces", tuple(self.bold_faces))

    @property
    def baseline_offset(self) -> float:
        """Distance (pt) from the top of a line box down to its baseline."""
        return baseline_offset(self)

    @property
    def spacing(self) -> Spacing:
        return Spacing(han_latin=self.han_latin, han_latin_min=self.han_latin_min, han_space=self.han_space,
                       fullwidth_quotes=self.fullwidth_quotes, emph_bold=self.emphasis == "bold",
                       line_end=self.line_end, hyphenate=self.hyphenate if self.align == "justify" else None)


def baseline_offset(style: ParaStyle) -> float:
    """First baseline below the top of a paragraph (pt): the em box centred in the line box."""
    return (style.leading - style.size) / 2 + IDEOGRAPHIC_ASCENT * style.size


def _rgb(color: str) -> tuple[float, float, float]:
    c = color.lstrip("#")
    if len(c) == 3:
        c = "".join(x * 2 for x in c)
    if len(c) != 6:
        raise ValueError(f"colour {color!r} is not #rrggbb")
    return int(c[0:2], 16) / 255, int(c[2:4], 16) / 255, int(c[4:6], 16) / 255


def _parsed(text: str) -> list:
    """The markup's runs (frozen), parsed once per text in a watch session."""
    return list(memo.remembered("markup parsed", MEMO_GLYPHS, text, lambda: tuple(parse_markup(text)),
                                lambda _runs: max(1, len(text))))


def _glyphs(p: Prepared) -> int:
    """A measured paragraph's weight in the session's memo."""
    return max(1, p.n)


@dataclass
class _Layout:
    width: float
    lines: list[Line]
    placed: list[Placed]
    notes: list[str] = field(default_factory=list)
    # the memo key of the whole paragraph's layout these lines are lines[first:] of (a split
    # piece's are a slice of it), so a piece drawn again is found in the session's memo
    origin: tuple | None = None
    first: int = 0


class CJKParagraph(Flowable):
    """A paragraph of Chinese (and mixed Latin) text with inline markup, set per clreq."""

    def __init__(self, text: str, style: ParaStyle, *, report: Callable[[str], None] | None = None,
                 _prep: Prepared | None = None, _start: int = 0, _stop: int | None = None, _indent: bool = True,
                 _layouts: dict | None = None):
        """`report`: where what could not be set by the rules is told (a build passes one that
        names the place in the spec); without it, a CJKLayoutWarning is issued."""
        super().__init__()
        self.text = text
        self.style = style
        self.report = report
        # Measured when first laid out, and dropped once drawn on a finished page (`release`):
        # a document's paragraphs are not all held measured at once, so memory stays flat in
        # the page count. A piece of a split paragraph shares its parent's measured glyphs.
        self._prepared: Prepared | None = _prep
        self._runs = _parsed(text) if _prep is None else None  # a markup error: raised here
        self._told = _prep is not None  # the measuring's diagnostics were told (by the parent)
        self._start = _start
        self._stop_at = _stop
        self._indent = _indent
        self._layouts: dict[object, _Layout] = dict(_layouts or {})
        self.spaceBefore = style.space_before
        self.spaceAfter = style.space_after
        self.keepWithNext = style.keep_with_next
        self.width = 0.0
        self.height = 0.0
        self._layout: _Layout | None = None
        self.looseness = 0  # lines more (or fewer) than the best breaks take: asked by the page make-up

    @property
    def _prep(self) -> Prepared:
        """The paragraph's measured glyphs (measured again after `release`, as they were)."""
        p = self._prepared
        if p is None:
            p = self._prepared = memo.remembered("paragraph glyphs", MEMO_GLYPHS, (self.text, self.style),
                                                 self._measure, _glyphs)
            if not self._told:
                self._told = True
                for msg in p.diagnostics:
                    if self.report is not None:
                        self.report(msg)
                    else:
                        warnings.warn(msg, CJKLayoutWarning, stacklevel=3)
        return p

    def _measure(self) -> Prepared:
        runs = self._runs if self._runs is not None else _parsed(self.text)
        p = prepare(runs, self.style.faces, self.style.bold_faces, self.style.spacing)
        if self.style.whole_words:
            keep_words_whole(p)
        return p

    @property
    def _stop(self) -> int:
        return self._prep.n if self._stop_at is None else self._stop_at

    def release(self) -> None:
        """Forget the measured glyphs and line layouts: the paragraph is drawn on a page that is
        finished (`paiban.pdf.canvas.DeferredCanvas` calls this); laid out again, it measures again."""
        self._prepared = None
        self._layouts = {}
        self._layout = None

    # -- information -----------------------------------------------------------------------------
    def __repr__(self) -> str:
        return f"CJKParagraph({self._prep.text[:20]!r}…, glyphs {self._start}–{self._stop})"

    @property
    def baseline_offset(self) -> float:
        """Distance (pt) from the paragraph's top to its first baseline; then one leading per line."""
        return baseline_offset(self.style)

    @property
    def diagnostics(self) -> list[str]:
        """What could not be set without breaking a rule (missing glyphs, over-long runs)."""
        out = list(self._prep.diagnostics)
        for lay in self._layouts.values():
            out.extend(m for m in lay.notes if m not in out)
        return out

    def lines(self, width: float) -> list[str]:
        """The text of each line at `width` pt (for tests and debugging)."""
        lay = self._lay(width)
        return [self._prep.line_text(ln.start, ln.end) for ln in lay.lines]

    def placed_lines(self, width: float) -> list[Placed]:
        return self._lay(width).placed

    # -- layout ----------------------------------------------------------------------------------
    def _lay(self, width: float) -> _Layout:
        key = round(width, 4) if not self.looseness else (round(width, 4), self.looseness)
        lay = self._layouts.get(key)
        if lay is None:
            lay = self._layouts[key] = self._remembered_layout(width, key)
        return lay

    def _remembered_layout(self, width: float, key: object) -> _Layout:
        """The lines at `width`: set now, or as set for these very glyphs earlier in a watch session
        (what the breaker had to say about them is told again)."""
        t = memo.table("paragraph lines", MEMO_GLYPHS)
        if t is None:
            return self._set(width)
        origin = (self.text, self.style, key, self._start, self._stop_at, self._indent and self._start == 0)
        lay = t.get(origin)
        if lay is None:
            lay = self._set(width)
            lay.origin = origin
            t.put(origin, lay, max(1, self._stop - self._start))
        else:
            for msg in lay.notes:
                if self.report is not None:
                    self.report(msg)
                else:
                    warnings.warn(msg, CJKLayoutWarning, stacklevel=4)
        return lay

    def _set(self, width: float) -> _Layout:
        st = self.style
        measure = width / st.size
        notes: list[str] = []
        indent = st.first_indent / st.size if (self._indent and self._start == 0) else 0.0
        lines = break_paragraph(self._prep, measure, start=self._start, stop=self._stop, indent=indent,
                                justify=st.align == "justify", trim_open=st.open_at_line_start == "half",
                                diagnostics=notes, warn=self.report is None, looseness=self.looseness)
        for msg in notes if self.report is not None else ():
            self.report(msg)
        align = st.align
        placed = [place_line(self._prep, ln, measure, align) for ln in lines]
        return _Layout(width, lines, placed, notes)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        lay = self._lay(availWidth)
        self._layout = lay
        self.width = availWidth
        self.height = len(lay.lines) * self.style.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        lay = self._lay(availWidth)
        n = len(lay.lines)
        st = self.style
        fit = int((availHeight + 1e-6) // st.leading)
        if fit >= n or fit <= 0:
            return []  # (fit >= n: the frame refused us for its own reasons, e.g. space before)
        k = fit
        if n - k < st.widows:
            k = n - st.widows
        at_top = bool(getattr(getattr(self, "_frame", None), "_atTop", False))
        if k < st.orphans or k < 1:
            if not at_top:
                return []  # move the whole paragraph to the next column
            k = max(1, min(fit, n - 1))  # a column too short for the rules: keep going anyway
        head_stop = lay.lines[k].start
        head_lay = _Layout(availWidth, lay.lines[:k], lay.placed[:k], lay.notes, lay.origin, lay.first)
        tail_lay = _Layout(availWidth, lay.lines[k:], lay.placed[k:], [], lay.origin, lay.first + k)
        head = CJKParagraph(self.text, st, report=self.report, _prep=self._prep, _start=self._start,
                            _stop=head_stop, _indent=self._indent, _layouts={round(availWidth, 4): head_lay})
        tail = CJKParagraph(self.text, st, report=self.report, _prep=self._prep, _start=head_stop,
                            _stop=self._stop, _indent=False, _layouts={round(availWidth, 4): tail_lay})
        head.spaceAfter = 0
        head.keepWithNext = False
        tail.spaceBefore = 0
        tail.keepWithNext = self.keepWithNext  # a keep set on the block holds for its last piece
        return [head, tail]

    # -- drawing ---------------------------------------------------------------------------------
    def draw(self) -> None:
        canv = self.canv
        if getattr(canv, "dry_run", False):
            return  # a trial layout (column balancing) that is thrown away
        lay = self._layout or self._lay(self.width)
        drawn = memo.table("paragraph text objects", MEMO_GLYPHS) if lay.origin is not None else None
        if drawn is None:
            _draw_lines(canv, self._prep, lay.placed, self.style, self.height)
        else:
            key = (lay.origin, lay.first, len(lay.placed), self.height)
            entry = drawn.get(key)
            if entry is None:
                entry = _draw_lines(canv, self._prep, lay.placed, self.style, self.height, recording=True)
                drawn.put(key, entry, max(1, len(entry.text.chars)) if entry else 1)
            elif entry:
                entry.write(canv)
            else:  # placeholders or links: drawn each time (their places are the page's)
                _draw_lines(canv, self._prep, lay.placed, self.style, self.height)
        finished = getattr(canv, "finished_with", None)
        if finished is not None:
            finished(self)


def _sparse_shifts(p: Prepared, pl: Placed, size: float, tc: float, special: list[int],
                   spaced: list[int], space_adv: dict[int, float]) -> tuple[dict[int, float], set[int]]:
    """Glyph shifts (pt) by line position, for a line whose ordinary gaps all equal Tc.

    Only the first glyph and the glyphs after a special gap (Han–Latin gaps, word spaces,
    compressed or hanging punctuation, box/advance differences) can be off the position the
    previous glyph's advance plus Tc leaves them at; nothing else needs a shift.
    """
    s, e = pl.line.start, pl.line.end
    gaps, corr = pl.gaps, p.gap_correction
    adj = {0: (pl.x[0] + p.origin_offset[s]) * size}
    for g in special[bisect_left(special, s):bisect_left(special, e - 1)]:
        d = size * (gaps[g - s] + corr[g]) - tc
        if d > 0.0005 or d < -0.0005:
            adj[g - s + 1] = d
    spaces = set()
    for k in spaced[bisect_left(spaced, s):bisect_left(spaced, e - 1)]:
        sp = _space(p, k, size, space_adv)
        adj[k - s + 1] = size * (gaps[k - s] + corr[k]) - tc - sp - tc
        spaces.add(k - s)
    return adj, spaces


def _all_shifts(p: Prepared, pl: Placed, size: float, tc: float, spaced: list[int],
                space_adv: dict[int, float], lost) -> tuple[dict[int, float], set[int]]:
    """Shifts for every glyph of a line (letter-spaced lines, lines with placeholders)."""
    s, e = pl.line.start, pl.line.end
    corr = p.gap_correction
    delta = [(pl.x[0] + p.origin_offset[s]) * size, *(size * (g + c) - tc for g, c in zip(pl.gaps, corr[s:e - 1],
                                                                              strict=True))]
    spaces = set()
    for k in spaced[bisect_left(spaced, s):bisect_left(spaced, e - 1)]:
        delta[k - s + 1] -= _space(p, k, size, space_adv) + tc
        spaces.add(k - s)
    for k in lost:
        if k + 1 < e:  # not drawn: the next glyph moves over its box
            delta[k - s + 1] += delta[k - s] + p.font_advance[k] * size + tc
            delta[k - s] = 0.0
    return dict(enumerate(delta)), spaces


def _space(p: Prepared, k: int, size: float, cache: dict[int, float]) -> float:
    f = p.face[k]
    sp = cache.get(id(f))
    if sp is None:
        sp = cache[id(f)] = f.advance(" ") * size
    return sp


def _run_colors(p: Prepared, st: ParaStyle) -> list[tuple[float, float, float]]:
    """The colour of each run: the style's, a link's, the run's own, emphasis by colour."""
    out = []
    for r in p.runs:
        rgb = _rgb(st.color)
        if r.link is not None:
            rgb = _rgb(st.link_color)
        if r.color is not None:
            rgb = _rgb(r.color)
        if r.emph and st.emphasis == "color":
            rgb = _rgb(st.emphasis_color)
        out.append(rgb)
    return out


def _strokes(p: Prepared, st: ParaStyle, first: int, end: int) -> list[float] | None:
    """Fake-bold stroke width of each glyph in [first, end) (0: filled only), for a face marked
    fake_bold or bold text the style has no bold face for; None when nothing is stroked."""
    face_of, bold = p.face[first:end], p.bold[first:end]
    if not (any(getattr(f, "fake_bold", False) for f, _ in groupby(face_of)) or any(bold)):
        return None
    real_bold = set(map(id, st.bold_faces))
    size = st.size
    out: list[float] = []
    k = 0
    for (_, b), group in groupby(zip(map(id, face_of), bold, strict=True)):  # one face and weight each
        f = face_of[k]
        m = len(list(group))
        if getattr(f, "fake_bold", False):
            w = f.stroke_width(size)
        elif b and id(f) not in real_bold:
            w = size / 30
        else:
            w = 0.0
        out += [w] * m
        k += m
    return out


class _Written:
    """A paragraph's text object, kept by a watch session with the operators it was written as:
    written again, it asks the document for its glyphs' codes and font resource names (giving new
    characters theirs, as writing would) and, when they are what they were, adds the very same
    operators without working them out again."""

    __slots__ = ("text", "outputs")

    def __init__(self, text: TextObject):
        self.text = text
        self.outputs: dict[tuple, tuple[str, ...]] = {}  # codes and names → operators

    def write(self, canv) -> None:
        sig = _codes_and_names(canv._doc, self.text)
        out = self.outputs.get(sig)
        if out is not None:
            canv._code.extend(out)
            return
        n = len(canv._code)
        write_text(canv, self.text)
        if len(self.outputs) >= 2:  # an edit earlier in the document gave new codes: the older go
            del self.outputs[next(iter(self.outputs))]
        self.outputs[sig] = tuple(canv._code[n:])


def _codes_and_names(doc, text: TextObject) -> tuple:
    """What `write_text` asks the document for `text`, asked in its order (the first asking gives
    a character its code and a font its resource name): every stretch of one face, then each
    line's tail (a hyphen), in the face of the line's last glyph."""
    sig: list = []
    k = 0
    starts: list[int] = []
    for font, length in text.fonts:
        enc = subset_codes(doc, font)
        got = enc.codes(text.chars[k:k + length])
        sig.append(tuple(got))
        sig.append(_names(enc, got))
        starts.append(k)
        k += length
    for ln in text.lines:
        for q in sorted(ln.spaces):  # a word space is written in the font of the glyph before it
            enc = subset_codes(doc, text.fonts[bisect_right(starts, ln.start + q) - 1][0])
            sig.append(tuple(enc.codes(" ")))
        if ln.tail:
            font = text.fonts[bisect_right(starts, ln.end - 1) - 1][0]
            enc = subset_codes(doc, font)
            got = enc.codes(ln.tail)
            sig.append(tuple(got))
            sig.append(_names(enc, got))
    return tuple(sig)


def _names(enc, codes: list[int]) -> tuple[str, ...]:
    """The font resource names of the subsets of `codes`, asked in their order of first use."""
    if not codes:
        return ()
    if enc.wide or max(codes) < 256:  # one font resource, or all in the first subset
        return (enc.name(0),)
    return tuple(enc.name(sub) for sub in dict.fromkeys(map(enc.subset, codes)))


def _draw_lines(canv, p: Prepared, placed: Sequence[Placed], st: ParaStyle, height: float,
                recording: bool = False) -> _Written | bool | None:
    """Hand the placed lines to the PDF text-object writer (where each glyph goes, in pt), then
    draw the boxes of characters no face has and the link annotations.

    A line's character spacing (`Tc`) carries the even inter-character stretch of a justified
    line, so only the glyphs after special gaps get a shift of their own.

    `recording`: a watch session keeps what was written (`_Written`), unless the paragraph has
    placeholders or links, drawn where they fall on the page (then False).
    """
    if not placed:
        return False if recording else None
    size = st.size
    leading = st.leading
    top = height - baseline_offset(st)
    first, end = placed[0].line.start, placed[-1].line.end
    colors = _run_colors(p, st)
    face_of, chars, missing, xoff, hscale = p.face, p.chars, p.missing, p.origin_offset, p.horizontal_scale
    special, spaced = p.special_gaps, p.spaced_gaps
    scaled = [k for k in p.scaled_glyphs if first <= k < end]
    lost = [k for k in range(first, end) if missing[k]] if any(missing[first:end]) else []
    placeholders: list[tuple[str, float, float, FaceLike]] = []
    scaled_at: dict[int, tuple[float, float]] = {}
    space_adv: dict[int, float] = {}
    lines = []
    for li, pl in enumerate(placed):
        s, e = pl.line.start, pl.line.end
        y = top - li * leading
        tc = round(pl.char_space * size, 3)
        line_lost = lost[bisect_left(lost, s):bisect_left(lost, e)] if lost else ()
        if pl.uniform and not line_lost:
            adj, spaces = _sparse_shifts(p, pl, size, tc, special, spaced, space_adv)
        else:
            adj, spaces = _all_shifts(p, pl, size, tc, spaced, space_adv, line_lost)
            for k in line_lost:
                placeholders.append((chars[k], pl.x[k - s] * size, y, face_of[k]))
        if e < p.n and p.gap_typed_space[e - 1]:
            spaces = {*spaces, e - 1 - s}  # the space at a break stays in the text layer (copy-paste)
        if scaled:
            for k in scaled[bisect_left(scaled, s):bisect_left(scaled, e - 1)]:
                adj[k - s + 1] = adj.get(k - s + 1, 0.0) + tc * (1 - hscale[k])  # Tz scaled its Tc too
            for k in scaled[bisect_left(scaled, s):bisect_left(scaled, e)]:
                scaled_at[k - first] = ((pl.x[k - s] + xoff[k]) * size, hscale[k])
        lines.append(GlyphLine(y, s - first, e - first, tc, adj, spaces, "-" if pl.hyphen else ""))
    fonts = [(f.rl_name, len(list(group))) for f, group in groupby(face_of[first:end])]  # faces: by identity
    text = TextObject(
        size=size, chars=chars[first:end], fonts=fonts, run=p.run[first:end], colors=colors, lines=lines, stroke=_strokes(p, st, first, end), scaled=scaled_at,
        hidden=[k - first for k in lost], dots=_dot_positions(p, placed, st, top, colors), dot_radius=0.065 * size)
    has_links = any(r.link is not None for r in p.runs)
    if recording and not placeholders and not has_links:
        written = _Written(text)
        written.write(canv)
        return written
    write_text(canv, text)
    if placeholders:
        _draw_placeholders(canv, placeholders, size)
    if has_links:
        links = []
        for li, pl in enumerate(placed):
            for url, x0, x1, yb in _line_links(p, pl, size, top - li * leading):
                links.append((url, (x0, yb - 0.2 * size, x1, yb + 0.9 * size)))
        add_links(canv, links)
    return False if recording else None


def _draw_placeholders(canv, placeholders: list[tuple[str, float, float, FaceLike]], size: float) -> None:
    """A visible box (with the code point) for each character no face of the style has."""
    from paiban.fonts.placeholder import draw_placeholder

    for ch, x, y, face in placeholders:
        draw_placeholder(canv, ch, x, y, size, face)


def _dot_positions(p: Prepared, placed: Sequence[Placed], st: ParaStyle, top: float,
                   run_rgb: list[tuple[float, float, float]]) -> list[tuple[float, float, tuple[float, float, float]]]:
    """Where the 着重号 go: centred under each emphasised Han character (never under
    punctuation), below the ideographic em box (−0.12 em) with a clear gap."""
    if st.emphasis != "dots" or not any(r.emph for r in p.runs):
        return []
    out = []
    size = st.size
    drop = 0.3 * size
    for li, pl in enumerate(placed):
        y = top - li * st.leading
        for k in range(pl.line.start, pl.line.end):
            ri = p.run[k]
            if p.runs[ri].emph and p.classes[k] == 0:
                out.append(((pl.x[k - pl.line.start] + p.box_width[k] / 2) * size, y - drop, run_rgb[ri]))
    return out


def _line_links(p: Prepared, pl: Placed, size: float, y: float) -> list[tuple[str, float, float, float]]:
    """One clickable rectangle per stretch of a line that belongs to one link."""
    out = []
    s, e = pl.line.start, pl.line.end
    cur: tuple[str, float, float] | None = None
    for k in range(s, e):
        url = p.runs[p.run[k]].link
        x0 = pl.x[k - s] * size
        x1 = x0 + p.box_width[k] * size
        if cur is not None and url == cur[0]:
            cur = (cur[0], cur[1], x1)
            continue
        if cur is not None:
            out.append((cur[0], cur[1], cur[2], y))
        cur = (url, x0, x1) if url is not None else None
    if cur is not None:
        out.append((cur[0], cur[1], cur[2], y))
    return out

