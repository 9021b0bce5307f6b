#!/usr/bin/env python3
"""Benchmark the whole `paiban build` process on the default briefing, as an editor runs it.

    .venv/bin/python benchmarks/bench.py [--runs 5] [--scale-runs 3] [--no-scale] [--profile]
                                         [--src OTHER/src]

Not a test (timings are too noisy to assert on): it prints markdown tables. Every figure is
one `python -m paiban build` in a subprocess — interpreter start, imports, layout, PDF — in a
copy of the project in a temporary folder, so the checkout's own figures/ and caches are never
touched. Per scenario `--runs` runs (median and best wall time) of:

- cold: no figures/ and no .paiban-cache/ (every chart drawn, font metrics parsed, headlines
  segmented);
- warm: nothing changed since the last build;
- text edit: one paragraph changed, then built;
- CSV edit: one value of one data file changed (one chart redrawn), then built.

Wall time, CPU time (user + system of the child: steadier than wall on a busy machine), peak
RSS (the child's own ru_maxrss from wait4) and the PDF's size. The scale run repeats the
article's text blocks (figures, facts and images left out, `{fig:…}` references written out)
to about 50 and 300 pages and compares the layout stage's time per page with the 5-page
default briefing: it must stay flat. --profile prints cProfile's top functions of one warm
build (cumulative). --src measures another checkout's sources (before/after comparisons).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("report.yaml", "fonts", "data", "images", "docs/report.schema.json")
STAGE = re.compile(r"^\s+(load|prepare|layout\+write)\s+([0-9.]+) s$", re.M)
PAGES = re.compile(r": (\d+) pages, ")


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mb: float
    pdf_kb: float
    pages: int
    stages: dict[str, float]
    output: str


def copy_project(to: Path) -> Path:
    """The project's inputs (not its caches, build/ or figures/) in `to`; returns the spec."""
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, to / part)
        elif src.is_file():
            (to / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, to / part)
    return to / "report.yaml"


SRC = ROOT / "src"  # --src: measure another checkout's sources with this script


def child_env(project: Path) -> dict[str, str]:
    """The build's environment: this checkout's sources first, bytecode kept as an installed
    package keeps it (in a folder of the temporary project, so the checkout is not written to;
    PYTHONDONTWRITEBYTECODE would make every run compile paiban from source)."""
    env = dict(os.environ, NO_COLOR="1", PYTHONPYCACHEPREFIX=str(project / ".pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH", "")) if p)
    return env


def build_once(project: Path, spec: str = "report.yaml", *extra: str) -> Run:
    """One `python -m paiban build -v` in `project`: wall, CPU, peak RSS, PDF size, stage times."""
    env = child_env(project)
    out_path = project / "build" / "bench.pdf"
    cmd = [sys.executable, "-m", "paiban", "build", spec, "-o", str(out_path), "-v", *extra]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.stdout:
        proc.stdout.close()
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({proc.returncode}) in {project}:\n{output}")
    # ru_maxrss is in kilobytes on Linux, bytes on macOS
    rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    pages = PAGES.search(output)
    return Run(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss_mb=rss, pdf_kb=out_path.stat().st_size / 1024,
               pages=int(pages.group(1)) if pages else 0,
               stages={m.group(1): float(m.group(2)) for m in STAGE.finditer(output)}, output=output)


def median_run(runs: list[Run]) -> dict[str, float]:
    return {
        "wall": statistics.median(r.wall for r in runs),
        "best": min(r.wall for r in runs),
        "cpu": statistics.median(r.cpu for r in runs),
        "rss": max(r.rss_mb for r in runs),
        "kb": statistics.median(r.pdf_kb for r in runs),
        "pages": runs[-1].pages,
        "layout": statistics.median(r.stages.get("layout+write", 0.0) for r in runs),
    }


def clear_caches(project: Path) -> None:
    for name in ("figures", ".paiban-cache"):
        shutil.rmtree(project / name, ignore_errors=True)


def edit_paragraph(spec: Path, n: int) -> None:
    """Append a few characters to the first paragraph of the 秀水镇 part (as bench_watch does)."""
    text = spec.read_text("utf-8")
    start = text.index("  - text: |", text.index("秀水镇"))
    end = text.index("\n", text.index("\n", start) + 1)
    text = re.sub(r"（第\d+次修改）", "", text, count=1)
    end = text.index("\n", text.index("\n", start) + 1)
    spec.write_text(text[:end] + f"（第{n}次修改）" + text[end:], "utf-8")


