"""Wrong: the threads append their exceptions to a shared list as they fail, and after joining it raises errors[0], the one that failed first in time.
Expect: the exception raised is that of the earliest failed position in args_list, not the first in time (here a later args that fails sooner wins).
"""

from __future__ import annotations

import queue
import threading
import time
from typing import Any, Callable


def run_in_threads(func: Callable[..., Any], args_list: list[tuple]) -> list:
    """Run ``func(*args)`` for each args in its own thread; results in order."""
    results: queue.Queue = queue.Queue()

    errors: list = []

    def call(index: int, args: tuple) -> None:
        try:
            results.put((index, True, func(*args)))
        except BaseException as exc:  # pylint: disable=broad-exception-caught
            errors.append(exc)
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
    if errors:
        raise errors[0]
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
