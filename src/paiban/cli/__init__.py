"""The `paiban` command: build, validate, charts, fonts, schema, init, watch, preview.

Exit status: 0 success, 1 a build that failed on good input, 2 bad input (spec, data, fonts).
Errors are one line each, `file:line:column: key.path: message`, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paiban import __version__
from paiban.errors import PaibanError, Problem

if TYPE_CHECKING:
    from paiban.build import BuildResult
    from paiban.cli.excerpt import Sources


class Console:
    """Plain lines for pipes and CI, rich colour on a terminal."""

    def __init__(self, quiet: bool = False, verbose: bool = False):
        self.quiet, self.verbose = quiet, verbose
        self.tty = sys.stderr.isatty() and os.environ.get("NO_COLOR") is None
        self._rich = None
        if self.tty:
            from rich.console import Console as RichConsole

            # no emoji codes: "report.yaml:100:12" must not turn into "report.yaml💯12"
            self._rich = RichConsole(stderr=True, highlight=False, emoji=False, soft_wrap=True)

    def out(self, text: str) -> None:
        if not self.quiet:
            print(text, flush=True)

    def info(self, text: str) -> None:
        if self.verbose:
            print(text, file=sys.stderr, flush=True)

    def problem(self, p: Problem, source_lines: dict[str, list[str]] | None = None) -> None:
        head = f"{p.location}: " if p.location else ""
        path = f"{p.path}: " if p.path else ""
        shown = p.severity in ("warning", "note")
        line = f"{head}{p.severity}: {path}{p.message}" if shown else f"{head}{path}{p.message}"
        if not line.isprintable():  # one line each, whatever control character the editor's text holds
            line = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in line)
        if self._rich is not None:
            color = {"warning": "yellow", "note": "cyan"}.get(p.severity, "red")
            from rich.markup import escape

            self._rich.print(f"[{color}]{escape(line)}[/{color}]")
        else:
            print(line, file=sys.stderr, flush=True)

    def notes(self, notes: list[Problem]) -> None:
        """Choices paiban made for the editor (a collection's face), one line each; not under -q."""
        if not self.quiet:
            for n in notes:
                self.problem(n)

    def err(self, text: str) -> None:
        """A line on stderr even under --quiet (failures and their summary)."""
        print(text, file=sys.stderr, flush=True)

    def diagnostic(self, p: Problem, sources: Sources) -> None:
        """A problem in the compiler form (validate, watch): severity, the source line, a caret."""
        from paiban.cli.excerpt import headline, quote

        if p.severity == "warning" and self.quiet:
            return
        lines = quote(p, sources)
        if self._rich is None:
            for line in (headline(p), *lines):
                print(line, file=sys.stderr, flush=True)
            return
        from rich.markup import escape

        color = "yellow" if p.severity == "warning" else "red"
        head = f"{p.location}: " if p.location else ""
        path = f"{p.path}: " if p.path else ""
        self._rich.print(f"[bold]{escape(head)}[/bold][bold {color}]{p.severity}:[/] {escape(path + p.message)}",
                         soft_wrap=True)
        for i, line in enumerate(lines):
            gutter, _, rest = line.partition("|")
            style = "bold green" if i == 1 else "default"
            self._rich.print(f"[blue]{escape(gutter)}|[/blue][{style}]{escape(rest)}[/]", soft_wrap=True)

    @contextmanager
    def progress(self) -> Iterator[Callable[[str], None]]:
        """The build's progress callback: `… stage` lines under -v, a live display on a terminal."""
        view = None
        if self._rich is not None and not self.quiet:
            from paiban.cli.progress import BuildProgress

            view = BuildProgress(self._rich)

        def say(stage: str) -> None:
            _deliver_swallowed_interrupt()
            self.info(f"… {stage}")
            if view is not None:
                view(stage)

        if view is None:
            yield say
            return
        with view:
            yield say


def _add_common(p: argparse.ArgumentParser, spec: bool = True) -> None:
    if spec:
        p.add_argument("spec", nargs="?", default="report.yaml", help="the report spec (default: ./report.yaml)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY.PATH=VALUE",
                   help="override a spec value, e.g. --set page.columns=2 (repeatable)")
    p.add_argument("--allow-outside", action="store_true",
                   help="allow input files (data, fonts, images) and outputs (the PDF, previews) outside the spec's folder")
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
    w = sub.add_parser("watch", help="rebuild the PDF whenever the spec or a file it uses changes")
    _add_common(w)
    w.add_argument("-o", "--output", help="where to write the PDF (as for build)")
    w.add_argument("--strict", action="store_true", help="treat warnings as errors")
    pv = sub.add_parser("preview", help="build, then write PNG images of pages")
    _add_common(pv)
    pv.add_argument("--pages", metavar="RANGE", help="pages to render, e.g. 1, 1-2, 2- or 1,3 (default: all)")
    pv.add_argument("--dpi", type=int, default=110, help="resolution (default 110)")
    pv.add_argument("-o", "--output-dir", metavar="DIR",
                    help="folder for the PNG files (default: preview/ beside the PDF)")
    i = sub.add_parser("init", help="create a new project that builds as it is")
    i.add_argument("dir", metavar="DIR", help="the new project's folder (created if needed)")
    i.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    i.add_argument("--force", action="store_true", help="replace files the folder already has")
    i.add_argument("-t", "--template", default="feature", metavar="NAME",
                   help="feature (one article, default), bulletin (a 简报 of several articles), gongwen (a 公文), "
                        "or any template paiban ships")
    f = sub.add_parser("fonts", help="list each font family and face: file, glyphs, characters it lacks")
    _add_common(f)
    im = sub.add_parser("import", help="turn a Word document into a Markdown file and print its spec block")
    im.add_argument("document", metavar="FILE.docx", help="the Word document")
    im.add_argument("-o", "--output", metavar="FILE.md", help="where to write the Markdown (default: beside it)")
    im.add_argument("--force", action="store_true", help="replace the Markdown file if it exists")
    im.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors and the block")
    sc = sub.add_parser("schema", help="print the JSON Schema of report.yaml")
    sc.add_argument("-o", "--output", metavar="FILE", help="write it to FILE instead of printing it")
    sc.add_argument("--force", action="store_true", help="replace FILE if it exists")
    return ap


class Terminated(BaseException):
    """SIGTERM (or SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2: its args hold the number), raised in the main thread like
    Ctrl-C's KeyboardInterrupt.

    SIGTERM's default action kills the process without running `finally`, which would leave
    the build's temporary PDF behind; as an exception it unwinds the stack, so every temporary
    file is removed and the previous PDF stays as it was. Not an `Exception`, so no
    `except Exception` on the way swallows it.
    """


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated(signum)


# Signals that end the build as SIGTERM does (the temporary PDF removed, the old one kept):
# SIGHUP when the terminal closes, SIGQUIT from Ctrl-\ (whose default also dumps core), SIGUSR1
# and SIGUSR2 (paiban uses neither; their default action kills the process mid-write).
ENDING_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2")
                       if hasattr(signal, name))


