"""Charts from data: vector, in the page's type, redrawn only when their data change.

The build calls:

    tables = load_tables(spec.data, base_dir, where)            # CSV/JSON/inline → Table
    result = prepare_charts([(["body", i, "figure"], block), ...], tables, spec.charts, fonts,
                            base_dir / "figures", widths={"column": col_w, "page": page_w},
                            where=where, pitch=body_line_pitch, force=args.force_charts,
                            progress=say)
    result["education"].drawing    # a ReportLab Drawing exactly `width` points wide
    result.drawn, result.cached    # ids drawn now / taken from figures/

`where(keys) -> Location` is the spec stage's lookup (LoadedSpec.where). Every problem with the
data or a figure's reference to it is an InputError located at the CSV/JSON line or the spec key;
`check_figures` finds them all without drawing (for `paiban validate`).

Nothing here imports matplotlib unless a chart must really be drawn, nor svglib unless a cached
SVG must be re-parsed; a build whose charts are cached only unpickles their Drawings.
Facts boxes are not charts: see paiban.layout.facts.FactsBox.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paiban.charts import cache
from paiban.charts.figdata import ChartData, figure_table, resolve
from paiban.charts.style import ChartStyle, resolve_style
from paiban.charts.tables import Table, Where, load_table, load_tables, no_where
from paiban.errors import BuildError, InputError, Problem, dotted
from paiban.fonts.book import FontBook
from paiban.spec.charts import ChartTheme, FigureBlock

__all__ = [
    "ChartData", "ChartOut", "ChartsResult", "FigureJob", "Table", "check_figures", "load_table", "load_tables",
    "prepare_charts", "resolve_style",
]

FigureItem = FigureBlock | tuple[Sequence[Any], FigureBlock]


@dataclass
class ChartOut:
    """One prepared chart."""

    id: str
    block: FigureBlock
    drawing: Any  # reportlab.graphics.shapes.Drawing, `width` points wide
    width: float
    height: float
    svg: Path  # figures/<id>.svg
    redrawn: bool  # drawn with matplotlib in this run
    reason: list[str]  # why it was redrawn ("new", "data", "theme", "fonts", "figure", "size", "code", …)
    source: str | None  # the figure's source note, else its table's
    seconds: float = 0.0
    wide: bool = False  # a table too wide to read in a column, drawn across the page


@dataclass
class ChartsResult:
    charts: dict[str, ChartOut] = field(default_factory=dict)
    drawn: list[str] = field(default_factory=list)  # ids drawn with matplotlib now
    cached: list[str] = field(default_factory=list)  # ids taken from figures/ (pickle or SVG)

    def __getitem__(self, chart_id: str) -> ChartOut:
        return self.charts[chart_id]

    def __contains__(self, chart_id: object) -> bool:
        return chart_id in self.charts


@dataclass
class FigureJob:
    """A figure checked against its data: what `prepare_charts` draws (or finds in the cache)."""

    keys: tuple[Any, ...]
    fig: FigureBlock
    table: Table
    data: ChartData


def check_figures(figures: Iterable[FigureItem], tables: Mapping[str, Table], *, base_dir: Path,
                  where: Where | None = None, thousands: int = 10000) -> list[FigureJob]:
    """Resolve every figure against its table; all problems are raised together as one InputError."""
    where = where or no_where
    jobs: list[FigureJob] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for item in figures:
        keys, fig = _split(item)
        try:
            if fig.id in seen:
                raise InputError(f"duplicate figure id {fig.id!r} (also at {seen[fig.id]})", where((*keys, "id")),
                                 dotted((*keys, "id")))
            seen[fig.id] = dotted(keys)
            table = figure_table(fig, keys, dict(tables), base_dir, where)
            data = resolve(fig, table, keys, where, thousands=thousands)
            if fig.chart == "hbar" and len(data.series) > 1:
                raise InputError("hbar draws one value column; use chart: grouped for several",
                                 where((*keys, "y")), dotted((*keys, "y")))
            jobs.append(FigureJob(tuple(keys), fig, table, data))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems[0].message, problems[0].location, problems[0].path, problems)
    return jobs


def prepare_charts(figures: Iterable[FigureItem], tables: Mapping[str, Table], theme: ChartTheme,
                   fonts: FontBook, figures_dir: str | Path, *, widths: Mapping[str, float] | float,
                   where: Where | None = None, base_dir: str | Path | None = None, pitch: float | None = None,
                   force: bool = False, progress: Callable[[str], None] | None = None) -> ChartsResult:
    """Make every figure's Drawing, from the cache when its key is unchanged, else by drawing it.

    figures: FigureBlocks, or (spec keys, FigureBlock) pairs such as (["body", 7, "figure"], block)
      so that errors point at the block's line through `where`.
    widths: the frame width in points for width: column and width: page (or one number for both).
    pitch: the body's line pitch; a chart's height is rounded up to a multiple of it.
    force: redraw everything (`paiban build --force-charts`).
    progress: called with one line per chart drawn ("drew C01 (data) in 0.08 s").
    """
    figures_dir = Path(figures_dir)
    base = Path(base_dir) if base_dir is not None else figures_dir.parent
    where = where or no_where
    jobs = check_figures(figures, tables, base_dir=base, where=where, thousands=theme.thousands)
    result = ChartsResult()
    if not jobs:
        return result
    if theme.font not in fonts.families:
        raise InputError(f"unknown font family {theme.font!r} for charts; fonts: defines "
                         f"{', '.join(fonts.families)}", where(("charts", "font")), "charts.font")
    style = resolve_style(theme, fonts)
    for job in jobs:
        width = _width(widths, job.fig.width)
        wide = False
        if job.fig.chart == "table" and job.fig.width == "column" and not isinstance(widths, int | float):
            from paiban.charts.tabular import min_table_width

            if min_table_width(job.data, style) > width:  # unreadable in a column: across the page
                width, wide = _width(widths, "page"), True
        try:
            out = _prepare_one(job, theme, style, figures_dir, width, pitch, force, fonts.cache_dir)
        except InputError as exc:  # e.g. a label no chart font can draw: say which figure
            raise InputError(f"figure {job.fig.id!r}: {exc.problem.message}", exc.location or where(job.keys),
                             exc.problem.path or dotted(job.keys)) from None
        except OSError as exc:
            raise BuildError(f"cannot write the chart cache in {figures_dir}: {exc.strerror or exc}") from None
        out.wide = wide
        result.charts[out.id] = out
        (result.drawn if out.redrawn else result.cached).append(out.id)
        if progress is not None and out.redrawn:
            progress(f"drew {out.id} ({', '.join(out.reason)}) in {out.seconds:.2f} s")
    return result


def _prepare_one(job: FigureJob, theme: ChartTheme, style: ChartStyle, figures_dir: Path, width: float,
                 pitch: float | None, force: bool, memo_dir: Path | None = None) -> ChartOut:
    t0 = time.perf_counter()
    fig = job.fig
    key = cache.chart_key(fig, job.table, theme, style, width, pitch, memo_dir)
    svg_path, pkl_path, key_path = cache.paths(figures_dir, fig.id)
    source = fig.source if fig.source is not None else job.table.source
    reason: list[str] = ["forced"] if force else []
    if not force:
        old = cache.read_key(key_path)
        if old is not None and old.get("key") == key.value:
            drawing = cache.load_drawing(pkl_path, key, _font_names(style))
            if drawing is None:  # the pickle is gone or stale: re-parse the SVG (no matplotlib needed)
                drawing = _from_svg(svg_path, key, style, width, pkl_path)
            if drawing is not None:
                return ChartOut(fig.id, fig, drawing, drawing.width, drawing.height, svg_path, False, [],
                                source, time.perf_counter() - t0)
            reason = ["cache files missing"]
        else:
            reason = key.changed(old.get("parts") if old else None)
    from paiban.charts.draw import render_svg
    from paiban.charts.svg import svg_to_drawing

    svg = cache.stamp_svg(render_svg(job.data, fig, style, width, pitch), key)
    drawing = svg_to_drawing(svg, style.faces, style.regular, style.bold, width)
    cache.save_svg(svg_path, svg)
    cache.save_drawing(pkl_path, key, drawing)
    cache.write_key(key_path, key)
    return ChartOut(fig.id, fig, drawing, drawing.width, drawing.height, svg_path, True, reason, source,
                    time.perf_counter() - t0)


def _font_names(style: ChartStyle) -> frozenset[str]:
    """The ReportLab names a chart's texts may be set in."""
    faces = [*style.faces, style.regular, *([style.bold] if style.bold is not None else [])]
    return frozenset(f.rl_name for f in faces)


