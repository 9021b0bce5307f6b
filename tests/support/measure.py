"""Measurements of built PDFs shared by tests and benchmarks (read with PyMuPDF)."""

from __future__ import annotations

from collections import defaultdict

import pymupdf


def body_lines(page: pymupdf.Page, size: float, tol: float = 0.2, font: str = "NotoSerifSC"
               ) -> list[tuple[float, float, float]]:
    """(x0, x1, baseline) of body text lines on a page: the body size in the body's font family
    (captions or labels at the same size in Kai or Hei are not body text)."""
    out = []
    for block in page.get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            spans = [s for s in line["spans"] if abs(s["size"] - size) < tol and s["chars"] and font in s["font"]]
            if not spans:
                continue
            chars = [c for s in spans for c in s["chars"] if not c["c"].isspace()]
            if not chars:
                continue
            out.append((min(c["bbox"][0] for c in chars), max(c["bbox"][2] for c in chars),
                        round(spans[0]["origin"][1], 2)))
    return out


def baseline_alignment(doc: pymupdf.Document, size: float, column_lefts: int | None = None) -> tuple[int, int]:
    """Body lines that share a baseline with a neighbouring column, where that column has a
    line at that height (within about a line): (aligned, compared)."""
    aligned = compared = 0
    for page in doc:
        lines = body_lines(page, size)
        if not lines:
            continue
        cols: dict[int, list[tuple[float, float, float]]] = defaultdict(list)
        for x0, x1, y in lines:
            cols[round(x0 / 20)].append((x0, x1, y))
        # merge indented first lines into their column: group by nearest column start
        starts: list[float] = []
        for x in sorted({min(v)[0] for v in cols.values() if len(v) >= 3}):
            if not starts or x - starts[-1] > size * 2.5:  # an indented first line is not a column
                starts.append(x)
        groups: dict[float, list[float]] = defaultdict(list)
        for x0, _x1, y in lines:
            nearest = min(starts, key=lambda s: abs(s - x0)) if starts else x0
            if abs(nearest - x0) < size * 2.5:
                groups[nearest].append(y)
        keys = sorted(groups)
        for a, b in zip(keys, keys[1:], strict=False):
            yb = sorted(groups[b])
            for y in groups[a]:
                nearest = min(yb, key=lambda z: abs(z - y))
                if abs(nearest - y) < size * 1.2:  # the neighbour has a line at this height
                    compared += 1
                    if abs(nearest - y) < 0.5:
                        aligned += 1
    return aligned, compared
