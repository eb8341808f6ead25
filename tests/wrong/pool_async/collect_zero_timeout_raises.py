"""Wrong: collect raises multiprocessing.TimeoutError as soon as no time is left, before looking at the result, so timeout=0 raises even when every result is already ready.
Expect: collect: results that are all ready are returned; TimeoutError only when the deadline passes with a result still not ready (here collect(ready_results, 0) raises).
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
            left = deadline - time.monotonic()
            if left <= 0:
                raise multiprocessing.TimeoutError("collect: deadline passed")
            values.append(result.get(left))
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
    with multiprocessing.Pool(processes) as pool:
        values = collect(submit_all(pool, func, args_list))
        pool.close()
        pool.join()
    return values
