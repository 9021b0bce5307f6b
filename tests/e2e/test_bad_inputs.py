"""Damaged fonts, hostile data files and oversized requests: each a located one-line error with
exit 2, quickly and in bounded memory, never a traceback."""

from __future__ import annotations

import importlib.util
import struct
import time
from pathlib import Path

import pytest

from tests.e2e.test_outputs import paiban
from tests.e2e.test_reliability import SPEC, make_project
from tests.support.fontmaker import COMMON, build_ttf, save


@pytest.fixture(scope="module")
def base_font(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return save(build_ttf(COMMON), tmp_path_factory.mktemp("font") / "base.ttf").read_bytes()


def patched(raw: bytes, table: str, at: int, value: int) -> bytes:
    """The font with the 16-bit field at `at` in `table` set to `value`."""
    out = bytearray(raw)
    for i in range(struct.unpack(">H", raw[4:6])[0]):
        tag, _, offset, _ = struct.unpack(">4sIII", raw[12 + 16 * i:28 + 16 * i])
        if tag.decode() == table:
            struct.pack_into(">H", out, offset + at, value)
            return bytes(out)
    raise AssertionError(table)


def refused(project: Path, *args: str) -> str:
    started = time.perf_counter()
    status, err = paiban(project, "build", "-q", "-o", "out.pdf", *args)
    assert time.perf_counter() - started < 20
    assert status == 2, err
    lines = err.splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert not (project / "out.pdf").exists()
    return lines[0]


@pytest.mark.parametrize("name,make,message", [
    ("upem0.ttf", lambda raw: patched(raw, "head", 18, 0), "head.unitsPerEm is 0; expected 16 to 16384"),
    ("glyphs0.ttf", lambda raw: patched(raw, "maxp", 4, 0), "maxp.numGlyphs is 0; a font has at least"),
    ("glyphs1.ttf", lambda raw: patched(raw, "maxp", 4, 1), "maxp.numGlyphs is 1; a font has at least"),
    ("glyphs100.ttf", lambda raw: patched(raw, "maxp", 4, 100), "maxp.numGlyphs is 100, but its cmap maps"),
    ("junk.woff", lambda raw: b"wOFF" + bytes(200), "cannot read font junk.woff"),
    pytest.param("junk.woff2", lambda raw: b"wOF2" + bytes(200), "is WOFF2, which needs the brotli package",
                 marks=pytest.mark.skipif(importlib.util.find_spec("brotli") is not None, reason="brotli installed")),
])
def test_a_damaged_font_is_a_located_error(tmp_path: Path, base_font: bytes, name: str, make, message: str) -> None:
    project = make_project(tmp_path / "p")
    (project / "fonts" / name).write_bytes(make(base_font))
    spec = SPEC.replace("fonts/NotoSerifSC-Regular.ttf", f"fonts/{name}")
    (project / "report.yaml").write_text(spec, encoding="utf-8")
    line = refused(project)
    assert line.startswith("report.yaml:4:19: ") and message in line, line


FIGURE = "  - figure: {id: f, chart: CHART, data: d, caption: 图}\ndata:\n  d: {file: data/FILE}\n"


@pytest.mark.parametrize("file,content,chart,message", [
    ("big.csv", "类别,场次\n甲," + "9" * 309 + "\n乙,3\n", "bar", "data/big.csv:2: data.d: '场次' is '999"),
    ("big.csv", "类别,场次\n甲," + "9" * 309 + "\n乙,3\n", "pie", "(309 characters), not a number"),
    ("big.json", '[{"类别": "甲", "场次": 1e400}]', "line", "data/big.json:1: data.d: '场次' is inf, not a number"),
    ("deep.json", "[" * 100_000 + "]" * 100_000, "bar", "data/deep.json:1: JSON nested too deeply"),
    ("digits.json", '[{"类别": "甲", "场次": ' + "9" * 5000 + "}]", "bar",
     "data/digits.json:1: not valid JSON: Exceeds the limit (4300 digits)"),
    ("wide.csv", ",".join(f"c{i}" for i in range(100_000)) + "\n" + "1," * 99_999 + "1\n", "bar",
     "data/wide.csv:1: data.d.file: 100,000 columns; a chart's table has at most 1000"),
    ("wide.json", "[{" + ",".join(f'"c{i}": 1' for i in range(100_000)) + "}]", "bar",
     "more than 1000 columns"),
    ("many.csv", "类别,场次\n" + "".join(f"类{i},{i}\n" for i in range(9999)), "hbar",
     "body[1].figure.data: 9,999 rows; a chart shows at most 200 categories"),
])
def test_hostile_data_is_a_located_error(tmp_path: Path, file: str, content: str, chart: str, message: str) -> None:
    project = make_project(tmp_path / "p")
    (project / "data" / file).write_text(content, encoding="utf-8")
    spec = SPEC + FIGURE.replace("CHART", chart).replace("FILE", file)
    (project / "report.yaml").write_text(spec, encoding="utf-8")
    line = refused(project)
    assert message in line, line
    assert len(line) < 300


def test_preview_of_a_huge_page_at_high_dpi_is_refused(tmp_path: Path) -> None:
    pytest.importorskip("pymupdf")
    project = make_project(tmp_path / "p")
    status, err = paiban(project, "preview", "-q", "--dpi", "600", "--set", "page.size=2000mm x 2000mm")
    assert status == 2
    assert err == ("--dpi 600: page 1 at 600 dpi would be 47,244×47,244 px; at most 100 megapixels and "
                   "32,767 px a side: lower --dpi\n")


# ------------------------------------------------------------------ resource caps (README: Limits)


def test_an_image_over_the_megapixel_cap_is_refused_before_decoding(tmp_path: Path) -> None:
    import zlib

    project = make_project(tmp_path / "p")
    w = h = 9000  # a 9000×9000 PNG of a few hundred KB cost 828 MB to decode
    rows = zlib.compress(b"".join(b"\x00" + bytes(w * 3) for _ in range(h)), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", rows) + chunk(b"IEND", b""))
    (project / "images" / "huge.png").write_bytes(png)
    spec = SPEC + "  - image: {file: images/huge.png, caption: 大图}\n"
    (project / "report.yaml").write_text(spec, encoding="utf-8")
    line = refused(project)
    assert line == ("report.yaml:13:19: body[1].image.file: image 'images/huge.png' is 9,000×9,000 px, 81 megapixels; "
                    "at most 30 are read (a page needs far fewer: scale it down)"), line


@pytest.mark.parametrize("text,message", [
    ("|\n" + "".join("      短段。\n\n" for _ in range(20_001)), "more than 20,000 paragraphs"),
    ("长" * 50_001, "a paragraph of 50,001 characters; at most 50,000"),
])
def test_paragraph_caps(tmp_path: Path, text: str, message: str) -> None:
    project = make_project(tmp_path / "p")
    (project / "report.yaml").write_text(SPEC.replace("|\n      这是一段正文。", text), encoding="utf-8")
    line = refused(project)
    assert line.startswith("report.yaml:11:11: body[0].text: ") and message in line, line


def test_text_and_page_caps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from paiban import assets
    from paiban.layout import render

    project = make_project(tmp_path / "p")
    para = "这是一段用来撑满页面的正文，" * 40
    spec = SPEC + "".join(f"  - text: {para}\n" for _ in range(60))
    (project / "report.yaml").write_text(spec, encoding="utf-8")
    monkeypatch.setattr(render, "MAX_PAGES", 3)  # the real cap, 2,000 pages, takes a minute to reach
    line = refused(project)
    assert line == ("report.yaml:11:3: body: the document runs past 3 pages; paiban sets at most 3 "
                    "(split it into several reports)"), line
    monkeypatch.setattr(assets, "MAX_TEXT_CHARS", 10_000)
    line = refused(project)
    assert "more than 10,000 characters of text" in line, line
