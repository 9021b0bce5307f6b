"""join_lines: wrapped source lines → one paragraph, the way a Chinese compositor joins them."""

from paiban.cjk.normalize import join_lines, split_paragraphs


def test_no_space_between_chinese_lines():
    assert join_lines("山西省阳泉市盂县县委高擎习近平\n新时代中国特色社会主义思想") == \
        "山西省阳泉市盂县县委高擎习近平新时代中国特色社会主义思想"


def test_one_space_between_latin_words():
    assert join_lines("the quick brown\nfox jumps") == "the quick brown fox jumps"


def test_no_space_where_chinese_meets_latin():
    # Han–Latin spacing is the engine's job; a typed space would only be turned into it anyway
    assert join_lines("总投资\n1560万元") == "总投资1560万元"
    assert join_lines("GDP\n增长") == "GDP增长"


def test_punctuation_at_the_join():
    assert join_lines("他说，\n“好的”") == "他说，“好的”"
    assert join_lines("word,\nnext") == "word, next"


def test_indentation_and_blank_runs_dropped():
    assert join_lines("  第一行  \n\t第二行   有  空格\n") == "第一行第二行 有 空格"


def test_ideographic_space_inside_a_line_is_kept():
    assert join_lines("独木不成林\u3000百树绿成荫") == "独木不成林\u3000百树绿成荫"


def test_split_paragraphs_at_blank_lines():
    text = "第一段第一行\n第一段第二行\n\n  \nSecond para\nline two\n"
    assert split_paragraphs(text) == ["第一段第一行第一段第二行", "Second para line two"]
