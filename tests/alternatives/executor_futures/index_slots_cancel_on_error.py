"""Alternative: thread_map gathers outcomes with as_completed into slots by index and raises the earliest item's error only once every call is done; in_completion_order cancels the queued calls when one raises; run_with_timeout returns a list [done, cancelled] and cancels after shutdown(wait=False).

process_map validates its arguments and uses executor.map with an explicit
chunksize. Every executor is made inside the call.
"""

from __future__ import annotations

import concurrent.futures as cf
from typing import Any, Callable

_MISSING = object()


def _check(max_workers: int) -> None:
    if max_workers < 1:
        raise ValueError("max_workers must be at least 1")


def thread_map(func: Callable[[Any], Any], items: list, max_workers: int = 4) -> list:
    """Results in items order; the earliest item's exception once all calls are done."""
    _check(max_workers)
    items = list(items)
    values: list = [_MISSING] * len(items)
    errors: dict[int, BaseException] = {}
    with cf.ThreadPoolExecutor(max_workers=max_workers) as pool:
        index_of = {pool.submit(func, item): i for i, item in enumerate(items)}
        for future in cf.as_completed(index_of):
            error = future.exception()
            if error is None:
                values[index_of[future]] = future.result()
            else:
                errors[index_of[future]] = error
    if errors:
        raise errors[min(errors)]
    return values


def process_map(func: Callable[[Any], Any], items: list, max_workers: int = 2) -> list:
    """Results in items order, each computed in a worker process."""
    _check(max_workers)
    with cf.ProcessPoolExecutor(max_workers=max_workers) as pool:
        return list(pool.map(func, items, chunksize=1))


def in_completion_order(func: Callable[[Any], Any], items: list, max_workers: int = 4,
                        out: Callable[[tuple], Any] | None = None) -> list[tuple]:
    """(item, result) pairs in completion order; a failure cancels the calls still queued."""
    _check(max_workers)
    pool = cf.ThreadPoolExecutor(max_workers=max_workers)
    pairs = []
    try:
        item_of = {pool.submit(func, item): item for item in items}
        for future in cf.as_completed(item_of):
            pairs.append((item_of[future], future.result()))
            if out is not None:
                out(pairs[-1])
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return pairs


def run_with_timeout(func: Callable[[Any], Any], items: list, timeout: float,
                     max_workers: int = 2) -> list:
    """[done, cancelled] after one shared deadline; running calls are left to finish alone."""
    _check(max_workers)
    pool = cf.ThreadPoolExecutor(max_workers=max_workers)
    futures: list[cf.Future] = []
    try:
        futures = [pool.submit(func, item) for item in items]
        finished, unfinished = cf.wait(futures, timeout=timeout, return_when=cf.ALL_COMPLETED)
    finally:
        pool.shutdown(wait=False)
    cancelled = [item for item, f in zip(items, futures) if f in unfinished and f.cancel()]
    done = [(item, f.result()) for item, f in zip(items, futures) if f in finished]
    return [done, cancelled]
