"""Small real fonts for the font tests, made with fontTools' FontBuilder.

Each Han character, digit and punctuation mark gets a real outline (a frame with a pattern of
bars that differs per character), so ReportLab embeds real glyphs and PyMuPDF reads real text
back. Made here: a CFF-outline OTF, a TrueType TTF, TTC/OTC collections with two faces, and a
variable TrueType font with a wght axis. tests/fonts/test_fontmaker.py checks the files are what
they claim to be, so a failure elsewhere is about paiban, not about the fixtures.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables.TupleVariation import TupleVariation
from fontTools.ttLib.ttCollection import TTCollection

HAN = "测试标题正文中字体排版一二三宋黑楷这是段落的第"
PUNCT = "，。：；、“”（）！？"
DIGITS = "0123456789"
LATIN = "".join(map(chr, range(0x21, 0x7F)))  # printable ASCII, as CJK fonts have
COMMON = HAN + PUNCT + DIGITS + LATIN
RARE = "龘"  # only some test fonts have it
NOWHERE = "鑫"  # no test font has it


def _draw(pen, ch: str, width: int) -> None:
    """A frame with 1–3 horizontal bars (which ones depends on the character) and a stem."""
    if ch == " ":
        return
    code = ord(ch)
    w = width
    x0, x1 = int(w * 0.1), int(w * 0.9)
    y0, y1 = -80, 760 if w >= 800 else 700
    t = 60

    def rect(a: int, b: int, c: int, d: int) -> None:  # clockwise (TrueType outer contour)
        pen.moveTo((a, b))
        pen.lineTo((a, d))
        pen.lineTo((c, d))
        pen.lineTo((c, b))
        pen.closePath()

    rect(x0, y0, x0 + t, y1)  # left stem
    rect(x1 - t, y0, x1, y1)  # right stem
    rect(x0 + t, y1 - t, x1 - t, y1)  # top
    rect(x0 + t, y0, x1 - t, y0 + t)  # bottom
    bars = code % 3 + 1
    for i in range(bars):
        y = y0 + t + (i + 1) * (y1 - y0 - 2 * t) // (bars + 1) - t // 2
        rect(x0 + t, y, x1 - t, y + t // 2 + (code >> i) % 3 * 8)
    mid = (x0 + x1) // 2 + (code % 5) * 10 - 20
    rect(mid - t // 2, y0 + t, mid + t // 2, y1 - t)


def _advance(ch: str) -> int:
    if ch == " ":
        return 250
    if ch in DIGITS or ch in LATIN:
        return 500
    return 1000


def _glyph_names(chars: str) -> tuple[list[str], dict[int, str]]:
    order = [".notdef", "space"]
    cmap = {32: "space"}
    for ch in dict.fromkeys(chars):
        if ch == " ":
            continue
        name = f"uni{ord(ch):04X}"
        order.append(name)
        cmap[ord(ch)] = name
    return order, cmap


def _setup_common(fb: FontBuilder, family: str, style: str, weight: int, cmap: dict[int, str],
                  metrics: dict[str, tuple[int, int]]) -> None:
    fb.setupCharacterMap(cmap)
    fb.setupHorizontalMetrics(metrics)
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    ps = f"{family}-{style}".replace(" ", "")
    fb.setupNameTable({"familyName": family, "styleName": style, "fullName": f"{family} {style}",
                       "psName": ps, "uniqueFontIdentifier": ps, "version": "Version 1.000"})
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-120, sTypoLineGap=0, usWinAscent=880, usWinDescent=120,
                usWeightClass=weight, fsType=0, sxHeight=500, sCapHeight=700)
    fb.setupPost()


def _chars_of(chars: str) -> str:
    return " " + "".join(ch for ch in dict.fromkeys(chars) if ch != " ")


def build_ttf(chars: str, family: str = "Paiban Test Hei", style: str = "Regular", weight: int = 400) -> TTFont:
    chars = _chars_of(chars)
    order, cmap = _glyph_names(chars)
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(order)
    glyphs, metrics = {}, {}
    for name, ch in zip(order, ["\0", *chars], strict=True):
        pen = TTGlyphPen(None)
        adv = 500 if name == ".notdef" else _advance(ch)
        if name == ".notdef":
            _draw(pen, "\u25a1", 500)
        else:
            _draw(pen, ch, adv)
        glyphs[name] = pen.glyph()
        metrics[name] = (adv, 0)
    fb.setupGlyf(glyphs)
    glyf = fb.font["glyf"]
    metrics = {n: (adv, getattr(glyf[n], "xMin", 0)) for n, (adv, _) in metrics.items()}
    _setup_common(fb, family, style, weight, cmap, metrics)
    return fb.font


def build_otf(chars: str, family: str = "Paiban Test Song", style: str = "Regular", weight: int = 400) -> TTFont:
    """A CFF-outline OpenType font (what ReportLab refuses: 'postscript outlines are not supported')."""
    chars = _chars_of(chars)
    order, cmap = _glyph_names(chars)
    fb = FontBuilder(1000, isTTF=False)
    fb.setupGlyphOrder(order)
    charstrings, metrics = {}, {}
    for name, ch in zip(order, ["\0", *chars], strict=True):
        adv = 500 if name == ".notdef" else _advance(ch)
        pen = T2CharStringPen(adv, None)
        _draw(_Reversed(pen), "\u25a1" if name == ".notdef" else ch, adv)
        charstrings[name] = pen.getCharString()
        metrics[name] = (adv, 0)
    ps = f"{family}-{style}".replace(" ", "")
    fb.setupCFF(ps, {"FullName": f"{family} {style}"}, charstrings, {})
    bounds = {n: charstrings[n].calcBounds(None) for n in order}
    metrics = {n: (adv, (bounds[n][0] if bounds[n] else 0)) for n, (adv, _) in metrics.items()}
    _setup_common(fb, family, style, weight, cmap, metrics)
    return fb.font


class _Reversed:
    """CFF contours run counter-clockwise: draw each rectangle the other way round."""

    def __init__(self, pen):
        self.pen = pen
        self.points: list[tuple[int, int]] = []

    def moveTo(self, p):  # noqa: N802 - the pen protocol
        self.points = [p]

    def lineTo(self, p):  # noqa: N802
        self.points.append(p)

    def closePath(self):  # noqa: N802
        pts = [self.points[0], *reversed(self.points[1:])]
        self.pen.moveTo(pts[0])
        for p in pts[1:]:
            self.pen.lineTo(p)
        self.pen.closePath()


def build_variable(chars: str, family: str = "Paiban Test VF") -> TTFont:
    """A TrueType variable font, wght 100–900 (default 400): heavier instances have wider glyphs
    (right-hand points and the advance move right by up to 100 units at 900)."""
    font = build_ttf(chars, family=family)
    fb = FontBuilder(font=font)
    fb.setupFvar(axes=[("wght", 100, 400, 900, "Weight")], instances=[])
    glyf = font["glyf"]
    hmtx = font["hmtx"]
    variations = {}
    for name in font.getGlyphOrder():
        g = glyf[name]
        adv = hmtx[name][0]
        coords = list(g.coordinates) if g.numberOfContours > 0 else []
        deltas = [(100 if x > adv / 2 else 0, 0) for x, _ in coords] + [(0, 0), (100, 0), (0, 0), (0, 0)]
        variations[name] = [TupleVariation({"wght": (0.0, 1.0, 1.0)}, deltas)]
    fb.setupGvar(variations)
    return font


def save(font: TTFont, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(path))
    return path


def save_collection(fonts: Sequence[TTFont], path: Path) -> Path:
    """Save faces as one TTC/OTC (each face re-read from its own bytes first, as TTCollection wants)."""
    import io

    coll = TTCollection()
    for f in fonts:
        buf = io.BytesIO()
        f.save(buf)
        buf.seek(0)
        coll.fonts.append(TTFont(buf))
    path.parent.mkdir(parents=True, exist_ok=True)
    coll.save(str(path))
    return path


# ---------------------------------------------------------------- the fixtures are what they claim
