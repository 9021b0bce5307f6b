"""The deferred canvas: pages held until save, so running lines know the page count."""

from __future__ import annotations

import io

import pymupdf

from paiban.pdf.canvas import DeferredCanvas


def test_running_lines_know_the_page_count_and_late_drawing_lands_on_its_page() -> None:
    buf = io.BytesIO()

    def decorate(canv, number: int, total: int) -> None:
        canv.drawString(10, 10, f"{number}/{total}")

    canv = DeferredCanvas(buf, pagesize=(200, 100), decorate=decorate)
    for i in range(3):
        if i == 1:
            canv.later(lambda c: c.drawString(10, 50, "late"))
        canv.showPage()
    canv.save()
    pdf = pymupdf.open(stream=buf.getvalue(), filetype="pdf")
    assert [page.get_text().split() for page in pdf] == [["1/3"], ["late", "2/3"], ["3/3"]]


def test_a_trimmed_page_sits_on_a_larger_sheet_with_crop_marks() -> None:
    buf = io.BytesIO()
    canv = DeferredCanvas(buf, trim=(200.0, 100.0, 9.0))
    canv.showPage()
    canv.save()
    page = pymupdf.open(stream=buf.getvalue(), filetype="pdf")[0]
    assert (page.mediabox.width, page.mediabox.height) == (218, 118)
    assert tuple(page.trimbox) == (9, 9, 209, 109)
    assert len([item for d in page.get_drawings() for item in d["items"] if item[0] == "l"]) == 8
