"""Alternative: a threading.Thread subclass for start_countdown and a while-loop countdown.

countdown counts n down in a while loop and tests the stop flag through a
helper; start_countdown builds and starts a CountdownThread whose run()
stores the number of lines it emitted.
"""

from __future__ import annotations

import threading
from typing import Callable


def _stopped(stop: threading.Event | None) -> bool:
    return stop is not None and stop.is_set()


def countdown(count: int, interval: float = 1.0,
              out: Callable[[str], None] = print,
              stop: threading.Event | None = None) -> int:
    """Emit "Counting down n" for n = count..1, waiting ``interval`` after each."""
    lines = 0
    n = count
    while n > 0 and not _stopped(stop):
        out(f"Counting down {n}")
        lines += 1
        n -= 1
        if stop is None:
            threading.Event().wait(interval)
        elif stop.wait(interval):
            return lines
    return lines


class CountdownThread(threading.Thread):
    """A thread whose run() is one countdown."""

    def __init__(self, count: int, interval: float,
                 out: Callable[[str], None],
                 stop: threading.Event | None) -> None:
        super().__init__(name=f"countdown-{count}")
        self._count = count
        self._interval = interval
        self._out = out
        self._stop_event = stop      # not _stop: Thread has a _stop() method
        self.lines: int | None = None

    def run(self) -> None:
        self.lines = countdown(self._count, self._interval, self._out,
                               self._stop_event)


def start_countdown(count: int, interval: float = 1.0,
                    out: Callable[[str], None] = print,
                    stop: threading.Event | None = None) -> threading.Thread:
    """Start a CountdownThread and return it, already started, at once."""
    worker = CountdownThread(count, interval, out, stop)
    worker.start()
    return worker
