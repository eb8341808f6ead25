"""Task functions the pool tests send to worker processes.

They live in a module of their own, importable by name, so they pickle under
every start method (``spawn`` and ``forkserver`` re-import them in the child).
Processes coordinate through files: that works whatever the start method.
"""

from __future__ import annotations

import multiprocessing.util
import os
import time
from pathlib import Path


def wait_for_file(path: str, value, limit: float = 10.0):
    """Block until ``path`` exists (at most ``limit`` s), then return ``value``."""
    deadline = time.monotonic() + limit
    while not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.01)
    return value


def rendezvous(folder: str, n: int, index: int, limit: float = 2.0):
    """Sign in, wait until ``n`` calls signed in (at most ``limit`` s).

    Returns (how many had signed in, this process's pid).
    """
    Path(folder, f"{index}-{os.getpid()}").touch()
    deadline = time.monotonic() + limit
    seen = len(os.listdir(folder))
    while seen < n and time.monotonic() < deadline:
        time.sleep(0.01)
        seen = len(os.listdir(folder))
    return seen, os.getpid()


def fail_with(message: str):
    """Raise ValueError(message) in the worker."""
    raise ValueError(message)


def fail_or_wait(message: str | None, path: str, limit: float = 10.0):
    """Raise ValueError(message) when there is one; else wait for ``path`` like wait_for_file.

    With one of each in a pool, the worker that waits is inside its task, not
    sending a result, when the pool is terminated: CPython's Pool.terminate()
    can hang for good when it kills a worker in the middle of sending one.
    """
    if message is not None:
        raise ValueError(message)
    return wait_for_file(path, None, limit)


def times_ten(x):
    """A task other than the topic's own ``add``."""
    return x * 10


_LINGERING = []


def linger_at_exit(x, seconds: float = 0.1):
    """Return ``x * 10``; the worker process then takes ``seconds`` to exit.

    A pool that is closed but not joined returns while such workers are
    still alive, so the test sees them instead of racing their exit.
    """
    if not _LINGERING:
        _LINGERING.append(multiprocessing.util.Finalize(
            None, time.sleep, args=(seconds,), exitpriority=100))
    return x * 10


def sleep_then(delay: float, value):
    """Sleep ``delay`` seconds in the worker, then return ``value``."""
    time.sleep(delay)
    return value


# Set in the test process before a pool starts: a worker forked from it sees
# the mark, a worker started by spawn or forkserver (a fresh interpreter) does not.
PARENT_MARK: list[int] = []


def sees_parent_mark(_=None) -> bool:
    """True in a worker forked from the marked test process."""
    return bool(PARENT_MARK)