def _terminated(exc: BaseException) -> tuple[str, int]:
    """("SIGHUP", 129), … for a Terminated: the signal's name and the shell's status for it."""
    signum = exc.args[0] if exc.args else signal.SIGTERM
    try:
        name = signal.Signals(signum).name
    except ValueError:
        name = "SIGTERM"
    return name, 128 + int(signum)


def main(argv: Sequence[str] | None = None) -> int:
    """The `paiban` command. Without `argv` it is the program itself (sys.argv) and ends the
    process (`startup.exit_now`: no interpreter teardown) unless another thread runs; with `argv`
    it is called in-process, returns, and leaves signal handlers as it found them."""
    from paiban.cli.startup import exit_now

    code = _run(argv)
    if argv is None:
        exit_now(code)  # returns only when Python must exit its own way
    return code


def _run(argv: Sequence[str] | None) -> int:
    from paiban.cli.startup import prepare_process, tune_collector

    if argv is None:
        tune_collector()
    prepare_process()
    saved = _catch_signals()
    try:
        return _main(argv)
    except KeyboardInterrupt:
        return _interrupted("SIGINT", 130, exit_now=argv is None)
    except Terminated as exc:
        return _interrupted(*_terminated(exc), exit_now=argv is None)
    except Exception as exc:
        # An interrupt unwinding through a library's `finally` that fails in turn (ReportLab's
        # drawGroup deletes an attribute it had not set yet) arrives as that library's error.
        behind = _interrupt_behind(exc)
        if behind is None:
            raise
        return _interrupted(*behind, exit_now=argv is None)
    finally:
        if saved is not None:
            sys.unraisablehook = _hooks.pop()
            _swallowed.clear()  # too late to stop anything: the command has finished
            for sig, handler in saved.items():
                # The program exits next: a late signal must not become a traceback or a kill.
                if argv is None:
                    signal.signal(sig, signal.SIG_IGN)
                elif handler is not None:  # None: set outside Python, cannot be put back
                    signal.signal(sig, handler)


