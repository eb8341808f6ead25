"""Alternative: concurrent.futures.ThreadPoolExecutor(max_workers=len(args_list)) with results sent through a queue.Queue anyway.

Every submitted call first waits on an Event opened once all calls are
submitted, so no executor thread goes idle early and gets reused: each call
has its own thread and all run at the same time. shutdown(wait=True) joins
every thread; then the queue is drained into a dict and the earliest
failure, in args order, is raised.
"""

from __future__ import annotations

import concurrent.futures
import queue
import threading
import time
from typing import Any, Callable


def run_in_threads(func: Callable[..., Any], args_list: list[tuple]) -> list:
    """Run ``func(*args)`` for each args in its own thread; results in order."""
    calls = list(args_list)
    if not calls:
        return []
    box: queue.Queue = queue.Queue()
    gate = threading.Event()

    def call(index: int, args: tuple) -> None:
        gate.wait()
        try:
            value = func(*args)
        except BaseException as exc:  # pylint: disable=broad-exception-caught
            box.put((index, exc, None))
        else:
            box.put((index, None, value))

    executor = concurrent.futures.ThreadPoolExecutor(max_workers=len(calls))
    try:
        for index, args in enumerate(calls):
            executor.submit(call, index, args)
    finally:
        gate.set()
        executor.shutdown(wait=True)

    outcome: dict[int, tuple[BaseException | None, Any]] = {}
    while True:
        try:
            index, error, value = box.get_nowait()
        except queue.Empty:
            break
        outcome[index] = (error, value)
    failures = [outcome[i][0] for i in sorted(outcome) if outcome[i][0] is not None]
    if failures:
        raise failures[0]
    return [outcome[i][1] for i in range(len(calls))]


def join_all(threads: list[threading.Thread],
             timeout: float | None = None) -> list[threading.Thread]:
    """Join all threads within one shared deadline; return those still alive."""
    if timeout is None:
        for thread in threads:
            thread.join()
        return []
    started = time.monotonic()
    for thread in threads:
        spent = time.monotonic() - started
        if spent >= timeout:
            break
        thread.join(timeout - spent)
    return [thread for thread in threads if thread.is_alive()]
