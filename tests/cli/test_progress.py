"""The live progress display: shown only for builds that outlast its delay, and gone afterwards.

Rendered by rich into a string buffer that claims to be a terminal (the CLI creates the display
only when stderr is one; piped output never sees it, which test_cli checks)."""

from __future__ import annotations

import io
import time

from rich.console import Console

from paiban.cli.progress import BuildProgress


def terminal() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=True, width=100, color_system=None), buffer


def test_a_slow_build_shows_its_stages_and_chart_count() -> None:
    console, buffer = terminal()
    with BuildProgress(console, delay=0.05) as say:
        say("load")
        time.sleep(0.2)
        say("drew readers (data) in 0.08 s")
        say("charts 2/3")
        time.sleep(0.3)
    shown = buffer.getvalue()
    assert "charts 2/3" in shown
    assert say.charts_drawn == 1
    assert shown.endswith("\x1b[1A\x1b[2K")  # transient: the display erases its line at the end


def test_a_quick_build_shows_nothing() -> None:
    console, buffer = terminal()
    with BuildProgress(console, delay=5.0) as say:
        say("load")
        say("layout")
    assert buffer.getvalue() == ""
