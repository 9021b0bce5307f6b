#!/usr/bin/env python3
"""Benchmark `paiban watch`: how long after a one-paragraph save the new PDF is there (not a
test: timings are too noisy to assert on).

    .venv/bin/python benchmarks/bench_watch.py [--edits 8] [--profile]

A Watcher runs in this process on a copy of the default briefing (report.yaml, fonts/, data/)
in a temporary folder, as `paiban watch` does. Each edit appends a few characters to the first
paragraph of the 秀水镇 part and saves; printed per edit: the rebuild (build() alone, wall and
CPU time of this process) and save → report (the watcher's event, debounce and rebuild), then the
medians. --profile prints where one rebuild after an edit spends its time, with the session's
memos warm (cProfile, top functions), and what the memos hold.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from paiban.cli.watch import Outcome, Watcher  # noqa: E402


def copy_project(to: Path) -> Path:
    shutil.copy(ROOT / "report.yaml", to / "report.yaml")
    for folder in ("fonts", "data", "images"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, to / folder)
    return to / "report.yaml"


def edited(text: str, n: int) -> str:
    start = text.index("  - text: |", text.index("秀水镇"))
    end = text.index("\n", text.index("\n", start) + 1)  # end of the paragraph's first line
    return text[:end] + f"（第{n}次修改）" + text[end:]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edits", type=int, default=8)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        spec = copy_project(Path(tmp))
        original = spec.read_text(encoding="utf-8")
        reports: list[tuple[float, float, Outcome]] = []
        arrived = threading.Event()

        def report(o: Outcome) -> None:
            reports.append((time.perf_counter(), time.process_time(), o))
            arrived.set()

        watcher = Watcher(spec, report=report)
        stop = threading.Event()
        threading.Thread(target=watcher.run, args=(stop,), daemon=True).start()
        arrived.wait(120)
        first = reports[-1][2]
        print(f"first build: {first.seconds:.3f} s", first.result.timings if first.ok else first.problems)
        time.sleep(1.5)

        walls, cpus, latencies = [], [], []
        for n in range(1, args.edits + 1):
            arrived.clear()
            t0, c0 = time.perf_counter(), time.process_time()
            spec.write_text(edited(original, n), encoding="utf-8")
            if not arrived.wait(60):
                sys.exit(f"edit {n}: no rebuild within 60 s")
            t1, c1, o = reports[-1]
            if not o.ok:
                sys.exit(f"edit {n}: {o.problems or o.crash}")
            walls.append(o.seconds)
            cpus.append(c1 - c0)
            latencies.append(t1 - t0)
            stages = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in o.result.timings.items())
            print(f"edit {n}: rebuild {o.seconds * 1000:.0f} ms (cpu {cpus[-1] * 1000:.0f} ms; {stages}); "
                  f"save → report {latencies[-1] * 1000:.0f} ms")
            time.sleep(0.5)
        print(f"median rebuild {statistics.median(walls) * 1000:.0f} ms, cpu {statistics.median(cpus) * 1000:.0f} ms, "
              f"save → report {statistics.median(latencies) * 1000:.0f} ms")
        stop.set()

        if args.profile:
            import cProfile
            import pstats

            from paiban import memo
            from paiban.build import build
            from paiban.cli.watch import remembering

            with remembering():  # as in the session: memos warm, then one edit profiled
                for n in (args.edits + 1, args.edits + 2):
                    memo.next_build()
                    spec.write_text(edited(original, n), encoding="utf-8")
                    build(spec)
                memo.next_build()
                spec.write_text(edited(original, args.edits + 3), encoding="utf-8")
                prof = cProfile.Profile()
                prof.enable()
                build(spec)
                prof.disable()
                print("memo tables (entries, weight, hits, misses):", memo.stats())
            pstats.Stats(prof).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
