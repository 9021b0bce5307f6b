"""The 公文 example (examples/gongwen, the same project as `paiban init --template gongwen`) built
by the real command line and measured from the PDF as GB/T 9704-2012 measures a 公文: the 22 ×
28 character grid, the 版心's place and size, the head, the title's shape, page numbers."""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from pathlib import Path

import pymupdf
import pytest

from tests.support.project import FONTS, ROOT, run_paiban

EXAMPLE = ROOT / "examples" / "gongwen"
TEMPLATE = ROOT / "src" / "paiban" / "templates" / "gongwen" / "report.yaml"
MM = 72 / 25.4
LEFT, WIDTH, TOP, HEIGHT = 28 * MM, 156 * MM, 37 * MM, 225 * MM
SIZE = 16.0
CELL = (WIDTH - SIZE) / 27  # the pitch of 28 em boxes filling 156 mm
PITCH = (HEIGHT - SIZE) / 21  # of 22 lines filling 225 mm


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> pymupdf.Document:
    project = tmp_path_factory.mktemp("gongwen")
    shutil.copy(EXAMPLE / "report.yaml", project / "report.yaml")
    (project / "fonts").mkdir()
    for name in ("NotoSerifSC-Regular.ttf", "NotoSerifSC-Bold.ttf", "NotoSerifSC-Black.ttf",
                 "NotoSansSC-Regular.ttf", "NotoSansSC-Bold.ttf", "LXGWWenKai-Regular.ttf"):
        shutil.copy(FONTS / name, project / "fonts" / name)
    done = run_paiban("build", "-q", cwd=project)
    assert done.returncode == 0, done.stderr
    doc = pymupdf.open(project / "build" / "report.pdf")
    yield doc
    doc.close()


def body_rows(page: pymupdf.Page) -> dict[float, list[dict]]:
    """The characters of 16 pt text in the 版心, by baseline."""
    rows: dict[float, list[dict]] = defaultdict(list)
    for b in page.get_text("rawdict")["blocks"]:
        for ln in b.get("lines", []):
            for s in ln["spans"]:
                if abs(s["size"] - SIZE) > 0.1:
                    continue
                for c in s["chars"]:
                    if not c["c"].isspace() and TOP - 1 < c["origin"][1] < TOP + HEIGHT + 1:
                        rows[round(c["origin"][1], 1)].append(c)
    return dict(sorted(rows.items()))


def test_the_example_is_the_template() -> None:
    assert (EXAMPLE / "report.yaml").read_bytes() == TEMPLATE.read_bytes()


def test_every_character_stands_in_a_cell_and_full_lines_fill_28(pdf) -> None:
    full = 0
    for page in pdf:
        for y, chars in body_rows(page).items():
            wide = [c for c in chars if c["bbox"][2] - c["bbox"][0] > 0.75 * SIZE or not c["c"].isascii()]
            if len(wide) != len(chars) or chars[0]["c"] in "盂":  # lines with digits: checked below; 发文字号 centred
                continue
            cells = [(c["bbox"][0] - LEFT) / CELL for c in chars]
            assert all(abs(x - round(x)) < 0.02 for x in cells), (page.number, y, "".join(c["c"] for c in chars))
            cells = [round(x) for x in cells]
            assert cells == list(range(cells[0], cells[0] + len(cells)))  # no cell skipped inside a line
            if cells[-1] == 27:  # a full line: reaches the 28th cell, from the left edge or the 2-cell indent
                full += 1
                assert cells[0] in (0, 2)
                assert abs(chars[-1]["bbox"][2] - (LEFT + WIDTH)) < 0.5 * MM
    assert full >= 10


def test_full_pages_hold_22_lines_on_the_grid_from_the_37mm_top(pdf) -> None:
    assert pdf.page_count >= 3
    for page in list(pdf)[1:-1]:
        ys = list(body_rows(page))
        assert len(ys) == 22
        assert ys[0] == pytest.approx(TOP + 0.88 * SIZE, abs=0.2)  # the first line's em box at the top edge
        assert ys[-1] + 0.12 * SIZE == pytest.approx(TOP + HEIGHT, abs=0.2)  # the last one's at the bottom
        assert all(abs((b - a) - PITCH) < 0.2 for a, b in zip(ys, ys[1:], strict=False))


