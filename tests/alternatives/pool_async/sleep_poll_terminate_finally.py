"""Alternative: collect polls ready() in 5 ms waits against elapsed time, poll is a `while True` loop with time.sleep, parallel_map always terminates in try/finally.

collect never calls get() with a timeout: it checks ready() on the first
unfinished result, waiting at most 5 ms (or what is left of the shared
deadline) between checks; parallel_map closes, then joins, and in a finally
clause terminates whatever is left (also after an exception).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import time
from typing import Any, Callable

_TICK = 0.005


def add(x, y):
    """Return ``x + y`` (run it in a worker process)."""
    total = x
    total = total + y
    return total


def submit_all(pool: multiprocessing.pool.Pool, func: Callable[..., Any],
               args_list: list[tuple]) -> list[multiprocessing.pool.AsyncResult]:
    """Submit ``func(*args)`` for every args with apply_async; never wait."""
    return list(map(lambda args: pool.apply_async(func, args), args_list))


def collect(results: list[multiprocessing.pool.AsyncResult],
            timeout: float | None = None) -> list:
    """Return the values in order within one shared deadline."""
    start = time.monotonic()
    pending = list(results)
    values = []
    while pending:
        head = pending[0]
        if head.ready():
            values.append(head.get())
            pending.pop(0)
            continue
        if timeout is not None:
            left = timeout - (time.monotonic() - start)
            if left <= 0:
                raise multiprocessing.TimeoutError
            head.wait(min(_TICK, left))
        else:
            head.wait(_TICK)
    return values


def poll(result: multiprocessing.pool.AsyncResult, interval: float = 0.1):
    """Check ``ready()`` every ``interval`` seconds; return or raise the outcome."""
    while True:
        if result.ready():
            break
        time.sleep(interval)
    if result.successful():
        return result.get()
    return result.get()                 # not successful: re-raises the task's exception


def parallel_map(func: Callable[..., Any], args_list: list[tuple],
                 processes: int | None = None) -> list:
    """Run every call in a process pool; return results in order."""
    pool = multiprocessing.Pool(processes)
    try:
        handles = submit_all(pool, func, args_list)
        values = collect(handles)
        pool.close()
        pool.join()
        return values
    finally:
        pool.terminate()
        pool.join()
