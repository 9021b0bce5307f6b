"""What the text engine needs to know about a font face, and which face of a fallback chain
draws a character.

`paiban.fonts.face.Face` satisfies this protocol; the engine depends only on these members so it
can be tested and reasoned about without the font registry.

Fallback is one rule wherever text is set (paragraphs, single lines, headlines, chart labels,
the coverage check): a character is drawn in the first face of the chain that has it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar, runtime_checkable


@runtime_checkable
class FaceLike(Protocol):
    """A font face as the line breaker and the PDF drawer see it. Lengths are in em."""

    rl_name: str  # the name the face is registered under with ReportLab's pdfmetrics

    def has(self, ch: str) -> bool:
        """Whether the face has a glyph for `ch`."""
        ...

    def advance(self, ch: str) -> float:
        """Advance width of `ch` in em."""
        ...

    def ink(self, ch: str) -> tuple[float, float] | None:
        """x-min and x-max of the glyph outline in em; None for a glyph without ink."""
        ...

    @property
    def ascent(self) -> float: ...

    @property
    def descent(self) -> float: ...


F = TypeVar("F", bound=FaceLike)


def face_for(ch: str, chain: Iterable[F]) -> F | None:
    """The first face of a fallback chain that has `ch`; None when no face has it (a placeholder
    box is drawn, or the coverage check reports it)."""
    for face in chain:
        if face.has(ch):
            return face
    return None


def face_for_text(text: str, chain: Iterable[F]) -> F | None:
    """The first face of a fallback chain that has every character of `text` but white space, for
    text drawn in one face (a chart label); None when no face has them all."""
    chars = [ch for ch in text if not ch.isspace()]
    for face in chain:
        if all(face.has(ch) for ch in chars):
            return face
    return None
