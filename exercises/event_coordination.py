"""Topic 4 - event_coordination: coordinating threads with Events.

Lecture: "Coordinating Threads" (an Event has a flag that threads can wait on).

Build:

* ``start_workers(n, go, out)`` starts ``n`` threads and returns them at once.
  Worker ``i`` (0-based) waits until the Event ``go`` is set - with
  ``go.wait()``, which sleeps, not a loop that keeps asking ``is_set()`` -
  then calls ``out(i)`` once and ends.
* ``ping_pong(rounds, out)`` runs two threads: one only ever calls
  ``out("ping")``, the other only ``out("pong")``. Two Events pass the turn
  back and forth so the lines strictly alternate, starting with ``ping``,
  ``rounds`` of each. Wait for your turn, clear your Event, print, hand the
  turn over. No sleeps: 1000 rounds take well under a second. Return after
  both threads have finished.

The tests check: that workers wait for ``go`` without burning CPU, that
``start_workers`` returns before ``go`` is set, each worker's index; the
strict order of ping-pong, that each word comes from its own thread, that
no sleep decides the order, and that both threads have ended on return.
"""

from __future__ import annotations

import threading
from typing import Any, Callable


def start_workers(n: int, go: threading.Event,
                  out: Callable[[int], Any]) -> list[threading.Thread]:
    """Start ``n`` workers that each wait for ``go``, then call ``out(i)``."""
    raise NotImplementedError


def ping_pong(rounds: int, out: Callable[[str], Any] = print) -> None:
    """Print ping/pong alternately from two threads, coordinated by Events."""
    raise NotImplementedError
