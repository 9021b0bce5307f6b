"""Flowables for the page furniture around the text: part headings, placeholders, rules.

Each draws with the document's own faces (never ReportLab's default Helvetica) and keeps its
height a whole number of body lines where it sits in a column, for the baseline grid.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable

from paiban.fonts.face import Face
from paiban.layout.grid import GridGroup, on_grid
from paiban.layout.textline import TextLine


def part_key(number: int) -> str:
    """The outline destination of the number-th part (1-based): one scheme for the part's
    bookmark and for the contents block that points at it."""
    return f"part{number}"


class Bookmark(Flowable):
    """An invisible mark where a heading starts: a named destination at that point of the page
    (the outline entry and contents links go there) and, once per key, its outline entry."""

    def __init__(self, title: str, key: str, level: int = 0):
        super().__init__()
        self.title, self.key, self.level = title, key, level
        self.width = self.height = 0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        c = self.canv
        x, y = c.absolutePosition(0, 0)
        destination = getattr(c, "destination", None)
        if destination is not None:
            destination(self.key, x, y + self.top_air)
        else:  # a plain canvas writes each page as it goes: the current page is this one
            c.bookmarkPage(self.key, fit="XYZ", left=x, top=y + self.top_air)
        c._doc.__dict__.setdefault("_paiban_part_pages", {})[self.key] = c.getPageNumber()
        # The last page may be laid out twice (column balancing): one outline entry per key.
        done = c._doc.__dict__.setdefault("_paiban_outline", set())
        if self.key not in done:
            done.add(self.key)
            c.addOutlineEntry(self.title, self.key, level=self.level, closed=False)
        if self.level == 0:
            c._paiban_part = self.title

    #: how far above the mark the destination's top sits: the heading's ascenders and a hair
    top_air = 4.0


class PartHeading(GridGroup):
    """A part's heading block (its bookmark, kicker and headline). Where it opens a page — at the
    top of the page's first column — the page's running header names this part, not the one the
    page's first lines continue from (`render.RunningLines.part_at_top`)."""

    def __init__(self, items: list[Flowable], pitch: float, title: str):
        super().__init__(items, pitch, top=0.35, name=f"part {title}")
        self.title = title

    def draw(self) -> None:
        frame = getattr(self, "_frame", None)
        if frame is not None and frame._atTop and str(frame.id).endswith("0"):
            c = self.canv
            tops = dict(getattr(c, "_paiban_top_parts", {}))  # a new dict: balancing rolls back
            tops[c.getPageNumber()] = self.title
            c._paiban_top_parts = tops
        super().draw()


class KickerBand(Flowable):
    """A part's kicker: the place name reversed out of a coloured band, as the print page does."""

    def __init__(self, text: str, faces: Sequence[Face], size: float, color: str, band: str, pitch: float):
        super().__init__()
        self.text, self.face, self.size = text, faces[0], size
        self.line = TextLine.of(text, faces, size)
        self.color, self.band, self.pitch = color, band, pitch

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = on_grid(self.size * 1.9, self.pitch)
        return aw, self.height

    def draw(self) -> None:
        c = self.canv
        text_w = self.line.width
        pad = self.size * 0.6
        band_h = self.size * 1.7
        y0 = (self.height - band_h) / 2
        c.setFillColor(HexColor(self.band))
        c.rect(0, y0, text_w + 2 * pad, band_h, stroke=0, fill=1)
        c.setStrokeColor(HexColor(self.band))
        c.setLineWidth(0.6)
        c.line(text_w + 2 * pad, y0, self.width, y0)
        c.setFillColor(HexColor(self.color))
        baseline = y0 + (band_h - (self.face.ascent + self.face.descent) * self.size) / 2
        self.line.draw(c, pad, baseline)


class Rule(Flowable):
    """A horizontal rule `height` high, its line(s) centred in that height: single, or double
    (`thickness` over `thin`, `gap` apart); `share` of the measure long, placed as `align` says."""

    def __init__(self, color: str, thickness: float, height: float, *, share: float = 1.0,
                 align: str = "center", thin: float | None = None, gap: float = 0.0):
        super().__init__()
        self.color, self.thickness, self.space = color, thickness, height
        self.share, self.align, self.thin, self.gap = share, align, thin, gap

    @property
    def ink(self) -> float:
        """How tall the drawn lines are together."""
        return self.thickness if self.thin is None else self.thickness + self.gap + self.thin

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = max(self.space, self.ink)
        return aw, self.height

    def draw(self) -> None:
        c = self.canv
        length = self.width * self.share
        x0 = {"left": 0.0, "center": (self.width - length) / 2, "right": self.width - length}[self.align]
        c.saveState()
        c.setStrokeColor(HexColor(self.color))
        top = (self.height + self.ink) / 2
        y = top - self.thickness / 2
        c.setLineWidth(self.thickness)
        c.line(x0, y, x0 + length, y)
        if self.thin is not None:
            y = top - self.thickness - self.gap - self.thin / 2
            c.setLineWidth(self.thin)
            c.line(x0, y, x0 + length, y)
        c.restoreState()


