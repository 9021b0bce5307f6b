#!/usr/bin/env python3
"""Benchmark font loading: a CFF body font converted on the first build, then served from the cache.

    .venv/bin/python benchmarks/bench_fonts.py [--runs 3] [--font FILE.otf|.otc] [--no-apt]

The default briefing (report.yaml, the whole article) is copied to a temporary project whose
body family `song` is a CFF-outline font. It is Noto Serif CJK SC from the Debian package
fonts-noto-cjk (installed with apt-get when absent and allowed, i.e. running as root without
--no-apt); failing that, a CFF copy of the bundled Noto Serif SC made here with fontTools.
Each configuration is timed as a real editor meets it, `paiban build -v` in a fresh process,
median of N runs:

1. the bundled TrueType fonts (the default build, for reference);
2. the CFF body font with an empty font cache (the conversion happens: first build);
3. the CFF body font again, cache warm (the rebuild an editor waits for on every save).

Not a test: timings are too noisy to assert on. Prints wall time and the `prepare` stage.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTO_OTC = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


def cff_font(work: Path, given: str | None, apt: bool) -> tuple[Path, str]:
    """(font file, the song family's faces as written in the spec) for a CFF body font."""
    if given:
        path = Path(given).resolve()
        return path, f"{{path: {path}}}"
    if not NOTO_OTC.is_file() and apt and shutil.which("apt-get") and os.geteuid() == 0:
        print("installing fonts-noto-cjk with apt-get …", flush=True)
        subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "fonts-noto-cjk"],
                       check=False, capture_output=True)
    if NOTO_OTC.is_file():
        bold = NOTO_OTC.with_name("NotoSerifCJK-Bold.ttc")
        spec = f"{{path: {NOTO_OTC}, name: Noto Serif CJK SC}}"
        if bold.is_file():
            spec += f", bold: {{path: {bold}, name: Noto Serif CJK SC}}"
        return NOTO_OTC, spec
    print("fonts-noto-cjk not available: converting the bundled Noto Serif SC to CFF …", flush=True)
    return _to_cff(ROOT / "fonts" / "NotoSerifSC-Regular.ttf", work / "NotoSerifSC-CFF.otf"), ""


def _to_cff(src: Path, out: Path) -> Path:
    """A CFF-outline copy of a TrueType font (quadratic outlines drawn as cubic charstrings)."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen
    from fontTools.ttLib import TTFont

    ttf = TTFont(str(src))
    glyphs = ttf.getGlyphSet()
    order = ttf.getGlyphOrder()
    charstrings = {}
    for name in order:
        pen = T2CharStringPen(glyphs[name].width, glyphs)
        glyphs[name].draw(pen)
        charstrings[name] = pen.getCharString()
    fb = FontBuilder(ttf["head"].unitsPerEm, isTTF=False)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap(ttf.getBestCmap())
    ps = ttf["name"].getDebugName(6) or "NotoSerifSC-Regular"
    fb.setupCFF(ps, {"FullName": ttf["name"].getDebugName(4) or ps}, charstrings, {})
    fb.setupHorizontalMetrics({n: ttf["hmtx"][n] for n in order})
    fb.setupHorizontalHeader(ascent=ttf["hhea"].ascent, descent=ttf["hhea"].descent)
    fb.font["name"] = ttf["name"]
    fb.font["OS/2"] = ttf["OS/2"]
    fb.setupPost()
    fb.save(str(out))
    return out


def make_project(work: Path, song: str) -> Path:
    proj = work / "project"
    proj.mkdir()
    for name in ("report.yaml",):
        shutil.copy(ROOT / name, proj / name)
    for folder in ("fonts", "data", "figures"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, proj / folder)
    if song:
        spec = (proj / "report.yaml").read_text(encoding="utf-8")
        if ", bold: " not in song:  # keep the bundled bold face
            song += ", bold: fonts/NotoSerifSC-Bold.ttf"
        spec, n = re.subn(r"(?m)^  song: \{regular: [^,}]+(, bold: [^}]+)?\}",
                          f"  song: {{regular: {song}}}", spec)
        assert n == 1, "report.yaml's fonts.song line has changed; update the benchmark"
        (proj / "report.yaml").write_text(spec, encoding="utf-8")
    return proj


def timed_build(proj: Path) -> tuple[float, float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), NO_COLOR="1")
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "paiban", "build", "-v", "--allow-outside", "-o",
                        str(proj / "build" / "bench.pdf")], cwd=proj, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit(f"build failed ({r.returncode}):\n{r.stderr}")
    m = re.search(r"prepare\s+([\d.]+) s", r.stderr)
    return wall, float(m.group(1)) if m else float("nan")


def series(label: str, proj: Path, runs: int, clear_cache: bool) -> None:
    walls, prepares = [], []
    for _ in range(runs):
        if clear_cache:
            shutil.rmtree(proj / ".paiban-cache" / "fonts", ignore_errors=True)
        wall, prep = timed_build(proj)
        walls.append(wall)
        prepares.append(prep)
    print(f"{label:<44} build {statistics.median(walls):6.2f} s   prepare {statistics.median(prepares):6.2f} s"
          f"   (runs: {', '.join(f'{w:.2f}' for w in walls)})", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--font", help="a CFF-outline .otf/.otc to use for the body (default: Noto Serif CJK SC)")
    ap.add_argument("--no-apt", action="store_true", help="never apt-get fonts-noto-cjk")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="paiban-bench-fonts-") as tmp:
        work = Path(tmp)
        font, song = cff_font(work, args.font, apt=not args.no_apt)
        if not song:
            song = f"{{path: {font}}}"
        (work / "a").mkdir()
        (work / "b").mkdir()
        default = make_project(work / "a", "")
        cff = make_project(work / "b", song)
        print(f"body font: {font} ({font.stat().st_size / 1e6:.1f} MB); median of {args.runs} runs\n")
        timed_build(default)  # warm the OS file cache and Python's bytecode once
        series("bundled TrueType fonts (default build)", default, args.runs, clear_cache=False)
        series("CFF body font, first build (converts)", cff, args.runs, clear_cache=True)
        series("CFF body font, cached rebuild", cff, args.runs, clear_cache=False)


if __name__ == "__main__":
    main()
