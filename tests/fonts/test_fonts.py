"""Font faces from any file: CFF converted to TrueType and cached, collections, variable fonts,
per-character fallback, fake bold and the placeholder for a character no font has.

The fonts are made in the tests (tests/support/fontmaker.py) with real outlines; every face goes
through ReportLab and every PDF is read back with PyMuPDF.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pymupdf
import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont as FTFont
from reportlab.lib.pagesizes import A5
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate

from paiban.cjk.face import face_for
from paiban.errors import InputError
from paiban.fonts.book import FontBook
from paiban.fonts.convert import BASE_CHARS, derive
from paiban.fonts.face import FaceSource
from paiban.fonts.installed import find_installed
from paiban.fonts.load import load_face
from paiban.fonts.placeholder import draw_placeholder
from paiban.fonts.sniff import sniff
from tests.support.fontmaker import (
    COMMON,
    NOWHERE,
    RARE,
    build_otf,
    build_ttf,
    build_variable,
    save,
    save_collection,
)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("fonts")
    return {
        "otf": save(build_otf(COMMON), d / "song.otf"),
        "ttf": save(build_ttf(COMMON + RARE), d / "hei.ttf"),
        "ttc": save_collection([build_ttf(COMMON, "Paiban Test Kai A"), build_ttf(COMMON + RARE, "Paiban Test Kai B")],
                               d / "kai.ttc"),
        "otc": save_collection([build_otf(COMMON, "Paiban Test Ming A"), build_otf(COMMON + RARE, "Paiban Test Ming B")],
                               d / "ming.otc"),
        "vf": save(build_variable(COMMON), d / "vf.ttf"),
    }


def bounds(path: Path, ch: str, index: int = 0) -> tuple[float, ...]:
    font = FTFont(str(path), fontNumber=index)
    glyphs = font.getGlyphSet()
    pen = BoundsPen(glyphs)
    glyphs[font.getBestCmap()[ord(ch)]].draw(pen)
    return pen.bounds


def test_sniff_tells_containers_and_outlines(made: dict[str, Path], tmp_path: Path) -> None:
    otf, ttc = sniff(made["otf"]), sniff(made["ttc"])
    assert otf.kind == "sfnt" and "CFF " in otf.tables[0] and "glyf" not in otf.tables[0]
    assert ttc.kind == "collection" and ttc.faces == 2 and all("glyf" in t for t in ttc.tables)
    assert "fvar" in sniff(made["vf"]).tables[0]
    text = tmp_path / "notes.ttf"
    text.write_text("not a font", encoding="utf-8")
    with pytest.raises(ValueError, match="not a font file"):
        sniff(text)


def test_cff_font_is_converted_to_truetype_with_its_metrics_and_outlines(made: dict[str, Path],
                                                                          tmp_path: Path) -> None:
    face = load_face(made["otf"], chars=COMMON, cache_dir=tmp_path / "cache")
    assert face.derived and face.outlines == "CFF" and face.source == made["otf"]
    assert face.path.parent == tmp_path / "cache" and face.path.suffix == ".ttf"
    converted = FTFont(str(face.path))
    assert "glyf" in converted and "CFF " not in converted
    assert all(face.has(ch) for ch in COMMON) and not face.has(RARE)
    assert face.advance("中") == 1.0 and face.advance("7") == 0.5
    assert face.family_name == "Paiban Test Song"
    assert face.glyph_count == len(FTFont(str(made["otf"])).getGlyphOrder())
    for ch in "中，7A":  # straight outlines survive cu2qu exactly
        assert bounds(face.path, ch) == bounds(made["otf"], ch)
        x0, _, x1, _ = bounds(made["otf"], ch)
        assert face.ink(ch) == pytest.approx((x0 / 1000, x1 / 1000))


def test_converted_faces_are_cached_by_file_and_characters(made: dict[str, Path], tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    info = sniff(made["otf"])
    first = derive(made["otf"], 0, info, chars=frozenset("测试标题"), instance=None, cache_dir=cache)
    inode = first.path.stat().st_ino
    again = derive(made["otf"], 0, info, chars=frozenset("测试标题"), instance=None, cache_dir=cache)
    assert again.path == first.path and again.path.stat().st_ino == inode  # not rewritten
    # fewer characters: the cached superset serves
    fewer = derive(made["otf"], 0, info, chars=frozenset("测试"), instance=None, cache_dir=cache)
    assert fewer.path == first.path
    # a new character: a new file; old entries beyond four per face are pruned
    for extra in "一二三宋黑":
        derive(made["otf"], 0, info, chars=frozenset("测试" + extra), instance=None, cache_dir=cache)
    assert len(list(cache.glob("song-*.ttf"))) == 4
    assert not list(cache.glob("*.tmp"))


def test_collection_face_by_index_and_by_name(made: dict[str, Path], tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    by_index = load_face(made["ttc"], 1, chars=COMMON + RARE, cache_dir=cache)
    by_name = load_face(made["ttc"], name="paiban test kai b", chars=COMMON + RARE, cache_dir=cache)
    first = load_face(made["ttc"], 0, chars=COMMON + RARE, cache_dir=cache)
    assert by_index is by_name and by_name.source_index == 1 and by_name.index == 0
    assert by_name.has(RARE) and not first.has(RARE)
    assert by_name.family_name == "Paiban Test Kai B"
    with pytest.raises(InputError, match="no face named 'Kai C'; its faces: 0: Paiban Test Kai A, 1: Paiban Test Kai B$"):
        load_face(made["ttc"], name="Kai C", chars=COMMON, cache_dir=cache)
    with pytest.raises(InputError, match=r"has 2 faces \(index 0–1\), not index 2"):
        load_face(made["ttc"], 2, chars=COMMON, cache_dir=cache)
    otc = load_face(made["otc"], name="Paiban Test Ming B", chars=COMMON + RARE, cache_dir=cache)
    assert otc.outlines == "CFF" and otc.has(RARE) and otc.source_index == 1


def test_variable_font_instance_by_weight(made: dict[str, Path], tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    regular = load_face(made["vf"], chars=COMMON, cache_dir=cache)
    bold = load_face(made["vf"], weight="bold", chars=COMMON, cache_dir=cache)
    w700 = load_face(made["vf"], instance=700, chars=COMMON, cache_dir=cache)
    heaviest = load_face(made["vf"], instance=2000, chars=COMMON, cache_dir=cache)  # clamped to 900
    assert (regular.instance, bold.instance, heaviest.instance) == (400, 700, 900)
    assert regular.advance("中") == 1.0
    assert bold.advance("中") == w700.advance("中") == pytest.approx(1.06)
    assert heaviest.advance("中") == pytest.approx(1.1)
    assert regular.rl_name != bold.rl_name
    assert FTFont(str(bold.path))["OS/2"].usWeightClass == 700
    x0, x1 = regular.ink("中")
    assert bold.ink("中") == pytest.approx((x0, x1 + 0.06))


def book(made: dict[str, Path], tmp_path: Path, **extra) -> FontBook:
    families = {"song": {"regular": FaceSource(made["otf"])}, "hei": {"regular": FaceSource(made["ttf"])}}
    families.update(extra)
    return FontBook(families, chars=COMMON + RARE + NOWHERE, cache_dir=tmp_path / "cache")


def test_fallback_chain_finds_each_character(made: dict[str, Path], tmp_path: Path) -> None:
    fonts = book(made, tmp_path)
    song, hei = fonts.chain(["song", "hei"])
    assert face_for("中", (song, hei)) is song
    assert face_for(RARE, (song, hei)) is hei
    assert face_for(NOWHERE, (song, hei)) is None
    assert fonts.missing(f"中文{RARE} {NOWHERE}\u200b", ["song", "hei"]) == {NOWHERE}
    assert fonts.missing(RARE, ["song"]) == {RARE}
    # asked again (what a chain draws is remembered): the same answers, per chain
    assert fonts.missing(f"{NOWHERE}{RARE}中", ["song", "hei"]) == {NOWHERE}
    assert fonts.missing(f"{RARE}中", ["song"]) == {RARE}
    assert fonts.missing("中文", ["song"]) == set()


def test_two_fonts_with_one_postscript_name_each_draw_their_own_glyphs(tmp_path: Path) -> None:
    """ReportLab keeps one font per PostScript name; a second file of the same name must not be
    drawn with the first one's glyphs (a face derived again with more characters, say)."""
    from reportlab.pdfbase import pdfmetrics

    a = save(build_ttf(COMMON, "Paiban Twin"), tmp_path / "twin-a.ttf")
    first = load_face(a)
    second = load_face(save(build_ttf(COMMON + RARE, "Paiban Twin"), tmp_path / "twin-b.ttf"))
    assert second.has(RARE) and not first.has(RARE)
    for face in (first, second):
        assert pdfmetrics.getFont(face.rl_name) is face._tt
    copy = load_face(shutil.copy(a, tmp_path / "twin-copy.ttf"))  # the same bytes: shared, not renamed
    assert copy.rl_name != first.rl_name and pdfmetrics.getFont(copy.rl_name) is first._tt
    pdf = tmp_path / "twins.pdf"
    c = Canvas(str(pdf), pagesize=(200, 100))
    c.setFont(first.rl_name, 20)
    c.drawString(10, 60, "中文")
    c.setFont(second.rl_name, 20)
    c.drawString(10, 20, RARE)
    c.save()
    got = spans(pdf)
    assert any(font.endswith("PaibanTwin-Regular") and "中文" in text for font, text in got)
    assert any(font.endswith("PaibanTwin-Regular-2") and text == RARE for font, text in got)


