"""paiban's Chinese text engine: clreq line breaking, justification, punctuation compression,
Han–Latin spacing and inline markup — independent of ReportLab (the flowable that draws it
lives in `paiban.layout.paragraph`).

Typical use::

    runs = parse_markup("**要点**正文……")
    prep = prepare(runs, faces)
    lines = break_lines(prep, measure_em, indent=2.0)
    placed = [place_line(prep, line, measure_em) for line in lines]
"""

from paiban.cjk.face import FaceLike
from paiban.cjk.items import Prepared, Spacing, prepare
from paiban.cjk.justify import Placed, place_line
from paiban.cjk.linebreak import CJKLayoutWarning, Line, break_lines
from paiban.cjk.markup import MarkupError, Run, parse_markup, plain_text
from paiban.cjk.normalize import join_lines, split_paragraphs

__all__ = [
    "CJKLayoutWarning",
    "FaceLike",
    "Line",
    "MarkupError",
    "Placed",
    "Prepared",
    "Run",
    "Spacing",
    "break_lines",
    "join_lines",
    "parse_markup",
    "place_line",
    "plain_text",
    "prepare",
    "split_paragraphs",
]
