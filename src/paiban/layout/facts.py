"""A facts box (数说盂县): a panel of cards, each a big number with its unit and what it counts.

Drawn natively with ReportLab rather than through matplotlib: the numbers are the point of the
box, so they are set crisp, in the page's Hei bold, as real searchable text, and sized to the
frame. Approximate values keep the article's hedge (1000余, 6500多); one flagged approximate
without a hedge word is printed with 约.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable

from paiban import memo
from paiban.charts.style import ChartStyle, resolve_style
from paiban.charts.text import wrap
from paiban.charts.values import PREFIXES, SUFFIXES
from paiban.cjk.runs import HAN_LATIN_GAP, han_latin_runs
from paiban.fonts.book import FontBook
from paiban.layout.recorded import draw_recorded
from paiban.spec.charts import ChartTheme, FactItem, FactsBlock


def value_text(item: FactItem) -> str:
    """The number as printed: the article's text, with 约 added when flagged approximate without a hedge."""
    text = item.value if isinstance(item.value, str) else _plain(item.value)
    text = text.strip()
    if item.is_approx and not (text.startswith(PREFIXES) or text.rstrip("%％").endswith(SUFFIXES)):
        text = "约" + text
    return text


def _plain(v: float) -> str:
    from paiban.charts.values import format_number

    return format_number(float(v), thousands=10000)


@dataclass
class _Card:
    value: str
    unit: str
    label: list[str]


