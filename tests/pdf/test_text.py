"""The text-object writer on its own: plain positions in, PDF operators out."""

from __future__ import annotations

import io
import re

import pymupdf
from reportlab.pdfgen.canvas import Canvas

from paiban.pdf.text import GlyphLine, TextObject, add_links, write_text


def _content(text: TextObject, links=()) -> tuple[str, pymupdf.Document]:
    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=(200, 100), pageCompression=0)
    write_text(canv, text)
    add_links(canv, links)
    ops = "\n".join(canv._code)
    canv.showPage()
    canv.save()
    return ops, pymupdf.open(stream=buf.getvalue(), filetype="pdf")


def test_lines_shifts_and_spaces_become_tm_tc_and_tj(serif) -> None:
    chars = list("排版ab排版")
    lines = [GlyphLine(50.0, 0, 4, 0.5, {0: 10.0, 2: 2.5}, {1}), GlyphLine(30.0, 4, 6, 0.0, {0: 10.0})]
    text = TextObject(size=10.0, chars=chars, fonts=[(serif.rl_name, 6)], run=[0, 0, 0, 0, 1, 1],
                      colors=[(0.0, 0.0, 0.0), (1.0, 0.0, 0.0)], lines=lines)
    ops, pdf = _content(text)
    # each line steps down from the one before (Td); the first glyph of a line moves 10 pt (1000
    # thousandths of the size), a space follows glyph 1, glyph 2 moves 2.5 pt; equal glyphs get
    # equal codes (two bytes each: paiban's fonts); one Tf for both lines
    expected = (r"q\nBT\n0 50 Td\n0\.500 Tc\n/F\d+\+0 10 Tf\n0 0 0 rg 0 0 0 RG\n"
                r"\[-1000\.00 <(\w{4})(\w{4})\w{4}> -250\.00 <\w{8}>\] TJ\n"
                r"0 -20 Td\n0\.000 Tc\n1 0 0 rg 1 0 0 RG\n\[-1000\.00 <\1\2>\] TJ\nET\nQ")
    assert re.fullmatch(expected, ops)
    assert pdf[0].get_text().split("\n")[:2] == ["排版 ab", "排版"]


def test_fake_bold_scaled_hidden_glyphs_dots_and_links(serif) -> None:
    chars = list("——甲□乙")
    text = TextObject(size=10.0, chars=chars, fonts=[(serif.rl_name, 5)], run=[0] * 5, colors=[(0.0, 0.0, 0.0)],
                      lines=[GlyphLine(50.0, 0, 5, 0.0, {0: 0.0})], stroke=[0.0, 0.0, 0.3, 0.3, 0.0],
                      scaled={0: (0.0, 1.5), 1: (10.0, 1.5)}, hidden=[3], dots=[(25.0, 47.0, (1.0, 0.0, 0.0))],
                      dot_radius=0.65)
    ops, pdf = _content(text, [("https://example.com", (0.0, 48.0, 50.0, 59.0))])
    assert "150 Tz 1 0 0 1 0.000 50.000 Tm" in ops and "150 Tz 1 0 0 1 10.000 50.000 Tm" in ops
    assert "2 Tr 0.3 w" in ops and "0 Tr" in ops
    assert "1 0 0 rg\n25.65 47 m" in ops  # the dot, after the text object
    # the hidden glyph is not drawn: an invisible space carries it as ActualText, in its place
    assert pdf[0].get_text().replace("\n", "") == "——甲□乙"
    assert "/Span <</ActualText <FEFF25A1>>> BDC" in ops
    assert [link["uri"] for link in pdf[0].get_links()] == ["https://example.com"]


def test_a_line_after_a_scaled_glyph_says_where_it_is(serif) -> None:
    """A glyph drawn scaled moves the line matrix to itself (Tm): the next line is placed with a
    Tm of its own, not a step from there; lines land where their y says, to 1/1000 pt."""
    chars = list("——甲乙丙丁")
    ys = [80.125, 64.925, 49.725]
    lines = [GlyphLine(ys[0], 0, 2, 0.0, {}), GlyphLine(ys[1], 2, 4, 0.0, {}), GlyphLine(ys[2], 4, 6, 0.0, {})]
    text = TextObject(size=10.0, chars=chars, fonts=[(serif.rl_name, 6)], run=[0] * 6, colors=[(0.0, 0.0, 0.0)],
                      lines=lines, scaled={1: (10.0, 1.5)})
    ops, pdf = _content(text)
    assert "0 80.125 Td" in ops and "1 0 0 1 0 64.925 Tm" in ops and "0 -15.2 Td" in ops
    rows = sorted({round(100 - c["origin"][1], 3) for block in pdf[0].get_text("rawdict")["blocks"]
                   for line in block.get("lines", ()) for span in line["spans"] for c in span["chars"]})
    assert rows == sorted(ys)
