"""Page geometry and page templates: the masthead page, the column pages, running lines.

The first page carries the masthead across all columns and the columns below it; later pages
carry only columns, with a running header and footer. `{pages}` needs the page count before
the last page is drawn, so running lines are drawn when the canvas is saved
(`paiban.pdf.canvas.DeferredCanvas`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from paiban.spec.geometry import Geometry


class ColumnFrame(Frame):
    """A frame whose bottom can be raised for one page (bottom floats, balancing).

    ReportLab's own `_saveGeom`/`_restoreGeom` pair is broken (it indexes a float), so the
    raised bottom lives in `_y1p` and every reset recomputes the geometry from scratch.
    """

    def _reset(self) -> None:
        super()._reset()
        self._geom()

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


class _Overflow(Exception):
    """Raised while balancing when the last page's content would need another page."""


class PlacementError(Exception):
    """Laying out a flowable failed: `error` is what was raised, `flowable` the innermost
    flowable being placed that knows the spec keys it was made for (`spec_keys`), `frame` the
    frame it was being placed in. The render stage turns it into a message at the spec line."""

    def __init__(self, error: Exception, flowable: Flowable, frame: Frame | None):
        super().__init__(str(error))
        self.error, self.flowable, self.frame = error, flowable, frame


def _located(flowable: Flowable) -> bool:
    return getattr(flowable, "spec_keys", None) is not None


