"""Inline markup → runs; unbalanced markup is an error naming the column."""

import pytest

from paiban.cjk.markup import MarkupError, parse_markup, plain_text


def styles(text):
    return [(r.text, r.bold, r.emph, r.color, r.link) for r in parse_markup(text)]


def test_plain_text_is_one_run():
    assert styles("正文，没有标记。") == [("正文，没有标记。", False, False, None, None)]


def test_bold_and_emphasis():
    assert styles("**要点**正文*着重*") == [
        ("要点", True, False, None, None),
        ("正文", False, False, None, None),
        ("着重", False, True, None, None),
    ]


def test_triple_star_is_bold_emphasis():
    assert styles("***双重***后") == [("双重", True, True, None, None), ("后", False, False, None, None)]


def test_link_and_colour_span():
    assert styles("见[官网](https://example.org/a?b=1)与[红字]{color=#B3120F}") == [
        ("见", False, False, None, None),
        ("官网", False, False, None, "https://example.org/a?b=1"),
        ("与", False, False, None, None),
        ("红字", False, False, "#b3120f", None),
    ]


def test_short_hex_colour_is_expanded():
    assert styles("[字]{color=#f00}")[0][3] == "#ff0000"


def test_nested_markup_inside_a_link():
    assert styles("[**粗**与*点*](u)") == [("粗", True, False, None, "u"), ("与", False, False, None, "u"),
                                          ("点", False, True, None, "u")]


def test_escapes_are_literal():
    assert plain_text(r"3\*4 \[注\] a\\b") == r"3*4 [注] a\b"


def test_brackets_without_target_stay_literal():
    assert plain_text("文献[1]指出") == "文献[1]指出"


def test_run_offsets_point_into_the_source():
    runs = parse_markup("前**粗体**后")
    assert [(r.text, r.offset) for r in runs] == [("前", 0), ("粗体", 3), ("后", 7)]


@pytest.mark.parametrize(
    ("text", "column", "words"),
    [
        ("正文**没有关闭", 3, "never closed"),
        ("一*二", 2, "never closed"),
        ("见[官网", 2, "never closed"),
        ("多余]括号", 3, "without an opening"),
        ("[链接](https://x", 5, "never closed"),
        ("[字]{colour=red}", 5, "color="),
        ("[字]{color=red}", 5, "not #rgb"),
        ("**外[里](a)[再](b)**[x](y z)", 22, "spaces"),
    ],
)
def test_unbalanced_markup_names_the_column(text, column, words):
    with pytest.raises(MarkupError) as info:
        parse_markup(text)
    assert info.value.column == column
    assert info.value.offset == column - 1
    assert f"column {column}" in str(info.value)
    assert words in str(info.value)
    assert isinstance(info.value, ValueError)


def test_thousands_of_nested_brackets_need_no_recursion():
    deep = "[" * 20_000 + "字" + "]" * 20_000
    assert plain_text(deep) == deep  # brackets without a target stay literal
    with pytest.raises(MarkupError) as info:
        parse_markup("[" * 20_000)
    assert info.value.column == 20_000  # the innermost one never closed


def test_a_link_inside_a_link_is_refused():
    with pytest.raises(MarkupError) as info:
        parse_markup("[外[内](https://a.cn)层](https://b.cn)")
    assert info.value.reason == "a link inside a link" and info.value.column == 1
