"""Wrong: Thread(target=countdown(...)) calls countdown in the caller's thread instead of passing the function.
Expect: start_countdown returns at once and the lines are emitted from the new thread (here it blocks for the whole countdown, lines come from the caller's thread).
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
        # Event.wait returns True as soon as stop is set: no full interval lost.
        if stop.wait(interval):
            break
    return emitted


def start_countdown(count: int, interval: float = 1.0,
                    out: Callable[[str], None] = print,
                    stop: threading.Event | None = None) -> threading.Thread:
    """Start ``countdown`` in a new thread and return that thread at once."""
    thread = threading.Thread(target=countdown(count, interval, out, stop))
    thread.start()
    return thread
