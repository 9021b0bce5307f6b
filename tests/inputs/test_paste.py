"""Paste clean-up: paragraphs found as the source has them, nothing the editor typed lost."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paiban.inputs.paste import clean, is_han

EXAMPLES = {"ci": 200, "slow": 5000}
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
SENTENCE = st.builds(lambda body, end: body + end, st.text(HAN, min_size=4, max_size=30), st.sampled_from("。！？"))
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=4).map("".join)


def test_word_paste_is_one_paragraph_per_line_and_its_indent_dropped() -> None:
    got = clean("\u3000\u3000第一段写完了。\n\u3000\u3000第二段也写完了。\n第三段。\n")
    assert got.text.split("\n\n") == ["第一段写完了。", "第二段也写完了。", "第三段。"]
    assert got.mode == "line"


def test_pdf_hard_wraps_are_joined_and_a_short_line_ending_a_sentence_ends_a_paragraph() -> None:
    src = "县委组织部坚持把党员教育培训作为\n基础工程，全年培训党员四千余人次\n，成效明显。\n新的段落从这里开始，写到这\n里结束。"
    got = clean(src)
    assert got.mode == "wrapped"
    assert got.text.split("\n\n") == ["县委组织部坚持把党员教育培训作为基础工程，全年培训党员四千余人次，成效明显。",
                                      "新的段落从这里开始，写到这里结束。"]


def test_a_space_between_two_han_is_removed_with_a_note_at_it() -> None:
    got = clean("党员 教育 培训。English words stay apart.", "blank-line")
    assert got.text == "党员教育培训。English words stay apart."
    assert got.notes and got.notes[0][0] == 2 and "(2 in all)" in got.notes[0][1]


@pytest.mark.parametrize("mode", ["blank-line", "line"])
def test_the_stated_mode_is_kept(mode: str) -> None:
    got = clean("甲。\n乙。\n\n丙。", mode)  # type: ignore[arg-type]
    assert got.text.split("\n\n") == (["甲。乙。", "丙。"] if mode == "blank-line" else ["甲。", "乙。", "丙。"])


@pytest.mark.parametrize("depth", ["ci", pytest.param("slow", marks=pytest.mark.slow)])
def test_every_paste_gives_back_its_paragraphs(depth: str) -> None:
    """However the paragraphs were pasted (blank lines, Word's one line each, indented with
    full-width spaces, with stray half-width spaces between Han), detect finds them all, and every
    character of the result maps back to that character in the source."""

    @settings(max_examples=EXAMPLES[depth], deadline=None, derandomize=depth == "ci", database=None)
    @given(paras=st.lists(PARAGRAPH, min_size=1, max_size=6), style=st.sampled_from(["blank", "word", "indent"]),
           spaces=st.lists(st.integers(0, 200), max_size=3))
    def check(paras: list[str], style: str, spaces: list[int]) -> None:
        typed = []
        for p in paras:
            for at in spaces:  # a stray space between two Han of this paragraph
                i = at % len(p)
                if 0 < i < len(p) and is_han(p[i - 1]) and is_han(p[i]):
                    p = p[:i] + " " + p[i:]
            typed.append(p)
        sep = "\n\n" if style == "blank" else "\n"
        lead = "\u3000\u3000" if style == "indent" else ""
        source = sep.join(lead + p for p in typed)
        got = clean(source)
        assert got.text.split("\n\n") == paras
        assert len(got.at) == len(got.text)
        for ch, offset in zip(got.text, got.at, strict=True):
            if ch != "\n":
                assert source[offset] == ch

    check()
