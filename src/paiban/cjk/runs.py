"""Han–Latin runs for text drawn outside the paragraph engine (chart labels, facts cards).

clreq §3.2.2 asks for about a quarter em between Han characters and Latin letters or digits.
Short labels ("132场", "1000余条") are drawn as one string, so they are cut into runs at those
boundaries and the caller leaves the gap between runs; the page's own fonts have no
four-per-em space character to put there instead.
"""

from __future__ import annotations

from paiban.cjk.chars import is_cjk

HAN_LATIN_GAP = 0.25  # em


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def han_latin_runs(text: str) -> list[str]:
    """`text` cut where a Han character meets a Latin letter or digit: '1000余条' → ['1000', '余条']."""
    runs: list[str] = []
    start = 0
    for i in range(1, len(text)):
        a, b = text[i - 1], text[i]
        if (is_cjk(a) and _latin(b)) or (_latin(a) and is_cjk(b)):
            runs.append(text[start:i])
            start = i
    runs.append(text[start:])
    return [r for r in runs if r]
