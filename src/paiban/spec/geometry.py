"""Page geometry: where text may go on a page, computed from the spec's `page:` alone.

Below everything that needs it: the spec's checks (room for text), the charts (drawn a column
or the page wide) and the layout's page templates.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    mirrored: bool = True  # inner margin left on odd pages, right on even; False: left on every page

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
        """Left text edge: the inner margin is on the left of odd (recto) pages (of every page
        when the margins are not mirrored)."""
        return self.inner if page_number % 2 == 1 or not self.mirrored else self.outer

    def column_x(self, page_number: int, i: int) -> float:
        return self.left(page_number) + i * (self.column_width + self.gutter)


def geometry(page: Page) -> Geometry:
    if page.masthead == "gongwen":
        return _gongwen(page)
    w, h = page_size_pt(page.size)
    if page.orientation == "landscape":
        w, h = max(w, h), min(w, h)
    m = page.margin_box()
    return Geometry(width=w, height=h, top=m.top.pt(), bottom=m.bottom.pt(), inner=m.inner.pt(),
                    outer=m.outer.pt(), columns=page.columns, gutter=page.gutter.pt(), bleed=page.bleed.pt())


def _gongwen(page: Page) -> Geometry:
    """The 公文 preset (GB/T 9704 §5.2): A4, the 版心 156 × 225 mm at 37 mm from the top and 28 mm
    from the left on every page, one column; what the spec gives itself wins."""
    from paiban.spec.gongwen import BLOCK_MM, LEFT_MM, MM, PAGE_MM, TOP_MM

    given = page.model_fields_set
    w, h = page_size_pt(page.size) if "size" in given else (PAGE_MM[0] * MM, PAGE_MM[1] * MM)
    if "margins" in given:
        m = page.margin_box()
        top, bottom, left, right = m.top.pt(), m.bottom.pt(), m.inner.pt(), m.outer.pt()
    else:
        top, left = TOP_MM * MM, LEFT_MM * MM
        bottom, right = h - top - BLOCK_MM[1] * MM, w - left - BLOCK_MM[0] * MM
    return Geometry(width=w, height=h, top=top, bottom=bottom, inner=left, outer=right,
                    columns=page.columns if "columns" in given else 1, gutter=page.gutter.pt(),
                    bleed=page.bleed.pt(), mirrored=False)
