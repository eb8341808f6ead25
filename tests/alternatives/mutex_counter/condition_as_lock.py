"""Alternative: a threading.Condition is the mutex, and hammer starts and joins its threads with map() over a list of targets.

``with self._cond:`` acquires the Condition's underlying lock, so the
read-modify-write of ``value`` is one critical section; nobody ever waits
or notifies on it.
"""

from __future__ import annotations

import threading


class Counter:
    """A counter that many threads may increment at once."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.value = 0

    def increment(self, amount: int = 1) -> None:
        """Add ``amount`` to ``value`` without ever losing an update."""
        with self._cond:
            self.value += amount


def _work(counter: Counter, n_increments: int) -> None:
    for _ in range(n_increments):
        counter.increment()


def hammer(counter: Counter, n_threads: int, n_increments: int) -> int:
    """Increment ``counter`` from ``n_threads`` threads at once; return its value."""
    threads = [threading.Thread(target=_work, args=(counter, n_increments),
                                name=f"hammer-{k}")
               for k in range(n_threads)]
    list(map(threading.Thread.start, threads))
    list(map(threading.Thread.join, threads))
    return counter.value
