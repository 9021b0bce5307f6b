"""The end matter (`closing`) and the `rule` block, read back from real PDFs: the end matter
sits at the foot of the last page across the columns, each labelled line on its own line with
its continuation hanging after the colon, a left+right pair at both margins, 共印 at the right,
the rules where the spec asks; a rule block draws its line(s) as given."""

from __future__ import annotations

import shutil
from pathlib import Path

import pymupdf
import pytest

from paiban.build import build
from tests.support.project import FONTS

MM = 72 / 25.4
HEAD = """\
document:
  title: 测试简报
fonts:
  song: {regular: fonts/NotoSerifSC-Regular.ttf, bold: fonts/NotoSerifSC-Bold.ttf}
  hei: {regular: fonts/NotoSansSC-Regular.ttf, bold: fonts/NotoSansSC-Bold.ttf}
  kai: {regular: fonts/LXGWWenKai-Regular.ttf}
page: {columns: 2, margins: 20mm}
"""
LONG = "报：市委办公室，市政府办公室，市委组织部，市委宣传部，市农业农村局，市乡村振兴局，市委政研室，市委农办，市统计局"
BODY = f"""\
body:
  - text: |
      这是一段正文，用来检查报尾的位置。这是一段正文，用来检查报尾的位置。

      第二段正文。
  - rule: {{style: double, color: "#c8161d", thickness: 1pt, width: 50}}
  - text: 规则之后的一段。
  - closing:
      lines:
        - {LONG}
        - 送：县委、县人大、县政府、县政协领导
        - 发：各乡镇党委，县直各单位
        - {{left: 盂县县委办公室, right: 2026年3月6日印发}}
      copies: （共印120份）
      rules: {{between: true, color: "#333333"}}
"""


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> pymupdf.Document:
    root = tmp_path_factory.mktemp("closing")
    shutil.copytree(FONTS, root / "fonts", ignore=shutil.ignore_patterns("*.txt", "*.md"))
    (root / "report.yaml").write_text(HEAD + BODY, encoding="utf-8")
    build(root / "report.yaml", root / "out.pdf")
    return pymupdf.open(root / "out.pdf")


def lines_of(page: pymupdf.Page) -> list[tuple[float, float, float, str]]:
    """(x0, x1, baseline, text) of each line of text on the page."""
    out = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            text = "".join(s["text"] for s in line["spans"])
            out.append((line["bbox"][0], line["bbox"][2], round(line["spans"][0]["origin"][1], 1), text))
    return out


def line_with(page: pymupdf.Page, start: str) -> tuple[float, float, float, str]:
    found = [ln for ln in lines_of(page) if ln[3].startswith(start)]
    assert len(found) == 1, (start, lines_of(page))
    return found[0]


def test_the_end_matter_sits_at_the_foot_of_the_last_page_across_the_columns(pdf) -> None:
    page = pdf[-1]
    right, foot = page.rect.width - 20 * MM, page.rect.height - 20 * MM
    copies = line_with(page, "（共印")
    # 共印 flush right: the ink of its closing bracket ends at the margin, the blank half past it
    assert abs(copies[1] - 9.5 / 2 - right) < 1.5
    assert foot - 12 < copies[2] < foot  # the last line on the text block's foot
    # the body's columns end far above it: the end matter is at the page's foot, not under the text
    body = line_with(page, "规则之后")
    assert copies[2] - body[2] > 300


def test_each_labelled_line_is_its_own_line_and_continuations_hang_after_the_colon(pdf) -> None:
    page = pdf[-1]
    left = 20 * MM
    bao, song, fa = (line_with(page, label) for label in ("报：", "送：", "发："))
    assert bao[2] < song[2] < fa[2]
    assert all(abs(ln[0] - left) < 1.0 for ln in (bao, song, fa))
    # the 报 line is longer than the measure: its second line starts after 报：, not at the margin
    size = 9.5
    below = [ln for ln in lines_of(page) if bao[2] < ln[2] < song[2]]
    assert len(below) == 1, below
    assert abs(below[0][0] - (left + 2 * size)) < 1.0, below  # two characters: 报 and the full-width ：
    assert (bao[3] + below[0][3]).replace(" ", "") == LONG.replace(" ", "")


def test_a_pair_puts_its_texts_at_both_margins_on_one_baseline(pdf) -> None:
    page = pdf[-1]
    office, date = line_with(page, "盂县县委办公室"), line_with(page, "2026")
    assert abs(office[2] - date[2]) < 0.2
    assert abs(office[0] - 20 * MM) < 1.0
    assert abs(date[1] - (page.rect.width - 20 * MM)) < 1.5


def _hlines(page: pymupdf.Page, color: tuple[float, float, float]) -> list[tuple[float, float, float, float]]:
    """Horizontal lines stroked in `color`: (x0, x1, y, width)."""
    out = []
    for d in page.get_drawings():
        if d.get("color") is None or any(abs(a - b) > 0.02 for a, b in zip(d["color"], color, strict=True)):
            continue
        for item in d["items"]:
            if item[0] == "l" and abs(item[1].y - item[2].y) < 0.01:
                out.append((min(item[1].x, item[2].x), max(item[1].x, item[2].x), item[1].y, d["width"]))
    return out


def test_the_rules_of_the_end_matter_are_above_between_and_below(pdf) -> None:
    page = pdf[-1]
    rules = sorted(_hlines(page, (0x33 / 255,) * 3), key=lambda r: r[2])
    bao, fa, office = line_with(page, "报："), line_with(page, "发："), line_with(page, "盂县")
    copies = line_with(page, "（共印")
    assert len(rules) == 5, rules  # above, three between four lines, below
    assert rules[0][2] < bao[2] - 9 and fa[2] < rules[3][2] < office[2] < rules[4][2] < copies[2]
    assert all(abs(r[1] - r[0] - (page.rect.width - 40 * MM)) < 0.5 for r in rules)  # across the text block
    assert [round(r[3], 2) for r in rules] == [0.75, 0.5, 0.5, 0.5, 0.75]


def test_a_rule_block_draws_a_double_line_half_the_column_wide(pdf) -> None:
    page = pdf[0]
    red = _hlines(page, (0xc8 / 255, 0x16 / 255, 0x1d / 255))
    assert len(red) == 2, red
    column = (page.rect.width - 40 * MM - 5 * MM) / 2
    assert all(abs((x1 - x0) - column / 2) < 0.5 and w == 1.0 for x0, x1, _, w in red)
    assert 1.5 < abs(red[0][2] - red[1][2]) < 3.0  # a gap of 1.5pt between two 1pt lines


def test_the_end_matter_is_kept_at_the_foot_when_it_ends_a_single_column_page(tmp_path: Path) -> None:
    shutil.copytree(FONTS, tmp_path / "fonts", ignore=shutil.ignore_patterns("*.txt", "*.md"))
    spec = (HEAD + BODY).replace("columns: 2", "columns: 1")
    (tmp_path / "report.yaml").write_text(spec, encoding="utf-8")
    build(tmp_path / "report.yaml", tmp_path / "out.pdf")
    page = pymupdf.open(tmp_path / "out.pdf")[-1]
    copies = line_with(page, "（共印")
    assert page.rect.height - 20 * MM - 12 < copies[2] < page.rect.height - 20 * MM
