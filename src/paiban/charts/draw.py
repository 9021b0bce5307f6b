"""Drawing a chart: from its kind to its plan, then with matplotlib into SVG whose text stays text.

The one place that knows every chart kind: `KINDS` maps a figure's kind to the function that
plans it (bars, lines, pies, tabular); each kind draws with the primitives of `painter`, and the
notes under the chart come from `notes`. matplotlib itself is imported only in `render_svg` and
the Painter, when a chart must really be drawn.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from paiban.charts.bars import layout_bar, layout_hbar
from paiban.charts.figdata import ChartData
from paiban.charts.lines import layout_line
from paiban.charts.notes import draw_notes, note_height
from paiban.charts.painter import Layout, Painter
from paiban.charts.pies import layout_pie
from paiban.charts.style import ChartStyle
from paiban.charts.tabular import layout_table
from paiban.spec.charts import FigureBlock

#: Chart kind (FigureBlock.chart) → the function that plans a chart of that kind.
KINDS: dict[str, Callable[[ChartData, FigureBlock, ChartStyle, float], Layout]] = {
    "bar": layout_bar, "grouped": layout_bar, "stacked": layout_bar, "hbar": layout_hbar,
    "line": layout_line, "pie": layout_pie, "donut": layout_pie, "table": layout_table,
}


def chart_layout(data: ChartData, fig: FigureBlock, style: ChartStyle, width: float) -> Layout:
    """The plan of the chart's kind (`data.kind`) for the inside of the panel, `width` wide."""
    return KINDS[data.kind](data, fig, style, width)


def chart_size(data: ChartData, fig: FigureBlock, style: ChartStyle, width: float,
               pitch: float | None = None) -> tuple[Layout, list[str], float, float]:
    """(layout, notes, note height, total height): the drawing's height before anything is drawn.
    `width` and the height include the panel's padding; the layout gets the inside."""
    pad = style.padding
    inner = width - 2 * pad
    lay = chart_layout(data, fig, style, inner)
    notes = ([fig.note] if fig.note else []) + lay.notes
    approx = lay.approx_key if data.any_approx else None
    nh = note_height(style, notes, approx, inner)
    if fig.height is not None:
        height = fig.height.pt()
    elif fig.aspect is not None:
        height = width * fig.aspect
    else:
        height = lay.height + nh + 2 * pad
    if pitch:
        height = math.ceil(height / pitch - 1e-6) * pitch
    return lay, notes, nh, max(height, nh + style.size * 4)


def render_svg(data: ChartData, fig: FigureBlock, style: ChartStyle, width: float,
               pitch: float | None = None) -> bytes:
    """The chart as SVG bytes, `width` points wide, text as text in the style's faces."""
    import_matplotlib()
    import matplotlib

    setup_matplotlib(style)
    lay, notes, nh, height = chart_size(data, fig, style, width, pitch)
    pad = style.padding
    with matplotlib.rc_context(rc_params(style)):
        p = Painter(style, width, height)
        if style.background:
            p.rect(0.0, 0.0, width, height, style.background)
        lay.draw(p, (pad, pad + nh, width - pad, height - pad))
        if nh:
            draw_notes(p, notes, lay.approx_key if data.any_approx else None, pad, pad + nh, width - 2 * pad)
        return p.svg()


_added: set[str] = set()

#: the matplotlib modules a chart is drawn with (paiban.charts.painter imports from them)
MATPLOTLIB_MODULES = ("matplotlib.figure", "matplotlib.backends.backend_svg", "matplotlib.transforms",
                      "matplotlib.patches", "matplotlib.collections", "matplotlib.lines",
                      "matplotlib.font_manager")


def import_matplotlib() -> None:
    """Import the matplotlib a chart needs, without the docstrings it writes for its artists.

    Each Artist subclass matplotlib defines (about a hundred, at import) gets a `set()` whose
    docstring lists every property, built by introspecting the class and parsing its setters'
    docstrings (`matplotlib.artist.kwdoc`): a third of importing matplotlib, on every build that
    draws a chart, for help text nothing reads. While these modules are first imported that
    listing is left empty; signatures and behaviour are untouched, and `kwdoc` is matplotlib's
    own again afterwards.
    """
    import importlib
    import sys

    if all(name in sys.modules for name in MATPLOTLIB_MODULES):
        return
    import matplotlib.artist as artist

    kwdoc = artist.kwdoc
    artist.kwdoc = _no_kwdoc
    try:
        for name in MATPLOTLIB_MODULES:
            importlib.import_module(name)
    finally:
        artist.kwdoc = kwdoc


def _no_kwdoc(artist: object) -> str:
    return ""


def setup_matplotlib(style: ChartStyle) -> None:
    """Register the document's own TTFs with matplotlib by path (once per process)."""
    from matplotlib import font_manager

    for face in style.faces:
        key = str(face.path)
        if key not in _added:
            font_manager.fontManager.addfont(key)
            _added.add(key)


def rc_params(style: ChartStyle) -> dict[str, Any]:
    families = []
    for face in style.faces:
        if face.family_name not in families:
            families.append(face.family_name)
    return {
        "svg.fonttype": "none",  # text stays text: searchable, and set in the body's embedded subset
        "svg.hashsalt": "paiban",  # stable ids, so the same chart gives the same SVG bytes
        "font.family": families,
        "font.size": style.size,
        "axes.unicode_minus": style.regular.has("\u2212"),
        "text.color": style.text,
        "path.simplify": False,
    }
