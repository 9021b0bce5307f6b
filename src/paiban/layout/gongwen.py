"""The 公文 (GB/T 9704-2012) page: its head, body blocks on the 22 × 28 grid, and page numbers
(the flowables it is made of are in `layout.gwparts`).

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

from dataclasses import replace
from pathlib import Path

from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate

from paiban.assets import Assets
from paiban.cjk.display import trapezoid_lines, use_words
from paiban.cjk.face import face_for
from paiban.errors import BuildError, Diagnostics, InputError
from paiban.layout.blocks import Rule
from paiban.layout.closing import HangingLine, PairLine, split_label
from paiban.layout.gridpara import Grid, GridParagraph, full_width, grid_prepare, halves
from paiban.layout.gwparts import Banji, Blank, DisplayLines, Foot, GridSpace, Head, Stack, Tied, TiedBack
from paiban.layout.headline import Segmenter
from paiban.layout.metadata import Stamp, pdf_stamp
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


class Builder:
    """The flowables of a 公文 from its spec, block by block."""

    def __init__(self, loaded: LoadedSpec, assets: Assets, geo: Geometry, segmenter: Segmenter):
        self.loaded, self.assets, self.spec = loaded, assets, loaded.spec
        gw = self.spec.gongwen
        body = assets.styles["body"]
        self.grid = Grid(gw.chars, cell_pitch(gw.chars, body.size, geo.text_width),
                         grid_pitch(gw.lines, body.size, geo.text_height))
        self.geo = geo
        self.segmenter = segmenter
        use_words(segmenter.words)
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
            if pos % 2 and full_width(p, i):
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
        return [Rule(r.color, r.thickness.pt(), self.grid.pitch, share=r.width / 100, align=r.align, thin=thin,
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
                   max_pages: int, segmenter: Segmenter) -> int:
    """Lay out a 公文 and write it to `target`; returns the page count.

    The 版记 stands on the last side of a sheet printed on both sides, an even page (§7.4): when
    it comes out on an odd page the document is laid out again with it on the next page — alone,
    or after a blank page when it was alone already, and then neither page is numbered (§7.5)."""
    spec = loaded.spec
    geo = geometry(spec.page)
    stamp = pdf_stamp(loaded, diagnostics)  # the dates of the PDF, as a feature's or a bulletin's
    pages, foot = _build(loaded, assets, geo, target, max_pages, "", stamp, segmenter)
    if foot is not None and foot.page % 2 == 1 and spec.gongwen.closing_even_page:
        pages, foot = _build(loaded, assets, geo, target, max_pages, "blank" if foot.alone else "break", stamp,
                             segmenter)
    return pages


def _build(loaded: LoadedSpec, assets: Assets, geo: Geometry, target: Path, max_pages: int,
           before_foot: str, stamp: Stamp, segmenter: Segmenter) -> tuple[int, Foot | None]:
    from reportlab import rl_config

    spec = loaded.spec
    builder = Builder(loaded, assets, geo, segmenter)
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
        c._doc._timeStamp = stamp  # CreationDate and ModDate (invariant mode would say 2000-01-01)
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
    return numbers.pages, foot
