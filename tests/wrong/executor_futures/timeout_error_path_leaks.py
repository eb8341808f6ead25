"""Wrong: run_with_timeout reads the results (which re-raises a call's exception) before it cancels the pending futures and shuts the executor down, and not in a finally: on that error path nothing is cancelled.
Expect: run_with_timeout: when a finished call raised, the pending calls are still cancelled (here they run after it raised).
"""

from __future__ import annotations

import concurrent.futures
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any, Callable


def thread_map(func: Callable[[Any], Any], items: list, max_workers: int = 4) -> list:
    """``[func(item) for item in items]``, run by a ThreadPoolExecutor of ``max_workers``.

    Results in ``items`` order; the earliest exception propagates; the
    executor is shut down on every way out.
    """
    with ThreadPoolExecutor(max_workers=max_workers) as executor:
        return list(executor.map(func, items))


def process_map(func: Callable[[Any], Any], items: list, max_workers: int = 2) -> list:
    """``thread_map`` with a ProcessPoolExecutor: each call runs in a worker process.

    ``func`` is importable: pass it on as it is. No worker process outlives the call.
    """
    with ProcessPoolExecutor(max_workers=max_workers) as executor:
        return list(executor.map(func, items))


def in_completion_order(func: Callable[[Any], Any], items: list, max_workers: int = 4,
                        out: Callable[[tuple], Any] | None = None) -> list[tuple]:
    """``(item, result)`` pairs in the order the calls finished (``as_completed``).

    Each pair goes to ``out`` (when given) as soon as its call finished, in
    the calling thread.
    """
    pairs = []
    with ThreadPoolExecutor(max_workers=max_workers) as executor:
        item_of = {executor.submit(func, item): item for item in items}
        for future in concurrent.futures.as_completed(item_of):
            pair = (item_of[future], future.result())
            pairs.append(pair)
            if out is not None:
                out(pair)
    return pairs


def run_with_timeout(func: Callable[[Any], Any], items: list, timeout: float,
                     max_workers: int = 2) -> tuple[list[tuple], list]:
    """Run every call; wait at most ``timeout`` s in all; cancel what has not started.

    Returns ``(done, cancelled)``: the ``(item, result)`` pairs finished by the
    deadline and the items whose calls were cancelled, both in ``items``
    order. Calls still running at the deadline are in neither list and are
    not waited for.
    """
    executor = ThreadPoolExecutor(max_workers=max_workers)
    futures = [executor.submit(func, item) for item in items]
    finished, _ = concurrent.futures.wait(futures, timeout=timeout)
    done = [(item, future.result()) for item, future in zip(items, futures)
            if future in finished]
    cancelled = [item for item, future in zip(items, futures)
                 if future not in finished and future.cancel()]
    executor.shutdown(wait=False, cancel_futures=True)
    return done, cancelled
