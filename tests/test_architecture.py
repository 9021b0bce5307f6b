"""The code's layout holds (README: How the code is laid out): the layering and no import cycles
(import-linter's contracts in pyproject.toml), no module in src over 600 lines, no test reaching for
a private name."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

from tests.support.project import ROOT

SRC = ROOT / "src" / "paiban"
MAX_MODULE_LINES = 600


def test_the_import_contracts_are_kept() -> None:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert exe, "import-linter is a test dependency: pip install -e '.[test]'"
    done = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={"PATH": str(Path(sys.executable).parent), "PYTHONPATH": str(ROOT / "src")})
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_no_module_is_over_600_lines() -> None:
    long = {str(p.relative_to(SRC)): n for p in SRC.rglob("*.py")
            if (n := len(p.read_text("utf-8").splitlines())) > MAX_MODULE_LINES}
    assert long == {}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_no_test_imports_a_private_name() -> None:
    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("paiban"):
                names = [a.name for a in node.names if _private(a.name)]
                if names or any(_private(part) for part in (node.module or "").split(".")):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.module} {names}")
            elif isinstance(node, ast.Import):
                found += [f"{path.relative_to(ROOT)}:{node.lineno}: {a.name}" for a in node.names
                          if a.name.startswith("paiban") and any(_private(p) for p in a.name.split("."))]
    assert found == []
