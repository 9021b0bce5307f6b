"""Plane geometry the drawings need and SVG→PDF cannot do for us.

matplotlib writes hatching as an SVG <pattern>, which svglib drops (the bar would print empty),
so approximate values are hatched with real line segments clipped to the shape here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

Point = tuple[float, float]


def hatch_segments(polygon: Sequence[Point], spacing: float, angle: float = 45.0) -> list[tuple[Point, Point]]:
    """Parallel lines `spacing` apart at `angle` degrees, clipped to a simple polygon (even–odd rule).

    Works for any simple polygon, convex or not (a donut wedge is not), by intersecting each hatch
    line with every edge and keeping the inside intervals.
    """
    if spacing <= 0 or len(polygon) < 3:
        return []
    a = math.radians(angle)
    d = (math.cos(a), math.sin(a))  # direction of the lines
    n = (-d[1], d[0])  # their normal
    offs = [p[0] * n[0] + p[1] * n[1] for p in polygon]
    lo, hi = min(offs), max(offs)
    out: list[tuple[Point, Point]] = []
    k = math.floor(lo / spacing) + 1
    while k * spacing < hi:
        c = k * spacing
        ts: list[float] = []
        m = len(polygon)
        for i in range(m):
            p, q = polygon[i], polygon[(i + 1) % m]
            op, oq = offs[i], offs[(i + 1) % m]
            if (op <= c < oq) or (oq <= c < op):  # half-open: a vertex on the line counts once
                s = (c - op) / (oq - op)
                x = p[0] + s * (q[0] - p[0])
                y = p[1] + s * (q[1] - p[1])
                ts.append(x * d[0] + y * d[1])
        ts.sort()
        for t0, t1 in zip(ts[0::2], ts[1::2], strict=False):
            if t1 - t0 > 1e-6:
                base = (c * n[0], c * n[1])
                out.append(((base[0] + t0 * d[0], base[1] + t0 * d[1]), (base[0] + t1 * d[0], base[1] + t1 * d[1])))
        k += 1
    return out


def rect_polygon(x: float, y: float, w: float, h: float) -> list[Point]:
    return [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]


def wedge_polygon(cx: float, cy: float, r: float, theta1: float, theta2: float, inner: float = 0.0,
                  step: float = 3.0) -> list[Point]:
    """A pie or donut wedge from theta1 to theta2 degrees (counter-clockwise) as a polygon."""
    n = max(2, math.ceil(abs(theta2 - theta1) / step) + 1)
    angles = [math.radians(theta1 + (theta2 - theta1) * i / (n - 1)) for i in range(n)]
    outer = [(cx + r * math.cos(t), cy + r * math.sin(t)) for t in angles]
    if inner <= 0:
        return [(cx, cy), *outer]
    return outer + [(cx + inner * math.cos(t), cy + inner * math.sin(t)) for t in reversed(angles)]


def blend(color: str, amount: float, other: str = "#ffffff") -> str:
    """`color` mixed with `other` (white): amount 0 keeps the colour, 1 gives `other`."""
    c1 = _rgb(color)
    c2 = _rgb(other)
    mix = [round(a + (b - a) * amount) for a, b in zip(c1, c2, strict=True)]
    return "#" + "".join(f"{v:02x}" for v in mix)


def _rgb(color: str) -> tuple[int, int, int]:
    h = color.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def luminance(color: str) -> float:
    r, g, b = (v / 255 for v in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
