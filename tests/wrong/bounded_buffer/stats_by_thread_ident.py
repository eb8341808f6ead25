"""Wrong: the stats live in a dict keyed by threading.get_ident() instead of a threading.local; an ended thread's ident is reused by a new thread, which then inherits its counts.
Expect: a new thread's stats() starts at zeros (here a thread that got a reused ident sees the counts of an ended thread).
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
        self._lock = threading.Lock()
        self._not_empty = threading.Condition(self._lock)
        self._not_full = threading.Condition(self._lock)
        self._stats: dict[int, dict[str, int]] = {}

    def put(self, item: Any, timeout: float | None = None) -> None:
        """Append ``item`` once there is room; ``queue.Full`` when ``timeout`` s passed first."""
        with self._not_full:
            if not self._not_full.wait_for(lambda: len(self._items) < self.capacity, timeout):
                raise queue.Full
            self._items.append(item)
            self._not_empty.notify()
        with self._lock:
            mine = self._stats.setdefault(threading.get_ident(), {"put": 0, "got": 0})
            mine["put"] += 1

    def get(self, timeout: float | None = None) -> Any:
        """Remove and return the oldest item; ``queue.Empty`` when ``timeout`` s passed first."""
        with self._not_empty:
            if not self._not_empty.wait_for(lambda: len(self._items) > 0, timeout):
                raise queue.Empty
            item = self._items.popleft()
            self._not_full.notify()
        with self._lock:
            mine = self._stats.setdefault(threading.get_ident(), {"put": 0, "got": 0})
            mine["got"] += 1
        return item

    def __len__(self) -> int:
        """The number of items in the buffer now."""
        with self._lock:
            return len(self._items)

    def stats(self) -> dict[str, int]:
        """``{"put": n, "got": m}``: the calling thread's completed calls on this buffer."""
        with self._lock:
            return dict(self._stats.get(threading.get_ident(), {"put": 0, "got": 0}))
