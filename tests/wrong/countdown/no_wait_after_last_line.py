"""Wrong: skips the wait after the last line (`if n > 1:` around stop.wait), since nothing follows it.
Expect: the wait follows every line, the last one too: countdown(3, interval) returns after about 3 * interval (here 2 * interval).
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
        if n > 1:                   # no need to wait after the last line
            if stop.wait(interval):
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
