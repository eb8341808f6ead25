"""Wrong: speedup times both parts with time.time(), the wall clock, which stops, jumps or goes back when the system clock is set.
Expect: speedup: measured on a monotonic clock (here a stopped wall clock makes it divide by zero).
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
from typing import Any, Callable


def cpu_work(n: int) -> int:
    """Return ``sum(i * i % 7 for i in range(n))``, computed in pure Python."""
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def io_work(delay: float) -> float:
    """Wait ``delay`` seconds without using the CPU (the GIL released); return ``delay``."""
    time.sleep(delay)
    return delay


def run_threads(func: Callable[..., Any], args_list: list[tuple]) -> list:
    """``[func(*args) for args in args_list]``, each call in its own thread, all at once.

    Joins every thread; then raises the earliest failing args' exception, if any.
    """
    outcomes: list[tuple[bool, Any]] = [(False, None)] * len(args_list)

    def call(index: int, args: tuple) -> None:
        try:
            outcomes[index] = (True, func(*args))
        except BaseException as exc:  # pylint: disable=broad-exception-caught
            outcomes[index] = (False, exc)

    threads = [threading.Thread(target=call, args=(index, args))
               for index, args in enumerate(args_list)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for ok, value in outcomes:
        if not ok:
            raise value
    return [value for _, value in outcomes]


def _run_in_child(func: Callable[..., Any], index: int, args: tuple,
                  results: multiprocessing.Queue) -> None:
    """The target of run_processes' children: ``results.put((index, outcome))``.

    Module-level, so that every start method can hand it to a child. Yours
    to shape as you like (or to replace): the outcome says whether the call
    returned (and what) or raised (and what).
    """
    try:
        outcome = (True, func(*args))
    except BaseException as exc:  # pylint: disable=broad-exception-caught
        outcome = (False, exc)
    results.put((index, outcome))


def run_processes(func: Callable[..., Any], args_list: list[tuple]) -> list:
    """``[func(*args) for args in args_list]``, each call in its own process, all at once.

    Reads every result from one queue before joining; joins every process;
    raises the earliest failing args' exception, or RuntimeError for a
    process that ended without sending its result.
    """
    results: multiprocessing.Queue = multiprocessing.Queue()
    processes = [multiprocessing.Process(target=_run_in_child, args=(func, index, args, results))
                 for index, args in enumerate(args_list)]
    outcomes: dict[int, tuple[bool, Any]] = {}
    try:
        for process in processes:
            process.start()
        while len(outcomes) < len(processes):
            # Processes that had ended before this read: what they sent is in the pipe.
            ended = [i for i, p in enumerate(processes) if p.exitcode is not None]
            try:
                index, outcome = results.get(timeout=0.05)
            except queue.Empty:
                for i in ended:
                    if i not in outcomes:
                        outcomes[i] = (False, RuntimeError(
                            f"the process of call {i} ended (exit code "
                            f"{processes[i].exitcode}) without sending its result"))
                continue
            outcomes[index] = outcome
    finally:
        for process in processes:
            if process.is_alive() and len(outcomes) < len(processes):
                process.terminate()      # only when we are leaving early (an error here)
            if process.pid is not None:
                process.join()
        results.close()
    for i in range(len(processes)):
        if not outcomes[i][0]:
            raise outcomes[i][1]
    return [outcomes[i][1] for i in range(len(processes))]


def speedup(runner: Callable[[Callable[..., Any], list[tuple]], list],
            func: Callable[..., Any], args_list: list[tuple]) -> float:
    """Serial time of the calls divided by the time of ``runner(func, args_list)``.

    Both measured with a monotonic clock; ValueError for an empty ``args_list``.
    """
    if not args_list:
        raise ValueError("speedup needs at least one call to time")
    started = time.time()
    for args in args_list:
        func(*args)
    serial = time.time() - started
    started = time.time()
    runner(func, args_list)
    return serial / (time.time() - started)


if __name__ == "__main__":
    SIZE = 3_000_000
    print("cpu_work:", speedup(run_threads, cpu_work, [(SIZE,)] * 2), "on threads,",
          speedup(run_processes, cpu_work, [(SIZE,)] * 2), "on processes")
    print("io_work:", speedup(run_threads, io_work, [(0.2,)] * 5), "on threads")
