"""Wrong: the results queue is created once at module level and shared by every call of run_in_threads.
Expect: each call returns the results of its own args in order (here two calls at once take each other's results off the shared queue: wrong values or KeyError).
"""

from __future__ import annotations

import queue
import threading
import time
from typing import Any, Callable

_RESULTS: queue.Queue = queue.Queue()   # (index, ok, value) from every thread


def run_in_threads(func: Callable[..., Any], args_list: list[tuple]) -> list:
    """Run ``func(*args)`` for each args in its own thread; results in order."""
    results = _RESULTS

    def call(index: int, args: tuple) -> None:
        try:
            results.put((index, True, func(*args)))
        except BaseException as exc:  # pylint: disable=broad-exception-caught
            results.put((index, False, exc))

    threads = [threading.Thread(target=call, args=(i, args))
               for i, args in enumerate(args_list)]
    for thread in threads:          # start them all first...
        thread.start()
    for thread in threads:          # ...then wait for them all
        thread.join()

    outcomes = {}
    while not results.empty():
        index, ok, value = results.get()
        outcomes[index] = (ok, value)
    for index in range(len(args_list)):
        ok, value = outcomes[index]
        if not ok:
            raise value
    return [outcomes[index][1] for index in range(len(args_list))]


def join_all(threads: list[threading.Thread],
             timeout: float | None = None) -> list[threading.Thread]:
    """Join all threads within one shared deadline; return those still alive."""
    deadline = None if timeout is None else time.monotonic() + timeout
    for thread in threads:
        if deadline is None:
            thread.join()
        else:
            thread.join(max(0.0, deadline - time.monotonic()))
    return [thread for thread in threads if thread.is_alive()]
