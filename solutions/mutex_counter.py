"""Topic 3 - mutex_counter: race conditions and mutex locks.

Lecture: "Race Conditions" and "Mutex Locks".

Build:

* ``Counter`` with a plain instance attribute ``value`` (starts at 0) and
  ``increment(amount=1)``, which reads ``self.value`` and writes it back plus
  ``amount``. Two threads that both read 9 and both write 10 lose an update:
  make the read-modify-write safe with a lock. The lock may be a ``Lock``,
  an ``RLock`` or a ``Condition``; create it once per counter, before any
  thread can call ``increment`` (creating it lazily inside ``increment``
  races). ``with lock:`` and ``acquire()`` with ``release()`` in ``finally``
  are equal: both release it even when the addition raises, say
  ``amount="x"``. The exception propagates and the counter stays usable.
* ``hammer(counter, n_threads, n_increments)`` starts ``n_threads`` threads,
  all alive at the same time, each calling ``counter.increment()``
  ``n_increments`` times; joins them all; returns ``counter.value``. Start
  every thread before you join any; a start barrier is allowed, not
  required.

Importing this module must be silent and start nothing: no output, no
thread, no process, no event loop. Validating arguments, executors for
threads, Thread subclasses and ``Condition(RLock())`` as the lock are all
fine: the tests check behaviour, not how it is written.

The tests check: that no update is lost even when reading and writing
``value`` is made slow on purpose (so a race really happens); that the lock
exists before the first ``increment`` (a lock created lazily races); that an
exception in the addition propagates and leaves the counter usable; that
``hammer`` runs its threads together, waits for them, and counts right; that
importing the module starts nothing.
"""

from __future__ import annotations

import threading


class Counter:
    """A counter that many threads may increment at once.

    Create its lock once, before any thread can call ``increment``.
    """

    def __init__(self) -> None:
        ### BEGIN SOLUTION
        self._lock = threading.Lock()
        self.value = 0
        ### END SOLUTION

    def increment(self, amount: int = 1) -> None:
        """Add ``amount`` to ``value`` without ever losing an update.

        If the addition raises, the exception propagates and the next call does not hang.
        """
        ### BEGIN SOLUTION
        with self._lock:
            self.value = self.value + amount
        ### END SOLUTION


def hammer(counter: Counter, n_threads: int, n_increments: int) -> int:
    """Increment ``counter`` from ``n_threads`` threads at once; return its value.

    Start every thread before joining any.
    """
    ### BEGIN SOLUTION
    def work() -> None:
        for _ in range(n_increments):
            counter.increment()

    threads = [threading.Thread(target=work) for _ in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counter.value
    ### END SOLUTION
