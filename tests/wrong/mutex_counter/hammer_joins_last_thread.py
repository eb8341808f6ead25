"""Wrong: hammer creates and starts each thread in one loop, then calls thread.join() once after the loop, joining only the last thread.
Expect: hammer joins every thread and returns the full count (here it returns when the last-started thread ends; the others may still be incrementing).
"""

from __future__ import annotations

import threading


class Counter:
    """A counter that many threads may increment at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.value = 0

    def increment(self, amount: int = 1) -> None:
        """Add ``amount`` to ``value`` without ever losing an update."""
        with self._lock:
            self.value = self.value + amount


def hammer(counter: Counter, n_threads: int, n_increments: int) -> int:
    """Increment ``counter`` from ``n_threads`` threads at once; return its value."""
    def work() -> None:
        for _ in range(n_increments):
            counter.increment()

    for _ in range(n_threads):
        thread = threading.Thread(target=work)
        thread.start()
    thread.join()
    return counter.value
