"""Caches are checked on reading and ignored when wrong: hand-edited, cut short or crafted files in
.paiban-cache/ or figures/ never crash a build, hang it, blank a chart, or make paiban read a file
outside the project; the build makes them again."""

from __future__ import annotations

import json
import pickle
import re
import shutil
import time
from pathlib import Path

import pymupdf
import pytest
from reportlab.graphics.shapes import Drawing, Group, Image, String

from paiban.charts import cache
from tests.e2e.test_outputs import paiban
from tests.e2e.test_reliability import SPEC, make_project

FIGURE = """\
data:
  edu: {file: data/edu.csv}
"""
BODY = """\
  - figure: {id: edu, chart: bar, data: edu, caption: 教育场次}
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("caches") / "p")
    (root / "report.yaml").write_text(SPEC + FIGURE + BODY.join([""] * 1) + "", encoding="utf-8")
    text = (root / "report.yaml").read_text(encoding="utf-8")
    (root / "report.yaml").write_text(text.replace("body:\n", "body:\n" + BODY, 1), encoding="utf-8")
    status, err = paiban(root, "build", "-q", "-o", "out.pdf")
    assert status == 0, err
    return root


@pytest.fixture()
def project(built: Path, tmp_path: Path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(built, root, symlinks=True)
    return root


def page_text(pdf: Path) -> str:
    with pymupdf.open(pdf) as doc:
        return "".join(p.get_text() for p in doc)


def rebuild(project: Path) -> str:
    started = time.perf_counter()
    status, err = paiban(project, "build", "-q", "-o", "again.pdf")
    assert status == 0, err
    assert time.perf_counter() - started < 30
    text = page_text(project / "again.pdf")
    assert "警示教育" in text  # the chart is drawn, not blank
    return text


JUNK = [b"", b"{", b"[]", b"null", b"12", b'{"a": [1, 2]}', b"[" * 50_000 + b"]" * 50_000,
        b'{"key": 5, "parts": []}', json.dumps({"x": ["a", 1e308, -1, None, {"y": []}]}).encode()]


@pytest.mark.parametrize("junk", JUNK, ids=range(len(JUNK)))
def test_every_cache_file_replaced_by_junk_is_made_again(project: Path, junk: bytes) -> None:
    files = [p for p in (project / ".paiban-cache").rglob("*") if p.is_file()]
    files += list((project / "figures").glob("*"))
    assert any(p.name == "sources.json" for p in files) and any(p.suffix == ".pkl" for p in files)
    for p in files:
        p.write_bytes(junk)
    rebuild(project)


def test_cache_files_cut_in_half_are_made_again(project: Path) -> None:
    for p in [*(project / ".paiban-cache").rglob("*"), *(project / "figures").glob("*")]:
        if p.is_file():
            data = p.read_bytes()
            p.write_bytes(data[: len(data) // 2])
    rebuild(project)


def pickled(project: Path, drawing: object) -> None:
    key = json.loads((project / "figures" / "edu.key").read_text(encoding="utf-8"))["key"]
    (project / "figures" / "edu.pkl").write_bytes(pickle.dumps({"key": key, "drawing": drawing}))


def shared_groups(levels: int, fan: int) -> Drawing:
    """2.8 KB of pickle, fan**levels strings drawn: every level's group holds the one below `fan` times."""
    g = Group(String(0, 0, "x", fontName="Helvetica"))
    for _ in range(levels):
        g = Group(*([g] * fan))
    d = Drawing(100, 100)
    d.add(g)
    return d


@pytest.mark.parametrize("drawing", [
    shared_groups(8, 10),  # 10⁸ shapes: hung the build
    5, "text", String(0, 0, "x"), {"contents": []},
    Drawing(100, 100),  # blank
    Drawing(100, 100, Image(0, 0, 10, 10, "/etc/passwd")),  # would open that path
    Drawing(float("nan"), 100, String(0, 0, "x")),
], ids=["shared-groups", "int", "str", "String", "dict", "blank", "image", "nan"])
def test_a_crafted_chart_pickle_is_a_miss(project: Path, drawing: object) -> None:
    rebuild(project)  # in this folder: the chart's key names its font files here
    pickled(project, drawing)
    key = cache.Key(json.loads((project / "figures" / "edu.key").read_text(encoding="utf-8"))["key"], {})
    started = time.perf_counter()
    assert cache.load_drawing(project / "figures" / "edu.pkl", key) is None
    assert time.perf_counter() - started < 5
    status, err = paiban(project, "build", "-v", "-o", "again.pdf")
    assert status == 0 and re.search(r"edu.pkl: (not a chart drawing paiban could have made|refusing .*); made again", err), err
    assert "警示教育" in page_text(project / "again.pdf")  # from the SVG, drawn


