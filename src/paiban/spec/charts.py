"""The spec of charts: the `charts:` theme, the `data:` tables, and `figure:` / `facts:` blocks.

Editors change numbers far more often than anything else, so a table can live in a CSV or JSON
file beside report.yaml and a figure only names it. Values may be written the way the article
writes them ("1000余", "近2000", "6500多", "2万", "11,407"): the hedge words are kept for the
labels and the value is drawn visibly approximate, because a chart must not claim more precision
than the text does.
"""

import math
import re
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from paiban.spec.base import Model, empty_dict
from paiban.spec.lengths import AbsLength
from paiban.spec.values import Color

CHART_KINDS = ("bar", "hbar", "grouped", "stacked", "line", "pie", "donut", "table")
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"

# A cell of an inline table: a number, or text ("1000余", "革命传统教育"), or empty.
Cell = str | int | float | bool | None
Ratio = Annotated[float, Field(gt=0.05, le=5.0)]

DEFAULT_PALETTE = ["#b3120f", "#d9822b", "#5b6770", "#8a9a5b", "#c9a227", "#6d4c7d", "#2f6f8f"]


class ChartTheme(Model):
    """How every chart looks: the page's type, sizes matched to the captions, a small palette."""

    font: str = Field("hei", description="Font family key (from fonts:) for all chart text.")
    fallback: list[str] = Field(
        default_factory=lambda: ["song", "kai"],
        description="Families tried, in order, for a label the chart font cannot draw "
                    "(families the spec does not define are skipped).")
    size: AbsLength = Field("7.5pt", description="Size of category and axis labels; match the caption size.")
    label_size: AbsLength | None = Field(None, description="Size of value labels (default: `size`).")
    note_size: AbsLength | None = Field(None, description="Size of notes inside a chart, such as the "
                                                          "approximate-value key (default: `size` − 1pt).")
    bold_labels: bool = Field(True, description="Set value labels in the bold face.")
    palette: list[Color] = Field(default_factory=lambda: list(DEFAULT_PALETTE), min_length=1,
                                 description="Series colours in order; the first is the bars' colour.")
    highlight: Color = Field("#b3120f", description="Colour of the highlighted category.")
    muted: Color = Field("#a9a39a", description="Colour of the other bars when one category is highlighted.")
    grid: Color = Field("#dedad3", description="Colour of grid lines.")
    axis: Color = Field("#8c8780", description="Colour of the axis line and ticks.")
    text: Color = Field("#333333", description="Colour of labels.")
    background: Color | None = Field("#f5f1eb", description="Panel colour behind facts blocks and charts, so each "
                                                          "reads as one unit on the page (null: white paper).")
    panel_padding: AbsLength = Field("6pt", description="Space between a chart's panel edge and its content.")
    number_size: AbsLength = Field("17pt", description="Largest size of the big numbers in facts blocks "
                                                       "(they shrink to fit their card).")
    approx_hatch: AbsLength = Field("2.2pt", description="Spacing of the diagonal hatching that marks "
                                                        "approximate values (drawn as lines: SVG patterns do "
                                                        "not survive into the PDF); 0 for a lighter fill only.")
    approx_note: str = Field("斜纹为约数", description="Key drawn under a chart that has approximate values; "
                                                   "empty for none.")
    thousands: int = Field(10000, ge=0, description="Numbers from this value up get thousands separators "
                                                    "(10,200); 0 for never. The article writes 6500 but 10,200.")


class TableSpec(Model):
    """A named table: a CSV or JSON file beside report.yaml, or inline columns and rows."""

    file: str | None = Field(None, pattern=r"(?i)\.(csv|txt|json|xlsx|xlsm|xls|ods)$",
                             description="A CSV (header row; UTF-8, GBK/GB18030 or UTF-16, detected), JSON, or "
                                         "workbook (.xlsx, .xls, .ods) file, relative to report.yaml. JSON: "
                                         "{columns: [...], rows: [[...]]} or a list of objects. Cells —, -, － "
                                         "and empty ones are missing values.")
    encoding: str | None = Field(None, description="The encoding of a CSV/JSON file when detection is not "
                                                   "wanted: utf-8, gbk, gb18030, utf-16, big5.")
    sheet: str | Annotated[int, Field(ge=1)] | None = Field(
        None, description="The sheet of a workbook, by name or number from 1 (default the first).")
    range: str | None = Field(None, pattern=r"^[A-Za-z]{1,3}[1-9][0-9]*:[A-Za-z]{1,3}[1-9][0-9]*$",
                              description="The cells of the sheet to read, e.g. B3:F20 (header row first).")
    columns: list[Annotated[str, Field(min_length=1)]] | None = Field(
        None, min_length=1, description="Column names of an inline table.")
    rows: list[list[Cell]] | None = Field(
        None, description="Rows of an inline table, one value per column; values may carry the article's "
                          "hedges (1000余, 近2000, 6500多).")
    units: dict[str, str] = Field(default_factory=empty_dict, description="Unit of a column's values, e.g. {场次: 场}.")
    source: str | None = Field(None, description="Where the numbers come from; shown as the figures' source note.")

    @model_validator(mode="after")
    def _file_or_rows(self) -> "TableSpec":
        inline = self.columns is not None or self.rows is not None
        if self.file and inline:
            raise ValueError("expected either file: or columns:/rows:, not both")
        if not self.file and not (self.columns is not None and self.rows is not None):
            raise ValueError("expected file: data/x.csv, or columns: [...] with rows: [[...]]")
        workbook = bool(self.file) and self.file.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods"))
        if (self.sheet is not None or self.range) and not workbook:
            raise ValueError("sheet: and range: are for a workbook file (.xlsx, .xls, .ods)")
        if self.encoding and (workbook or not self.file):
            raise ValueError("encoding: is for a CSV or JSON file")
        return self


