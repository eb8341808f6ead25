"""Alternative: the lock is a threading.Condition(threading.RLock()), and hammer uses a ThreadPoolExecutor of n_threads workers whose tasks meet at a threading.Barrier first, with argument validation.

The Barrier has n_threads parties, so no task can finish (and free its
worker for reuse) before all n_threads tasks were submitted: the executor
starts n_threads distinct threads, all alive at once. Leaving the
``with`` block joins them (shutdown(wait=True)); then each future's
result() re-raises what an increment raised, if anything.
"""

from __future__ import annotations

import concurrent.futures
import threading


class Counter:
    """A counter that many threads may increment at once."""

    def __init__(self) -> None:
        self._guard = threading.Condition(threading.RLock())
        self.value = 0

    def increment(self, amount: int = 1) -> None:
        """Add ``amount`` to ``value`` without ever losing an update."""
        with self._guard:
            self.value = self.value + amount


def hammer(counter: Counter, n_threads: int, n_increments: int) -> int:
    """Increment ``counter`` from ``n_threads`` threads at once; return its value."""
    if not isinstance(n_threads, int) or not isinstance(n_increments, int):
        raise TypeError("n_threads and n_increments must be ints")
    if n_threads < 0 or n_increments < 0:
        raise ValueError("n_threads and n_increments must not be negative")
    if n_threads == 0:
        return counter.value
    meeting = threading.Barrier(n_threads)

    def work() -> None:
        meeting.wait()
        for _ in range(n_increments):
            counter.increment()

    with concurrent.futures.ThreadPoolExecutor(max_workers=n_threads,
                                               thread_name_prefix="hammer") as pool:
        futures = [pool.submit(work) for _ in range(n_threads)]
    for future in futures:
        future.result()
    return counter.value
