"""The chart theme resolved against the document's fonts: faces, sizes in points, colours.

Charts are set in the page's own faces (the same TTF files the body embeds), so a chart looks
like part of the page and its text costs no second font subset in the PDF. Widths are measured
with the faces' ReportLab metrics — the same numbers ReportLab uses when it places the text.
"""

from __future__ import annotations

from dataclasses import dataclass

from paiban.cjk.face import face_for_text
from paiban.cjk.runs import HAN_LATIN_GAP, han_latin_runs
from paiban.errors import InputError
from paiban.fonts.book import FontBook
from paiban.fonts.face import Face
from paiban.spec.charts import ChartTheme


@dataclass(frozen=True)
class ChartStyle:
    """Everything a drawing function needs, with no spec types and no lengths left to parse."""

    regular: Face
    bold: Face
    fallbacks: tuple[Face, ...]  # for labels the chart face cannot draw
    size: float
    label_size: float
    note_size: float
    bold_labels: bool
    palette: tuple[str, ...]
    highlight: str
    muted: str
    grid: str
    axis: str
    text: str
    approx_hatch: float  # spacing of the hatching in points; 0: none
    background: str | None  # the panel colour; None: no panel
    padding: float  # inside the panel
    approx_note: str
    thousands: int

    @property
    def faces(self) -> tuple[Face, ...]:
        """Every face a chart may use, main faces first (for font registration and the cache key)."""
        out: list[Face] = []
        for f in (self.regular, self.bold, *self.fallbacks):
            if f not in out:
                out.append(f)
        return tuple(out)

    def face_for(self, text: str, bold: bool = False) -> Face:
        """The chart face if it has every character of `text`, else the first fallback that does."""
        main = self.bold if bold else self.regular
        face = face_for_text(text, (main, *self.fallbacks))
        if face is None:
            missing = sorted({ch for ch in text if not ch.isspace() and not main.has(ch)})
            raise InputError(f"no chart font has {', '.join(repr(c) for c in missing)} in label {text!r}")
        return face

    def width(self, text: str, size: float, bold: bool = False) -> float:
        """Advance width of `text` in points, in the face it will be drawn with, including the
        quarter-em gaps left between Han and Latin runs (see `ChartPainter.text`)."""
        face = self.face_for(text, bold)
        gaps = len(han_latin_runs(text)) - 1
        return (sum(face.advance(ch) for ch in text) + gaps * HAN_LATIN_GAP) * size


def resolve_style(theme: ChartTheme, fonts: FontBook) -> ChartStyle:
    """Faces from the FontBook (loaded and registered with ReportLab), sizes in points."""
    regular = fonts.face(theme.font, "regular")
    bold = fonts.face(theme.font, "bold") if fonts.has_weight(theme.font, "bold") else regular
    fallbacks = tuple(fonts.face(f, "regular") for f in theme.fallback
                      if f in fonts.families and f != theme.font)
    size = theme.size.pt()
    return ChartStyle(
        regular=regular, bold=bold, fallbacks=fallbacks, size=size,
        label_size=theme.label_size.pt() if theme.label_size else size,
        note_size=theme.note_size.pt() if theme.note_size else max(size - 1.0, 5.0),
        bold_labels=theme.bold_labels, palette=tuple(theme.palette), highlight=theme.highlight,
        muted=theme.muted, grid=theme.grid, axis=theme.axis, text=theme.text,
        approx_hatch=theme.approx_hatch.pt(), background=theme.background,
        padding=theme.panel_padding.pt() if theme.background else 0.0, approx_note=theme.approx_note, thousands=theme.thousands,
    )
