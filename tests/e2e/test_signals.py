"""Interrupted and concurrent builds lose nothing.

Ctrl-C (SIGINT) or SIGTERM at a random moment of a real build of the default report — loading,
fonts, charts being redrawn, layout, writing — leaves the previous PDF byte-identical (or, when
the signal comes too late, the complete new one), no temporary file anywhere in the project, a
chart cache the next build can use, exit status 130 or 143 and one line saying so. Two builds of
the same project at once, both redrawing every chart into the same figures/ folder, both succeed
and leave a consistent cache.
"""

from __future__ import annotations

import json
import os
import pickle
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.pdfcheck import assert_valid_pdf
from tests.support.project import FONTS, ROOT

TARGET = Path("build") / "report.pdf"
INTERRUPTED = {signal.SIGINT: (130, "paiban: interrupted (SIGINT); no PDF written, the previous one is unchanged"),
               signal.SIGTERM: (143, "paiban: interrupted (SIGTERM); no PDF written, the previous one is unchanged"),
               # closing the terminal, Ctrl-\\: as SIGTERM (they left 0-byte temporary files)
               signal.SIGHUP: (129, "paiban: interrupted (SIGHUP); no PDF written, the previous one is unchanged"),
               signal.SIGQUIT: (131, "paiban: interrupted (SIGQUIT); no PDF written, the previous one is unchanged"),
               # signals paiban does not use, whose default action kills the process mid-write
               signal.SIGUSR1: (138, "paiban: interrupted (SIGUSR1); no PDF written, the previous one is unchanged"),
               signal.SIGUSR2: (140, "paiban: interrupted (SIGUSR2); no PDF written, the previous one is unchanged")}


def paiban(*args: str, cwd: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), NO_COLOR="1")
    return subprocess.Popen([sys.executable, "-m", "paiban", *args], cwd=cwd, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    p = paiban(*args, cwd=cwd)
    out, err = p.communicate(timeout=300)
    return subprocess.CompletedProcess(p.args, p.returncode, out, err)


def stray_files(root: Path) -> list[Path]:
    """Temporary files of the PDF writer, the chart cache, the font cache or the segmenter."""
    return [p for p in root.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".segments.")
            or (p.parent.name == "figures" and p.name.startswith("."))]


class Project:
    """A copy of the repository's default report with a previous PDF in build/."""

    def __init__(self, root: Path):
        self.root = root
        for name in ("report.yaml", "data"):
            src = ROOT / name
            (shutil.copytree if src.is_dir() else shutil.copy)(src, root / name)
        shutil.copytree(FONTS, root / "fonts", ignore=shutil.ignore_patterns("*.txt", "*.md"))
        # the PDF the default report gives, and a different one standing for yesterday's build
        r = run("build", "-o", "reference.pdf", cwd=root)
        assert r.returncode == 0, r.stderr
        assert_valid_pdf(root / "reference.pdf")
        self.reference = (root / "reference.pdf").read_bytes()
        r = run("build", "--set", "page.columns=2", "-o", "previous.pdf", cwd=root)
        assert r.returncode == 0, r.stderr
        self.previous = (root / "previous.pdf").read_bytes()
        assert self.previous != self.reference
        # how long a build takes with its charts cached and redrawn: the range of the delays
        self.seconds = {force: self.timed(force) for force in (False, True)}

    def timed(self, force: bool) -> float:
        """Seconds from a build's first stage line (where `interrupt` starts counting) to its end."""
        p = paiban("build", "-o", "again.pdf", "-v", *(["--force-charts"] if force else []), cwd=self.root)
        first_line(p)
        started = time.perf_counter()
        _, err = p.communicate(timeout=300)
        seconds = time.perf_counter() - started
        assert p.returncode == 0, err
        assert (self.root / "again.pdf").read_bytes() == self.reference  # builds are reproducible
        return seconds

    def reset(self) -> None:
        (self.root / TARGET).parent.mkdir(exist_ok=True)
        (self.root / TARGET).write_bytes(self.previous)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    return Project(tmp_path_factory.mktemp("signals"))


def interrupt(project: Project, sig: signal.Signals, delay: float, force: bool) -> tuple[int, str, str]:
    """Start a build, wait for its first stage line (the CLI's handlers are in place by then),
    sleep `delay`, send `sig`; (exit status, stdout, stderr)."""
    args = ["build", "-o", str(TARGET), "-v"] + (["--force-charts"] if force else [])
    p = paiban(*args, cwd=project.root)
    first = first_line(p)
    time.sleep(delay)
    p.send_signal(sig)  # a no-op if the build has already finished
    out, err = p.communicate(timeout=120)
    return p.returncode, out, first + err


def first_line(p: subprocess.Popen) -> str:
    """The first line on a build's stderr (`… load`, printed once the CLI's signal handlers are in
    place), read byte by byte: nothing may sit in a buffer that communicate() would skip."""
    assert p.stderr is not None
    line = b""
    while not line.endswith(b"\n"):
        byte = os.read(p.stderr.fileno(), 1)
        if not byte:
            break
        line += byte
    return line.decode()


