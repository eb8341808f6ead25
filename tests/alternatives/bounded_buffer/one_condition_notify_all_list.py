"""Alternative: one Condition (default RLock) for both sides woken with notify_all, a list with pop(0), a manual deadline loop, and a threading.local subclass with per-thread defaults.

``notify_all`` wakes getters and putters alike; each re-checks in its
``while`` loop and waits again for what is left of its one deadline.
"""

from __future__ import annotations

import queue
import threading
import time
from typing import Any


class _Counts(threading.local):
    """Per-thread counts: __init__ runs again in each thread that first touches it."""

    def __init__(self) -> None:
        super().__init__()
        self.put = 0
        self.got = 0


class BoundedBuffer:
    """A first-in, first-out buffer of at most ``capacity`` items, safe for many threads."""

    def __init__(self, capacity: int) -> None:
        if not isinstance(capacity, int) or capacity < 1:
            raise ValueError("capacity must be a whole number of at least 1")
        self._capacity = capacity
        self._items: list = []
        self._changed = threading.Condition()
        self._counts = _Counts()

    def _wait_until(self, ready, timeout: float | None, error: type) -> None:
        """With the Condition held: wait until ``ready()``; raise ``error`` at the deadline."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not ready():
            if deadline is None:
                self._changed.wait()
                continue
            left = deadline - time.monotonic()
            if left <= 0:
                raise error
            self._changed.wait(left)

    def put(self, item: Any, timeout: float | None = None) -> None:
        """Append ``item`` once there is room; ``queue.Full`` when ``timeout`` s passed first."""
        with self._changed:
            self._wait_until(lambda: len(self._items) < self._capacity, timeout, queue.Full)
            self._items.append(item)
            self._changed.notify_all()
        self._counts.put += 1

    def get(self, timeout: float | None = None) -> Any:
        """Remove and return the oldest item; ``queue.Empty`` when ``timeout`` s passed first."""
        with self._changed:
            self._wait_until(lambda: bool(self._items), timeout, queue.Empty)
            item = self._items.pop(0)
            self._changed.notify_all()
        self._counts.got += 1
        return item

    def __len__(self) -> int:
        with self._changed:
            return len(self._items)

    def stats(self) -> dict[str, int]:
        """``{"put": n, "got": m}``: the calling thread's completed calls on this buffer."""
        return {"put": self._counts.put, "got": self._counts.got}
