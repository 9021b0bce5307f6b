"""What paiban writes never costs the editor a file: the PDF is never written over an input (the
spec, a font, a data file), into a cache, over a FIFO or a device, or over a file that is not a
PDF; caches and outputs (the PDF wherever it is named, `-o` included, and preview images) stay
inside the project even through symlinks (unless --allow-outside); `init` and `schema -o` never write through a link or over a file without
--force; temporary files of crashed runs are removed by the next write.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from paiban.cli import main
from paiban.store import remove_stale_temps, temp_name, write_atomically
from tests.e2e.test_reliability import make_project
from tests.support.limits import time_limit
from tests.support.project import ROOT


def paiban(cwd: Path, *args: str) -> tuple[int, str]:
    """`paiban ARGS` in `cwd`, in this process: (status, stderr)."""
    err = io.StringIO()
    here = Path.cwd()
    os.chdir(cwd)
    try:
        with time_limit(60), redirect_stderr(err), redirect_stdout(io.StringIO()):
            status = main(list(args))
    finally:
        os.chdir(here)
    return status, err.getvalue()


def digest(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.is_symlink() and ".paiban-cache" not in p.parts}


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


@pytest.mark.parametrize("out,message", [
    ("report.yaml", "-o report.yaml: the PDF 'report.yaml' would replace the spec, an input of this build"),
    ("fonts/NotoSerifSC-Regular.ttf", "would replace a font, an input of this build"),
    ("data/edu.csv", "-o data/edu.csv: the PDF 'data/edu.csv' would replace a file that is not a PDF"),
    (".paiban-cache/x.pdf", "would be written into the cache folder .paiban-cache/"),
    ("figures/x.pdf", "would be written into the cache folder figures/"),
])
def test_the_pdf_never_replaces_an_input_or_another_file(project: Path, out: str, message: str) -> None:
    before = digest(project)
    status, err = paiban(project, "build", "-q", "-o", out)
    assert status == 2
    assert message in err and len(err.splitlines()) == 1, err
    assert digest(project) == before


def test_the_spec_output_key_may_not_name_an_input(project: Path) -> None:
    spec = project / "report.yaml"
    spec.write_text(spec.read_text(encoding="utf-8") + "output: fonts/NotoSansSC-Bold.ttf\n", encoding="utf-8")
    before = digest(project)
    status, err = paiban(project, "build", "-q")
    assert status == 2
    assert err.startswith("report.yaml:13:9: output: the PDF 'fonts/NotoSansSC-Bold.ttf' would replace a font"), err
    assert digest(project) == before


def test_only_regular_files_are_replaced(project: Path) -> None:
    os.mkfifo(project / "pipe")
    status, err = paiban(project, "build", "-q", "-o", "pipe")
    assert status == 2 and "would replace a FIFO (named pipe); only a regular file is replaced" in err
    assert (project / "pipe").is_fifo()
    status, err = paiban(project, "build", "-q", "-o", "/dev/null", "--allow-outside")
    assert status == 2 and "-o /dev/null: the PDF '/dev/null' would replace a device" in err
    (project / "folder.pdf").mkdir()
    status, err = paiban(project, "build", "-q", "-o", "folder.pdf")
    assert status == 2 and "would replace a folder" in err
    with pytest.raises(OSError, match="FIFO"):
        write_atomically(project / "pipe", b"x")
    assert (project / "pipe").is_fifo() and not list(project.glob(".pipe.*"))


def test_o_outside_the_project_needs_allow_outside(project: Path, tmp_path: Path) -> None:
    """`-o` is held to the project folder like `output:`: a slip of the shell writes nothing outside."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / "out").symlink_to(outside)
    for out in (str(outside / "report.pdf"), "../report.pdf", "out/report.pdf"):
        status, err = paiban(project, "build", "-q", "-o", out)
        assert status == 2, err
        assert err.startswith(f"-o {out}: the PDF {out!r} would be written outside the project folder "), err
        assert err.rstrip().endswith("pass --allow-outside to write it there") and len(err.splitlines()) == 1
        status, err = paiban(project, "preview", "-q", "--dpi", "20", "-o", str(Path(out).parent))
        assert status == 2 and "the images would be written outside the project folder" in err, err
    assert list(outside.iterdir()) == [] and not (tmp_path / "report.pdf").exists()
    assert not (project / "build").exists()  # refused before the build: nothing written at all
    status, err = paiban(project, "build", "-q", "-o", str(outside / "report.pdf"), "--allow-outside")
    assert status == 0, err
    assert (outside / "report.pdf").read_bytes()[:5] == b"%PDF-"


