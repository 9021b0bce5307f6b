"""The 公文 (GB/T 9704-2012) page: its head, body blocks on the 22 × 28 grid, and page numbers.

A 公文 is one column on a character grid (`layout.gridpara`), so it is laid out here, apart from
the feature page's columns, floats and balancing: one frame per page, the 版心, exactly `lines`
grid lines tall, on the same place of every page. Everything on it stands on grid lines:

* the head (版头, §7.2): the 发文机关标志 in red at `gongwen.name_top` under the top of the 版心,
  the 发文字号 centred two blank lines under it, the red separator rule `gongwen.rule_gap` under
  the 发文字号, as wide as the 版心;
* the title (§7.3.1) two blank lines under the rule, 2号 display face, centred, broken between
  words in a trapezoid (`cjk.display.trapezoid_lines`), one grid line per title line; the 主送机关
  one blank line under it, flush left;
* the body: paragraphs indented two cells, headings numbered 一、 （一） 1. （1） per level,
  附件说明 with its hanging indent, the signature (成文日期 `gongwen.signature_offset` cells from
  the right, the issuing office centred over it);
* page numbers (§7.5) "— N —" in 4号 宋体 7 mm under the 版心, one character in from the right
  on odd pages and from the left on even pages.
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate, Spacer

from paiban.assets import Assets
from paiban.cjk.display import trapezoid_lines, use_words
from paiban.cjk.face import face_for
from paiban.errors import BuildError, Diagnostics, InputError
from paiban.layout.closing import HangingLine, HRule, PairLine, split_label
from paiban.layout.gridpara import Grid, GridParagraph, grid_prepare, halves
from paiban.layout.headline import Segmenter
from paiban.layout.paragraph import CJKParagraph, ParaStyle
from paiban.layout.text import para_style
from paiban.pdf.canvas import DeferredCanvas, TooManyPages
from paiban.pdf.text import GlyphLine, TextObject, write_text
from paiban.spec.bulletin import ClosingPair, RuleSpec
from paiban.spec.geometry import Geometry, geometry
from paiban.spec.gongwen import MM, cell_pitch, grid_pitch
from paiban.spec.loaded import LoadedSpec
from paiban.spec.styles import TextStyle

CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """一 … 九十九, as 公文 heading numbers are written (十一, 二十, 二十三)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def heading_number(level: int, n: int) -> str:
    """The number of the n-th heading of a level (§7.3.3): 一、 （一） 1. （1）."""
    return (f"{chinese_number(n)}、", f"（{chinese_number(n)}）", f"{n}.", f"（{n}）")[level - 1]


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


