"""Topic 2 - joinable_threads: joining threads, results through a queue.

Lecture: "Joining a Thread" (threads don't return a value: use a queue).

Build two functions:

* ``run_in_threads(func, args_list)`` calls ``func(*args)`` for every
  ``args``, each call in its own thread, all running at the same time. The
  return values travel back through a ``queue.Queue``. Every thread is joined;
  the results come back in the order of ``args_list`` (not the order the
  threads finished). If calls raised, all threads are still joined first, then
  the exception of the earliest such ``args`` is raised: "earliest" means the
  earliest position in ``args_list``, not the first to happen in time. Any
  exception counts, ``BaseException`` subclasses too; a value ``func``
  *returns* is a result, even when it is an exception object. An empty list
  returns ``[]``. Each call keeps its own queue and threads: two calls at the
  same time, or a call after one that raised, never mix.
* ``join_all(threads, timeout)`` joins the threads within ONE shared deadline
  of ``timeout`` seconds for the whole list, not ``timeout`` for each thread
  (``None`` waits for all). It returns as soon as every thread has ended, well
  before the deadline when they end early, and returns the threads still
  alive, in their original order (``[]`` when all finished).

Importing this module must be silent and start nothing: no output, no
thread, no process, no event loop. Waiting in slices, validating arguments,
executors for threads and Thread subclasses are all fine: the tests check
behaviour, not how it is written.

The tests check: that all calls run at the same time; the order of results;
that every thread has ended before the function returns or raises; which
exception is raised (the earliest in ``args_list``, whatever finished
first, of any kind); that two calls share nothing; that ``join_all``
shares one deadline, returns early once every thread has ended, and
returns exactly the threads still alive; that importing the module starts
nothing.
"""

from __future__ import annotations

import queue
import threading
import time
from typing import Any, Callable


def run_in_threads(func: Callable[..., Any], args_list: list[tuple]) -> list:
    """Run ``func(*args)`` for each args in its own thread; results in order.

    If calls raised, joins every thread, then raises the exception of the
    earliest such args in ``args_list``.
    """
    ### BEGIN SOLUTION
    results: queue.Queue = queue.Queue()

    def call(index: int, args: tuple) -> None:
        try:
            results.put((index, True, func(*args)))
        except BaseException as exc:  # pylint: disable=broad-exception-caught
            results.put((index, False, exc))

    threads = [threading.Thread(target=call, args=(i, args))
               for i, args in enumerate(args_list)]
    for thread in threads:          # start them all first...
        thread.start()
    for thread in threads:          # ...then wait for them all
        thread.join()

    outcomes = {}
    while not results.empty():
        index, ok, value = results.get()
        outcomes[index] = (ok, value)
    for index in range(len(args_list)):
        ok, value = outcomes[index]
        if not ok:
            raise value
    return [outcomes[index][1] for index in range(len(args_list))]
    ### END SOLUTION


def join_all(threads: list[threading.Thread],
             timeout: float | None = None) -> list[threading.Thread]:
    """Join all threads within one shared deadline; return those still alive.

    Returns as soon as every thread has ended, even long before the deadline.
    """
    ### BEGIN SOLUTION
    deadline = None if timeout is None else time.monotonic() + timeout
    for thread in threads:
        if deadline is None:
            thread.join()
        else:
            thread.join(max(0.0, deadline - time.monotonic()))
    return [thread for thread in threads if thread.is_alive()]
    ### END SOLUTION
