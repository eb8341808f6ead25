"""Wrong: get polls: it takes the lock, looks, lets go and sleeps 1 ms, again and again, instead of waiting on the Condition.
Expect: a blocked get sleeps in Condition.wait() (here it calls time.sleep hundreds of times while the buffer is empty).
"""

from __future__ import annotations

import collections
import queue
import threading
import time
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
        self._local = threading.local()

    def put(self, item: Any, timeout: float | None = None) -> None:
        """Append ``item`` once there is room; ``queue.Full`` when ``timeout`` s passed first."""
        with self._not_full:
            if not self._not_full.wait_for(lambda: len(self._items) < self.capacity, timeout):
                raise queue.Full
            self._items.append(item)
            self._not_empty.notify()
        self._local.put = getattr(self._local, "put", 0) + 1

    def get(self, timeout: float | None = None) -> Any:
        """Remove and return the oldest item; ``queue.Empty`` when ``timeout`` s passed first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock:
                if self._items:
                    item = self._items.popleft()
                    self._not_full.notify()
                    break
            if deadline is not None and time.monotonic() >= deadline:
                raise queue.Empty
            time.sleep(0.001)
        self._local.got = getattr(self._local, "got", 0) + 1
        return item

    def __len__(self) -> int:
        """The number of items in the buffer now."""
        with self._lock:
            return len(self._items)

    def stats(self) -> dict[str, int]:
        """``{"put": n, "got": m}``: the calling thread's completed calls on this buffer."""
        return {"put": getattr(self._local, "put", 0), "got": getattr(self._local, "got", 0)}
