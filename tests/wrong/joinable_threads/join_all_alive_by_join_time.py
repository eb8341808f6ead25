"""Wrong: join_all decides a thread is alive when its own join used up all the time left (the join timed out), instead of asking is_alive() at the end.
Expect: join_all returns exactly the threads still alive when it gives up (here once the deadline has passed every later thread counts as alive, even one that ended long ago).
"""

from __future__ import annotations

import queue
import threading
import time
from typing import Any, Callable


def run_in_threads(func: Callable[..., Any], args_list: list[tuple]) -> list:
    """Run ``func(*args)`` for each args in its own thread; results in order."""
    results: queue.Queue = queue.Queue()

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
    alive = []
    for thread in threads:
        if deadline is None:
            thread.join()
            continue
        left = max(0.0, deadline - time.monotonic())
        began = time.monotonic()
        thread.join(left)
        if time.monotonic() - began >= left:    # the join timed out
            alive.append(thread)
    return alive