def _catch_signals() -> dict | None:
    """Turn SIGTERM into `Terminated` (SIGINT raises KeyboardInterrupt already); returns the
    handlers to put back, or None off the main thread, where signals cannot be handled."""
    try:
        saved = {signal.SIGINT: signal.getsignal(signal.SIGINT)}
        for sig in ENDING_SIGNALS:
            saved[sig] = signal.signal(sig, _raise_terminated)
    except ValueError:  # main() called from a thread: leave signals alone
        return None
    _hooks.append(sys.unraisablehook)
    sys.unraisablehook = _keep_swallowed_interrupt
    return saved


_hooks: list[Any] = []  # the unraisable hooks main() replaced, to put back


def _keep_swallowed_interrupt(info: Any) -> None:
    """An interrupt raised while Python runs a weakref callback or a `__del__` (matplotlib has
    many) would be printed as "Exception ignored…" with a traceback, and then lost: the build
    would go on. Keep it instead; the build's next progress step raises it (a chart, a stage)."""
    if isinstance(info.exc_value, (KeyboardInterrupt, Terminated)):
        _swallowed.append(info.exc_value)
    else:
        (_hooks[-1] if _hooks else sys.__unraisablehook__)(info)


_swallowed: list[BaseException] = []


def _deliver_swallowed_interrupt() -> None:
    if _swallowed:
        raise _swallowed.pop()


def _interrupt_behind(exc: BaseException) -> tuple[str, int] | None:
    """("SIGINT", 130) or ("SIGTERM", 143) if an interrupt is among the exceptions `exc` replaced."""
    seen: set[int] = set()
    e: BaseException | None = exc
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        if isinstance(e, KeyboardInterrupt):
            return "SIGINT", 130
        if isinstance(e, Terminated):
            return _terminated(e)
        e = e.__context__ or e.__cause__
    return None


def _interrupted(name: str, status: int, *, exit_now: bool = False) -> int:
    """Say so in one line. As the program (`exit_now`), leave at once: the temporary files are
    gone already (removed while the interrupt unwound the stack), and an extension module cut
    off mid-call (matplotlib being imported, say) can crash the interpreter's finalization."""
    if threading.current_thread() is threading.main_thread():  # a second Ctrl-C must not cut this line
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for sig in ENDING_SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
    from paiban.store import OUTPUTS_WRITTEN

    if OUTPUTS_WRITTEN:  # it came after the PDF was in place: the PDF is the new one, whole
        print(f"paiban: interrupted ({name}) after {OUTPUTS_WRITTEN[-1]} was written; it is complete",
              file=sys.stderr, flush=True)
    else:
        print(f"paiban: interrupted ({name}); no PDF written, the previous one is unchanged",
              file=sys.stderr, flush=True)
    if exit_now:
        sys.stdout.flush()
        os._exit(status)
    return status


