"""Inline markup of paragraph text → styled runs.

The spec's paragraphs use a small, Markdown-like syntax that a Chinese editor can type:

    **加粗**            bold
    *着重*              emphasis (着重号: dots under each Han character, or weight/colour per style)
    [文字](https://…)   a link: clickable, coloured
    [文字]{color=#b3120f}  a colour span
    \\*  \\[  \\]  \\\\  …   a backslash makes the next character literal

A bracket pair followed by neither ``(`` nor ``{`` stays literal text (citations like [1]).
Unbalanced markup is an error (`MarkupError`, the one error type of markup) that names the
offset in the paragraph; `paiban.assets.check_markup` turns it into the file:line:column of the
spec text it came from. The parser is a loop with an explicit stack (no recursion): thousands of
nested brackets are refused or parsed, never a RecursionError.
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
        self.reason = message
        self.offset = offset
        self.column = offset + 1
        super().__init__(f"column {self.column}: {message}")


@dataclass
class _Style:
    bold: bool = False
    emph: bool = False
    color: str | None = None
    link: str | None = None


@dataclass
class _Frame:
    """An open span: what closes it, the style inside it, where it opened and, for a bracket,
    the runs made before it (its own content is collected apart: its style depends on what
    follows the closing bracket)."""

    closer: str | None
    style: _Style
    opened_at: int
    outer: list[Run] | None = None


class _Parser:
    """A loop over the text with an explicit stack of open spans: no recursion, so thousands of
    nested brackets cost memory in proportion, never Python's recursion limit."""

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
        s = self.s
        n = len(s)
        stack = [_Frame(None, _Style(), 0)]
        buf: list[str] = []
        buf_at = 0

        def flush() -> None:
            nonlocal buf, buf_at
            self.emit("".join(buf), stack[-1].style, buf_at)
            buf = []
            buf_at = self.i

        while self.i < n:
            top = stack[-1]
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
                style = top.style
                token = "**" if s.startswith("**", self.i) else "*"
                if token == "**" and top.closer == "*" and style.bold:
                    token = "*"  # '***' closing emphasis inside bold: '*' then '**'
                if token == top.closer:
                    flush()
                    self.i += len(token)
                    stack.pop()
                    buf_at = self.i
                    continue
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
                stack.append(_Frame(token, inner, at))
                buf_at = self.i
                continue
            if ch == "[":
                flush()
                stack.append(_Frame("]", top.style, self.i, outer=self.runs))
                self.runs = []
                self.i += 1
                buf_at = self.i
                continue
            if ch == "]":
                if top.closer != "]":
                    raise MarkupError("']' without an opening '['; write \\] for a literal bracket", self.i)
                flush()
                self.i += 1
                stack.pop()
                self.close_bracket(top)
                buf_at = self.i
                continue
            if not buf:
                buf_at = self.i
            buf.append(ch)
            self.i += 1
        flush()
        top = stack[-1]
        if top.closer is not None:
            what = {"**": "bold '**'", "*": "emphasis '*'", "]": "'['"}[top.closer]
            raise MarkupError(f"{what} opened here is never closed", top.opened_at)
        return self.runs

    def close_bracket(self, frame: _Frame) -> None:
        """`[text](url)`, `[text]{color=#rrggbb}`, or literal `[text]`: the bracket's runs, styled
        by what follows it, go after the runs made before it."""
        s = self.s
        at, style = frame.opened_at, frame.style
        inner, self.runs = self.runs, frame.outer if frame.outer is not None else []
        nxt = s[self.i] if self.i < len(s) else ""
        if nxt == "(":
            end = s.find(")", self.i + 1)
            if end < 0:
                raise MarkupError("link target '(' is never closed with ')'", self.i)
            url = s[self.i + 1:end].strip()
            if not url or any(c.isspace() for c in url):
                raise MarkupError(f"link target {url!r} is empty or contains spaces", self.i + 1)
            if style.link is not None or any(r.link is not None for r in inner):
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
