"""Single lines drawn on the canvas (running lines, kicker bands, contents rows) take each
character from the first face that has it: real fonts, real PDFs read back with PyMuPDF."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pymupdf
import pytest
from reportlab.pdfgen.canvas import Canvas

from paiban.layout.textline import TextLine
from tests.support.project import FONTS, run_paiban

RARE = "⓵"  # in Noto Serif SC, not in the Kai face


def spans(pdf: bytes) -> list[tuple[str, str, tuple[float, ...]]]:
    with pymupdf.open(stream=pdf) as doc:
        return [("".join(c["c"] for c in s["chars"]), s["font"].split("+")[-1], tuple(s["bbox"]))
                for b in doc[0].get_text("rawdict")["blocks"] for ln in b.get("lines", []) for s in ln["spans"]]


def test_each_character_comes_from_the_first_face_that_has_it(kai, serif) -> None:
    assert not kai.has(RARE) and serif.has(RARE)
    line = TextLine.of(f"第 3 页{RARE}完", (kai, serif), 10)
    assert [(face, run) for face, run in line.runs] == [(kai, "第 3 页"), (serif, RARE), (kai, "完")]
    assert line.width == pytest.approx(sum(kai.advance(c) for c in "第 3 页完") * 10 + serif.advance(RARE) * 10)
    assert TextLine.of("", (kai, serif), 10).width == 0

    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(400, 100), invariant=1)
    line.draw(canvas, 200, 50, "center")
    canvas.save()
    got = spans(buf.getvalue())
    assert [(t, f) for t, f, _ in got] == [("第 3 页", "PaibanKai-Regular"), (RARE, "NotoSerifSC-Regular"),
                                          ("完", "PaibanKai-Regular")]
    left, right = got[0][2][0], got[-1][2][2]
    assert (left + right) / 2 == pytest.approx(200, abs=0.5)  # the whole line centred, not its first run
    assert right - left == pytest.approx(line.width, abs=0.5)


def test_a_running_foot_with_a_character_its_face_lacks_draws_it_from_the_fallback(tmp_path: Path) -> None:
    shutil.copytree(FONTS, tmp_path / "fonts", ignore=shutil.ignore_patterns("*.txt", "*.md"))
    (tmp_path / "report.yaml").write_text(
        "document: {title: 测试}\n"
        "fonts:\n"
        "  song: {regular: fonts/NotoSerifSC-Regular.ttf}\n"
        "  hei: {regular: fonts/NotoSansSC-Regular.ttf}\n"
        "  kai: {regular: fonts/LXGWWenKai-Regular.ttf}\n"
        "page: {footer: {center: '第 {page} 页" + RARE + "'}}\n"
        "styles: {footer: {font: kai}}\n"
        "body:\n  - text: 正文。\n", encoding="utf-8")
    r = run_paiban("build", "-o", "out.pdf", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    foot = [(t, f) for t, f, _ in spans((tmp_path / "out.pdf").read_bytes()) if "页" in t or RARE in t]
    assert foot == [("第 1 页", "PaibanKai-Regular"), (RARE, "NotoSerifSC-Regular")]


def test_a_spaced_line_puts_a_quarter_em_between_han_and_latin() -> None:
    from paiban.layout.textline import han_latin_gaps

    assert han_latin_gaps("第3期", 10.0) == (2.5, 2.5, 0.0)
    assert han_latin_gaps("县委召开会议", 10.0) == (0.0,) * 6
    assert han_latin_gaps("2026年", 12.0, spacing=1.0) == (1.0, 1.0, 1.0, 4.0, 0.0)
    assert han_latin_gaps("", 10.0) == ()
