"""What a bulletin's red head prints, from the document's issue fields and the `bulletin:`
formats: one place for the layout that draws it, the coverage check that reads its characters
and the PDF metadata that names the issue."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from paiban.spec.model import Spec


def issue_line(spec: Spec) -> str | None:
    """第12期（总第45期）: the number through `bulletin.issue_format` when it is an integer, as
    written when it is a string; the running number appended through `total_format`."""
    doc, fmt = spec.document, spec.bulletin
    if doc.number is None and doc.total_number is None:
        return None
    line = ""
    if isinstance(doc.number, int):
        line = fmt.issue_format.format(number=doc.number)
    elif doc.number:
        line = doc.number
    if doc.total_number is not None:
        line += fmt.total_format.format(total=doc.total_number)
    return line


def head_texts(spec: Spec) -> Iterator[tuple[tuple, str, str]]:
    """(key path, style, text) of every text the red head sets."""
    doc = spec.document
    if doc.classification:
        yield ("document", "classification"), "bulletin.classification", doc.classification
    if doc.name:
        yield ("document", "name"), "bulletin.name", doc.name
    issue = issue_line(spec)
    if issue:
        yield ("document", "number"), "bulletin.issue", issue
    for key in ("office", "date"):
        value = getattr(doc, key)
        if value:
            yield ("document", key), "bulletin.info", value


def issue_title(spec: Spec) -> str:
    """The PDF title of a bulletin: its name and issue line (乡村振兴工作简报 第12期（总第45期）)."""
    doc = spec.document
    parts = [p for p in (doc.name, issue_line(spec)) if p]
    return " ".join(parts) or doc.title
