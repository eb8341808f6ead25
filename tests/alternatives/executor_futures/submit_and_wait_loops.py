"""Alternative: submit() and explicit try/finally shutdown everywhere; completion order with wait(FIRST_COMPLETED); the deadline with as_completed(timeout) and shutdown(cancel_futures=True) doing the cancelling.

thread_map and process_map submit every call, read the futures' results in
order and shut down in ``finally``; process_map names the default context
itself. in_completion_order waits for the first completed future again and
again. run_with_timeout counts down with as_completed(futures, timeout),
catches its TimeoutError, lets shutdown(wait=False, cancel_futures=True)
cancel what had not started and reads cancelled() afterwards.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any, Callable


def _results_in_order(executor: concurrent.futures.Executor, func: Callable[[Any], Any],
                      items: list) -> list:
    """Submit every call first, then read the results in the order of ``items``."""
    try:
        futures = [executor.submit(func, item) for item in items]
        return [future.result() for future in futures]
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def thread_map(func: Callable[[Any], Any], items: list, max_workers: int = 4) -> list:
    """Run every call in a ThreadPoolExecutor; results in items order."""
    return _results_in_order(ThreadPoolExecutor(max_workers), func, list(items))


def process_map(func: Callable[[Any], Any], items: list, max_workers: int = 2) -> list:
    """Run every call in a ProcessPoolExecutor of the default start method."""
    executor = ProcessPoolExecutor(max_workers, mp_context=multiprocessing.get_context())
    return _results_in_order(executor, func, list(items))


def in_completion_order(func: Callable[[Any], Any], items: list, max_workers: int = 4,
                        out: Callable[[tuple], Any] | None = None) -> list[tuple]:
    """(item, result) pairs as the calls finish; each to ``out`` at once, in this thread."""
    executor = ThreadPoolExecutor(max_workers)
    pairs: list[tuple] = []
    try:
        pending = {executor.submit(func, item): item for item in items}
        while pending:
            done, _ = concurrent.futures.wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                item = pending.pop(future)
                pair = (item, future.result())
                pairs.append(pair)
                if out is not None:
                    out(pair)
    finally:
        executor.shutdown(wait=True)
    return pairs


def run_with_timeout(func: Callable[[Any], Any], items: list, timeout: float,
                     max_workers: int = 2) -> tuple[list[tuple], list]:
    """Wait at most ``timeout`` s in all; cancel the calls not started; don't wait for the rest."""
    items = list(items)
    executor = ThreadPoolExecutor(max_workers)
    finished: set = set()
    try:
        futures = [executor.submit(func, item) for item in items]
        try:
            for future in concurrent.futures.as_completed(futures, timeout=timeout):
                finished.add(future)
        except concurrent.futures.TimeoutError:
            pass
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
    cancelled = [item for item, future in zip(items, futures) if future.cancelled()]
    done = [(item, future.result()) for item, future in zip(items, futures)
            if future in finished]
    return done, cancelled
