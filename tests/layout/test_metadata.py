"""The PDF's dates and names: creation and modification dates from document.date, else
SOURCE_DATE_EPOCH, else the build time (never 2000-01-01 again); two builds with the same
SOURCE_DATE_EPOCH byte-identical; a bulletin's name and issue in its title and subject."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pymupdf
import pytest

from paiban.build import build
from paiban.layout.metadata import parse_date
from tests.support.project import FONTS

SPEC = """\
document:
  title: 测试简报
  DATE
fonts:
  song: {regular: fonts/NotoSerifSC-Regular.ttf}
  hei: {regular: fonts/NotoSansSC-Regular.ttf, bold: fonts/NotoSansSC-Bold.ttf}
  kai: {regular: fonts/LXGWWenKai-Regular.ttf}
page: {columns: 1}
body:
  - text: 这是一段正文。
"""


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    shutil.copytree(FONTS, tmp_path / "fonts", ignore=shutil.ignore_patterns("*.txt", "*.md"))
    return tmp_path


def made(project: Path, date: str = "", name: str = "out.pdf") -> tuple[dict, bytes]:
    (project / "report.yaml").write_text(SPEC.replace("DATE", date), encoding="utf-8")
    build(project / "report.yaml", project / name)
    return pymupdf.open(project / name).metadata, (project / name).read_bytes()


@pytest.mark.parametrize(("text", "ymd"), [
    ("2026-03-06", (2026, 3, 6)), ("2026/3/6", (2026, 3, 6)), ("2026.03.06", (2026, 3, 6)),
    ("2026年3月6日", (2026, 3, 6)), ("二〇二六年三月十六日", (2026, 3, 16)), ("2026年12月", (2026, 12, 1)),
    ("二〇二六年十二月二十一日", (2026, 12, 21)), ("2026年2月30日", None), ("第三季度", None), ("", None),
])
def test_dates_are_read_as_editors_write_them(text: str, ymd) -> None:
    assert parse_date(text) == ymd


def test_document_date_is_the_creation_and_modification_date(project: Path) -> None:
    meta, _ = made(project, "date: 2026年3月6日")
    assert meta["creationDate"] == meta["modDate"] == "D:20260306000000+00'00'"


def test_source_date_epoch_gives_the_date_and_byte_identical_builds(project: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")  # 2026-05-28 20:26:40 UTC
    meta, first = made(project, name="a.pdf")
    _, second = made(project, name="b.pdf")
    assert meta["creationDate"] == "D:20260528202640+00'00'"
    assert first == second


def test_without_either_the_build_time_is_the_date(project: Path, monkeypatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = time.time()
    meta, _ = made(project)
    stamp = meta["creationDate"]
    assert not stamp.startswith("D:2000")
    built = time.mktime(time.strptime(stamp[2:16], "%Y%m%d%H%M%S"))  # local time, as written
    assert before - 2 <= built <= time.time() + 2


def test_a_date_that_is_not_one_warns_and_the_build_time_is_used(project: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    (project / "report.yaml").write_text(SPEC.replace("DATE", "date: 第三季度"), encoding="utf-8")
    from paiban.cli import main

    assert main(["build", str(project / "report.yaml"), "-o", str(project / "out.pdf")]) == 0
    err = capsys.readouterr().err
    assert "report.yaml:3:9: warning: document.date: '第三季度' does not read as a date" in err, err
    assert pymupdf.open(project / "out.pdf").metadata["creationDate"] == "D:20260528202640+00'00'"


def test_a_bulletin_has_its_name_and_issue_in_title_and_subject(project: Path) -> None:
    spec = SPEC.replace("DATE", "name: 乡村振兴工作简报\n  number: 3\n  total_number: 45").replace(
        "page: {columns: 1}", "page: {columns: 1, masthead: bulletin}").replace(
        "  - text: 这是一段正文。", "  - article: {title: 县委召开推进会, body: [text: 正文。]}\n"
        "  - article: {title: 西潘乡的核桃, body: [text: 正文。]}")
    (project / "report.yaml").write_text(spec, encoding="utf-8")
    build(project / "report.yaml", project / "out.pdf")
    meta = pymupdf.open(project / "out.pdf").metadata
    assert meta["title"] == "乡村振兴工作简报 第3期（总第45期）"
    assert meta["subject"] == "乡村振兴工作简报 第3期（总第45期）：县委召开推进会；西潘乡的核桃"
