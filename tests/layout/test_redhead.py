"""A bulletin's red head (page.masthead: bulletin), read back from the PDF: the classification
line above the name, the name large and red and centred, the issue line, the office at the left
margin and the date at the right margin on one baseline, the red double rule under them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pymupdf
import pytest

from paiban.build import build
from tests.support.project import FONTS

MM = 72 / 25.4
SPEC = """\
document:
  title: 乡村振兴工作简报
  name: 乡村振兴工作简报
  number: 3
  total_number: 45
  office: 中共盂县县委农村工作领导小组办公室
  date: 2026年3月6日
  classification: 内部资料　注意保存
page: {columns: 2, masthead: bulletin, margins: 20mm}
bulletin:
  name: {size: 36pt, color: "#c00000"}
  rule: {thickness: 2pt, thin: 0.5pt, gap: 1pt, color: "#c00000"}
fonts:
  song: {regular: fonts/NotoSerifSC-Regular.ttf, bold: fonts/NotoSerifSC-Bold.ttf}
  hei: {regular: fonts/NotoSansSC-Regular.ttf, bold: fonts/NotoSansSC-Bold.ttf}
  kai: {regular: fonts/LXGWWenKai-Regular.ttf}
body:
  - text: 这是一段正文，用来检查报头。
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> pymupdf.Page:
    root = tmp_path_factory.mktemp("redhead")
    shutil.copytree(FONTS, root / "fonts", ignore=shutil.ignore_patterns("*.txt", "*.md"))
    (root / "report.yaml").write_text(SPEC, encoding="utf-8")
    build(root / "report.yaml", root / "out.pdf")
    return pymupdf.open(root / "out.pdf")[0]


def spans(page: pymupdf.Page) -> dict[str, dict]:
    """Each line's text (spaces removed) → its first span, with the line's bbox."""
    out = {}
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            text = "".join(s["text"] for s in line["spans"]).replace(" ", "")
            out[text] = dict(line["spans"][0], line_bbox=line["bbox"])
    return out


def find(page: pymupdf.Page, start: str) -> dict:
    found = [v for k, v in spans(page).items() if k.startswith(start)]
    assert len(found) == 1, (start, list(spans(page)))
    return found[0]


def test_the_name_is_large_red_and_centred_under_the_classification(page) -> None:
    name, cls = find(page, "乡村振兴"), find(page, "内部资料")
    assert abs(name["size"] - 36) < 0.1 and name["color"] == 0xC00000
    x0, _, x1, _ = name["line_bbox"]
    assert abs((x0 + x1) / 2 - page.rect.width / 2) < 2
    assert cls["origin"][1] < name["origin"][1]
    assert abs(cls["line_bbox"][0] - 20 * MM) < 1


def test_the_issue_line_and_office_left_date_right(page) -> None:
    issue, office, date = find(page, "第3期"), find(page, "中共盂县"), find(page, "2026年")
    name = find(page, "乡村振兴")
    assert "".join(spans(page)).count("（总第45期）") == 1
    assert name["origin"][1] < issue["origin"][1] < office["origin"][1]
    assert abs(office["origin"][1] - date["origin"][1]) < 0.1
    assert abs(office["line_bbox"][0] - 20 * MM) < 1
    assert abs(date["line_bbox"][2] - (page.rect.width - 20 * MM)) < 1


def test_a_red_double_rule_runs_across_the_text_block_under_the_head(page) -> None:
    office = find(page, "中共盂县")
    red = []
    for d in page.get_drawings():
        if d.get("color") and all(abs(a - b) < 0.01 for a, b in zip(d["color"], (0.7529, 0, 0), strict=True)):
            red += [(it[1].y, it[1].x, it[2].x, d["width"]) for it in d["items"] if it[0] == "l"]
    assert len(red) == 2, red
    (y1, a1, b1, w1), (y2, a2, b2, w2) = sorted(red)
    assert (w1, w2) == (2.0, 0.5)
    assert office["origin"][1] < y1 < y2 and abs((y2 - y1) - (1 + 2 / 2 + 0.5 / 2)) < 0.05
    assert abs(a1 - 20 * MM) < 0.5 and abs(b1 - (page.rect.width - 20 * MM)) < 0.5


def test_a_bulletin_head_names_an_unknown_family_at_its_line(tmp_path: Path) -> None:
    from paiban.errors import InputError

    shutil.copytree(FONTS, tmp_path / "fonts", ignore=shutil.ignore_patterns("*.txt", "*.md"))
    (tmp_path / "report.yaml").write_text(SPEC.replace("name: {size: 36pt", "name: {font: xiaobiaosong, size: 36pt"),
                                          encoding="utf-8")
    with pytest.raises(InputError) as exc:
        build(tmp_path / "report.yaml", tmp_path / "out.pdf")
    assert "report.yaml:11:" in str(exc.value)
    assert "bulletin.name.font: unknown font family 'xiaobiaosong'; fonts: defines song, hei, kai" in str(exc.value)