class Builder:
    """The flowables of a 公文 from its spec, block by block."""

    def __init__(self, loaded: LoadedSpec, assets: Assets, geo: Geometry):
        self.loaded, self.assets, self.spec = loaded, assets, loaded.spec
        gw = self.spec.gongwen
        body = assets.styles["body"]
        self.grid = Grid(gw.chars, cell_pitch(gw.chars, body.size), grid_pitch(gw.lines, body.size))
        self.geo = geo
        self.segmenter = Segmenter(loaded.cache_dir)
        use_words(self.segmenter.words)
        self.counters = [0, 0, 0, 0]
        self._styles: dict[str, ParaStyle] = {}

    def style(self, name: str) -> ParaStyle:
        ps = self._styles.get(name)
        if ps is None:
            ps = self._styles[name] = para_style(self.assets, self.assets.styles[name])
        return ps

    def grid_para(self, text: str, style: str, **kw) -> GridParagraph:
        return GridParagraph(text, self.style(style), self.grid, **kw)

    def head(self) -> list[Flowable]:
        doc, gw, pitch = self.spec.document, self.spec.gongwen, self.grid.pitch
        out: list[Flowable] = []
        if doc.name or doc.number is not None:
            number = self.grid_para(str(doc.number), "gw_number", first=0, align="center") \
                if doc.number is not None else None
            out.append(Head(doc.name, number, self.style("gw_name"), gw.name_top.pt(),
                            (gw.name_color, gw.rule_thickness.pt(), gw.rule_gap.pt()), pitch,
                            self.assets.styles["body"].size))
            out.append(GridSpace(2, pitch))  # the title two blank lines under the rule (空二行)
        st = self.style("title")
        faces = self.assets.fonts.chain(self.assets.styles["title"].fallback)

        def measure(s: str) -> float:
            return sum((face_for(ch, faces) or faces[0]).advance(ch) for ch in s) * st.size

        lines = trapezoid_lines(doc.title, self.geo.text_width - 2 * st.size, measure, self.segmenter.words)
        out.append(DisplayLines(lines, st, pitch, self.assets.styles["body"].size))
        out.append(GridSpace(1, pitch))  # the 主送机关 one blank line under the title (空一行)
        return out

    def blocks(self) -> list[Flowable]:
        flow: list[Flowable] = []
        for at in self.spec.blocks():
            made = getattr(self, "_" + at.kind)(at.value)
            for f in made:
                f.spec_keys = at.keys
            if flow and (at.kind == "signature" or getattr(at.value, "keep_with_previous", False)):
                made = [TiedBack(flow.pop(), made[0], self.grid.pitch), *made[1:]]
            if flow and isinstance(flow[-1], Tied) and flow[-1].open:
                flow[-1].add(made[0])  # a heading waits for the first line of what follows it
                made = made[1:]
            flow += made
        return flow

    # -- blocks ---------------------------------------------------------------------------------
    def _text(self, value) -> list[Flowable]:
        text, style = (value, "body") if isinstance(value, str) else (value.text, value.style)
        paras = [t.strip().replace("\n", "") for t in text.split("\n\n") if t.strip()]
        return [self.grid_para(t, style) for t in paras]

    def _heading(self, value) -> list[Flowable]:
        spec = value if not isinstance(value, str) else None
        level = spec.level if spec else 1
        text = spec.text if spec else value
        self.counters[level - 1] += 1
        for deeper in range(level, 4):
            self.counters[deeper] = 0
        return [Tied([self.grid_para(heading_number(level, self.counters[level - 1]) + text, f"heading{level}")],
                     self.grid.pitch)]

    def _addressee(self, value: str) -> list[Flowable]:
        return [self.grid_para(value, "addressee", first=0, rest=0)]

    def _attachments(self, names: list[str]) -> list[Flowable]:
        """附件说明 (§7.3.4): one blank line, then 附件：1.…, each name's next lines aligned with its
        first character."""
        out: list[Flowable] = [GridSpace(1, self.grid.pitch)]
        label = "附件："
        at = 2 + self._cells(label)  # where the numbers (or the one name) stand
        for i, name in enumerate(names, 1):
            number = f"{i}." if len(names) > 1 else ""
            first = 2 if i == 1 else at
            out.append(self.grid_para(("附件：" if i == 1 else "") + number + name, "body", first=first,
                                      rest=at + self._cells(number)))
        return out

    def _cells(self, text: str) -> int:
        """Whole cells a text takes on the grid (two half-width characters to a cell)."""
        if not text:
            return 0
        p = grid_prepare(text, self.style("body"))
        pos = 0
        for i in range(p.n):
            w = halves(p, i)
            if w == 2 and pos % 2:
                pos += 1
            pos += w
        return (pos + 1) // 2

    def _signature(self, value) -> list[Flowable]:
        """The issuing office centred over the 成文日期, which ends `signature_offset` cells from
        the right edge (§7.3.5.1: 右空四字), one blank line under the text."""
        off = self.spec.gongwen.signature_offset
        date_cells = self._cells(value.date)
        start = self.grid.cells - off - date_cells
        out: list[Flowable] = [GridSpace(1, self.grid.pitch)]
        if value.office:
            office_cells = self._cells(value.office)
            first = max(0, start + (date_cells - office_cells) // 2)
            out.append(self.grid_para(value.office, "signature", first=first))
        out.append(self.grid_para(value.date, "signature", first=max(0, start)))
        return [Stack(out)]

    def _break(self, value) -> list[Flowable]:
        return [PageBreak()]

    def _rule(self, rule) -> list[Flowable]:
        """A rule block: one grid line high, so the text after it stays on the grid."""
        r = rule or RuleSpec()
        thin = r.thickness.pt() if r.style == "double" else None
        return [HRule(r.color, r.thickness.pt(), self.grid.pitch, share=r.width / 100, align=r.align, thin=thin,
                      gap=r.gap.pt())]

    def _closing(self, closing) -> list[Flowable]:
        """The 版记 (§7.4): each line one grid line high in the closing style (4号 仿宋), one
        character in from both edges, 抄送：'s next lines under its first name, 印发机关 left and
        印发日期 right; a rule above, between (thin) and below the lines, the last one on the 版心's
        bottom edge, all of it at the foot of the last page."""
        st = self.style(closing.style if closing.style in self.assets.styles else "closing")
        flat = replace(st, first_indent=0.0, align="left")
        right = replace(flat, align="right")
        faces = self.assets.fonts.chain(self.assets.styles["closing"].fallback)
        lines: list[Flowable] = []
        for line in closing.lines:
            if isinstance(line, ClosingPair):
                lines.append(PairLine(CJKParagraph(line.left, flat) if line.left else None,
                                      CJKParagraph(line.right, right) if line.right else None))
                continue
            parts = split_label(line)
            if parts is None:
                lines.append(CJKParagraph(line, flat))
            else:
                label, text = parts
                width = sum((face_for(ch, faces) or faces[0]).advance(ch) for ch in label) * st.size
                lines.append(HangingLine(CJKParagraph(label, flat), CJKParagraph(text, flat), width))
        r = closing.rules
        return [Foot(Banji(lines, self.grid.pitch, st.size, r.color, r.thickness.pt(), r.thin.pt(),
                           (r.above, r.between, r.below)), self.grid.pitch - self.assets.styles["body"].size)]


class PageNumbers:
    """"— N —" in the page_number style, 7 mm under the 版心: right on odd pages, left on even
    ones, one character in from the edge of the text block (§7.5)."""

    def __init__(self, assets: Assets, geo: Geometry, style: TextStyle, show: bool, skip: set[int]):
        self.style = para_style(assets, style)
        self.geo, self.show, self.skip = geo, show, skip
        self.pages = 0

    def __call__(self, canvas, number: int, total: int) -> None:
        self.pages = total
        if not self.show or number in self.skip:
            return
        geo, st = self.geo, self.style
        left = geo.left(number) + st.size
        right = geo.left(number) + geo.text_width - st.size
        centre = geo.bottom - 7 * MM  # the 一字线 (the middle of the em box) 7 mm under the 版心
        baseline = centre + st.size / 2 - 0.88 * st.size
        text = f"—{number}—"
        face = st.faces[0]
        size = st.size
        dash = face.advance("—")
        scale = 1.0 / dash if dash > 0 else 1.0  # each 一字线 one em long
        gap = 0.25 * size
        widths = [size] + [face.advance(ch) * size for ch in text[1:-1]] + [size]
        total = sum(widths) + 2 * gap
        x = right - total if number % 2 else left
        xs, at = [], x
        for i, w in enumerate(widths):
            xs.append(at)
            at += w + (gap if i in (0, len(widths) - 2) else 0.0)
        shifts, pen = {}, 0.0
        for q, ch in enumerate(text):
            shifts[q] = xs[q] - pen
            pen = xs[q] + (size if ch == "—" else face.advance(ch) * size)
        n = len(text)
        write_text(canvas, TextObject(
            size=size, chars=list(text), fonts=[(face.rl_name, n)], run=[0] * n, colors=[(0.0, 0.0, 0.0)],
            lines=[GlyphLine(baseline, 0, n, 0.0, shifts)], scaled={0: (xs[0], scale), n - 1: (xs[-1], scale)}))


def render_gongwen(loaded: LoadedSpec, assets: Assets, target: Path, diagnostics: Diagnostics,
                   max_pages: int) -> int:
    """Lay out a 公文 and write it to `target`; returns the page count.

    The 版记 stands on the last side of a sheet printed on both sides, an even page (§7.4): when
    it comes out on an odd page the document is laid out again with it on the next page — alone,
    or after a blank page when it was alone already, and then neither page is numbered (§7.5)."""
    spec = loaded.spec
    geo = geometry(spec.page)
    pages, foot = _build(loaded, assets, geo, target, max_pages, "")
    if foot is not None and foot.page % 2 == 1 and spec.gongwen.closing_even_page:
        pages, foot = _build(loaded, assets, geo, target, max_pages, "blank" if foot.alone else "break")
    return pages


def _build(loaded: LoadedSpec, assets: Assets, geo: Geometry, target: Path, max_pages: int,
           before_foot: str) -> tuple[int, Foot | None]:
    from reportlab import rl_config

    spec = loaded.spec
    builder = Builder(loaded, assets, geo)
    flow = [*builder.head(), *builder.blocks()]
    height = spec.gongwen.lines * builder.grid.pitch
    foot = flow[-1] if flow and isinstance(flow[-1], Foot) else None
    unnumbered: set[int] = set()
    if foot is not None and before_foot:
        foot.unnumbered = unnumbered if before_foot == "blank" else None
        flow[-1:] = [PageBreak(), *([Blank(height)] if before_foot == "blank" else []), foot]
    top = geo.height - geo.top
    frame = Frame(geo.left(1), top - height, geo.text_width, height, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id="banxin")
    doc = BaseDocTemplate(
        str(target), pagesize=(geo.width, geo.height), title=spec.document.title,
        author=spec.document.author or "", subject=spec.document.subject or str(spec.document.number or ""),
        keywords=", ".join(spec.document.keywords), creator="paiban", producer="paiban (ReportLab)",
        lang=spec.document.language, pageTemplates=[PageTemplate(id="page", frames=[frame])],
        allowSplitting=1, invariant=1)
    numbers = PageNumbers(assets, geo, assets.styles["page_number"], spec.gongwen.page_numbers, unnumbered)
    initial = assets.fonts.face(assets.styles["body"].font).rl_name

    def canvas(*args, **kwargs):
        rl_config.useA85 = 0
        kwargs.setdefault("pageCompression", 1)
        kwargs["initialFontName"] = initial
        c = DeferredCanvas(*args, decorate=numbers, **kwargs)
        c.max_pages = max_pages
        return c

    try:
        doc.build(flow, canvasmaker=canvas)
    except TooManyPages:
        raise InputError(f"the document runs past {max_pages:,} pages; paiban sets at most {max_pages:,}",
                         loaded.where(["body"]), "body") from None
    except Exception as exc:
        from reportlab.platypus.doctemplate import LayoutError

        if isinstance(exc, LayoutError):
            raise BuildError(f"layout: {str(exc).splitlines()[0][:200]}") from None
        raise
    builder.segmenter.save()
    return numbers.pages, foot
