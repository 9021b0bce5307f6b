"""Headline word breaks: the small-dictionary jieba cut gives exactly jieba's own words.

paiban.layout.headline looks up only the dictionary words inside a headline instead of loading
jieba's whole dictionary (a second of every cold build). That is only right if the words come
out as jieba's: checked here against jieba itself, on the default briefing's headlines and on
fragments of the seed article (mixed Han, Latin, digits, punctuation).
"""

from __future__ import annotations

import logging
import random
from collections import Counter

import jieba
import pytest
import yaml

from paiban.cjk import display
from tests.support.project import DATA, ROOT

ARTICLE = DATA / "article_paragraphs.txt"


def _texts() -> list[str]:
    spec = yaml.safe_load((ROOT / "report.yaml").read_text("utf-8"))
    titles = [b["part"]["title"].replace(" ", "") for b in spec["body"] if "part" in b]
    texts = [spec["document"]["title"], spec["document"]["subtitle"], *titles,
             "2023年GDP增长5.2%创新高", "（一）a-b]c^d\\e", "中华人民共和国国务院总理会见来访的美国国务卿"]
    body = "".join(b["text"] for b in spec["body"] if isinstance(b.get("text"), str)).replace("\n", "")
    if ARTICLE.is_file():
        body += ARTICLE.read_text("utf-8").replace("\n", "")
    rng = random.Random(20261128)
    for _ in range(60):
        n = rng.randint(3, 40)
        i = rng.randrange(len(body) - n)
        texts.append(body[i:i + n])
    return texts


@pytest.fixture(scope="module")
def full_jieba():
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def test_small_dictionary_cuts_as_jieba(full_jieba) -> None:
    texts = _texts()
    assert len(texts) > 60
    for text in texts:
        small = list(display._tokenizer_for(text).cut(text, HMM=True))
        assert small == list(full_jieba.cut(text, HMM=True)), text
        assert "".join(small) == text


def test_small_dictionary_knows_only_the_words_inside() -> None:
    text = "搭建四个平台推进高质量发展"
    tokenizer = display._tokenizer_for(text)
    words = [w for w, n in tokenizer.FREQ.items() if n]
    assert "高质量" in words and "平台" in words
    assert all(w in text for w in words)
    assert tokenizer.total == display._dictionary_total() > 10_000_000



def test_dictionary_entries_are_jiebas(full_jieba) -> None:
    """The bisected dictionary answers as jieba's own FREQ does, for a word listed twice too
    (the last line wins), for prefixes (0) and for strings jieba does not know (absent); its
    total is the sum jieba's loader computes (read from `_KNOWN_TOTALS` for jieba's own file)."""
    dictionary = display._dictionary()
    freq = full_jieba.dt.FREQ
    words = [line.split(" ")[0] for line in dictionary.data.splitlines()]
    twice = [w for w, n in Counter(words).items() if n > 1]
    rng = random.Random(7)
    sample = [*twice, *rng.sample(words, 2000), "高质", "高质量发展的", "qqqzzz", "的"]
    sample += [w[:-1] for w in sample if len(w) > 1]
    for w in sample:
        assert dictionary.freq(w) == freq.get(w), w
    assert dictionary.total == full_jieba.dt.total
