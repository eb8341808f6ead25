"""Alternative: start_countdown returns a threading.Thread subclass (run() overridden), and countdown waits in slices of at most 0.2 s against a time.monotonic() deadline, with argument validation.

Each wait after a line is cut into ``stop.wait(min(0.2, left))`` calls,
where ``left`` is recomputed from time.monotonic(), so no single wait is
longer than 0.2 s and the whole wait lasts ``interval``. Without a stop
Event, a private one that nobody sets is waited on. Bad arguments (a
non-integer count, a negative or non-numeric interval, a stop that is not
an Event) raise TypeError or ValueError before anything is emitted.
"""

from __future__ import annotations

import numbers
import threading
import time
from typing import Callable

_LONGEST_WAIT = 0.2


def _check(count, interval, stop) -> None:
    if isinstance(count, bool) or not isinstance(count, numbers.Integral):
        raise TypeError(f"count must be an int, not {type(count).__name__}")
    if isinstance(interval, bool) or not isinstance(interval, numbers.Real):
        raise TypeError(f"interval must be a number, not {type(interval).__name__}")
    if interval < 0:
        raise ValueError(f"interval must not be negative, got {interval!r}")
    if stop is not None and not isinstance(stop, threading.Event):
        raise TypeError(f"stop must be a threading.Event or None, not {type(stop).__name__}")


def _rest(interval: float, stop: threading.Event) -> bool:
    """Wait ``interval`` seconds in slices; True as soon as ``stop`` is set."""
    deadline = time.monotonic() + interval
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return stop.is_set()
        if stop.wait(min(_LONGEST_WAIT, left)):
            return True


def countdown(count: int, interval: float = 1.0,
              out: Callable[[str], None] = print,
              stop: threading.Event | None = None) -> int:
    """Emit "Counting down n" for n = count..1, waiting ``interval`` after each."""
    _check(count, interval, stop)
    flag = stop if stop is not None else threading.Event()
    emitted = 0
    for n in range(int(count), 0, -1):
        if flag.is_set():
            break
        out(f"Counting down {n}")
        emitted += 1
        if _rest(interval, flag):
            break
    return emitted


class CountdownThread(threading.Thread):
    """A thread whose run() is one countdown; ``emitted`` holds its result."""

    def __init__(self, count: int, interval: float,
                 out: Callable[[str], None],
                 stop: threading.Event | None) -> None:
        super().__init__(name=f"countdown-{count}")
        self.count = count
        self.interval = interval
        self.out = out
        self.stop = stop
        self.emitted: int | None = None

    def run(self) -> None:
        self.emitted = countdown(self.count, self.interval, self.out, self.stop)


def start_countdown(count: int, interval: float = 1.0,
                    out: Callable[[str], None] = print,
                    stop: threading.Event | None = None) -> threading.Thread:
    """Start ``countdown`` in a new thread and return that thread at once."""
    _check(count, interval, stop)
    thread = CountdownThread(count, interval, out, stop)
    thread.start()
    return thread
