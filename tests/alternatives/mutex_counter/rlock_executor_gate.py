"""Alternative: a threading.RLock guards increment, and hammer uses a ThreadPoolExecutor of n_threads workers held at a start gate.

Every worker task waits on an Event opened only after all n_threads tasks
are submitted, so the executor never reuses an idle worker: n_threads
distinct threads are alive together, each calling increment n_increments
times; shutdown(wait=True) joins them all.
"""

from __future__ import annotations

import concurrent.futures
import threading


class Counter:
    """A counter that many threads may increment at once."""

    def __init__(self) -> None:
        self._guard = threading.RLock()
        self.value = 0

    def increment(self, amount: int = 1) -> None:
        """Add ``amount`` to ``value`` without ever losing an update."""
        with self._guard:
            current = self.value
            self.value = current + amount


def hammer(counter: Counter, n_threads: int, n_increments: int) -> int:
    """Increment ``counter`` from ``n_threads`` threads at once; return its value."""
    if n_threads <= 0:
        return counter.value
    gate = threading.Event()

    def work() -> None:
        gate.wait()
        for _ in range(n_increments):
            counter.increment()

    pool = concurrent.futures.ThreadPoolExecutor(max_workers=n_threads)
    try:
        futures = [pool.submit(work) for _ in range(n_threads)]
    finally:
        gate.set()
        pool.shutdown(wait=True)
    for future in futures:
        future.result()
    return counter.value