def test_fake_bold_is_the_regular_face_marked_for_stroking(made: dict[str, Path], tmp_path: Path) -> None:
    fonts = book(made, tmp_path, kai={"regular": FaceSource(made["ttf"]),
                                      "bold": FaceSource(made["ttf"], fake_bold=True)})
    regular, bold = fonts.face("kai"), fonts.face("kai", "bold")
    assert bold.fake_bold and not regular.fake_bold and bold.rl_name == regular.rl_name
    assert bold.stroke_width(30) == pytest.approx(1.0) and regular.stroke_width(30) == 0
    assert (fonts.bold_kind("kai"), fonts.bold_kind("song")) == ("fake", "none")
    assert fonts.face("song", "bold") is fonts.face("song")  # no bold: the regular face


def test_derived_faces_keep_the_base_characters(tmp_path: Path) -> None:
    full = save(build_otf(COMMON + "图（）—…" + "".join(map(chr, range(0x21, 0x7F)))), tmp_path / "full.otf")
    face = load_face(full, chars="中", cache_dir=tmp_path / "cache")
    assert face.has("中") and face.has("（") and face.has("Z") and face.has("—")
    assert not face.has("文")  # not asked for, not a base character
    assert set("（—Z") <= set(BASE_CHARS)


def _paragraph_pdf(fonts: FontBook, text: str, path: Path, *, bold: bool = False) -> Path:
    from paiban.assets import Assets
    from paiban.layout.text import make_paragraph_factory
    from paiban.spec.styles import TextStyle

    style = TextStyle(name="body", font="song", bold=bold, size=12, leading=20, indent=0, align="left",
                      color="#222222", space_before=0, space_after=0, fallback=("song", "hei"),
                      emphasis="dots", accent="#b3120f")
    para = make_paragraph_factory(Assets(fonts=fonts, styles={"body": style}))
    doc = SimpleDocTemplate(str(path), pagesize=A5, initialFontName=fonts.face("song").rl_name)
    doc.build([para(text, style)])
    return path


