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

from paiban.cjk.face import FaceLike, face_for


@dataclass(frozen=True)
class TextLine:
    runs: tuple[tuple[FaceLike, str], ...]  # consecutive characters set in one face
    size: float

    @classmethod
    def of(cls, text: str, faces: Sequence[FaceLike], size: float) -> TextLine:
        """`text` in the first of `faces` that has each character (the first face if none has)."""
        def face_of(ch: str) -> FaceLike:
            face = face_for(ch, faces)
            return faces[0] if face is None else face

        runs = tuple((face, "".join(ch for _, ch in group))
                     for face, group in groupby(((face_of(ch), ch) for ch in text), key=lambda fc: fc[0]))
        return cls(runs, size)

    def _run_width(self, face: FaceLike, run: str) -> float:
        return sum(map(face.advance, run)) * self.size

    @property
    def width(self) -> float:
        return sum(self._run_width(face, run) for face, run in self.runs)

    def draw(self, canvas: Canvas, x: float, y: float, align: str = "left") -> None:
        """Draw with its baseline at `y`; `x` is the left end, the centre or the right end of the
        line as `align` is 'left', 'center' or 'right'."""
        if align == "center":
            x -= self.width / 2
        elif align == "right":
            x -= self.width
        for face, run in self.runs:
            canvas.setFont(face.rl_name, self.size)
            canvas.drawString(x, y, run)
            x += self._run_width(face, run)
