"""A watch session's memos never change the output: the PDF a watcher writes after edits is byte for
byte the one a fresh `paiban build` of the same files writes, and a long session's memos stay
bounded. The watcher is the real one (`Watcher.rebuild` in this process, as `paiban watch` runs
it, memos on); the fresh build is the real command line in a subprocess."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest
from reportlab.pdfbase.pdfdoc import PDFDocument

from paiban import memo
from paiban.cli.watch import Watcher, remembering
from tests.support.project import ROOT, run_paiban


def _project(to: Path) -> Path:
    shutil.copy(ROOT / "report.yaml", to / "report.yaml")
    for folder in ("fonts", "data", "images"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, to / folder, ignore=shutil.ignore_patterns("*.txt", "*.md"))
    return to / "report.yaml"


def _edited(text: str, anchor: str, n: int) -> str:
    """`text` with a few characters added to the end of the first line of the first paragraph
    after `anchor` (a part's title)."""
    start = text.index("  - text: |", text.index(anchor))
    end = text.index("\n", text.index("\n", start) + 1)
    return text[:end] + f"（第{n}次修改，加了几个字）" + text[end:]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return _project(tmp_path_factory.mktemp("watchmemo"))


def _fresh(spec: Path, name: str) -> bytes:
    out = spec.parent / "build" / name
    r = run_paiban("build", str(spec), "-o", str(out), cwd=spec.parent)
    assert r.returncode == 0, r.stderr
    return out.read_bytes()


def test_a_rebuild_in_a_watch_session_writes_what_a_fresh_build_writes(project: Path) -> None:
    original = project.read_text(encoding="utf-8")
    watcher = Watcher(project)
    with remembering():
        first = watcher.rebuild()
        assert first.ok, first.problems or first.crash
        # an edit early in the document (every later paragraph moves, new characters get codes),
        # then one in a later part, then the first text back (an undo)
        for text in (_edited(original, "强基铸魂", 1), _edited(original, "东梁乡", 2), original):
            project.write_text(text, encoding="utf-8")
            again = watcher.rebuild([project])
            assert again.ok, again.problems or again.crash
            pdf = again.result.output.read_bytes()
            assert pdf == _fresh(project, "fresh.pdf")
        used = memo.stats()
        assert used["paragraph lines"][2] > 0 and used["paragraph text objects"][2] > 0  # hits
    assert memo.stats() == {}  # the session over, its memos are gone


def test_a_long_session_keeps_its_memos_bounded(project: Path) -> None:
    original = project.read_text(encoding="utf-8")
    watcher = Watcher(project)
    sizes = []
    with remembering():
        for n in range(50):
            project.write_text(_edited(original, "秀水镇", n) if n else original, encoding="utf-8")
            outcome = watcher.rebuild([project])
            assert outcome.ok, outcome.problems or outcome.crash
            sizes.append({name: entries for name, (entries, *_rest) in memo.stats().items()})
        pdf = outcome.result.output.read_bytes()
    # each edit leaves an old version of the paragraph behind; what the last few builds did not
    # use is forgotten, so the tables hold what one build uses, not what fifty did
    for name in sizes[-1]:
        assert max(s.get(name, 0) for s in sizes[10:]) <= max(s.get(name, 0) for s in sizes[:10]) * 1.2, (name, sizes)
    # and no build's PDF document outlives it (its pages' drawing, its fonts' subsets)
    gc.collect()
    assert not [o for o in gc.get_objects() if isinstance(o, PDFDocument)]
    assert pdf == _fresh(project, "fresh50.pdf")
