"""The box drawn for a character no face has (`fonts.missing: warn`), so the gap is visible on
the page and says which character it stands for, rather than a silent blank."""

from __future__ import annotations

from typing import TYPE_CHECKING

from paiban.cjk.face import FaceLike
from paiban.cjk.items import PLACEHOLDER_ADVANCE  # the width the text engine leaves for the box

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

PLACEHOLDER_COLOR = "#d0021b"


def draw_placeholder(canvas: Canvas, ch: str, x: float, baseline: float, size: float, face: FaceLike,
                     color: str = PLACEHOLDER_COLOR) -> float:
    """Draw the visible stand-in for `ch` (a character no face has): a box with its code point.

    For the text engine under `fonts.missing: warn`; the box is `PLACEHOLDER_ADVANCE` em wide
    and sits on the baseline like a Han character. Returns the advance in points.
    """
    from reportlab.lib.colors import HexColor

    advance = size * PLACEHOLDER_ADVANCE
    pad = size * 0.08
    top = baseline + size * face.ascent * 0.92 if face.ascent > 0 else baseline + size * 0.8
    bottom = baseline + size * min(face.descent, 0.0) * 0.8
    canvas.saveState()
    # the digits are a picture of the code point, not text: an empty ActualText keeps them out of
    # copy-paste (the paragraph's text object carries the character itself where the box stands)
    canvas.addLiteral("/Span <</ActualText ()>> BDC")
    canvas.setStrokeColor(HexColor(color))
    canvas.setFillColor(HexColor(color))
    canvas.setLineWidth(max(size / 24, 0.3))
    canvas.rect(x + pad, bottom, advance - 2 * pad, top - bottom, stroke=1, fill=0)
    code = f"{ord(ch):04X}"
    rows = [code[: len(code) // 2], code[len(code) // 2:]]
    if all(face.has(c) for c in code):
        fs = min((top - bottom) / 2.6, (advance - 3 * pad) / max(1e-6, max(
            sum(face.advance(c) for c in r) for r in rows)))
        canvas.setFont(face.rl_name, fs)
        mid = x + advance / 2
        centre = (top + bottom) / 2
        canvas.drawCentredString(mid, centre + fs * 0.15, rows[0])
        canvas.drawCentredString(mid, centre - fs * 0.85, rows[1])
    canvas.addLiteral("EMC")
    canvas.restoreState()
    return advance