def _main(argv: Sequence[str] | None) -> int:
    args = parser().parse_args(argv)
    if args.command is None:
        parser().print_help()
        return 2
    console = Console(quiet=getattr(args, "quiet", False), verbose=getattr(args, "verbose", False))
    try:
        return COMMANDS[args.command](args, console)
    except PaibanError as exc:
        if _interrupt_behind(exc) is not None:  # an interrupt, not the editor's mistake
            raise
        for p in exc.problems:
            console.problem(p)
        return exc.exit_status


def cmd_build(args: argparse.Namespace, console: Console) -> int:
    from paiban.build import build

    with console.progress() as say:
        result = build(args.spec, args.output, strict=args.strict, overrides=args.overrides,
                       allow_outside=args.allow_outside, force_charts=args.force_charts, progress=say)
    for w in result.warnings:
        console.problem(w)
    console.notes(result.notes)
    console.out(build_summary(result))
    for stage, secs in result.timings.items():
        console.info(f"  {stage:<14} {secs:.3f} s")
    _cache_notes(console)
    return 0


def _cache_notes(console: Console) -> None:
    """Under -v, one line per cache file that was ignored as not what paiban writes."""
    from paiban.store import take_notes

    for line in take_notes():
        console.info(line)


def build_summary(result: BuildResult) -> str:
    """`build/report.pdf: 4 pages, 374 KB, 0.76 s, charts redrawn 1/3 (education)`."""
    size = result.size / 1024
    charts = ""
    if result.charts_drawn or result.charts_cached:
        charts = f", charts redrawn {len(result.charts_drawn)}/{len(result.charts_drawn) + len(result.charts_cached)}"
        if result.charts_drawn:
            charts += f" ({', '.join(result.charts_drawn)})"
    return f"{result.output}: {result.pages} pages, {size:.0f} KB, {result.seconds:.2f} s{charts}"


def cmd_validate(args: argparse.Namespace, console: Console) -> int:
    """Every problem in the compiler form; exit 0 when valid (warnings allowed), 2 when not."""
    from paiban.cli.excerpt import Sources, summary
    from paiban.validate import validate

    result = validate(args.spec, overrides=args.overrides, allow_outside=args.allow_outside)
    sources = Sources()
    for line in result.reads:  # a file read in another encoding than UTF-8, or from a sheet, is news
        (console.info if "utf-8" in line else console.out)(line)
    for p in result.problems:
        console.diagnostic(p, sources)
    console.notes(result.notes)
    if result.ok:
        console.out(summary(result.name, 0, len(result.warnings)))
        return 0
    console.err(summary(result.name, len(result.errors), len(result.warnings)))
    return 2


def cmd_watch(args: argparse.Namespace, console: Console) -> int:
    """Build, then rebuild on every save until Ctrl-C; a broken spec keeps the last good PDF."""
    from paiban.cli.excerpt import Sources
    from paiban.cli.watch import Outcome, Watcher
    from paiban.spec.loader import display_name

    sources = Sources()
    shown_warnings: list[str] = []

    def report(o: Outcome) -> None:
        stamp = time.strftime("[%H:%M:%S]")
        changed = ", ".join(display_name(p) for p in o.changed[:3]) + (" …" if len(o.changed) > 3 else "")
        cause = f"{changed} → " if changed else ""
        sources.forget()
        if o.ok:
            warnings = [str(w) for w in o.result.warnings]
            if warnings != shown_warnings:  # say them once, not after every save
                for w in o.result.warnings:
                    console.diagnostic(w, sources)
                shown_warnings[:] = warnings
            console.out(f"{stamp} {cause}{build_summary(o.result)}")
            for stage, secs in o.result.timings.items():
                console.info(f"  {stage:<14} {secs:.3f} s")
            return
        for p in o.problems:
            console.diagnostic(p, sources)
        if o.crash:
            console.err(o.crash.rstrip())
        n = len(o.problems)
        what = f"{n} error{'s' if n != 1 else ''}" if n else "internal error"
        target = watcher.target
        kept = f"kept the last good PDF {target}" if target is not None and target.exists() else "the PDF is unchanged"
        console.err(f"{stamp} {cause}build failed ({what}); {kept}")

    watcher = Watcher(args.spec, output=args.output, overrides=args.overrides, allow_outside=args.allow_outside,
                      strict=args.strict, report=report, progress=console.progress)
    console.out(f"watching {display_name(Path(args.spec))} and the files it uses (Ctrl-C to stop)")
    try:
        watcher.run()
    except KeyboardInterrupt:
        console.out("stopped")
    return 0


