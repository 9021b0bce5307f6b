"""GridParagraph: text set on a character grid, as GB/T 9704 sets a 公文 (22 lines × 28 cells).

On the grid every full-width character — punctuation included — takes one whole cell: no
punctuation compression, no Han–Latin quarter em, no stretching, so the characters of all lines
stand in columns. A half-width character (a digit, a Latin letter, an ASCII mark) takes half a
cell, centred in it, so two digits fill one cell; a Latin letter wider than 0.62 em takes a whole
cell; the next full-width character starts on the next whole cell. A space typed between Latin
words is half a cell.

Lines break by clreq's rules, read from the engine's prepared glyphs (`paiban.cjk.items`): a
closing mark or a stop never starts a line and an opening mark never ends one, a number or a
Latin word is never split. On a grid that cannot compress, the only way to keep a mark off a
line start is to push the character before it down (推出): that line then ends one cell short,
every character still on its cell.

Positions come from the grid alone, so the PDF text object gives every glyph its place (one
`Tm` per line, a shift per glyph), which `paiban.pdf.text` writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.platypus import Flowable

from paiban.cjk.items import Prepared, Spacing, prepare
from paiban.cjk.markup import parse_markup
from paiban.layout.paragraph import IDEOGRAPHIC_ASCENT, ParaStyle, _run_colors, _strokes
from paiban.pdf.text import GlyphLine, TextObject, write_text

#: A half-width glyph wider than this (em) takes a whole cell (W, M, m, %).
WIDE_LATIN = 0.62


@dataclass(frozen=True)
class Grid:
    """The grid: cells per line, the cell pitch and the line pitch (pt). Cell i's em box starts at
    i × cell, so with `cell` from `spec.gongwen.cell_pitch` the last box ends at the right edge."""

    cells: int
    cell: float
    pitch: float


@dataclass(frozen=True)
class GridLine:
    start: int  # glyphs [start, end)
    end: int
    x: tuple[float, ...]  # left edge (pt) of each glyph's box, from the text block's left edge


def grid_prepare(text: str, style: ParaStyle) -> Prepared:
    """Glyphs, faces and runs of the text as the engine prepares them, with no spacing of its own."""
    spacing = Spacing(han_latin=0.0, han_latin_min=0.0, han_space=0.5, fullwidth_quotes=True, line_end="full")
    return prepare(parse_markup(text), style.faces, style.bold_faces, spacing)


def halves(p: Prepared, i: int) -> int:
    """Half cells glyph i takes: 2 for a full-width glyph (or a wide Latin letter), else 1."""
    return 2 if p.box_width[i] >= 0.75 or p.box_width[i] > WIDE_LATIN else 1


def full_width(p: Prepared, i: int) -> bool:
    """A glyph that takes a whole cell of its own (Han, kana, full-width marks), as against a
    wide Latin letter, which takes two half cells wherever the half-width run has got to."""
    return p.box_width[i] >= 0.75 and not p.chars[i].isascii()


def break_grid(p: Prepared, grid: Grid, *, first: int = 2, rest: int = 0, right: int = 0) -> list[GridLine]:
    """Lines of the paragraph on the grid: `first`/`rest` cells of indent on the first/other lines,
    `right` cells kept empty at the right; positions in pt from the left edge of the text block."""
    out: list[GridLine] = []
    n = p.n
    i = 0
    half = grid.cell / 2
    while i < n:
        indent = first if not out else rest
        cap = 2 * (grid.cells - right)
        pos = 2 * indent
        start = i
        xs: list[float] = []
        narrow = 0  # half-width glyphs since the last full-width one
        while i < n:
            w = halves(p, i)
            if i > start and p.gap_typed_space[i - 1] and w == 1:
                pos += 1  # a space typed between Latin words: half a cell
            if pos % 2 and full_width(p, i):
                pos += 1  # a full-width glyph starts on a whole cell
                if pos <= cap - 2:
                    for q in range(len(xs) - narrow, len(xs)):
                        xs[q] += half / 2  # an odd run of half-width glyphs: centred in its cells
            if pos + w > cap:
                break
            xs.append(pos * half)
            narrow = 0 if full_width(p, i) else narrow + 1
            pos += w
            i += 1
        if i < n:
            j = i
            while j > start + 1 and p.break_penalty[j - 1] is None:
                j -= 1  # push out: no break allowed before glyph j
            if j > start + 1 or p.break_penalty[i - 1] is not None:
                i = j
            # else: one unbreakable run longer than the line: broken where the line is full
            xs = xs[:i - start]
        if i == start:  # a single glyph wider than the line: set it anyway
            xs, i = [2 * indent * half], i + 1
        out.append(GridLine(start, i, tuple(xs)))
    return out


class GridParagraph(Flowable):
    """A paragraph on the grid, `lines × pitch` tall, each line's em box at the top of its line box."""

    def __init__(self, text: str, style: ParaStyle, grid: Grid, *, first: int = 2, rest: int = 0, right: int = 0,
                 align: str = "left", report: Callable[[str], None] | None = None,
                 _prep: Prepared | None = None, _lines: list[GridLine] | None = None):
        super().__init__()
        self.text, self.style, self.grid = text, style, grid
        self.first, self.rest, self.right, self.align = first, rest, right, align
        self.report = report
        self._prep = _prep if _prep is not None else grid_prepare(text, style)
        if _prep is None and report is not None:
            for msg in self._prep.diagnostics:
                report(msg)
        self._lines = _lines if _lines is not None else break_grid(self._prep, grid, first=first, rest=rest,
                                                                    right=right)
        self.keepWithNext = style.keep_with_next
        self.width = 0.0
        self.height = len(self._lines) * grid.pitch

    def __repr__(self) -> str:
        return f"GridParagraph({self._prep.text[:20]!r}…, {len(self._lines)} lines)"

    def lines(self) -> list[str]:
        """The text of each line (tests, debugging)."""
        return ["".join(self._prep.chars[ln.start:ln.end]) for ln in self._lines]

    @property
    def baseline_offset(self) -> float:
        return IDEOGRAPHIC_ASCENT * self.style.size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = len(self._lines) * self.grid.pitch
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        fit = int((availHeight + 1e-6) // self.grid.pitch)
        n = len(self._lines)
        if fit <= 0 or fit >= n:
            return []
        args = dict(first=self.first, rest=self.rest, right=self.right, align=self.align, report=self.report,
                    _prep=self._prep)
        head = GridParagraph(self.text, self.style, self.grid, _lines=self._lines[:fit], **args)
        tail = GridParagraph(self.text, self.style, self.grid, _lines=self._lines[fit:], **args)
        head.keepWithNext = False
        tail.keepWithNext = self.keepWithNext
        return [head, tail]

    def _shift(self, ln: GridLine) -> float:
        """How far right the line is moved: 0 on the left; flush with the right end (less `right`
        cells) when right-aligned; centred between the indent and the right end."""
        if self.align == "left" or not ln.x:
            return 0.0
        p, size, g = self._prep, self.style.size, self.grid
        end = ln.x[-1] + (size if full_width(p, ln.end - 1) else halves(p, ln.end - 1) * g.cell / 2)
        room = (g.cells - self.right - 1) * g.cell + size - end
        return room if self.align == "right" else room / 2

    def draw(self) -> None:
        canv = self.canv
        if getattr(canv, "dry_run", False) or not self._lines:
            return
        p, st, g = self._prep, self.style, self.grid
        size = st.size
        first, end = self._lines[0].start, self._lines[-1].end
        glyph_lines = []
        for li, ln in enumerate(self._lines):
            y = self.height - li * g.pitch - IDEOGRAPHIC_ASCENT * size
            dx = self._shift(ln)
            shifts: dict[int, float] = {}
            pen = 0.0
            for q, k in enumerate(range(ln.start, ln.end)):
                box = ln.x[q] + dx
                if full_width(p, k):
                    origin = box + p.origin_offset[k] * size
                else:  # centred in its half cell (or two)
                    origin = box + (halves(p, k) * g.cell / 2 - p.font_advance[k] * size) / 2
                shifts[q] = origin - pen
                pen = origin + p.font_advance[k] * size
            glyph_lines.append(GlyphLine(y, ln.start - first, ln.end - first, 0.0, shifts))
        faces = p.face[first:end]
        fonts: list[tuple[str, int]] = []
        for f in faces:
            if fonts and fonts[-1][0] == f.rl_name:
                fonts[-1] = (f.rl_name, fonts[-1][1] + 1)
            else:
                fonts.append((f.rl_name, 1))
        write_text(canv, TextObject(size=size, chars=p.chars[first:end], fonts=fonts, run=p.run[first:end],
                                    colors=_run_colors(p, st), lines=glyph_lines, stroke=_strokes(p, st, first, end)))
