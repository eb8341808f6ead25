"""Alternative: a concurrent.futures.ThreadPoolExecutor with one worker per call, held at a threading.Barrier so each call gets its own thread, outcomes as dataclass objects on a queue.Queue, and join_all driven by a generator of bounded join slices.

Every submitted call first waits at a Barrier of len(args_list) parties:
no call can finish (and free its worker for reuse) before all are
submitted, so the executor starts one thread per call and all run at the
same time. Leaving the ``with`` block calls shutdown(wait=True), which
joins every worker. The Outcome dataclass marks whether the call raised,
so a returned exception object stays a value. The futures' own results are
never used: everything comes back through the queue.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import queue
import threading
import time
from typing import Any, Callable, Iterator


@dataclasses.dataclass(frozen=True)
class _Outcome:
    index: int
    raised: bool
    value: Any


def run_in_threads(func: Callable[..., Any], args_list: list[tuple]) -> list:
    """Run ``func(*args)`` for each args in its own thread; results in order."""
    calls = [tuple(args) for args in args_list]
    if not calls:
        return []
    box: queue.Queue = queue.Queue()
    start_line = threading.Barrier(len(calls))

    def call(index: int, args: tuple) -> None:
        try:
            start_line.wait()
            value = func(*args)
        except BaseException as exc:  # pylint: disable=broad-exception-caught
            box.put(_Outcome(index, True, exc))
        else:
            box.put(_Outcome(index, False, value))

    with concurrent.futures.ThreadPoolExecutor(max_workers=len(calls),
                                               thread_name_prefix="run_in_threads") as pool:
        try:
            for index, args in enumerate(calls):
                pool.submit(call, index, args)
        except BaseException:
            start_line.abort()          # release the calls already waiting
            raise
    # shutdown(wait=True) has joined every worker thread here.

    slots: list[_Outcome | None] = [None] * len(calls)
    while not box.empty():
        outcome = box.get()
        slots[outcome.index] = outcome
    for outcome in slots:
        if outcome is not None and outcome.raised:
            raise outcome.value
    return [outcome.value for outcome in slots if outcome is not None]


def _slices(deadline: float | None, longest: float = 0.1) -> Iterator[float | None]:
    """Join timeouts until the deadline: bounded slices, or None when there is none."""
    while True:
        if deadline is None:
            yield None
            continue
        left = deadline - time.monotonic()
        if left <= 0:
            return
        yield min(longest, left)


def join_all(threads: list[threading.Thread],
             timeout: float | None = None) -> list[threading.Thread]:
    """Join all threads within one shared deadline; return those still alive."""
    deadline = None if timeout is None else time.monotonic() + timeout
    for thread in threads:
        for piece in _slices(deadline):
            if not thread.is_alive():
                break
            thread.join(piece)
    return [thread for thread in threads if thread.is_alive()]
