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
from reportlab.platypus import BaseDocTemplate, Flowable, Frame

from paiban.layout import frames
from paiban.layout.frames import ColumnFrame, PlacementError, column_frames, located, make_templates
from paiban.layout.replan import REPLAN_AT

__all__ = ["BriefingDoc", "ColumnFrame", "PlacementError", "column_frames", "make_templates"]


class _Overflow(Exception):
    """Raised while balancing when the last page's content would need another page."""


class _PageDone(Exception):
    """Raised at the end of a trial layout of a page (its cost is left in the doc's
    `_trial_cost`: ReportLab rebuilds exceptions that pass through its handlers with a new
    message, so they carry no data)."""


class _Replan(Exception):
    """Raised at the end of a page whose column feet are left empty (or a float is late): the
    page is laid out again as `replan` finds cheapest, from the top-level placing loop."""


#: What a float placed more than one column past where it was met costs a page (as a hole of 31 lines).
LATE_COST = 900.0

#: Doc attributes that survive a page's replay (`_restore`): what the search decided and knows.
_KEPT = ("_snap", "_story", "_defer", "_planned", "_here", "_depth", "_trial", "_trial_cost")


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
        self._defer: frozenset[int] = frozenset()  # floats (by id) placed at the next column's top
        self._planned: set[int] = set()  # pages whose float positions were chosen by cost
        self._here: list = []  # floats placed where they stand on this page: what may be deferred
        self._broken: set[str] = set()  # columns of this page ended by a break the spec asks for
        self._depth = 0
        self._trial = False
        self._heading_at: tuple[int, str] | None = None  # while balancing: the last part heading's column
        self._stranded = False  # while balancing: a part heading ended a column without its text
        self._placed: list = []  # what the last trial of a page placed on it
        self._spread: float | None = None  # how many lines apart the last balancing trial's columns end
        self._trail: dict[str, float] = {}  # per column of this page: space ending it (before a part)
        self._ends: dict[str, Flowable] = {}  # per column of this page: the last flowable set in it
        self._late = 0  # floats placed on this page more than one column past where they were met
        self._foot_tried = False  # the end matter waited for the last page's balancing

    # ---------------------------------------------------------------- pages and frames

    def handle_pageBegin(self) -> None:  # noqa: N802 - ReportLab's name
        self._in_page_begin = True
        try:
            super().handle_pageBegin()
        finally:
            self._in_page_begin = False
        self._trail, self._ends, self._late = {}, {}, 0
        self._snapshot()  # before any waiting float is drawn: balancing replays from here
        self._page_begun()

    def _page_begun(self) -> None:
        if self._pending_wide and frames.is_column(self.frame):
            self._place_wide()
        if self._pending and frames.is_column(self.frame):
            self._place_pending()

    def _rulefloor(self) -> None:
        """Where the column rules of this page end: the lowest point any column's content
        reaches (a balanced last page's rules stop with its columns)."""
        columns = self._columns()
        if not columns:
            return
        floor = min(min(fr._y, fr.low if getattr(fr, "low", None) is not None else fr._y) for fr in columns)
        floors = dict(getattr(self.canv, "_paiban_rule_floor", {}))
        floors[self.page] = floor
        self.canv._paiban_rule_floor = floors

    def handle_pageEnd(self) -> None:  # noqa: N802
        if not (self._balancing or self._trial):
            self._rulefloor()
        if self._balancing:
            raise _Overflow
        if self._trial:
            self._trial_cost = self._page_cost()
            raise _PageDone
        if self._depth and self.page not in self._planned and self._snap is not None and self._page_cost() >= REPLAN_AT:
            raise _Replan
        nxt = self.page + 1
        self._handle_nextPageTemplate("odd" if nxt % 2 == 1 else "even")
        super().handle_pageEnd()

    def handle_frameBegin(self, resume: int = 0, pageTopFlowables=None) -> None:  # noqa: N802
        super().handle_frameBegin(resume, pageTopFlowables)
        if getattr(self, "_in_page_begin", False):
            return
        if self._pending and self.frame is not None and frames.is_column(self.frame):
            self._place_pending()

    # ---------------------------------------------------------------- floats

    def handle_flowable(self, flowables: list) -> None:  # noqa: N802
        """Place the first of `flowables`; a failure is raised as a PlacementError naming it,
        and the pieces it splits into (put back at the front) carry its spec keys."""
        f = flowables[0] if flowables else None
        rest = len(flowables) - 1
        self._depth += 1
        try:
            with self._placing(f):
                self._handle_flowable(flowables)
        except _Replan:
            if self._depth > 1:
                raise
            self._replan(flowables)
            return
        finally:
            self._depth -= 1
        if f is not None and located(f):
            for piece in flowables[:max(0, len(flowables) - rest)]:
                if not located(piece):
                    piece.spec_keys = f.spec_keys

    @contextmanager
    def _placing(self, f: Flowable | None) -> Iterator[None]:
        """A failure while placing `f` is raised as a PlacementError naming it (unless a
        flowable inside it, placed meanwhile, was named already)."""
        try:
            yield
        except (PlacementError, _Overflow, _PageDone, _Replan):
            raise
        except Exception as exc:
            if f is None or not located(f):
                raise
            raise PlacementError(exc, f, getattr(self, "frame", None)) from exc

    def _handle_flowable(self, flowables: list) -> None:
        from paiban.layout.grid import FloatBarrier, FloatBlock

        f = flowables[0] if flowables else None
        frame = getattr(self, "frame", None)
        if getattr(f, "explicit", False) and frame is not None:
            self._note_break(f)
        if frames.fenced(f, self._pending, frame):  # an article ends with its floats still waiting
            self.handle_frameEnd()  # they go to the next column's top before what follows
            return
        if isinstance(f, FloatBarrier) and flowables is not self._hanging:
            # A new part: the floats of the last one still go first, at the top of the next
            # column, but the part starts here meanwhile instead of leaving this column's foot
            # empty (Typst lets a float wait for the next region the same way).
            del flowables[0]
            return
        if isinstance(f, FloatBlock) and not f.wide and getattr(f, "keepWithNext", False):
            pass  # kept with the block after it (a closing line): set in the text where it stands
        elif isinstance(f, FloatBlock) and f.wide and frame is not None and flowables is not self._hanging:
            del flowables[0]
            columns = self._columns()
            if (f.placement != "bottom" and not self._pending_wide and columns and frame is columns[0]
                    and all(fr._atTop for fr in columns) and self._fits_wide_top(f, columns)):
                # no column of this page holds anything yet (page 1 under the masthead, or a
                # fresh page): the float tops the columns here, not on a page of its own later
                self._pending_wide.append(f)
                self._place_wide()
            elif (f.placement != "top" and not self._pending_wide and columns and frame is columns[0]
                    and self._fits_wide_bottom(f, columns)):
                self._place_wide_bottom(f, columns)
            else:
                self._pending_wide.append(f)
            return
        elif isinstance(f, FloatBlock) and frame is not None and flowables is not self._hanging:
            if not getattr(f, "origin_kept", False):
                f.origin = self._column_at()  # where it was met: it may move one column on, no further
            avail = frame._y - frame._y1p
            _, h = f.wrap(frame._getAvailableWidth(), avail)
            fits = h <= avail + 1e-6
            if f.placement == "bottom" and fits and not self._pending:
                del flowables[0]
                self._place_bottom(f, h)
                return
            deferred = id(f) in self._defer and not frame._atTop
            if f.placement == "top" and not frame._atTop or not fits or self._pending or deferred:
                if frame._atTop and not fits and not self._pending:
                    pass  # too tall for an empty column: let ReportLab split or report it
                else:
                    del flowables[0]
                    self._pending.append(f)
                    return
            self._here.append(f)
            self._note_late(f)
        if f is not None and frame is not None and frame._atTop and frames.is_column(frame) and self._too_tall_here(f, frame):
            self.handle_frameEnd()  # a full column holds it: page 1's, under the masthead, cannot
            return
        if hasattr(f, "_postponed") and frame is not None and frames.is_column(frame) and not self._empty_and_full(frame):
            # ReportLab refuses a flowable the second column it fails in; but this column holds
            # floats already or is short, and an empty full one holds it (`fit.fit_problems`)
            del f._postponed
        super().handle_flowable(flowables)

    def _empty_and_full(self, frame: Frame) -> bool:
        full = max(fr._height for fr in self._columns_of_all_pages())
        return bool(frame._atTop) and frame._y - frame._y1p >= full - 1e-6

    def _too_tall_here(self, f, frame: Frame) -> bool:
        """`f` cannot split and is taller than this empty column, which is shorter than a full
        one (page 1 under the masthead, a column under a page-wide float) that would hold it.
        ReportLab would give up on it after two such columns; it goes on to a full column."""
        from paiban.layout.grid import GridGroup

        full = max(fr._height for fr in self._columns_of_all_pages())
        avail = frame._y - frame._y1p
        if not isinstance(f, GridGroup) or avail >= full - 1e-6:
            return False
        _, h = f.wrap(frame._getAvailableWidth(), avail)
        return avail + 1e-6 < h <= full + 1e-6

    def _columns_of_all_pages(self) -> list[Frame]:
        return [fr for t in self.pageTemplates for fr in t.frames if frames.is_column(fr)]

    def _place_bottom(self, f, h: float) -> None:
        frame = self.frame
        f.drawOn(self.canv, frame._x1 + frame._leftPadding, frame._y1p)
        frame.set_at_foot(h)
        self._curPageFlowableCount += 1

    def _columns(self) -> list[Frame]:
        return [fr for fr in self.pageTemplate.frames if frames.is_column(fr)]

    def _text_box(self, columns: list[Frame]) -> tuple[float, float]:
        left = columns[0]._x1 + columns[0]._leftPadding
        right = columns[-1]._x2 - columns[-1]._rightPadding
        return left, right - left

    def _fits_wide_bottom(self, f, columns: list[Frame]) -> bool:
        """Room for `f` across the foot of every column; a column still to be filled keeps three
        lines of text above it (after the text has ended, none is needed)."""
        if not getattr(f, "foot", False) and frames.foot_taken(columns):
            return False  # under a float at a column's foot it would leave a gap, or reverse the order
        _, width = self._text_box(columns)
        _, h = f.wrap(width, 1e6)
        ended = not self._story
        return all(fr._y - frames.floor(fr, f, h, columns) >= (0 if fr is self.frame or ended else self.pitch * 3)
                   for fr in columns)

    def _span(self, y0: float, y1: float) -> None:
        """A page-wide float from y0 up to y1 on this page: the column rules stop there
        (`render.RunningLines`). A new dict each time: a replayed page rolls it back."""
        spans = dict(getattr(self.canv, "_paiban_spans", {}))
        spans[self.page] = [*spans.get(self.page, []), (y0, y1)]
        self.canv._paiban_spans = spans

    def _fits_wide_top(self, f, columns: list[Frame]) -> bool:
        """Room for `f` above the columns with four lines of text left under it."""
        _, width = self._text_box(columns)
        _, h = f.wrap(width, 1e6)
        return columns[0]._y - h >= columns[0]._y1p + self.pitch * 4

    def _place_wide_bottom(self, f, columns: list[Frame]) -> None:
        left, width = self._text_box(columns)
        _, h = f.wrap(width, 1e6)
        self._draw_wide_bottom(f, h, left, columns)

    def _draw_wide_bottom(self, f, h: float, left: float, columns: list[Frame]) -> None:
        """A page-wide float at the foot of the columns, over the highest column foot (`frames.wide_foot`);
        one kept at the page's foot (the end matter, `FloatBlock.foot`) sits on the text block's
        bottom even when the columns above it are balanced short."""
        y = frames.wide_foot(f, columns)
        f.drawOn(self.canv, left, y)
        self._span(y, y + h)
        for fr in columns:
            fr.__dict__["low"] = y if fr.low is None else min(fr.low, y)
            fr.__dict__["wide_at_foot"] = True
            fr.raise_bottom(max(0.0, y + h - fr._y1p))
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
                    if not getattr(f, "foot", False) and frames.foot_taken(columns):
                        self._pending_wide = waiting[i:]  # not above another: the next page's foot
                        return
                    self._draw_wide_bottom(f, h, left, columns)
                    continue
                f.drawOn(self.canv, left, top - h)
                self._span(top - h, top)
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
                self._note_late(f)
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
            self._finish_planned(self._story)
        if self.balance and self._snap is not None:
            self._balance_last_page()
        if self._pending_wide:  # the end matter found no room on the last page: a page of its own
            self._finish(self._story)
        super()._endBuild()

    def _finish_planned(self, flowables: list) -> None:
        """`_finish` where a page ended by the floats still waiting at the end of the text (the
        closing photos after the credit) is replanned as any other page: its column feet cost
        and may be filled by loosening the text before them."""
        self._depth += 1
        try:
            while True:
                try:
                    self._finish(flowables)
                    return
                except _Replan:
                    self._replan(flowables)
        finally:
            self._depth -= 1

    def _finish(self, flowables: list) -> None:
        """Run the story to its end, then place the floats still waiting at the end of the text
        in the columns that follow (page-wide ones on a new page)."""
        self._run(flowables)
        if not (self._pending or self._pending_wide):
            return
        columns = self._columns()
        while self._pending_wide and self.frame in columns and self._fits_wide_bottom(self._pending_wide[0], columns):
            # the text has ended: a page-wide float closes this page rather than open one alone
            self._place_wide_bottom(self._pending_wide.pop(0), columns)
        if self._foot_waits(columns):
            return  # the end matter: the last page's columns may be balanced short to make room
        if self._pending_wide:
            self.handle_pageBreak()
            self.clean_hanging()
        waiting, self._pending = self._pending, []
        for f in waiting:
            f.placement, f.origin_kept = "here", True
        flowables.extend(waiting)
        self._run(flowables)
        self._flush_floats()

    def _run(self, flowables: list) -> None:
        while flowables:
            self.clean_hanging()
            self.handle_flowable(flowables)
        self.clean_hanging()

    def _flush_floats(self) -> None:
        frames.flush_floats(self)

    # ---------------------------------------------------------------- choosing float positions

    def _note_break(self, f) -> None:
        """A break the spec asks for ends this column (a page break: every column left)."""
        from reportlab.platypus import PageBreak

        columns = self._columns()
        if self.frame not in columns:
            return
        at = columns.index(self.frame)
        for fr in columns[at:] if isinstance(f, PageBreak) else [self.frame]:
            self._broken.add(fr.id)

    def _page_cost(self) -> float:
        from paiban.layout.replan import feet_cost

        last = self._column_at(self._columns()[-1]) if self._columns() else 0  # floats late, or waiting late:
        return feet_cost(self) + LATE_COST * (self._late + sum(getattr(f, "origin", last) < last for f in self._pending))

    def _column_at(self, frame: Frame | None = None) -> int:
        """The running number of `frame` (by default the current one) over the document's columns."""
        columns = self._columns()
        frame = frame if frame is not None else getattr(self, "frame", None)
        return self.page * len(columns) + columns.index(frame) if frame in columns else -1

    def _note_late(self, f) -> None:
        self._late += self._column_at() - getattr(f, "origin", self._column_at()) > 1

    def trial(self, defer: frozenset[int]) -> float:
        """Lay the current page out again, drawing nothing, with the floats in `defer` waiting for
        the next column: the cost of its column feet (0 when the story ends on it)."""
        from paiban.layout.replan import float_state, restore_floats

        self._defer = defer
        flowables = self._restore(None)
        given = list(flowables)
        self._trial = True
        self.canv.dry_run = True
        kept = float_state([*given, *self._pending])
        try:
            self._finish(flowables)  # floats left at the text's end go on: their page is not the last
            cost = 0.0
        except _PageDone:
            cost = self._trial_cost
        except Exception:  # a float too tall for what is left, …: not this way
            cost = float("inf")
        finally:
            self._trial = False
            self.canv.dry_run = False
            restore_floats(kept)  # what `_finish` set on them was the trial's only
        left = {id(f) for f in flowables}
        self._placed = [f for f in given if id(f) not in left] + list(self._pending)  # and what waits
        return cost

    def balance_trial(self, lines: int) -> float | None:
        """The last page laid out again, drawing nothing, in columns `lines` lines tall: how many
        lines apart its columns end, or None when it does not fit."""
        return self._spread if self._fits(lines * self.pitch) else None

    def last_page_story(self) -> list[Flowable]:
        """What the last page holds (the story from its first flowable)."""
        return list(self._snap[0]) if self._snap is not None else []

    def placed(self) -> list[Flowable]:
        """The story's flowables the last trial placed (whole or their first piece) on the page."""
        return list(self._placed)

    def _replan(self, flowables: list) -> None:
        """The page just laid out leaves a column foot empty: choose floats to move on and
        paragraphs to set a line longer or shorter by trying (`replan`), lay it out for real the
        cheapest way, and go on from the page's first flowable."""
        from paiban.layout.replan import plan_page

        self._planned.add(self.page)
        self._defer = plan_page(self, [id(f) for f in self._here], self._defer)
        flowables[:] = self._restore(None)
        self._story = flowables

    # ---------------------------------------------------------------- balancing

    def _snapshot(self) -> None:
        if self._balancing or self._trial:
            return
        self._here = []
        self._broken = set()
        canv = self.canv
        self._snap = (
            list(self._story), frames.copy_state(self.__dict__, skip=_KEPT),
            frames.copy_state(canv.__dict__), list(self._pending), list(self._pending_wide),
        )

    def _restore(self, height: float | None) -> list:
        story, doc_state, canv_state, pending, wide = self._snap  # type: ignore[misc]
        snap = self._snap
        frames.roll_back(self.__dict__, doc_state, keep=_KEPT)
        self._snap = snap
        self._here, self._broken = [], set()
        # annotations made since the snapshot stay defined in the document: new ones need new names
        count = self.canv.__dict__.get("_annotationCount", 0)
        frames.roll_back(self.canv.__dict__, canv_state)
        self.canv._annotationCount = max(count, self.canv.__dict__.get("_annotationCount", 0))
        self._pending = list(pending)
        self._pending_wide = list(wide)
        flowables = list(story)
        for f in flowables:
            if hasattr(f, "_postponed"):
                del f._postponed
        for frame in self.pageTemplate.frames:
            frame._reset()
            if height is not None and frames.is_column(frame):
                frame.raise_bottom(max(frame._height - height, 0.0))
        self.frame = self.pageTemplate.frames[0]
        self._page_begun()
        self._story = flowables
        return flowables

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - ReportLab's name
        """While balancing: a part heading whose first lines went on to the next column makes
        that column height unfit. The first pass keeps a heading with its text by a conditional
        break (`story._part`) measured for a full column; a balanced column shorter than the
        heading and its lines would let the heading stand alone at a column's foot.
        Always: the space that ends a column so far (`_page_cost` counts it as empty)."""
        from reportlab.platypus import Spacer

        from paiban.layout.grid import GridSpace

        frame = getattr(self, "frame", None)
        if frame is not None:
            key = str(frame.id)
            self._trail = {**self._trail, key: (self._trail.get(key, 0.0) + flowable.height
                                                if isinstance(flowable, GridSpace | Spacer) else 0.0)}
            self._ends = {**self._ends, key: flowable}
        if not self._balancing:
            return

        from paiban.layout.blocks import PartHeading

        here = (self.page, str(self.frame.id))
        if isinstance(flowable, PartHeading):
            self._heading_at = here
        elif self._heading_at is not None and not isinstance(flowable, Spacer):
            self._stranded = self._stranded or here != self._heading_at
            self._heading_at = None

    def _fits(self, height: float) -> bool:
        flowables = self._restore(height)
        self._balancing = True
        self._heading_at, self._stranded = None, False
        self.canv.dry_run = True
        try:
            self._finish(flowables)
            fits = not (self._pending or self._pending_wide or self._stranded)
            ends = [fr._y for fr in self._columns()]
            self._spread = (max(ends) - min(ends)) / self.pitch if fits else None
            return fits
        except _Overflow:
            return False
        except Exception:  # a flowable that cannot live in a short column: not this height
            return False
        finally:
            self._balancing = False
            self.canv.dry_run = False

    def _balance_last_page(self) -> None:
        columns = [f for f in self.pageTemplate.frames if frames.is_column(f)]
        if len(columns) < 2 or self.pitch <= 0:
            return
        full = columns[0]._height
        lines = int(full // self.pitch)
        foot = frames.foot_lines(self._pending_wide, self._text_box(columns)[1], self.pitch)
        if foot and (lines - foot < 1 or not self._fits((lines - foot) * self.pitch)):
            self._finish(self._restore(None))  # no room beside the text: on a page of its own
            return
        lines -= foot
        from paiban.layout.replan import balance_guess, even_out, shortest_fit

        guess = balance_guess(self.frame, columns, lines, self.pitch)
        hi = shortest_fit(lambda n: self.balance_trial(n) is not None, lines, guess)
        if hi < lines:
            hi = even_out(self, hi, lines)
        height = hi * self.pitch if hi < lines or foot else None
        flowables = self._restore(height)
        self._finish(flowables)
        self.balanced_height = height

    def _foot_waits(self, columns: list[Frame]) -> bool:
        """The end matter waits once (first pass) for balancing to make room under shorter columns."""
        waits = bool(self._pending_wide) and getattr(self._pending_wide[0], "foot", False) and not (
            self._foot_tried or self._balancing or self._trial or not self.balance or len(columns) < 2)
        self._foot_tried = self._foot_tried or waits
        return waits
