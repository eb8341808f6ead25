"""Alternative: parallel_map uses a subclass of multiprocessing.pool.Pool built with multiprocessing.get_context() (the current default start method), collect waits with AsyncResult.wait(remaining) then checks ready() and takes get(0), and poll naps with threading.Event().wait(interval).

The subclass's ``__exit__`` closes and joins the pool after a clean run and
terminates (then joins) it after an exception, so no worker process
outlives parallel_map in either case. get_context() without an argument is
called inside parallel_map, so it follows whatever start method is the
default at that moment. collect never waits past the shared deadline: each
result gets only the time left, and a result still not ready then raises
multiprocessing.TimeoutError; results that are all ready are returned even
with a timeout of 0.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import threading
import time
from typing import Any, Callable


def add(x, y):
    """Return ``x + y`` (run it in a worker process)."""
    return x + y


def submit_all(pool: multiprocessing.pool.Pool, func: Callable[..., Any],
               args_list: list[tuple]) -> list[multiprocessing.pool.AsyncResult]:
    """Submit ``func(*args)`` for every args with apply_async; never wait."""
    return [pool.apply_async(func, tuple(args)) for args in args_list]


def collect(results: list[multiprocessing.pool.AsyncResult],
            timeout: float | None = None) -> list:
    """Return the values in order within one shared deadline."""
    deadline = None if timeout is None else time.monotonic() + timeout
    values = []
    for position, result in enumerate(results):
        remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
        result.wait(remaining)
        if not result.ready():
            raise multiprocessing.TimeoutError(
                f"result {position} was not ready within {timeout} s")
        values.append(result.get(0))
    return values


def poll(result: multiprocessing.pool.AsyncResult, interval: float = 0.1):
    """Check ``ready()`` every ``interval`` seconds; return or raise the outcome."""
    nap = threading.Event()             # never set: wait(interval) is a plain sleep
    while not result.ready():
        nap.wait(interval)
    if not result.successful():
        result.get(0)                   # re-raises the task's exception
    return result.get(0)


class _TidyPool(multiprocessing.pool.Pool):
    """A Pool whose ``with`` block joins its workers, terminating them on error."""

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.close()
        else:
            self.terminate()
        self.join()
        return False


def parallel_map(func: Callable[..., Any], args_list: list[tuple],
                 processes: int | None = None) -> list:
    """Run every call in a process pool; return results in order."""
    with _TidyPool(processes, context=multiprocessing.get_context()) as pool:
        return collect(submit_all(pool, func, args_list))
