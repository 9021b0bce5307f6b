"""A hang detector for in-process runs: the call is interrupted after `seconds` (SIGALRM).

Not a timing assertion: the bound is far above any normal run (milliseconds), and only turns
an endless loop found by a fuzz test into a failure with its example instead of a stuck suite.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager


class Hang(BaseException):
    """Raised in the main thread when a run exceeds its bound; a BaseException, so the code
    under test cannot swallow it in an `except Exception`."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def on_alarm(signum: int, frame: object) -> None:
        raise Hang(f"no answer within {seconds:g} s (endless loop?)")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