def ps_name(font: str) -> str:
    """A PDF font's PostScript name without the -2, -3 … paiban adds when another test of this
    process registered a different font file under the same name (see paiban.fonts.load._own_face_name)."""
    return re.sub(r"-\d+$", "", font)


def spans(pdf: Path) -> list[tuple[str, str]]:
    out = []
    with pymupdf.open(pdf) as doc:
        for page in doc:
            for block in page.get_text("rawdict")["blocks"]:
                for line in block.get("lines", []):
                    for span in line["spans"]:
                        out.append((span["font"], "".join(c["c"] for c in span["chars"])))
    return out


@pytest.mark.filterwarnings("ignore:no face of the style has a glyph")
def test_paragraphs_draw_fallback_and_a_placeholder(made: dict[str, Path], tmp_path: Path) -> None:
    fonts = book(made, tmp_path)
    pdf = _paragraph_pdf(fonts, f"这是正文{RARE}段落{NOWHERE}。", tmp_path / "p.pdf")
    got = [(ps_name(font), text) for font, text in spans(pdf)]
    assert ("PaibanTestHei-Regular", RARE) in got  # song lacks it: drawn from hei
    assert any(font == "PaibanTestSong-Regular" and "这是正文" in text for font, text in got)
    with pymupdf.open(pdf) as doc:
        page = doc[0]
        text = page.get_text().replace("\n", "")
        fonts_used = {ps_name(f[3].split("+", 1)[-1]) for f in page.get_fonts()}
        red = [d for d in page.get_drawings() if d.get("color") and d["color"][0] > 0.7 > d["color"][1]]
    # the placeholder: a red box holding 94/6B, whose text (ActualText) is the character itself, in
    # its place — copy-paste gives 鑫, not the digits drawn in the box
    assert text == f"这是正文{RARE}段落{NOWHERE}。"
    assert len(red) == 1 and "946B" not in text
    assert fonts_used == {"PaibanTestSong-Regular", "PaibanTestHei-Regular"}  # no Helvetica


