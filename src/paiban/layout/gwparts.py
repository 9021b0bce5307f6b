"""The flowables of the 公文 page (`layout.gongwen`): the head, display lines, keeps, the 版记.

Each takes whole grid lines (`pitch`), so what follows it stays on the 22-line grid.
"""

from __future__ import annotations

import math
from dataclasses import replace

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, Spacer

from paiban.layout.gridpara import GridParagraph
from paiban.layout.paragraph import CJKParagraph, ParaStyle


class GridSpace(Spacer):
    """Blank grid lines."""

    def __init__(self, lines: int, pitch: float):
        super().__init__(0, lines * pitch)


class DisplayLines(Flowable):
    """Lines of display text (the title, the 发文机关标志) centred, each on its grid line, its em
    box centred on the body em box of that line."""

    def __init__(self, lines: list[str], style: ParaStyle, pitch: float, body_size: float, per_line: int = 1):
        super().__init__()
        self.texts, self.style, self.pitch, self.body_size = lines, style, pitch, body_size
        self.per_line = per_line
        self.height = len(lines) * per_line * pitch

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        return aw, self.height

    def draw(self) -> None:
        st = replace(self.style, align="center", first_indent=0.0)
        for i, text in enumerate(self.texts):
            top = self.height - i * self.per_line * self.pitch
            centre = top - self.body_size / 2
            baseline = centre + st.size / 2 - 0.88 * st.size
            p = CJKParagraph(text, st)
            _, h = p.wrap(self.width, 1e6)
            p.drawOn(self.canv, 0, baseline + p.baseline_offset - h)


class Head(Flowable):
    """The 版头: 发文机关标志, 发文字号 and the red rule, `lines` grid lines tall."""

    def __init__(self, name: str | None, number: GridParagraph | None, name_style: ParaStyle, name_top: float,
                 rule: tuple[str, float, float], pitch: float, body_size: float):
        super().__init__()
        self.name, self.number, self.name_style = name, number, name_style
        self.name_top, self.rule, self.pitch, self.body_size = name_top, rule, pitch, body_size
        name_bottom = name_top + name_style.size if name else 0.0
        # the 发文字号 two blank lines under the name (空二行), on a grid line
        self.number_line = math.ceil(name_bottom / pitch - 1e-6) + 2 if name else 0
        self.rule_y = self.number_line * pitch + body_size + rule[2]  # from the top
        self.lines = math.ceil(self.rule_y / pitch - 1e-6)
        self.height = self.lines * pitch

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        return aw, self.height

    def draw(self) -> None:
        canv, h = self.canv, self.height
        if self.name:
            st = self.name_style
            size = min(st.size, self.width / max(len(self.name), 1))
            st = replace(st, size=size, leading=size * 1.2, align="center", first_indent=0.0)
            p = CJKParagraph(self.name, st)
            _, ph = p.wrap(self.width, 1e6)
            baseline = h - self.name_top - 0.88 * size
            p.drawOn(canv, 0, baseline + p.baseline_offset - ph)
        if self.number is not None:
            self.number.wrap(self.width, 1e6)
            self.number.drawOn(canv, 0, h - (self.number_line + 1) * self.pitch)
        color, thickness, _ = self.rule
        canv.saveState()
        canv.setStrokeColor(HexColor(color))
        canv.setLineWidth(thickness)
        y = h - self.rule_y
        canv.line(0, y, self.width, y)
        canv.restoreState()


class Tied(Flowable):
    """Headings and the block after them: never a heading at the foot of a page without at least
    `lines` lines of its text under it (the text splits after them as it would alone)."""

    def __init__(self, items: list[Flowable], pitch: float, lines: int = 1):
        super().__init__()
        self.items, self.pitch, self.lines = items, pitch, lines
        self.open = True  # still taking headings, until a block that is not one

    def add(self, f: Flowable) -> None:
        if isinstance(f, Tied):
            self.items += f.items
        else:
            self.items.append(f)
            self.open = False

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = sum(f.wrap(aw, ah)[1] for f in self.items)
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        *heads, last = self.items
        used = sum(f.wrap(aw, ah)[1] for f in heads)
        if self.open or ah - used < self.lines * self.pitch - 1e-6:
            return []  # not even the headings and a line: all of it to the next page
        parts = last.split(aw, ah - used)
        if not parts:
            return []
        return [*heads, *parts]

    def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802 - ReportLab's name
        for f in self.items:
            h = f.wrap(self.width, 1e6)[1]
            f.drawOn(canvas, x, y + self.height - h)
            y -= h


