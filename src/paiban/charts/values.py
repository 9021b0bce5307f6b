"""Numbers as Chinese reporting writes them, and back again for labels.

An article says "1000余条", "近2000万元", "6500多只", "2万亩", "11,407名". A chart needs the number
to draw and must keep the words that hedge it: a bar labelled "1000条" claims a precision the
text never had. So a value is parsed into (number, the text to print, approximate?) and the
text is reused verbatim for the label.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# Hedges before the number (近2000) and after it (1000余, 60以上); any of them makes it approximate.
PREFIXES = ("不低于", "将近", "超过", "突破", "近", "约", "逾", "超")
SUFFIXES = ("以上", "左右", "余", "多", "许", "+")
MULTIPLIERS = {"万": 1e4, "亿": 1e8}

_NUMBER = re.compile(
    r"^(?P<pre>" + "|".join(PREFIXES) + r")?"
    r"(?P<sign>[-−])?(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)"
    r"(?P<mult>[万亿])?(?P<pct>[%％])?"
    r"(?P<suf>" + "|".join(re.escape(s) for s in SUFFIXES) + r")?$"
)


@dataclass(frozen=True)
class Value:
    """A number to draw, the text to print for it, and whether the article hedged it."""

    number: float
    text: str
    approx: bool = False

    def label(self, unit: str = "") -> str:
        """The value label: the article's own text plus the unit (1000余 + 条 → 1000余条)."""
        if not unit:
            return self.text
        if "%" in self.text or "％" in self.text:
            return self.text
        return self.text + unit


MAX_MAGNITUDE = 1e100  # beyond any quantity a chart shows; sums and axis scales of it stay finite


def parse_value(raw: object, *, thousands: int = 10000) -> Value | None:
    """A cell → Value; None when the cell is not a number (the caller says where and why).

    Numbers given as numbers (YAML/JSON 132, 2307.02) are printed without a trailing .0 and with
    thousands separators from `thousands` up; numbers given as text keep their text exactly.
    """
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int | float):
        try:
            number = float(raw)
        except OverflowError:  # an integer of more than 308 digits
            return None
        if not math.isfinite(number) or abs(number) > MAX_MAGNITUDE:
            return None
        return Value(number, format_number(number, thousands=thousands), False)
    if not isinstance(raw, str):
        return None
    text = raw.strip().replace("\u3000", "").replace(" ", "")
    m = _NUMBER.match(text)
    if not m:
        return None
    number = float(m.group("num").replace(",", ""))
    if m.group("sign"):
        number = -number
    if m.group("mult"):
        number *= MULTIPLIERS[m.group("mult")]
    if not math.isfinite(number) or abs(number) > MAX_MAGNITUDE:
        return None  # 309 digits read as inf; sums and scales of such numbers overflow
    approx = bool(m.group("pre") or m.group("suf"))
    return Value(number, text, approx)


def format_number(number: float, *, thousands: int = 10000) -> str:
    """132 → "132"; 2307.02 → "2307.02"; 10200 → "10,200" (from `thousands` up, as the article does)."""
    if number == int(number) and abs(number) < 1e15:
        n = int(number)
        if thousands and abs(n) >= thousands:
            return f"{n:,}"
        return str(n)
    text = f"{number:.6f}".rstrip("0").rstrip(".")
    if thousands and abs(number) >= thousands:
        whole, _, frac = text.partition(".")
        text = f"{int(whole):,}" + (f".{frac}" if frac else "")
    return text


def parse_flag(raw: object) -> bool | None:
    """A true/false cell (true, false, yes, no, 1, 0, 是, 否, 约; empty → false); None if unreadable."""
    if isinstance(raw, bool):
        return raw
    if raw is None:
        return False
    if isinstance(raw, int | float):
        return bool(raw) if raw in (0, 1) else None
    text = str(raw).strip().lower()
    if text in ("", "false", "no", "n", "0", "否", "精确", "exact"):
        return False
    if text in ("true", "yes", "y", "1", "是", "约", "approx", "~"):
        return True
    return None
