"""han_latin_runs: text cut exactly where a Han character meets a Latin letter or digit."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from paiban.cjk.chars import is_cjk
from paiban.cjk.runs import han_latin_runs

# Han, full-width marks and forms, ASCII letters/digits/punctuation, Latin-1 letters, spaces
ALPHABET = "中文盂县，。（）“”、—％ＡＢ１①\u3000abcXYZ0189 .,%-/éß·"


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _meets(a: str, b: str) -> bool:
    return (is_cjk(a) and _latin(b)) or (_latin(a) and is_cjk(b))


@given(st.text(alphabet=ALPHABET, max_size=24))
def test_runs_cut_text_exactly_at_han_latin_boundaries(text: str) -> None:
    runs = han_latin_runs(text)
    assert "".join(runs) == text
    assert all(runs)  # no empty run
    for run in runs:  # no boundary inside a run
        assert not any(_meets(a, b) for a, b in zip(run, run[1:], strict=False))
    for left, right in zip(runs, runs[1:], strict=False):  # a boundary between runs
        assert _meets(left[-1], right[0])


def test_labels() -> None:
    assert han_latin_runs("1000余条") == ["1000", "余条"]
    assert han_latin_runs("约6500多人，132场") == ["约", "6500", "多人，", "132", "场"]
    assert han_latin_runs("") == []
    assert han_latin_runs("5G网络") == ["5G", "网络"]
