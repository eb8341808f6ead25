"""Alternative: a module-level subclass of threading.Condition (defined at import) with a wait_until(predicate, deadline) helper, two of them sharing one Lock, woken with notify, and stats in a per-buffer threading.local.

The subclass keeps the one-deadline loop in one place; each side waits on its
own Condition, so ``notify`` always reaches the right side.
"""

from __future__ import annotations

import collections
import queue
import threading
import time
from typing import Any, Callable


class _Cond(threading.Condition):
    """A Condition that waits for ``ready()`` until one deadline (None: for good)."""

    def wait_until(self, ready: Callable[[], bool], timeout: float | None) -> bool:
        """With the lock held: True once ``ready()``; False when ``timeout`` s passed first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not ready():
            if deadline is None:
                self.wait()
                continue
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self.wait(left)
        return True


class BoundedBuffer:
    """A first-in, first-out buffer of at most ``capacity`` items, safe for many threads."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, not {capacity!r}")
        self._capacity = capacity
        self._items: collections.deque = collections.deque()
        lock = threading.Lock()
        self._not_empty = _Cond(lock)
        self._not_full = _Cond(lock)
        self._local = threading.local()

    def _count(self, key: str) -> None:
        setattr(self._local, key, getattr(self._local, key, 0) + 1)

    def put(self, item: Any, timeout: float | None = None) -> None:
        """Append ``item`` once there is room; ``queue.Full`` when ``timeout`` s passed first."""
        with self._not_full:
            if not self._not_full.wait_until(lambda: len(self._items) < self._capacity,
                                             timeout):
                raise queue.Full
            self._items.append(item)
            self._not_empty.notify()
        self._count("put")

    def get(self, timeout: float | None = None) -> Any:
        """Remove and return the oldest item; ``queue.Empty`` when ``timeout`` s passed first."""
        with self._not_empty:
            if not self._not_empty.wait_until(lambda: bool(self._items), timeout):
                raise queue.Empty
            item = self._items.popleft()
            self._not_full.notify()
        self._count("got")
        return item

    def __len__(self) -> int:
        with self._not_empty:
            return len(self._items)

    def stats(self) -> dict[str, int]:
        """``{"put": n, "got": m}``: the calling thread's completed calls on this buffer."""
        return {"put": getattr(self._local, "put", 0), "got": getattr(self._local, "got", 0)}
