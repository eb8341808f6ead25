"""Alternative: lines come from a generator, the thread target is a functools.partial, and time.sleep waits when no stop is given.

The generator yields each line only after checking the stop flag; the
countdown emits what it yields, then waits (stop.wait, or time.sleep when
there is no stop Event) and counts the lines with enumerate.
"""

from __future__ import annotations

import functools
import threading
import time
from typing import Callable, Iterator


def _lines(count: int, stop: threading.Event | None) -> Iterator[str]:
    n = count
    while n >= 1:
        if stop is not None and stop.is_set():
            return
        yield f"Counting down {n}"
        n -= 1


def _interrupted(interval: float, stop: threading.Event | None) -> bool:
    """Wait ``interval`` seconds; True when stop ended the wait early."""
    if stop is None:
        time.sleep(max(interval, 0.0))
        return False
    return stop.wait(interval)


def countdown(count: int, interval: float = 1.0,
              out: Callable[[str], None] = print,
              stop: threading.Event | None = None) -> int:
    """Emit "Counting down n" for n = count..1, waiting ``interval`` after each."""
    total = 0
    for total, line in enumerate(_lines(count, stop), start=1):
        out(line)
        if _interrupted(interval, stop):
            break
    return total


def start_countdown(count: int, interval: float = 1.0,
                    out: Callable[[str], None] = print,
                    stop: threading.Event | None = None) -> threading.Thread:
    """Start countdown in a new thread; return the started thread at once."""
    job = functools.partial(countdown, count, interval, out, stop)
    thread = threading.Thread(target=job, name="countdown")
    thread.start()
    return thread
