"""Paste clean-up: text as it comes out of Word, a PDF viewer or a web page, made into paragraphs.

What the editor pasted is kept, and only what the paste added is undone, each step stated:

- paragraphs: `blank-line` (a blank line ends a paragraph, as in the spec), `line` (every line
  is a paragraph: Word's paste, one line per paragraph), or `detect` (the default): blank lines
  if the text has any; else, when three lines in four (the last aside) end a sentence, one
  paragraph a line (Word);
  else the lines are a PDF's hard wraps, joined, a paragraph ending at an indented line or at a
  short line that ends a sentence.
- full-width spaces (　　) opening a line are dropped: the indent is the style's.
- a half-width space between two Chinese characters (a paste or an input method's) is removed,
  with a warning at the first one, since it would print as a gap.

Every character of the result remembers the offset in the source it came from (`at`), so a
problem found later in a paragraph is told at the line and column the editor can find.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

Mode = Literal["blank-line", "line", "detect"]
SENTENCE_END = "。！？!?…；;：:”’」』）)"
_SPACES = " \t\u3000\u00a0"


@dataclass
class Cleaned:
    """Paragraphs separated by one blank line; `at[i]` is the source offset of `text[i]`."""

    text: str
    at: list[int]
    mode: str  # how the paragraphs were found: blank-line, line or wrapped
    notes: list[tuple[int, str]] = field(default_factory=list)  # warnings at source offsets


def is_han(ch: str) -> bool:
    """A Chinese character (CJK ideograph), not punctuation: where a space is never wanted."""
    return unicodedata.category(ch) == "Lo" and unicodedata.east_asian_width(ch) in "WF"


def _wide(ch: str) -> bool:
    """On the Han grid (ideographs, kana, full-width punctuation): two lines join without a space."""
    return unicodedata.east_asian_width(ch) in "WF"


def _lines(source: str) -> list[tuple[int, str]]:
    """Each line with the offset of its first character (line breaks \\n, \\r\\n, \\r)."""
    out = []
    for m in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", source):
        if m.start() == len(source) and m.group() == "":
            break
        out.append((m.start(), m.group().rstrip("\r\n")))
    return out


def _indented(line: str) -> bool:
    return line.startswith("\u3000") or line.startswith("  ") or line.startswith("\t")


def _ends_sentence(line: str) -> bool:
    line = line.rstrip(_SPACES)
    return bool(line) and line[-1] in SENTENCE_END


def paragraph_lines(lines: list[tuple[int, str]], mode: Mode) -> tuple[list[list[tuple[int, str]]], str]:
    """The lines of each paragraph, and the mode that found them."""
    groups: list[list[tuple[int, str]]] = [[]]
    blank = [not text.strip(_SPACES) for _, text in lines]
    body = [i for i, b in enumerate(blank) if not b]
    inner_blank = bool(body) and any(blank[body[0]:body[-1]])
    if mode == "detect":
        if inner_blank or len(body) < 2:
            mode = "blank-line"
        else:
            texts = [lines[i][1] for i in body]
            ends = sum(_ends_sentence(t) for t in texts[:-1])
            mode = "line" if ends >= 0.75 * (len(texts) - 1) else "wrapped"
    if mode == "blank-line":
        for (start, text), b in zip(lines, blank, strict=True):
            if b:
                if groups[-1]:
                    groups.append([])
            else:
                groups[-1].append((start, text))
    elif mode == "line":
        groups = [[lines[i]] for i in body]
    else:  # wrapped: a PDF's hard line breaks
        longest = max(len(lines[i][1].strip(_SPACES)) for i in body)
        for i in body:
            start, text = lines[i]
            if groups[-1] and _indented(text):
                groups.append([])
            groups[-1].append((start, text))
            if _ends_sentence(text) and len(text.strip(_SPACES)) < longest * 0.8:
                groups.append([])
    return [g for g in groups if g], mode


def clean(source: str, mode: Mode = "detect") -> Cleaned:
    """The paragraphs of `source` (see the module's docstring), every character located."""
    groups, used = paragraph_lines(_lines(source), mode)
    chars: list[str] = []
    at: list[int] = []
    spaces: list[int] = []
    for g, group in enumerate(groups):
        if g:
            chars += ["\n", "\n"]
            at += [at[-1], at[-1]]
        para_start = len(chars)
        for start, text in group:
            lead = len(text) - len(text.lstrip(_SPACES))
            body = text.strip(_SPACES)
            if not body:
                continue
            if len(chars) > para_start and not (_wide(chars[-1]) or _wide(body[0])):
                chars.append(" ")
                at.append(start - 1)
            i = 0
            while i < len(body):
                ch = body[i]
                if ch in " \t\u00a0":
                    j = i
                    while j < len(body) and body[j] in " \t\u00a0":
                        j += 1
                    if chars and len(chars) > para_start and is_han(chars[-1]) and j < len(body) and is_han(body[j]):
                        spaces.append(start + lead + i)
                    else:
                        chars.append(" ")
                        at.append(start + lead + i)
                    i = j
                    continue
                chars.append(ch)
                at.append(start + lead + i)
                i += 1
    notes = []
    if spaces:
        more = f" ({len(spaces)} in all)" if len(spaces) > 1 else ""
        notes.append((spaces[0], f"a half-width space between two Chinese characters removed{more}: it would print "
                                 "as a gap (write a full-width space, U+3000, where one is meant)"))
    return Cleaned("".join(chars), at, used, notes)
