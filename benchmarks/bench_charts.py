"""Cold vs warm chart preparation of the briefing's default figures, as whole processes.

    .venv/bin/python benchmarks/bench_charts.py [--runs 7]

Each run is a fresh Python process (imports included, as an editor's rebuild would pay them) that
loads report.figures.yaml's tables and prepares every chart into a scratch figures/ folder:

- baseline: the same process without preparing charts (imports incl. ReportLab's platypus, the
            four faces the body needs anyway, tables);
- cold:     the cache emptied before each run (matplotlib imported, every chart drawn);
- warm:     the cache filled (charts unpickled; neither matplotlib nor svglib imported).

Prints the median and spread of the wall time of each, and the in-process time of the
preparation step alone (what charts add to a build that loads its fonts anyway).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = r"""
import json, sys, time
t0 = time.perf_counter()
from pathlib import Path
import yaml
from paiban.charts import load_tables, prepare_charts
from paiban.fonts.book import FontBook
from paiban.spec.charts import ChartTheme, FigureBlock, TableSpec
root, figures, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
spec = yaml.safe_load((root / "report.figures.yaml").read_text("utf-8"))
fonts = FontBook({"hei": {"regular": (root / "fonts/NotoSansSC-Regular.ttf", 0),
                          "bold": (root / "fonts/NotoSansSC-Bold.ttf", 0)},
                  "song": {"regular": (root / "fonts/NotoSerifSC-Regular.ttf", 0)},
                  "kai": {"regular": (root / "fonts/LXGWWenKai-Regular.ttf", 0)}})
import reportlab.graphics.shapes, reportlab.platypus  # the layout imports these anyway
for family in ("hei", "song", "kai"):  # the build loads these for the body text anyway
    fonts.face(family)
fonts.face("hei", "bold")
theme = ChartTheme(**spec["charts"])
tables = load_tables({k: TableSpec(**v) for k, v in spec["data"].items()}, root)
figs = [FigureBlock(**f["block"]["figure"]) for f in spec["figures"] if "figure" in f["block"]]
t1 = time.perf_counter()
drawn = cached = []
if mode != "baseline":
    res = prepare_charts(figs, tables, theme, fonts, figures, widths={"column": 155.0, "page": 493.0},
                         pitch=16.15)
    drawn, cached = res.drawn, res.cached
t2 = time.perf_counter()
print(json.dumps({"prepare": t2 - t1, "setup": t1 - t0, "drawn": len(drawn), "cached": len(cached),
                  "matplotlib": "matplotlib" in sys.modules}))
"""


def run(figures: Path, mode: str) -> tuple[float, dict]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT), str(figures), mode], env=env,
                         capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    return wall, json.loads(out.stdout.strip().splitlines()[-1])


def summary(name: str, samples: list[tuple[float, dict]]) -> str:
    walls = [w for w, _ in samples]
    preps = [info["prepare"] for _, info in samples]
    info = samples[-1][1]
    return (f"{name:9s} wall median {statistics.median(walls) * 1000:7.1f} ms "
            f"(min {min(walls) * 1000:6.1f}, max {max(walls) * 1000:6.1f})   "
            f"prepare median {statistics.median(preps) * 1000:7.1f} ms   "
            f"drawn {info['drawn']}, cached {info['cached']}, matplotlib imported: {info['matplotlib']}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    runs = max(5, args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        figures = Path(tmp) / "figures"
        run(figures, "cold")  # warm the OS file cache and matplotlib's font cache once
        baseline = [run(figures, "baseline") for _ in range(runs)]
        cold = []
        for _ in range(runs):
            shutil.rmtree(figures, ignore_errors=True)
            cold.append(run(figures, "cold"))
        warm = [run(figures, "warm") for _ in range(runs)]
    print(f"default figures of report.figures.yaml, {runs} runs each, whole-process wall time")
    for name, samples in (("baseline", baseline), ("cold", cold), ("warm", warm)):
        print(summary(name, samples))


if __name__ == "__main__":
    main()
