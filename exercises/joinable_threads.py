"""Topic 2 - joinable_threads: joining threads, results through a queue.

Lecture: "Joining a Thread" (threads don't return a value: use a queue).

Build two functions:

* ``run_in_threads(func, args_list)`` calls ``func(*args)`` for every
  ``args``, each call in its own thread, all running at the same time. The
  return values travel back through a ``queue.Queue``. Every thread is joined;
  the results come back in the order of ``args_list`` (not the order the
  threads finished). If calls raised, all threads are still joined first, then
  the exception of the earliest such ``args`` is raised.
* ``join_all(threads, timeout)`` joins the threads within ONE shared deadline
  of ``timeout`` seconds for the whole list (``None`` waits for all) and
  returns the threads still alive, in their original order.

The tests check: that all calls run at the same time; the order of results;
that every thread has ended before the function returns or raises; which
exception is raised; that ``join_all`` shares one deadline and returns exactly
the threads still alive.
"""

from __future__ import annotations

import queue
import threading
import time
from typing import Any, Callable


def run_in_threads(func: Callable[..., Any], args_list: list[tuple]) -> list:
    """Run ``func(*args)`` for each args in its own thread; results in order."""
    raise NotImplementedError


def join_all(threads: list[threading.Thread],
             timeout: float | None = None) -> list[threading.Thread]:
    """Join all threads within one shared deadline; return those still alive."""
    raise NotImplementedError
