"""Topic 1 - countdown: functions as threads, and stopping a thread.

Lecture: "Functions as Threads" and "Thread Termination".

Build two functions:

* ``countdown(count, interval, out, stop)`` calls ``out(f"Counting down {n}")``
  for n = count, count-1, ..., 1 and waits ``interval`` seconds after each
  line, the last one too: ``countdown(3, 1.0)`` returns after about 3 s
  unless stopped. Python cannot kill a thread, so the lecture's answer is a
  terminate flag the thread keeps polling: here that flag is the
  ``threading.Event`` ``stop``. When ``stop`` is set the countdown returns
  promptly (well within 0.2 s, even when ``interval`` is long) and emits no
  further line. "Promptly" holds at every moment of a wait, not on average:
  nothing may sleep longer than 0.2 s at a stretch while ``stop`` could be
  set. It returns how many lines it emitted; ``count <= 0`` emits nothing
  and returns 0.
* ``start_countdown(...)`` runs ``countdown(count, interval, out, stop)`` in
  a new thread and returns the thread, already started, at once: it never
  waits for the countdown. The thread is an ordinary (not daemon) thread:
  the countdown goes on to its end even when the main thread ends first.
  ``stop`` belongs to the caller: look at it, never ``clear()`` it.

Importing this module must be silent and start nothing: no output, no
thread, no process, no event loop. Waiting in slices (``stop.wait(...)``
again and again until the interval is over), validating arguments and
Thread subclasses are all fine: the tests check behaviour, not how it is
written.

The tests check: the exact lines and the return value; the wait after every
line, the last one included; that ``stop`` ends a long wait at once, at any
moment of it, and that no line follows it (even when ``stop`` was set before
the start); that ``start_countdown`` returns at once and that the countdown
really runs in the new thread; that importing the module starts nothing.
"""

from __future__ import annotations

import threading
from typing import Callable


def countdown(count: int, interval: float = 1.0,
              out: Callable[[str], None] = print,
              stop: threading.Event | None = None) -> int:
    """Emit "Counting down n" for n = count..1, waiting ``interval`` after each.

    The last line is followed by a wait too. Returns the number of lines
    emitted. When ``stop`` is set, returns within 0.2 s and emits no more.
    """
    raise NotImplementedError


def start_countdown(count: int, interval: float = 1.0,
                    out: Callable[[str], None] = print,
                    stop: threading.Event | None = None) -> threading.Thread:
    """Start ``countdown`` in a new thread and return that thread at once.

    It never waits for the countdown.
    """
    raise NotImplementedError
