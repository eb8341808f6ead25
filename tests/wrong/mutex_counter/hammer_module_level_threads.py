"""Wrong: hammer adds its threads to a module-level list, joins every thread in that list and then clears it, so two hammer calls at once join and clear each other's threads.
Expect: hammer joins all of its own threads before returning counter.value (here a concurrent call clears the list under it: it returns with threads still running and the count short, or joins a thread not yet started).
"""

from __future__ import annotations

import threading

_THREADS: list = []              # the threads hammer started


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

    threads = [threading.Thread(target=work) for _ in range(n_threads)]
    _THREADS.extend(threads)
    for thread in threads:
        thread.start()
    for thread in _THREADS:
        thread.join()
    _THREADS.clear()
    return counter.value
