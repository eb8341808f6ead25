"""Alternative: the Condition factory captured at import as a default argument (`def _pair(factory=threading.Condition)`), two Conditions sharing one RLock, held with acquire/release in try/finally, woken with notify.

Each side waits on its own Condition; ``wait_for`` re-checks and keeps one
deadline.
"""

from __future__ import annotations

import collections
import queue
import threading
from typing import Any, Callable


def _pair(factory: Callable[..., Any] = threading.Condition) -> tuple[Any, Any]:
    """Two Conditions over one fresh RLock: (not empty, not full)."""
    lock = threading.RLock()
    return factory(lock), factory(lock)


class BoundedBuffer:
    """A first-in, first-out buffer of at most ``capacity`` items, safe for many threads."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, not {capacity!r}")
        self._capacity = capacity
        self._items: collections.deque = collections.deque()
        self._not_empty, self._not_full = _pair()
        self._local = threading.local()

    def put(self, item: Any, timeout: float | None = None) -> None:
        """Append ``item`` once there is room; ``queue.Full`` when ``timeout`` s passed first."""
        self._not_full.acquire()
        try:
            if not self._not_full.wait_for(lambda: len(self._items) < self._capacity, timeout):
                raise queue.Full
            self._items.append(item)
            self._not_empty.notify()
        finally:
            self._not_full.release()
        self._local.put = getattr(self._local, "put", 0) + 1

    def get(self, timeout: float | None = None) -> Any:
        """Remove and return the oldest item; ``queue.Empty`` when ``timeout`` s passed first."""
        self._not_empty.acquire()
        try:
            if not self._not_empty.wait_for(lambda: bool(self._items), timeout):
                raise queue.Empty
            item = self._items.popleft()
            self._not_full.notify()
        finally:
            self._not_empty.release()
        self._local.got = getattr(self._local, "got", 0) + 1
        return item

    def __len__(self) -> int:
        with self._not_empty:
            return len(self._items)

    def stats(self) -> dict[str, int]:
        """``{"put": n, "got": m}``: the calling thread's completed calls on this buffer."""
        return {"put": getattr(self._local, "put", 0), "got": getattr(self._local, "got", 0)}
