"""Alternative: Thread subclass, a queue.Queue for threads, select() for I/O, runner timed first.

Arguments are validated; run_threads' threads put (index, ok, value) on a
queue.Queue; run_processes uses the default context's Process and Queue,
gives a process that has ended one second to have its result read (what
it sent before exiting is already in the pipe) and, when leaving because
of an error of its own, terminates what is still running.
"""

from __future__ import annotations

import multiprocessing
import queue
import select
import threading
import time
from typing import Any, Callable


def cpu_work(n: int) -> int:
    """Return ``sum(i * i % 7 for i in range(n))`` with a while loop."""
    if n < 0:
        raise ValueError("n must not be negative")
    total, i = 0, 0
    while i < n:
        total += (i * i) % 7
        i += 1
    return total


def io_work(delay: float) -> float:
    """Wait ``delay`` seconds in select(), as a program waiting for a socket would."""
    select.select([], [], [], delay)
    return delay


class _Worker(threading.Thread):
    """Runs one call, puts (index, ok, value) on the shared queue."""

    def __init__(self, func, index, args, results: queue.Queue) -> None:
        super().__init__(name=f"call-{index}")
        self._func, self._index, self._call_args, self._results = func, index, args, results

    def run(self) -> None:
        try:
            self._results.put((self._index, True, self._func(*self._call_args)))
        except BaseException as exc:  # pylint: disable=broad-exception-caught
            self._results.put((self._index, False, exc))


def run_threads(func: Callable[..., Any], args_list: list[tuple]) -> list:
    """Start a _Worker per call, join them all, then sort out the queue."""
    if not callable(func):
        raise TypeError("func must be callable")
    results: queue.Queue = queue.Queue()
    workers = [_Worker(func, index, tuple(args), results) for index, args in enumerate(args_list)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    outcomes = {}
    while not results.empty():
        index, ok, value = results.get_nowait()
        outcomes[index] = (ok, value)
    failed = sorted(index for index, (ok, _) in outcomes.items() if not ok)
    if failed:
        raise outcomes[failed[0]][1]
    return [outcomes[index][1] for index in range(len(workers))]


def _child(func, index, args, results) -> None:
    try:
        results.put((index, True, func(*args)))
    except BaseException as exc:  # pylint: disable=broad-exception-caught
        results.put((index, False, exc))


def _collect(processes, results) -> dict:
    """Read every outcome; a process that ended gets one second for its to arrive."""
    outcomes: dict[int, tuple[bool, Any]] = {}
    ended_at: dict[int, float] = {}
    while len(outcomes) < len(processes):
        try:
            index, ok, value = results.get(timeout=0.02)
            outcomes[index] = (ok, value)
        except queue.Empty:
            now = time.monotonic()
            for index, process in enumerate(processes):
                if index in outcomes or process.exitcode is None:
                    continue
                first_seen = ended_at.setdefault(index, now)
                if now - first_seen > 1.0:
                    outcomes[index] = (False, RuntimeError(
                        f"process {process.pid} (call {index}) died: exit code "
                        f"{process.exitcode}, no result"))
    return outcomes


def run_processes(func: Callable[..., Any], args_list: list[tuple]) -> list:
    """A Process per call; collect, join, then raise or return in order."""
    if not callable(func):
        raise TypeError("func must be callable")
    context = multiprocessing.get_context()
    results = context.Queue()
    processes = [context.Process(target=_child, args=(func, index, tuple(args), results))
                 for index, args in enumerate(args_list)]
    for process in processes:
        process.start()
    try:
        outcomes = _collect(processes, results)
    except BaseException:
        for process in processes:
            process.terminate()
        raise
    finally:
        for process in processes:
            process.join()
    for index in range(len(processes)):
        ok, value = outcomes[index]
        if not ok:
            raise value
    return [outcomes[index][1] for index in range(len(processes))]


def speedup(runner: Callable[[Callable[..., Any], list[tuple]], list],
            func: Callable[..., Any], args_list: list[tuple]) -> float:
    """Time the runner first, then the serial calls, both with time.monotonic()."""
    if len(args_list) == 0:
        raise ValueError("speedup of no calls")
    start = time.monotonic()
    runner(func, args_list)
    parallel = time.monotonic() - start
    start = time.monotonic()
    for args in args_list:
        func(*args)
    return (time.monotonic() - start) / parallel
