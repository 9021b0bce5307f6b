"""The spec of a periodical issue's own parts: rules, the end matter (报尾 / 版记), the red head
(报头) settings of a bulletin.

Kept apart from `model.py` so that a bulletin's keys read as one section; the block classes
that carry these values (`rule`, `closing`, `article`) are declared in `model.py` with the
other body blocks, as every body block is.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

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
    def _some_text(self) -> ClosingPair:
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


class BulletinHead(Model):
    """The red head (报头) of a bulletin, drawn on page 1 when `page.masthead` is bulletin."""

    font: str = Field("song", description="Font family key (from fonts:) of the bulletin's name: a display face.")
    bold: bool = Field(True, description="Set the name in the family's bold face.")
    size: AbsLength = Field("42pt", description="Size of the name.")
    color: Color = Field("#c8161d", description="Colour of the name and the rule under the head.")
    spacing: AbsLength = Field("0pt", description="Extra space between the characters of the name (字距).")
    issue_size: AbsLength = Field("12pt", description="Size of the issue line (第12期 …).")
    issue_font: str = Field("song", description="Font family of the issue line, the office and the date.")
    info_size: AbsLength = Field("11pt", description="Size of the office and date line.")
    info_color: Color = Field("#1a1a1a", description="Colour of the issue line, office and date.")
    classification_size: AbsLength = Field("10.5pt", description="Size of the classification line above the name.")
    classification_font: str = Field("hei", description="Font family of the classification line.")
    rule: Literal["single", "double", "none"] = Field(
        "double", description="The red rule under the head: single, double (thick over thin) or none.")
    rule_thickness: AbsLength = Field("2.25pt", description="Thickness of the (first) rule.")
    rule_thin: AbsLength = Field("0.75pt", description="Thickness of the second line of a double rule.")
    rule_gap: AbsLength = Field("1.5pt", description="Space between the lines of a double rule.")
    issue_format: str = Field("第{number}期", description="The issue line when document.number is an integer; "
                              "{number} and {total} (总第N期, when document.total_number is given).")
    total_format: str = Field("（总第{total}期）", description="Appended to the issue line when "
                              "document.total_number is given.")


class Bulletin(Model):
    """Settings of a bulletin (简报): its red head."""

    head: BulletinHead = Field(default_factory=lambda: BulletinHead(), description="The red head (报头).")
