"""Alternative: Thread subclasses write into a list of slots, with a queue.Queue of (index, value-or-exception) drained by blocking get().

Each thread is a Caller object holding its own index; results are read
back with exactly len(args_list) blocking get() calls after all joins, into
a list of slots. join_all loops over the still-alive threads until a
shared deadline passes, joining each for a bounded slice.
"""

from __future__ import annotations

import queue
import threading
import time
from typing import Any, Callable

_MISSING = object()


class _Caller(threading.Thread):
    def __init__(self, index: int, func: Callable[..., Any], args: tuple,
                 outbox: queue.Queue) -> None:
        super().__init__(daemon=False)
        self.index = index
        self.func = func
        self.call_args = args
        self.outbox = outbox

    def run(self) -> None:
        try:
            self.outbox.put((self.index, True, self.func(*self.call_args)))
        except BaseException as exc:  # pylint: disable=broad-exception-caught
            self.outbox.put((self.index, False, exc))


def run_in_threads(func: Callable[..., Any], args_list: list[tuple]) -> list:
    """Run ``func(*args)`` for each args in its own thread; results in order."""
    outbox: queue.Queue = queue.Queue()
    callers = [_Caller(i, func, args, outbox) for i, args in enumerate(args_list)]
    for caller in callers:
        caller.start()
    for caller in reversed(callers):
        caller.join()

    slots: list[Any] = [_MISSING] * len(callers)
    errors: list[BaseException | None] = [None] * len(callers)
    for _ in callers:
        index, ok, payload = outbox.get()
        if ok:
            slots[index] = payload
        else:
            errors[index] = payload
    for error in errors:
        if error is not None:
            raise error
    return slots


def join_all(threads: list[threading.Thread],
             timeout: float | None = None) -> list[threading.Thread]:
    """Join all threads within one shared deadline; return those still alive."""
    end = None if timeout is None else time.monotonic() + max(timeout, 0.0)
    pending = list(threads)
    while pending:
        if end is None:
            pending[0].join()
        else:
            left = end - time.monotonic()
            if left <= 0:
                break
            pending[0].join(min(left, 0.05))
        pending = [thread for thread in pending if thread.is_alive()]
    alive = {id(thread) for thread in pending}
    return [thread for thread in threads if id(thread) in alive and thread.is_alive()]
