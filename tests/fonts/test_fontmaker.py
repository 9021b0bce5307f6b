"""The test fonts (tests/support/fontmaker.py) are what they claim to be, so a failure elsewhere is
about paiban, not about the fixtures."""

from __future__ import annotations

from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.ttLib.ttCollection import TTCollection

from tests.support.fontmaker import COMMON, RARE, build_otf, build_ttf, build_variable, save, save_collection


def test_otf_has_cff_outlines_and_the_characters(tmp_path: Path) -> None:
    path = save(build_otf(COMMON), tmp_path / "song.otf")
    font = TTFont(str(path))
    assert "CFF " in font and "glyf" not in font
    cmap = font.getBestCmap()
    assert all(ord(ch) in cmap for ch in COMMON)
    assert ord(RARE) not in cmap
    from fontTools.pens.boundsPen import BoundsPen

    pen = BoundsPen(font.getGlyphSet())
    font.getGlyphSet()[cmap[ord("中")]].draw(pen)
    assert pen.bounds is not None and pen.bounds[2] - pen.bounds[0] > 500


def test_collection_has_two_named_faces(tmp_path: Path) -> None:
    path = save_collection([build_ttf(COMMON, "Paiban Test Kai A"), build_ttf(COMMON + RARE, "Paiban Test Kai B")],
                           tmp_path / "kai.ttc")
    coll = TTCollection(str(path))
    assert [f["name"].getBestFamilyName() for f in coll.fonts] == ["Paiban Test Kai A", "Paiban Test Kai B"]
    assert ord(RARE) in coll.fonts[1].getBestCmap() and ord(RARE) not in coll.fonts[0].getBestCmap()


def test_variable_font_widens_with_weight(tmp_path: Path) -> None:
    path = save(build_variable(COMMON), tmp_path / "vf.ttf")
    font = TTFont(str(path))
    assert [a.axisTag for a in font["fvar"].axes] == ["wght"]
    gname = font.getBestCmap()[ord("中")]
    light = font.getGlyphSet(location={"wght": 400})[gname].width
    heavy = font.getGlyphSet(location={"wght": 900})[gname].width
    assert (light, heavy) == (1000, 1100)
