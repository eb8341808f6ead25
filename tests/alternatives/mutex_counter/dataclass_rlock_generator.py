"""Alternative: Counter is a dataclass whose RLock comes from a field default_factory, and hammer builds its threads with a generator expression and a module-level worker function.

dataclasses makes ``__init__`` set ``self.value = 0`` and a fresh RLock per
instance (never shared, never made lazily); the RLock is taken with
``with``. hammer consumes the generator into a list, starts every thread,
then joins every thread.
"""

from __future__ import annotations

import dataclasses
import threading


@dataclasses.dataclass(eq=False)
class Counter:
    """A counter that many threads may increment at once."""

    value: int = 0
    _lock: threading.RLock = dataclasses.field(default_factory=threading.RLock,
                                               repr=False)

    def increment(self, amount: int = 1) -> None:
        """Add ``amount`` to ``value`` without ever losing an update."""
        with self._lock:
            before = self.value
            self.value = before + amount


def _work(counter: Counter, n_increments: int) -> None:
    for _ in range(n_increments):
        counter.increment()


def hammer(counter: Counter, n_threads: int, n_increments: int) -> int:
    """Increment ``counter`` from ``n_threads`` threads at once; return its value."""
    threads = list(threading.Thread(target=_work, args=(counter, n_increments),
                                    name=f"hammer-{i}")
                   for i in range(n_threads))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counter.value
