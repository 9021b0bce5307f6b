"""The spec of a periodical issue's own parts: rules, the end matter (报尾 / 版记), the red head
(报头) settings of a bulletin.

Kept apart from `model.py` so that a bulletin's keys read as one section; the block classes
that carry these values (`rule`, `closing`, `article`) are declared in `model.py` with the
other body blocks, as every body block is.
"""

import string
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from paiban.spec.base import Model
from paiban.spec.lengths import AbsLength
from paiban.spec.values import Color


class RuleSpec(Model):
    """A horizontal rule in the flow of a column, one body line high (it keeps the grid)."""

    thickness: AbsLength = Field("0.75pt", description="Line thickness (of each line of a double rule).")
    color: Color = Field("#1a1a1a", description="Line colour.")
    width: Annotated[int, Field(ge=1, le=100)] = Field(100, description="Length in percent of the column's measure.")
    align: Literal["left", "center", "right"] = Field("center", description="Where a rule shorter than the "
                                                                          "measure sits.")
    style: Literal["single", "double"] = Field("single", description="One line, or two lines with `gap` between.")
    gap: AbsLength = Field("1.5pt", description="Space between the two lines of a double rule.")


class ClosingPair(Model):
    """One line of the end matter with text at both edges (印发机关 left, 印发日期 right)."""

    left: str | None = Field(None, description="Text at the left margin, e.g. 盂县县委办公室.")
    right: str | None = Field(None, description="Text at the right margin, e.g. 2026年3月6日印发.")

    @model_validator(mode="after")
    def _some_text(self) -> "ClosingPair":
        if not (self.left or self.right):
            raise ValueError("expected left:, right: or both")
        return self


ClosingLine = str | ClosingPair


class ClosingRules(Model):
    """The rules of the end matter: above its first line, between its lines, below its last."""

    above: bool = Field(True, description="A rule above the first line.")
    between: bool = Field(False, description="A thin rule between every two lines (GB/T 9704's 版记).")
    below: bool = Field(True, description="A rule below the last line.")
    thickness: AbsLength = Field("0.75pt", description="Thickness of the rules above and below.")
    thin: AbsLength = Field("0.5pt", description="Thickness of the rules between lines.")
    color: Color = Field("#1a1a1a", description="Colour of the rules.")


class ClosingSpec(Model):
    """The end matter (报尾, 版记): labelled lines between rules, kept together at the foot of the
    page where it stands (the last page, when it ends the body)."""

    lines: list[ClosingLine] = Field(
        min_length=1, description="The lines in order: a text (报：…, 送：…, 抄送：…; its continuation lines "
        "hang after the first colon), or {left, right} for text at both edges.")
    copies: str | None = Field(None, description="A right-aligned line under the last rule, e.g. （共印120份）.")
    rules: ClosingRules = Field(default_factory=lambda: ClosingRules(), description="The rules: "
                                "{above, between, below, thickness, thin, color}.")
    style: str = Field("closing", description="Style of the lines.")
    placement: Literal["foot", "here"] = Field(
        "foot", description="foot: across the columns at the foot of the page (the last page, at the end of the "
        "body); here: in the column where it stands.")


class HeadText(Model):
    """One kind of text of the red head: its font family (a key of fonts:), weight, size, colour."""

    font: str = Field("song", description="Font family key from fonts:.")
    bold: bool = Field(False, description="Use the family's bold face.")
    size: AbsLength = Field("11pt", description="Font size.")
    color: Color = Field("#1a1a1a", description="Text colour.")
    spacing: AbsLength = Field("0pt", description="Extra space between characters (字距).")


class HeadRule(Model):
    """The red rule under the head."""

    style: Literal["single", "double", "none"] = Field(
        "double", description="single, double (thick over thin) or none.")
    thickness: AbsLength = Field("2.25pt", description="Thickness of the (upper) line.")
    thin: AbsLength = Field("0.75pt", description="Thickness of the lower line of a double rule.")
    gap: AbsLength = Field("1.5pt", description="Space between the two lines of a double rule.")
    color: Color = Field("#c8161d", description="Colour of the rule.")


class Bulletin(Model):
    """The red head (报头) of a bulletin (简报), drawn on page 1 when `page.masthead` is bulletin:
    the classification line, the name, the issue line, office and date, the red rule."""

    name: HeadText = Field(
        default_factory=lambda: HeadText(font="song", bold=True, size="40pt", color="#c8161d", spacing="2pt"),
        description="The bulletin's name (document.name): a display face, large and red.")
    issue: HeadText = Field(default_factory=lambda: HeadText(size="12pt"),
                            description="The issue line (第12期（总第45期）), centred under the name.")
    info: HeadText = Field(default_factory=lambda: HeadText(size="11pt"),
                           description="The office (left margin) and date (right margin) line.")
    classification: HeadText = Field(
        default_factory=lambda: HeadText(font="hei", size="10.5pt"),
        description="The line above the name (document.classification: 内部资料 注意保存, 秘密★1年 …).")
    rule: HeadRule = Field(default_factory=lambda: HeadRule(), description="The red rule under the head.")
    issue_format: str = Field("第{number}期", description="The issue line when document.number is an "
                              "integer ({number}); a string number is printed as written.")
    total_format: str = Field("（总第{total}期）", description="Added to the issue line when "
                              "document.total_number is given ({total}).")
    space_after: AbsLength = Field("6mm", description="Space between the red rule and the columns.")

    @field_validator("issue_format", "total_format")
    @classmethod
    def _placeholders(cls, v: str, info: ValidationInfo) -> str:
        allowed = "number" if info.field_name == "issue_format" else "total"
        try:
            names = [f for _, f, _, _ in string.Formatter().parse(v) if f is not None]
        except ValueError as exc:
            raise ValueError(f"bad template {v!r}: {exc}; write {{{{ and }}}} for literal braces") from None
        for name in names:
            if name != allowed:
                raise ValueError(f"unknown placeholder {{{name}}} in {v!r}; expected {{{allowed}}}")
        return v