def cmd_preview(args: argparse.Namespace, console: Console) -> int:
    """Build (with --set overrides), then render the chosen pages to PNG files."""
    from paiban.build import build
    from paiban.cli.preview import check_dpi, check_output_dir, page_ranges, render_pages

    check_dpi(args.dpi)
    check_output_dir(args.spec, args.output_dir, allow_outside=args.allow_outside)
    page_ranges(args.pages)  # the syntax: a typo fails before the build
    with console.progress() as say:
        result = build(args.spec, overrides=args.overrides, allow_outside=args.allow_outside, progress=say)
    for w in result.warnings:
        console.problem(w)
    console.notes(result.notes)
    console.out(build_summary(result))
    for stage, secs in result.timings.items():
        console.info(f"  {stage:<14} {secs:.3f} s")
    out_dir = Path(args.output_dir) if args.output_dir else result.output.parent / "preview"
    for path, width, height in render_pages(result.output, out_dir, pages=args.pages, dpi=args.dpi):
        console.out(f"{path} ({width}×{height} px)")
    return 0


def cmd_init(args: argparse.Namespace, console: Console) -> int:
    from paiban.cli.scaffold import init_project

    done = init_project(args.dir, force=args.force, template=args.template)
    fonts = sum(1 for p in done.written if p.parent.name == "fonts" and p.suffix == ".ttf")
    data = sorted(str(p.relative_to(done.root)) for p in done.written if p.parent.name == "data")
    console.out(f"created {done.root} from the {done.template} template: report.yaml, "
                + "".join(f"{d}, " for d in data) + f"fonts/ ({fonts} faces), report.schema.json, README.md")
    console.out(f"next: cd {done.root} && paiban watch    (edit report.yaml; the PDF is build/report.pdf)")
    return 0


def cmd_schema(args: argparse.Namespace, console: Console) -> int:
    from paiban.spec.schema import schema_text

    text = schema_text()
    if not args.output:
        sys.stdout.write(text)
        return 0
    from paiban.errors import BuildError, InputError, Location
    from paiban.store import NotRegular, write_atomically

    target = Path(args.output)
    if os.path.lexists(target) and not args.force:
        what = "a link" if target.is_symlink() else "a file" if target.is_file() else "something"
        raise InputError(f"{what} is already there; pass --force to replace it (nothing was written)",
                         Location(f"-o {args.output}"))
    try:
        write_atomically(target, text)
    except NotRegular as exc:
        raise InputError(f"it is {exc.strerror}; only a regular file is replaced", Location(f"-o {args.output}")) from None
    except OSError as exc:
        raise BuildError(f"cannot write {target}: {exc.strerror or exc}") from None
    console.out(f"wrote {target}")
    return 0


def cmd_import(args: argparse.Namespace, console: Console) -> int:
    from paiban.cli.importdoc import import_document

    target, block = import_document(args.document, args.output, force=args.force)
    if not args.quiet:
        print(f"wrote {target}; add this block to the body of report.yaml:", file=sys.stderr, flush=True)
    sys.stdout.write(block + "\n")
    return 0


def cmd_fonts(args: argparse.Namespace, console: Console) -> int:
    from paiban.cli.fonts import fonts_report
    from paiban.spec.load import load_spec

    loaded = load_spec(args.spec, overrides=args.overrides, allow_outside=args.allow_outside)
    for line in fonts_report(loaded):
        console.out(line)
    return 0


COMMANDS = {"build": cmd_build, "validate": cmd_validate, "watch": cmd_watch, "preview": cmd_preview,
            "init": cmd_init, "schema": cmd_schema, "fonts": cmd_fonts, "import": cmd_import}
