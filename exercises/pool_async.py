"""Topic 5 - pool_async: a process pool with apply_async.

Lecture: "Higher Level API: ProcessPool", "Pool: apply()" and
"Pool: apply_async()".

Build:

* ``add(x, y)`` returns ``x + y``: the lecture's task.
* ``submit_all(pool, func, args_list)`` submits every call with
  ``pool.apply_async`` and returns the ``AsyncResult`` handles in order, at
  once (``apply`` or ``get()`` here would wait for each task).
* ``collect(results, timeout)`` returns the values in order. ``timeout`` is
  ONE deadline for the whole list: when it passes, raise
  ``multiprocessing.TimeoutError`` promptly. A task that raised re-raises.
* ``poll(result, interval)`` is the lecture's loop: ask ``ready()`` every
  ``interval`` seconds, sleeping in between; then return the value if
  ``successful()``, else raise the task's exception.
* ``parallel_map(func, args_list, processes)`` makes a
  ``multiprocessing.Pool(processes)``, uses ``submit_all`` and ``collect``,
  and returns the results in order; the pool is closed and joined (or
  terminated) before it returns.

Functions sent to a pool must be importable by the worker process (no
lambdas, no nested functions): they must work under the ``fork``,
``forkserver`` and ``spawn`` start methods.

The tests check: that ``submit_all`` never waits; the shared deadline and
the exceptions of ``collect``; that ``poll`` sleeps between checks and
re-raises; that ``parallel_map`` really runs its calls in several worker
processes at once and leaves no worker alive.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import time
from typing import Any, Callable


def add(x, y):
    """Return ``x + y`` (run it in a worker process)."""
    raise NotImplementedError


def submit_all(pool: multiprocessing.pool.Pool, func: Callable[..., Any],
               args_list: list[tuple]) -> list[multiprocessing.pool.AsyncResult]:
    """Submit ``func(*args)`` for every args with apply_async; never wait."""
    raise NotImplementedError


def collect(results: list[multiprocessing.pool.AsyncResult],
            timeout: float | None = None) -> list:
    """Return the values in order within one shared deadline."""
    raise NotImplementedError


def poll(result: multiprocessing.pool.AsyncResult, interval: float = 0.1):
    """Check ``ready()`` every ``interval`` seconds; return or raise the outcome."""
    raise NotImplementedError


def parallel_map(func: Callable[..., Any], args_list: list[tuple],
                 processes: int | None = None) -> list:
    """Run every call in a process pool; return results in order."""
    raise NotImplementedError
