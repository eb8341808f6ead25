"""Topic 12 - bounded_buffer: a Condition-based bounded buffer, per-thread stats.

Lecture: "Threads" (thread primitives: "locks, events, queues, etc") and
"Functions as Threads" ("Thread local variables").

Build ``BoundedBuffer(capacity)``: a small ``queue.Queue`` of your own. The
point is to build one, so do not use ``queue.Queue`` (or ``SimpleQueue``,
``deque(maxlen=...)`` dropping items, ...) inside it; ``queue.Full`` and
``queue.Empty`` are only the exceptions you raise.

* ``BoundedBuffer(capacity)`` holds at most ``capacity`` items; a
  ``capacity`` below 1 raises ``ValueError``.
* ``put(item, timeout=None)`` waits while the buffer is full, then appends
  ``item`` and notifies a waiting getter. ``get(timeout=None)`` waits while
  it is empty, then removes and returns the OLDEST item (first in, first
  out) and notifies a waiting putter. Any object is an item, also ``None``,
  ``0`` and ``""``. ``len(buffer)`` is the number of items in it now.
* Build it on ``threading.Condition``: one Condition for both sides (then
  wake with ``notify_all``: a ``notify()`` meant for a getter may wake a
  putter instead, and the getter sleeps forever), or two Conditions sharing
  one lock ("not empty" and "not full", each woken with ``notify``). Call
  ``wait`` inside a ``while`` loop (or use ``wait_for``): a wake-up is no
  promise that the buffer still has an item, or room - another thread may
  have taken it first, and ``notify`` may wake more threads than asked.
  Never busy-wait: no ``time.sleep`` polling, no tiny wait timeouts in a loop.
* ``timeout`` (seconds, ``>= 0``; ``None`` waits for good) is ONE deadline for
  the whole call: ``put`` raises ``queue.Full`` and ``get`` raises
  ``queue.Empty`` once it has passed, never earlier, however many wake-ups
  came in between (a wake-up must not restart the full timeout: ``wait_for``
  does this for you). ``timeout=0`` never waits. A call that raised changes
  nothing.
* ``stats()`` returns a new dict ``{"put": n, "got": m}``: how many ``put``
  and ``get`` calls the CALLING thread has completed on THIS buffer (calls
  that raised do not count). Keep the counts in a ``threading.local`` made
  per buffer: a thread that has not used the buffer sees zeros, another
  thread's calls never show, and two buffers keep separate counts. (Mind
  that attributes set on a ``threading.local`` in ``__init__`` exist only in
  the thread that ran ``__init__``.)

Importing this module must be silent and start nothing.

The tests check: FIFO order, ``len``, falsy items; that a put on a full
buffer waits until a get makes room (and exactly ``capacity`` fit); that
with a Condition whose ``notify`` wakes every waiter (allowed by Python's
docs) a thread that finds the buffer empty (or full) again waits again
instead of failing; that put and get wake the other side's waiters; that a
blocked call waits in ``Condition.wait`` and does not poll; that timeouts
raise ``queue.Full`` / ``queue.Empty`` after the timeout and not later,
even while other code keeps waking the Condition; that many producers and
consumers hand over every item exactly once; the per-thread, per-buffer
stats; and that importing the module starts nothing.
"""

from __future__ import annotations

import collections
import queue
import threading
from typing import Any


class BoundedBuffer:
    """A first-in, first-out buffer of at most ``capacity`` items, safe for many threads."""

    def __init__(self, capacity: int) -> None:
        raise NotImplementedError

    def put(self, item: Any, timeout: float | None = None) -> None:
        """Append ``item`` once there is room; ``queue.Full`` when ``timeout`` s passed first."""
        raise NotImplementedError

    def get(self, timeout: float | None = None) -> Any:
        """Remove and return the oldest item; ``queue.Empty`` when ``timeout`` s passed first."""
        raise NotImplementedError

    def __len__(self) -> int:
        """The number of items in the buffer now."""
        raise NotImplementedError

    def stats(self) -> dict[str, int]:
        """``{"put": n, "got": m}``: the calling thread's completed calls on this buffer."""
        raise NotImplementedError
