"""Inputs read with limits that hold whatever the file is: a spec that is a device, a FIFO or a
folder is refused at once (never read to the end, never waited on); `--set` values are read by
the spec's own loader with its limits and located at the argument."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from paiban.store import NotRegular, TooLarge, read_regular
from tests.e2e.test_outputs import paiban
from tests.e2e.test_reliability import make_project


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


@pytest.mark.parametrize("make,message", [
    (lambda p: "/dev/zero", "/dev/zero: not a file but a device; expected a report spec (report.yaml)"),
    (lambda p: (os.mkfifo(p / "pipe.yaml"), "pipe.yaml")[1],
     "pipe.yaml: not a file but a FIFO (named pipe); expected a report spec (report.yaml)"),
    (lambda p: ((p / "folder.yaml").mkdir(), "folder.yaml")[1],
     "folder.yaml: not a file but a folder; expected a report spec (report.yaml)"),
])
def test_a_spec_that_is_not_a_file_is_refused_at_once(project: Path, make, message: str) -> None:
    spec = make(project)
    started = time.perf_counter()
    for command in ("build", "validate"):
        status, err = paiban(project, command, spec, "-q")
        assert status == 2
        assert message in err.splitlines()[0].replace(": error:", ":"), err
    assert time.perf_counter() - started < 20


def test_read_regular_holds_its_cap_whatever_st_size_says(tmp_path: Path) -> None:
    with pytest.raises(NotRegular):
        read_regular(Path("/dev/zero"), 10)
    big = tmp_path / "big"
    big.write_bytes(b"x" * 11)
    with pytest.raises(TooLarge):
        read_regular(big, 10)
    assert read_regular(big, 11) == b"x" * 11
    link = tmp_path / "link"
    link.symlink_to(big)
    with pytest.raises(OSError):
        read_regular(link, 100, follow=False)


@pytest.mark.parametrize("value,message", [
    ("page.colums=2", "--set page.colums=2: page: unknown key 'colums' (did you mean 'columns'?)"),
    ("page={columns: 2, columns: 3}", "--set page={columns: 2, columns: 3}: duplicate key 'columns'"),
    ("page.columns=" + "[" * 20_000, "nesting deeper than 100 levels"),
    ("document.title=" + "9" * 5000, "a number of 5,000 digits; at most 4,300 are read"),
    ("document.title=**标题", "--set document.title=**标题: document.title: bold '**' opened here is never closed"),
    ("document.title=a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
     "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]",
     "aliases (*name) expand the document by"),
])
def test_set_values_are_held_to_the_spec_files_limits(project: Path, value: str, message: str) -> None:
    started = time.perf_counter()
    status, err = paiban(project, "build", "-q", "-o", "out.pdf", "--set", value)
    assert time.perf_counter() - started < 20
    assert status == 2
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("--set ") and message in lines[0], err
    assert len(lines[0]) < 400  # a long value is cut in the middle
    assert not (project / "out.pdf").exists()


def test_a_date_from_set_is_accepted_as_in_the_file(project: Path) -> None:
    status, err = paiban(project, "build", "-q", "-o", "out.pdf", "--set", "document.date=2024-05-01")
    assert status == 0, err
