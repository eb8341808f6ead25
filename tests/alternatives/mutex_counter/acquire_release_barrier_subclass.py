"""Alternative: a per-counter Lock taken with explicit acquire()/release() in try/finally, and hammer runs Thread subclasses that all wait at a threading.Barrier start gate.

The lock is made in __init__, before any thread can call increment. hammer
starts every thread first (each blocks at the Barrier until all n_threads
are alive, so they really start together), then joins them all. If a
thread cannot be started, the barrier is aborted so the others end.
"""

from __future__ import annotations

import threading


class Counter:
    """A counter that many threads may increment at once."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self.value = 0

    def increment(self, amount: int = 1) -> None:
        """Add ``amount`` to ``value`` without ever losing an update."""
        self._mutex.acquire()
        try:
            current = self.value
            self.value = current + amount
        finally:
            self._mutex.release()


class _Hammerer(threading.Thread):
    """Waits at the start gate, then increments ``times`` times."""

    def __init__(self, counter: Counter, times: int, gate: threading.Barrier) -> None:
        super().__init__()
        self.counter = counter
        self.times = times
        self.gate = gate

    def run(self) -> None:
        try:
            self.gate.wait()
        except threading.BrokenBarrierError:
            return                      # hammer gave up starting the others
        for _ in range(self.times):
            self.counter.increment()


def hammer(counter: Counter, n_threads: int, n_increments: int) -> int:
    """Increment ``counter`` from ``n_threads`` threads at once; return its value."""
    if n_threads <= 0:
        return counter.value
    gate = threading.Barrier(n_threads)
    threads = [_Hammerer(counter, n_increments, gate) for _ in range(n_threads)]
    started = []
    try:
        for thread in threads:
            thread.start()
            started.append(thread)
    except BaseException:
        gate.abort()
        for thread in started:
            thread.join()
        raise
    for thread in threads:
        thread.join()
    return counter.value
