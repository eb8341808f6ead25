"""Alternative: a ThreadPoolExecutor with a thread per call, a Process subclass, ns clock.

cpu_work is a generator expression; io_work waits on an Event nobody sets;
run_threads submits every call to an executor of len(args_list) workers
and lets the ``with`` block join them; run_processes starts one Process
subclass per call, each sending ("ok", value) or ("error", exc) with its
index, and calls a silent process dead only when it was seen ended at two
empty reads in a row; speedup uses time.monotonic_ns.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import queue
import threading
import time
from typing import Any, Callable


def cpu_work(n: int) -> int:
    """Return ``sum(i * i % 7 for i in range(n))``."""
    return sum(i * i % 7 for i in range(n))


def io_work(delay: float) -> float:
    """Wait ``delay`` seconds on an Event nobody sets (the GIL released); return delay."""
    threading.Event().wait(delay)
    return delay


def run_threads(func: Callable[..., Any], args_list: list[tuple]) -> list:
    """Each call in a worker of an executor with one worker per call."""
    if not args_list:
        return []
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(args_list)) as executor:
        futures = [executor.submit(func, *args) for args in args_list]
    for future in futures:
        error = future.exception()
        if error is not None:
            raise error
    return [future.result() for future in futures]


class _Call(multiprocessing.Process):
    """One call in a process of its own; sends (index, (tag, value)) on ``results``."""

    def __init__(self, func: Callable[..., Any], index: int, args: tuple,
                 results: multiprocessing.Queue) -> None:
        super().__init__()
        self.func, self.index, self.call_args, self.results = func, index, args, results

    def run(self) -> None:
        try:
            outcome = ("ok", self.func(*self.call_args))
        except BaseException as exc:  # pylint: disable=broad-exception-caught
            outcome = ("error", exc)
        self.results.put((self.index, outcome))


def run_processes(func: Callable[..., Any], args_list: list[tuple]) -> list:
    """Each call in a _Call process; read everything, then join everything."""
    results: multiprocessing.Queue = multiprocessing.Queue()
    calls = [_Call(func, index, args, results) for index, args in enumerate(args_list)]
    for call in calls:
        call.start()
    outcomes: dict[int, tuple[str, Any]] = {}
    suspects: set[int] = set()
    while len(outcomes) < len(calls):
        try:
            index, outcome = results.get(timeout=0.1)
        except queue.Empty:
            ended = {c.index for c in calls if c.index not in outcomes and not c.is_alive()}
            for index in ended & suspects:
                outcomes[index] = ("error", RuntimeError(
                    f"call {index}'s process exited with {calls[index].exitcode} "
                    "and sent nothing"))
            suspects = ended
            continue
        outcomes[index] = outcome
    for call in calls:
        call.join()
    for index in range(len(calls)):
        tag, value = outcomes[index]
        if tag == "error":
            raise value
    return [outcomes[index][1] for index in range(len(calls))]


def speedup(runner: Callable[[Callable[..., Any], list[tuple]], list],
            func: Callable[..., Any], args_list: list[tuple]) -> float:
    """Serial nanoseconds over the runner's nanoseconds, on the monotonic clock."""
    if not args_list:
        raise ValueError("nothing to time")
    start = time.monotonic_ns()
    for args in args_list:
        func(*args)
    middle = time.monotonic_ns()
    runner(func, args_list)
    end = time.monotonic_ns()
    return (middle - start) / (end - middle)
