"""PackedTTFont: one embedded font program per face, and pages that draw and extract exactly as
with ReportLab's own TTFont (real bundled fonts, real ReportLab output read back with PyMuPDF)."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest
from fontTools.ttLib import TTFont as FTFont
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from paiban.pdf.embed import PackedTTFont, cid_widths
from tests.support.pdfcheck import assert_valid_pdf
from tests.support.project import DATA, ROOT

FONTS = ROOT / "fonts"
ARTICLE = (DATA / "article_paragraphs.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def serif() -> TTFont:
    return TTFont("PdffontsSerif", str(FONTS / "NotoSerifSC-Regular.ttf"))


@pytest.fixture(scope="module")
def kai() -> TTFont:
    return TTFont("PdffontsKai", str(FONTS / "LXGWWenKai-Regular.ttf"))


@pytest.fixture
def registry(monkeypatch):
    """ReportLab's font registry as a copy, put back after the test: the fonts registered here
    (two font objects for one face, one after the other) must not leak into other tests."""
    monkeypatch.setattr(pdfmetrics, "_fonts", dict(pdfmetrics._fonts))
    monkeypatch.setattr(pdfmetrics, "_dynFaceNames", dict(pdfmetrics._dynFaceNames))


def register(font: TTFont) -> None:
    """Register `font` under its name even if another object of the same face is registered
    (ReportLab would otherwise hand back the first object registered for the face)."""
    pdfmetrics._fonts.pop(font.fontName, None)
    pdfmetrics._dynFaceNames.pop(font.face.name, None)
    pdfmetrics.registerFont(font)
    assert pdfmetrics.getFont(font.fontName) is font


def article_text() -> str:
    return re.sub(r"[#*\s]", "", ARTICLE)


def draw(font: TTFont, lines: list[str], *, spaced: str | None = None) -> bytes:
    """A PDF of `lines` drawn with `font`, 60 lines a page, and optionally one line drawn with
    character spacing."""
    register(font)
    buf = io.BytesIO()
    canvas = Canvas(buf, invariant=1)
    for i, line in enumerate(lines):
        if i and i % 60 == 0:
            canvas.showPage()
        canvas.setFont(font.fontName, 10)
        canvas.drawString(30, 800 - 12.5 * (i % 60), line)
    if spaced is not None:
        text = canvas.beginText(30, 40)
        text.setFont(font.fontName, 10)
        text.setCharSpace(1.5)
        text.textLine(spaced)
        canvas.drawText(text)
    canvas.save()
    return buf.getvalue()


def chars_and_boxes(doc: pymupdf.Document) -> list[list[tuple[str, tuple[float, ...]]]]:
    pages = []
    for page in doc:
        raw = page.get_text("rawdict")
        pages.append([(c["c"], tuple(round(v, 2) for v in c["bbox"]))
                      for block in raw["blocks"] for line in block.get("lines", ())
                      for span in line["spans"] for c in span["chars"]])
    return pages


def font_files(doc: pymupdf.Document) -> list[int]:
    return [x for x in range(1, doc.xref_length()) if "/Length1" in doc.xref_object(x)]


def type0_fonts(doc: pymupdf.Document) -> list[int]:
    return [x for x in range(1, doc.xref_length()) if re.search(r"/Subtype\s*/Type0", doc.xref_object(x))]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    assert_valid_pdf(path)
    return path


def test_pages_draw_and_extract_as_with_ttfont(tmp_path, registry, serif):
    text = article_text()
    lines = [text[i:i + 36] for i in range(0, len(text), 36)]
    lines.append("Latin text, digits 0123456789 and a missing glyph: \u2603 end")
    stock_pdf = write(tmp_path, "stock.pdf", draw(serif, lines))
    packed_pdf = write(tmp_path, "packed.pdf", draw(PackedTTFont.adopt(serif), lines))
    stock, packed = pymupdf.open(stock_pdf), pymupdf.open(packed_pdf)

    assert len(set(text)) > 3 * 256  # several one-byte subsets
    assert [p.get_text() for p in packed] == [p.get_text() for p in stock]
    assert chars_and_boxes(packed) == chars_and_boxes(stock)
    for a, b in zip(stock, packed, strict=True):
        assert a.get_pixmap(dpi=60).samples == b.get_pixmap(dpi=60).samples
    # one font program and one font (two-byte codes) for the face, where ReportLab has a font
    # program and a font per subset of 256 codes
    assert len(font_files(stock)) > 3
    assert len(font_files(packed)) == len(type0_fonts(packed)) == 1
    fonts = {f[3] for page in packed for f in page.get_fonts() if f[3] != "Helvetica"}  # canvas default
    assert len(fonts) == 1 and re.fullmatch(r"[A-Z]{6}\+NotoSerifSC-Regular", fonts.pop())
    assert packed_pdf.stat().st_size < stock_pdf.stat().st_size


def _embedded(doc: pymupdf.Document) -> tuple[FTFont, dict[str, int]]:
    """The face's embedded font program, and the glyph id each extracted character is drawn
    with — read back the way a viewer does: code = CID (Identity-H), CID → GID."""
    (ff,) = font_files(doc)
    program = FTFont(io.BytesIO(doc.xref_stream(ff)))
    glyph_of: dict[str, int] = {}
    (x,) = type0_fonts(doc)
    obj = doc.xref_object(x)
    assert re.search(r"/Encoding\s*/Identity-H", obj)
    to_unicode = doc.xref_stream(int(re.search(r"/ToUnicode (\d+) 0 R", obj).group(1))).decode()
    cid_font = doc.xref_object(int(re.search(r"/DescendantFonts \[ ?(\d+) 0 R", obj).group(1)))
    gid_map = doc.xref_stream(int(re.search(r"/CIDToGIDMap (\d+) 0 R", cid_font).group(1)))
    for first, targets in re.findall(r"<([0-9A-F]{4})> <[0-9A-F]{4}> \[([^]]*)\]", to_unicode):
        for k, target in enumerate(targets.split()):
            ch = bytes.fromhex(target.strip("<>")).decode("utf-16-be")
            cid = int(first, 16) + k
            glyph_of.setdefault(ch, int.from_bytes(gid_map[2 * cid:2 * cid + 2], "big"))
    return program, glyph_of


def test_embedded_glyphs_are_the_faces_own(tmp_path, registry, kai):
    # ¨ ´ − ∕ are composite glyphs in this face: their components must come along, renumbered
    text = "¨´−∕汉字排版“引号”，。ABC abc 123"
    doc = pymupdf.open(write(tmp_path, "kai.pdf", draw(PackedTTFont.adopt(kai), [text])))
    program, glyph_of = _embedded(doc)
    source = FTFont(str(FONTS / "LXGWWenKai-Regular.ttf"))
    cmap = source.getBestCmap()

    assert set(program.keys()) - {"GlyphOrder"} == {"head", "hhea", "maxp", "hmtx", "loca", "glyf"}
    order = program.getGlyphOrder()
    composites = 0
    for ch in set(text):
        name, source_name = order[glyph_of[ch]], cmap[ord(ch)]
        embedded, original = program["glyf"][name], source["glyf"][source_name]
        assert program["hmtx"][name] == source["hmtx"][source_name]
        coords, ends, flags = embedded.getCoordinates(program["glyf"])  # composites flattened
        source_coords, source_ends, source_flags = original.getCoordinates(source["glyf"])
        assert (list(coords), ends, list(flags)) == (list(source_coords), source_ends, list(source_flags)), ch
        assert embedded.isComposite() == original.isComposite()
        composites += original.isComposite()
    assert composites == 4


def test_character_spacing_applies_as_with_ttfont_and_word_spacing_is_never_set(tmp_path, registry, serif):
    """Tc moves every glyph as with ReportLab's TTFont. Word spacing (Tw) acts on the one-byte
    code 32 only (PDF 32000 §9.3.3), so not on these two-byte codes: paiban never sets it (its
    text objects justify with Tc and TJ numbers), which the sources are checked for here."""
    spaced = "word spacing 作用于 every glyph"
    stock = pymupdf.open(write(tmp_path, "stock.pdf", draw(serif, ["x"], spaced=spaced)))
    packed = pymupdf.open(write(tmp_path, "packed.pdf", draw(PackedTTFont.adopt(serif), ["x"], spaced=spaced)))
    stock_chars, packed_chars = chars_and_boxes(stock)[0], chars_and_boxes(packed)[0]
    assert packed_chars == stock_chars
    # the spacing did act: from "d" to the "s" after the space, two advances and two Tc
    row = [c for c, box in packed_chars if box[1] > 700]
    x = [box[0] for c, box in packed_chars if box[1] > 700]
    d, s = row.index("d"), row.index("s")
    assert x[s] - x[d] == pytest.approx(serif.stringWidth("d ", 10) + 2 * 1.5, abs=0.05)
    sources = "".join(p.read_text("utf-8") for p in (ROOT / "src" / "paiban").rglob("*.py"))
    assert not re.search(r"setWordSpace|wordSpace\s*=| Tw[\"']", sources)  # no Tw operator written


def test_characters_beyond_the_bmp_extract(tmp_path, registry, serif):
    text = "生僻字𠅤𠙶在内"
    doc = pymupdf.open(write(tmp_path, "astral.pdf", draw(PackedTTFont.adopt(serif), [text])))
    assert doc[0].get_text().strip() == text


def test_the_same_document_gives_the_same_bytes(registry, serif):
    lines = [article_text()[:400]]
    assert draw(PackedTTFont.adopt(serif), lines) == draw(PackedTTFont.adopt(serif), lines)


def _expand(default: float, array) -> dict[int, float]:
    """The widths a viewer reads from a W array (both of its forms)."""
    out: dict[int, float] = {}
    items = array.sequence
    i = 0
    while i < len(items):
        if isinstance(items[i + 1], int | float):
            first, last, w = items[i:i + 3]
            out.update(dict.fromkeys(range(first, last + 1), w))
            i += 3
        else:
            out.update({items[i] + k: w for k, w in enumerate(items[i + 1].sequence)})
            i += 2
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([1000, 1000, 1000, 500, 250, 600.5, 0]), max_size=300))
def test_w_array_gives_back_every_width(widths):
    default, array = cid_widths(widths)
    explicit = _expand(default, array)
    assert [explicit.get(cid, default) for cid in range(len(widths))] == widths
    assert all(w != default for w in explicit.values())


DRIVER = """
import sys
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from paiban.pdf.embed import PackedTTFont

