"""Topic 3 - mutex_counter: race conditions and mutex locks.

Lecture: "Race Conditions" and "Mutex Locks".

Build:

* ``Counter`` with a plain instance attribute ``value`` (starts at 0) and
  ``increment(amount=1)``, which reads ``self.value`` and writes it back plus
  ``amount``. Two threads that both read 9 and both write 10 lose an update:
  make the read-modify-write safe with a lock (``with lock:`` releases it
  even when the addition raises, say ``amount="x"``).
* ``hammer(counter, n_threads, n_increments)`` starts ``n_threads`` threads,
  all alive at the same time, each calling ``counter.increment()``
  ``n_increments`` times; joins them all; returns ``counter.value``.

The tests check: that no update is lost even when reading and writing
``value`` is made slow on purpose (so a race really happens); that an
exception in the addition propagates and leaves the counter usable; that
``hammer`` runs its threads together, waits for them, and counts right.
"""

from __future__ import annotations

import threading


class Counter:
    """A counter that many threads may increment at once."""

    def __init__(self) -> None:
        raise NotImplementedError

    def increment(self, amount: int = 1) -> None:
        """Add ``amount`` to ``value`` without ever losing an update."""
        raise NotImplementedError


def hammer(counter: Counter, n_threads: int, n_increments: int) -> int:
    """Increment ``counter`` from ``n_threads`` threads at once; return its value."""
    raise NotImplementedError