def edit_csv(project: Path, n: int) -> None:
    """Change one value of data/education.csv (one chart depends on it)."""
    path = project / "data" / "education.csv"
    lines = path.read_text("utf-8").splitlines()
    cells = lines[1].split(",")
    cells[1] = str(101 + n % 7)
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", "utf-8")


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:
        return True


def scale_spec(project: Path, repeats: int) -> str:
    """A spec with the article's text blocks `repeats` times (no figures: ids must be unique)."""
    spec = yaml.safe_load((project / "report.yaml").read_text("utf-8"))
    keep = [b for b in spec["body"] if next(iter(b)) in ("lead", "part", "text", "subhead", "quote")]
    lead, rest = keep[:1], keep[1:]

    def plain(block: dict) -> dict:
        kind, value = next(iter(block.items()))
        if isinstance(value, str):
            value = re.sub(r"\{fig:[^}]+\}", "图", value)
        return {kind: value}

    spec["body"] = [plain(b) for b in lead] + [plain(b) for _ in range(repeats) for b in rest]
    name = f"scale-{repeats}.yaml"
    # written out in full: PyYAML would make repeated blocks aliases, and the loader refuses
    # more than 1,000 of them (a 1,000-page spec has many more)
    text = yaml.dump(spec, Dumper=_NoAliases, allow_unicode=True, sort_keys=False)
    (project / name).write_text(text, "utf-8")
    return name


TYPST = ("import sys, typst; typst.compile('twin.typ', output='build/twin.pdf', font_paths=['fonts'], "
         "ignore_system_fonts=True)")


