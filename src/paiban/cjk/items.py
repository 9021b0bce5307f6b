"""Styled runs → the measured item list the line breaker works on.

A paragraph becomes a row of glyph boxes with a gap between each neighbouring pair. All lengths
are in em of the paragraph's font size. Everything that does not depend on the measure is
decided here, once per paragraph:

* which face draws each character (per-character fallback through the style's face list);
* each glyph's box: its advance, and for full-width punctuation the blank half that may be
  compressed — read from the glyph outline, since fonts put the ink of ，。“” in different
  halves (clreq §3.1.6); narrow curly quotes (LXGW WenKai: 0.35 em) get a full-width box
  in Chinese context, and a pair of dashes is drawn as one unbroken 2-em rule;
* each gap's natural width, how far it may shrink and which stretch class it belongs to:
  a quarter em between Han and Latin letters or digits (shrinkable to an eighth, clreq §3.2.2),
  word spaces, inter-character gaps, and nothing inside a Latin word or a number;
* adjacent full-width punctuation compressed so that a pair occupies at most 1.5 em;
* where a line may break, per the line-start/line-end prohibitions, numbers and words kept
  whole, URLs breakable after / . - _ ? & =.

The line breaker only adds up these numbers (through prefix sums), so breaking a paragraph at
another measure costs no re-measuring.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate, compress, count, repeat
from operator import add, and_, eq, not_, or_, sub

from paiban.cjk.chars import (
    COMPRESSIBLE,
    CONNECTORS,
    DASHES,
    NO_END_CLASSES,
    NO_START_CLASSES,
    QUOTES_CLOSE,
    QUOTES_OPEN,
    SIGNS,
    UNIT_SIGNS,
    Cls,
    char_class,
    is_cjk,
    url_break_between,
)
from paiban.cjk.face import FaceLike, face_for
from paiban.cjk.hyphen import hyphen_points
from paiban.cjk.markup import Run

# Stretch classes of a gap.
STRETCH_NONE = 0  # inside a Latin word or a number: stays tight
STRETCH_SPACE = 1  # Han–Latin gaps and word spaces: take the slack first
STRETCH_CHAR = 2  # between characters on the Han grid: take the rest, evenly

#: Width (em) of the box drawn for a character no face has.
PLACEHOLDER_ADVANCE = 1.0
#: Penalty for breaking a URL (or an over-long run) after / . - _ ? & =.
URL_PENALTY = 50.0
#: Penalty for breaking a Latin word at a hyphenation point (a hyphen is drawn at the line end).
HYPHEN_PENALTY = 60.0
#: Latin words shorter than this are never hyphenated.
HYPHEN_MIN_WORD = 6
#: Full-width marks that hang wholly past the measure under `line_end: hang` (clreq 行尾悬挂).
HANGING = frozenset("、，。．")

_URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s\u3000-\u303f\uff00-\uffef“”‘’（）《》]+"
                  r"|[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", re.I)
_DROP = frozenset("\u00ad\u200c\u200d\u2060\ufeff")  # soft hyphen, joiners, BOM: never drawn
_ZWSP = "\u200b"
_INNER_JOIN = CONNECTORS | SIGNS
_PAIRABLE = COMPRESSIBLE | DASHES | frozenset("…")
_GLUE = frozenset("/+=＋＝／")
#: (stretch class, width, shrink, correction) of a gap that needs no TJ number of its own.
_PLAIN_GAP = (STRETCH_CHAR, 0.0, 0.0, 0.0)
#: Classes that count as a character (not punctuation) for the last-line rule.
_CONTENT = frozenset((Cls.HAN, Cls.LATIN, Cls.SYMBOL, Cls.SIGN, Cls.CONNECT))


@dataclass(frozen=True)
class Spacing:
    """Spacing parameters, in em."""

    han_latin: float = 0.25  # clreq §3.2.2: a quarter em between Han and Latin/digits
    han_latin_min: float = 0.125  # … shrinkable to an eighth when a line is tight
    han_space: float = 0.5  # a space typed between two Han characters (e.g. in a headline)
    fullwidth_quotes: bool = True  # give narrow curly quotes a full-width box in Chinese text
    emph_bold: bool = False  # emphasis drawn with the bold faces
    # where a full-width mark ending a line sits (clreq 行尾点号): "half" — its blank half past the
    # measure, ink flush with the edge; "full" — its whole box inside; "hang" — 、，。． wholly
    # outside the measure (the others as "half")
    line_end: str = "half"
    hyphenate: str | None = None  # pyphen language of Latin words ("en"); None: no hyphenation


@dataclass
class Prepared:
    """A paragraph measured for breaking. All lengths in em; index i of the gap arrays is the gap
    after glyph i; index i of a prefix sum covers glyphs (and gaps) 0 … i−1, so a line's total
    is a difference of two entries."""

    chars: list[str]
    run: list[int]  # index into `runs` for each glyph
    runs: list[Run]
    face: list[FaceLike]
    bold: list[bool]  # drawn with a bold face (or fake bold when the style has none)
    box_width: list[float]  # width of the glyph's box on the line
    font_advance: list[float]  # what the PDF viewer advances after the glyph (face advance × scale)
    origin_offset: list[float]  # where the glyph's origin sits inside its box
    horizontal_scale: list[float]  # 1 but for dash pairs, drawn as one rule
    missing: list[bool]  # no face has the character: a placeholder box is drawn
    left_blank: list[float]  # compressible blank on the left of the box
    right_blank: list[float]  # … on the right (the part that may hang at a line end)
    classes: list[Cls]  # each glyph's character class
    source: list[int]  # offset of the glyph in the plain text
    gap_width: list[float]  # natural gap width (negative: compressed punctuation pair)
    gap_shrink: list[float]  # how much the gap may shrink inside a line
    gap_class: list[int]  # the gap's stretch class, STRETCH_*
    gap_typed_space: list[bool]  # the source had white space here (drawn as a space character)
    break_penalty: list[float | None]  # penalty for breaking at the gap; None: prohibited
    token: list[int]  # id of the Latin word / number a glyph belongs to, -1 if none
    text: str  # plain text (markup removed), for messages
    # what a line ending after glyph i adds to its natural width (em): a hyphen's width at a
    # hyphenation point, minus the part of a closing mark set past the measure (the line-end policy)
    end_extra: list[float] = field(default_factory=list)
    end_trim: list[float] = field(default_factory=list)  # … of which the part past the measure
    hyphen: list[bool] = field(default_factory=list)  # a break after glyph i draws a hyphen
    # for the PDF writer: what to add to a gap's width to get the distance from where the PDF
    # viewer leaves the text position after glyph i to glyph i+1's origin (box vs. font advance)
    gap_correction: list[float] = field(default_factory=list)
    scaled_glyphs: list[int] = field(default_factory=list)  # glyphs drawn with horizontal scaling
    spaced_gaps: list[int] = field(default_factory=list)  # gaps where a space was typed (gap_typed_space)
    # gaps whose width in a justified line can differ from the even inter-character stretch
    special_gaps: list[int] = field(default_factory=list)
    diagnostics: list[str] = field(default_factory=list)
    # prefix sums for the line breaker, filled by _sums()
    prefix_width: list[float] = field(default_factory=list)  # box widths plus natural gap widths
    prefix_shrink: list[float] = field(default_factory=list)  # how much the gaps may shrink
    prefix_space_gaps: list[int] = field(default_factory=list)  # gaps of class STRETCH_SPACE
    prefix_char_gaps: list[int] = field(default_factory=list)  # gaps of class STRETCH_CHAR
    prefix_content_chars: list[int] = field(default_factory=list)  # glyphs that are not punctuation

    @property
    def n(self) -> int:
        return len(self.chars)

    def _sums(self) -> None:
        self.prefix_width = list(accumulate(map(add, self.box_width, self.gap_width), initial=0.0))
        self.prefix_shrink = list(accumulate(self.gap_shrink, initial=0.0))
        self.prefix_space_gaps = list(accumulate(map(eq, self.gap_class, repeat(STRETCH_SPACE)), initial=0))
        self.prefix_char_gaps = list(accumulate(map(eq, self.gap_class, repeat(STRETCH_CHAR)), initial=0))
        self.prefix_content_chars = list(accumulate(map(_CONTENT.__contains__, self.classes), initial=0))
        xo = self.origin_offset
        self.gap_correction = [*map(add, map(sub, self.box_width, self.font_advance), map(sub, xo[1:], xo)),
                               0.0]
        self.scaled_glyphs = [i for i, h in enumerate(self.horizontal_scale) if h != 1.0]
        self.spaced_gaps = list(compress(count(), self.gap_typed_space))
        # a gap is plain when it is an inter-character gap of natural width zero that cannot
        # shrink and needs no box/advance correction: everything else is special (gap_correction has one
        # entry even for an empty paragraph, hence no strict zip)
        self.special_gaps = list(compress(count(), map(_PLAIN_GAP.__ne__, zip(
            self.gap_class, self.gap_width, self.gap_shrink, self.gap_correction, strict=False))))

    def line_text(self, start: int, end: int) -> str:
        return "".join(self.chars[start:end])


# -- per-face glyph cache --------------------------------------------------------------------------

#: (id of a face chain, character) → (face, advance, lblank, rblank, ink); filled lazily. Glyph
#: metrics never change for a loaded face, and a document sets the same ~1,100 characters over
#: and over, so measuring is mostly dictionary look-ups.
_glyphs: dict[tuple[int, ...], tuple[tuple[FaceLike, ...], dict[str, tuple]]] = {}
_CONTEXTUAL = QUOTES_OPEN | QUOTES_CLOSE | DASHES


def _chain_cache(chain: tuple[FaceLike, ...]) -> dict[str, tuple]:
    key = tuple(id(f) for f in chain)
    entry = _glyphs.get(key)
    if entry is None:
        # the chain is kept alive with its cache, so its faces' ids cannot be reused
        entry = _glyphs[key] = (chain, {})
    return entry[1]


def _measure(cache: dict[str, tuple], chain: tuple[FaceLike, ...], ch: str) -> tuple:
    face = face_for(ch, chain)
    missing = face is None
    if face is None:
        # no face has it: an em-wide placeholder box is drawn instead (see layout.paragraph)
        info = (chain[0], PLACEHOLDER_ADVANCE, 0.0, 0.0, None, True)
        cache[ch] = info
        return info
    a = face.advance(ch)
    ink = face.ink(ch) if (ch in COMPRESSIBLE or ch in _CONTEXTUAL) else None
    lb, rb = _blanks(ch, a, ink, 0.0, 1.0)
    info = (face, a, lb, rb, ink, missing)
    cache[ch] = info
    return info


def _blanks(ch: str, box: float, ink: tuple[float, float] | None, off: float, scale: float) -> tuple[float, float]:
    """The blank on each side of a full-width mark that compression may take (never past half width)."""
    if ink is None or ch not in COMPRESSIBLE or box < 0.75:
        return 0.0, 0.0
    x0, x1 = ink[0] * scale + off, ink[1] * scale + off
    spare = box - 0.5
    centre = (x0 + x1) / 2
    lb = rb = 0.0
    if centre < 0.4 * box:
        rb = max(0.0, min(spare, box - x1))
    elif centre > 0.6 * box:
        lb = max(0.0, min(spare, x0))
    else:
        lb = max(0.0, min(spare / 2, x0))
        rb = max(0.0, min(spare / 2, box - x1))
    return (lb if lb >= 0.05 else 0.0), (rb if rb >= 0.05 else 0.0)


# -- the preparation -------------------------------------------------------------------------------

#: character → class, and → whether it sits on the Han grid (context-free, so cached)
_CLS: dict[str, Cls] = {}
_CJK: dict[str, bool] = {}
_TOKEN_START = frozenset((Cls.LATIN, Cls.SIGN))
_SPECIAL_SPACE = re.compile(r"[\s\u00ad\u200b-\u200d\u2060\ufeff]")
_HAN = Cls.HAN


def prepare(runs: Sequence[Run], faces: Sequence[FaceLike], bold_faces: Sequence[FaceLike] = (),
            spacing: Spacing = Spacing()) -> Prepared:
    """Measure styled runs with the given faces (style face first, then fallbacks)."""
    if not faces:
        raise ValueError("a paragraph needs at least one face")
    bold_chain = tuple(bold_faces) + tuple(f for f in faces if f not in bold_faces)
    regular_chain = tuple(faces)

    # 1. Characters, with the white space between them turned into flags on the next glyph.
    chars: list[str] = []
    run_of: list[int] = []
    source: list[int] = []
    space_before: list[bool] = []
    zw_before: set[int] = set()
    nbsp_before: set[int] = set()
    pending_space = pending_zw = pending_nbsp = False
    pos = 0
    for ri, r in enumerate(runs):
        t = r.text
        if not _SPECIAL_SPACE.search(t):
            m = len(t)
            if m:
                space_before.append(pending_space and bool(chars))
                if pending_zw:
                    zw_before.add(len(chars))
                if pending_nbsp:
                    nbsp_before.add(len(chars))
                pending_space = pending_zw = pending_nbsp = False
                space_before.extend([False] * (m - 1))
                chars.extend(t)
                run_of.extend([ri] * m)
                source.extend(range(pos, pos + m))
                pos += m
            continue
        for ch in t:
            if ch in _DROP:
                pass
            elif ch == _ZWSP:
                pending_zw = True
            elif ch == "\u00a0" or ch == "\u202f":
                pending_space = pending_nbsp = True
            elif ch.isspace() and ch != "\u3000":
                pending_space = True
            else:
                if pending_zw:
                    zw_before.add(len(chars))
                if pending_nbsp:
                    nbsp_before.add(len(chars))
                space_before.append(pending_space and bool(chars))
                chars.append(ch)
                run_of.append(ri)
                source.append(pos)
                pending_space = pending_zw = pending_nbsp = False
            pos += 1
    text = "".join(r.text for r in runs)
    n = len(chars)
    for c in set(chars).difference(_CLS):
        _CLS[c] = char_class(c)
        _CJK[c] = is_cjk(c)
    cls = list(map(_CLS.__getitem__, chars))
    cjk = list(map(_CJK.__getitem__, chars))

    # 2. Latin words and numbers: one token each, never broken inside.
    token = _tokens(chars, cls, space_before)
    url_breaks = _url_breaks(text, source, token, n)

    # 3. Faces and glyph boxes (per-character fallback through the chain).
    infos: list[tuple] = []
    bold_of: list[bool] = []
    emph_bold = spacing.emph_bold
    for ri, r in enumerate(runs):
        bold = r.bold or (r.emph and emph_bold)
        chain = bold_chain if bold else regular_chain
        cache = _chain_cache(chain)
        get = cache.get
        start = len(infos)
        stop = bisect_right(run_of, ri, lo=start)  # a run's glyphs are contiguous in `chars`
        got = list(map(get, chars[start:stop]))
        if None in got:
            got = [g or _measure(cache, chain, ch) for g, ch in zip(got, chars[start:stop], strict=True)]
        infos.extend(got)
        bold_of.extend([bold] * (stop - start))
    if n:
        face_of, adv, lblank, rblank, inks, miss = (list(col) for col in zip(*infos, strict=True))
    else:
        face_of, adv, lblank, rblank, inks, miss = [], [], [], [], [], []
    diagnostics: list[str] = []
    if any(miss):
        listed = " ".join(f"{c} (U+{ord(c):04X})" for c in sorted({chars[i] for i in range(n) if miss[i]}))
        diagnostics.append(f"no face of the style has a glyph for: {listed}")
    font_adv = list(adv)
    xoff = [0.0] * n
    hscale = [1.0] * n
    for i in list(compress(count(), map(_CONTEXTUAL.__contains__, chars))):
        ch = chars[i]
        ink = inks[i]
        if ink is None:
            continue
        a = font_adv[i]
        box, off, scale = a, 0.0, 1.0
        if ch in DASHES:
            if (i > 0 and chars[i - 1] in DASHES) or (i + 1 < n and chars[i + 1] in DASHES):
                # —— is one unbroken 2-em rule: stretch each dash's ink over its whole em box.
                width = ink[1] - ink[0]
                if width > 0.3:
                    box, scale = 1.0, 1.0 / width
                    off = -ink[0] * scale
            elif a < 0.95 and _chinese_context(chars, i):
                box, off = 1.0, (1.0 - a) / 2
        elif a < 0.75 and spacing.fullwidth_quotes and _chinese_context(chars, i):
            # A narrow curly quote in Chinese text: centre its ink in the inner half of an em box.
            box = 1.0
            off = (0.75 if ch in QUOTES_OPEN else 0.25) - (ink[0] + ink[1]) / 2
        adv[i], xoff[i], hscale[i] = box, off, scale
        font_adv[i] = a * scale
        lblank[i], rblank[i] = _blanks(ch, box, ink, off, scale)

    # 4. Gaps. The common case — two Han characters, nothing typed between — is the default.
    gw = [0.0] * n
    gshrink = [0.0] * n
    gclass = [STRETCH_CHAR] * n
    gspace = [False] * n
    brk: list[float | None] = [0.0] * n
    hl, hl_min = spacing.han_latin, spacing.han_latin_min
    latinish = list(map(and_, map((0).__le__, token), map(not_, cjk)))  # in a Latin word, not on the grid
    HAN = _HAN
    # only gaps that are not "Han, Han, nothing typed between" need a look (Cls.HAN is 0)
    todo = list(compress(count(), map(or_, map(or_, cls, cls[1:]), space_before[1:])))
    if zw_before:
        todo = sorted(set(todo) | {j - 1 for j in zw_before if j > 0})
    no_start, no_end = NO_START_CLASSES, NO_END_CLASSES
    for i in todo:
        j = i + 1
        ka = cls[i]
        kb = cls[j]
        space = space_before[j]
        t = token[i]
        if t >= 0 and t == token[j] and not space:
            gclass[i] = STRETCH_NONE  # inside a word or a number: tight, unbreakable
            brk[i] = url_breaks.get(i)
            continue
        if not space and (kb in no_start or ka in no_end) and (latinish[i] or latinish[j]) \
                and j not in nbsp_before:
            # a Latin word and the mark that closes (or opens) it: no break, and no stretch — a
            # gap there would look like a space typed inside “Counties）”
            brk[i] = None
            gclass[i] = STRETCH_NONE
            gshrink[i] = rblank[i] + lblank[j]
            continue
        if not space and (kb in no_start or ka in no_end) and j not in nbsp_before:
            # a mark that glues to its neighbour: no break here, no Han–Latin space
            brk[i] = None
            shrink = rblank[i] + lblank[j]
            if chars[i] in _PAIRABLE and chars[j] in _PAIRABLE and adv[i] >= 0.75 and adv[j] >= 0.75:
                c = min(shrink, max(0.0, adv[i] + adv[j] - 1.5))
                gw[i] = -c
                shrink -= c
                gclass[i] = STRETCH_NONE  # justification never pulls a pair of marks apart again
            elif not (cjk[i] or cjk[j]):
                gclass[i] = STRETCH_NONE
            gshrink[i] = shrink
            continue
        shrink = rblank[i] + lblank[j]
        width = 0.0
        gcls = STRETCH_NONE
        han_latin = (ka is HAN and latinish[j]) or (latinish[i] and kb is HAN)
        if space:
            gspace[i] = True
            if han_latin:
                width, shrink, gcls = hl, shrink + hl - hl_min, STRETCH_SPACE
            elif (cjk[i] and ka is not HAN) or (cjk[j] and kb is not HAN):
                # a space typed next to full-width punctuation: the mark's own blank is enough
                gcls = STRETCH_CHAR
                gspace[i] = False
            elif ka is HAN and kb is HAN:
                width, shrink, gcls = spacing.han_space, shrink + spacing.han_space / 2, STRETCH_SPACE
            else:
                sp = face_of[i].advance(" ")
                width, shrink, gcls = sp, shrink + sp / 3, STRETCH_SPACE
        elif han_latin:
            width, shrink, gcls = hl, shrink + hl - hl_min, STRETCH_SPACE
        elif cjk[i] or cjk[j]:
            gcls = STRETCH_CHAR
        # Two full-width marks side by side occupy at most 1.5 em (clreq §3.1.6.1).
        pair = rblank[i] + lblank[j]
        if chars[i] in _PAIRABLE and chars[j] in _PAIRABLE and adv[i] >= 0.75 and adv[j] >= 0.75:
            if pair > 0:
                c = min(pair, max(0.0, adv[i] + adv[j] - 1.5))
                width -= c
                shrink -= c
            gcls = STRETCH_NONE  # justification never pulls a pair of marks apart again
        gw[i], gshrink[i], gclass[i] = width, max(0.0, shrink), gcls
        brk[i] = _break_penalty(chars, cls, cjk, token, i, space, j in zw_before, j in nbsp_before, url_breaks)
    if n:
        gclass[n - 1] = STRETCH_NONE
        brk[n - 1] = 0.0  # the paragraph's end
    hyphen = [False] * n
    end_extra = [0.0] * n
    if spacing.hyphenate and n:
        _hyphenation(chars, cls, token, brk, hyphen, end_extra, face_of, spacing.hyphenate)
    end_trim = _end_trim(chars, adv, rblank, spacing.line_end)
    end_extra = list(map(sub, end_extra, end_trim))

    p = Prepared(chars=chars, run=run_of, runs=list(runs), face=face_of, bold=bold_of, box_width=adv,
                 font_advance=font_adv, origin_offset=xoff, horizontal_scale=hscale, missing=miss,
                 left_blank=lblank, right_blank=rblank, classes=cls, source=source, gap_width=gw,
                 gap_shrink=gshrink, gap_class=gclass, gap_typed_space=gspace, break_penalty=brk,
                 token=token, text=text, diagnostics=diagnostics, end_extra=end_extra, end_trim=end_trim,
                 hyphen=hyphen)
    p._sums()
    return p


def _end_trim(chars: list[str], box: list[float], rblank: list[float], policy: str) -> list[float]:
    """How much of each glyph's box lies past the measure when it ends a line (one policy for
    every line end: a mark's ink never sits a half em inside the edge on one line and flush on
    the next)."""
    if policy == "full":
        return [0.0] * len(chars)
    out = list(rblank)
    if policy == "hang":
        for i, ch in enumerate(chars):
            if ch in HANGING and box[i] >= 0.75:
                out[i] = box[i]
    return out


def _hyphenation(chars: list[str], cls: list[Cls], token: list[int], brk: list[float | None],
                 hyphen: list[bool], end_extra: list[float], face_of: list[FaceLike], lang: str) -> None:
    """Open a break, with a hyphen drawn at the line end, at each hyphenation point of a Latin word
    (pyphen's patterns for `lang`), and a break after a hyphen typed inside a word (Co-|operation).
    The line breaker takes one only where it keeps a line from being loose: it costs a penalty."""
    n = len(chars)
    i = 0
    while i < n:
        t = token[i]
        if t < 0:
            i += 1
            continue
        j = i
        while j < n and token[j] == t:
            j += 1
        if any(c in "/@:" or c.isdigit() for c in chars[i:j]):
            i = j  # a URL, an e-mail address, a number: broken by their own rules, never hyphenated
            continue
        # the token's letter runs (a compound Co-operation has two)
        a = i
        while a < j:
            b = a
            while b < j and chars[b].isalpha():
                b += 1
            if b - a >= HYPHEN_MIN_WORD:
                for pos in hyphen_points(lang, "".join(chars[a:b])):
                    g = a + pos - 1
                    if brk[g] is None:
                        brk[g] = HYPHEN_PENALTY
                        hyphen[g] = True
                        end_extra[g] = face_of[g].advance("-")
            if b < j and chars[b] == "-" and b > a and b + 1 < j and chars[b + 1].isalpha() and brk[b] is None:
                brk[b] = HYPHEN_PENALTY / 2  # after a typed hyphen: no hyphen added
            a = b + 1
        i = j


def _chinese_context(chars: list[str], i: int) -> bool:
    """A quote or dash belongs to Chinese text when a neighbour sits on the Han grid."""
    return any(0 <= j < len(chars) and is_cjk(chars[j]) for j in (i - 1, i + 1))


def _tokens(chars: list[str], cls: list[Cls], space_before: list[bool]) -> list[int]:
    """Number each Latin word or number: letters/digits with inner . , : / - _ ' + & and a
    leading sign, plus a trailing unit sign (11,407 · 2307.02 · -5℃ · ±0.5 · 73% · 3:2 · 5G)."""
    n = len(chars)
    token = [-1] * n
    L = Cls.LATIN
    tid = 0
    nxt = 0  # first index not yet inside a token
    for i in compress(count(), map(_TOKEN_START.__contains__, cls)):
        if i < nxt:
            continue
        if cls[i] is not L:
            # a sign starts a number only before a digit, and not right after a letter
            if not (i + 1 < n and cls[i + 1] is L and chars[i + 1].isdigit() and not space_before[i + 1]
                    and (i == 0 or cls[i - 1] is not L or space_before[i])):
                continue
        j = i + 1
        while j < n and not space_before[j]:
            c = chars[j]
            if cls[j] is L:
                j += 1
            elif c in _INNER_JOIN and j + 1 < n and cls[j + 1] is L and not space_before[j + 1] \
                    and cls[j - 1] is L:
                j += 1
            elif c in UNIT_SIGNS and cls[j - 1] is L:
                j += 1
                break
            else:
                break
        for m in range(i, j):
            token[m] = tid
        tid += 1
        nxt = j
    return token


def _url_breaks(text: str, source: list[int], token: list[int], n: int) -> dict[int, float]:
    """Glyph index → penalty for a break after it inside a URL; URLs become one token."""
    out: dict[int, float] = {}
    if "://" not in text and "www." not in text.lower() and "@" not in text:
        return out
    next_tid = max(token, default=-1) + 1
    for m in _URL.finditer(text):
        a = bisect_left(source, m.start())
        b = bisect_left(source, m.end())
        if b - a < 2:
            continue
        scheme_end = text.find("://", m.start(), m.end())
        for g in range(a, b):
            token[g] = next_tid
        next_tid += 1
        for g in range(a, b - 1):
            if source[g] < scheme_end + 3 and scheme_end >= 0:
                continue  # never inside "https://"
            if url_break_between(text[source[g]], text[source[g + 1]]):
                out[g] = URL_PENALTY
    return out


def _break_penalty(chars: list[str], cls: list[Cls], cjk: list[bool], token: list[int], i: int, space: bool,
                   zw: bool, nbsp: bool, url_breaks: dict[int, float]) -> float | None:
    """May a line break between glyph i and i+1? None when prohibited, else the penalty."""
    ka, kb = cls[i], cls[i + 1]
    if kb in NO_START_CLASSES or ka in NO_END_CLASSES:
        return None
    if nbsp:
        return None
    if token[i] >= 0 and token[i] == token[i + 1]:
        return url_breaks.get(i)
    if zw or space:
        return 0.0
    if chars[i] in _GLUE or chars[i + 1] in _GLUE:
        return None  # 元/斤, 党建+民生: a joiner never ends or starts a line
    if not cjk[i] and not cjk[i + 1] and ka != Cls.HAN and kb != Cls.HAN:
        return None  # Latin text breaks at spaces only
    return 0.0
