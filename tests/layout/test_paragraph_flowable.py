"""CJKParagraph as a ReportLab flowable: frames, splitting, the baseline grid, markup, fonts.

Every test builds a real PDF with ReportLab and reads it back with PyMuPDF.
"""

from __future__ import annotations

import io
import re

import pymupdf as fitz
import pytest
from reportlab.platypus import BaseDocTemplate, Frame, KeepTogether, PageTemplate

from paiban.cjk import CJKLayoutWarning, MarkupError
from paiban.cjk.markup import plain_text
from paiban.layout.paragraph import CJKParagraph, ParaStyle, baseline_offset

TEXT = ("坚守初心，践行使命。盂县县委常委会以《关于在全县“不忘初心、牢记使命”主题教育中上下联动抓整治整改的"
        "工作方案》为基础，坚持目标导向、问题导向、效果导向，专题研究“1+4”主题教育方案，成立了14个巡回指导组，"
        "实行周碰头、月小结、专题汇报、定期分析研判等制度，建立起横向到边、纵向到底的指导体系。")


@pytest.fixture(scope="module")
def body(serif, serif_bold):
    return ParaStyle(faces=(serif,), bold_faces=(serif_bold,), size=9.5, leading=16.0)


def build(story, frames, face, pagesize=(300, 400)) -> fitz.Document:
    """Lay the story out in `frames` ((x, y, w, h) tuples) and return the PDF opened with PyMuPDF."""
    buf = io.BytesIO()
    # initialFontName: otherwise ReportLab's page preamble names (unembedded) Helvetica
    doc = BaseDocTemplate(buf, pagesize=pagesize, initialFontName=face.rl_name)
    doc.addPageTemplates([PageTemplate("p", frames=[
        Frame(x, y, w, h, id=f"f{i}", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        for i, (x, y, w, h) in enumerate(frames)])])
    doc.build(story)
    return fitz.open(stream=buf.getvalue(), filetype="pdf")


def baselines(page) -> list[dict]:
    """Text lines as PyMuPDF sees them: chars grouped by baseline, left to right."""
    rows: dict[tuple[int, float], list] = {}
    for block in page.get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                for c in span["chars"]:
                    if c["c"].isspace():
                        continue
                    key = (round(c["origin"][0] // 1000), round(c["origin"][1], 2))
                    rows.setdefault(key, []).append({**c, "font": span["font"], "color": span["color"],
                                                     "size": span["size"]})
    out = []
    for (_, y), chars in sorted(rows.items(), key=lambda kv: kv[0][1]):
        chars.sort(key=lambda c: c["origin"][0])
        out.append({"y": y, "chars": chars, "text": "".join(c["c"] for c in chars),
                    "x0": chars[0]["bbox"][0], "x1": chars[-1]["bbox"][2]})
    return out


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


# -- the flowable protocol ---------------------------------------------------------------------

def test_height_is_lines_times_leading(body):
    p = CJKParagraph(TEXT, body)
    w, h = p.wrap(150, 1000)
    assert w == 150
    assert h == pytest.approx(len(p.lines(150)) * 16.0)
    assert p.baseline_offset == pytest.approx((16.0 - 9.5) / 2 + 0.88 * 9.5)


def test_stacked_paragraphs_keep_every_baseline_on_the_grid(body, serif):
    style = ParaStyle(faces=body.faces, bold_faces=body.bold_faces, size=9.5, leading=16.0, space_after=16.0)
    story = [CJKParagraph(TEXT, style), CJKParagraph("**短段落**后接正文，1,234名。", style), CJKParagraph(TEXT, style)]
    top = 20 + 360
    pdf = build(story, [(20, 20, 150, 360)], serif)
    rows = baselines(pdf[0])
    assert len(rows) > 10
    off = baseline_offset(style)
    for row in rows:
        steps = (top - off - (pdf[0].rect.height - row["y"])) / 16.0
        assert steps == pytest.approx(round(steps), abs=1e-3), row["text"]


def test_text_extracts_in_order_character_for_character(body, serif):
    story = [CJKParagraph(TEXT, body)]
    pdf = build(story, [(20, 20, 150, 360)], serif)
    assert squash(pdf[0].get_text()) == squash(TEXT)
    rows = baselines(pdf[0])
    assert "".join(r["text"] for r in rows) == squash(TEXT)


def test_lines_are_flush_with_the_frame_edge(body, serif):
    pdf = build([CJKParagraph(TEXT, body)], [(20, 20, 150, 360)], serif)
    rows = baselines(pdf[0])
    for row in rows[:-1]:
        ink_box_end = row["x1"]
        # a hanging full-width mark's box may pass the edge by its blank half; nothing falls short
        assert ink_box_end >= 170 - 0.1, row["text"]
        assert ink_box_end <= 170 + 0.5 * 9.5 + 0.1, row["text"]
    assert rows[0]["x0"] == pytest.approx(20 + 2 * 9.5, abs=0.01)  # 2-em first-line indent
    assert all(r["x0"] == pytest.approx(20, abs=0.01) for r in rows[1:])


def test_no_helvetica_or_other_unembedded_font(body, serif):
    pdf = build([CJKParagraph(TEXT, body)], [(20, 20, 150, 360)], serif)
    fonts = pdf.get_page_fonts(0, full=True)
    assert fonts
    for _xref, ext, _ftype, basefont, *_ in fonts:
        assert ext not in ("n/a", ""), basefont
        assert "Helvetica" not in basefont


def test_one_text_object_per_paragraph(body, serif):
    p = CJKParagraph(TEXT, body)
    pdf = build([p], [(20, 20, 150, 360)], serif)
    content = pdf[0].read_contents().decode("latin-1")
    assert content.count("BT\n") == 1  # one text object for the whole paragraph
    assert content.count(" Td") + content.count(" Tm") == len(p.lines(150))  # one placement per line


# -- splitting across frames ---------------------------------------------------------------------

def _frames_two(h1, h2=300):
    return [(20, 60, 150, h1), (180, 60, 150, h2)]


def test_split_never_leaves_a_widow(body, serif):
    p = CJKParagraph(TEXT, body)
    n = len(p.lines(150))
    assert n >= 5
    # room for n-1 lines: a naive split would carry one line alone to the next column
    pdf = build([CJKParagraph(TEXT, body)], _frames_two((n - 1) * 16 + 4), serif, pagesize=(360, 400))
    rows = baselines(pdf[0])
    left = [r for r in rows if r["x0"] < 175]
    right = [r for r in rows if r["x0"] >= 175]
    assert len(left) == n - 2 and len(right) == 2
    assert squash(pdf[0].get_text()) == squash(TEXT)
    # the head's last line is justified (it is not the paragraph's end)
    assert left[-1]["x1"] >= 170 - 0.1


def test_split_never_leaves_an_orphan(body, serif):
    first = CJKParagraph("前一段占去几乎整个栏。" * 8, body)
    h_first = first.wrap(150, 1000)[1]
    # after the first paragraph there is room for exactly one line of the second
    pdf = build([first, CJKParagraph(TEXT, body)], _frames_two(h_first + 16 + 4), serif, pagesize=(360, 400))
    rows = baselines(pdf[0])
    left = [r for r in rows if r["x0"] < 175]
    assert "".join(r["text"] for r in left) == squash("前一段占去几乎整个栏。" * 8)


def test_split_at_a_different_width_rebreaks_the_tail(body, serif):
    pdf = build([CJKParagraph(TEXT, body)], [(20, 300, 150, 70), (20, 20, 250, 260)], serif, pagesize=(300, 400))
    rows = baselines(pdf[0])
    assert squash(pdf[0].get_text()) == squash(TEXT)
    wide = [r for r in rows if r["y"] > 400 - 280]
    for r in wide[:-1]:
        assert r["x1"] >= 270 - 0.1


def test_keep_with_next_moves_a_heading_to_the_next_column(body, serif, serif_bold):
    head = ParaStyle(faces=(serif_bold,), size=12, leading=32, first_indent=0, align="left", keep_with_next=True)
    filler = CJKParagraph("占位文字。" * 17, body)
    h_fill = filler.wrap(150, 1000)[1]
    story = [filler, CJKParagraph("小标题", head), CJKParagraph(TEXT, body)]
    # room for the heading but not for two lines of the paragraph after it
    pdf = build(story, _frames_two(h_fill + 32 + 20), serif, pagesize=(360, 400))
    rows = baselines(pdf[0])
    heading = next(r for r in rows if r["text"] == "小标题")
    assert heading["x0"] >= 175  # moved to the second column with its paragraph


def test_keep_together_keeps_paragraphs_in_one_frame(body, serif):
    a, b = CJKParagraph("甲段落。" * 10, body), CJKParagraph("乙段落。" * 10, body)
    h = a.wrap(150, 1000)[1]
    pdf = build([KeepTogether([a, b])], _frames_two(h + 20), serif, pagesize=(360, 400))
    rows = baselines(pdf[0])
    assert all(r["x0"] >= 175 for r in rows)


# -- markup, colours, links, emphasis ------------------------------------------------------------

def _spans(page):
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            yield from line["spans"]


def test_bold_uses_the_bold_face(body, serif):
    pdf = build([CJKParagraph("**坚守初心，践行使命。**盂县县委常委会以专题研究。", body)], [(20, 20, 150, 360)], serif)
    fonts = {s["text"].strip(): s["font"] for s in _spans(pdf[0]) if s["text"].strip()}
    assert any("Bold" in f and "坚守" in t for t, f in fonts.items())
    assert any("Bold" not in f and "盂县" in t for t, f in fonts.items())


def test_bold_without_a_bold_face_is_stroked(serif):
    style = ParaStyle(faces=(serif,), size=9.5, leading=16)
    pdf = build([CJKParagraph("**粗体**正文", style)], [(20, 20, 150, 360)], serif)
    assert " Tr" in pdf[0].read_contents().decode("latin-1")
    assert squash(pdf[0].get_text()) == "粗体正文"


def test_emphasis_dots_under_each_han_character(body, serif):
    pdf = build([CJKParagraph("正文*着重号，要点*正文", body)], [(20, 20, 150, 360)], serif)
    dots = [d for d in pdf[0].get_drawings() if d["fill"] is not None]
    assert len(dots) == 5  # 着重号要点, not the comma
    row = baselines(pdf[0])[0]
    emph = [c for c in row["chars"] if c["c"] in "着重号要点"]
    for c, d in zip(emph, sorted(dots, key=lambda d: d["rect"].x0), strict=True):
        cx = (d["rect"].x0 + d["rect"].x1) / 2
        assert cx == pytest.approx((c["bbox"][0] + c["bbox"][2]) / 2, abs=0.05)
        assert d["rect"].y0 > c["origin"][1]  # below the baseline


def test_emphasis_may_be_a_colour(serif):
    style = ParaStyle(faces=(serif,), size=9.5, leading=16, emphasis="color", emphasis_color="#b3120f")
    pdf = build([CJKParagraph("正文*着重*正文", style)], [(20, 20, 150, 360)], serif)
    colours = {s["text"]: s["color"] for s in _spans(pdf[0])}
    assert colours.get("着重") == 0xB3120F


def test_links_are_clickable_and_coloured(body, serif):
    text = "详见[盂县政府网站](https://www.yuxian.gov.cn/news)的报道，[红色]{color=#b3120f}标注。"
    pdf = build([CJKParagraph(text, body)], [(20, 20, 150, 360)], serif)
    links = pdf[0].get_links()
    assert [ln["uri"] for ln in links] == ["https://www.yuxian.gov.cn/news"]
    colours = {s["text"]: s["color"] for s in _spans(pdf[0])}
    assert colours.get("盂县政府网站") == 0x1F4E9C
    assert colours.get("红色") == 0xB3120F
    rect = links[0]["from"]
    row = baselines(pdf[0])[0]
    linked = [c for c in row["chars"] if c["c"] in "盂县政府网站"]
    assert rect.x0 == pytest.approx(linked[0]["bbox"][0], abs=0.05)
    assert rect.x1 == pytest.approx(linked[-1]["bbox"][2], abs=0.05)


def test_rules_hold_across_style_changes(body, serif):
    # a closing mark in another style than the character before it still may not start a line
    text = "**前面是粗体**，" * 12 + "[链接](https://a.b)）" * 6
    p = CJKParagraph(text, body)
    for w in range(80, 160, 3):
        for line in p.lines(w)[1:]:
            assert line[0] not in "，）", (w, p.lines(w))


def test_alignment(serif):
    for align, expect in (("left", 20.0), ("right", 170 - 4 * 9.5), ("center", 20 + (150 - 4 * 9.5) / 2)):
        style = ParaStyle(faces=(serif,), size=9.5, leading=16, first_indent=0, align=align)
        pdf = build([CJKParagraph("四个汉字", style)], [(20, 20, 150, 360)], serif)
        assert baselines(pdf[0])[0]["x0"] == pytest.approx(expect, abs=0.01), align


def test_font_fallback_draws_from_the_next_face(serif, kai):
    from fontTools.ttLib import TTFont

    have = set(TTFont(str(kai.path), lazy=True).getBestCmap()) - set(TTFont(str(serif.path), lazy=True).getBestCmap())
    ch = next(chr(c) for c in sorted(have) if c > 0x2000 and chr(c).isprintable() and not chr(c).isspace())
    style = ParaStyle(faces=(serif, kai), size=9.5, leading=16)
    pdf = build([CJKParagraph(f"前文{ch}后文", style)], [(20, 20, 150, 360)], serif)
    row = baselines(pdf[0])[0]
    assert row["text"] == f"前文{ch}后文"
    by_char = {c["c"]: c["font"] for c in row["chars"]}
    assert "LXGW" in by_char[ch] or "Kai" in by_char[ch]
    assert "Noto" in by_char["前"]


def test_a_missing_glyph_warns(serif):
    style = ParaStyle(faces=(serif,), size=9.5, leading=16)
    p = CJKParagraph("前\ue000后", style)  # measured when first laid out: memory stays flat in pages
    with pytest.warns(CJKLayoutWarning, match="U\\+E000"):
        p.wrap(100, 100)
    assert any("U+E000" in d for d in p.diagnostics)


def test_unbalanced_markup_fails_at_construction(body):
    with pytest.raises(MarkupError, match="column 3"):
        CJKParagraph("正文**未闭合", body)


def test_style_validation(serif):
    with pytest.raises(ValueError, match="align"):
        ParaStyle(faces=(serif,), align="justified")
    with pytest.raises(ValueError, match="emphasis"):
        ParaStyle(faces=(serif,), emphasis="underline")
    s = ParaStyle(faces=(serif,), size=10)
    assert s.leading == pytest.approx(17.0) and s.first_indent == pytest.approx(20.0)


def test_plain_text_of_markup_is_what_is_drawn(body, serif):
    text = r"**甲**乙*丙*[丁](https://x.y)[戊]{color=#123456}\*己\["
    pdf = build([CJKParagraph(text, body)], [(20, 20, 150, 360)], serif)
    assert squash(pdf[0].get_text()) == plain_text(text)


def test_emphasis_may_be_bold(serif, serif_bold):
    style = ParaStyle(faces=(serif,), bold_faces=(serif_bold,), size=9.5, leading=16, emphasis="bold")
    pdf = build([CJKParagraph("正文*着重*正文", style)], [(20, 20, 150, 360)], serif)
    fonts = {s["text"]: s["font"] for s in _spans(pdf[0])}
    assert "Bold" in fonts["着重"]
    assert not [d for d in pdf[0].get_drawings() if d["fill"] is not None]  # no dots


def test_an_empty_paragraph_takes_no_room(body, serif):
    p = CJKParagraph("", body)
    assert p.wrap(150, 100) == (150, 0)
    pdf = build([p, CJKParagraph("后文", body)], [(20, 20, 150, 360)], serif)
    assert squash(pdf[0].get_text()) == "后文"


def test_han_latin_spacing_follows_the_style(serif):
    wide = ParaStyle(faces=(serif,), size=10, leading=17, first_indent=0, align="left", han_latin=0.5)
    none = ParaStyle(faces=(serif,), size=10, leading=17, first_indent=0, align="left", han_latin=0.0,
                     han_latin_min=0.0)
    a = CJKParagraph("共11个", wide).placed_lines(200)[0]
    b = CJKParagraph("共11个", none).placed_lines(200)[0]
    assert a.x[1] - a.x[0] == pytest.approx(1.5)  # 1 em for 共, then half an em
    assert b.x[1] - b.x[0] == pytest.approx(1.0)


def test_a_missing_character_is_drawn_as_a_visible_box(serif):
    style = ParaStyle(faces=(serif,), size=9.5, leading=16)
    with pytest.warns(CJKLayoutWarning):  # told when laid out
        pdf = build([CJKParagraph("前\ue000后", style)], [(20, 20, 150, 360)], serif)
    boxes = [d for d in pdf[0].get_drawings() if d["color"] is not None]
    assert len(boxes) == 1
    row = next(r for r in baselines(pdf[0]) if "前" in r["text"])
    before, after = row["chars"][0], row["chars"][-1]
    assert (before["c"], after["c"]) == ("前", "后")
    # the box names the code point (drawn), and the text layer holds the character itself, in place
    assert "E000" in squash(pdf[0].get_text(flags=fitz.TEXT_IGNORE_ACTUALTEXT))
    assert squash(pdf[0].get_text()).startswith("前\ue000后")
    box = boxes[0]["rect"]
    assert before["bbox"][2] <= box.x0 and box.x1 <= after["bbox"][0]  # the box holds the place


def test_a_fake_bold_face_is_stroked(serif):
    if not hasattr(serif, "emboldened"):
        pytest.skip("paiban.fonts has no emboldened faces")
    style = ParaStyle(faces=(serif,), bold_faces=(serif.emboldened(),), size=9.5, leading=16)
    pdf = build([CJKParagraph("**粗体**正文", style)], [(20, 20, 150, 360)], serif)
    content = pdf[0].read_contents().decode("latin-1")
    assert "2 Tr" in content and "0 Tr" in content
