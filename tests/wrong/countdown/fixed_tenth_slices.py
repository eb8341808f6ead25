"""Wrong: waits in fixed 0.1 s slices, `for _ in range(int(interval / 0.1))`, so the wait is rounded down to a whole tenth: interval=0.03 waits nothing, 0.25 waits 0.2.
Expect: countdown waits about `interval` seconds after each line (here int(interval / 0.1) * 0.1 s: no wait at all below 0.1 s).
"""

from __future__ import annotations

import threading
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
        stopped = False
        for _ in range(int(interval / 0.1)):
            if stop.wait(0.1):
                stopped = True
                break
        if stopped:
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
