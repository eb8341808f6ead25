"""Topic 10 - executor_futures: concurrent.futures executors and futures.

Lecture: "Functions as Threads" (see also: "concurrent futures
ThreadPoolExecutor is a high level interface to push tasks to a background
thread") and "Higher Level API: ProcessPool".

Every function calls ``func(item)`` once for each item of the list
``items``, in the worker threads (or processes) of an executor it makes
itself, for this call only, with ``max_workers`` workers. Before it returns
or raises, it shuts that executor down: no worker thread or process it
started is left alive (``run_with_timeout`` alone does not wait for calls
still running at its deadline; see there). An executor kept at module level
and reused fails: a second call finds it shut down, or its threads outlive
the call. ``with ThreadPoolExecutor(max_workers) as executor:`` shuts down
on every way out, exceptions included; so does ``try:`` / ``finally:
executor.shutdown()``.

Build:

* ``thread_map(func, items, max_workers=4) -> list``: the results in the
  order of ``items``, whatever order the calls finish in, using a
  ``ThreadPoolExecutor`` (``executor.map``, or ``submit`` and then
  ``result()`` of each future in order). Up to ``max_workers`` calls run at
  the same time: never more, and not fewer when there are enough items (one
  worker, or calling ``func`` in a loop yourself, is not concurrent). When
  calls raise, the exception of the earliest such item in ``items`` order
  propagates, unchanged, whatever its type (any ``BaseException``); it is
  never returned as a value. The executor is shut down first.
* ``process_map(func, items, max_workers=2) -> list``: the same with a
  ``ProcessPoolExecutor``: each call runs in a worker process. ``func`` is
  importable (a module-level function); pass it on as it is: a lambda or a
  nested function cannot be pickled to send to a worker. It must work under
  the ``fork``, ``forkserver`` and ``spawn`` start methods (the default one,
  or an ``mp_context`` of your choosing: either is fine). No worker process
  is left alive when it returns or raises.
* ``in_completion_order(func, items, max_workers=4, out=None) -> list``:
  ``(item, result)`` pairs in the order the calls finished
  (``concurrent.futures.as_completed``), not in the order of ``items``. When
  ``out`` is given, ``out((item, result))`` is called for each pair as soon
  as its call has finished, before waiting for the next one, always in the
  thread that called ``in_completion_order`` (as the ``for`` loop over
  ``as_completed`` does), never from a worker thread. The list returned
  holds the same pairs in the same order. When a call raises, its exception
  propagates when its turn in completion order comes; the pairs of the
  calls that finished before it have already gone to ``out``.
* ``run_with_timeout(func, items, timeout, max_workers=2) -> (done, cancelled)``:
  submits every call, then waits at most ``timeout`` seconds **in all** (one
  deadline for the whole batch: ``concurrent.futures.wait(futures,
  timeout)``, or ``as_completed(futures, timeout)`` with its ``TimeoutError``
  caught; not ``timeout`` for each future in turn). It returns as soon as
  every call has finished, or at the deadline. Then:

  - ``done``: ``(item, result)`` pairs of the calls that had finished by the
    deadline, in the order of ``items``;
  - every future not finished at the deadline is cancelled with
    ``future.cancel()``; ``cancelled`` lists, in the order of ``items``, the
    items whose ``cancel()`` succeeded: calls that had not started yet, and
    now never will (``func`` is never called for them);
  - a call still running at the deadline cannot be cancelled: its item is in
    neither list. ``run_with_timeout`` does NOT wait for it: shut the
    executor down with ``shutdown(wait=False, cancel_futures=True)`` and
    return at once; the call finishes in the background, its result is
    dropped, and the executor's threads end when it does.

  If a call that finished by the deadline raised, the exception of the
  earliest such item propagates, after the pending calls were cancelled
  and the executor shut down without waiting, exactly as above. (Returning
  as soon as a call raises, before the deadline, is fine too.) ``with
  ThreadPoolExecutor(...)`` does not fit here: leaving the block waits for
  the running calls.

Empty ``items`` give ``[]`` (``([], [])`` for ``run_with_timeout``) at once;
more workers than items is fine; a result may be anything, falsy ones
(``0``, ``None``, ``""``) included. Importing this module must be silent and
start nothing: no output, no thread, no process, no event loop. Validating
arguments, ``submit`` instead of ``map``, ``wait`` instead of
``as_completed`` (or the other way round), an executor subclass, a
``NamedTuple`` for ``(done, cancelled)``: all fine; the tests check
behaviour, not how it is written.

The tests check: that ``thread_map`` keeps the order of ``items`` when the
calls finish in reverse; that exactly ``max_workers`` calls run at once;
that the earliest exception propagates; that no worker thread or process
outlives a call, also when a call raised, and that a second call works;
that ``process_map`` really runs its calls in worker processes, at once,
under every start method; that ``in_completion_order`` hands each pair to
``out`` as soon as its call finished; that ``run_with_timeout`` keeps one
deadline for the whole batch, returns the finished results, cancels the
pending calls so they never run, and returns without waiting for the calls
still running; that importing the module starts nothing.
"""

