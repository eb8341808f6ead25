"""Wrong: __init__ makes no lock; increment creates it on first use with `if not hasattr(self, "_lock")`, a check-then-act race of its own.
Expect: the lock is created once per counter before any thread can call increment; no update is lost (here threads that start together each create a lock and lose updates).
"""

from __future__ import annotations

import threading


class Counter:
    """A counter that many threads may increment at once."""

    def __init__(self) -> None:
        self.value = 0

    def increment(self, amount: int = 1) -> None:
        """Add ``amount`` to ``value`` without ever losing an update."""
        if not hasattr(self, "_lock"):
            self._lock = threading.Lock()
        with self._lock:
            self.value = self.value + amount


def hammer(counter: Counter, n_threads: int, n_increments: int) -> int:
    """Increment ``counter`` from ``n_threads`` threads at once; return its value."""
    def work() -> None:
        for _ in range(n_increments):
            counter.increment()

    threads = [threading.Thread(target=work) for _ in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counter.value
