"""The examples in examples/ are the projects `paiban init --template NAME` makes, and each builds
as it is. The bulletin, read back from its PDF: the red head on page 1 with its issue number,
office at the left margin and date at the right, 本期要目 rows whose links open each article's
page, three articles in order, the end matter at the foot of the last page with 报/送/发 each on
its own line and 共印 at the right."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pymupdf
import pytest

from paiban.build import build
from paiban.cli.scaffold import SCHEMA, init_project, templates
from tests.support.judge import check
from tests.support.pdfcheck import assert_valid_pdf
from tests.support.project import ROOT

NAMES = list(templates())
MM = 72 / 25.4


def _examples():
    spec = importlib.util.spec_from_file_location("examples_script", ROOT / "scripts" / "examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", NAMES)
def test_the_example_is_the_template(name: str) -> None:
    """examples/NAME holds exactly what init writes (less fonts, linked, and the schema)."""
    expected = _examples().example_files(name)
    root = ROOT / "examples" / name
    have = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and "fonts" not in p.relative_to(root).parts
            and p.relative_to(root).parts[0] not in ("build", "figures", ".paiban-cache")}
    assert have == expected, "run: python scripts/examples.py"
    assert os.path.realpath(root / "fonts") == os.path.realpath(ROOT / "fonts")


@pytest.fixture(scope="module", params=NAMES)
def built(request, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    name = request.param
    root = tmp_path_factory.mktemp(name) / name
    done = init_project(root, template=name)
    assert (root / SCHEMA).is_file() and any(p.suffix == ".ttf" for p in done.written)
    build(root / "report.yaml", root / "build" / "report.pdf")
    return name, root / "build" / "report.pdf"


def test_each_example_builds_and_passes_the_hard_rules(built) -> None:
    name, pdf = built
    assert_valid_pdf(pdf)
    report = check(str(pdf), None)
    assert report["fonts_not_embedded"] == []
    assert report["overlaps"] == 0, report["overlap_examples"]
    assert report["clreq_violations"] == 0, report["clreq_examples"]
    if name == "bulletin":
        _bulletin(pymupdf.open(pdf))


def _lines(page: pymupdf.Page) -> list[tuple[pymupdf.Rect, str, dict]]:
    out = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            text = "".join(s["text"] for s in line["spans"]).replace(" ", "")
            out.append((pymupdf.Rect(line["bbox"]), text, line["spans"][0]))
    return out


def _line(page: pymupdf.Page, start: str) -> tuple[pymupdf.Rect, str, dict]:
    found = [ln for ln in _lines(page) if ln[1].startswith(start)]
    assert len(found) == 1, (start, [ln[1] for ln in _lines(page)])
    return found[0]


def _bulletin(doc: pymupdf.Document) -> None:
    first, last = doc[0], doc[-1]
    left, right = 25 * MM, first.rect.width - 25 * MM
    # the red head: the name large and red, the issue line, office left and date right
    name = _line(first, "乡村振兴工作简报")
    assert name[2]["size"] >= 30 and name[2]["color"] == 0xC8161D
    issue = _line(first, "第3期")
    assert issue[1] == "第3期（总第45期）" and name[0].y1 <= issue[0].y0
    office, date = _line(first, "盂县乡村振兴工作领导小组办公室"), _line(first, "2026年3月6日")
    assert abs(office[0].y1 - date[0].y1) < 0.5 and issue[0].y1 <= office[0].y0
    assert abs(office[0].x0 - left) < 1 and abs(date[0].x1 - right) < 1
    # three articles in order, each in the outline
    toc = doc.get_toc()
    titles = ["县委召开2026年乡村振兴工作推进会", "西潘乡：小核桃撑起群众增收路", "秀水镇南村：党建引领集体经济持续壮大"]
    assert [t[1] for t in toc if t[0] == 1] == titles
    pages = [t[2] for t in toc if t[0] == 1]
    assert pages == sorted(pages)
    # 本期要目: a link per article, opening the page its heading is on, at the heading
    links = sorted((ln for ln in first.get_links() if ln["kind"] == pymupdf.LINK_GOTO), key=lambda ln: ln["from"].y0)
    assert len(links) == 3
    for link, title, page, band in zip(links, titles, pages, ("工作动态", "基层经验", "他山之石"), strict=True):
        assert link["page"] == page - 1, title
        # the destination is the top of the article's heading: just above its 栏目 band
        (top,) = doc[page - 1].search_for(band)
        assert 0 <= top.y0 - link["to"].y < 30, (title, link["to"], top)
    # the end matter at the foot of the last page: 报/送/发 each its own line, 共印 at the right
    bao, song, fa = (_line(last, label) for label in ("报：", "送：", "发："))
    assert bao[0].y1 <= song[0].y0 and song[0].y1 <= fa[0].y0
    assert all(abs(ln[0].x0 - left) < 1 for ln in (bao, song, fa))
    copies = _line(last, "（共印120份）")
    assert abs(copies[0].x1 - copies[2]["size"] / 2 - right) < 1.5
    assert last.rect.height - 22 * MM - 14 < copies[2]["origin"][1] <= last.rect.height - 22 * MM
    body_end = max(r.y1 for r in last.search_for("一面旗帜"))
    assert bao[0].y0 - body_end > 40  # kept at the foot, not run on under the text
