"""Page geometry and page templates: the masthead page, the column pages, running lines.

The first page carries the masthead across all columns and the columns below it; later pages
carry only columns, with a running header and footer. `{pages}` needs the page count before
the last page is drawn, so running lines are drawn when the canvas is saved (`_DeferredCanvas`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from paiban.spec.model import Page
from paiban.spec.values import page_size_pt


@dataclass(frozen=True)
class Geometry:
    """Where text may go on a page, in points, origin bottom-left as in PDF."""

    width: float
    height: float
    top: float
    bottom: float
    inner: float
    outer: float
    columns: int
    gutter: float
    bleed: float = 0.0

    @property
    def text_width(self) -> float:
        return self.width - self.inner - self.outer

    @property
    def text_height(self) -> float:
        return self.height - self.top - self.bottom

    @property
    def column_width(self) -> float:
        return (self.text_width - self.gutter * (self.columns - 1)) / self.columns

    def left(self, page_number: int) -> float:
        """Left text edge: the inner margin is on the left of odd (recto) pages."""
        return self.inner if page_number % 2 == 1 else self.outer

    def column_x(self, page_number: int, i: int) -> float:
        return self.left(page_number) + i * (self.column_width + self.gutter)


def geometry(page: Page) -> Geometry:
    w, h = page_size_pt(page.size)
    if page.orientation == "landscape":
        w, h = max(w, h), min(w, h)
    m = page.margin_box()
    return Geometry(width=w, height=h, top=m.top.pt(), bottom=m.bottom.pt(), inner=m.inner.pt(),
                    outer=m.outer.pt(), columns=page.columns, gutter=page.gutter.pt(), bleed=page.bleed.pt())


class DeferredCanvas(Canvas):
    """A canvas that holds each page until the end, so running lines can say {pages}."""

    def __init__(self, *args, decorate: Callable[[Canvas, int, int], None] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []
        self._decorate = decorate

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            if self._decorate is not None:
                self._decorate(self, number, total)
            super().showPage()
        super().save()


def column_frames(geo: Geometry, page_number: int, top_y: float, bottom_y: float, prefix: str) -> list[Frame]:
    frames = []
    for i in range(geo.columns):
        frames.append(Frame(geo.column_x(page_number, i), bottom_y, geo.column_width, top_y - bottom_y,
                            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
                            id=f"{prefix}{i}", showBoundary=0))
    return frames


def make_templates(geo: Geometry, masthead_height: float) -> list[PageTemplate]:
    """A first page (masthead frame + columns) and odd/even column pages."""
    first_top = geo.height - geo.top
    mast = Frame(geo.left(1), first_top - masthead_height, geo.text_width, masthead_height,
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="masthead")
    first = PageTemplate(id="first", frames=[mast, *column_frames(geo, 1, first_top - masthead_height,
                                                                     geo.bottom, "c")])
    odd = PageTemplate(id="odd", frames=column_frames(geo, 1, first_top, geo.bottom, "o"))
    even = PageTemplate(id="even", frames=column_frames(geo, 2, first_top, geo.bottom, "e"))
    return [first, odd, even]


class BriefingDoc(BaseDocTemplate):
    """Alternates odd/even templates after the first page so inner margins sit at the binding."""

    def handle_pageBegin(self) -> None:  # noqa: N802 - ReportLab's name
        super().handle_pageBegin()

    def handle_pageEnd(self) -> None:  # noqa: N802
        nxt = self.page + 1
        self._handle_nextPageTemplate("odd" if nxt % 2 == 1 else "even")
        super().handle_pageEnd()
