"""Alternative: a fixed-size ring (list + head index) guarded by an explicit RLock shared by two Conditions, acquire/release in try/finally, notify(1) on the other side, and stats in a dict kept on a threading.local.

A get notifies only "not full" and a put only "not empty", so a wake-up
always reaches the right side; wait_for keeps one deadline.
"""

from __future__ import annotations

import queue
from threading import Condition, RLock, local
from typing import Any


class BoundedBuffer:
    """A first-in, first-out buffer of at most ``capacity`` items, safe for many threads."""

    def __init__(self, capacity: int) -> None:
        if capacity <= 0:
            raise ValueError(f"BoundedBuffer needs a capacity of 1 or more, got {capacity}")
        self._slots: list[Any] = [None] * capacity
        self._head = 0          # index of the oldest item
        self._size = 0
        lock = RLock()
        self._readable = Condition(lock)
        self._writable = Condition(lock)
        self._mine = local()

    def _bump(self, key: str) -> None:
        counts = self._mine.__dict__.setdefault("counts", {"put": 0, "got": 0})
        counts[key] += 1

    def put(self, item: Any, timeout: float | None = None) -> None:
        """Append ``item`` once there is room; ``queue.Full`` when ``timeout`` s passed first."""
        self._writable.acquire()
        try:
            if not self._writable.wait_for(lambda: self._size < len(self._slots), timeout):
                raise queue.Full
            self._slots[(self._head + self._size) % len(self._slots)] = item
            self._size += 1
            self._readable.notify(1)
        finally:
            self._writable.release()
        self._bump("put")

    def get(self, timeout: float | None = None) -> Any:
        """Remove and return the oldest item; ``queue.Empty`` when ``timeout`` s passed first."""
        self._readable.acquire()
        try:
            if not self._readable.wait_for(lambda: self._size, timeout):
                raise queue.Empty
            item, self._slots[self._head] = self._slots[self._head], None
            self._head = (self._head + 1) % len(self._slots)
            self._size -= 1
            self._writable.notify(1)
        finally:
            self._readable.release()
        self._bump("got")
        return item

    def __len__(self) -> int:
        with self._readable:
            return self._size

    def stats(self) -> dict[str, int]:
        """``{"put": n, "got": m}``: the calling thread's completed calls on this buffer."""
        return dict(self._mine.__dict__.get("counts", {"put": 0, "got": 0}))