def test_a_pickle_naming_a_builtin_is_refused(project: Path) -> None:
    pickled(project, bytearray(16))  # bytearray(10**10) is a pickle of a few bytes
    key = cache.Key(json.loads((project / "figures" / "edu.key").read_text(encoding="utf-8"))["key"], {})
    assert cache.load_drawing(project / "figures" / "edu.pkl", key) is None


def test_a_corrupt_svg_with_a_valid_key_and_no_pickle_is_redrawn(project: Path) -> None:
    svg = project / "figures" / "edu.svg"
    data = svg.read_bytes()
    head = data[: data.index(b"-->") + 4]
    (project / "figures" / "edu.pkl").unlink()
    for broken in (head + b"<svg><g><path d='M 0 0 L", head + b"<svg xmlns='http://www.w3.org/2000/svg'></svg>",
                   head + b"\x00\xff" * 100 + b"</svg>"):
        svg.write_bytes(broken)
        rebuild(project)
        assert svg.read_bytes() != broken
        (project / "figures" / "edu.pkl").unlink()


def test_cache_links_are_not_followed(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.json"
    outside.write_text('{"not": "yours"}', encoding="utf-8")
    for p in [*(project / ".paiban-cache").rglob("*.json"), *(project / "figures").glob("*")]:
        p.unlink()
        p.symlink_to(outside)
    rebuild(project)
    assert outside.read_text(encoding="utf-8") == '{"not": "yours"}'


def edit_metrics(path: Path, edit) -> None:
    """Rewrite a metrics cache file's JSON header with `edit(header)` (its arrays kept)."""
    import struct

    from paiban.pdf.metrics import MAGIC

    data = path.read_bytes()
    pos = len(MAGIC)
    (hlen,) = struct.unpack_from("<I", data, pos)
    header = json.loads(data[pos + 4:pos + 4 + hlen])
    edit(header)
    raw = json.dumps(header).encode("utf-8")
    path.write_bytes(MAGIC + struct.pack("<I", len(raw)) + raw + data[pos + 4 + hlen:])


@pytest.mark.parametrize("edit", [
    lambda h: h["face"].update(unitsPerEm=0),
    lambda h: h["face"].update(numGlyphs=3),
    lambda h: h["face"].update(ascent="high"),
    lambda h: h["face"].update(bbox=[0, 0]),
    lambda h: h["face"].update(filename="/etc/passwd"),
    lambda h: h.update(tables=["nope"]),
    lambda h: h.update(hmetrics_tail=[1]),
], ids=["upem-0", "3-glyphs", "ascent-text", "bbox-short", "filename", "tables", "tail"])
def test_a_hand_edited_metrics_cache_is_read_again_from_the_font(project: Path, edit) -> None:
    files = list((project / ".paiban-cache" / "fonts" / "metrics").glob("*.bin"))
    assert files
    for path in files:
        edit_metrics(path, edit)
    rebuild(project)


def test_hand_edited_line_breaks_are_broken_again(project: Path) -> None:
    path = project / ".paiban-cache" / "linebreaks.json"
    entries = json.loads(path.read_text(encoding="utf-8"))
    assert entries
    for bad in ([[[0, 10**9, 0, True, 0]], []], [[[5, 2, 0, True, 0]], []], [[[0, 1, 1e400, True, 0]], []],
                [[], []], [[["a", "b", 0, 1, 0]], ["note"]]):
        path.write_text(json.dumps({k: bad for k in entries}), encoding="utf-8")
        rebuild(project)


def test_an_ignored_cache_file_is_one_line_under_v(project: Path) -> None:
    rebuild(project)  # in this folder: the chart's key names its font files here
    (project / ".paiban-cache" / "linebreaks.json").write_text('{"torn": ', encoding="utf-8")
    pickled(project, 5)
    status, err = paiban(project, "build", "-v", "-o", "again.pdf")
    assert status == 0, err
    notes = [line for line in err.splitlines() if line.startswith("ignored cache file ")]
    assert any("linebreaks.json: JSONDecodeError; made again" in n for n in notes), err
    assert any("edu.pkl: not a chart drawing paiban could have made; made again" in n for n in notes), err
    status, err = paiban(project, "build", "-o", "again.pdf")
    assert "ignored cache file" not in err  # only under -v, and the files are whole again