class ImagePlaceholder(Flowable):
    """A photo we do not have: a marked frame of the right proportions, so the page is honest."""

    def __init__(self, aspect: float, label: str, face: Face, size: float, pitch: float, color: str = "#8a8a8a",
                 max_crop: float = 0.0):
        super().__init__()
        self.aspect, self.label, self.face, self.size = aspect, label, face, size
        self.pitch, self.color = pitch, color
        self.max_crop, self.crop_lines = max_crop, 0  # as a photo's (`images.GridImage`)

    def most_crop(self, aw: float) -> int:
        return int(aw / self.aspect * self.max_crop / self.pitch) if self.pitch > 0 else 0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.box_h = aw / self.aspect - min(self.crop_lines, self.most_crop(aw)) * self.pitch
        self.height = on_grid(self.box_h, self.pitch)
        return aw, self.height

    def draw(self) -> None:
        c = self.canv
        y0 = self.height - self.box_h
        c.setStrokeColor(HexColor(self.color))
        c.setFillColor(HexColor("#f2f2f2"))
        c.setLineWidth(0.6)
        c.setDash(3, 2)
        c.rect(0, y0, self.width, self.box_h, stroke=1, fill=1)
        c.setDash()
        c.setLineWidth(0.3)
        c.line(0, y0, self.width, y0 + self.box_h)
        c.line(0, y0 + self.box_h, self.width, y0)
        c.setFillColor(HexColor("#ffffff"))
        text_w = sum(self.face.advance(ch) for ch in self.label) * self.size
        pad = self.size * 0.5
        cx, cy = self.width / 2, y0 + self.box_h / 2
        c.rect(cx - text_w / 2 - pad, cy - self.size * 0.9, text_w + 2 * pad, self.size * 1.8, stroke=0, fill=1)
        c.setFillColor(HexColor("#555555"))
        c.setFont(self.face.rl_name, self.size)
        c.drawCentredString(cx, cy - self.size * 0.35, self.label)


class Contents(Flowable):
    """A table of contents: part titles with dotted leaders to their page numbers.

    Page numbers are only known once the layout is done, so they are drawn then
    (`paiban.pdf.canvas.DeferredCanvas.later`); the block's height is fixed now: one line per part.
    """

    def __init__(self, entries: list[tuple[str, str]], faces: Sequence[Face], size: float, pitch: float,
                 color: str):
        super().__init__()
        self.entries, self.faces, self.size, self.pitch, self.color = entries, faces, size, pitch, color
        self.face = faces[0]  # page numbers and leaders

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = len(self.entries) * self.pitch
        return aw, self.height

    def draw(self) -> None:
        c = self.canv
        c.setFillColor(HexColor(self.color))
        origin = c.absolutePosition(0, 0)
        rows = []
        for i, (title, key) in enumerate(self.entries):
            y = self.height - (i + 1) * self.pitch + (self.pitch - self.size) / 2 + self.size * 0.12
            line = TextLine.of(title, self.faces, self.size, spaced=True)  # a part or article title: editors' text
            line.draw(c, 0, y)
            rows.append((y, key, line.width))
        width, face, size, color, pitch = self.width, self.face, self.size, self.color, self.pitch

        def numbers(canvas) -> None:
            pages = canvas._doc.__dict__.get("_paiban_part_pages", {})
            canvas.saveState()
            canvas.setFont(face.rl_name, size)
            canvas.setFillColor(HexColor(color))
            for y, key, title_w in rows:
                number = str(pages.get(key, ""))
                num_w = sum(face.advance(ch) for ch in number) * size
                x0, y0 = origin[0], origin[1] + y
                canvas.drawRightString(x0 + width, y0, number)
                unit = (face.advance("·") + face.advance(" ")) * size
                n = int((width - title_w - num_w - size) / max(unit, 0.1))
                if n > 0:
                    canvas.drawRightString(x0 + width - num_w - size * 0.5, y0, " ".join("·" * n))
                if key in pages:  # the whole row opens the part, at its heading
                    bottom = y0 - (pitch - size) / 2 - size * 0.12
                    _link(canvas, key, (x0, bottom, x0 + width, bottom + pitch))
            canvas.restoreState()

        c.later(numbers)


def _link(canvas, key: str, rect: tuple[float, float, float, float]) -> None:
    """A borderless link from `rect` (page space, drawn now: the page is being written) to `key`."""
    off = getattr(canvas, "offset", 0.0)
    x0, y0, x1, y1 = rect
    canvas.linkAbsolute("", key, Rect=(x0 + off, y0 + off, x1 + off, y1 + off), Border="[0 0 0]")


class Measure(Flowable):
    """Flowables set in a narrower measure, centred: a lead across the columns stays readable."""

    def __init__(self, items: list[Flowable], max_width: float):
        super().__init__()
        self.items, self.max_width = items, max_width

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.inner = min(aw, self.max_width)
        self.sizes = [f.wrap(self.inner, ah) for f in self.items]
        self.height = sum(h for _, h in self.sizes)
        return aw, self.height

    def draw(self) -> None:
        x = (self.width - self.inner) / 2
        y = self.height
        for f, (_w, h) in zip(self.items, self.sizes, strict=True):
            y -= h
            f.drawOn(self.canv, x, y)
