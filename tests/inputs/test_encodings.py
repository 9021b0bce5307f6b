"""Data files decoded as Excel and WPS save them: the order is fixed, so the result is predictable."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paiban.inputs.encodings import Undecodable, decode

EXAMPLES = {"ci": 150, "slow": 3000}

# What a CSV of an office holds: Chinese names, digits, commas, the hedges and the dash for missing.
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
CELL = st.text(st.one_of(HAN, st.sampled_from(list("0123456789.%余近多—"))), min_size=1, max_size=8)
ROWS = st.lists(st.lists(CELL, min_size=2, max_size=4), min_size=1, max_size=6)


def csv_text(rows: list[list[str]]) -> str:
    return "".join(",".join(r) + "\r\n" for r in [["地区", "人数"], *rows])


def test_a_short_gbk_csv_is_read_as_gbk() -> None:
    text = "地区,人数\r\n城关镇,4210\r\n"
    assert decode(text.encode("gbk")) == (text, "gbk")


def test_gb18030_only_characters_are_named_gb18030() -> None:
    text = "名称,数\r\n㐀字,1\r\n"  # U+3400 is in GB18030, not in GBK
    assert decode(text.encode("gb18030")) == (text, "gb18030")


@pytest.mark.parametrize("encoding,name", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"),
                                           ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")])
def test_utf_encodings_are_found_with_or_without_a_bom(encoding: str, name: str) -> None:
    text = "地区,人数\r\n城关镇,4210\r\n南娄镇,—\r\n"
    assert decode(text.encode(encoding)) == (text, name)


def test_a_forced_encoding_is_used_and_a_wrong_one_is_located() -> None:
    assert decode("甲,乙\n".encode("big5"), "big5") == ("甲,乙\n", "big5")
    with pytest.raises(Undecodable) as caught:
        decode("甲,1\n乙,2\n".encode("gbk"), "utf-8")
    assert caught.value.line == 1 and "not utf-8 text" in caught.value.message
    with pytest.raises(Undecodable, match="unknown encoding 'klingon'"):
        decode(b"a", "klingon")


@pytest.mark.parametrize("depth", ["ci", pytest.param("slow", marks=pytest.mark.slow)])
def test_any_office_csv_decodes_to_its_text_in_every_encoding_it_is_saved_in(depth: str) -> None:
    @settings(max_examples=EXAMPLES[depth], deadline=None, derandomize=depth == "ci", database=None)
    @given(rows=ROWS, encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le"]))
    def check(rows: list[list[str]], encoding: str) -> None:
        text = csv_text(rows)
        got, used = decode(text.encode(encoding))
        assert got == text
        if encoding == "utf-16":
            assert used == "utf-16" and text.encode(encoding).startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))

    check()
