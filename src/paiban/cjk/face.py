"""What the text engine needs to know about a font face.

`paiban.fonts.Face` satisfies this protocol; the engine depends only on these members so it can
be tested and reasoned about without the font registry.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


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