def test_paragraphs_stroke_fake_bold(made: dict[str, Path], tmp_path: Path) -> None:
    fonts = FontBook({"song": {"regular": FaceSource(made["ttf"]), "bold": FaceSource(made["ttf"], fake_bold=True)},
                      "hei": {"regular": FaceSource(made["ttf"])}}, chars=COMMON, cache_dir=tmp_path / "cache")
    pdf = _paragraph_pdf(fonts, "这是正文段落。" * 30, tmp_path / "b.pdf", bold=True)
    with pymupdf.open(pdf) as doc:
        content = doc[0].read_contents()
        assert "这是正文段落。" in doc[0].get_text().replace("\n", "")
    assert re.search(rb"2 Tr\s+0?\.4 w", content)  # fill + stroke, 12 pt / 30


def test_placeholder_box_shows_the_code_point(made: dict[str, Path], tmp_path: Path) -> None:
    fonts = book(made, tmp_path)
    pdf = tmp_path / "box.pdf"
    c = Canvas(str(pdf), pagesize=(200, 100), initialFontName=fonts.face("song").rl_name)
    advance = draw_placeholder(c, NOWHERE, 50, 40, 24, fonts.face("hei"))
    c.save()
    assert advance == 24
    with pymupdf.open(pdf) as doc:
        page = doc[0]
        drawn = page.get_text(flags=pymupdf.TEXT_IGNORE_ACTUALTEXT).split()
        text = page.get_text().split()
        rects = [d for d in page.get_drawings() if d.get("color") and d["color"][0] > 0.7]
    assert drawn == ["94", "6B"]  # U+946B, drawn in the box …
    assert text == []  # … but not text: the paragraph's text object carries the character
    assert len(rects) == 1
    r = rects[0]["rect"]
    assert 50 < r.x0 < r.x1 < 74 and r.height > 15


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="needs fontconfig's fc-list")
def test_installed_font_found_by_family_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fonts = tmp_path / "installed"
    regular = save(build_ttf(COMMON, "Paiban Lookup Test", "Regular", 400), fonts / "lookup-regular.ttf")
    bold = save(build_ttf(COMMON, "Paiban Lookup Test", "Bold", 700), fonts / "lookup-bold.ttf")
    conf = tmp_path / "fonts.conf"
    conf.write_text(f"<?xml version='1.0'?><fontconfig><dir>{fonts}</dir><cachedir>{tmp_path / 'fc'}</cachedir>"
                    "</fontconfig>", encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    subprocess.run(["fc-cache", str(fonts)], check=False, capture_output=True, env=os.environ.copy())
    found = find_installed("Paiban Lookup Test")
    assert found is not None and found.path == regular and found.index == 0
    assert find_installed("paiban lookup test", bold=True).path == bold
    assert find_installed("No Such Family Anywhere") is None


