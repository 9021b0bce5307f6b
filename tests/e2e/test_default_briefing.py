"""The walking skeleton: the default report builds into a real PDF holding the article (bad specs
are refused in test_bad_specs.py, from the cases in tests/spec/bad_specs/)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pymupdf as fitz
import pytest
import yaml

from tests.support.project import FONTS, ROOT, run_paiban


def spec_text(path: Path) -> str:
    """All text of a spec in reading order, markup and whitespace removed."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc = data["document"]
    parts = [doc["title"], doc.get("subtitle", ""), doc.get("byline", "")]
    for block in data["body"]:
        (kind, value), = block.items()
        if kind in ("lead", "credit", "subhead"):
            parts.append(value)
        elif kind == "text":
            parts.append(value if isinstance(value, str) else value["text"])
        elif kind == "part":
            parts += [value.get("kicker", ""), value["title"]]
        elif kind == "image":
            parts.append(value.get("caption", ""))
    return re.sub(r"\s+", "", "".join(parts).replace("**", ""))


def test_default_report_holds_the_article_in_order(default_pdf: Path) -> None:
    doc = fitz.open(default_pdf)
    assert doc.page_count >= 2
    pdf_text = re.sub(r"\s+", "", "".join(page.get_text() for page in doc))
    expected = spec_text(ROOT / "report.yaml")
    assert len(expected) > 7000
    # every 12-character chunk of the article is found, in order
    chunks = [expected[i:i + 12] for i in range(0, len(expected), 12)]
    pos, found = 0, 0
    for chunk in chunks:
        at = pdf_text.find(chunk, pos)
        if at >= 0:
            found += 1
            pos = at
    assert found / len(chunks) >= 0.98, f"{found}/{len(chunks)} chunks in order"


def test_every_font_is_embedded_and_subset(default_pdf: Path) -> None:
    doc = fitz.open(default_pdf)
    fonts = {}
    for pno in range(doc.page_count):
        for xref, ext, ftype, basefont, *_ in doc.get_page_fonts(pno, full=True):
            fonts[xref] = (basefont, ext, ftype)
    assert fonts
    for basefont, ext, _ftype in fonts.values():
        assert ext not in ("n/a", ""), f"{basefont} is not embedded"
        assert "Helvetica" not in basefont


def test_metadata_and_outline(default_pdf: Path) -> None:
    doc = fitz.open(default_pdf)
    meta = doc.metadata
    assert meta["title"] == "党旗在农村基层高高飘扬"
    assert "王丑龙" in meta["author"]
    toc = [title for _, title, _ in doc.get_toc()]
    assert toc == ["强基铸魂担使命", "独木不成林 百树绿成荫", "搭建四个平台推进高质量发展", "“党建+”敲开幸福门",
                   "“五实”并举做足脱贫成色", "漂漂亮亮“交总账”"]
    assert doc[0].rect.width == pytest.approx(595.27, abs=0.5)  # A4


MINIMAL = """\
document:
  title: 测试标题
fonts:
  song: {{regular: fonts/NotoSerifSC-Regular.ttf}}
  hei: {{regular: fonts/NotoSansSC-Regular.ttf}}
  kai: {{regular: fonts/LXGWWenKai-Regular.ttf}}
page:
  columns: {columns}
  margins: {margins}
body:
  - text: |
      这是一段正文。
"""


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    shutil.copytree(FONTS, tmp_path / "fonts", ignore=shutil.ignore_patterns("*.txt", "*.md"))
    return tmp_path


def write_spec(project: Path, text: str) -> Path:
    spec = project / "report.yaml"
    spec.write_text(text, encoding="utf-8")
    return spec


def test_minimal_spec_builds(project: Path) -> None:
    spec = write_spec(project, MINIMAL.format(columns=2, margins="15mm"))
    r = run_paiban("build", str(spec), cwd=project)
    assert r.returncode == 0, r.stderr
    out = project / "build" / "report.pdf"
    assert out.is_file()
    assert "1 pages" in r.stdout and "report.pdf" in r.stdout
    assert "这是一段正文。" in fitz.open(out)[0].get_text().replace("\n", "")


def test_photo_placeholders_warn_and_fail_under_strict(default_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "strict.pdf"
    r = run_paiban("build", "report.yaml", "-o", str(out), "--allow-outside", "--strict", cwd=default_project)
    assert r.returncode == 2, r.stderr
    assert "placeholder" in r.stderr and "--strict" in r.stderr
    assert re.search(r"report\.yaml:\d+:\d+: body\[\d+\]\.image: image block has no file", r.stderr)
    assert not out.exists()
    r = run_paiban("build", "report.yaml", "-o", str(out), "--allow-outside", cwd=default_project)
    assert r.returncode == 0 and out.exists()
    assert "warning: body[" in r.stderr and "placeholder" in r.stderr