class FactsBox(Flowable):
    """The facts panel, as wide as the frame; its height is a multiple of `pitch` when one is given.

    `notes=False` leaves the caption and source to the caller (to set them in the caption style);
    by default they are set inside the panel, under the cards.
    """

    def __init__(self, block: FactsBlock, theme: ChartTheme, fonts: FontBook, *, pitch: float | None = None,
                 notes: bool = True):
        super().__init__()
        self.block = block
        self.theme = theme
        self.style: ChartStyle = resolve_style(theme, fonts)
        self.pitch = pitch
        self.notes = notes
        self.width = 0.0
        self.height = 0.0
        self._laid_for: float | None = None
        self._content: tuple | None = None  # what the layout depends on (a watch session's memo key)

    # -------------------------------------------------------------- layout
    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - ReportLab API
        if self._laid_for != availWidth:
            self._layout(availWidth)
        return self.width, self.height

    def _layout(self, width: float) -> None:
        """Laid out for `width`, or as laid out for this very content and width earlier in a
        watch session (`paiban.memo`): the attributes the layout sets, taken over."""
        self._content = ("facts", repr(self.block), repr(self.theme), self.style, self.pitch, self.notes)
        laid_out = memo.table("facts boxes", 1000)
        key = (self._content, width)
        laid = laid_out.get(key) if laid_out is not None else None
        if laid is None:
            before = dict(vars(self))
            self._lay_out(width)
            laid = {k: v for k, v in vars(self).items() if k not in before or before[k] is not v}
            if laid_out is not None:
                laid_out.put(key, laid)
        else:
            vars(self).update(laid)

    def _lay_out(self, width: float) -> None:
        st, b = self.style, self.block
        size = st.size
        self.width = width
        self.pad = size * 0.9
        inner = width - 2 * self.pad
        self.unit_size = size * 1.05
        self.title_size = size * 1.5
        # a long title wraps (a narrow column must not let it run into the next one)
        self.title_lines = wrap(st, b.title, width, self.title_size, True) if b.title else []
        self.title_h = self.title_size * (1.9 + 1.25 * (len(self.title_lines) - 1)) if b.title else 0.0
        # `columns` is the most cards per row: fewer when the numbers would not fit their cards
        for cols in range(max(1, min(b.columns, len(b.items))), 0, -1):
            self.cols = cols
            self.card_w = inner / cols
            ns = self._number_size()
            if ns >= size * 1.6:
                break
        self.number_size = max(ns, size * 1.2)
        self.rows = math.ceil(len(b.items) / self.cols)
        label_w = self.card_w - size * 0.8
        cards = [_Card(value_text(it), it.unit, wrap(st, it.label, label_w, size)) for it in b.items]
        self.cards = cards
        lines = max(len(c.label) for c in cards)
        self.card_h = self.number_size * 1.12 + size * 0.45 + lines * size * 1.3 + size * 0.55
        self.note_lines: list[str] = []
        if self.notes:
            for text in (b.caption, f"来源：{b.source}" if b.source else None):
                if text:
                    self.note_lines += wrap(st, text, inner, st.note_size)
        notes_h = len(self.note_lines) * st.note_size * 1.4 + (size * 0.3 if self.note_lines else 0.0)
        height = self.pad * 0.8 + self.title_h + self.rows * self.card_h + notes_h + self.pad * 0.6
        if self.pitch:  # a whole number of body lines, the extra shared by the card rows
            snapped = math.ceil(height / self.pitch - 1e-6) * self.pitch
            self.card_h += (snapped - height) / self.rows
            height = snapped
        self.height = height
        self._laid_for = width

    def _number_size(self) -> float:
        """The largest number size (up to the theme's) at which every number and unit fits its card."""
        st, size = self.style, self.style.size
        ns = self.theme.number_size.pt()
        for it in self.block.items:
            vw = st.width(value_text(it), 1.0, True)
            uw = st.width(it.unit, self.unit_size) + size * 0.2 if it.unit else 0.0
            if vw > 0:
                ns = min(ns, (self.card_w - size * 0.8 - uw) / vw)
        return ns

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return []  # a facts box is never broken across columns

    # -------------------------------------------------------------- drawing
    def draw(self) -> None:
        if self._content is None:
            self._draw()
            return
        draw_recorded(self.canv, (self._content, self.width, self.height), self._draw)

    def _draw(self) -> None:
        c = self.canv
        st, b = self.style, self.block
        size = st.size
        w, h = self.width, self.height
        top = h - self.pad * 0.8
        # One card a row (a narrow column): a sidebar list, flush with the column's edge and
        # without a panel, numbers and labels ranged left as in a newspaper's data column.
        sidebar = self.cols == 1
        x0 = 0.0 if sidebar else self.pad
        panel_top = h
        if b.title:
            # The title stands on the column's edge above the panel, with a rule under it: the
            # way a newspaper heads a data box (and it lines up with the text beside it).
            for k, line in enumerate(self.title_lines):
                self._text(line, 0, top - self.title_size * (0.95 + 1.25 * k), self.title_size, True, st.highlight)
            y_rule = top - self.title_h + self.title_size * 0.35
            c.setStrokeColor(HexColor(st.highlight))
            c.setLineWidth(1.2)
            c.line(0, y_rule, w, y_rule)
            top -= self.title_h
            panel_top = y_rule - 0.6
        if self.theme.background and not sidebar:
            c.setFillColor(HexColor(self.theme.background))
            c.rect(0, 0, w, panel_top, stroke=0, fill=1)
        c.setStrokeColor(HexColor(st.grid))
        c.setLineWidth(0.5)
        for i, card in enumerate(self.cards):
            r, col = divmod(i, self.cols)
            cx = x0 + self.card_w * (col + 0.5)
            ctop = top - r * self.card_h
            if r > 0 and col == 0:
                c.line(x0, ctop, w - x0, ctop)
            if col > 0:
                xl = x0 + self.card_w * col
                c.line(xl, ctop - size * 0.5, xl, ctop - self.card_h + size * 0.5)
            self._card(card, cx, ctop - size * 0.35, left=x0 if sidebar else None)
        y = top - self.rows * self.card_h - size * 0.3
        for line in self.note_lines:
            y -= st.note_size * 1.4
            self._text(line, x0, y + st.note_size * 0.3, st.note_size, False, st.axis)

    def _card(self, card: _Card, cx: float, top: float, left: float | None = None) -> None:
        st = self.style
        size, ns, us = st.size, self.number_size, self.unit_size
        vw = st.width(card.value, ns, True)
        uw = st.width(card.unit, us) if card.unit else 0.0
        gap = ns * 0.15 if card.unit else 0.0  # Han–Latin space between the number and its unit
        x = cx - (vw + gap + uw) / 2 if left is None else left
        base = top - ns * 0.92
        self._text(card.value, x, base, ns, True, st.highlight)
        if card.unit:
            self._text(card.unit, x + vw + gap, base, us, False, st.text)
        y = base - ns * 0.2 - size * 0.45 - size * 0.95
        for line in card.label:
            lx = cx - st.width(line, size) / 2 if left is None else left
            self._text(line, lx, y, size, False, st.text)
            y -= size * 1.3

    def _text(self, text: str, x: float, y: float, size: float, bold: bool, color: str) -> None:
        face = self.style.face_for(text, bold)
        c = self.canv
        c.setFillColor(HexColor(color))
        c.setFont(face.rl_name, size)
        for run in han_latin_runs(text):  # a quarter em between Han and Latin runs (1000余)
            c.drawString(x, y, run)
            x += (sum(face.advance(ch) for ch in run) + HAN_LATIN_GAP) * size


def facts_flowable(block: FactsBlock, assets: Any, pitch: float | None, theme: ChartTheme | None = None
                   ) -> FactsBox:
    """The layout's entry point: the box alone (the caller sets caption and source in its styles).

    `assets` is the prepare stage's Assets (its `fonts` are used); `theme` is the spec's `charts:`
    (the default theme when not given).
    """
    return FactsBox(block, theme or ChartTheme(), assets.fonts, pitch=pitch, notes=False)
