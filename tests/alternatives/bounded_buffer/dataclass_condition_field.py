"""Alternative: a dataclass whose Condition is a field with default_factory=threading.Condition (the factory captured when the class is made, at import), one Condition for both sides woken with notify_all, a hand-written deadline loop.

``__post_init__`` checks the capacity; ``notify_all`` wakes both sides and
each re-checks in its ``while`` loop for what is left of its one deadline.
"""

from __future__ import annotations

import collections
import dataclasses
import queue
import threading
import time
from typing import Any, Callable


@dataclasses.dataclass(eq=False)
class BoundedBuffer:
    """A first-in, first-out buffer of at most ``capacity`` items, safe for many threads."""

    capacity: int
    _changed: threading.Condition = dataclasses.field(
        default_factory=threading.Condition, init=False, repr=False)
    _items: collections.deque = dataclasses.field(
        default_factory=collections.deque, init=False, repr=False)
    _counts: threading.local = dataclasses.field(
        default_factory=threading.local, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.capacity < 1:
            raise ValueError(f"capacity must be at least 1, not {self.capacity!r}")

    def _wait(self, ready: Callable[[], bool], timeout: float | None) -> bool:
        """With the Condition held: True once ``ready()``; False at the deadline."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not ready():
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return False
            self._changed.wait(left)
        return True

    def put(self, item: Any, timeout: float | None = None) -> None:
        """Append ``item`` once there is room; ``queue.Full`` when ``timeout`` s passed first."""
        with self._changed:
            if not self._wait(lambda: len(self._items) < self.capacity, timeout):
                raise queue.Full
            self._items.append(item)
            self._changed.notify_all()
        self._counts.put = getattr(self._counts, "put", 0) + 1

    def get(self, timeout: float | None = None) -> Any:
        """Remove and return the oldest item; ``queue.Empty`` when ``timeout`` s passed first."""
        with self._changed:
            if not self._wait(lambda: bool(self._items), timeout):
                raise queue.Empty
            item = self._items.popleft()
            self._changed.notify_all()
        self._counts.got = getattr(self._counts, "got", 0) + 1
        return item

    def __len__(self) -> int:
        with self._changed:
            return len(self._items)

    def stats(self) -> dict[str, int]:
        """``{"put": n, "got": m}``: the calling thread's completed calls on this buffer."""
        return {"put": getattr(self._counts, "put", 0), "got": getattr(self._counts, "got", 0)}
