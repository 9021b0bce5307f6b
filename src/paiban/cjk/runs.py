"""Han–Latin runs for text drawn outside the paragraph engine (chart labels, facts cards).

clreq §3.2.2 asks for about a quarter em between Han characters and Latin letters or digits.
Short labels ("132场", "1000余条") are drawn as one string, so they are cut into runs at those
boundaries and the caller leaves the gap between runs; the page's own fonts have no
four-per-em space character to put there instead.
"""

from __future__ import annotations

import re

from paiban.cjk.chars import is_cjk

HAN_LATIN_GAP = 0.25  # em


#: Latin letters and digits (ASCII): the runs that take a quarter em from Han neighbours.
_LATIN_RUN = re.compile(r"[A-Za-z0-9]+")


def han_latin_runs(text: str) -> list[str]:
    """`text` cut where a Han character meets a Latin letter or digit: '1000余条' → ['1000', '余条']."""
    cuts = [0]
    end = len(text)
    for m in _LATIN_RUN.finditer(text):
        a, b = m.span()
        if a > 0 and is_cjk(text[a - 1]):
            cuts.append(a)
        if b < end and is_cjk(text[b]):
            cuts.append(b)
    cuts.append(end)
    return [text[a:b] for a, b in zip(cuts, cuts[1:], strict=False) if b > a]
