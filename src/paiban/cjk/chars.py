"""Character classes for Chinese line breaking and spacing (W3C clreq, GB/T 15834).

Every decision the engine makes about a character — may a line start or end with it, does it
take Han–Latin spacing, may its blank half be compressed, does it belong to a Latin word or a
number that must not be split — starts from the class assigned here. Kept in one small table so
that the rules can be read (and argued with) in one place.
"""

from __future__ import annotations

import unicodedata
from enum import IntEnum
from functools import lru_cache


class Cls(IntEnum):
    """Line-breaking class of one character."""

    HAN = 0  # ideographs, kana, full-width letters and digits, full-width symbols
    OPEN = 1  # opening brackets and quotes: never at a line end
    CLOSE = 2  # closing brackets and quotes: never at a line start
    STOP = 3  # 、，。．：；？！ (and ASCII , . : ; ? !): never at a line start
    NS = 4  # other non-starters: — … % ‰ ℃ ～ …
    MIDDOT = 5  # · ・ (name separators): glued to both neighbours
    LATIN = 6  # letters and digits of Latin, Greek, Cyrillic …
    CONNECT = 7  # characters that join a Latin word or a number from inside: . , : / - _ ' & @ #
    SIGN = 8  # + - ± − (a sign when a digit follows)
    SYMBOL = 9  # anything else narrow (* = < > ^ …): breaks like Latin punctuation
    IDSPACE = 10  # U+3000 ideographic space: a full-width blank glyph


#: Opening marks: a line never ends with one of these (clreq §3.1.7, GB/T 15834).
OPENING = frozenset("（《「『【〔〖〈“‘［｛〘〚｟(［[{")
#: Closing marks: a line never starts with one of these.
CLOSING = frozenset("）》」』】〕〗〉”’］｝〙〛｠)]}")
#: Pause, comma, stop, colon, semicolon, question and exclamation marks (full and half width).
STOPS = frozenset("、，。．：；？！｡､,.:;?!")
#: Further marks that may not start a line: dashes and ellipses (never split either), per-mille,
#: degree and unit signs, the wave dash and iteration marks.
NON_STARTERS = frozenset("—―…‥%％‰‱℃℉°′″～〜~々〻ゝゞヽヾーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")
MIDDOTS = frozenset("·・‧")
#: Characters that may sit inside a number or a Latin word when a word character follows.
CONNECTORS = frozenset(".,:/-_'’&@#")
SIGNS = frozenset("+-±−∓")
#: Where a URL or an e-mail address (or an over-long Latin run) may be broken (Chicago 7.42):
#: after a slash, before one of URL_BREAK_BEFORE — never inside a run of letters.
URL_BREAK_AFTER = frozenset("/")
URL_BREAK_BEFORE = frozenset(".@_-?&=#")
#: Units that stick to the number before them (no break, no Han–Latin space between).
UNIT_SIGNS = frozenset("%％‰‱℃℉°′″")

#: Full-width punctuation whose blank half may be compressed (clreq §3.1.6, A.3).
COMPRESSIBLE = frozenset("，。．、：；？！（）《》「」『』【】〔〕〖〗〈〉“”‘’［］｛｝〘〙〚〛·・")
#: Curly quotes: shared with Latin, so some fonts draw them narrow (LXGW WenKai: 0.35 em).
QUOTES_OPEN = frozenset("“‘")
QUOTES_CLOSE = frozenset("”’")
DASHES = frozenset("—―")


def is_han(ch: str) -> bool:
    """Ideographs (all CJK blocks), kana, and the ideographic iteration/zero marks."""
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x20000 <= o <= 0x3134F
        or 0xF900 <= o <= 0xFAFF
        or 0x3040 <= o <= 0x30FF
        or 0x2E80 <= o <= 0x2FDF
        or o in (0x3005, 0x3006, 0x3007)
    )


@lru_cache(maxsize=4096)
def char_class(ch: str) -> Cls:
    """The breaking class of `ch` (cached: the article has about 1,100 distinct characters)."""
    # The marks first: small kana, the prolonged sound mark, the iteration marks (々 ゝ ヽ) and the
    # katakana middle dot ・ lie in Han/kana ranges but are non-starters or middle dots.
    if ch in OPENING:
        return Cls.OPEN
    if ch in CLOSING:
        return Cls.CLOSE
    if ch in STOPS:
        return Cls.STOP
    if ch in NON_STARTERS:
        return Cls.NS
    if ch in MIDDOTS:
        return Cls.MIDDOT
    if is_han(ch):
        return Cls.HAN
    if ch == "\u3000":
        return Cls.IDSPACE
    if ch in SIGNS:
        return Cls.SIGN
    if ch in CONNECTORS:
        return Cls.CONNECT
    cat = unicodedata.category(ch)
    if cat[0] in "LN":
        # Full-width forms (Ａ１) and other wide letters/numbers (①) sit on the Han grid.
        if unicodedata.east_asian_width(ch) in "WF":
            return Cls.HAN
        return Cls.LATIN
    if cat == "Mn":
        return Cls.LATIN
    if unicodedata.east_asian_width(ch) in "WF":
        return Cls.HAN  # full-width symbols (※ □ ● ×): behave like a Han character
    return Cls.SYMBOL


@lru_cache(maxsize=4096)
def is_cjk(ch: str) -> bool:
    """Characters set on the Han grid: Han, full-width forms and full-width punctuation.

    Used to decide where inter-character justification may go (between two non-CJK
    characters — inside Latin text — it may not) and where join_lines needs no space.
    """
    c = char_class(ch)
    if c in (Cls.HAN, Cls.IDSPACE):
        return True
    if c in (Cls.OPEN, Cls.CLOSE, Cls.STOP, Cls.NS, Cls.MIDDOT):
        return ord(ch) > 0x2000
    return False


#: The line-start and line-end prohibitions (clreq §3.1.7), the one table every line breaker uses
#: (paragraphs, headlines, chart and facts labels): a line never starts with a closing mark, a
#: stop, another non-starter or a middle dot, and never ends with an opening mark or a middle dot.
NO_START_CLASSES = frozenset((Cls.CLOSE, Cls.STOP, Cls.NS, Cls.MIDDOT))
NO_END_CLASSES = frozenset((Cls.OPEN, Cls.MIDDOT))


def no_break_before(ch: str) -> bool:
    """True when no line may start with `ch` (no break before it): closing marks, stops, other
    non-starters, middle dots."""
    return char_class(ch) in NO_START_CLASSES


def no_break_after(ch: str) -> bool:
    """True when no line may end with `ch` (no break after it): opening marks, middle dots."""
    return char_class(ch) in NO_END_CLASSES


def url_break_between(a: str, b: str) -> bool:
    """May a URL or an e-mail address break between `a` and `b`? After a slash (not inside //),
    or before . @ _ - ? & = # (the first of a row of them)."""
    if a in URL_BREAK_AFTER:
        return b not in URL_BREAK_AFTER
    return b in URL_BREAK_BEFORE and a not in URL_BREAK_BEFORE
