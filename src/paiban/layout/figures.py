"""Figures, data boxes and the contents block as floats in the columns or across the page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from reportlab.platypus import Flowable

from paiban.layout.blocks import Contents
from paiban.layout.grid import FloatBlock, GridGroup

if TYPE_CHECKING:
    from paiban.assets import Assets
    from paiban.charts import ChartOut
    from paiban.spec.charts import ChartTheme, FactsBlock, FigureBlock
    from paiban.spec.model import ContentsSpec
    from paiban.spec.styles import TextStyle


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

        from paiban.layout.recorded import draw_recorded

        canv = self.canv
        canv.saveState()
        canv.scale(self.scale, self.scale)
        # the Drawing object is the key (hashed by identity): the session keeps it loaded
        draw_recorded(canv, (self.drawing, self.scale), lambda: renderPDF.draw(self.drawing, canv, 0, 0))
        canv.restoreState()


class Caption(Flowable):
    """A caption as a compositor sets it: the label (图 1, 表 2), an em of space, then the text,
    whose continuation lines hang under the text, not under the label. Both are paragraphs of the
    caption style, so their baselines share one pitch."""

    def __init__(self, label: Flowable, text: Flowable, faces: tuple, size: float):
        super().__init__()
        self.label, self.text = label, text
        from paiban.layout.textline import TextLine

        self.indent = TextLine.of(label.text, faces, size).width + size  # the label and an em
        self._label_h = 0.0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        _, self._label_h = self.label.wrap(self.indent + 1, ah)
        _, th = self.text.wrap(max(aw - self.indent, aw * 0.5), ah)
        self.width, self.height = aw, max(th, self._label_h)
        return self.width, self.height

    def draw(self) -> None:
        self.label.drawOn(self.canv, 0, self.height - self._label_h)
        self.text.drawOn(self.canv, self.indent, self.height - self.text.height)


class FigureSetting(Protocol):
    """What figures, facts boxes and the contents block are set with (the story builder has it)."""

    styles: dict[str, TextStyle]
    pitch: float  # the body's line pitch
    grid: float  # what blocks snap to: the pitch, or 0 when the baseline grid is off

    def para(self, text: str, style: TextStyle) -> Flowable: ...

    def faces(self, style: TextStyle) -> tuple: ...

    def caption(self, text: str | None) -> tuple[str, Flowable | None]: ...

    def float(self, content: list[Flowable], caption: Flowable | None, placement: str, name: str,
              *, wide: bool = False, caption_above: bool = False) -> FloatBlock: ...


def figure_flowables(setting: FigureSetting, figure: FigureBlock, chart: ChartOut) -> list[Flowable]:
    """A chart, its source note and caption, floated as the figure asks; a table's caption (表N)
    goes above it, as tables are read from the top."""
    label, cap = setting.caption(figure.caption)
    content: list[Flowable] = [DrawingFlowable(chart.drawing)]
    source = chart.source
    if source:
        content.append(setting.para(f"资料来源：{source}", setting.styles["source"]))
    return [setting.float(content, cap, figure.placement, label, wide=figure.width == "page" or chart.wide,
                          caption_above=figure.chart == "table")]


def facts_flowables(setting: FigureSetting, facts: FactsBlock, assets: Assets, theme: ChartTheme) -> list[Flowable]:
    """A facts box, its source note and caption, floated as the box asks."""
    from paiban.layout.facts import facts_flowable  # the charts' text stack, only for a facts box

    label, cap = setting.caption(facts.caption)
    box = facts_flowable(facts, assets, setting.grid or None, theme)
    content: list[Flowable] = [box]
    if facts.source:
        content.append(setting.para(f"资料来源：{facts.source}", setting.styles["source"]))
    name = label or facts.title or "facts"
    return [setting.float(content, cap, facts.placement, name, wide=facts.width == "page")]


def contents_flowables(setting: FigureSetting, contents: ContentsSpec, parts: list[tuple[str, str]]) -> list[Flowable]:
    """The contents block: its title and each entry (title, destination key: a part or an
    article) with the page it starts on, the row a link to it."""
    head = setting.styles["subhead"]
    style = setting.styles["body"]
    title = setting.para(contents.title, head)
    box = Contents(parts, setting.faces(style), style.size, setting.pitch, style.color)
    return [GridGroup([title, box], setting.grid, name="contents")]
