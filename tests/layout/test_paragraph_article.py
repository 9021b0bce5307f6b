"""The whole seed article set in A4 with 1–5 columns, checked the way the project is judged.

The checks mirror the project's PDF checker (re-implemented here with PyMuPDF): no clreq
line-start/line-end violation, no split —— or ……, every continuation line flush with its
column's right edge, Han–Latin spacing at (nearly) every adjacency, adjacent full-width
punctuation compressed, and the text read back equal to the source.
"""

from __future__ import annotations

import io
import re
from itertools import pairwise

import pymupdf
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from paiban.cjk.markup import plain_text
from paiban.fonts.load import load_face
from paiban.layout.paragraph import CJKParagraph, ParaStyle
from tests.support.project import DATA, ROOT

ARTICLE = DATA / "article_paragraphs.txt"
SIZE, LEADING = 9.5, 16.0
MARGIN, GUTTER = 18 * mm, 5 * mm
NO_START = set("、，。．：；？！）》」』】〕〗〉”’…—%‰℃")
NO_END = set("（《「『【〔〖〈“‘")
FULLWIDTH_PUNCT = set("，。、；：？！（）《》「」『』〔〕【】〈〉“”‘’")


def is_han(ch: str) -> bool:
    o = ord(ch)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3134F


def blocks() -> list[str]:
    return [b.strip() for b in ARTICLE.read_text(encoding="utf-8").split("\n\n") if b.strip()]


def set_article(columns: int) -> tuple[bytes, list[tuple[float, float]]]:
    fonts = ROOT / "fonts"
    serif = load_face(fonts / "NotoSerifSC-Regular.ttf")
    serif_bold = load_face(fonts / "NotoSerifSC-Bold.ttf")
    sans_bold = load_face(fonts / "NotoSansSC-Bold.ttf")
    body = ParaStyle(faces=(serif,), bold_faces=(serif_bold,), size=SIZE, leading=LEADING)
    head = ParaStyle(faces=(sans_bold,), size=12, leading=2 * LEADING, first_indent=0, align="left",
                     keep_with_next=True)
    width, height = A4
    col = (width - 2 * MARGIN - (columns - 1) * GUTTER) / columns
    edges = [(MARGIN + i * (col + GUTTER), MARGIN + i * (col + GUTTER) + col) for i in range(columns)]
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=A4, initialFontName=serif.rl_name)
    doc.addPageTemplates([PageTemplate("cols", frames=[
        Frame(x0, MARGIN, x1 - x0, height - 2 * MARGIN, id=f"c{i}", leftPadding=0, rightPadding=0,
              topPadding=0, bottomPadding=0) for i, (x0, x1) in enumerate(edges)])])
    story, heads = [], []
    for b in blocks():
        if b.startswith("## "):
            heads.append(CJKParagraph(b[3:], head))
        elif heads:
            story += [*heads, CJKParagraph(b, body)]  # headings keep with next (ReportLab groups them)
            heads = []
        else:
            story.append(CJKParagraph(b, body))
    doc.build(story + heads)
    return buf.getvalue(), edges


def visual_lines(page, edges):
    """Body-size text lines per column: chars grouped by column and baseline."""
    rows: dict[tuple[int, float], list] = {}
    for block in page.get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                if abs(span["size"] - SIZE) > 0.05:
                    continue
                for c in span["chars"]:
                    if c["c"].isspace():
                        continue
                    x = c["origin"][0]
                    col = next(i for i, (x0, x1) in enumerate(edges) if x0 - 1 <= x <= x1 + 1)
                    rows.setdefault((col, round(c["origin"][1], 2)), []).append(c)
    out = []
    for (col, y), chars in sorted(rows.items()):
        chars.sort(key=lambda c: c["origin"][0])
        out.append({"col": col, "y": y, "chars": chars, "text": "".join(c["c"] for c in chars),
                    "x0": chars[0]["bbox"][0], "x1": chars[-1]["bbox"][2]})
    return out


@pytest.fixture(scope="module", params=[1, 2, 3, 4, 5], ids=lambda n: f"{n}col")
def article(request):
    data, edges = set_article(request.param)
    pdf = pymupdf.open(stream=data, filetype="pdf")
    pages = [visual_lines(page, edges) for page in pdf]
    return pdf, edges, pages


def test_no_clreq_violations(article):
    _, _, pages = article
    bad = []
    for lines in pages:
        for a in lines:
            if a["text"][0] in NO_START:
                bad.append(("starts", a["text"]))
            if a["text"][-1] in NO_END:
                bad.append(("ends", a["text"]))
        for a, b in pairwise(lines):
            if a["col"] == b["col"]:
                for ch in "—…":
                    if a["text"].endswith(ch) and not a["text"].endswith(ch * 2) and b["text"].startswith(ch):
                        bad.append(("split " + ch * 2, a["text"] + " | " + b["text"]))
    assert bad == []


def test_every_continuation_line_is_flush(article):
    _, edges, pages = article
    total, misses = 0, []
    for lines in pages:
        for a, b in pairwise(lines):
            x0, x1 = edges[a["col"]]
            same_para = (b["col"] == a["col"] and abs((a["y"] + LEADING) - b["y"]) < 0.01
                         and abs(b["x0"] - x0) < 0.01)  # next line not indented: same paragraph
            if not same_para:
                continue
            total += 1
            if a["x1"] < x1 - 0.1:
                misses.append((round(x1 - a["x1"], 2), a["text"]))
    assert total > 0.6 * sum(len(lines) for lines in pages)  # most lines are continuation lines
    assert misses == []


def test_han_latin_spacing(article):
    _, _, pages = article
    pairs = spaced = 0
    for lines in pages:
        for line in lines:
            for a, b in pairwise(line["chars"]):
                ca, cb = a["c"], b["c"]
                if (is_han(ca) and cb.isascii() and cb.isalnum()) or (ca.isascii() and ca.isalnum() and is_han(cb)):
                    pairs += 1
                    if b["bbox"][0] - a["bbox"][2] >= 0.12 * SIZE:
                        spaced += 1
    assert pairs > 250
    assert spaced / pairs >= 0.95


def test_adjacent_fullwidth_punctuation_is_compressed(article):
    _, _, pages = article
    pairs = compressed = 0
    for lines in pages:
        for line in lines:
            for a, b in pairwise(line["chars"]):
                if a["c"] in FULLWIDTH_PUNCT and b["c"] in FULLWIDTH_PUNCT:
                    pairs += 1
                    if b["bbox"][2] - a["bbox"][0] <= 1.6 * SIZE:
                        compressed += 1
    assert pairs > 20
    assert compressed == pairs


def test_text_reads_back_in_order(article):
    pdf, _, _ = article
    got = re.sub(r"\s+", "", "".join(page.get_text() for page in pdf))
    expected = re.sub(r"\s+", "", "".join(plain_text(b[3:] if b.startswith("## ") else b) for b in blocks()))
    assert got == expected


def test_fonts_embedded_and_subset(article):
    pdf, _, _ = article
    for pno in range(pdf.page_count):
        for _, ext, ftype, basefont, *_ in pdf.get_page_fonts(pno, full=True):
            assert ext not in ("n/a", "") and ftype != "Type3", basefont
            assert re.match(r"^[A-Z]{6}\+", basefont), basefont
