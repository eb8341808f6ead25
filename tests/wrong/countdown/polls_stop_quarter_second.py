"""Wrong: waits in time.sleep(0.25) slices up to the end of interval and checks stop between them, so stop waits up to a quarter of a second to be noticed.
Expect: countdown returns promptly after stop is set, well within 0.2 s; nothing sleeps longer than 0.2 s at a stretch while stop could be set (here up to 0.25 s).
"""

from __future__ import annotations

import threading
import time
from typing import Callable


def countdown(count: int, interval: float = 1.0,
              out: Callable[[str], None] = print,
              stop: threading.Event | None = None) -> int:
    """Emit "Counting down n" for n = count..1, waiting ``interval`` after each.

    Returns the number of lines emitted. Stops promptly when ``stop`` is set.
    """
    if stop is None:
        stop = threading.Event()
    emitted = 0
    for n in range(count, 0, -1):
        if stop.is_set():
            break
        out(f"Counting down {n}")
        emitted += 1
        deadline = time.monotonic() + interval
        while not stop.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                break
            time.sleep(min(0.25, left))     # check stop four times a second
        if stop.is_set():
            break
    return emitted


def start_countdown(count: int, interval: float = 1.0,
                    out: Callable[[str], None] = print,
                    stop: threading.Event | None = None) -> threading.Thread:
    """Start ``countdown`` in a new thread and return that thread at once."""
    # Pass the function itself as target: target=countdown(...) would run it
    # now, in this thread.
    thread = threading.Thread(target=countdown, args=(count, interval, out, stop))
    thread.start()
    return thread
