"""The build: spec → assets → story → PDF, each stage timed, the PDF written atomically.

Stages only look backwards (WeasyPrint's staged pipeline): `load` knows nothing of fonts,
`prepare` nothing of pages. An interrupted or failed build never leaves a half-written PDF:
ReportLab writes to a temporary file beside the target, renamed over it only when complete.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from paiban.errors import BuildError, Diagnostics, InputError, Location
from paiban.store import NotRegular, kind_of, write_atomically

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
    notes: list = field(default_factory=list)  # choices made for the editor (a collection's face)


CACHE_FOLDERS = (".paiban-cache", "figures")


def output_path(loaded, override: str | Path | None) -> Path:
    if override is not None:
        return Path(override)
    if loaded.spec.output:
        return loaded.base_dir / loaded.spec.output
    return loaded.base_dir / "build" / f"{loaded.source.path.stem}.pdf"


def checked_output(loaded, override: str | Path | None) -> Path:
    """Where the PDF goes, symlinks resolved, refused (a located InputError) when writing it there
    would lose or leak something.

    Never an input of the build (the spec, a font, a data table, an image) nor a file in a cache
    folder; never anything but a regular file (a FIFO, a device, a folder); never an existing file
    that is not a PDF (an empty one aside): `-o data/edu.csv` names a file the editor meant to keep.
    The PDF stays inside the project folder, wherever it is named (`-o`, the spec's `output:`, the
    default build/, a `build/` symlinked elsewhere included), unless --allow-outside: a slip of
    the shell (`-o ~/report.yaml`, `-o ../x`) writes nothing outside the project.
    """
    target = output_path(loaded, override)
    if override is not None:
        where, key, shown = Location(f"-o {override}"), None, str(override)
    elif loaded.spec.output:
        where, key, shown = loaded.where(["output"]), "output", str(loaded.spec.output)
    else:
        where, key, shown = Location(loaded.source.name), None, str(target)
    try:
        real = target.resolve()
    except (OSError, RuntimeError) as exc:
        raise InputError(f"cannot use {shown!r} as the PDF: {exc}", where, key) from None
    base = loaded.base_dir.resolve()
    if not loaded.allow_outside and not real.is_relative_to(base):
        raise InputError(f"the PDF {shown!r} would be written outside the project folder {base} (at {real}); "
                         "pass --allow-outside to write it there", where, key)
    files, fonts = loaded.input_files()
    if real in files:
        what = "the spec" if real == loaded.source.path.resolve() else "a font" if real in fonts else "a file the spec uses"
        raise InputError(f"the PDF {shown!r} would replace {what}, an input of this build; "
                         "choose another file, e.g. build/report.pdf", where, key)
    for name in CACHE_FOLDERS:
        cache = (loaded.base_dir / name).resolve()
        if real == cache or real.is_relative_to(cache):
            raise InputError(f"the PDF {shown!r} would be written into the cache folder {name}/; "
                             "choose another file, e.g. build/report.pdf", where, key)
    try:
        st = real.stat()
    except OSError:
        return real  # nothing there yet (or not reachable: the write says why)
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"the PDF {shown!r} would replace {kind_of(st.st_mode)}; only a regular file is replaced",
                         where, key)
    if st.st_size:
        try:
            with open(real, "rb") as f:
                head = f.read(5)
        except OSError:
            head = b"%PDF-"  # unreadable: the write reports what is wrong
        if head != b"%PDF-":
            raise InputError(f"the PDF {shown!r} would replace a file that is not a PDF; "
                             "move it away or choose another file", where, key)
    return real


def check_cache_folders(loaded) -> None:
    """The cache folders (and every folder in them) stay inside the project: a `.paiban-cache` or a
    `figures/` symlinked elsewhere would have paiban write, read and prune files outside it."""
    if loaded.allow_outside:
        return
    base = loaded.base_dir.resolve()
    for name in CACHE_FOLDERS:
        top = loaded.base_dir / name
        dirs = [top]
        walked = 0
        while dirs and walked < 200:
            d = dirs.pop()
            walked += 1
            try:
                real = d.resolve()
                if d.is_symlink() and not real.is_relative_to(base):
                    raise InputError(f"a link to {real}, outside the project folder; remove the link "
                                     "(it is a cache) or pass --allow-outside",
                                     Location(str(d.relative_to(loaded.base_dir))))
                if d.is_dir() and not d.is_symlink():
                    dirs.extend(Path(e.path) for e in os.scandir(d) if e.is_dir(follow_symlinks=True))
            except OSError:
                continue


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
    target = checked_output(loaded, output)
    check_cache_folders(loaded)
    t = lap("load", t0)

    say("fonts")
    from paiban.assets import prepare

    diagnostics = Diagnostics()
    # table cells and chart labels break between words too: from the disk cache of segmentations
    # the headlines use, so a warm build never loads jieba's dictionary (about a second)
    from paiban.cjk.display import use_words
    from paiban.layout.headline import Segmenter

    segmenter = Segmenter(loaded.cache_dir)
    use_words(segmenter.words)
    assets = prepare(loaded, diagnostics, force_charts=force_charts, progress=say)
    segmenter.save()
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

    pages_box: list[int] = []

    def write(tmp: Path) -> None:
        pages_box.append(render(loaded, assets, tmp, diagnostics, segmenter))
        refuse_warnings()  # layout warnings (a photo placeholder) too: the PDF is then not kept

    try:
        write_atomically(target, write, output=True)
    except (InputError, BuildError):
        raise
    except NotRegular as exc:
        raise InputError(f"cannot write {target}: it is {exc.strerror}; only a regular file is replaced") from None
    except OSError as exc:
        raise BuildError(f"cannot write {target}: {exc.strerror or exc}") from None
    lap("layout+write", t)
    return BuildResult(output=output_path(loaded, output), pages=pages_box[0], size=target.stat().st_size,
                       seconds=time.perf_counter() - t0, timings=timings,
                       charts_drawn=list(assets.charts_drawn), charts_cached=list(assets.charts_cached),
                       warnings=list(diagnostics.warnings), notes=list(diagnostics.notes))
