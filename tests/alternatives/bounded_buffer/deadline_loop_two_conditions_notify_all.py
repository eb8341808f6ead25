"""Alternative: two Conditions over an explicit Lock woken with notify_all, a hand-written deadline loop on time.monotonic(), len() read without the lock, and stats kept as a per-thread dict keyed by counter name.

Each waiter re-checks in its ``while`` loop and waits only for the time left
before its one deadline; an item may be any object, None included.
"""

from __future__ import annotations

import operator
import queue
import threading
import time
from collections import deque
from typing import Any, Callable


class BoundedBuffer:
    """A first-in, first-out buffer of at most ``capacity`` items, safe for many threads."""

    def __init__(self, capacity: int) -> None:
        capacity = operator.index(capacity)
        if capacity < 1:
            raise ValueError("a bounded buffer needs room for at least one item")
        self._limit = capacity
        self._queue: deque[Any] = deque()
        guard = threading.Lock()
        self._can_get = threading.Condition(guard)
        self._can_put = threading.Condition(guard)
        self._per_thread = threading.local()

    @staticmethod
    def _await(cond: threading.Condition, ready: Callable[[], bool],
               timeout: float | None) -> bool:
        """With ``cond`` held: True once ``ready()``, False when the deadline passed first."""
        if timeout is None:
            while not ready():
                cond.wait()
            return True
        end = time.monotonic() + timeout
        while not ready():
            remaining = end - time.monotonic()
            if remaining <= 0:
                return False
            cond.wait(remaining)
        return True

    def _tick(self, name: str) -> None:
        table = getattr(self._per_thread, "table", None)
        if table is None:
            table = self._per_thread.table = {"put": 0, "got": 0}
        table[name] += 1

    def put(self, item: Any, timeout: float | None = None) -> None:
        """Append ``item`` once there is room; ``queue.Full`` when ``timeout`` s passed first."""
        with self._can_put:
            if not self._await(self._can_put, lambda: len(self._queue) < self._limit, timeout):
                raise queue.Full(f"no room within {timeout} s")
            self._queue.append(item)
            self._can_get.notify_all()
        self._tick("put")

    def get(self, timeout: float | None = None) -> Any:
        """Remove and return the oldest item; ``queue.Empty`` when ``timeout`` s passed first."""
        with self._can_get:
            if not self._await(self._can_get, lambda: len(self._queue) > 0, timeout):
                raise queue.Empty(f"no item within {timeout} s")
            item = self._queue.popleft()
            self._can_put.notify_all()
        self._tick("got")
        return item

    def __len__(self) -> int:
        return len(self._queue)

    def stats(self) -> dict[str, int]:
        """``{"put": n, "got": m}``: the calling thread's completed calls on this buffer."""
        return dict(getattr(self._per_thread, "table", {"put": 0, "got": 0}))
