"""A proof sheet for tests: charts or facts boxes on plain pages, at their real width, each under
a label, in a PDF the test reads back.

Uses the chart face as the canvas' initial font, so the PDF names no font but the document's own
(ReportLab otherwise starts every page in Helvetica).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.platypus import BaseDocTemplate, Flowable, Frame, KeepTogether, PageTemplate, Spacer

from paiban.fonts.face import Face


class Label(Flowable):
    """One line of text in a given face (the chart id over each chart)."""

    def __init__(self, text: str, face: Face, size: float = 7.0):
        super().__init__()
        self.text, self.face, self.size = text, face, size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return availWidth, self.size * 1.6

    def draw(self) -> None:
        self.canv.setFont(self.face.rl_name, self.size)
        self.canv.setFillGray(0.45)
        self.canv.drawString(0, self.size * 0.4, self.text)


def write_proof(path: str | Path, items: Sequence[tuple[str, Flowable]], face: Face, width: float,
                page_height: float = 842.0, margin: float = 36.0) -> Path:
    """Write `items` ((label, flowable) pairs) one under another in a frame `width` points wide."""
    path = Path(path)
    doc = BaseDocTemplate(str(path), pagesize=(width + 2 * margin, page_height), initialFontName=face.rl_name,
                          leftMargin=margin, rightMargin=margin, topMargin=margin, bottomMargin=margin,
                          title="paiban chart proof", author="paiban")
    frame = Frame(margin, margin, width, page_height - 2 * margin, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(frames=[frame])])
    story: list[Flowable] = []
    for label, flowable in items:
        story.append(KeepTogether([Label(label, face), flowable, Spacer(0, 14)]))
    doc.build(story)
    return path
