"""Alternative: `import threading as th`, one th.Condition (default RLock) for both sides woken with notify_all, wait_for with the timeout, and stats in a per-buffer th.local.

``notify_all`` wakes getters and putters alike; ``wait_for`` re-checks and
keeps one deadline.
"""

from __future__ import annotations

import collections
import queue
import threading as th
from typing import Any


class BoundedBuffer:
    """A first-in, first-out buffer of at most ``capacity`` items, safe for many threads."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, not {capacity!r}")
        self._capacity = capacity
        self._items: collections.deque = collections.deque()
        self._cond = th.Condition()
        self._local = th.local()

    def put(self, item: Any, timeout: float | None = None) -> None:
        """Append ``item`` once there is room; ``queue.Full`` when ``timeout`` s passed first."""
        with self._cond:
            if not self._cond.wait_for(lambda: len(self._items) < self._capacity, timeout):
                raise queue.Full
            self._items.append(item)
            self._cond.notify_all()
        self._local.put = getattr(self._local, "put", 0) + 1

    def get(self, timeout: float | None = None) -> Any:
        """Remove and return the oldest item; ``queue.Empty`` when ``timeout`` s passed first."""
        with self._cond:
            if not self._cond.wait_for(lambda: len(self._items) > 0, timeout):
                raise queue.Empty
            item = self._items.popleft()
            self._cond.notify_all()
        self._local.got = getattr(self._local, "got", 0) + 1
        return item

    def __len__(self) -> int:
        with self._cond:
            return len(self._items)

    def stats(self) -> dict[str, int]:
        """``{"put": n, "got": m}``: the calling thread's completed calls on this buffer."""
        return {"put": getattr(self._local, "put", 0), "got": getattr(self._local, "got", 0)}
