"""Wrong: BoundedBuffer wraps a queue.Queue(maxsize=capacity) instead of building the buffer on threading.Condition, which the contract forbids (the point is to build one).
Expect: the buffer is built on threading.Condition (here no Condition of the module is ever made or waited on: every test that watches the Condition fails).
"""

from __future__ import annotations

import queue
import threading
from typing import Any


class BoundedBuffer:
    """A first-in, first-out buffer of at most ``capacity`` items, safe for many threads."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, not {capacity!r}")
        self._queue: queue.Queue = queue.Queue(maxsize=capacity)
        self._local = threading.local()

    def put(self, item: Any, timeout: float | None = None) -> None:
        """Append ``item`` once there is room; ``queue.Full`` when ``timeout`` s passed first."""
        self._queue.put(item, timeout=timeout)
        self._local.put = getattr(self._local, "put", 0) + 1

    def get(self, timeout: float | None = None) -> Any:
        """Remove and return the oldest item; ``queue.Empty`` when ``timeout`` s passed first."""
        item = self._queue.get(timeout=timeout)
        self._local.got = getattr(self._local, "got", 0) + 1
        return item

    def __len__(self) -> int:
        """The number of items in the buffer now."""
        return self._queue.qsize()

    def stats(self) -> dict[str, int]:
        """``{"put": n, "got": m}``: the calling thread's completed calls on this buffer."""
        return {"put": getattr(self._local, "put", 0), "got": getattr(self._local, "got", 0)}
