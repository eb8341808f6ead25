"""Alternative: one class-level Lock taken with acquire()/release() in try/finally, and hammer with Thread subclasses joined in reverse order.

All counters share the lock defined on the class. The read and the write
of ``value`` both happen between acquire() and release(); the finally
clause releases the lock even when the addition raises.
"""

from __future__ import annotations

import threading


class Counter:
    """A counter that many threads may increment at once."""

    _lock = threading.Lock()

    def __init__(self) -> None:
        self.value = 0

    def increment(self, amount: int = 1) -> None:
        """Add ``amount`` to ``value`` without ever losing an update."""
        Counter._lock.acquire()
        try:
            self.value = self.value + amount
        finally:
            Counter._lock.release()


class _Hammerer(threading.Thread):
    def __init__(self, counter: Counter, times: int) -> None:
        super().__init__()
        self.counter = counter
        self.times = times

    def run(self) -> None:
        remaining = self.times
        while remaining > 0:
            self.counter.increment()
            remaining -= 1


def hammer(counter: Counter, n_threads: int, n_increments: int) -> int:
    """Increment ``counter`` from ``n_threads`` threads at once; return its value."""
    crew = [_Hammerer(counter, n_increments) for _ in range(n_threads)]
    for member in crew:
        member.start()
    while crew:
        crew.pop().join()
    return counter.value
