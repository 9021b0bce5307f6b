"""Rules and the end matter (报尾, 版记): flowables of the `rule` and `closing` blocks.

The end matter is a compositor's furniture, not running text: each labelled line (报：, 送：,
抄送：…) stands on its own with its continuation lines hanging after the colon, a line may carry
text at both margins (印发机关 left, 印发日期 right), and the whole is kept together between its
rules, at the foot of the page across the columns (a page-wide float placed at the bottom).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from reportlab.platypus import Flowable

from paiban.layout.blocks import Rule
from paiban.layout.grid import FloatBlock, GridGroup
from paiban.layout.textline import TextLine
from paiban.spec.bulletin import ClosingPair, ClosingSpec, RuleSpec

if TYPE_CHECKING:
    from paiban.layout.story import StoryBuilder
    from paiban.spec.styles import TextStyle

_COLONS = "：:"


class HangingLine(Flowable):
    """A labelled line of the end matter: the label up to its colon, then the text, whose
    continuation lines start under the text's first character, not under the label."""

    def __init__(self, label: Flowable, text: Flowable, label_width: float):
        super().__init__()
        self.label, self.text, self.label_width = label, text, label_width

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        _, lh = self.label.wrap(self.label_width * 2, ah)
        _, th = self.text.wrap(max(aw - self.label_width, 1.0), ah)
        self.height = max(lh, th)
        return aw, self.height

    def draw(self) -> None:
        self.label.drawOn(self.canv, 0, self.height - self.label.height)
        self.text.drawOn(self.canv, self.label_width, self.height - self.text.height)


class PairLine(Flowable):
    """Text at both margins of one line: two paragraphs of the same style, one ragged right and
    one set flush right, on the same baseline."""

    def __init__(self, left: Flowable | None, right: Flowable | None, need: float = 0.0,
                 report: Callable[[str], None] | None = None):
        super().__init__()
        self.left, self.right, self.need, self.report = left, right, need, report

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        if self.need > aw + 1e-6 and self.report is not None:
            self.report(f"its left and right texts need {self.need:.0f}pt with an em between them, more than the "
                        f"{aw:.0f}pt measure: they run into each other; shorten one or put them on two lines")
        self.height = max((p.wrap(aw, ah)[1] for p in (self.left, self.right) if p is not None), default=0.0)
        return aw, self.height

    def draw(self) -> None:
        for p in (self.left, self.right):
            if p is not None:
                p.drawOn(self.canv, 0, self.height - p.height)


def rule_flowables(b: StoryBuilder, rule: RuleSpec | None) -> list[Flowable]:
    """A `rule` block: one body line high, so the text after it stays on the grid."""
    r = rule or RuleSpec()
    double = r.style == "double"
    return [Rule(r.color, r.thickness.pt(), b.pitch, share=r.width / 100, align=r.align,
                  thin=r.thickness.pt() if double else None, gap=r.gap.pt())]


def split_label(line: str) -> tuple[str, str] | None:
    """报：县委办公室 → (报：, 县委办公室); None when the line has no colon to hang from."""
    at = min((line.find(c) for c in _COLONS if c in line), default=-1)
    if at <= 0 or at == len(line) - 1:
        return None
    return line[:at + 1], line[at + 1:].lstrip()


def closing_flowables(b: StoryBuilder, closing: ClosingSpec) -> list[Flowable]:
    """The end matter: its rules and lines kept together, at the foot of the page (or here)."""
    style: TextStyle = b.styles.get(closing.style, b.styles["closing"])
    # named apart: the paragraph factory keeps one engine style per name
    flat = replace(style, name=f"{style.name}/closing", indent=0.0)
    right = replace(flat, name=f"{style.name}/closing-right", align="right")
    label_style = replace(flat, name=f"{style.name}/closing-left", align="left")
    rules = closing.rules
    half = b.pitch * 0.5

    def rule(thickness: float) -> Rule:
        return Rule(rules.color, thickness, half)

    items: list[Flowable] = []
    if rules.above:
        items.append(rule(rules.thickness.pt()))
    for j, line in enumerate(closing.lines):
        if j and rules.between:
            items.append(rule(rules.thin.pt()))
        at = (*b.at, "lines", j)
        if isinstance(line, ClosingPair):
            items.append(_pair(b, line, flat, right, at))
            continue
        b.at = at
        parts = split_label(line)
        if parts is None:
            items.append(b.para(line, flat))
        else:
            label, text = parts
            width = TextLine.of(label, b.faces(style), style.size).width
            items.append(HangingLine(b.para(label, label_style), b.para(text, flat), width))
        b.at = at[:-2]
    if rules.below:
        items.append(rule(rules.thickness.pt()))
    if closing.copies:
        b.at = (*b.at, "copies")
        items.append(b.para(closing.copies, right))
        b.at = b.at[:-1]
    if closing.placement == "foot":
        block = FloatBlock(items, b.grid, "bottom", name="the end matter", wide=True)
        block.foot = True
        return [block]
    return [GridGroup(items, b.grid, name="the end matter")]


def _pair(b: StoryBuilder, line: ClosingPair, flat: TextStyle, right: TextStyle, at: tuple) -> Flowable:
    saved, b.at = b.at, at
    try:
        left = b.para(line.left, replace(flat, name=f"{flat.name}-left", align="left")) if line.left else None
        rpara = b.para(line.right, right) if line.right else None
    finally:
        b.at = saved
    if left is None or rpara is None:
        return PairLine(left, rpara)
    faces = b.faces(flat)
    need = sum(TextLine.of(text or "", faces, flat.size).width for text in (line.left, line.right)) + flat.size
    return PairLine(left, rpara, need, b.reporter(at))
