"""Inline markup of paragraph text → styled runs.

The spec's paragraphs use a small, Markdown-like syntax that a Chinese editor can type:

    **加粗**            bold
    *着重*              emphasis (着重号: dots under each Han character, or weight/colour per style)
    [文字](https://…)   a link: clickable, coloured
    [文字]{color=#b3120f}  a colour span
    \\*  \\[  \\]  \\\\  …   a backslash makes the next character literal

A bracket pair followed by neither ``(`` nor ``{`` stays literal text (citations like [1]).
Unbalanced markup is an error that names the column in the paragraph, so the spec loader can
point the editor at the exact place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
_ESCAPABLE = frozenset("\\*[](){}_`#~")
_MARKUP = re.compile(r"[\\*\[\]]")  # the characters `inline` acts on; all else is plain text


@dataclass(frozen=True)
class Run:
    """A stretch of text with one style. `offset` is where its first character stood in the source."""

    text: str
    bold: bool = False
    emph: bool = False
    color: str | None = None
    link: str | None = None
    offset: int = 0

    def same_style(self, other: Run) -> bool:
        return (self.bold, self.emph, self.color, self.link) == (other.bold, other.emph, other.color, other.link)


class MarkupError(ValueError):
    """Unbalanced or malformed inline markup. `offset` is 0-based; `column` is 1-based."""

    def __init__(self, message: str, offset: int):
        self.offset = offset
        self.column = offset + 1
        super().__init__(f"column {self.column}: {message}")


@dataclass
class _Style:
    bold: bool = False
    emph: bool = False
    color: str | None = None
    link: str | None = None


class _Parser:
    def __init__(self, text: str):
        self.s = text
        self.i = 0
        self.runs: list[Run] = []

    # -- output --------------------------------------------------------------------------------
    def emit(self, text: str, style: _Style, offset: int) -> None:
        if not text:
            return
        run = Run(text, style.bold, style.emph, style.color, style.link, offset)
        if self.runs and self.runs[-1].same_style(run):
            last = self.runs[-1]
            self.runs[-1] = Run(last.text + text, last.bold, last.emph, last.color, last.link, last.offset)
        else:
            self.runs.append(run)

    # -- grammar -------------------------------------------------------------------------------
    def parse(self) -> list[Run]:
        self.inline(_Style(), closer=None, opened_at=0)
        return self.runs

    def inline(self, style: _Style, closer: str | None, opened_at: int) -> None:
        """Parse until `closer` (consumed) or the end of text (an error when a closer is due)."""
        s = self.s
        buf: list[str] = []
        buf_at = self.i

        def flush() -> None:
            nonlocal buf, buf_at
            self.emit("".join(buf), style, buf_at)
            buf = []
            buf_at = self.i

        n = len(s)
        while self.i < n:
            # plain text up to the next markup character, in one piece
            m = _MARKUP.search(s, self.i)
            stop = m.start() if m is not None else n
            if stop > self.i:
                if not buf:
                    buf_at = self.i
                buf.append(s[self.i:stop])
                self.i = stop
                continue
            ch = s[self.i]
            if ch == "\\" and self.i + 1 < n and s[self.i + 1] in _ESCAPABLE:
                if not buf:
                    buf_at = self.i
                buf.append(s[self.i + 1])
                self.i += 2
                continue
            if ch == "*":
                token = "**" if s.startswith("**", self.i) else "*"
                if token == "**" and closer == "*" and style.bold:
                    token = "*"  # '***' closing emphasis inside bold: '*' then '**'
                if token == closer:
                    flush()
                    self.i += len(token)
                    return
                flush()
                at = self.i
                self.i += len(token)
                if token == "**":
                    if style.bold:
                        raise MarkupError("'**' inside bold text; close the bold first", at)
                    inner = _Style(True, style.emph, style.color, style.link)
                else:
                    if style.emph:
                        raise MarkupError("'*' inside emphasis; close the emphasis first", at)
                    inner = _Style(style.bold, True, style.color, style.link)
                self.inline(inner, token, at)
                buf_at = self.i
                continue
            if ch == "[":
                flush()
                self.bracket(style)
                buf_at = self.i
                continue
            if ch == "]":
                if closer == "]":
                    flush()
                    self.i += 1
                    return
                raise MarkupError("']' without an opening '['; write \\] for a literal bracket", self.i)
            if not buf:
                buf_at = self.i
            buf.append(ch)
            self.i += 1
        flush()
        if closer is not None:
            what = {"**": "bold '**'", "*": "emphasis '*'", "]": "'['"}[closer]
            raise MarkupError(f"{what} opened here is never closed", opened_at)

    def bracket(self, style: _Style) -> None:
        """`[text](url)`, `[text]{color=#rrggbb}`, or literal `[text]`."""
        s = self.s
        at = self.i
        # Parse the bracket's content into a scratch run list first: its style depends on
        # what follows the closing bracket.
        saved, self.runs = self.runs, []
        self.i += 1
        self.inline(_Style(style.bold, style.emph, style.color, style.link), "]", at)
        inner, self.runs = self.runs, saved
        nxt = s[self.i] if self.i < len(s) else ""
        if nxt == "(":
            end = s.find(")", self.i + 1)
            if end < 0:
                raise MarkupError("link target '(' is never closed with ')'", self.i)
            url = s[self.i + 1:end].strip()
            if not url or any(c.isspace() for c in url):
                raise MarkupError(f"link target {url!r} is empty or contains spaces", self.i + 1)
            if style.link is not None:
                raise MarkupError("a link inside a link", at)
            self.i = end + 1
            for r in inner:
                self.emit(r.text, _Style(r.bold, r.emph, r.color, url), r.offset)
        elif nxt == "{":
            end = s.find("}", self.i + 1)
            if end < 0:
                raise MarkupError("attribute list '{' is never closed with '}'", self.i)
            attrs = s[self.i + 1:end].strip()
            color = self._color(attrs, self.i + 1)
            self.i = end + 1
            for r in inner:
                self.emit(r.text, _Style(r.bold, r.emph, color, r.link), r.offset)
        else:
            self.emit("[", style, at)
            for r in inner:
                self.emit(r.text, _Style(r.bold, r.emph, r.color, r.link), r.offset)
            self.emit("]", style, self.i - 1)

    @staticmethod
    def _color(attrs: str, at: int) -> str:
        key, sep, value = attrs.partition("=")
        if not sep or key.strip() != "color":
            raise MarkupError(f"expected {{color=#rrggbb}}, got {{{attrs}}}", at)
        value = value.strip().strip("'\"")
        if not _COLOR.fullmatch(value):
            raise MarkupError(f"colour {value!r} is not #rgb or #rrggbb", at)
        if len(value) == 4:
            value = "#" + "".join(c * 2 for c in value[1:])
        return value.lower()


def parse_markup(text: str) -> list[Run]:
    """Split paragraph text with inline markup into styled runs (markup characters removed).

    Raises MarkupError (a ValueError) for unbalanced markup, naming the column.

    >>> [(r.text, r.bold) for r in parse_markup("**要点**正文")]
    [('要点', True), ('正文', False)]
    """
    return _Parser(text).parse()


def plain_text(text: str) -> str:
    """The text a reader sees: markup removed, escapes resolved."""
    return "".join(r.text for r in parse_markup(text))
