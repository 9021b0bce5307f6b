"""The `paiban` command: build, validate, charts, fonts, schema, init, watch, preview.

Exit status: 0 success, 1 a build that failed on good input, 2 bad input (spec, data, fonts).
Errors are one line each, `file:line:column: key.path: message`, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from paiban import __version__
from paiban.errors import PaibanError, Problem


class Console:
    """Plain lines for pipes and CI, rich colour on a terminal."""

    def __init__(self, quiet: bool = False, verbose: bool = False):
        self.quiet, self.verbose = quiet, verbose
        self.tty = sys.stderr.isatty() and os.environ.get("NO_COLOR") is None
        self._rich = None
        if self.tty:
            from rich.console import Console as RichConsole

            self._rich = RichConsole(stderr=True, highlight=False)

    def out(self, text: str) -> None:
        if not self.quiet:
            print(text, flush=True)

    def info(self, text: str) -> None:
        if self.verbose:
            print(text, file=sys.stderr, flush=True)

    def problem(self, p: Problem, source_lines: dict[str, list[str]] | None = None) -> None:
        head = f"{p.location}: " if p.location else ""
        path = f"{p.path}: " if p.path else ""
        line = f"{head}{p.severity}: {path}{p.message}" if p.severity == "warning" else f"{head}{path}{p.message}"
        if self._rich is not None:
            color = "yellow" if p.severity == "warning" else "red"
            from rich.markup import escape

            self._rich.print(f"[{color}]{escape(line)}[/{color}]")
        else:
            print(line, file=sys.stderr, flush=True)


def _add_common(p: argparse.ArgumentParser, spec: bool = True) -> None:
    if spec:
        p.add_argument("spec", nargs="?", default="report.yaml", help="the report spec (default: ./report.yaml)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY.PATH=VALUE",
                   help="override a spec value, e.g. --set page.columns=2 (repeatable)")
    p.add_argument("--allow-outside", action="store_true",
                   help="allow data, font and image files outside the spec's folder")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    p.add_argument("-v", "--verbose", action="store_true", help="print per-stage timings")


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="paiban", description="Typeset a report.yaml into a print-quality PDF briefing.")
    ap.add_argument("--version", action="version", version=f"paiban {__version__}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    b = sub.add_parser("build", help="build the PDF")
    _add_common(b)
    b.add_argument("-o", "--output", help="where to write the PDF (default: the spec's output:, else build/<spec>.pdf)")
    b.add_argument("--strict", action="store_true", help="treat warnings (placeholders, fallbacks) as errors")
    b.add_argument("--force-charts", action="store_true", help="redraw every chart")
    v = sub.add_parser("validate", help="check the spec, data and fonts without building")
    _add_common(v)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command is None:
        parser().print_help()
        return 2
    console = Console(quiet=getattr(args, "quiet", False), verbose=getattr(args, "verbose", False))
    try:
        return COMMANDS[args.command](args, console)
    except PaibanError as exc:
        for p in exc.problems:
            console.problem(p)
        return exc.exit_status
    except KeyboardInterrupt:
        print("paiban: interrupted; the previous PDF is unchanged", file=sys.stderr)
        return 130


def cmd_build(args: argparse.Namespace, console: Console) -> int:
    from paiban.build import build

    result = build(args.spec, args.output, strict=args.strict, overrides=args.overrides,
                   allow_outside=args.allow_outside, force_charts=args.force_charts,
                   progress=lambda stage: console.info(f"… {stage}"))
    for w in result.warnings:
        console.problem(w)
    size = result.size / 1024
    charts = ""
    if result.charts_drawn or result.charts_cached:
        charts = f", charts redrawn {len(result.charts_drawn)}/{len(result.charts_drawn) + len(result.charts_cached)}"
        if result.charts_drawn:
            charts += f" ({', '.join(result.charts_drawn)})"
    console.out(f"{result.output}: {result.pages} pages, {size:.0f} KB, {result.seconds:.2f} s{charts}")
    for stage, secs in result.timings.items():
        console.info(f"  {stage:<14} {secs:.3f} s")
    return 0


def cmd_validate(args: argparse.Namespace, console: Console) -> int:
    from paiban.assets import prepare
    from paiban.errors import Diagnostics
    from paiban.spec import load_spec

    loaded = load_spec(args.spec, overrides=args.overrides, allow_outside=args.allow_outside)
    diagnostics = Diagnostics()
    prepare(loaded, diagnostics, draw_charts=False)
    for w in diagnostics.warnings:
        console.problem(w)
    console.out(f"{loaded.source.name}: ok")
    return 0


COMMANDS = {"build": cmd_build, "validate": cmd_validate}
