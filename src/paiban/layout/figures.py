"""Figures, data boxes and the contents block as floats in the columns or across the page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.platypus import Flowable

from paiban.errors import BuildError
from paiban.layout.blocks import Contents, part_key
from paiban.layout.grid import GridGroup

if TYPE_CHECKING:
    from paiban.layout.story import Composer


class DrawingFlowable(Flowable):
    """A chart's vector Drawing, already as wide as its frame."""

    def __init__(self, drawing):
        super().__init__()
        self.drawing = drawing
        self.width, self.height = drawing.width, drawing.height

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.scale = min(1.0, aw / self.drawing.width) if self.drawing.width else 1.0
        self.width = self.drawing.width * self.scale
        self.height = self.drawing.height * self.scale
        return self.width, self.height

    def draw(self) -> None:
        from reportlab.graphics import renderPDF

        self.canv.saveState()
        self.canv.scale(self.scale, self.scale)
        renderPDF.draw(self.drawing, self.canv, 0, 0)
        self.canv.restoreState()


def figure_flowables(composer: Composer, figure, index: int) -> list[Flowable]:
    chart = composer.assets.charts.get(figure.id) if composer.assets.charts else None
    if chart is None:
        raise BuildError(f"chart {figure.id!r} was not prepared", composer.loaded.where(["body", index, "figure"]))
    number, cap = composer.caption(figure.caption)
    content: list[Flowable] = [DrawingFlowable(chart.drawing)]
    source = chart.source
    if source:
        content.append(composer.para(f"资料来源：{source}", composer.styles["source"]))
    return [composer.float(content, cap, figure.placement, f"图{number}", wide=figure.width == "page")]


def facts_flowables(composer: Composer, facts, index: int) -> list[Flowable]:
    from paiban.layout.facts import facts_flowable

    number, cap = composer.caption(facts.caption)
    box = facts_flowable(facts, composer.assets, composer.grid or None, composer.loaded.spec.charts)
    content: list[Flowable] = [box]
    if facts.source:
        content.append(composer.para(f"资料来源：{facts.source}", composer.styles["source"]))
    name = f"图{number}" if number else (facts.title or "facts")
    return [composer.float(content, cap, facts.placement, name, wide=facts.width == "page")]


def contents_flowables(composer: Composer, contents, index: int) -> list[Flowable]:
    parts = []
    for block in composer.loaded.spec.body:
        part = getattr(block, "part", None)
        if part is not None:
            parts.append((part.title, part_key(len(parts) + 1)))
    head = composer.styles["subhead"]
    style = composer.styles["body"]
    title = composer.para(contents.title, head)
    box = Contents(parts, composer.faces(style), style.size, composer.pitch, style.color)
    return [GridGroup([title, box], composer.grid, name="contents")]
