"""The painter primitives every chart kind draws with: a box, a kind's plan, and the Painter.

Charts are drawn on a bare `matplotlib.figure.Figure` with the SVG canvas, in point coordinates
(no pyplot, no Agg rendering, no axes machinery): every label is placed from widths measured with
the faces' own metrics, so label collisions are avoided by arithmetic rather than by hoping a
layout engine guesses right. Each text carries the ReportLab name of its face as its SVG
font-family, so SVG→PDF maps it back exactly (and never to Helvetica); the font's real family name
follows as a fallback for SVG viewers.

matplotlib is imported inside the methods, only when a chart must really be drawn: importing it
costs about half a second, and a build whose charts are all cached must not pay that.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from paiban.charts.geometry import Point, blend, hatch_segments, rect_polygon, wedge_polygon
from paiban.charts.style import ChartStyle
from paiban.cjk.runs import HAN_LATIN_GAP, han_latin_runs
from paiban.fonts.face import Face

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in points from the bottom-left


@dataclass
class Layout:
    """A kind's plan for one chart: the height it would like and how to draw into a box."""

    height: float
    draw: Callable[[Painter, Box], None]
    notes: list[str] = field(default_factory=list)
    # how approximate values look, for the key under the chart: hatched shapes, hollow points, or
    # None when the kind marks them in its own text only (tables)
    approx_key: str | None = "hatch"


