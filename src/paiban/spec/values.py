"""Small value types of the spec: colours, page sizes, aspect ratios.

Each parses what an editor would naturally type and fails with a message that says what was
expected, because that message is shown verbatim at the offending line of report.yaml.
"""

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

from paiban.spec.lengths import PT_PER, parse_length

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def _color(raw: Any) -> str:
    if isinstance(raw, str):
        s = raw.strip()
        if _HEX.match(s):
            if len(s) == 4:
                s = "#" + "".join(c * 2 for c in s[1:])
            return s.lower()
        from reportlab.lib import colors

        named = colors.getAllNamedColors()
        if s.lower() in named:
            return "#" + named[s.lower()].hexval()[2:].lower()
    raise ValueError(f"expected a colour such as '#b3120f' or 'black', got {raw!r}")


Color = Annotated[str, BeforeValidator(_color),
                  WithJsonSchema({"type": "string", "description": "a colour: '#b3120f', '#333' or a name"})]

PAPER_MM = {
    "A3": (297.0, 420.0), "A4": (210.0, 297.0), "A5": (148.0, 210.0), "A6": (105.0, 148.0),
    "B4": (250.0, 353.0), "B5": (176.0, 250.0), "LETTER": (215.9, 279.4), "LEGAL": (215.9, 355.6),
    "TABLOID": (279.4, 431.8),
}
_CUSTOM = re.compile(r"^\s*([^xX×*]+?)\s*[xX×*]\s*([^xX×*]+?)\s*$")


def page_size_pt(raw: Any) -> tuple[float, float]:
    """(width, height) in points, portrait, of a named paper or "210mm x 297mm"."""
    if isinstance(raw, str):
        key = raw.strip().upper()
        if key in PAPER_MM:
            w, h = PAPER_MM[key]
            return w * PT_PER["mm"], h * PT_PER["mm"]
        m = _CUSTOM.match(raw)
        if m:
            try:
                w, h = parse_length(m.group(1)), parse_length(m.group(2))
            except ValueError:
                pass
            else:
                if w.unit != "em" and h.unit != "em" and 72 <= w.pt() <= 14400 and 72 <= h.pt() <= 14400:
                    return w.pt(), h.pt()
                raise ValueError(f"expected each side between 1in and 200in, got {raw!r}")
    raise ValueError("expected a paper size (A3, A4, A5, B5, Letter) or 'WIDTH x HEIGHT' "
                     f"such as '210mm x 297mm', got {raw!r}")


def _page_size(raw: Any) -> str:
    page_size_pt(raw)
    return raw.strip()


PageSize = Annotated[str, BeforeValidator(_page_size),
                     WithJsonSchema({"type": "string",
                                     "description": "A3, A4, A5, B5, Letter, or '210mm x 297mm'"})]

_RATIO = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[:/]\s*(\d+(?:\.\d+)?)\s*$")


def _aspect(raw: Any) -> float:
    """Width over height, from "4:3", "16/9" or a number."""
    if isinstance(raw, bool):
        raise ValueError(f"expected an aspect ratio such as '4:3' or 1.5, got {raw!r}")
    if isinstance(raw, int | float):
        value = float(raw)
    elif isinstance(raw, str) and _RATIO.match(raw):
        a, b = _RATIO.match(raw).groups()  # type: ignore[union-attr]
        value = float(a) / float(b) if float(b) else 0.0
    else:
        raise ValueError(f"expected an aspect ratio such as '4:3' or 1.5, got {raw!r}")
    if not 0.05 <= value <= 20:
        raise ValueError(f"expected an aspect ratio between 1:20 and 20:1, got {raw!r}")
    return value


Aspect = Annotated[float, BeforeValidator(_aspect),
                   WithJsonSchema({"type": ["string", "number"], "description": "width:height, e.g. '4:3'"})]
