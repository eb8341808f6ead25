"""Topic 1 - countdown: functions as threads, and stopping a thread.

Lecture: "Functions as Threads" and "Thread Termination".

Build two functions:

* ``countdown(count, interval, out, stop)`` calls ``out(f"Counting down {n}")``
  for n = count, count-1, ..., 1 and waits ``interval`` seconds after each
  line. Python cannot kill a thread, so the lecture's answer is a terminate
  flag the thread keeps polling: here that flag is the ``threading.Event``
  ``stop``. When ``stop`` is set the countdown returns promptly (well within
  0.2 s, even when ``interval`` is long) and emits no further line. It
  returns how many lines it emitted; ``count <= 0`` emits nothing.
* ``start_countdown(...)`` runs ``countdown`` in a new thread and returns the
  thread, already started, at once.

The tests check: the exact lines and the return value; the wait between
lines; that ``stop`` ends a long wait at once and that no line follows it
(even when ``stop`` was set before the start); that ``start_countdown``
returns at once and that the countdown really runs in the new thread.
"""

from __future__ import annotations

import threading
from typing import Callable


def countdown(count: int, interval: float = 1.0,
              out: Callable[[str], None] = print,
              stop: threading.Event | None = None) -> int:
    """Emit "Counting down n" for n = count..1, waiting ``interval`` after each.

    Returns the number of lines emitted. Stops promptly when ``stop`` is set.
    """
    raise NotImplementedError


def start_countdown(count: int, interval: float = 1.0,
                    out: Callable[[str], None] = print,
                    stop: threading.Event | None = None) -> threading.Thread:
    """Start ``countdown`` in a new thread and return that thread at once."""
    raise NotImplementedError
