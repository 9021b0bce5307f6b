#!/usr/bin/env python3
"""Benchmark paiban's Chinese text engine (not a test: timings are too noisy to assert on).

    .venv/bin/python benchmarks/bench_text.py [--runs 7]

1. Line breaking alone: lines broken (and placed) per second over the seed article's
   paragraphs at three measures — about a 5-, 3- and 1-column A4 page at 9.5 pt.
2. The whole article set in 3 A4 columns through BaseDocTemplate frames, written to memory:
   ReportLab's Paragraph(wordWrap='CJK', justified) against CJKParagraph, median of N runs,
   alternating the two so that machine noise hits both alike. Each run builds its flowables
   from the text (markup parsing and measuring included), as a real build does; font loading
   is done once up front for both.

Times are CPU time of this process (time.process_time), which other work on a shared
machine disturbs far less than wall-clock time; wall-clock medians are printed as well.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from reportlab.lib.enums import TA_JUSTIFY  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph  # noqa: E402

from paiban.cjk import break_lines, parse_markup, place_line, plain_text, prepare  # noqa: E402
from paiban.fonts.load import load_face  # noqa: E402
from paiban.layout.paragraph import CJKParagraph, ParaStyle  # noqa: E402

ARTICLE = ROOT / "tests" / "data" / "article_paragraphs.txt"
FONTS = ROOT / "fonts"
SIZE, LEADING = 9.5, 16.0
MEASURES = {"5 columns": 9.2, "3 columns": 16.3, "1 column": 51.9}


def blocks() -> list[str]:
    return [b.strip() for b in ARTICLE.read_text(encoding="utf-8").split("\n\n") if b.strip()]


def bench_breaking(runs: int) -> None:
    serif = load_face(FONTS / "NotoSerifSC-Regular.ttf")
    paras = [b for b in blocks() if not b.startswith("## ")]
    chars = sum(len(plain_text(p)) for p in paras)
    t = []
    for _ in range(runs):
        t0 = time.process_time()
        preps = [prepare(parse_markup(p), [serif]) for p in paras]
        t.append(time.process_time() - t0)
    print(f"measuring ({len(paras)} paragraphs, {chars} characters): median {statistics.median(t) * 1000:.1f} ms")
    for name, measure in MEASURES.items():
        t = []
        lines = 0
        for _ in range(runs):
            t0 = time.process_time()
            lines = 0
            for prep in preps:
                for ln in break_lines(prep, measure, indent=2.0):
                    place_line(prep, ln, measure)
                    lines += 1
            t.append(time.process_time() - t0)
        med = statistics.median(t)
        print(f"breaking at {measure:5.1f} em ({name}): {lines} lines in {med * 1000:6.1f} ms "
              f"= {lines / med:8.0f} lines/s")


def _frames(columns: int) -> list[Frame]:
    width, height = A4
    margin, gutter = 18 * mm, 5 * mm
    col = (width - 2 * margin - (columns - 1) * gutter) / columns
    return [Frame(margin + i * (col + gutter), margin, col, height - 2 * margin, id=f"c{i}",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0) for i in range(columns)]


def bench_document(runs: int) -> None:
    serif = load_face(FONTS / "NotoSerifSC-Regular.ttf")
    serif_bold = load_face(FONTS / "NotoSerifSC-Bold.ttf")
    sans_bold = load_face(FONTS / "NotoSansSC-Bold.ttf")
    text = blocks()

    stock_body = ParagraphStyle("body", fontName=serif.rl_name, fontSize=SIZE, leading=LEADING,
                                firstLineIndent=2 * SIZE, alignment=TA_JUSTIFY, wordWrap="CJK")
    stock_head = ParagraphStyle("head", fontName=sans_bold.rl_name, fontSize=12, leading=2 * LEADING,
                                keepWithNext=1, wordWrap="CJK")
    body = ParaStyle(faces=(serif,), bold_faces=(serif_bold,), size=SIZE, leading=LEADING)
    head = ParaStyle(faces=(sans_bold,), size=12, leading=2 * LEADING, first_indent=0, align="left",
                     keep_with_next=True)

    def stock() -> int:
        story = [Paragraph(b[3:], stock_head) if b.startswith("## ")
                 else Paragraph(plain_text(b).replace("&", "&amp;").replace("<", "&lt;"), stock_body)
                 for b in text]
        return _build(story, serif.rl_name)

    def ours() -> int:
        story = [CJKParagraph(b[3:], head) if b.startswith("## ") else CJKParagraph(b, body) for b in text]
        return _build(story, serif.rl_name)

    stock()
    ours()  # warm-up: font parsing and glyph caches, for both
    ts, to, ws, wo = [], [], [], []
    size = 0
    for _ in range(runs):
        w0, t0 = time.perf_counter(), time.process_time()
        stock()
        ts.append(time.process_time() - t0)
        ws.append(time.perf_counter() - w0)
        w0, t0 = time.perf_counter(), time.process_time()
        size = ours()
        to.append(time.process_time() - t0)
        wo.append(time.perf_counter() - w0)
    ms, mo = statistics.median(ts), statistics.median(to)
    print(f"3-column A4 article, median of {runs} (CPU): ReportLab Paragraph(wordWrap='CJK') {ms * 1000:.0f} ms, "
          f"CJKParagraph {mo * 1000:.0f} ms ({size // 1024} KB): {mo / ms:.2f}x (target at most 1.5x)")
    print(f"    wall-clock medians: {statistics.median(ws) * 1000:.0f} ms vs {statistics.median(wo) * 1000:.0f} ms")


def _build(story, font_name: str) -> int:
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=A4, initialFontName=font_name)
    doc.addPageTemplates([PageTemplate("cols", frames=_frames(3))])
    doc.build(story)
    return len(buf.getvalue())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7, help="runs per figure (median taken); at least 5")
    a = ap.parse_args(argv)
    runs = max(5, a.runs)
    bench_breaking(runs)
    bench_document(runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