from __future__ import annotations

import concurrent.futures
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any, Callable


def thread_map(func: Callable[[Any], Any], items: list, max_workers: int = 4) -> list:
    """``[func(item) for item in items]``, run by a ThreadPoolExecutor of ``max_workers``.

    Results in ``items`` order; the earliest exception propagates; the
    executor is shut down on every way out.
    """
    ### BEGIN SOLUTION
    with ThreadPoolExecutor(max_workers=max_workers) as executor:
        return list(executor.map(func, items))
    ### END SOLUTION


def process_map(func: Callable[[Any], Any], items: list, max_workers: int = 2) -> list:
    """``thread_map`` with a ProcessPoolExecutor: each call runs in a worker process.

    ``func`` is importable: pass it on as it is. No worker process outlives the call.
    """
    ### BEGIN SOLUTION
    with ProcessPoolExecutor(max_workers=max_workers) as executor:
        return list(executor.map(func, items))
    ### END SOLUTION


def in_completion_order(func: Callable[[Any], Any], items: list, max_workers: int = 4,
                        out: Callable[[tuple], Any] | None = None) -> list[tuple]:
    """``(item, result)`` pairs in the order the calls finished (``as_completed``).

    Each pair goes to ``out`` (when given) as soon as its call finished, in
    the calling thread.
    """
    ### BEGIN SOLUTION
    pairs = []
    with ThreadPoolExecutor(max_workers=max_workers) as executor:
        item_of = {executor.submit(func, item): item for item in items}
        for future in concurrent.futures.as_completed(item_of):
            pair = (item_of[future], future.result())
            pairs.append(pair)
            if out is not None:
                out(pair)
    return pairs
    ### END SOLUTION


def run_with_timeout(func: Callable[[Any], Any], items: list, timeout: float,
                     max_workers: int = 2) -> tuple[list[tuple], list]:
    """Run every call; wait at most ``timeout`` s in all; cancel what has not started.

    Returns ``(done, cancelled)``: the ``(item, result)`` pairs finished by the
    deadline and the items whose calls were cancelled, both in ``items``
    order. Calls still running at the deadline are in neither list and are
    not waited for.
    """
    ### BEGIN SOLUTION
    executor = ThreadPoolExecutor(max_workers=max_workers)
    try:
        futures = [executor.submit(func, item) for item in items]
        finished, _ = concurrent.futures.wait(futures, timeout=timeout)
        cancelled = [item for item, future in zip(items, futures)
                     if future not in finished and future.cancel()]
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
    done = [(item, future.result()) for item, future in zip(items, futures)
            if future in finished]
    return done, cancelled
    ### END SOLUTION
