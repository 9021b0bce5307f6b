"""The model of a text style in report.yaml (`styles.<name>`): what an editor may set of a style.

Apart from `model.py` so the spec model stays readable; resolved against the built-in defaults
in `spec.styles`.
"""

from typing import Annotated, Literal

from pydantic import Field

from paiban.spec.base import Model
from paiban.spec.lengths import LengthValue
from paiban.spec.values import Color

__all__ = ["Punctuation", "Style"]


class Punctuation(Model):
    """Where punctuation sits at the edges of a line (clreq 行尾点号, 行首点号)."""

    line_end: Literal["half", "full", "hang"] | None = Field(
        None, description="A mark ending a line: half (its blank half past the edge, the ink flush), full (the "
        "whole mark inside), or hang (、，。 wholly past the edge).")
    line_start: Literal["half", "full"] | None = Field(
        None, description="An opening bracket or quote starting a line: full width, or half (its blank "
        "outside the measure, so the line does not look indented).")


class Style(Model):
    """A text style. Every key is optional: what is not given comes from the built-in default
    of the style with the same name (or of `body` for a new style)."""

    font: str | None = Field(None, description="Font family key from fonts:.")
    bold: bool | None = Field(None, description="Use the family's bold face.")
    size: LengthValue | None = Field(None, description="Font size, e.g. 9.5pt.")
    leading: Annotated[float, Field(gt=0.5, le=5)] | LengthValue | None = Field(
        None, description="Line pitch: a multiple of the size (1.7) or a length (16pt).")
    indent: LengthValue | None = Field(None, description="First-line indent, e.g. 2em.")
    align: Literal["justify", "left", "center", "right"] | None = Field(
        None, description="justify (both edges; the last line left), left, center or right.")
    color: Color | None = Field(None, description="Text colour.")
    space_before: LengthValue | None = Field(None, description="Space above each paragraph (rounded to whole lines).")
    space_after: LengthValue | None = Field(None, description="Space below each paragraph (rounded to whole lines).")
    fallback: list[str] | None = Field(None, description="Families tried for characters the font lacks.")
    emphasis: Literal["dots", "bold", "color"] | None = Field(
        None, description="How *emphasis* is shown: 着重号 dots, bold, or colour.")
    accent: Color | None = Field(None, description="Accent colour (kicker bands, rules, emphasis colour).")
    punctuation: Punctuation | None = Field(None, description=(
        "Punctuation at the line edges: {line_end: half | full | hang} where a mark ending a line sits (half: "
        "its blank half past the edge, by default), {line_start: full | half} an opening mark starting a line "
        "(half by default in title, subtitle, kicker, headline, subhead)."))