def test_text_block_left_edge_and_width(pdf) -> None:
    lefts, rights = [], []
    for page in pdf:
        for chars in body_rows(page).values():
            lefts.append(min(c["bbox"][0] for c in chars))
            rights.append(max(c["bbox"][2] for c in chars))
    assert min(lefts) == pytest.approx(LEFT, abs=0.5 * MM)
    assert max(rights) - min(lefts) == pytest.approx(WIDTH, abs=0.5 * MM)


def test_page_numbers_outside_one_character_in_7mm_under_the_text_block(pdf) -> None:
    for page in pdf:
        n = page.number + 1
        lines = [ln for b in page.get_text("dict")["blocks"] for ln in b.get("lines", [])
                 if ln["bbox"][1] > TOP + HEIGHT]
        (line,) = [ln for ln in lines if re.fullmatch(r"—\s*\d+\s*—", "".join(s["text"] for s in ln["spans"]))]
        assert "".join(s["text"] for s in line["spans"]).replace(" ", "") == f"—{n}—"
        assert [s["size"] for s in line["spans"] if s["text"].strip().isdigit()] == [pytest.approx(14)]  # 4号
        x0, y0, x1, y1 = line["bbox"]
        if n % 2:
            assert x1 == pytest.approx(LEFT + WIDTH - 14, abs=1.5)
        else:
            assert x0 == pytest.approx(LEFT + 14, abs=1.5)
        assert (y0 + y1) / 2 == pytest.approx(TOP + HEIGHT + 7 * MM, abs=2.5)


def test_head_red_name_number_rule_and_trapezoid_title(pdf) -> None:
    page = pdf[0]
    spans = [s for b in page.get_text("dict")["blocks"] for ln in b.get("lines", []) for s in ln["spans"]]
    (name,) = [s for s in spans if s["text"].replace(" ", "") == "盂县人民政府文件"]
    assert name["color"] == 0xE60012
    assert name["bbox"][1] == pytest.approx(TOP + 35 * MM, abs=3)  # its top 35 mm under the 版心's top
    (number,) = [s for s in spans if "〔2026〕12" in s["text"]]
    centre = (number["bbox"][0] + number["bbox"][2]) / 2
    assert centre == pytest.approx(LEFT + WIDTH / 2, abs=2)
    rules = [d for d in page.get_drawings() if d.get("color") and d["rect"].width > WIDTH - 1]
    assert rules and rules[0]["rect"].y0 == pytest.approx(number["bbox"][3] + 4 * MM, abs=3)
    title = [s for s in spans if abs(s["size"] - 22) < 0.1]
    widths = [s["bbox"][2] - s["bbox"][0] for s in title]
    assert len(widths) >= 2 and widths == sorted(widths)  # shorter lines on top
    assert "".join(s["text"] for s in title).replace(" ", "") == "盂县人民政府关于做好2026年冬春农村人居环境整治工作的通知"


def test_headings_signature_and_attachments(pdf) -> None:
    text = "".join(page.get_text() for page in pdf).replace(" ", "")
    for heading in ("一、总体要求", "二、重点任务", "三、保障措施", "（一）全面清理村庄环境", "（二）扎实推进农村厕所革命",
                    "1.清理垃圾杂物。", "2.整治乱堆乱放。", "（1）全面摸底。", "（2）分类整改。", "（一）加强组织领导"):
        assert heading in text
    last = pdf[-1]
    rows = body_rows(last)
    (date,) = [cs for cs in rows.values() if "".join(c["c"] for c in cs) == "2026年12月7日"]
    assert date[-1]["bbox"][2] == pytest.approx(LEFT + WIDTH - 4 * CELL, abs=1)  # 右空四字
    (office,) = [cs for cs in rows.values() if "".join(c["c"] for c in cs) == "盂县人民政府"]
    mid = (office[0]["bbox"][0] + office[-1]["bbox"][2]) / 2
    assert mid == pytest.approx((date[0]["bbox"][0] + date[-1]["bbox"][2]) / 2, abs=CELL)
    (first,) = [cs for cs in rows.values() if "".join(c["c"] for c in cs).startswith("附件：1.")]
    (second,) = [cs for cs in rows.values() if "".join(c["c"] for c in cs).startswith("2.")]
    assert first[0]["bbox"][0] == pytest.approx(LEFT + 2 * CELL, abs=0.5)
    assert second[0]["bbox"][0] == pytest.approx(first[3]["bbox"][0], abs=CELL / 4)  # numbers aligned (proportional digits centred in their half cells)


