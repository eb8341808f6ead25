"""Alternative: collect is a generator of get(time left) over a shared deadline, poll sleeps with time.sleep(interval) between ready() checks, and parallel_map closes+joins in try and always terminates+joins in finally, with argument validation.

The generator ``_values`` yields each result's value, giving get() only
the time left of the one deadline (``None`` waits for all); get() raises
multiprocessing.TimeoutError itself when that runs out, or the task's own
exception. parallel_map checks its arguments (func callable, processes a
positive int or None) before any process starts; the finally clause ends
every worker even when a task raised.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import time
from typing import Any, Callable, Iterable, Iterator


def add(x, y):
    """Return ``x + y`` (run it in a worker process)."""
    result = x
    result += y
    return result


def submit_all(pool: multiprocessing.pool.Pool, func: Callable[..., Any],
               args_list: list[tuple]) -> list[multiprocessing.pool.AsyncResult]:
    """Submit ``func(*args)`` for every args with apply_async; never wait."""
    handles = []
    for args in args_list:
        handles.append(pool.apply_async(func, args))
    return handles


def _values(results: Iterable[multiprocessing.pool.AsyncResult],
            deadline: float | None) -> Iterator[Any]:
    for result in results:
        if deadline is None:
            yield result.get()
        else:
            yield result.get(max(0.0, deadline - time.monotonic()))


def collect(results: list[multiprocessing.pool.AsyncResult],
            timeout: float | None = None) -> list:
    """Return the values in order within one shared deadline."""
    deadline = None if timeout is None else time.monotonic() + timeout
    return list(_values(results, deadline))


def poll(result: multiprocessing.pool.AsyncResult, interval: float = 0.1):
    """Check ``ready()`` every ``interval`` seconds; return or raise the outcome."""
    while True:
        if result.ready():
            break
        time.sleep(interval)
    if not result.successful():
        result.get()                    # raises the task's exception
    return result.get()


def parallel_map(func: Callable[..., Any], args_list: list[tuple],
                 processes: int | None = None) -> list:
    """Run every call in a process pool; return results in order."""
    if not callable(func):
        raise TypeError(f"func must be callable, not {type(func).__name__}")
    if processes is not None and (not isinstance(processes, int) or processes < 1):
        raise ValueError(f"processes must be a positive int or None, got {processes!r}")
    calls = [tuple(args) for args in args_list]
    pool = multiprocessing.Pool(processes)
    try:
        values = collect(submit_all(pool, func, calls))
        pool.close()
        pool.join()
        return values
    finally:
        pool.terminate()
        pool.join()
