"""Topic 7 - gil_experiment: the GIL, threads and processes on CPU- and I/O-bound work.

Lecture: "Task Execution", "The Global Interpreter Lock", "Processes",
"Multiprocessing" and "The Future: PEP 703".

An experiment in four parts: two kinds of work, two ways to run many calls
of it at once, and a stopwatch.

* ``cpu_work(n)`` is CPU-bound: a pure-Python loop that returns
  ``sum(i * i % 7 for i in range(n))`` (``cpu_work(0) == 0``,
  ``cpu_work(10) == 19``). It computes the sum every time it is called: no
  sleeping, no I/O, no cache (the tests time it and count its CPU time).
* ``io_work(delay)`` is I/O-bound: it waits ``delay`` seconds the way I/O
  waits, without using the CPU and with the GIL released
  (``time.sleep(delay)`` does both; a busy loop watching the clock does
  neither), then returns ``delay``.
* ``run_threads(func, args_list)`` calls ``func(*args)`` for every
  ``args`` in ``args_list``, each call in its own thread of this process,
  all of them running at the same time (start every thread before joining
  any); joins every thread; returns the results in the order of
  ``args_list``. If calls raised (any exception, a ``BaseException`` too),
  every thread is still joined first, then the exception of the earliest
  such ``args`` (by position, not by time) is raised. An empty list
  returns ``[]``.
* ``run_processes(func, args_list)`` does the same with one
  ``multiprocessing.Process`` per ``args``, made with the current default
  start method (the tests run it under ``fork``, ``forkserver`` and
  ``spawn``; ``func`` is a module-level function, importable by the child).
  Results come back through one ``multiprocessing.Queue`` as
  ``(index, outcome)`` pairs, in whatever order the calls finish; put them
  back in ``args_list`` order. Read the queue BEFORE joining: a child that
  put a big result (say 1 MB) on the queue cannot exit until the parent
  has read it, so joining it first waits forever. Every process is joined:
  none is alive when the function returns or raises. If calls raised, the
  exception of the earliest such ``args`` is raised in the parent (after
  every process ended). A process that ended without sending its outcome
  (it crashed, or called ``os._exit``) must not make the parent wait
  forever: notice it (``exitcode`` is not None yet nothing came) and count
  it as that call failing with ``RuntimeError``. An empty list returns
  ``[]``.
* ``speedup(runner, func, args_list)`` times ``func(*args)`` for every
  ``args`` in turn (the serial time), and ``runner(func, args_list)`` once
  (``run_threads`` or ``run_processes``, or any function of that shape),
  and returns serial time / runner time: above 1 means the runner was
  faster. Both times come from a monotonic clock (``time.perf_counter()``
  or ``time.monotonic()``), never ``time.time()``, which jumps when the
  system clock is set. Either part may come first. An empty ``args_list``
  raises ``ValueError`` (there is nothing to time).

What the experiment shows (the last tests): threads speed up I/O-bound
work, because a thread waiting for I/O releases the GIL; on a GIL build only
processes speed up CPU-bound work, one GIL per process; on a free-threaded
build (PEP 703, ``sys._is_gil_enabled()`` is False) threads do too.

Importing this module must be silent and start nothing: no output, no
thread, no process. Validating arguments, a ``ThreadPoolExecutor`` with a
thread per call, Thread or Process subclasses, and other ways to notice a
dead process are all fine: the tests check behaviour, not how it is
written.

The tests check: ``cpu_work``'s result and that it burns CPU; that
``io_work`` waits its delay without burning CPU; that ``run_threads`` runs
every call at once in its own thread (I/O waits overlap), joins them all,
keeps the order and raises the earliest failure after joining; that
``run_processes`` runs every call at once, each in a process of its own,
under every start method, returns big results without deadlock, keeps the
order, raises the earliest failure, notices a process that died, and leaves
no process alive; that ``speedup`` divides serial time by runner time on a
monotonic clock; that, when two cores are free, two CPU-bound calls on
``run_processes`` compute at the same instant, which two threads of a GIL
build never do (a test marked ``alone``: the grader runs it with nothing
else beside it, and it judges only when the test's own two processes
could compute at once); that importing the module starts nothing.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
from typing import Any, Callable


def cpu_work(n: int) -> int:
    """Return ``sum(i * i % 7 for i in range(n))``, computed in pure Python."""
    raise NotImplementedError


def io_work(delay: float) -> float:
    """Wait ``delay`` seconds without using the CPU (the GIL released); return ``delay``."""
    raise NotImplementedError


def run_threads(func: Callable[..., Any], args_list: list[tuple]) -> list:
    """``[func(*args) for args in args_list]``, each call in its own thread, all at once.

    Joins every thread; then raises the earliest failing args' exception, if any.
    """
    raise NotImplementedError


def _run_in_child(func: Callable[..., Any], index: int, args: tuple,
                  results: multiprocessing.Queue) -> None:
    """The target of run_processes' children: ``results.put((index, outcome))``.

    Module-level, so that every start method can hand it to a child. Yours
    to shape as you like (or to replace): the outcome says whether the call
    returned (and what) or raised (and what).
    """
    raise NotImplementedError


def run_processes(func: Callable[..., Any], args_list: list[tuple]) -> list:
    """``[func(*args) for args in args_list]``, each call in its own process, all at once.

    Reads every result from one queue before joining; joins every process;
    raises the earliest failing args' exception, or RuntimeError for a
    process that ended without sending its result.
    """
    raise NotImplementedError


def speedup(runner: Callable[[Callable[..., Any], list[tuple]], list],
            func: Callable[..., Any], args_list: list[tuple]) -> float:
    """Serial time of the calls divided by the time of ``runner(func, args_list)``.

    Both measured with a monotonic clock; ValueError for an empty ``args_list``.
    """
    raise NotImplementedError


if __name__ == "__main__":
    SIZE = 3_000_000
    print("cpu_work:", speedup(run_threads, cpu_work, [(SIZE,)] * 2), "on threads,",
          speedup(run_processes, cpu_work, [(SIZE,)] * 2), "on processes")
    print("io_work:", speedup(run_threads, io_work, [(0.2,)] * 5), "on threads")
