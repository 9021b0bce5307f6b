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


def piece_offsets(raw: str, pieces: list[str], i: int, split: bool) -> list[int]:
    """Where each character of `pieces[i]` stands in `raw`, for a message's location: walked from
    the first piece, and only for a piece with an error (every paragraph of a build cost ≈ 10 ms)."""
    if not split:
        return list(range(len(pieces[i])))
    cursor, at = 0, []
    for piece in pieces[:i + 1]:
        at = offsets_in(raw, piece, cursor)
        if at:
            cursor = at[-1] + 1
    return at


def offsets_in(raw: str, piece: str, start: int) -> list[int]:
    """Where each character of `piece` (a paragraph as `split_paragraphs` joined it) stands in
    `raw`, from `start` on: its characters in order, a space standing for a line break."""
    out: list[int] = []
    c = start
    for ch in piece:
        while c < len(raw) and not (raw[c] == ch or (ch == " " and raw[c] in "\r\n")):
            c += 1
        out.append(min(c, len(raw) - 1) if raw else 0)
        c += 1
    return out