class Painter:
    """A matplotlib Figure addressed in points, with the few primitives charts are made of."""

    def __init__(self, style: ChartStyle, width: float, height: float):
        from matplotlib.backends.backend_svg import FigureCanvasSVG
        from matplotlib.figure import Figure
        from matplotlib.transforms import Affine2D

        self.style = style
        self.width = width
        self.height = height
        self.fig = Figure(figsize=(width / 72.0, height / 72.0), dpi=72)
        self.fig.patch.set_visible(False)
        FigureCanvasSVG(self.fig)
        self.tr = Affine2D().scale(1 / 72.0) + self.fig.dpi_scale_trans
        self._props: dict[tuple[str, float, bool], Any] = {}

    # text -----------------------------------------------------------------
    def _fp(self, face: Face, size: float, bold: bool) -> Any:
        from matplotlib.font_manager import FontProperties

        key = (face.rl_name, size, bold)
        fp = self._props.get(key)
        if fp is None:
            # fname pins the exact file (never a system font found by name); the family list is
            # what the SVG says: the ReportLab name first (mapped back by svg.py), the real name after.
            fp = FontProperties(family=[face.rl_name, face.family_name], size=size,
                                weight="bold" if bold and face is not self.style.regular else "normal",
                                fname=str(face.path))
            self._props[key] = fp
        return fp

    def text(self, x: float, y: float, s: str, *, size: float | None = None, bold: bool = False,
             color: str | None = None, ha: str = "left", rotation: float = 0.0) -> None:
        """`s` with its baseline at y; ha = left | center | right."""
        if not s:
            return
        size = size or self.style.size
        face = self.style.face_for(s, bold)
        runs = han_latin_runs(s) if not rotation else [s]
        if len(runs) > 1:
            # a quarter em between Han and Latin runs, as in the body text (clreq §3.2.2)
            total = self.style.width(s, size, bold)
            x -= total / 2 if ha == "center" else total if ha == "right" else 0.0
            for run in runs:
                self.text(x, y, run, size=size, bold=bold, color=color, ha="left")
                x += (sum(face.advance(ch) for ch in run) + HAN_LATIN_GAP) * size
            return
        self.fig.text(x / self.width, y / self.height, s, fontproperties=self._fp(face, size, bold),
                      color=color or self.style.text, ha=ha, va="baseline", rotation=rotation,
                      rotation_mode="anchor")

    def text_mid(self, x: float, yc: float, s: str, *, size: float | None = None, bold: bool = False,
                 color: str | None = None, ha: str = "left") -> None:
        """`s` centred vertically on yc (on the middle of the CJK em box, not of its ink)."""
        size = size or self.style.size
        self.text(x, yc - self.mid(s, size, bold), s, size=size, bold=bold, color=color, ha=ha)

    def mid(self, s: str, size: float, bold: bool = False) -> float:
        face = self.style.face_for(s or "中", bold)
        return (face.ascent + face.descent) / 2 * size

    def lines(self, x: float, y_top: float, lines: Sequence[str], *, size: float | None = None,
              bold: bool = False, color: str | None = None, ha: str = "left", leading: float = 1.25) -> float:
        """Lines set downwards from y_top (the top of the first line's em box); returns the bottom."""
        size = size or self.style.size
        face = self.style.face_for("".join(lines) or "中", bold)
        y = y_top - face.ascent * size
        for ln in lines:
            self.text(x, y, ln, size=size, bold=bold, color=color, ha=ha)
            y -= size * leading
        return y_top - size * leading * len(lines)

    # shapes ---------------------------------------------------------------
    def polygon(self, pts: Sequence[Point], color: str, *, approx: bool = False, edge: str | None = None,
                lw: float = 0.0) -> None:
        from matplotlib.patches import Polygon

        fill = blend(color, 0.62) if approx else color
        self.fig.add_artist(Polygon(list(pts), closed=True, transform=self.tr, facecolor=fill,
                                    edgecolor=edge or "none", linewidth=lw, joinstyle="miter"))
        if approx:
            self.hatch(pts, color)
            self.polyline([p[0] for p in (*pts, pts[0])], [p[1] for p in (*pts, pts[0])], color, 0.5)

    def rect(self, x: float, y: float, w: float, h: float, color: str, *, approx: bool = False) -> None:
        if w < 0:
            x, w = x + w, -w
        if h < 0:
            y, h = y + h, -h
        self.polygon(rect_polygon(x, y, w, h), color, approx=approx)

    def hatch(self, pts: Sequence[Point], color: str) -> None:
        spacing = self.style.approx_hatch
        if spacing > 0:
            self.segments(hatch_segments(pts, spacing), color, 0.45)

    def segments(self, segs: Sequence[tuple[Point, Point]], color: str, lw: float) -> None:
        from matplotlib.collections import LineCollection

        if segs:
            self.fig.add_artist(LineCollection([list(s) for s in segs], colors=color, linewidths=lw,
                                               transform=self.tr, capstyle="butt"))

    def polyline(self, xs: Sequence[float], ys: Sequence[float], color: str, lw: float, *,
                 dash: Sequence[float] | None = None) -> None:
        from matplotlib.lines import Line2D

        line = Line2D(list(xs), list(ys), color=color, linewidth=lw, transform=self.tr,
                      solid_capstyle="butt", solid_joinstyle="round")
        if dash:
            line.set_dashes(list(dash))
        self.fig.add_artist(line)

    def circle(self, x: float, y: float, r: float, fill: str, *, edge: str | None = None, lw: float = 0.0) -> None:
        from matplotlib.patches import Circle

        self.fig.add_artist(Circle((x, y), r, transform=self.tr, facecolor=fill, edgecolor=edge or "none",
                                   linewidth=lw))

    def wedge(self, cx: float, cy: float, r: float, t1: float, t2: float, color: str, *, inner: float = 0.0,
              approx: bool = False, edge: str = "#ffffff", lw: float = 0.8) -> None:
        from matplotlib.patches import Wedge

        fill = blend(color, 0.62) if approx else color
        self.fig.add_artist(Wedge((cx, cy), r, t1, t2, width=(r - inner) if inner > 0 else None,
                                  transform=self.tr, facecolor=fill, edgecolor=edge, linewidth=lw))
        if approx:
            poly = wedge_polygon(cx, cy, r - lw / 2, t1, t2, inner + lw / 2 if inner else 0.0)
            self.hatch(poly, color)

    def svg(self) -> bytes:
        buf = io.BytesIO()
        self.fig.savefig(buf, format="svg", metadata={"Date": None})
        return buf.getvalue()
