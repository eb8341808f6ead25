"""Alternative: collect waits on each result with result.wait(remaining) and checks ready(), poll naps with result.wait(interval), parallel_map uses close()+join() with an explicit try/except terminate instead of `with`.

submit_all passes the arguments by keyword (args=...). collect raises
multiprocessing.TimeoutError itself as soon as a result is not ready when
the shared deadline has run out.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import operator
import time
from typing import Any, Callable


def add(x, y):
    """Return ``x + y`` (run it in a worker process)."""
    return operator.add(x, y)


def submit_all(pool: multiprocessing.pool.Pool, func: Callable[..., Any],
               args_list: list[tuple]) -> list[multiprocessing.pool.AsyncResult]:
    """Submit ``func(*args)`` for every args with apply_async; never wait."""
    handles = []
    for args in args_list:
        handles.append(pool.apply_async(func, args=tuple(args)))
    return handles


def collect(results: list[multiprocessing.pool.AsyncResult],
            timeout: float | None = None) -> list:
    """Return the values in order within one shared deadline."""
    deadline = None if timeout is None else time.monotonic() + timeout
    values = []
    for result in results:
        if deadline is None:
            result.wait()
        else:
            result.wait(max(deadline - time.monotonic(), 0.0))
        if not result.ready():
            raise multiprocessing.TimeoutError(
                f"result {len(values)} not ready within {timeout} s")
        values.append(result.get())
    return values


def poll(result: multiprocessing.pool.AsyncResult, interval: float = 0.1):
    """Check ``ready()`` every ``interval`` seconds; return or raise the outcome."""
    while not result.ready():
        result.wait(interval)
    if not result.successful():
        result.get()                    # raises the task's exception
    return result.get()


def parallel_map(func: Callable[..., Any], args_list: list[tuple],
                 processes: int | None = None) -> list:
    """Run every call in a process pool; return results in order."""
    pool = multiprocessing.Pool(processes=processes)
    try:
        values = collect(submit_all(pool, func, args_list))
    except BaseException:
        pool.terminate()
        pool.join()
        raise
    pool.close()
    pool.join()
    return values
