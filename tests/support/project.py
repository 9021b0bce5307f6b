"""Where the project is, and the real command line run as an editor would run it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FONTS = ROOT / "fonts"
DATA = Path(__file__).resolve().parent / "data"


def run_paiban(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the real command line in a subprocess, as an editor would."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "paiban", *args], cwd=cwd or ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def run_python(code: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """`code` run by a fresh interpreter that imports this checkout's paiban: what a process
    loads at start-up, which the test process itself has long since loaded."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=timeout)


def copy_project(dest: Path) -> Path:
    """The repo's default project (report.yaml, fonts/, data/ and the committed charts in figures/)
    copied into `dest`, which is returned.

    A test builds the default report in a copy, never in the checkout: a build writes figures/,
    .paiban-cache/ and build/ beside its spec, and with the suite spread over processes
    (pytest -n) another test may be copying or reading the checkout at that moment. figures/
    comes without its pickles and without any temporary file of a build running in the checkout
    (a `.NAME.PID-RANDOM.tmp` listed, then moved away, would fail the copy).
    """
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "report.yaml", dest / "report.yaml")
    for folder in ("fonts", "data", "figures"):
        shutil.copytree(ROOT / folder, dest / folder, ignore=shutil.ignore_patterns("*.pkl", "*.tmp", ".*"))
    return dest
