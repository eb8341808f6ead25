"""Wrong: parallel_map makes its pool with multiprocessing.get_context("spawn").Pool, a start method of its own choosing.
Expect: parallel_map uses the current default start method, not a context of its own choosing (here every pool is spawned whatever the default is).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import time
from typing import Any, Callable


def add(x, y):
    """Return ``x + y`` (run it in a worker process)."""
    return x + y


def submit_all(pool: multiprocessing.pool.Pool, func: Callable[..., Any],
               args_list: list[tuple]) -> list[multiprocessing.pool.AsyncResult]:
    """Submit ``func(*args)`` for every args with apply_async; never wait."""
    return [pool.apply_async(func, args) for args in args_list]


def collect(results: list[multiprocessing.pool.AsyncResult],
            timeout: float | None = None) -> list:
    """Return the values in order within one shared deadline."""
    deadline = None if timeout is None else time.monotonic() + timeout
    values = []
    for result in results:
        if deadline is None:
            values.append(result.get())
        else:
            values.append(result.get(max(0.0, deadline - time.monotonic())))
    return values


def poll(result: multiprocessing.pool.AsyncResult, interval: float = 0.1):
    """Check ``ready()`` every ``interval`` seconds; return or raise the outcome."""
    while not result.ready():
        time.sleep(interval)
    if result.successful():
        return result.get()
    return result.get()             # re-raises the task's exception


def parallel_map(func: Callable[..., Any], args_list: list[tuple],
                 processes: int | None = None) -> list:
    """Run every call in a process pool; return results in order."""
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        values = collect(submit_all(pool, func, args_list))
        pool.close()
        pool.join()
    return values
