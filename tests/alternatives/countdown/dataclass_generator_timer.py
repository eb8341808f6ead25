"""Alternative: a dataclass holds the countdown, a generator yields the lines, waits are `while not stop.wait(0.05)` loops, and start_countdown returns a started threading.Timer(0, ...).

The dataclass method ``rest()`` loops ``while not stop.wait(slice)`` with
slices of 0.05 s (less when the interval is nearly over, computed from
time.monotonic()), so stop is seen within 50 ms. threading.Timer is a
Thread subclass: with a delay of 0 it calls countdown in its own thread
right after start().
"""

from __future__ import annotations

import dataclasses
import threading
import time
from typing import Callable, Iterator

_SLICE = 0.05


@dataclasses.dataclass
class _Countdown:
    count: int
    interval: float
    out: Callable[[str], None]
    stop: threading.Event = dataclasses.field(default_factory=threading.Event)
    emitted: int = 0

    def lines(self) -> Iterator[str]:
        """The lines still due, each only while stop is not set."""
        for n in range(self.count, 0, -1):
            if self.stop.is_set():
                return
            yield f"Counting down {n}"

    def rest(self) -> bool:
        """Wait ``interval`` seconds; True when stop ended the wait."""
        ends = time.monotonic() + self.interval
        while not self.stop.wait(min(_SLICE, max(0.0, ends - time.monotonic()))):
            if time.monotonic() >= ends:
                return False
        return True

    def play(self) -> int:
        for line in self.lines():
            self.out(line)
            self.emitted += 1
            if self.rest():
                break
        return self.emitted


def countdown(count: int, interval: float = 1.0,
              out: Callable[[str], None] = print,
              stop: threading.Event | None = None) -> int:
    """Emit "Counting down n" for n = count..1, waiting ``interval`` after each."""
    if stop is None:
        return _Countdown(count, interval, out).play()
    return _Countdown(count, interval, out, stop).play()


def start_countdown(count: int, interval: float = 1.0,
                    out: Callable[[str], None] = print,
                    stop: threading.Event | None = None) -> threading.Thread:
    """Start ``countdown`` in a new thread and return that thread at once."""
    timer = threading.Timer(0, countdown, args=(count, interval, out, stop))
    timer.start()
    return timer
