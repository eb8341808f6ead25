"""Topic 5 - pool_async: a process pool with apply_async.

Lecture: "Higher Level API: ProcessPool", "Pool: apply()" and
"Pool: apply_async()".

Build:

* ``add(x, y)`` returns ``x + y``: the lecture's task.
* ``submit_all(pool, func, args_list)`` submits every call with
  ``pool.apply_async`` and returns the ``AsyncResult`` handles in order, at
  once (``apply`` or ``get()`` here would wait for each task).
* ``collect(results, timeout)`` returns the values in order. ``timeout`` is
  ONE deadline for the whole list: when it passes with a result still not
  ready, raise ``multiprocessing.TimeoutError`` promptly (not after waiting
  on every result in turn). Results that are all ready are returned, even
  with ``timeout`` 0. A task that raised re-raises.
* ``poll(result, interval)`` is the lecture's loop: ask ``ready()`` every
  ``interval`` seconds, sleeping in between; then return the value if
  ``successful()``, else raise the task's exception.
* ``parallel_map(func, args_list, processes)`` makes a
  ``multiprocessing.Pool(processes)`` with the current default start method,
  not a context of its own choosing, uses ``submit_all`` and ``collect``, and
  returns the results in order. A subclass of the library's pool, or a pool
  made through a context of the default method, is fine. The pool is closed
  and joined (or terminated) before it returns: no worker process outlives
  the call, also when a task raised.

Functions sent to a pool must be importable by the worker process (no
lambdas, no nested functions): they must work under the ``fork``,
``forkserver`` and ``spawn`` start methods, and the hidden tests run under
all three. Importing this module must be silent and start nothing: no
output, no thread, no process, no event loop. Validating arguments is fine:
the tests check behaviour, not how it is written.

The tests check: that ``submit_all`` never waits; the shared deadline and
the exceptions of ``collect``, and that results all ready are returned; that
``poll`` sleeps between checks and re-raises; that ``parallel_map`` uses the
default start method, really runs its calls in several worker processes at
once and leaves no worker alive; that importing the module starts nothing.
The hidden tests run under ``fork``, ``forkserver`` and ``spawn``.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import time
from typing import Any, Callable


def add(x, y):
    """Return ``x + y`` (run it in a worker process)."""
    ### BEGIN SOLUTION
    return x + y
    ### END SOLUTION


def submit_all(pool: multiprocessing.pool.Pool, func: Callable[..., Any],
               args_list: list[tuple]) -> list[multiprocessing.pool.AsyncResult]:
    """Submit ``func(*args)`` for every args with apply_async; never wait."""
    ### BEGIN SOLUTION
    return [pool.apply_async(func, args) for args in args_list]
    ### END SOLUTION


def collect(results: list[multiprocessing.pool.AsyncResult],
            timeout: float | None = None) -> list:
    """Return the values in order within one shared deadline.

    Raises ``multiprocessing.TimeoutError`` when the deadline passes with a
    result still not ready; results that are all ready are returned.
    """
    ### BEGIN SOLUTION
    deadline = None if timeout is None else time.monotonic() + timeout
    values = []
    for result in results:
        if deadline is None:
            values.append(result.get())
        else:
            values.append(result.get(max(0.0, deadline - time.monotonic())))
    return values
    ### END SOLUTION


def poll(result: multiprocessing.pool.AsyncResult, interval: float = 0.1):
    """Check ``ready()`` every ``interval`` seconds; return or raise the outcome."""
    ### BEGIN SOLUTION
    while not result.ready():
        time.sleep(interval)
    if result.successful():
        return result.get()
    return result.get()             # re-raises the task's exception
    ### END SOLUTION


def parallel_map(func: Callable[..., Any], args_list: list[tuple],
                 processes: int | None = None) -> list:
    """Run every call in a process pool; return results in order.

    Use the default start method; leave no worker alive, even when a task raised.
    """
    ### BEGIN SOLUTION
    with multiprocessing.Pool(processes) as pool:
        values = collect(submit_all(pool, func, args_list))
        pool.close()
        pool.join()
    return values
    ### END SOLUTION
