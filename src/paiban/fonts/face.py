"""One loaded font face (`Face`), and where a face comes from as the spec gives it (`FaceSource`).

A `Face` answers what the text engine asks per character (`has`, `advance`, `ink`) from
ReportLab's parse of the file ReportLab embeds, so what is measured is what is drawn. Loading
and registering faces is `paiban.fonts.load`.
"""

from __future__ import annotations

import dataclasses
import struct
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from paiban.errors import Location

if TYPE_CHECKING:
    from reportlab.pdfbase.ttfonts import TTFont

# The weights a family may have a face for.
WEIGHTS = ("regular", "bold")

# Stroke emboldening (Face.fake_bold): the outline is stroked as well as filled (PDF text render
# mode 2) with a line this fraction of the font size.
FAKE_BOLD_STROKE = 1 / 30


@dataclass(frozen=True)
class FaceSource:
    """Where a face comes from, as the spec gives it (paths already resolved)."""

    path: Path
    index: int = 0
    name: str | None = None  # the face's name inside a collection (or checked in a single file)
    instance: float | None = None  # wght instance of a variable font
    lookup: str | None = None  # family name the file was found by (not written as a path)
    fake_bold: bool = False  # the family's regular face standing in for bold, stroked
    where: Location | None = None


@dataclass(eq=False)
class Face:
    """One font face: a TrueType-outline file registered with ReportLab under `rl_name`.

    `path`/`index` is the file ReportLab reads (for a derived face: the cached TrueType file,
    index 0); `source`/`source_index` is the file the editor named. matplotlib and svglib should
    load `path` (a standalone TrueType file) and know the face by `family_name`.
    """

    path: Path
    rl_name: str
    family: str = ""  # the spec's family key (song, hei, kai), "" when loaded directly
    weight: str = "regular"
    index: int = 0
    _tt: TTFont = field(repr=False, default=None)  # type: ignore[assignment]
    _ink: dict[str, tuple[float, float] | None] = field(default_factory=dict, repr=False)
    source: Path | None = None  # the editor's file; None: same as path
    source_index: int = 0
    outlines: str = "TrueType"  # of the source: TrueType, CFF or CFF2
    instance: float | None = None  # wght of a variable font's instance
    glyph_count: int = 0  # glyphs in the source face
    lookup: str | None = None  # the family name this file was found by, None when given as a path
    fake_bold: bool = False  # draw with fill + stroke: a bold stand-in for a family without one

    def __post_init__(self) -> None:
        if self.source is None:
            self.source = self.path
            self.source_index = self.index
        if not self.glyph_count and self._tt is not None:
            self.glyph_count = int(getattr(self._tt.face, "numGlyphs", 0))

    @property
    def derived(self) -> bool:
        """Whether `path` is a converted copy (cached) rather than the editor's file itself."""
        return self.path != self.source

    @cached_property
    def _widths(self) -> dict[int, int]:
        return self._tt.face.charWidths

    @cached_property
    def _default_width(self) -> float:
        return float(self._tt.face.defaultWidth)

    @property
    def ascent(self) -> float:
        return self._tt.face.ascent / 1000.0

    @property
    def descent(self) -> float:
        return self._tt.face.descent / 1000.0

    @property
    def family_name(self) -> str:
        """The font's own family name (name table), which matplotlib knows it by."""
        return self._names[0]

    @property
    def full_name(self) -> str:
        return self._names[1]

    @cached_property
    def _names(self) -> tuple[str, str]:
        from fontTools.ttLib import TTFont as FTFont

        with FTFont(str(self.path), fontNumber=self.index, lazy=True) as ft:
            name = ft["name"]
            fam = name.getBestFamilyName() or self.path.stem
            full = name.getBestFullName() or fam
        return fam, full

    @property
    def chars(self) -> frozenset[int]:
        """Code points this face can draw (of the derived file, for a derived face)."""
        return frozenset(self._widths)

    def has(self, ch: str) -> bool:
        return ord(ch) in self._widths

    def advance(self, ch: str) -> float:
        """Advance width of `ch` in em (1.0 = the font size)."""
        w = self._widths.get(ord(ch))
        return (w if w is not None else self._default_width) / 1000.0

    def stroke_width(self, size: float) -> float:
        """Line width in points to stroke glyphs with (text render mode 2); 0 unless `fake_bold`.

        Drawing code for a fake-bold face: set the stroke colour to the fill colour, the line
        width to this, and text render mode 2 (fill, then stroke) around the face's glyphs.
        """
        return size * FAKE_BOLD_STROKE if self.fake_bold else 0.0

    def emboldened(self) -> Face:
        """This face marked for stroke emboldening (same file and ReportLab font)."""
        return dataclasses.replace(self, weight="bold", fake_bold=True, _ink=self._ink)

    def ink(self, ch: str) -> tuple[float, float] | None:
        """Horizontal extent (x-min, x-max) of the glyph's outline in em; None when it has no ink.

        Needed to compress punctuation correctly: fonts put the ink of ，。“” in different
        halves of the em box, and some (LXGW WenKai's quotes) are not full-width at all.
        """
        if ch not in self._ink:
            self._ink[ch] = self._read_ink(ch)
        return self._ink[ch]

    def _glyf_ink(self, ch: str) -> tuple[float, float] | None | bool:
        """The ink from the glyph's own header (xMin, xMax) in the bytes ReportLab already holds.

        Opening the font again with fontTools to ask would parse its whole cmap: about 0.3 s per
        big CJK face, in every build. False when ReportLab's parse does not have what it takes.
        """
        rl = getattr(self._tt, "face", None)
        data = getattr(rl, "_ttf_data", None)
        table = getattr(rl, "table", {}).get("glyf")
        gid = getattr(rl, "charToGlyph", {}).get(ord(ch))
        pos = getattr(rl, "glyphPos", None)
        if data is None or table is None or pos is None:
            return False
        if gid is None:
            return None  # not in the face's cmap: no glyph, no ink
        if gid + 1 >= len(pos):
            return False
        start, end = pos[gid], pos[gid + 1]
        if end - start < 10:
            return None  # no outline (a space)
        contours, x_min, _, x_max, _ = struct.unpack_from(">hhhhh", data, table["offset"] + start)
        if contours == 0:
            return None
        upem = float(rl.unitsPerEm)
        return x_min / upem, x_max / upem

    @cached_property
    def _ft(self):
        from fontTools.ttLib import TTFont as FTFont

        return FTFont(str(self.path), fontNumber=self.index, lazy=True)

    def _read_ink(self, ch: str) -> tuple[float, float] | None:
        quick = self._glyf_ink(ch)
        if quick is not False:
            return quick
        ft = self._ft
        gname = ft.getBestCmap().get(ord(ch))
        if gname is None:
            return None
        upem = ft["head"].unitsPerEm
        if "glyf" in ft:
            g = ft["glyf"][gname]
            if g.numberOfContours == 0:
                return None
            g.recalcBounds(ft["glyf"])
            if not hasattr(g, "xMin"):
                return None
            return g.xMin / upem, g.xMax / upem
        glyphs = ft.getGlyphSet()
        from fontTools.pens.boundsPen import BoundsPen

        pen = BoundsPen(glyphs)
        glyphs[gname].draw(pen)
        if pen.bounds is None:
            return None
        return pen.bounds[0] / upem, pen.bounds[2] / upem