class FigureBlock(Model):
    """A chart drawn from a table, set next to the text it illustrates."""

    id: str = Field(pattern=ID_PATTERN, description="Unique name; the cache file is figures/<id>.svg.")
    chart: Literal["bar", "hbar", "grouped", "stacked", "line", "pie", "donut", "table"] = Field(
        description="Kind: bar (vertical), hbar (horizontal, for long names), grouped / stacked bars, "
                    "line, pie, donut, or a small table.")
    data: Annotated[str, Field(min_length=1)] | TableSpec = Field(
        description="A table name from data:, or an inline table {columns, rows}.")
    x: str | None = Field(None, description="The column of categories (bar names, slices, x positions, the "
                                            "table's first column). Default: the first column.")
    y: str | list[str] | None = Field(
        None, description="The value column(s); several give grouped/stacked bars or several lines. "
                          "Default: every column but x (and series, unit_column, approx).")
    series: str | None = Field(None, description="A column naming the series of a long table (x, series, y); "
                                                 "its values become the series.")
    labels: bool = Field(True, description="Write each value with its unit at its bar, point or slice.")
    unit: str | None = Field(None, description="Unit for the labels (e.g. 场); default from the table's units.")
    unit_column: str | None = Field(None, description="A column giving each row's unit (头, 只, 箱), "
                                                      "for tables that mix units.")
    approx: str | None = Field(None, description="A true/false column marking approximate rows, for values "
                                                 "written without a hedge word.")
    order: Literal["given", "ascending", "descending"] = Field(
        "given", description="Order of the categories: as in the table, or by (first) value.")
    highlight: str | None = Field(None, description="One category drawn in the highlight colour, the rest muted.")
    caption: str | None = Field(None, description="What the chart shows and where, e.g. 图3 东梁乡畜禽存栏.")
    source: str | None = Field(None, description="Source note (default: the table's source).")
    note: str | None = Field(None, description="A short note drawn under the chart, e.g. 单位：万元.")
    center: str | None = Field(None, description="Text in the hole of a donut, e.g. 种植业“2267”.")
    value_axis: bool | None = Field(None, description="Draw the value axis and grid; default: only when there "
                                                      "are no value labels.")
    legend: bool | None = Field(None, description="Draw a legend for several series; default: when the series "
                                                  "cannot be labelled directly.")
    width: Literal["column", "page"] = Field("column", description="Set in one column or across the page.")
    placement: Literal["here", "top", "bottom"] = Field("here", description="Where in the column/page it floats.")
    height: AbsLength | None = Field(None, description="Height of the drawing (default from the data and kind).")
    aspect: Ratio | None = Field(None, description="Height as a fraction of the width, e.g. 0.6 "
                                                   "(ignored when height is given).")

    @field_validator("y", mode="after")
    @classmethod
    def _some_columns(cls, v: str | list[str] | None) -> str | list[str] | None:
        if isinstance(v, list) and not v:
            raise ValueError("expected at least one value column")
        return v

    @model_validator(mode="after")
    def _kind_fits(self) -> "FigureBlock":
        if self.chart in ("pie", "donut") and isinstance(self.y, list) and len(self.y) > 1:
            raise ValueError(f"a {self.chart} shows one value column, got {len(self.y)}")
        if self.center is not None and self.chart != "donut":
            raise ValueError("center: is for donut charts")
        return self

    @property
    def y_columns(self) -> list[str] | None:
        """The value columns as a list (None: every column the figure does not use otherwise)."""
        if self.y is None:
            return None
        return [self.y] if isinstance(self.y, str) else list(self.y)


_HEDGED = re.compile(r"(余|多|以上|左右|许|^近|^约|^逾|^超|^将近|^不低于|^突破)")


class FactItem(Model):
    """One card of a facts block: a big number, its unit, and what it counts."""

    value: str | int | float = Field(description="The number as the article writes it: 11,407 / 1000余 / 近2000.")
    unit: str = Field("", description="Unit after the number: 名, 个, 万元, %.")
    label: str = Field(min_length=1, description="What is counted, e.g. 党员.")
    approx: bool | None = Field(None, description="Approximate; default: true when the value carries a hedge "
                                                  "(余, 多, 近, 约, 以上). An approximate value without a "
                                                  "hedge word is shown with 约.")

    @field_validator("value", mode="after")
    @classmethod
    def _not_blank(cls, v: Any) -> Any:
        if isinstance(v, bool):
            raise ValueError("expected a number or the number's text, got a true/false value")
        if isinstance(v, str) and not v.strip():
            raise ValueError("expected a number or the number's text, got an empty string")
        if isinstance(v, float) and not math.isfinite(v):  # YAML's .inf and .nan
            raise ValueError(f"expected a number or the number's text, got {v}")
        return v

    @property
    def is_approx(self) -> bool:
        if self.approx is not None:
            return self.approx
        return isinstance(self.value, str) and bool(_HEDGED.search(self.value.strip()))


class FactsBlock(Model):
    """A box of headline numbers (数说盂县): cards with a big number, its unit and a label."""

    id: str | None = Field(None, pattern=ID_PATTERN, description="Optional unique name.")
    title: str | None = Field(None, description="Heading of the box, e.g. 数说盂县.")
    items: list[FactItem] = Field(min_length=1, max_length=24, description="The cards, in reading order.")
    columns: Annotated[int, Field(ge=1, le=6)] = Field(2, description="Cards per row.")
    caption: str | None = Field(None, description="A line under the box.")
    source: str | None = Field(None, description="Source note under the box.")
    width: Literal["column", "page"] = Field("column", description="Set in one column or across the page.")
    placement: Literal["here", "top", "bottom"] = Field("here", description="Where in the column/page it floats.")
