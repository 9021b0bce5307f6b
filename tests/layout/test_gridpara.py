"""The 公文 character grid (layout.gridpara) and the pieces of the 公文 page that need no PDF:
cells per character, clreq breaks by pushing out, heading numbers, the title's trapezoid."""

from __future__ import annotations

import pytest

from paiban.cjk.display import trapezoid_lines
from paiban.layout.gongwen import chinese_number, heading_number
from paiban.layout.gridpara import Grid, GridParagraph
from paiban.layout.paragraph import ParaStyle
from paiban.spec.gongwen import cell_pitch, grid_pitch

MM = 72 / 25.4
GRID = Grid(28, cell_pitch(28), grid_pitch(22))


def para(text: str, serif, **kw) -> GridParagraph:
    return GridParagraph(text, ParaStyle(faces=(serif,), size=16.0), GRID, **kw)


def test_the_grid_fills_the_block() -> None:
    assert 27 * GRID.cell + 16 == pytest.approx(156 * MM)
    assert 21 * GRID.pitch + 16 == pytest.approx(225 * MM)


def test_full_width_characters_take_a_cell_each_punctuation_included(serif) -> None:
    text = "为深入学习运用经验，持续改善农村人居环境、扎实推进宜居宜业和美乡村建设。" * 3
    p = para(text, serif)
    lines = p.lines()
    assert len(lines[0]) == 26 and all(len(s) == 28 for s in lines[1:-1])  # 2 cells of indent
    for ln in p._lines:  # noqa: SLF001 - the positions the lines were set at
        assert all(abs(x / GRID.cell - round(x / GRID.cell)) < 1e-9 for x in ln.x)


def test_a_mark_never_starts_a_line_the_character_before_it_is_pushed_out(serif) -> None:
    # 28 characters, then a comma: the comma cannot open line 2, so 环 goes down with it
    text = "一二三四五六七八九十一二三四五六七八九十一二三四五六七环，境"
    lines = para(text, serif, first=0).lines()
    assert lines == [text[:27], text[27:]]
    assert all(s[0] not in "，。、；：？！）》”" for s in lines)


def test_half_width_digits_pair_into_one_cell(serif) -> None:
    p = para("2026年12月7日", serif, first=0)
    (ln,) = p._lines  # noqa: SLF001
    cells = [round(x / GRID.cell, 2) for x in ln.x]
    # 2026 fills two cells, 年 the third, 12 the fourth, 月 the fifth, 7 centred in the sixth
    assert cells == [0, 0.5, 1, 1.5, 2, 3, 3.5, 4, 5.25, 6]


def test_numbers_are_never_split(serif) -> None:
    text = "一二三四五六七八九十一二三四五六七八九十一二三四五六七2027年"
    lines = para(text, serif, first=0).lines()
    assert lines[1].startswith("2027")


def test_right_alignment_keeps_cells_free(serif) -> None:
    p = para("2026年12月7日", serif, first=0, right=4, align="right")
    p.wrap(156 * MM, 1000)
    (ln,) = p._lines  # noqa: SLF001
    end = ln.x[-1] + 16 + p._shift(ln)  # noqa: SLF001
    assert end == pytest.approx(23 * GRID.cell + 16)


def test_heading_numbers() -> None:
    assert [chinese_number(n) for n in (1, 9, 10, 11, 20, 23, 99)] == ["一", "九", "十", "十一", "二十", "二十三", "九十九"]
    assert [heading_number(level, 12) for level in (1, 2, 3, 4)] == ["十二、", "（十二）", "12.", "（12）"]


def test_a_title_is_a_trapezoid_shorter_lines_on_top() -> None:
    title = "盂县人民政府关于做好2026年冬春农村人居环境整治工作的通知"

    def measure(s: str) -> float:
        return sum(0.55 if c.isascii() else 1.0 for c in s) * 22

    lines = trapezoid_lines(title, 20 * 22, measure)
    assert "".join(lines) == title and len(lines) == 2
    assert measure(lines[0]) <= measure(lines[1])
