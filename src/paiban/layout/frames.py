"""The frames of a page: columns whose foot can be raised (floats at the foot, balancing), the
page templates, and the copies of layout state a page replay restores."""

from __future__ import annotations

from reportlab.platypus import Flowable, Frame, PageTemplate

from paiban.spec.geometry import Geometry


class PlacementError(Exception):
    """Laying out a flowable failed: `error` is what was raised, `flowable` the innermost
    flowable being placed that knows the spec keys it was made for (`spec_keys`), `frame` the
    frame it was being placed in. The render stage turns it into a message at the spec line."""

    def __init__(self, error: Exception, flowable: Flowable, frame: Frame | None):
        super().__init__(str(error))
        self.error, self.flowable, self.frame = error, flowable, frame


class ColumnFrame(Frame):
    """A frame whose bottom can be raised for one page (bottom floats, balancing).

    ReportLab's own `_saveGeom`/`_restoreGeom` pair is broken (it indexes a float), so the
    raised bottom lives in `_y1p` and every reset recomputes the geometry from scratch.
    """

    low: float | None = None  # the bottom of the lowest float set at this column's foot
    wide_at_foot = False  # a page-wide float stands at this page's foot, under this column

    def _reset(self) -> None:
        super()._reset()
        self._geom()
        self.__dict__["low"] = None
        self.__dict__["wide_at_foot"] = False

    def set_at_foot(self, h: float) -> None:
        """A float of height `h` drawn at the foot: the column's text now ends above it."""
        y = self._y1p
        self.__dict__["low"] = y if self.low is None else min(self.low, y)
        self.raise_bottom(h)

    def raise_bottom(self, by: float) -> None:
        self.__dict__["_y1p"] = self._y1p + by
        self.__dict__["_aH"] = self._y2 - self._y1p - self._topPadding


def column_frames(geo: Geometry, page_number: int, top_y: float, bottom_y: float, prefix: str) -> list[Frame]:
    frames = []
    for i in range(geo.columns):
        frames.append(ColumnFrame(geo.column_x(page_number, i), bottom_y, geo.column_width, top_y - bottom_y,
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


def roll_back(state: dict, saved: dict, keep: tuple[str, ...] = ()) -> None:
    """`state` as it was when `saved` was taken: attributes set since then are dropped too (a
    part heading's mark on the canvas, …), except those in `keep`."""
    for k in [k for k in state if k not in saved and k not in keep]:
        del state[k]
    state.update(copy_state(saved))


def copy_state(state: dict, skip: tuple[str, ...] = ()) -> dict:
    """A copy deep enough that running the layout again does not disturb the saved state."""
    out = {}
    for k, v in state.items():
        if k in skip:
            continue
        if isinstance(v, list):
            v = list(v)
        elif isinstance(v, dict) and k != "__dict__":
            v = dict(v)
        out[k] = v
    return out


def fenced(f, pending: list, frame: Frame | None) -> bool:
    from paiban.layout.article import FloatFence

    return isinstance(f, FloatFence) and bool(pending) and frame is not None and is_column(frame)


def floor(frame: Frame, f, h: float, columns: list[Frame]) -> float:
    """Where a column's text must end for a page-wide float `h` high at the foot of `columns`."""
    return max(frame._y1p, wide_foot(f, columns) + h)


def wide_foot(f, columns: list[Frame]) -> float:
    """Where a page-wide float at the foot of `columns` stands: at the page's foot (the end
    matter, `FloatBlock.foot`) under columns that may end higher, else over the highest column
    foot (a column float at one column's foot stands under it, not beside it)."""
    if getattr(f, "foot", False):
        return columns[0]._y1 + columns[0]._bottomPadding
    return max(fr._y1p for fr in columns)


def foot_taken(columns: list[Frame]) -> bool:
    """A page-wide float already stands at the foot of `columns`: another set there now would
    stand above it, before it in reading order; it waits for the next page instead."""
    return any(getattr(fr, "wide_at_foot", False) for fr in columns)


def is_column(frame: Frame) -> bool:
    return frame.id != "masthead"


def foot_lines(waiting: list, width: float, pitch: float) -> int:
    """Body lines the columns give up to the end matter (a foot float) waiting first in line."""
    if not (waiting and getattr(waiting[0], "foot", False)):
        return 0
    _, h = waiting[0].wrap(width, 1e6)
    return -int(-h // pitch)


def located(flowable) -> bool:
    """The flowable was made from a block of the spec (it knows the block's keys)."""
    return getattr(flowable, "spec_keys", None) is not None


def flush_floats(doc) -> None:
    """Floats still waiting when the text has run out go to the top of the next column (or
    page, for page-wide ones); without this a figure that fits no remaining column was
    silently left out. Each round reaches a fresh column, where any float fits (render
    refuses one taller than a column), so a few rounds place them all."""
    from reportlab.platypus.doctemplate import LayoutError

    for _ in range(4 * (len(doc.pageTemplate.frames) + len(doc._pending) + len(doc._pending_wide))):
        if not (doc._pending or doc._pending_wide):
            return
        if doc._pending_wide:
            doc.handle_pageBreak()
        else:
            doc.handle_frameEnd()
        doc.clean_hanging()
    if doc._pending or doc._pending_wide:
        raise LayoutError(f"Flowable {(doc._pending or doc._pending_wide)[0].identity()} fits no column")
