"""Wrong: the lecture demo is left at the bottom of the module with no `if __name__ == "__main__":` guard, so importing it starts 10 threads and prints the count.
Expect: importing a topic module is silent and starts nothing: no output, no thread (here import prints 10000 and runs threads).
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

    threads = [threading.Thread(target=work) for _ in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counter.value


print(hammer(Counter(), 10, 1000))
