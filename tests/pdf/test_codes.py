"""The paragraph drawer's shortcuts around ReportLab: glyph codes looked up once per character, and
paragraphs not drawn while column balancing only tries a height. Real fonts, real ReportLab."""

from __future__ import annotations

import io
import random
import re
from weakref import WeakKeyDictionary

import pymupdf
import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFDocument
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from paiban.layout.paragraph import CJKParagraph, ParaStyle
from paiban.pdf.codes import SubsetCodes, subset_codes
from paiban.pdf.embed import PackedTTFont


def _han(face, count: int, start: int = 0x4E00) -> list[str]:
    out = []
    cp = start
    while len(out) < count:
        if face.has(chr(cp)):
            out.append(chr(cp))
        cp += 1
    return out


def _split(font, text: str, doc) -> list[int]:
    """The codes ReportLab's text objects write for `text`: two-byte CIDs for a font with
    `two_byte_codes`, else subset × 256 + byte."""
    pieces = font.splitString(text, doc)
    if getattr(font, "two_byte_codes", lambda: False)():
        return [int.from_bytes(data[i:i + 2], "big") for _, data in pieces for i in range(0, len(data), 2)]
    return [(subset << 8) | byte for subset, data in pieces for byte in data]


@pytest.mark.parametrize("kind", ["packed", "reportlab"])
def test_codes_are_the_ones_reportlab_gives(serif, kind) -> None:
    """More characters than one subset holds, fed in pieces with repeats, ASCII and a character
    the face lacks, some of them drawn by ReportLab itself in between (as a running header
    would be): every character ends up with the code ReportLab's own splitString gives it —
    with paiban's font (two-byte codes) and with ReportLab's TTFont (one-byte subsets)."""
    font = pdfmetrics.getFont(serif.rl_name)
    assert isinstance(font, PackedTTFont)
    if kind == "reportlab":
        plain = TTFont.__new__(TTFont)
        plain.__dict__.update(font.__dict__)
        plain.state = WeakKeyDictionary()
        font = plain
    han = _han(serif, 700)
    random.Random(7).shuffle(han)  # first-use order, not code point order, decides the codes
    lacking = next(chr(cp) for cp in range(0x1F600, 0x1F700) if not serif.has(chr(cp)))
    pieces = ["".join(han[i:i + 90]) + "ab 12" + "".join(han[i // 2:i // 2 + 30]) for i in range(0, 700, 70)]
    pieces[3] += lacking
    ours_doc, theirs_doc = PDFDocument(), PDFDocument()
    codes = SubsetCodes(font, ours_doc)
    assert codes.wide == (kind == "packed")
    got = []
    for i, piece in enumerate(pieces):
        got.append(codes.codes(list(piece)))
        if i % 3 == 1:  # text drawn through ReportLab between our paragraphs
            font.splitString(piece[::-1], ours_doc)
        font.splitString(piece, theirs_doc)
        if i % 3 == 1:
            font.splitString(piece[::-1], theirs_doc)
    for piece, ours in zip(pieces, got, strict=True):
        assert ours == _split(font, piece, theirs_doc)
    assert max(c >> 8 for c in codes.code.values()) >= 2  # past 256 codes: more than one-byte subset
    assert codes.code[lacking] == 0  # .notdef, as ReportLab draws it
    subsets = {codes.subset(c) for c in codes.code.values()}
    assert subsets == {0} if kind == "packed" else len(subsets) > 2  # one font resource, or several


def test_subset_names_number_fonts_in_first_use_order(serif, sans) -> None:
    doc = PDFDocument()
    first, second = subset_codes(doc, sans.rl_name), subset_codes(doc, serif.rl_name)
    first.codes(list("排版"))
    second.codes(list("排版"))
    assert first.name(0) == "/F1+0" and second.name(0) == "/F2+0"
    assert subset_codes(doc, serif.rl_name) is second  # one table per font per document
    assert subset_codes(PDFDocument(), serif.rl_name) is not second
    assert isinstance(second, SubsetCodes)


def test_a_paragraph_draws_the_glyphs_it_was_given(serif) -> None:
    """Across subsets and with text ReportLab drew first, the PDF reads back as the input."""
    text = "".join(_han(serif, 400)) + "，2023年“盂县”。"
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(420, 900), initialFontName=serif.rl_name)
    c.setFont(serif.rl_name, 12)
    c.drawString(10, 880, text[300:320])  # some characters get their codes from ReportLab first
    p = CJKParagraph(text, ParaStyle(faces=(serif,), size=10, leading=17))
    _, h = p.wrap(400, 800)
    p.drawOn(c, 10, 860 - h)
    c.save()
    page = pymupdf.open(stream=buf.getvalue(), filetype="pdf")[0]
    extracted = re.sub(r"\s+", "", page.get_text())
    assert extracted == text[300:320] + text


def test_nothing_is_drawn_in_a_dry_run(serif) -> None:
    """While balancing tries a column height, a paragraph skips its drawing (thrown away anyway)."""
    p = CJKParagraph("坚守初心，践行使命。" * 8, ParaStyle(faces=(serif,), size=10, leading=17))
    p.wrap(200, 800)
    c = Canvas(io.BytesIO(), initialFontName=serif.rl_name)
    before = len(c._code)
    c.dry_run = True
    p.drawOn(c, 10, 500)
    dry = c._code[before:]
    c.dry_run = False
    p.drawOn(c, 10, 500)
    wet = c._code[before + len(dry):]
    assert not any("TJ" in op for op in dry)
    assert any("TJ" in op for op in wet)
