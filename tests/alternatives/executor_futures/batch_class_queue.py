"""Alternative: a small Batch class owns the executor (a context manager that validates max_workers); completion order through done-callbacks and a queue.Queue read in the caller's thread; a hand-made deadline loop with wait(FIRST_COMPLETED); a NamedTuple result.

The done-callbacks only put futures on the queue: out is still called by the
caller's thread, which takes them off one by one. run_with_timeout keeps its
own deadline with time.monotonic() and waits only the time left each round;
it cancels each unfinished future itself and reports those whose cancel()
succeeded.
"""

from __future__ import annotations

import concurrent.futures
import queue
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any, Callable, NamedTuple


class Outcome(NamedTuple):
    """What run_with_timeout returns: unpacks as (done, cancelled)."""

    done: list
    cancelled: list


class Batch:
    """One executor for one batch of calls; shut down when the ``with`` block is left.

    ``wait=False`` leaves without waiting for calls still running.
    """

    def __init__(self, max_workers: int, processes: bool = False, wait: bool = True) -> None:
        if not isinstance(max_workers, int) or max_workers < 1:
            raise ValueError(f"max_workers must be a positive int, not {max_workers!r}")
        kind = ProcessPoolExecutor if processes else ThreadPoolExecutor
        self.executor = kind(max_workers=max_workers)
        self.wait = wait

    def __enter__(self) -> "Batch":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.executor.shutdown(wait=self.wait, cancel_futures=True)

    def submit_all(self, func: Callable[[Any], Any], items: list) -> list:
        """One future per item, in items order."""
        return [self.executor.submit(func, item) for item in items]


def thread_map(func: Callable[[Any], Any], items: list, max_workers: int = 4) -> list:
    """Run every call in worker threads; results in items order."""
    with Batch(max_workers) as batch:
        return list(batch.executor.map(func, items))


def process_map(func: Callable[[Any], Any], items: list, max_workers: int = 2) -> list:
    """Run every call in worker processes; results in items order."""
    with Batch(max_workers, processes=True) as batch:
        futures = batch.submit_all(func, items)
        return [future.result() for future in futures]


def in_completion_order(func: Callable[[Any], Any], items: list, max_workers: int = 4,
                        out: Callable[[tuple], Any] | None = None) -> list[tuple]:
    """(item, result) pairs as the calls finish, each handed to ``out`` at once."""
    finished: queue.Queue = queue.Queue()
    pairs: list[tuple] = []
    with Batch(max_workers) as batch:
        futures = batch.submit_all(func, items)
        for index, future in enumerate(futures):
            future.add_done_callback(lambda f, i=index: finished.put(i))
        for _ in futures:
            index = finished.get()
            pair = (items[index], futures[index].result())
            pairs.append(pair)
            if out is not None:
                out(pair)
    return pairs


def run_with_timeout(func: Callable[[Any], Any], items: list, timeout: float,
                     max_workers: int = 2) -> Outcome:
    """Wait at most ``timeout`` s in all; cancel what has not started; don't wait for the rest."""
    deadline = time.monotonic() + timeout
    with Batch(max_workers, wait=False) as batch:
        futures = batch.submit_all(func, items)
        pending = set(futures)
        while pending:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            _, pending = concurrent.futures.wait(pending, timeout=left,
                                                 return_when=FIRST_COMPLETED)
        cancelled = [item for item, future in zip(items, futures)
                     if future in pending and future.cancel()]
    done = [(item, future.result()) for item, future in zip(items, futures)
            if future not in pending]
    return Outcome(done, cancelled)
