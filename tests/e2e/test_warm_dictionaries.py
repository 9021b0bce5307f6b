"""A warm build loads neither jieba's dictionary nor pyphen's: both cost about a second under load.

Table cells and chart labels break between words found by jieba, and Latin words in justified
text are hyphenated by pyphen; a second build of the same project must find both in
`.paiban-cache` (segments.json, hyphenation.json). Each build runs in a fresh process, as an
editor's `paiban build` does, and reports what it loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.project import ROOT, copy_project

# One build; prints whether jieba was imported and how many pyphen dictionaries were read.
SCRIPT = """
import json, sys
import pyphen
made = []
init = pyphen.Pyphen.__init__
def counting(self, *a, **k):
    made.append(1)
    init(self, *a, **k)
pyphen.Pyphen.__init__ = counting
from paiban.build import build
build("report.yaml", "build/out.pdf")
print(json.dumps({"jieba": "jieba" in sys.modules, "pyphen": len(made)}))
"""

LATIN = ("  - text: |\n      The internationalization of agricultural cooperatives, said the representatives "
         "of the municipality, transformed neighbouring communities and their responsibilities.\n")


def build_in_a_process(root: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), NO_COLOR="1")
    proc = subprocess.run([sys.executable, "-c", SCRIPT], cwd=root, env=env, capture_output=True, text=True,
                          timeout=300, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_a_warm_build_reads_words_and_hyphens_from_the_cache(tmp_path: Path) -> None:
    copy_project(tmp_path)
    spec = (tmp_path / "report.yaml").read_text("utf-8")
    at = spec.index("  - credit:")
    (tmp_path / "report.yaml").write_text(spec[:at] + LATIN + spec[at:], "utf-8")
    cold = build_in_a_process(tmp_path)
    assert cold["pyphen"] == 1  # the Latin paragraph was hyphenated: pyphen was needed once
    assert json.loads((tmp_path / ".paiban-cache" / "hyphenation.json").read_text("utf-8"))
    warm = build_in_a_process(tmp_path)
    assert warm == {"jieba": False, "pyphen": 0}
