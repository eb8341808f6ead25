"""Wrong: each thread calls counter.increment(n_increments) once instead of increment() n_increments times.
Expect: each thread calls counter.increment() n_increments times (the final value alone is right; count the calls).
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
        counter.increment(n_increments)

    threads = [threading.Thread(target=work) for _ in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counter.value
