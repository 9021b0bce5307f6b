"""Links: a [link](url) on a balanced last page (laid out more than once) is one annotation, where
its text is; only http, https and mailto unless links.schemes widens them."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from tests.e2e.test_outputs import paiban
from tests.e2e.test_reliability import SPEC, make_project
from tests.support.pdfcheck import assert_valid_pdf
from tests.support.project import ROOT


def links(pdf: Path) -> list[list[tuple[str, pymupdf.Rect, str]]]:
    """Per page: (URI, rectangle, the words under it)."""
    out = []
    with pymupdf.open(pdf) as doc:
        for page in doc:
            found = []
            for link in page.get_links():
                rect = link["from"]
                found.append((link["uri"], rect, page.get_textbox(rect).strip()))
            out.append(found)
    return out


@pytest.mark.parametrize("columns", [2, 3])
def test_links_on_a_balanced_last_page_are_made_once(tmp_path: Path, columns: int) -> None:
    project = make_project(tmp_path / "p")
    text = "这是一段正文，见[甲网站](https://a.example.cn/x)。" * 3 + "又见[乙](mailto:office@example.cn)。"
    spec = SPEC.replace("columns: 2", f"columns: {columns}").replace("这是一段正文。", text)
    (project / "report.yaml").write_text(spec, encoding="utf-8")
    status, err = paiban(project, "build", "-q", "-o", "out.pdf")
    assert status == 0, err
    assert_valid_pdf(project / "out.pdf")
    (page,) = links(project / "out.pdf")
    assert [u for u, _, _ in page] == ["https://a.example.cn/x"] * 3 + ["mailto:office@example.cn"]
    with pymupdf.open(project / "out.pdf") as doc:
        box = doc[0].rect
    for _, rect, words in page:
        assert rect in box and words  # on the page, over the link's text (kerning may cut a glyph)


def test_the_default_briefing_with_a_link_in_its_last_paragraph(default_project: Path, tmp_path: Path) -> None:
    import yaml

    spec = yaml.safe_load((ROOT / "report.yaml").read_text(encoding="utf-8"))
    last = max(i for i, b in enumerate(spec["body"]) if "text" in b)
    out = tmp_path / "briefing.pdf"
    status, err = paiban(default_project, "build", "-q", "-o", str(out), "--allow-outside",
                         "--set", f"body.{last}.text=见[盂县政府网站](https://www.yuxian.gov.cn/)。")
    assert status == 0, err
    pages = links(out)
    assert [u for u, _, _ in pages[-1]] == ["https://www.yuxian.gov.cn/"]
    assert sum(len(p) for p in pages) == 1


def test_links_schemes_widens_what_a_link_may_use(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    spec = SPEC.replace("这是一段正文。", "见[资料](ftp://files.example.cn/a.zip)。")
    (project / "report.yaml").write_text(spec, encoding="utf-8")
    status, err = paiban(project, "build", "-q", "-o", "out.pdf")
    assert status == 2
    assert err == ("report.yaml:12:9: body[0].text: link target 'ftp://files.example.cn/a.zip' has scheme 'ftp'; "
                   "links may use http, https, mailto (links.schemes widens this)\n")
    (project / "report.yaml").write_text(spec + "links: {schemes: [https, ftp]}\n", encoding="utf-8")
    status, err = paiban(project, "build", "-q", "-o", "out.pdf")
    assert status == 0, err
    assert [u for u, _, _ in links(project / "out.pdf")[0]] == ["ftp://files.example.cn/a.zip"]
