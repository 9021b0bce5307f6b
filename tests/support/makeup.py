"""Page make-up read back from a built PDF: where each outline entry lands, how far each column's
content falls short of the column foot, how even the last page's columns end, and the order the
text is printed in. Shared by the layout property test and the e2e tests of the default
briefing; every number comes from the PDF (PyMuPDF), with the spec's page geometry to know where
the columns are."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pymupdf

from paiban.spec.geometry import Geometry


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@dataclass
class Box:
    """Something printed on a page, in PyMuPDF's coordinates (origin top-left)."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str = ""
    size: float = 0.0
    baseline: float = 0.0


def boxes(page: pymupdf.Page) -> list[Box]:
    """Text lines, vector drawings and images of a page."""
    out: list[Box] = []
    for block in page.get_text("rawdict")["blocks"]:
        if block.get("type") == 1:
            out.append(Box(*block["bbox"]))
            continue
        for line in block.get("lines", []):
            for piece in line_pieces(line):
                text = "".join(c["c"] for _, c in piece)
                if text.strip():
                    size = max(s["size"] for s, _ in piece)
                    whole = len(piece) == sum(len(s["chars"]) for s in line["spans"])
                    x0, y0, x1, y1 = line["bbox"] if whole else (
                        piece[0][1]["bbox"][0], min(c["bbox"][1] for _, c in piece),
                        piece[-1][1]["bbox"][2], max(c["bbox"][3] for _, c in piece))
                    out.append(Box(x0, y0, x1, y1, text=text, size=size, baseline=piece[0][1]["origin"][1]))
    for d in page.get_drawings():
        r = d["rect"]
        out.append(Box(r.x0, r.y0, r.x1, r.y1))
    return out


def line_pieces(line: dict) -> list[list[tuple[dict, dict]]]:
    """A PyMuPDF line cut where its characters stand an em or more apart: PyMuPDF joins text
    that shares a baseline across a gutter (a right-aligned credit ending one column and the
    line beside it in the next) into one line, which would belong to no column."""
    pieces: list[list[tuple[dict, dict]]] = []
    last: tuple[dict, dict] | None = None
    for span in line["spans"]:
        for char in span["chars"]:
            if last is None or char["bbox"][0] - last[1]["bbox"][2] >= min(span["size"], last[0]["size"]):
                pieces.append([])
            pieces[-1].append((span, char))
            last = (span, char)
    return pieces


class Columns:
    """The column frames of each page, from the spec's geometry (top-left coordinates)."""

    def __init__(self, geo: Geometry):
        self.geo = geo

    def spans(self, page_number: int) -> list[tuple[float, float]]:
        g = self.geo
        return [(g.column_x(page_number, i), g.column_x(page_number, i) + g.column_width) for i in range(g.columns)]

    @property
    def top(self) -> float:
        return self.geo.top

    @property
    def bottom(self) -> float:
        return self.geo.height - self.geo.bottom

    def column_of(self, page_number: int, box: Box) -> list[int]:
        """The columns a box lies in (a page-wide one in all it covers); a rule in a gutter in none."""
        out = []
        for i, (a, b) in enumerate(self.spans(page_number)):
            if min(box.x1, b) - max(box.x0, a) > 1.0:
                out.append(i)
        return out


def column_ends(doc: pymupdf.Document, geo: Geometry, body_size: float = 0.0) -> list[list[Box | None]]:
    """Per page, per column: the lowest thing printed in the column's frame (None for a column
    with nothing in it)."""
    cols = Columns(geo)
    out: list[list[Box | None]] = []
    for number, page in enumerate(doc, start=1):
        ends: list[Box | None] = [None] * geo.columns
        for box in boxes(page):
            if box.y1 < cols.top - 1 or box.y0 > cols.bottom + 1:
                continue  # running lines, crop marks
            for i in cols.column_of(number, box):
                if ends[i] is None or box.y1 > ends[i].y1 + 0.01:
                    ends[i] = box
        out.append(ends)
    return out


#: The room under a body line's text box in its grid slot, in lines (its descent and half the
#: leading); under a figure, data box or image: its half line of air and grid padding, and a line
#: of grace, since the reader cannot tell where the block's own air ends.
TEXT_SLACK, FLOAT_SLACK = 0.17, 1.0


