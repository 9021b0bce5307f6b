"""The build: spec → assets → story → PDF, each stage timed, the PDF written atomically.

Stages only look backwards (WeasyPrint's staged pipeline): `load` knows nothing of fonts,
`prepare` nothing of pages. An interrupted or failed build never leaves a half-written PDF:
ReportLab writes to a temporary file beside the target, renamed over it only when complete.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from paiban.errors import BuildError, Diagnostics, InputError
from paiban.store import write_atomically

Progress = Callable[[str], None]


@dataclass
class BuildResult:
    output: Path
    pages: int
    size: int
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    charts_drawn: list[str] = field(default_factory=list)
    charts_cached: list[str] = field(default_factory=list)
    warnings: list = field(default_factory=list)


def output_path(loaded, override: str | Path | None) -> Path:
    if override is not None:
        return Path(override)
    if loaded.spec.output:
        return loaded.base_dir / loaded.spec.output
    return loaded.base_dir / "build" / f"{loaded.source.path.stem}.pdf"


def build(spec_path: str | Path = "report.yaml", output: str | Path | None = None, *, strict: bool = False,
          overrides: Iterable[str] = (), allow_outside: bool = False, force_charts: bool = False,
          progress: Progress | None = None) -> BuildResult:
    from paiban.spec.load import load_spec

    say = progress or (lambda _stage: None)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()

    def lap(stage: str, start: float) -> float:
        now = time.perf_counter()
        timings[stage] = now - start
        return now

    say("load")
    loaded = load_spec(spec_path, overrides=overrides, allow_outside=allow_outside)
    t = lap("load", t0)

    say("fonts")
    from paiban.assets import prepare

    diagnostics = Diagnostics()
    assets = prepare(loaded, diagnostics, force_charts=force_charts, progress=say)
    t = lap("prepare", t)

    def refuse_warnings() -> None:
        if strict and diagnostics.warnings:
            first = diagnostics.warnings[0]
            raise InputError(f"{first.message} (an error under --strict)", first.location, first.path,
                             problems=[type(first)(f"{w.message} (an error under --strict)", w.location, w.path)
                                       for w in diagnostics.warnings])

    refuse_warnings()

    say("layout")
    from paiban.layout.render import render

    target = output_path(loaded, output)
    pages_box: list[int] = []

    def write(tmp: Path) -> None:
        pages_box.append(render(loaded, assets, tmp, diagnostics))
        refuse_warnings()  # layout warnings (a photo placeholder) too: the PDF is then not kept

    try:
        write_atomically(target, write)
    except (InputError, BuildError):
        raise
    except OSError as exc:
        raise BuildError(f"cannot write {target}: {exc.strerror or exc}") from None
    lap("layout+write", t)
    return BuildResult(output=target, pages=pages_box[0], size=target.stat().st_size,
                       seconds=time.perf_counter() - t0, timings=timings,
                       charts_drawn=list(assets.charts_drawn), charts_cached=list(assets.charts_cached),
                       warnings=list(diagnostics.warnings))
