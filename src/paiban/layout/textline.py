"""One line of text drawn straight on the canvas, each character in the first face that has it.

Running heads and feet, kicker bands and contents rows are single lines that need no line
breaking, so they are not set as paragraphs; but they are editors' text all the same, and a
character their style's face lacks must come from the next face of the style's fallback (as the
coverage check promised), never be drawn as an empty box.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from reportlab.pdfgen.canvas import Canvas

from paiban.cjk.chars import is_han
from paiban.cjk.face import FaceLike, face_for


def han_latin_gaps(text: str, size: float, spacing: float = 0.0) -> tuple[float, ...]:
    """Space after each character: `spacing` (字距) between characters, plus a quarter em between
    a Han character and a Latin letter or digit (第 3 期), as the body's paragraphs set them."""
    out = []
    for a, b in zip(text, text[1:], strict=False):
        latin_a, latin_b = a.isascii() and a.isalnum(), b.isascii() and b.isalnum()
        out.append(spacing + (0.25 * size if (latin_a and is_han(b)) or (is_han(a) and latin_b) else 0.0))
    return (*out, 0.0) if text else ()


@dataclass(frozen=True)
class TextLine:
    runs: tuple[tuple[FaceLike, str], ...]  # consecutive characters set in one face
    size: float
    gaps: tuple[float, ...] = ()  # space after each character (`spaced`); none: set solid

    @classmethod
    def of(cls, text: str, faces: Sequence[FaceLike], size: float, *, spaced: bool = False) -> TextLine:
        """`text` in the first of `faces` that has each character (the first face if none has);
        `spaced`: with a quarter em between Han and Latin (`han_latin_gaps`)."""
        def face_of(ch: str) -> FaceLike:
            face = face_for(ch, faces)
            return faces[0] if face is None else face

        runs = tuple((face, "".join(ch for _, ch in group))
                     for face, group in groupby(((face_of(ch), ch) for ch in text), key=lambda fc: fc[0]))
        gaps = han_latin_gaps(text, size) if spaced else ()
        return cls(runs, size, gaps if any(gaps) else ())

    def _run_width(self, face: FaceLike, run: str) -> float:
        return sum(map(face.advance, run)) * self.size

    @property
    def width(self) -> float:
        return sum(self._run_width(face, run) for face, run in self.runs) + sum(self.gaps)

    def draw(self, canvas: Canvas, x: float, y: float, align: str = "left") -> None:
        """Draw with its baseline at `y`; `x` is the left end, the centre or the right end of the
        line as `align` is 'left', 'center' or 'right'."""
        if align == "center":
            x -= self.width / 2
        elif align == "right":
            x -= self.width
        gaps = iter(self.gaps)
        for face, run in self.runs:
            canvas.setFont(face.rl_name, self.size)
            if not self.gaps:
                canvas.drawString(x, y, run)
                x += self._run_width(face, run)
                continue
            for ch in run:  # spaced: each character at its place
                canvas.drawString(x, y, ch)
                x += face.advance(ch) * self.size + next(gaps)
