"""Shared fixtures: the repo's default report built once per test session, the bundled faces."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Builds in the suite are reproducible builds: a PDF's creation date is this moment (2026-03-06
# 00:00 UTC) unless its spec gives document.date, so two builds of one spec are byte-identical
# whenever they run (tests/layout/test_metadata.py unsets it to see the build time used).
os.environ.setdefault("SOURCE_DATE_EPOCH", "1772755200")

from tests.support.pdfcheck import assert_valid_pdf
from tests.support.project import FONTS, ROOT, run_paiban


@pytest.fixture(scope="session")
def default_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("default") / "report.pdf"
    r = run_paiban("build", str(ROOT / "report.yaml"), "-o", str(out), "--allow-outside")
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
