"""Topic 8 - producer_consumer: queues between threads, the actor model.

Lecture: "Threads" - "Many thread primitives (locks, events, queues, etc)
allow them to communicate and synchronise" and "No shared resources (the
actor model/CSP) is a way to minimise locking and maximise sanity".

Build one function, a pipeline of threads that share nothing but queues:

* ``run_pipeline(items, handle, consumers=3, maxsize=2)`` starts ONE
  producer thread and ``consumers`` consumer threads, joined by a
  ``queue.Queue(maxsize)`` of work:

  - The producer iterates ``items`` itself, once, lazily, in its own thread
    (``items`` may be a generator: never ``list()`` it, and never iterate it
    in the calling thread), and puts each item, with its position, on the
    work queue. After the last item it puts ONE SENTINEL PER CONSUMER: a
    unique object made for the purpose (``object()``), never ``None`` nor
    any other value an item could be - ``None``, ``0``, ``""`` and
    ``False`` are items like any other and must be handled.
  - Each consumer takes work off the queue with a blocking ``get()``, calls
    ``handle(item)`` and sends ``(position, outcome)`` back to the calling
    thread on a results queue, until it takes a sentinel; then it ends.
    ``handle`` runs on the consumer threads only, up to ``consumers`` of
    them at the same time. A consumer must not stop because the queue is
    momentarily empty or because the producer is done: only a sentinel
    ends it, so no item left in the queue is ever lost.
  - The queue is bounded (``maxsize > 0``): when it is full the producer
    waits in ``put()`` until a consumer takes something (backpressure). So
    at any moment at most ``maxsize + consumers + 1`` items have been
    taken from ``items`` but not yet handled: ``maxsize`` in the queue, one
    in each consumer's hands, one in the producer's waiting for room.
    ``maxsize <= 0`` means an unbounded queue, as for ``queue.Queue``.
  - Every item is handled exactly once. The results come back as a list,
    in the order of ``items``, whatever order the handles finished in.
  - Every thread the call started (producer and consumers) has ended
    before it returns or raises.
  - If ``handle`` raised for some items (any exception, ``BaseException``
    subclasses too), the consumer that caught it goes on with the next
    item: every other item is still handled, every thread ends, and then
    the exception of the EARLIEST such item in ``items`` is raised (not the
    first to happen in time). If iterating ``items`` itself raises, the
    producer still puts the sentinels, the items taken before are handled,
    every thread ends, and that exception is raised (an exception of
    ``handle`` for an earlier item wins, being earlier in ``items``).
  - Empty ``items`` returns ``[]``. ``consumers < 1`` raises ``ValueError``
    before anything starts or any item is taken.
  - Each call owns its queues and threads (keep nothing at module level):
    two calls at the same time, or one after another, never mix.

Use ``queue.Queue`` and its blocking ``get()`` and ``put()`` (a timed
``get(timeout=...)`` in a loop is fine too): the tests look at which of your
threads wait in them, so a pipeline starts and ends the same way on every
run. Importing this module must be silent and start nothing: no output, no
thread, no process. Thread subclasses, a class per actor, an executor
running the consumers, ``iter(work.get, sentinel)``, or a single sentinel
that each consumer puts back for the next one before it ends are all fine:
the tests check behaviour, not how it is written.

The tests check: that the items are taken lazily in one producer thread and
handled on ``consumers`` threads at once; that a full queue makes the
producer wait; that no item is lost or handled twice, ``None`` and other
falsy items included, with a slow producer and with slow consumers; the
order of the results; that every thread has ended when the call returns or
raises, and that it never hangs (a missing sentinel leaves consumers
waiting in ``get()`` forever); which exception is raised; that
``consumers < 1`` is refused; that two calls share nothing; that importing
the module starts nothing.
"""

from __future__ import annotations

import queue
import threading
from typing import Any, Callable, Iterable


def run_pipeline(items: Iterable[Any], handle: Callable[[Any], Any],
                 consumers: int = 3, maxsize: int = 2) -> list:
    """Handle every item on ``consumers`` threads fed by one producer; results in order.

    The producer puts one unique sentinel per consumer after the last item.
    Every thread ends before this returns or raises; if ``handle`` raised,
    the exception of the earliest such item is raised then.
    """
    raise NotImplementedError
