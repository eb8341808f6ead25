"""Alternative: `from threading import Condition as C` (and Lock, local under other names), two C Conditions sharing one Lock woken with notify, wait_for with the timeout.

Each side waits on its own Condition; ``wait_for`` re-checks and keeps one
deadline.
"""

from __future__ import annotations

import collections
import queue
from threading import Condition as C
from threading import Lock as _Lock
from threading import local as _local
from typing import Any


class BoundedBuffer:
    """A first-in, first-out buffer of at most ``capacity`` items, safe for many threads."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, not {capacity!r}")
        self._capacity = capacity
        self._items: collections.deque = collections.deque()
        lock = _Lock()
        self._has_item = C(lock)
        self._has_room = C(lock)
        self._counts = _local()

    def put(self, item: Any, timeout: float | None = None) -> None:
        """Append ``item`` once there is room; ``queue.Full`` when ``timeout`` s passed first."""
        with self._has_room:
            if not self._has_room.wait_for(lambda: len(self._items) < self._capacity, timeout):
                raise queue.Full
            self._items.append(item)
            self._has_item.notify()
        self._counts.put = getattr(self._counts, "put", 0) + 1

    def get(self, timeout: float | None = None) -> Any:
        """Remove and return the oldest item; ``queue.Empty`` when ``timeout`` s passed first."""
        with self._has_item:
            if not self._has_item.wait_for(lambda: bool(self._items), timeout):
                raise queue.Empty
            item = self._items.popleft()
            self._has_room.notify()
        self._counts.got = getattr(self._counts, "got", 0) + 1
        return item

    def __len__(self) -> int:
        with self._has_item:
            return len(self._items)

    def stats(self) -> dict[str, int]:
        """``{"put": n, "got": m}``: the calling thread's completed calls on this buffer."""
        return {"put": getattr(self._counts, "put", 0), "got": getattr(self._counts, "got", 0)}