def test_banji_at_the_foot_of_the_last_page_an_even_one(pdf) -> None:
    last = pdf[-1]
    assert pdf.page_count % 2 == 0
    rules = sorted((d["rect"].y0, d["rect"].width) for d in last.get_drawings() if d["rect"].width > WIDTH - 1)
    assert len(rules) == 3  # above, between (thin), below
    assert rules[-1][0] == pytest.approx(TOP + HEIGHT, abs=1)  # the last on the 版心's bottom edge
    lines = [ln for b in last.get_text("dict")["blocks"] for ln in b.get("lines", [])
             if rules[0][0] < ln["bbox"][1] < rules[-1][0]]
    text = {"".join(s["text"] for s in ln["spans"]).replace(" ", ""): ln for ln in lines}
    (cc,) = [t for t in text if t.startswith("抄送：")]
    assert text[cc]["bbox"][0] == pytest.approx(LEFT + 14, abs=1)  # 左空一字 (4号)
    assert all(abs(s["size"] - 14) < 0.1 for ln in lines for s in ln["spans"])
    assert text["盂县人民政府办公室"]["bbox"][0] == pytest.approx(LEFT + 14, abs=1)
    assert text["2026年12月7日印发"]["bbox"][2] == pytest.approx(LEFT + WIDTH - 14, abs=1)  # 右空一字
    # 抄送's second line starts under its first name, after the colon
    (more,) = [t for t in text if t.startswith("县检察院")]
    assert text[more]["bbox"][0] == pytest.approx(text[cc]["bbox"][0] + 3 * 14, abs=1)


SHORT = """\
document: {{name: 盂县人民政府文件, number: 盂政发〔2026〕13号, title: 关于开展冬季消防安全检查的通知}}
page: {page}
fonts:
  fangsong: {{regular: fonts/NotoSerifSC-Regular.ttf, bold: fonts/NotoSerifSC-Bold.ttf}}
  display: {{regular: fonts/NotoSerifSC-Black.ttf}}
  song: {{regular: fonts/NotoSerifSC-Regular.ttf}}
  hei: {{regular: fonts/NotoSansSC-Regular.ttf}}
  kai: {{regular: fonts/LXGWWenKai-Regular.ttf}}
body:
  - addressee: 各乡（镇）人民政府：
  - text: {text}
  - signature: {{office: 盂县人民政府, date: 2026年12月8日}}
  - closing: {{lines: [抄送：县消防救援大队。, {{left: 盂县人民政府办公室, right: 2026年12月8日印发}}]}}
"""


def build_short(project: Path, text: str, page: str = "{masthead: gongwen}") -> pymupdf.Document:
    (project / "fonts").mkdir()
    for name in ("NotoSerifSC-Regular.ttf", "NotoSerifSC-Bold.ttf", "NotoSerifSC-Black.ttf",
                 "NotoSansSC-Regular.ttf", "LXGWWenKai-Regular.ttf"):
        (project / "fonts" / name).symlink_to(FONTS / name)
    (project / "report.yaml").write_text(SHORT.format(text=text, page=page), encoding="utf-8")
    done = run_paiban("build", "-q", "--allow-outside", cwd=project)
    assert done.returncode == 0, done.stderr
    return pymupdf.open(project / "build" / "report.pdf")


def test_a_banji_on_an_odd_page_moves_to_the_next_one(tmp_path) -> None:
    with build_short(tmp_path, "为做好冬季消防安全工作，现就有关事项通知如下。") as doc:
        assert doc.page_count == 2  # it would fit on page 1, an odd page
        assert "抄送" not in doc[0].get_text() and "抄送" in doc[1].get_text()
        assert "盂县人民政府" in doc[0].get_text()  # the signature stays with the text
        assert [re.sub(r"\s", "", p.get_text()).endswith(f"—{p.number + 1}—") for p in doc] == [True, True]


def test_margins_given_in_the_spec_win_and_the_grid_fills_their_block(tmp_path) -> None:
    page = "{masthead: gongwen, margins: {top: 30mm, bottom: 30mm, inner: 20mm, outer: 20mm}}"
    with build_short(tmp_path, "为做好冬季消防安全工作，现就有关事项通知如下。" * 12, page) as doc:
        rows = body_rows(doc[0])
        full = [cs for cs in rows.values() if len(cs) == 28]
        assert full
        assert min(c["bbox"][0] for cs in rows.values() for c in cs) == pytest.approx(20 * MM, abs=0.5)
        assert max(cs[-1]["bbox"][2] for cs in full) == pytest.approx(190 * MM, abs=0.5)
