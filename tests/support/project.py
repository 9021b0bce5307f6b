"""Where the project is, and the real command line run as an editor would run it."""

from __future__ import annotations

import os
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