def typst_once(project: Path) -> Run:
    """One whole-process Typst compile of the article's twin (benchmarks/typst_twin.py), timed as
    a paiban build is: interpreter start, the typst module's import, compile, PDF written."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", TYPST], cwd=project, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    output = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if proc.stdout:
        proc.stdout.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"typst failed in {project}:\n{output}")
    pdf = project / "build" / "twin.pdf"
    import pypdf

    return Run(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss_mb=usage.ru_maxrss / 1024,
               pdf_kb=pdf.stat().st_size / 1024, pages=len(pypdf.PdfReader(pdf).pages), stages={},
               output=output)


def have_typst() -> bool:
    import importlib.util

    return importlib.util.find_spec("typst") is not None


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or cpu
    load = ""
    if hasattr(os, "getloadavg"):
        load = f", load average {os.getloadavg()[0]:.1f} at the start"
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}{load}")


def profile_warm(project: Path, top: int = 25) -> None:
    """cProfile of one warm build in a child process (imports included), by cumulative time."""
    out = project / "build" / "profile.pstats"
    code = ("import cProfile, sys; from paiban.cli import main; "
            f"cProfile.run('main([\"build\", \"-q\", \"-o\", \"build/profile.pdf\"])', {str(out)!r})")
    subprocess.run([sys.executable, "-c", code], cwd=project, env=child_env(project), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import pstats

    pstats.Stats(str(out)).sort_stats("cumulative").print_stats(top)


def row(name: str, m: dict[str, float]) -> str:
    return (f"| {name} | {m['wall']:.2f} s | {m['best']:.2f} s | {m['cpu']:.2f} s | {m['rss']:.0f} MB "
            f"| {m['kb']:.0f} KB | {m['pages']:.0f} |")


def main() -> None:
    global SRC
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="runs per scenario (median reported)")
    ap.add_argument("--scale-runs", type=int, default=3, help="runs per scale size")
    ap.add_argument("--no-scale", action="store_true", help="skip the 50/300-page runs")
    ap.add_argument("--pages", default="50,300", help="scale sizes in pages (about)")
    ap.add_argument("--profile", action="store_true", help="print cProfile's top functions of a warm build")
    ap.add_argument("--top", type=int, default=25, help="functions --profile prints")
    ap.add_argument("--src", type=Path, help="the sources to measure (default: this checkout's src/)")
    args = ap.parse_args()
    SRC = (args.src or SRC).resolve()

    with tempfile.TemporaryDirectory(prefix="paiban-bench-") as tmp:
        project = Path(tmp)
        spec = copy_project(project)
        if args.profile:
            build_once(project)
            build_once(project)
            profile_warm(project, top=args.top)
            return
        results: dict[str, dict[str, float]] = {}
        say = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731

        say("warm-up (bytecode compiled once, as an installed package has it) …")
        build_once(project)
        say("cold builds …")
        cold = []
        for _ in range(args.runs):
            clear_caches(project)
            cold.append(build_once(project))
        results["cold (every chart drawn)"] = median_run(cold)
        say("warm builds …")
        build_once(project)
        # Typst and paiban's warm builds interleaved, so both see the same machine load
        typst_runs: list[Run] = []
        warm_runs: list[Run] = []
        if have_typst():
            sys.path.insert(0, str(ROOT / "benchmarks"))
            from typst_twin import twin

            (project / "twin.typ").write_text(twin(yaml.safe_load(spec.read_text("utf-8")), project), "utf-8")
            typst_once(project)
        else:
            say("typst not installed (pip install -e '.[bench]'): no ratios against Typst")
        for _ in range(args.runs):
            warm_runs.append(build_once(project))
            if have_typst():
                typst_runs.append(typst_once(project))
        results["warm (nothing changed)"] = median_run(warm_runs)
        say("one-paragraph edits …")
        edits = []
        for n in range(args.runs):
            edit_paragraph(spec, n + 1)
            edits.append(build_once(project))
        results["one paragraph edited"] = median_run(edits)
        if typst_runs:
            from importlib.metadata import version

            results[f"Typst (typst-py {version('typst')}), the same article"] = median_run(typst_runs)
        say("CSV edits …")
        csv = []
        for n in range(args.runs):
            edit_csv(project, n + 1)
            r = build_once(project)
            if "redrawn 1/" not in r.output:
                raise SystemExit(f"expected one chart redrawn after a CSV edit:\n{r.output}")
            csv.append(r)
        results["one CSV value changed (1 chart redrawn)"] = median_run(csv)

        scale: list[tuple[str, dict[str, float]]] = []
        if not args.no_scale:
            say("scale runs …")
            # pages per repetition of the text, from one and three repetitions
            one, three = scale_spec(project, 1), scale_spec(project, 3)
            p1, p3 = build_once(project, one).pages, build_once(project, three).pages
            per_rep = max((p3 - p1) / 2, 0.5)
            for target in (int(p) for p in args.pages.split(",")):
                reps = max(1, round((target - (p1 - per_rep)) / per_rep))
                name = scale_spec(project, reps)
                say(f"  {name} …")
                build_once(project, name)
                scale.append((f"text ×{reps}", median_run([build_once(project, name)
                                                           for _ in range(args.scale_runs)])))

    print(f"Machine: {machine()}\n")
    print("| build of the default briefing | wall (median) | wall (best) | CPU | peak RSS | PDF | pages |")
    print("|---|---|---|---|---|---|---|")
    for name, m in results.items():
        print(row(name, m))
    typst_row = next((m for name, m in results.items() if name.startswith("Typst")), None)
    if typst_row:
        print()
        print("| against Typst in the same run | paiban wall | Typst wall | ratio | paiban CPU | Typst CPU "
              "| ratio |")
        print("|---|---|---|---|---|---|---|")
        t = typst_row
        for name in ("warm (nothing changed)", "one paragraph edited", "cold (every chart drawn)"):
            m = results[name]
            print(f"| {name} | {m['wall']:.2f} s | {t['wall']:.2f} s | {m['wall'] / t['wall']:.2f}× "
                  f"| {m['cpu']:.2f} s | {t['cpu']:.2f} s | {m['cpu'] / t['cpu']:.2f}× |")
    if scale:
        print()
        base = results["warm (nothing changed)"]
        rows = [("default briefing (warm)", base), *scale]
        first = base["layout"] / base["pages"]
        print("| pages per build | pages | wall | CPU | peak RSS | RSS vs 5 pages | per page, whole process "
              "| per page, layout+write | layout+write per page vs 5 pages |")
        print("|---|---|---|---|---|---|---|---|---|")
        for name, m in rows:
            per = m["layout"] / m["pages"]
            print(f"| {name} | {m['pages']:.0f} | {m['wall']:.2f} s | {m['cpu']:.2f} s | {m['rss']:.0f} MB "
                  f"| {m['rss'] / base['rss']:.2f}× | {1000 * m['wall'] / m['pages']:.0f} ms | {1000 * per:.1f} ms "
                  f"| {per / first:.2f}× |")


if __name__ == "__main__":
    main()