@pytest.mark.parametrize("rounds", [1, pytest.param(6, marks=pytest.mark.slow)])
def test_an_interrupted_build_leaves_the_previous_pdf_and_no_temp_files(project: Project, rounds: int) -> None:
    seed = random.randrange(10**6)
    rng = random.Random(seed)
    outcomes = []
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2) * rounds:
        forces = {signal.SIGINT: 2, signal.SIGTERM: 2, signal.SIGUSR1: 0.5, signal.SIGUSR2: 0.5}.get(sig, 1)
        for force in ((False, True) * 2)[:int(forces * 2)]:
            project.reset()
            delay = rng.uniform(0.0, 0.85 * project.seconds[force])  # any stage; some land after the end
            status, out, err = interrupt(project, sig, delay, force)
            case = f"seed {seed}: {sig.name} after {delay:.2f} s{' (--force-charts)' if force else ''}: exit {status}"
            outcomes.append(case)
            assert "Traceback" not in err, f"{case}\n{err}"
            assert not stray_files(project.root), f"{case}: {stray_files(project.root)}"
            pdf = (project.root / TARGET).read_bytes()
            if status == 0:  # the signal came after the build had finished
                assert pdf == project.reference, case
                continue
            expected_status, line = INTERRUPTED[sig]
            assert status == expected_status, f"{case}\n{err}"
            last = err.strip().splitlines()[-1]
            if last.endswith("was written; it is complete"):  # the signal came as the build ended
                assert last.startswith(f"paiban: interrupted ({sig.name}) after "), f"{case}\n{err}"
                assert pdf == project.reference, case
                continue
            assert last == line, f"{case}\n{err}"
            assert pdf == project.previous, f"{case}: the previous PDF changed"
    print("\n".join(outcomes))
    # the chart cache (some charts rewritten, some interrupted) serves the next build as it is
    project.reset()
    r = run("build", "-o", str(TARGET), cwd=project.root)
    assert r.returncode == 0, r.stderr
    assert "charts redrawn 0/" in r.stdout, r.stdout
    assert (project.root / TARGET).read_bytes() == project.reference


def cache_is_consistent(figures: Path) -> list[str]:
    """Every chart's .key, .pkl and .svg carry the same key (none half-written or mixed up)."""
    ids = sorted(p.stem for p in figures.glob("*.key"))
    assert ids
    for chart_id in ids:
        key = json.loads((figures / f"{chart_id}.key").read_text(encoding="utf-8"))["key"]
        with open(figures / f"{chart_id}.pkl", "rb") as f:
            assert pickle.load(f)["key"] == key, chart_id
        svg = (figures / f"{chart_id}.svg").read_bytes()
        assert f"<!-- paiban-chart-key: {key} -->".encode() in svg[:4096], chart_id
        assert svg.rstrip().endswith(b"</svg>"), chart_id
    return ids


def test_two_builds_at_once_keep_the_chart_cache_whole(project: Project) -> None:
    figures = project.root / "figures"
    r = run("build", "-o", "reference.pdf", cwd=project.root)  # again: the tree may have moved since
    assert r.returncode == 0, r.stderr
    assert_valid_pdf(project.root / "reference.pdf")
    reference = (project.root / "reference.pdf").read_bytes()
    for outputs in (("build/a.pdf", "build/b.pdf"), (str(TARGET), str(TARGET))):  # own PDFs, then one PDF
        builds = [paiban("build", "--force-charts", "-o", out, cwd=project.root) for out in outputs]
        results = [(p.communicate(timeout=300), p.returncode) for p in builds]
        for (out, err), status in results:
            assert status == 0, err
            assert "charts redrawn" in out
        for out in set(outputs):
            assert (project.root / out).read_bytes() == reference
        assert not stray_files(project.root), stray_files(project.root)
        ids = cache_is_consistent(figures)
    r = run("build", "-o", str(TARGET), cwd=project.root)
    assert r.returncode == 0, r.stderr
    assert f"charts redrawn 0/{len(ids)}" in r.stdout, r.stdout


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_an_interrupt_swallowed_by_a_weakref_callback_is_delivered_again(sig: str) -> None:
    """Python prints an exception raised in a weakref callback or `__del__` as "Exception
    ignored" and goes on; matplotlib runs many, so a Ctrl-C can land in one. The CLI keeps the
    interrupt and raises it at the build's next progress step."""
    import gc
    import weakref

    from paiban import cli

    expected = KeyboardInterrupt if sig == "SIGINT" else cli.Terminated
    saved = cli._catch_signals()
    assert saved is not None
    try:
        class Victim:
            pass

        def callback(_ref: object) -> None:
            raise expected  # as the signal handler would, had the signal landed here

        victim = Victim()
        ref = weakref.ref(victim, callback)
        del victim  # the callback runs, its exception is "ignored"…
        gc.collect()
        assert ref() is None
        with pytest.raises(expected):  # …and the build's next progress step raises it
            with cli.Console(quiet=True).progress() as say:
                say("layout")
    finally:
        sys.unraisablehook = cli._hooks.pop()
        for s, handler in saved.items():
            signal.signal(s, handler)