class Stack(Flowable):
    """Flowables one under the other, never split (the signature's lines)."""

    def __init__(self, items: list[Flowable]):
        super().__init__()
        self.items = items

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = sum(f.wrap(aw, ah)[1] for f in self.items)
        return aw, self.height

    def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802 - ReportLab's name
        top = y + self.height
        for f in self.items:
            top -= f.wrap(self.width, 1e6)[1]
            f.drawOn(canvas, x, top)


class TiedBack(Flowable):
    """A block kept with the end of the one before it (the signature with the text: a 公文 never
    has a page of signature alone, §7.3.5): when both do not fit, at least a line of the text
    goes to the next page with it."""

    def __init__(self, prev: Flowable, tail: Flowable, pitch: float):
        super().__init__()
        self.prev, self.tail, self.pitch = prev, tail, pitch

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = self.prev.wrap(aw, ah)[1] + self.tail.wrap(aw, ah)[1]
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        prev_h = self.prev.wrap(aw, ah)[1]
        parts = self.prev.split(aw, min(ah, prev_h - self.pitch))
        if len(parts) < 2:
            return []
        return [*parts[:-1], TiedBack(parts[-1], self.tail, self.pitch)]

    def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802 - ReportLab's name
        h = self.prev.wrap(self.width, 1e6)[1]
        self.prev.drawOn(canvas, x, y + self.height - h)
        self.tail.drawOn(canvas, x, y)


class Banji(Flowable):
    """The 版记's lines, each one grid line high, its text centred in it and set one character in
    from both edges; the rules on the lines' edges."""

    def __init__(self, lines: list[Flowable], pitch: float, size: float, color: str, thick: float, thin: float,
                 rules: tuple[bool, bool, bool]):
        super().__init__()
        self.lines, self.pitch, self.size = lines, pitch, size
        self.color, self.thick, self.thin, self.rules = color, thick, thin, rules

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        inner = aw - 2 * self.size
        rows = [max(1, math.ceil(f.wrap(inner, 1e6)[1] / self.pitch - 1e-6)) for f in self.lines]
        self.rows = rows
        self.height = sum(rows) * self.pitch
        return aw, self.height

    def draw(self) -> None:
        c, top = self.canv, self.height
        above, between, below = self.rules
        c.saveState()
        c.setStrokeColor(HexColor(self.color))
        edges = []
        for i, (f, rows) in enumerate(zip(self.lines, self.rows, strict=True)):
            box = rows * self.pitch
            f.drawOn(c, self.size, top - (box + f.height) / 2)  # its lines centred in its rows
            if i == 0 and above:
                edges.append((top, self.thick))
            top -= box
            if i < len(self.lines) - 1 and between:
                edges.append((top, self.thin))
        if below:
            edges.append((top, self.thick))
        for y, w in edges:
            c.setLineWidth(w)
            c.line(0, y, self.width, y)
        c.restoreState()


class Foot(Flowable):
    """Its content at the foot of the page: takes the rest of the frame and draws the content
    with its bottom `gap` above the frame's (the 版心's bottom edge); to the next page when the
    rest is too short."""

    page = 0  # where it was drawn
    alone = False  # the only thing on its page
    unnumbered: set[int] | None = None  # pages left without a number: after a blank page, this one and it

    def __init__(self, content: Flowable, gap: float):
        super().__init__()
        self.content, self.gap = content, gap

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        _, h = self.content.wrap(aw, ah)
        self.height = max(h + self.gap, ah)
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        return []  # kept together: the next page

    def draw(self) -> None:
        self.page = self.canv.getPageNumber()
        self.alone = bool(getattr(self, "_frame", None) and self._frame._atTop)
        if self.unnumbered is not None:
            self.unnumbered |= {self.page - 1, self.page}
        self.content.drawOn(self.canv, 0, self.gap)


class Blank(Spacer):
    """A page left blank (before a 版记 that must stand on an even page)."""

    def __init__(self, height: float):
        super().__init__(0, height - 0.01)
