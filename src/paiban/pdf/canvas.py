"""The page canvas: pages held until the document is complete, then finished and written.

Running lines say `{pages}`, and a part's page numbers are known only once every page is laid
out; so each page's drawing is kept, not written, until `save`, which then draws what had to
wait (`later`), the running lines (`decorate`) and, on a sheet larger than the page (bleed),
the crop marks, and writes every page. Only the drawing is held: what a page's paragraphs kept
for laying out (measured glyphs, line layouts) is let go once the page is finished
(`finished_with`), so memory grows with the page count by the drawing alone.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.pdfgen.canvas import Canvas

from paiban.pdf.compact import CompactDocument


class TooManyPages(Exception):
    """The document runs past `DeferredCanvas.max_pages` pages (the layout stage says where)."""


class DeferredCanvas(Canvas):
    """A canvas that holds each page until the end, so running lines can say {pages}.

    `dry_run` is true while balancing tries a column height for the last page: what is drawn
    then is thrown away, so flowables may skip their drawing (paragraphs do).
    """

    dry_run = False
    max_pages: int | None = None  # held pages cost memory: past this, TooManyPages

    def __init__(self, *args, decorate: Callable[[Canvas, int, int], None] | None = None,
                 trim: tuple[float, float, float] | None = None, **kwargs):
        """`trim` = (width, height, offset): the page is set `offset` in from a larger sheet that
        carries the bleed and crop marks (page.bleed)."""
        self._trim = trim
        if trim is not None:
            w, h, off = trim
            kwargs["pagesize"] = (w + 2 * off, h + 2 * off)
            kwargs["trimBox"] = (off, off, off + w, off + h)
        super().__init__(*args, **kwargs)
        self._doc.__class__ = CompactDocument  # object streams and an xref stream (pdf.compact)
        self._pages: list[dict] = []
        self._decorate = decorate
        self.late: list[Callable[[Canvas], None]] = []
        self._drawn: list = []

    def finished_with(self, flowable) -> None:
        """`flowable` is drawn on this page: once the page is finished (no layout of it is tried
        again), its `release()` lets go of what it kept for laying out."""
        self._drawn.append(flowable)  # a page laid out again rolls back to a copy (frames.copy_state)

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        if self.max_pages is not None and len(self._pages) >= self.max_pages:
            raise TooManyPages(self.max_pages)
        for f in self._drawn:
            f.release()
        self._drawn = []
        self._pages.append(dict(self.__dict__))
        self.late = []
        self._startPage()

    def later(self, draw: Callable[[Canvas], None]) -> None:
        """Draw something on this page once every page is laid out (page numbers of parts)."""
        self.late.append(draw)

    def destination(self, key: str, x: float, y: float) -> None:
        """Bind the named destination `key` to this page at (x, y) in page space (/XYZ: the viewer
        scrolls so that point is at its top-left, keeping the reader's zoom). Bound when the page
        is written: a held page has no PDF page object yet, so binding now would name page 1."""

        def bind(canvas: DeferredCanvas) -> None:
            off = canvas.offset
            canvas.bookmarkPage(key, fit="XYZ", left=round(x + off, 2), top=round(y + off, 2))

        self.later(bind)

    @property
    def offset(self) -> float:
        """How far the page sits in from the sheet's corner (the bleed's margin), else 0."""
        return self._trim[2] if self._trim is not None else 0.0

    def save(self) -> None:
        total = len(self._pages)
        # One table of named destinations for the whole document: each held page kept its own
        # reference to it, and a page laid out again (balancing) may hold a copy; destinations
        # bound on any page must be found when the outline and links are written.
        destinations = self._destinations
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._destinations = destinations
            if self._trim is not None:
                self._code.insert(0, f"1 0 0 1 {self._trim[2]:.3f} {self._trim[2]:.3f} cm")
            for draw in state.get("late", ()):
                draw(self)
            if self._decorate is not None:
                self._decorate(self, number, total)
            if self._trim is not None:
                self._crop_marks()
            super().showPage()
        super().save()

    def setPageSize(self, size: tuple[float, float]) -> None:  # noqa: N802 - ReportLab's name
        if self._trim is not None:
            size = (self._trim[0] + 2 * self._trim[2], self._trim[1] + 2 * self._trim[2])
        super().setPageSize(size)

    def _crop_marks(self) -> None:
        w, h, off = self._trim  # type: ignore[misc]
        gap = off * 0.45  # marks start outside the bleed
        self.saveState()
        self.setStrokeColorRGB(0, 0, 0)
        self.setLineWidth(0.25)
        for x, y, dx, dy in ((0, 0, -1, -1), (w, 0, 1, -1), (0, h, -1, 1), (w, h, 1, 1)):
            self.line(x + dx * gap, y, x + dx * (off - 1), y)
            self.line(x, y + dy * gap, x, y + dy * (off - 1))
        self.restoreState()
