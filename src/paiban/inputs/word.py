"""Word documents (.docx) into paiban's paragraphs and into Markdown, with python-docx.

A paragraph's runs keep their bold and italic (as **bold** and *emphasis*), a heading style
(标题 1, Heading 1, Title) makes a subhead, a list paragraph keeps its bullet; empty paragraphs
(Word's way of spacing) are dropped, and leading full-width spaces (Word's indent typed by hand)
too. Places in a Word document are told as paragraph:character (a.docx:12:3 is the third
character of its twelfth paragraph, counting empty ones, as Word's navigation pane does not but
a search does).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from paiban.inputs.located import HEADING, LocatedText
from paiban.inputs.markdown import escape
from paiban.inputs.paste import clean


class WordError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _is_heading(style_name: str) -> bool:
    name = style_name.lower()
    return name.startswith(("heading", "title", "标题")) or name == "subtitle"


def _is_list(paragraph) -> bool:
    ppr = paragraph._p.pPr  # python-docx has no public accessor for numbering
    return (ppr is not None and ppr.numPr is not None) or paragraph.style.name.lower().startswith("list")


def _runs(paragraph) -> str:
    out = []
    for run in paragraph.runs:
        text = escape(run.text)
        if not text:
            continue
        bold, italic = bool(run.bold), bool(run.italic)
        core = text.strip()
        if (bold or italic) and core:
            lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
            mark = "**" if bold else "*"
            text = f"{lead}{mark}{core}{mark}{trail}"
        out.append(text)
    return "".join(out).replace("****", "")  # bold runs side by side: one span


def paragraphs(path: Path) -> list[tuple[str, str]]:
    """(kind, markup) of every paragraph of the document body, kind being para, heading, item or
    empty; raises WordError for a file that is not a Word document."""
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as exc:  # pragma: no cover - a dependency
        raise WordError(f"reading Word files needs python-docx ({exc})") from None
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise WordError(f"not a Word document (.docx): {' '.join(str(exc).split())[:160]}; save it from Word "
                        "or WPS as .docx (an old .doc must be saved again as .docx)") from None
    except Exception as exc:  # lxml and zip errors of a damaged file
        raise WordError(f"cannot read the Word document: {' '.join(str(exc).split())[:160]}") from None
    out = []
    for p in document.paragraphs:
        text = _runs(p)
        if not text.strip(" \t\u3000"):
            out.append(("empty", ""))
        elif _is_heading(p.style.name if p.style is not None else ""):
            out.append(("heading", text))
        elif _is_list(p):
            out.append(("item", text))
        else:
            out.append(("para", text))
    return out


def convert(path: Path, name: str) -> LocatedText:
    """The document's paragraphs with their places (paragraph:character)."""
    paras = paragraphs(path)
    source = "\n".join(text for _, text in paras)
    parts: list[str] = []
    at: list[int] = []
    notes: list[tuple[int, str]] = []
    offset = 0
    for kind, text in paras:
        if kind != "empty":
            tidy = clean(text, "blank-line")
            prefix = HEADING if kind == "heading" else "• " if kind == "item" else ""
            if parts:
                at += [at[-1], at[-1]]
            parts.append(prefix + tidy.text)
            at += [offset] * len(prefix) + [offset + i for i in tidy.at]
            notes += [(offset + i, msg) for i, msg in tidy.notes]
        offset += len(text) + 1
    return LocatedText("\n\n".join(parts), at, source, name, mode="word", notes=notes)


def to_markdown(path: Path) -> str:
    """The document as a Markdown file (`paiban import a.docx`): ## headings, - items, paragraphs."""
    lines = []
    for kind, text in paragraphs(path):
        if kind == "empty":
            continue
        tidy = clean(text, "blank-line").text
        lines.append(("## " if kind == "heading" else "- " if kind == "item" else "") + tidy)
    return "\n\n".join(lines) + "\n"