def feet(doc: pymupdf.Document, geo: Geometry, pitch: float, body_size: float) -> list[list[int]]:
    """Per page, per column: how many whole body lines are left empty at the column foot (a
    column whose height is not a whole number of lines reads its fraction as slack)."""
    bottom = Columns(geo).bottom
    table = []
    for page in column_ends(doc, geo):
        row = []
        for end in page:
            if end is None:
                row.append(int((bottom - geo.top) / pitch))
                continue
            text = bool(end.text) and abs(end.size - body_size) < 0.3
            raw = (bottom - end.y1) / pitch - (TEXT_SLACK if text else FLOAT_SLACK)
            row.append(max(0, math.floor(raw + 0.02)))
        table.append(row)
    return table


def holes(doc: pymupdf.Document, geo: Geometry, pitch: float, body_size: float, allowed: int = 1,
          skip_pages: set[int] | None = None) -> list[str]:
    """Column feet on pages before the last left empty by more than `allowed` lines:
    "p2c1:8"; `skip_pages` are pages that end at an explicit break."""
    out = []
    table = feet(doc, geo, pitch, body_size)
    for number, page in enumerate(table[:-1], start=1):
        if skip_pages and number in skip_pages:
            continue
        for i, lines in enumerate(page):
            if lines > allowed:
                out.append(f"p{number}c{i + 1}:{lines}")
    return out


def last_page_spread(doc: pymupdf.Document, geo: Geometry, pitch: float) -> float:
    """How many lines apart the columns of the last page end (an empty column ends where the
    others start)."""
    ends = column_ends(doc, geo)[-1]
    filled = [e for e in ends if e is not None]
    if not filled:
        return 0.0
    start = min(e.y0 for e in filled) if doc.page_count == 1 else geo.top
    bottoms = [e.y1 if e is not None else start for e in ends]
    return round((max(bottoms) - min(bottoms)) / pitch, 2)


def destinations(doc: pymupdf.Document) -> list[tuple[str, int, float | None]]:
    """Outline entries: (title, page number, top of the destination in top-left coordinates, or
    None when the destination is not at a point of the page)."""
    out = []
    for _level, title, page, dest in doc.get_toc(simple=False):
        to = dest.get("to")
        top = None
        if to is not None and dest.get("kind") == pymupdf.LINK_GOTO and to.y > 0:
            top = to.y
        out.append((title, page, top))
    return out


def misplaced_bookmarks(doc: pymupdf.Document, pitch: float) -> list[str]:
    """Outline entries that do not open their heading: the destination page must show a line of
    the heading's text within three lines below the destination's top."""
    bad = []
    for title, number, top in destinations(doc):
        if top is None or not 1 <= number <= doc.page_count:
            bad.append(f"{title}: no point destination (page {number})")
            continue
        want = squash(title)
        lines = [b for b in boxes(doc[number - 1]) if b.text and squash(b.text) and squash(b.text) in want]
        if not any(top - 2 <= b.y0 <= top + 3 * pitch for b in lines if len(squash(b.text)) >= min(2, len(want))):
            bad.append(f"{title}: page {number} at {top:.0f} shows no line of it")
    return bad


def reading_stream(doc: pymupdf.Document, geo: Geometry) -> str:
    """The text of the columns in reading order: page by page, column by column, top to bottom
    (what spans the columns — the masthead, page-wide figures — before the columns it tops)."""
    cols = Columns(geo)
    parts: list[tuple[int, int, float, float, str]] = []
    for number, page in enumerate(doc, start=1):
        for box in boxes(page):
            if not box.text or box.y1 < cols.top - 1 or box.y0 > cols.bottom + 1:
                continue
            where = cols.column_of(number, box)
            column = -1 if len(where) != 1 else where[0]
            # by baseline: a fallback face's taller box must not put its line before its neighbour
            parts.append((number, column, round(box.baseline, 1), box.x0, squash(box.text)))
    parts.sort()
    return "".join(p[4] for p in parts)


def out_of_order(stream: str, pieces: list[str]) -> list[str]:
    """The pieces (short unique openings of the spec's text blocks, in spec order) that are not
    found in the stream after the one before them."""
    bad = []
    at = 0
    for piece in pieces:
        found = stream.find(piece, at)
        if found < 0:
            bad.append(piece if stream.find(piece) < 0 else f"{piece} (before its predecessor)")
            continue
        at = found + len(piece)
    return bad
