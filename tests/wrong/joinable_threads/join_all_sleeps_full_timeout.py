"""Wrong: join_all sleeps the whole timeout (`time.sleep(timeout)`) and only then looks at which threads are alive.
Expect: join_all returns as soon as every thread has ended, well before the deadline when they end early (here it always takes the full timeout).
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
    if timeout is None:
        for thread in threads:
            thread.join()
    else:
        time.sleep(timeout)         # give them all the time they may have
    return [thread for thread in threads if thread.is_alive()]
