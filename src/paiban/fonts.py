"""Font faces as the text engine, the charts and the PDF writer need them.

One `Face` per font file (and face index), registered once with ReportLab so the PDF embeds a
subset of it. The text engine asks a face three things per character: does it have a glyph
(`has`), how wide is it (`advance`), and where is its ink (`ink`, for punctuation compression).
Widths come from ReportLab's own parse of the font, so what we measure is what ReportLab draws.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from paiban.errors import InputError, Location

WEIGHTS = ("regular", "bold")


@dataclass(eq=False)
class Face:
    """One font face: a TrueType-outline file registered with ReportLab under `rl_name`."""

    path: Path
    rl_name: str
    family: str = ""  # the spec's family key (song, hei, kai), "" when loaded directly
    weight: str = "regular"
    index: int = 0
    _tt: TTFont = field(repr=False, default=None)  # type: ignore[assignment]
    _ink: dict[str, tuple[float, float] | None] = field(default_factory=dict, repr=False)

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

    def has(self, ch: str) -> bool:
        return ord(ch) in self._widths

    def advance(self, ch: str) -> float:
        """Advance width of `ch` in em (1.0 = the font size)."""
        w = self._widths.get(ord(ch))
        return (w if w is not None else self._default_width) / 1000.0

    def ink(self, ch: str) -> tuple[float, float] | None:
        """Horizontal extent (x-min, x-max) of the glyph's outline in em; None when it has no ink.

        Needed to compress punctuation correctly: fonts put the ink of ，。“” in different
        halves of the em box, and some (LXGW WenKai's quotes) are not full-width at all.
        """
        if ch not in self._ink:
            self._ink[ch] = self._read_ink(ch)
        return self._ink[ch]

    @cached_property
    def _ft(self):
        from fontTools.ttLib import TTFont as FTFont

        return FTFont(str(self.path), fontNumber=self.index, lazy=True)

    def _read_ink(self, ch: str) -> tuple[float, float] | None:
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


_registered: dict[tuple[str, int], Face] = {}


def _rl_name_for(path: Path, index: int) -> str:
    stem = re.sub(r"[^A-Za-z0-9]+", "-", path.stem).strip("-") or "font"
    name = f"pb-{stem}" + (f"-{index}" if index else "")
    taken = {f.rl_name for f in _registered.values()}
    base, n = name, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    return name


def load_face(path: str | Path, index: int = 0, *, family: str = "", weight: str = "regular",
              where: Location | None = None) -> Face:
    """Load a TrueType-outline font file and register it with ReportLab (once per file+index)."""
    path = Path(path).resolve()
    key = (str(path), index)
    face = _registered.get(key)
    if face is not None:
        if family and not face.family:
            face.family, face.weight = family, weight
        return face
    if not path.is_file():
        raise InputError(f"font file not found: {path}", where)
    rl_name = _rl_name_for(path, index)
    try:
        tt = TTFont(rl_name, str(path), subfontIndex=index)
    except (TTFError, OSError, ValueError) as exc:
        raise InputError(f"cannot use font {path.name}: {exc}", where) from None
    pdfmetrics.registerFont(tt)
    face = Face(path=path, rl_name=rl_name, family=family, weight=weight, index=index, _tt=tt)
    _registered[key] = face
    return face


class FontBook:
    """The document's font families (song, hei, kai …), each with a regular and maybe a bold face.

    `families` maps a family key to {weight: (path, index)} already resolved by the spec stage.
    Faces are loaded on first use so a family the document never uses costs nothing.
    """

    def __init__(self, families: Mapping[str, Mapping[str, tuple[Path, int]]],
                 where: Mapping[str, Location] | None = None):
        self._families = {k: dict(v) for k, v in families.items()}
        self._where = dict(where or {})
        self._faces: dict[tuple[str, str], Face] = {}

    @property
    def families(self) -> list[str]:
        return list(self._families)

    def has_weight(self, family: str, weight: str) -> bool:
        return weight in self._families.get(family, {})

    def face(self, family: str, weight: str = "regular") -> Face:
        key = (family, weight)
        face = self._faces.get(key)
        if face is None:
            faces = self._families.get(family)
            if faces is None:
                raise InputError(f"unknown font family {family!r}; the spec's fonts: defines "
                                 f"{', '.join(self._families) or 'none'}")
            if weight not in faces:
                weight = "regular"
            path, index = faces[weight]
            face = load_face(path, index, family=family, weight=weight,
                             where=self._where.get(f"{family}.{weight}"))
            self._faces[key] = face
        return face

    def chain(self, families: Sequence[str], weight: str = "regular") -> tuple[Face, ...]:
        """Faces to try in order for each character: the style's family, then its fallbacks."""
        out: list[Face] = []
        for fam in families:
            f = self.face(fam, weight)
            if f not in out:
                out.append(f)
        return tuple(out)

    def missing(self, text: Iterable[str], families: Sequence[str], weight: str = "regular") -> set[str]:
        """Characters of `text` that no face of the chain can draw (whitespace excluded)."""
        chain = self.chain(families, weight)
        return {ch for ch in set(text) if not ch.isspace() and not any(f.has(ch) for f in chain)}
