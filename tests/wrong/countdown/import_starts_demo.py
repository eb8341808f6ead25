"""Wrong: the lecture demo `start_countdown(5)` is left at the bottom of the module with no `if __name__ == "__main__":` guard.
Expect: importing a topic module is silent and starts nothing: no output, no thread (here import starts a thread that prints 'Counting down 5', ...).
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
    # Pass the function itself as target: target=countdown(...) would run it
    # now, in this thread.
    thread = threading.Thread(target=countdown, args=(count, interval, out, stop))
    thread.start()
    return thread


start_countdown(5)
