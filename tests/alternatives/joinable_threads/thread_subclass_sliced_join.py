"""Alternative: each call runs in a threading.Thread subclass whose run() puts a tagged outcome on a per-call queue.Queue, with argument validation, and join_all joins in slices of at most 50 ms until every thread has ended or the shared deadline passes.

The queue carries (index, raised, value) triples: an exception object that
func *returned* travels as a plain value and comes back as one, while one
that func *raised* (any BaseException) is re-raised for the earliest index
after every thread was joined. The queue and the threads are made afresh on
each call, so two calls at once never mix. func must be callable and every
args a tuple or list, else TypeError before any thread starts.
"""

from __future__ import annotations

import queue
import threading
import time
from typing import Any, Callable

_SLICE = 0.05


class _Call(threading.Thread):
    """One call of ``func(*args)``; its outcome goes to ``outbox``."""

    def __init__(self, index: int, func: Callable[..., Any], args: tuple,
                 outbox: queue.Queue) -> None:
        super().__init__(name=f"call-{index}")
        self.index = index
        self.func = func
        self.call_args = args
        self.outbox = outbox

    def run(self) -> None:
        try:
            value = self.func(*self.call_args)
        except BaseException as exc:  # pylint: disable=broad-exception-caught
            self.outbox.put((self.index, True, exc))
        else:
            self.outbox.put((self.index, False, value))


def run_in_threads(func: Callable[..., Any], args_list: list[tuple]) -> list:
    """Run ``func(*args)`` for each args in its own thread; results in order."""
    if not callable(func):
        raise TypeError(f"func must be callable, not {type(func).__name__}")
    calls = list(args_list)
    for args in calls:
        if not isinstance(args, (tuple, list)):
            raise TypeError(f"every args must be a tuple, got {args!r}")
    outbox: queue.Queue = queue.Queue()
    threads = [_Call(i, func, tuple(args), outbox) for i, args in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    outcomes: dict[int, tuple[bool, Any]] = {}
    for _ in threads:
        index, raised, value = outbox.get_nowait()
        outcomes[index] = (raised, value)
    for index in range(len(calls)):
        raised, value = outcomes[index]
        if raised:
            raise value
    return [outcomes[index][1] for index in range(len(calls))]


def join_all(threads: list[threading.Thread],
             timeout: float | None = None) -> list[threading.Thread]:
    """Join all threads within one shared deadline; return those still alive."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        alive = [thread for thread in threads if thread.is_alive()]
        if not alive:
            break
        if deadline is None:
            piece = _SLICE
        else:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            piece = min(_SLICE, left)
        alive[0].join(piece)
    return [thread for thread in threads if thread.is_alive()]
