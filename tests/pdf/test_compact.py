"""Object streams and a cross-reference stream: the same pages, read back by qpdf and MuPDF."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pymupdf
import pytest
from reportlab.pdfgen.canvas import Canvas

from paiban.pdf.canvas import DeferredCanvas
from paiban.pdf.compact import PER_STREAM, CompactDocument
from tests.support.pdfcheck import assert_valid_pdf


def _draw(canv: Canvas, pages: int, font: str) -> bytes:
    for n in range(pages):
        canv.setFont(font, 12)
        canv.drawString(40, 60, f"第{n + 1}页 page {n + 1}")
        canv.linkURL("https://example.com", (40, 50, 120, 70), relative=1, thickness=0)
        canv.bookmarkPage(f"p{n}")
        canv.addOutlineEntry(f"第{n + 1}页", f"p{n}", level=0)
        canv.showPage()
    canv.setTitle("标题 (title)")
    canv.save()
    return canv._filename.getvalue()


def test_pages_outline_links_and_metadata_read_as_with_reportlabs_layout(tmp_path: Path, serif) -> None:
    """A document of more objects than one object stream holds: qpdf finds no fault, and MuPDF
    reads the same pages, text, pixels, links, outline and metadata as from ReportLab's own."""
    pages = 70  # a page, its annotation and its outline entry: 210 objects outside streams
    plain = _draw(Canvas(io.BytesIO(), pagesize=(200, 100), invariant=1), pages, serif.rl_name)
    canv = Canvas(io.BytesIO(), pagesize=(200, 100), invariant=1)
    canv._doc.__class__ = CompactDocument
    compact = _draw(canv, pages, serif.rl_name)
    path = tmp_path / "compact.pdf"
    path.write_bytes(compact)
    assert_valid_pdf(path)

    a, b = pymupdf.open(stream=plain, filetype="pdf"), pymupdf.open(stream=compact, filetype="pdf")
    assert len(a) == len(b) == pages
    assert [p.get_text() for p in a] == [p.get_text() for p in b]
    assert [[(link["kind"], link.get("uri")) for link in p.get_links()] for p in a] == \
           [[(link["kind"], link.get("uri")) for link in p.get_links()] for p in b]
    assert a.get_toc() == b.get_toc() and len(b.get_toc()) == pages
    assert {k: v for k, v in a.metadata.items() if k != "format"} == \
           {k: v for k, v in b.metadata.items() if k != "format"}
    assert b.metadata["format"] == "PDF 1.5" and b.metadata["title"] == "标题 (title)"
    for n in (0, pages - 1):
        assert a[n].get_pixmap(dpi=50).samples == b[n].get_pixmap(dpi=50).samples

    assert compact.startswith(b"%PDF-1.5") and b"\nxref\n" not in compact and b"trailer" not in compact
    streams = [int(n) for n in re.findall(rb"/Type /ObjStm /N (\d+)", compact)]
    assert len(streams) > 2 and max(streams) == PER_STREAM
    assert not re.search(rb"/Type\s*/Page\b", compact)  # page objects are all packed, deflated
    assert len(compact) < len(plain)


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf shows the cross-reference entries")
def test_the_deferred_canvas_writes_compact_pdfs_and_qpdf_reads_every_object(tmp_path: Path) -> None:
    canv = DeferredCanvas(io.BytesIO(), pagesize=(200, 100),
                          decorate=lambda c, number, total: c.drawString(10, 10, f"{number}/{total}"))
    assert isinstance(canv._doc, CompactDocument)
    for _ in range(3):
        canv.showPage()
    canv.save()
    path = tmp_path / "deferred.pdf"
    path.write_bytes(canv._filename.getvalue())
    assert_valid_pdf(path)
    shown = subprocess.run(["qpdf", "--show-xref", str(path)], capture_output=True, text=True, check=True)
    kinds = {line.split(":", 1)[1].split(";")[0].strip().split()[0] for line in shown.stdout.splitlines()}
    assert kinds == {"uncompressed", "compressed"}  # streams as they are, every other object packed
    assert [p.get_text().split() for p in pymupdf.open(path)] == [["1/3"], ["2/3"], ["3/3"]]
