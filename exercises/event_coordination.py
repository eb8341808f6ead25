"""Topic 4 - event_coordination: coordinating threads with Events.

Lecture: "Coordinating Threads" (an Event has a flag that threads can wait on).

Build:

* ``start_workers(n, go, out)`` starts ``n`` threads and returns them at once,
  without waiting for ``go``. Worker ``i`` (0-based) waits until the Event
  ``go`` is set - with ``go.wait()``, which sleeps, never a loop that keeps
  asking ``is_set()``, with or without a sleep in it - then calls ``out(i)``
  once and ends. ``go`` belongs to the caller: workers only wait on it, never
  ``clear()`` it. The workers are ordinary (not daemon) threads, so their
  work is done even when the main thread ends first.
* ``ping_pong(rounds, out)`` runs two threads: one only ever calls
  ``out("ping")``, the other only ``out("pong")``. Two Events pass the turn
  back and forth so the lines strictly alternate, starting with ``ping``,
  ``rounds`` of each. Wait for your turn, clear your Event, print, hand the
  turn over. More Events than two are fine (an abort flag, say), but never
  sleeps or polling for the order: 1000 rounds take well under a second.
  Return after both threads have finished.

``Event.wait(timeout)`` returning False means the timeout passed: it is not
your turn. Waiting in slices (``wait(1.0)`` again and again until it returns
True) is fine, and so are validating arguments, executors for threads and
Thread subclasses: the tests check behaviour, not how it is written.
Importing this module must be silent and start nothing: no output, no
thread, no process, no event loop.

The tests check: that workers wait for ``go`` with ``go.wait()`` without
burning CPU, never polling ``is_set()``; that ``start_workers`` returns before
``go`` is set, each worker's index; the strict order of ping-pong, that each
word comes from its own thread, that no sleep or polling decides the order,
that a ``wait(timeout)`` returning False is never taken for the turn, and
that both threads have ended on return; that importing the module starts
nothing.
"""

from __future__ import annotations

import threading
from typing import Any, Callable


def start_workers(n: int, go: threading.Event,
                  out: Callable[[int], Any]) -> list[threading.Thread]:
    """Start ``n`` workers that each wait for ``go``, then call ``out(i)``.

    Each worker waits with ``go.wait()``, never asking ``is_set()`` in a loop.
    """
    raise NotImplementedError


def ping_pong(rounds: int, out: Callable[[str], Any] = print) -> None:
    """Print ping/pong alternately from two threads, coordinated by Events.

    No sleeps or polling decide the order; return after both threads end.
    """
    raise NotImplementedError