register = pdfmetrics.registerFont  # every face paiban registers goes in packed
pdfmetrics.registerFont = lambda f: register(PackedTTFont.adopt(f) if type(f) is TTFont else f)
from paiban.build import build

build(sys.argv[1], sys.argv[2], allow_outside=True)  # the PDF goes to a temporary folder
"""


def test_default_briefing_with_packed_fonts(default_pdf, default_project, tmp_path):
    out = tmp_path / "packed.pdf"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), NO_COLOR="1")
    r = subprocess.run([sys.executable, "-c", DRIVER, "report.yaml", str(out)], cwd=default_project,
                       env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert_valid_pdf(out)
    stock, packed = pymupdf.open(default_pdf), pymupdf.open(out)

    assert [p.get_text() for p in packed] == [p.get_text() for p in stock]
    assert chars_and_boxes(packed) == chars_and_boxes(stock)
    assert packed[0].get_pixmap(dpi=72).samples == stock[0].get_pixmap(dpi=72).samples
    # (default_pdf is the build as fonts.py registers its faces: stock TTFont, or packed once
    # fonts.py uses PackedTTFont; either way the pages must be the same)
    faces = {f[3].split("+", 1)[1] for page in packed for f in page.get_fonts()}
    assert faces == {f[3].split("+", 1)[1] for page in stock for f in page.get_fonts()}
    assert len(font_files(packed)) == len(faces)
    for page in packed:
        for _, ext, kind, name, *_ in page.get_fonts():
            assert kind == "Type0" and ext == "ttf" and re.match(r"[A-Z]{6}\+", name)



def test_a_remembered_font_program_gives_the_same_pdf_and_a_bad_one_is_ignored(serif, registry, tmp_path,
                                                                               monkeypatch):
    """The compressed program kept by ProgramCache is reused for the same glyphs: the PDF is byte
    for byte what compressing anew gives; a damaged cache file is passed over, never embedded."""
    from paiban.pdf import embed as pdffonts
    from paiban.pdf.embed import ProgramCache

    lines = [article_text()[i:i + 40] for i in range(0, 1200, 40)]
    folder = tmp_path / "programs"

    def build() -> bytes:
        return draw(PackedTTFont.adopt(serif, programs=ProgramCache(folder, FONTS / "NotoSerifSC-Regular.ttf")),
                    lines)

    plain = draw(PackedTTFont.adopt(serif), lines)
    assert build() == plain  # the first build writes the program and keeps it
    (kept,) = folder.glob("*.bin")

    real = pdffonts.font_program
    with monkeypatch.context() as m:
        def not_again(*args):
            raise AssertionError("the program was built again")
        m.setattr(pdffonts, "font_program", not_again)
        assert build() == plain  # …the next takes it from the file

    kept.write_bytes(kept.read_bytes()[:-1000])  # torn: the header whole, the stream cut short
    built = []
    monkeypatch.setattr(pdffonts, "font_program", lambda *a: built.append(1) or real(*a))
    assert build() == plain
    assert built  # rebuilt rather than the torn stream embedded
    assert build() == plain and len(built) == 1  # and the file made whole again
    more = draw(PackedTTFont.adopt(serif, programs=ProgramCache(folder, FONTS / "NotoSerifSC-Regular.ttf")),
                lines + ["另一组字形：鼎鼐"])
    assert len(list(folder.glob("*.bin"))) == 2 and len(built) == 2  # other glyphs, another file
    with pymupdf.open(stream=more) as doc:
        assert "另一组字形：鼎鼐" in doc[0].get_text()
