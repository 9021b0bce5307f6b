"""A live progress line for builds that take more than a second, on a terminal only.

Most rebuilds finish in well under a second and a flashing progress bar would only be noise, so
the display starts after `delay` seconds (a first build with charts to draw, a huge spec). It
shows the stage the build reported last (load, fonts, charts n/m, layout, write) and disappears
when the build ends, leaving only the summary line. Pipes and CI never see it: the CLI creates
it only when stderr is a terminal.
"""

from __future__ import annotations

import re
import threading
from typing import Any

_COUNT = re.compile(r"\b(\d+)\s*/\s*(\d+)\b")


class BuildProgress:
    """The build's `progress` callback; use as a context manager around the build."""

    def __init__(self, console: Any, delay: float = 1.0):
        self.console = console  # a rich.console.Console
        self.delay = delay
        self.stage = "starting"
        self.charts_drawn = 0
        self._lock = threading.Lock()
        self._progress: Any = None
        self._task: Any = None
        self._timer: threading.Timer | None = None
        self._closed = False

    def __enter__(self) -> BuildProgress:
        self._timer = threading.Timer(self.delay, self._start)
        self._timer.daemon = True
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._closed = True
            if self._timer is not None:
                self._timer.cancel()
            if self._progress is not None:
                self._progress.stop()

    def __call__(self, stage: str) -> None:
        with self._lock:
            if stage.startswith("drew "):
                self.charts_drawn += 1
                stage = f"charts: {stage}"
            self.stage = stage
            if self._progress is not None:
                self._show()

    def _start(self) -> None:
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        with self._lock:
            if self._closed:
                return
            self._progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                      TimeElapsedColumn(), console=self.console, transient=True)
            self._task = self._progress.add_task(self.stage, total=None)
            self._progress.start()
            self._show()

    def _show(self) -> None:
        m = _COUNT.search(self.stage)
        total = int(m.group(2)) if m else None
        done = int(m.group(1)) if m else 0
        self._progress.update(self._task, description=self.stage, total=total, completed=done)
