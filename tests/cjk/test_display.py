"""The display-text breaker: titles, labels and captions break between words only, a number
keeps its unit, a typed space is the preferred break and never printed at a line end."""

from __future__ import annotations

import jieba
import pytest

from paiban.cjk import display

TEXTS = [
    "党旗在农村基层高高飘扬", "山西盂县党建促进乡村振兴巡礼", "搭建四个平台推进高质量发展",
    "数字乡村 5G信号覆盖白鹭湾", "把支部建在产业链上", "党员学习教育全覆盖", "基层党组织学习教育全覆盖",
    "整改问题1000余条", "公益岗位人均年增收1000元", "2018年人均收入", "垃圾分类普及率达到12.5%",
    "盂县主题教育四类专题教育开展场次", "在盂县仙人乡开展七一慰问老党员活动", "2020年光伏扶贫收益首次分配",
    "原来31个党（工）委调整为23个", "农村党员冬训工作的通知",
]


def _words(text: str) -> list[tuple[int, int]]:
    out, at = [], 0
    for w in jieba.cut(text, HMM=True):
        if len(w) >= 2:
            out.append((at, at + len(w)))
        at += len(w)
    return out


@pytest.mark.parametrize("text", TEXTS)
def test_display_text_breaks_only_between_jieba_words_at_every_width(text):
    words = _words(text.replace(" ", ""))
    for width in range(3, len(text) + 1):
        lines = display.balanced_lines(text, float(width), len)
        flat = "".join(lines)
        assert flat == text.replace(" ", "") or "".join(lines) == text, lines
        if len(lines) == 1 and len(text) > width:
            continue  # no word break fits: the paragraph engine sets it (never here in these texts)
        at = 0
        for ln in lines[:-1]:
            at += len(ln)
            assert not any(a < at < b for a, b in words), (width, lines)
            assert not ln.endswith(" ") and not ln.startswith(" "), lines


def test_a_number_keeps_its_unit_and_a_preposition_its_object():
    for text, unit in [("整改问题1000余条", "1000余条"), ("每天工资10元", "10元"), ("2018年人均收入", "2018年"),
                       ("普及率达12.5%", "12.5%")]:
        assert unit in display.units(text), display.units(text)
    assert not any(u.endswith("把") for u in display.units("把支部建在产业链上"))


def test_a_typed_space_is_the_preferred_break_and_never_printed():
    assert display.balanced_lines("独木不成林 百树绿成荫", 6.0, len) == ["独木不成林", "百树绿成荫"]
    assert display.balanced_lines("3. 数字乡村", 20.0, len) == ["3. 数字乡村"]  # fits: the space stays


def test_lines_of_a_title_are_balanced():
    # greedy filling would give 搭建四个平台推进 / 高质量发展 (8 + 5)
    assert display.balanced_lines("搭建四个平台推进高质量发展", 10.0, len) == ["搭建四个平台", "推进高质量发展"]
