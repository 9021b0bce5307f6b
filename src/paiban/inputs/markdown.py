"""Markdown articles (`text: {file: a.md}`) into paiban's paragraphs, with markdown-it-py.

Paragraphs, **bold**, *emphasis*, [links](https://…), headings (set as subheads), numbered and
bulleted lists (one paragraph per item, its number or a bullet kept) and block quotes are read;
code is set as text; images, tables and raw HTML are refused at their line, since a text block
cannot show them (an image is an `image:` block). Footnotes are not read (markdown-it's plugin
for them is a further dependency); `[^1]` stays as typed.
"""

from __future__ import annotations

from typing import Any

from paiban.inputs.located import HEADING, LocatedText, greedy
from paiban.inputs.paste import clean


class MarkdownError(ValueError):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message, self.line = message, line


def escape(text: str) -> str:
    """Plain text made safe for paiban's markup (a literal * or [ in the article)."""
    return "".join("\\" + ch if ch in "\\*[]" else ch for ch in text)


def _inline(children: list[Any], line: int) -> str:
    out = []
    hrefs: list[str] = []
    for t in children:
        if t.type == "text":
            out.append(escape(t.content))
        elif t.type in ("strong_open", "strong_close"):
            out.append("**")
        elif t.type in ("em_open", "em_close"):
            out.append("*")
        elif t.type == "link_open":
            hrefs.append(str(t.attrs.get("href", "")))
            out.append("[")
        elif t.type == "link_close":
            out.append("](" + (hrefs.pop() if hrefs else "") + ")")
        elif t.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif t.type == "image":
            raise MarkdownError("an image in a text file is not shown; put it in an image: block", line)
        elif t.type == "html_inline":
            raise MarkdownError(f"HTML {t.content!r} in a text file; write Markdown (**bold**, *emphasis*)", line)
        else:
            out.append(escape(t.content))
    return "".join(out)


def convert(source: str, name: str) -> LocatedText:
    """The article's paragraphs; raises MarkdownError at the line of what a text block cannot show."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    tokens = md.parse(source)
    line_starts = [0]
    for i, ch in enumerate(source):
        if ch == "\n":
            line_starts.append(i + 1)
    line_starts.append(len(source))
    parts: list[str] = []
    ats: list[list[int]] = []
    notes: list[tuple[int, str]] = []
    heading = False
    items: list[list[int]] = []  # the open lists: [number of the next item] or [0] for bullets
    item_prefix: str | None = None
    for k, tok in enumerate(tokens):
        if tok.type in ("table_open", "html_block"):
            raise MarkdownError("a table or HTML in a text file is not shown; a table is a figure with "
                                "chart: table", (tok.map or [0])[0] + 1)
        if tok.type == "heading_open":
            heading = True
        elif tok.type == "heading_close":
            heading = False
        elif tok.type == "ordered_list_open":
            items.append([int(tok.attrs.get("start", 1) or 1)])
        elif tok.type == "bullet_list_open":
            items.append([0])
        elif tok.type in ("ordered_list_close", "bullet_list_close"):
            items.pop()
        elif tok.type == "list_item_open" and items:
            n = items[-1][0]
            item_prefix = f"{n}. " if n else "• "
            if n:
                items[-1][0] += 1
        elif tok.type in ("inline", "code_block", "fence"):
            first, last = tok.map or (0, 0)
            start, end = line_starts[min(first, len(line_starts) - 1)], line_starts[min(last, len(line_starts) - 1)]
            if tok.type == "inline":
                raw = _inline(tok.children or [], first + 1)
            else:
                raw = escape(tok.content.rstrip("\n"))
            src_at = greedy(raw, source, start, end)
            tidy = clean(raw, "blank-line")
            text = tidy.text.replace("\n\n", " ") if tok.type == "inline" else tidy.text.replace("\n\n", "\n")
            at = [src_at[min(i, len(src_at) - 1)] if src_at else start for i in tidy.at[:len(text)]]
            for off, msg in tidy.notes:
                notes.append((src_at[off] if off < len(src_at) else start, msg))
            prefix = HEADING if heading else (item_prefix or "")
            if tokens[k - 1].type == "paragraph_open" and item_prefix and not heading:
                item_prefix = None
            if not text:
                continue
            parts.append(prefix + text)
            ats.append([start] * len(prefix) + at)
    text = "\n\n".join(parts)
    at: list[int] = []
    for i, a in enumerate(ats):
        if i:
            at += [at[-1], at[-1]]
        at += a
    return LocatedText(text, at, source, name, mode="markdown", notes=notes)
