"""Alternative: the Condition class captured at import in a module-level alias (`_new_condition = threading.Condition`), two Conditions made by a helper over an explicit Lock, woken with notify.

The helper returns the ("not empty", "not full") pair sharing one lock;
``wait_for`` re-checks and keeps one deadline.
"""

from __future__ import annotations

import collections
import queue
import threading
from typing import Any

_new_condition = threading.Condition


def _pair() -> tuple[threading.Condition, threading.Condition]:
    """Two Conditions over one fresh Lock: (not empty, not full)."""
    lock = threading.Lock()
    return _new_condition(lock), _new_condition(lock)


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
        with self._not_full:
            if not self._not_full.wait_for(lambda: len(self._items) < self._capacity, timeout):
                raise queue.Full
            self._items.append(item)
            self._not_empty.notify()
        self._local.put = getattr(self._local, "put", 0) + 1

    def get(self, timeout: float | None = None) -> Any:
        """Remove and return the oldest item; ``queue.Empty`` when ``timeout`` s passed first."""
        with self._not_empty:
            if not self._not_empty.wait_for(lambda: bool(self._items), timeout):
                raise queue.Empty
            item = self._items.popleft()
            self._not_full.notify()
        self._local.got = getattr(self._local, "got", 0) + 1
        return item

    def __len__(self) -> int:
        with self._not_empty:
            return len(self._items)

    def stats(self) -> dict[str, int]:
        """``{"put": n, "got": m}``: the calling thread's completed calls on this buffer."""
        return {"put": getattr(self._local, "put", 0), "got": getattr(self._local, "got", 0)}
