"""Turn hand-wrapped source text into the paragraph text the engine sets.

Editors wrap long Chinese paragraphs in YAML; a folded block then puts a space at every wrap,
which would show as a gap between two Han characters. Chinese needs no space there; Latin words
do. These helpers join wrapped lines the way a Chinese compositor would.
"""

from __future__ import annotations

import re

from paiban.cjk.chars import is_cjk

_BLANK_LINES = re.compile(r"\n[ \t\u3000]*\n\s*")
_RUNS_OF_SPACE = re.compile(r"[ \t]+")


def _needs_space(left: str, right: str) -> bool:
    """One space between two wrapped lines unless either side of the join is on the Han grid."""
    return not (is_cjk(left) or is_cjk(right))


def join_lines(text: str) -> str:
    """Join the lines of one paragraph: nothing between Chinese, one space between Latin words.

    Leading and trailing blanks of each line are dropped (indentation in the source is not
    content); runs of spaces inside a line collapse to one. An ideographic space (U+3000)
    inside a line is kept, being a deliberate full-width blank.

    >>> join_lines("中文段落\\n接着写 English\\nwords here")
    '中文段落接着写 English words here'
    """
    out = ""
    for raw in text.splitlines():
        line = _RUNS_OF_SPACE.sub(" ", raw.strip(" \t\r\u3000"))
        if not line:
            continue
        if out and _needs_space(out[-1], line[0]):
            out += " "
        out += line
    return out


def split_paragraphs(text: str) -> list[str]:
    """Split text at blank lines and join each paragraph's lines with `join_lines`."""
    return [p for p in (join_lines(block) for block in _BLANK_LINES.split(text)) if p]