def test_a_build_writes_nothing_in_the_temp_folder(project: Path, tmp_path: Path) -> None:
    """Nothing of a build lands outside the project, the temp folder included: a long caption
    makes the segmenter load jieba's whole dictionary, whose own start-up would read and write
    TMPDIR/jieba.cache (a marshal file another user could plant)."""
    temp = tmp_path / "temp"
    temp.mkdir()
    spec = project / "report.yaml"
    caption = "山西省阳泉市盂县县委高擎习近平新时代中国特色社会主义思想伟大旗帜全面落实新时代党的建设总要求" * 2
    spec.write_text(spec.read_text(encoding="utf-8").replace("  - text: |\n", f"  - subhead: {caption}\n  - text: |\n", 1),
                    encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), NO_COLOR="1", TMPDIR=str(temp))
    r = subprocess.run([sys.executable, "-m", "paiban", "build", "-q"], cwd=project, env=env, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    segments = json.loads((project / ".paiban-cache" / "segments.json").read_text(encoding="utf-8"))
    assert caption in segments  # segmented by jieba in this build
    assert list(temp.iterdir()) == []


def test_build_and_cache_folders_linked_outside_are_refused(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    keep = [outside / f"{i:02}.bin" for i in range(45)]
    for p in keep:
        p.write_bytes(b"not paiban's")
    (project / "build").symlink_to(outside)
    status, err = paiban(project, "build", "-q")
    assert status == 2 and "outside the project folder" in err, err
    (project / "build").unlink()
    (project / ".paiban-cache").symlink_to(outside)
    status, err = paiban(project, "build", "-q")
    assert status == 2 and err.startswith(".paiban-cache: a link to "), err
    (project / ".paiban-cache").unlink()
    (project / ".paiban-cache" / "fonts").mkdir(parents=True)
    (project / ".paiban-cache" / "fonts" / "programs").symlink_to(outside)
    status, err = paiban(project, "build", "-q")
    assert status == 2 and err.startswith(".paiban-cache/fonts/programs: a link to "), err
    (project / "figures").symlink_to(outside)
    status, err = paiban(project, "build", "-q", "--allow-outside")
    assert status == 0, err
    assert all(p.read_bytes() == b"not paiban's" for p in keep)  # the program cache prunes its own folder only


def test_init_never_writes_through_a_link_nor_over_a_file(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.yaml"
    new = tmp_path / "new"
    new.mkdir()
    (new / "report.yaml").symlink_to(target)  # dangling
    status, err = paiban(tmp_path, "init", "-q", "new")
    assert status == 2 and "already has report.yaml; choose a new folder (nothing was written)" in err
    assert not target.exists() and not (new / "data").exists()
    status, err = paiban(tmp_path, "init", "-q", "--force", "new")
    assert status == 0, err
    assert not target.exists() and not (new / "report.yaml").is_symlink()
    assert (new / "report.yaml").read_text(encoding="utf-8").startswith("#")


def test_schema_o_replaces_a_file_only_with_force(tmp_path: Path) -> None:
    spec = tmp_path / "report.yaml"
    spec.write_text("document: {title: 标题}\n", encoding="utf-8")
    status, err = paiban(tmp_path, "schema", "-o", "report.yaml")
    assert status == 2
    assert err == "-o report.yaml: a file is already there; pass --force to replace it (nothing was written)\n"
    assert spec.read_text(encoding="utf-8") == "document: {title: 标题}\n"
    (tmp_path / "link.json").symlink_to(spec)
    status, err = paiban(tmp_path, "schema", "--force", "-o", "link.json")
    assert status == 0, err
    assert spec.read_text(encoding="utf-8") == "document: {title: 标题}\n"  # the link replaced, not its target
    assert (tmp_path / "link.json").read_text(encoding="utf-8").startswith("{")


def test_temp_files_of_crashed_runs_are_removed_by_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    dead = tmp_path / ".out.pdf.999999999-abcdef.tmp"  # no such process
    old = tmp_path / ".out.pdf.0a1b2c3d4e5f.tmp"  # the old naming, no pid: by age
    live = temp_name(target)  # this process's own, fresh
    other = tmp_path / ".out.pdf.x.999999999-abcdef.tmp"  # a temp of out.pdf.x, not of out.pdf
    for p in (dead, old, live, other):
        p.write_bytes(b"")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    assert live.name.startswith(f".out.pdf.{os.getpid()}-")
    removed = remove_stale_temps(target)
    assert sorted(removed) == sorted([dead, old])
    assert live.exists() and other.exists()
    write_atomically(target, b"%PDF-")
    assert live.exists() and target.read_bytes() == b"%PDF-"
