"""Wrong: getters and putters wait on ONE Condition, and put/get wake it with notify() (one thread), so a get's wake-up may go to another getter instead of a waiting putter.
Expect: a get's wake-up reaches a waiting putter (here, with getters and putters waiting at once, it wakes a getter that finds nothing and sleeps again; the putters sleep forever).
"""

from __future__ import annotations

import collections
import queue
import threading
from typing import Any


class BoundedBuffer:
    """A first-in, first-out buffer of at most ``capacity`` items, safe for many threads."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, not {capacity!r}")
        self.capacity = capacity
        self._items: collections.deque = collections.deque()
        self._changed = threading.Condition()
        self._local = threading.local()

    def put(self, item: Any, timeout: float | None = None) -> None:
        """Append ``item`` once there is room; ``queue.Full`` when ``timeout`` s passed first."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._items) < self.capacity, timeout):
                raise queue.Full
            self._items.append(item)
            self._changed.notify()
        self._local.put = getattr(self._local, "put", 0) + 1

    def get(self, timeout: float | None = None) -> Any:
        """Remove and return the oldest item; ``queue.Empty`` when ``timeout`` s passed first."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._items) > 0, timeout):
                raise queue.Empty
            item = self._items.popleft()
            self._changed.notify()
        self._local.got = getattr(self._local, "got", 0) + 1
        return item

    def __len__(self) -> int:
        """The number of items in the buffer now."""
        with self._changed:
            return len(self._items)

    def stats(self) -> dict[str, int]:
        """``{"put": n, "got": m}``: the calling thread's completed calls on this buffer."""
        return {"put": getattr(self._local, "put", 0), "got": getattr(self._local, "got", 0)}