class BriefingDoc(BaseDocTemplate):
    """ReportLab's doc template plus what a newspaper page needs and ReportLab lacks:

    - odd/even page templates after the first page, so inner margins sit at the binding;
    - floats: a FloatBlock that does not fit where it stands waits for the top (or bottom) of
      the next column while the text goes on filling this one — no white gap is left behind;
    - column balancing: the last page is laid out again with the shortest columns (in whole
      body lines) that still hold its content, so its columns end at about the same height.
    """

    def __init__(self, *args, pitch: float = 0.0, balance: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.pitch = pitch
        self.balance = balance
        self._pending: list = []  # floats waiting for a column (top or bottom)
        self._pending_wide: list = []  # page-wide floats waiting for the next page
        self._story: list = []
        self._snap: tuple | None = None
        self._balancing = False
        self.balanced_height: float | None = None

    # ---------------------------------------------------------------- pages and frames

    def handle_pageBegin(self) -> None:  # noqa: N802 - ReportLab's name
        self._in_page_begin = True
        try:
            super().handle_pageBegin()
        finally:
            self._in_page_begin = False
        self._snapshot()  # before any waiting float is drawn: balancing replays from here
        self._page_begun()

    def _page_begun(self) -> None:
        if self._pending_wide and _is_column(self.frame):
            self._place_wide()
        if self._pending and _is_column(self.frame):
            self._place_pending()

    def handle_pageEnd(self) -> None:  # noqa: N802
        if self._balancing:
            raise _Overflow
        nxt = self.page + 1
        self._handle_nextPageTemplate("odd" if nxt % 2 == 1 else "even")
        super().handle_pageEnd()

    def handle_frameBegin(self, resume: int = 0, pageTopFlowables=None) -> None:  # noqa: N802
        super().handle_frameBegin(resume, pageTopFlowables)
        if getattr(self, "_in_page_begin", False):
            return
        if self._pending and self.frame is not None and _is_column(self.frame):
            self._place_pending()

    # ---------------------------------------------------------------- floats

    def handle_flowable(self, flowables: list) -> None:  # noqa: N802
        """Place the first of `flowables`; a failure is raised as a PlacementError naming it,
        and the pieces it splits into (put back at the front) carry its spec keys."""
        f = flowables[0] if flowables else None
        rest = len(flowables) - 1
        with self._placing(f):
            self._handle_flowable(flowables)
        if f is not None and _located(f):
            for piece in flowables[:max(0, len(flowables) - rest)]:
                if not _located(piece):
                    piece.spec_keys = f.spec_keys

    @contextmanager
    def _placing(self, f: Flowable | None) -> Iterator[None]:
        """A failure while placing `f` is raised as a PlacementError naming it (unless a
        flowable inside it, placed meanwhile, was named already)."""
        try:
            yield
        except (PlacementError, _Overflow):
            raise
        except Exception as exc:
            if f is None or not _located(f):
                raise
            raise PlacementError(exc, f, getattr(self, "frame", None)) from exc

    def _handle_flowable(self, flowables: list) -> None:
        from paiban.layout.grid import FloatBarrier, FloatBlock

        f = flowables[0] if flowables else None
        frame = getattr(self, "frame", None)
        if isinstance(f, FloatBarrier) and flowables is not self._hanging:
            del flowables[0]
            self._flush_floats()
            return
        if isinstance(f, FloatBlock) and f.wide and frame is not None and flowables is not self._hanging:
            del flowables[0]
            columns = self._columns()
            if (f.placement != "top" and not self._pending_wide and columns and frame is columns[0]
                    and self._fits_wide_bottom(f, columns)):
                self._place_wide_bottom(f, columns)
            else:
                self._pending_wide.append(f)
            return
        if isinstance(f, FloatBlock) and frame is not None and flowables is not self._hanging:
            avail = frame._y - frame._y1p
            _, h = f.wrap(frame._getAvailableWidth(), avail)
            fits = h <= avail + 1e-6
            if f.placement == "bottom" and fits and not self._pending:
                del flowables[0]
                self._place_bottom(f, h)
                return
            if f.placement == "top" and not frame._atTop or not fits or self._pending:
                if frame._atTop and not fits and not self._pending:
                    pass  # too tall for an empty column: let ReportLab split or report it
                else:
                    del flowables[0]
                    self._pending.append(f)
                    return
        super().handle_flowable(flowables)

    def _place_bottom(self, f, h: float) -> None:
        frame = self.frame
        f.drawOn(self.canv, frame._x1 + frame._leftPadding, frame._y1p)
        frame.raise_bottom(h)
        self._curPageFlowableCount += 1

    def _columns(self) -> list[Frame]:
        return [fr for fr in self.pageTemplate.frames if _is_column(fr)]

    def _text_box(self, columns: list[Frame]) -> tuple[float, float]:
        left = columns[0]._x1 + columns[0]._leftPadding
        right = columns[-1]._x2 - columns[-1]._rightPadding
        return left, right - left

    def _fits_wide_bottom(self, f, columns: list[Frame]) -> bool:
        _, width = self._text_box(columns)
        _, h = f.wrap(width, 1e6)
        return all(fr._y - fr._y1p >= h + (0 if fr is self.frame else self.pitch * 3) for fr in columns)

    def _place_wide_bottom(self, f, columns: list[Frame]) -> None:
        left, width = self._text_box(columns)
        _, h = f.wrap(width, 1e6)
        f.drawOn(self.canv, left, columns[0]._y1p)
        for fr in columns:
            fr.raise_bottom(h)
        self._curPageFlowableCount += 1

    def _place_wide(self) -> None:
        """Page-wide floats at the top of a fresh page: the columns start below them."""
        columns = self._columns()
        left, width = self._text_box(columns)
        waiting, self._pending_wide = self._pending_wide, []
        for i, f in enumerate(waiting):
            with self._placing(f):
                _, h = f.wrap(width, 1e6)
                top = columns[0]._y
                if top - h < columns[0]._y1p + self.pitch * 4 and i > 0:
                    self._pending_wide = waiting[i:]
                    return
                if f.placement == "bottom":
                    f.drawOn(self.canv, left, columns[0]._y1p)
                    for fr in columns:
                        fr.raise_bottom(h)
                else:
                    f.drawOn(self.canv, left, top - h)
                    for fr in columns:
                        fr._y = top - h
                self._curPageFlowableCount += 1

    def _place_pending(self) -> None:
        frame = self.frame
        waiting, self._pending = self._pending, []
        for i, f in enumerate(waiting):
            with self._placing(f):
                avail = frame._y - frame._y1p
                _, h = f.wrap(frame._getAvailableWidth(), avail)
                if h > avail + 1e-6:
                    self._pending = waiting[i:]
                    return
                if f.placement == "bottom":
                    self._place_bottom(f, h)
                else:
                    frame.add(f, self.canv)
                    self._curPageFlowableCount += 1

    # ---------------------------------------------------------------- the build loop

    def build(self, flowables, filename=None, canvasmaker=Canvas) -> None:
        self._story = flowables
        super().build(flowables, filename=filename, canvasmaker=canvasmaker)

    def _endBuild(self) -> None:  # noqa: N802
        if self._pending or self._pending_wide:
            # floats still waiting at the end of the text: place them in the columns that follow
            if self._pending_wide:
                self.handle_pageBreak()
                self.clean_hanging()
            self._story.extend(self._pending)
            self._pending = []
            for f in self._story:
                if hasattr(f, "placement"):
                    f.placement = "here"
            self._run(self._story)
            self._flush_floats()
        if self.balance and self._snap is not None:
            self._balance_last_page()
        super()._endBuild()

    def _run(self, flowables: list) -> None:
        while flowables:
            self.clean_hanging()
            self.handle_flowable(flowables)
        self.clean_hanging()

    def _flush_floats(self) -> None:
        """Floats still waiting when the text has run out go to the top of the next column (or
        page, for page-wide ones); without this a figure that fits no remaining column was
        silently left out. Each round reaches a fresh column, where any float fits (render
        refuses one taller than a column), so a few rounds place them all."""
        from reportlab.platypus.doctemplate import LayoutError

        for _ in range(4 * (len(self.pageTemplate.frames) + len(self._pending) + len(self._pending_wide))):
            if not (self._pending or self._pending_wide):
                return
            if self._pending_wide:
                self.handle_pageBreak()
            else:
                self.handle_frameEnd()
            self.clean_hanging()
        if self._pending or self._pending_wide:
            raise LayoutError(f"Flowable {(self._pending or self._pending_wide)[0].identity()} fits no column")

    # ---------------------------------------------------------------- balancing

    def _snapshot(self) -> None:
        if self._balancing:
            return
        canv = self.canv
        self._snap = (
            list(self._story), _copy_state(self.__dict__, skip=("_snap", "_story")),
            _copy_state(canv.__dict__), list(self._pending), list(self._pending_wide),
        )

    def _restore(self, height: float | None) -> list:
        story, doc_state, canv_state, pending, wide = self._snap  # type: ignore[misc]
        snap = self._snap
        self.__dict__.update(_copy_state(doc_state))
        self._snap = snap
        self.canv.__dict__.update(_copy_state(canv_state))
        self._pending = list(pending)
        self._pending_wide = list(wide)
        flowables = list(story)
        for f in flowables:
            if hasattr(f, "_postponed"):
                del f._postponed
        for frame in self.pageTemplate.frames:
            frame._reset()
            if height is not None and _is_column(frame):
                frame.raise_bottom(max(frame._height - height, 0.0))
        self.frame = self.pageTemplate.frames[0]
        self._page_begun()
        self._story = flowables
        return flowables

    def _fits(self, height: float) -> bool:
        flowables = self._restore(height)
        self._balancing = True
        self.canv.dry_run = True
        try:
            self._run(flowables)
            return not (self._pending or self._pending_wide)
        except _Overflow:
            return False
        except Exception:  # a flowable that cannot live in a short column: not this height
            return False
        finally:
            self._balancing = False
            self.canv.dry_run = False

    def _balance_last_page(self) -> None:
        columns = [f for f in self.pageTemplate.frames if _is_column(f)]
        if len(columns) < 2 or self.pitch <= 0:
            return
        full = columns[0]._height
        lines = int(full // self.pitch)
        hi = self._shortest_fit(lines, self._balance_guess(columns, lines))
        height = hi * self.pitch if hi < lines else None
        flowables = self._restore(height)
        self._run(flowables)
        self._flush_floats()
        self.balanced_height = height

    def _balance_guess(self, columns: list[Frame], lines: int) -> int | None:
        """Lines per column if the last page's content were spread evenly: what the first pass
        used of the columns up to the current one (top and raised bottom), over all columns."""
        if self.frame not in columns:
            return None
        used = 0.0
        for frame in columns[:columns.index(self.frame) + 1]:
            used += (frame._y2 - frame._topPadding - frame._y) + (frame._y1p - frame._y1 - frame._bottomPadding)
        return min(max(1, -int(-used // (self.pitch * len(columns)))), lines)

    def _shortest_fit(self, lines: int, guess: int | None) -> int:
        """The fewest lines per column that hold the last page (`lines`, a full column, always
        does: it is what the first pass did). Each probe lays the page out again, so the search
        starts at the even spread and gallops from there (the answer is usually within a line or
        two of it: two or three probes), then bisects what is left. A guess too short (floats
        still waiting are not in it) costs one probe more than bisecting alone."""
        lo, hi = 1, lines
        if guess is not None and lo <= guess < hi:
            if self._fits(guess * self.pitch):
                hi, step = guess, 1
                while hi - step >= lo:
                    if self._fits((hi - step) * self.pitch):
                        hi, step = hi - step, step * 2
                    else:
                        lo = hi - step + 1
                        break
            else:
                lo = guess + 1
        while lo < hi:
            mid = (lo + hi) // 2
            if self._fits(mid * self.pitch):
                hi = mid
            else:
                lo = mid + 1
        return hi


def _is_column(frame: Frame) -> bool:
    return frame.id != "masthead"


def _copy_state(state: dict, skip: tuple[str, ...] = ()) -> dict:
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
