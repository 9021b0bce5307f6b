"""Bad specs as data: each tests/spec/bad_specs/NAME.yaml is refused by `paiban build` with exit 2
and exactly the message in NAME.expected beside it (located NAME.yaml:line:col), and nothing is
written: the PDF already there stays byte-identical, no temporary file is left behind.

To add a case, write NAME.yaml (fonts as fonts/…, the bundled faces the project folder holds) and
NAME.expected, the message as `paiban build NAME.yaml` prints it in that folder, with `{project}`
where it names the project folder's absolute path.
"""

from __future__ import annotations

import io
import os
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from paiban.cli import main
from tests.support.limits import time_limit
from tests.support.project import FONTS

CASES = Path(__file__).resolve().parent / "bad_specs"
NAMES = sorted(p.stem for p in CASES.glob("*.yaml"))
LAST_GOOD = b"%PDF-1.4\n% the editor's last good build\n"


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*")}


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder two levels down (so that a case writing ../../x would write inside
    `root`, where the snapshot sees it), holding the bundled fonts."""
    root = tmp_path_factory.mktemp("bad_spec")
    shutil.copytree(FONTS, root / "a" / "project" / "fonts", ignore=shutil.ignore_patterns("*.txt", "*.md"))
    return root


def build(project: Path, name: str) -> tuple[int, str]:
    """`paiban build NAME.yaml -o NAME.pdf` in the project folder, in this process: (status, stderr)."""
    err = io.StringIO()
    cwd = Path.cwd()
    os.chdir(project)
    try:
        with time_limit(60), redirect_stderr(err), redirect_stdout(io.StringIO()):
            status = main(["build", f"{name}.yaml", "-o", f"{name}.pdf"])
    finally:
        os.chdir(cwd)
    return status, err.getvalue()


def test_every_case_has_its_message() -> None:
    assert NAMES
    assert sorted(p.stem for p in CASES.glob("*.expected")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_a_bad_spec_is_refused_with_its_message_and_writes_nothing(root: Path, name: str) -> None:
    project = root / "a" / "project"
    shutil.copyfile(CASES / f"{name}.yaml", project / f"{name}.yaml")
    (project / f"{name}.pdf").write_bytes(LAST_GOOD)
    before = snapshot(root)
    status, stderr = build(project, name)
    expected = (CASES / f"{name}.expected").read_text(encoding="utf-8").replace("{project}", str(project))
    assert stderr == expected
    assert status == 2
    assert snapshot(root) == before
