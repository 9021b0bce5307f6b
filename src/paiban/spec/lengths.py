"""Lengths as editors write them: "5mm", "12pt", "1.5cm", "0.5in", "2em", or a bare number of points.

`em` is kept symbolic because its size is only known where the length is used (a 2em indent
means different things in a 9.5pt body and a 12pt lead).
"""

import math
import re
from dataclasses import dataclass
from typing import Annotated, Any

PT_PER = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "px": 0.75, "pc": 12.0}
UNITS = (*PT_PER, "em")
_LENGTH = re.compile(r"^\s*(-?(?:\d+(?:\.\d*)?|\.\d+))\s*(pt|mm|cm|in|px|pc|em)?\s*$")
PATTERN = r"^\s*-?(\d+(\.\d*)?|\.\d+)\s*(pt|mm|cm|in|px|pc|em)?\s*$"


@dataclass(frozen=True)
class Length:
    value: float
    unit: str = "pt"

    def pt(self, em: float | None = None) -> float:
        """This length in points; `em` is the font size an em-length is relative to."""
        if self.unit == "em":
            if em is None:
                raise ValueError("an em length needs a font size")
            return self.value * em
        return self.value * PT_PER[self.unit]

    def __str__(self) -> str:
        v = f"{self.value:g}"
        if "e" in v:  # 1e-154 must read back as a length: lengths are written without exponents
            v = f"{self.value:.6f}".rstrip("0").rstrip(".")
        return f"{v}{self.unit}"


def parse_length(raw: Any) -> Length:
    if isinstance(raw, Length):
        return raw
    if isinstance(raw, bool):
        raise ValueError(f"expected a length such as 5mm, 12pt or 2em, got {raw!r}")
    if isinstance(raw, int | float):
        value = float(raw) if not isinstance(raw, int) or abs(raw) < 10**300 else math.inf
        if math.isfinite(value):  # .nan would pass every bound check
            return Length(value, "pt")
    if isinstance(raw, str):
        m = _LENGTH.match(raw)
        if m:
            return Length(float(m.group(1)), m.group(2) or "pt")
    raise ValueError(f"expected a length such as 5mm, 12pt or 2em, got {raw!r}")


def _check(raw: Any, *, allow_em: bool, min_pt: float | None) -> Length:
    length = parse_length(raw)
    if length.unit == "em" and not allow_em:
        raise ValueError(f"expected an absolute length (mm, cm, in, pt), got {raw!r}")
    if min_pt is not None and length.unit != "em" and length.pt() < min_pt:
        raise ValueError(f"expected a length of at least {min_pt:g}pt, got {raw!r}")
    if min_pt is not None and length.unit == "em" and length.value < 0:
        raise ValueError(f"expected a length that is not negative, got {raw!r}")
    if abs(length.value) > 1e5:
        raise ValueError(f"expected a length under 100000, got {raw!r}")
    return length


@dataclass(frozen=True)
class _LengthField:
    """How pydantic validates, serializes and documents a length field.

    One annotation instead of BeforeValidator + PlainSerializer + WithJsonSchema on `Length`:
    pydantic then never builds a dataclass schema for `Length` itself, which a before-validator
    would wrap (and which every model with a length field built again, at import)."""

    allow_em: bool
    min_pt: float | None
    description: str

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_before_validator_function(
            self.validate, core_schema.is_instance_schema(Length, ref="paiban.spec.lengths.Length"),
            serialization=core_schema.plain_serializer_function_ser_schema(str, return_schema=core_schema.str_schema()))

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> dict[str, Any]:
        return {"type": ["string", "number"], "pattern": PATTERN, "description": self.description}

    def validate(self, raw: Any) -> Length:
        return _check(raw, allow_em=self.allow_em, min_pt=self.min_pt)


# A length that may be relative to the font size (indents, spacing).
LengthValue = Annotated[Length, _LengthField(allow_em=True, min_pt=0.0,
                                             description="a length: 5mm, 12pt, 1.5cm, 0.5in, 2em")]
# A length fixed on paper (page sizes, margins, gutters).
AbsLength = Annotated[Length, _LengthField(allow_em=False, min_pt=0.0,
                                           description="a length on paper: 5mm, 12pt, 1.5cm, 0.5in")]
