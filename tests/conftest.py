"""Shared fixtures: a copy of the repo's project and its default report built once per test
process, the bundled faces.

The suite runs in parallel (pytest-xdist, `-n auto` in pyproject's addopts): each worker is a
process with its own session, so a session fixture is made once per worker, in that worker's
own temporary folder. Nothing here writes in the checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Builds in the suite are reproducible builds: a PDF's creation date is this moment (2026-03-06
# 00:00 UTC) unless its spec gives document.date, so two builds of one spec are byte-identical
# whenever they run (tests/layout/test_metadata.py unsets it to see the build time used).
os.environ.setdefault("SOURCE_DATE_EPOCH", "1772755200")

from tests.support.pdfcheck import assert_valid_pdf
from tests.support.project import FONTS, copy_project, run_paiban


@pytest.fixture(scope="session")
def default_project(tmp_path_factory) -> Path:
    """The repo's default project, copied once per worker: the tests that build report.yaml (with
    or without --set) build it here, one after another as in a serial run, so its caches warm
    up as the checkout's would, and no two workers share a figures/ or .paiban-cache/."""
    return copy_project(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="session")
def default_pdf(default_project: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("default") / "report.pdf"
    r = run_paiban("build", "report.yaml", "-o", str(out), "--allow-outside", cwd=default_project)
    assert r.returncode == 0, r.stderr
    assert_valid_pdf(out)
    return out


# The bundled faces, loaded (and registered with ReportLab) once per session.
def _face(file: str):
    from paiban.fonts.load import load_face

    return load_face(FONTS / file)


@pytest.fixture(scope="session")
def serif():
    return _face("NotoSerifSC-Regular.ttf")


@pytest.fixture(scope="session")
def serif_bold():
    return _face("NotoSerifSC-Bold.ttf")


@pytest.fixture(scope="session")
def sans():
    return _face("NotoSansSC-Regular.ttf")


@pytest.fixture(scope="session")
def kai():
    return _face("LXGWWenKai-Regular.ttf")

