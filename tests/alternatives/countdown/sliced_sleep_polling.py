"""Alternative: waits with time.sleep(0.01) slices and polls stop.is_set(), the lecture's terminate-flag loop.

Instead of Event.wait(interval), each interval is cut into 10 ms naps up to
a monotonic deadline; the stop flag is polled between naps. The thread is
started with keyword arguments.
"""

from __future__ import annotations

import threading
import time
from typing import Callable

_SLICE = 0.01


def _nap(interval: float, stop: threading.Event | None) -> bool:
    """Sleep ``interval`` seconds in short slices; True if stop was set."""
    deadline = time.monotonic() + interval
    while True:
        if stop is not None and stop.is_set():
            return True
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        time.sleep(min(_SLICE, left))


def countdown(count: int, interval: float = 1.0,
              out: Callable[[str], None] = print,
              stop: threading.Event | None = None) -> int:
    """Emit "Counting down n" for n = count..1, waiting ``interval`` after each."""
    emitted = 0
    for n in reversed(range(1, count + 1)):
        if stop is not None and stop.is_set():
            return emitted
        out(f"Counting down {n}")
        emitted += 1
        if _nap(interval, stop):
            return emitted
    return emitted


def start_countdown(count: int, interval: float = 1.0,
                    out: Callable[[str], None] = print,
                    stop: threading.Event | None = None) -> threading.Thread:
    """Run countdown in a new thread, started, returned at once."""
    thread = threading.Thread(
        target=countdown,
        kwargs={"count": count, "interval": interval, "out": out, "stop": stop},
    )
    thread.start()
    return thread