def _from_svg(svg_path: Path, key: cache.Key, style: ChartStyle, width: float, pkl_path: Path) -> Any | None:
    """The drawing parsed from `<id>.svg` when it carries this key and parses into a whole chart;
    None (the chart is drawn again) for a file cut short, altered or that svglib cannot read:
    never a blank chart."""
    svg = cache.read_cached(svg_path)
    if svg is None or cache.svg_key(svg) != key.value or not svg.rstrip().endswith(b"</svg>"):
        return None
    from paiban.charts.svg import svg_to_drawing

    try:
        drawing = svg_to_drawing(svg, style.faces, style.regular, style.bold, width)
    except Exception:  # noqa: BLE001 - svglib's and lxml's errors alike: a cache miss, drawn again
        return None
    if cache.checked_drawing(drawing, _font_names(style)) is None:
        return None
    cache.save_drawing(pkl_path, key, drawing)
    return drawing


def _split(item: FigureItem) -> tuple[tuple[Any, ...], FigureBlock]:
    if isinstance(item, FigureBlock):
        return ("figures", item.id), item
    keys, fig = item
    return tuple(keys), fig


def _width(widths: Mapping[str, float] | float, which: str) -> float:
    if isinstance(widths, int | float):
        return float(widths)
    if which in widths:
        return float(widths[which])
    return float(next(iter(widths.values())))
