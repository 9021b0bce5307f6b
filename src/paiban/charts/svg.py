"""SVG → a ReportLab Drawing that shares the body's fonts, scaled to the frame width.

svglib's own font lookup would register a second copy of each TTF (or fall back to Helvetica, or
ask fontconfig for a system font). Instead the SVG's font-family — which draw.py sets to the
ReportLab name of the face — is mapped straight to that already registered font: one subset per
face in the PDF, charts and body together. Any family we did not write maps to the chart face,
never to a PDF base font.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.graphics.shapes import Drawing, Group, String

from paiban.fonts.face import Face


class FaceMap:
    """svglib's font-map protocol (`find_font`), answering only with the document's faces."""

    def __init__(self, faces: Sequence[Face], default: Face, bold: Face | None = None):
        self.default = default
        self.bold = bold or default
        self._names: dict[str, str] = {}
        for face in faces:
            self._names[face.rl_name.lower()] = face.rl_name
        self._families: dict[str, tuple[str, str]] = {}
        for face in reversed(list(faces)):
            self._families[face.family_name.lower()] = (face.rl_name, face.rl_name)
        self._families[default.family_name.lower()] = (default.rl_name, self.bold.rl_name)

    def find_font(self, font_name: str, weight: str = "normal", style: str = "normal") -> tuple[str, bool]:  # noqa: ARG002
        key = font_name.strip().strip("'\"").lower()
        if key in self._names:
            return self._names[key], True
        bold = str(weight).lower() in ("bold", "bolder", "600", "700", "800", "900")
        if key in self._families:
            regular, heavy = self._families[key]
            return (heavy if bold else regular), True
        return (self.bold if bold else self.default).rl_name, False


def svg_to_drawing(svg: bytes, faces: Sequence[Face], default: Face, bold: Face | None, width: float) -> Drawing:
    """Parse SVG bytes into a Drawing `width` points wide (aspect kept)."""
    import io

    from svglib.svglib import svg2rlg

    drawing = svg2rlg(io.BytesIO(svg), font_map=FaceMap(faces, default, bold))
    if drawing is None:
        raise ValueError("svglib could not parse the chart's SVG")
    # The renderer starts each drawing by selecting STATE_DEFAULTS' font (Helvetica), which would
    # put an unembedded base font into the PDF even though no text uses it.
    drawing.initialFontName = default.rl_name
    drawing.initialFontSize = 7.5
    scale = width / drawing.width if drawing.width else 1.0
    if abs(scale - 1.0) > 1e-6:
        drawing.scale(scale, scale)
        drawing.width *= scale
        drawing.height *= scale
    return drawing


def strings(drawing: Any) -> list[String]:
    """Every String of a drawing (for tests and checks)."""
    out: list[String] = []

    def walk(node: Any) -> None:
        for child in getattr(node, "contents", []):
            if isinstance(child, String):
                out.append(child)
            elif isinstance(child, Group):
                walk(child)

    walk(drawing)
    return out
