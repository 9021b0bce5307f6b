"""The baseline grid: every block in a column takes a whole number of body lines.

Body paragraphs already do (lines × leading). Everything else — headings, figures, captions,
credits — is wrapped so its height is rounded up to the grid, which keeps the body lines of
neighbouring columns on shared baselines, as in newspaper print.
"""

from __future__ import annotations

import math

from reportlab.platypus import CondPageBreak, Flowable


def on_grid(height: float, pitch: float) -> float:
    """`height` rounded up to whole lines of `pitch` (a hair of slack absorbs float noise)."""
    if pitch <= 0 or height <= 0:
        return max(height, 0.0)
    return math.ceil(height / pitch - 1e-4) * pitch


class GridSpace(Flowable):
    """Vertical space in whole lines that disappears at the top of a column."""

    def __init__(self, lines: float, pitch: float):
        super().__init__()
        self.lines, self.pitch = lines, pitch
        self.width = 0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        frame = getattr(self, "_frame", None)
        if frame is not None and frame._atTop:
            self.height = 0.0
        else:
            self.height = on_grid(self.lines * self.pitch, self.pitch)
        return 0.0, self.height

    def draw(self) -> None:
        pass


class RoomFor(CondPageBreak):
    """Go on to the next column unless `height` is left in this one (a heading keeps the lines
    it opens) — but never from an empty column: the next one holds no more (the columns of a
    page are as tall, a balanced last page's too), so breaking would only leave this one empty."""

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        frame = self._doctemplateAttr("frame")
        if frame is not None and frame._atTop:
            return 0, 0
        return super().wrap(aw, ah)


class GridGroup(Flowable):
    """A few flowables kept together and padded to whole lines (headings, figures, captions).

    `top` is the share of the padding set above the content (0.5 centres it), so a heading
    can sit closer to the text it introduces.
    """

    def __init__(self, items: list[Flowable], pitch: float, *, top: float = 0.5, name: str = ""):
        super().__init__()
        self.items, self.pitch, self.top, self.name = items, pitch, top, name
        self._sizes: list[tuple[float, float]] = []

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self._sizes = []
        total = 0.0
        for i, f in enumerate(self.items):
            w, h = f.wrap(aw, max(ah - total, 0.0))
            if i:
                total += f.getSpaceBefore()
            self._sizes.append((w, h))
            total += h
        self.content_height = total
        self.height = on_grid(total, self.pitch)
        return aw, self.height

    def draw(self) -> None:
        self.paint(self.canv)

    def paint(self, canvas) -> None:
        y = self.height - (self.height - self.content_height) * self.top
        for i, (f, (_w, h)) in enumerate(zip(self.items, self._sizes, strict=True)):
            if i:
                y -= f.getSpaceBefore()
            y -= h
            f.drawOn(canvas, 0, y)

    def identity(self, maxLen: int | None = None) -> str:  # noqa: N803 - ReportLab's name
        return f"<{self.name or 'block'}>"


class Snap(Flowable):
    """One splittable flowable (a paragraph in a non-body style) kept on the grid piece by piece."""

    def __init__(self, inner: Flowable, pitch: float):
        super().__init__()
        self.inner, self.pitch = inner, pitch

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        w, h = self.inner.wrap(aw, ah)
        self.width, self.inner_height = w, h
        self.height = on_grid(h, self.pitch)
        return w, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        # the head's height is rounded up to whole lines: split it to the whole lines that fit
        room = math.floor(ah / self.pitch + 1e-6) * self.pitch if self.pitch > 0 else ah
        pieces = [Snap(p, self.pitch) for p in self.inner.split(aw, room)]
        if pieces:
            pieces[-1].keepWithNext = getattr(self, "keepWithNext", False)
        return pieces

    def draw(self) -> None:
        self.inner.drawOn(self.canv, 0, (self.height - self.inner_height) / 2)


class Tied(Flowable):
    """A paragraph's end tied to the block kept whole after it (a keep): the pair splits only
    inside the paragraph, so the block never opens a column alone — it takes the paragraph's
    last lines (as many as the paragraph's widow rule asks) with it."""

    def __init__(self, head: Flowable, tail: Flowable):
        super().__init__()
        self.head, self.tail = head, tail
        self.spec_keys = getattr(tail, "spec_keys", None)

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        _, self.head_h = self.head.wrap(aw, ah)
        _, self.tail_h = self.tail.wrap(aw, max(ah - self.head_h, 0.0))
        self.width, self.height = aw, self.head_h + self.tail_h
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        """The paragraph's lines fill what is left here, its last lines go on with the block
        (the block's own height is not kept free here: it stands in the next column). A
        paragraph that fits whole leaves its last lines to the block."""
        _, head_h = self.head.wrap(aw, ah)
        room = ah if head_h > ah + 1e-6 else head_h - 1e-3
        if room <= 0:
            return []
        self.head._frame = getattr(self, "_frame", None)
        pieces = self.head.split(aw, room)
        if len(pieces) != 2:
            return []
        return [pieces[0], Tied(pieces[1], self.tail)]

    def draw(self) -> None:
        self.tail.drawOn(self.canv, 0, 0)
        self.head.drawOn(self.canv, 0, self.tail_h)


class FloatBlock(GridGroup):
    """A figure, data box or image that may float to the top or bottom of a column.

    `placement`: here (placed where it stands if it fits, else at the top of the next column,
    while the text goes on filling this one), top, or bottom — as LaTeX's figure floats.
    """

    def __init__(self, items: list[Flowable], pitch: float, placement: str = "here", *, name: str = "",
                 wide: bool = False):
        super().__init__(items, pitch, top=0.5, name=name)
        self.placement = placement
        self.wide = wide  # spans every column of the page
        self.foot = False  # a wide bottom float kept at the page's foot, under balanced columns
        self.air = 0  # whole lines of space added around it by the page make-up (`replan.loosen`)
        self.crop = 0  # whole lines its photo is cropped by (the page make-up's choice)
        self.most_crop = 0  # … at most (`images.crop` of the photo's height), known once wrapped

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        """As a group, plus the lines of air the page make-up gave it (TeX's float separation is
        stretchable glue; on a baseline grid it stretches by whole lines, half above, half under),
        less the lines its photo is cropped by."""
        self.most_crop = 0
        for item in self.items:
            if hasattr(item, "crop_lines"):
                item.crop_lines = self.crop
                self.most_crop = item.most_crop(aw)
        super().wrap(aw, ah)
        self.height += self.air * self.pitch
        return aw, self.height

    def draw(self) -> None:
        """Drawn when the page is complete, where it was placed: the page's content stream then
        holds the running text of the columns unbroken, so the article reads (and copies, and
        is extracted) in order, with the figures after it."""
        canvas = self.canv
        later = getattr(canvas, "later", None)
        if later is None:
            self.paint(canvas)
            return
        x0, y0 = canvas.absolutePosition(0, 0)

        def paint(c) -> None:
            c.saveState()
            c.translate(x0, y0)
            self.paint(c)
            c.restoreState()

        later(paint)


class FloatBarrier(Flowable):
    """No float may wait past this point (a new part): waiting figures are placed first.

    Like LaTeX's \\FloatBarrier — a figure of one township must not drift into the next.
    """

    _ZEROSIZE = True

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        pass
