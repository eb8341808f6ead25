"""The static concurrency checks' findings on a topic's source, beside stage two.

``grader.pylint_concurrency`` parses the source with astroid, which never runs
it, but a hostile file could still make parsing slow or greedy. So the
checks run in one worker process with a memory limit, each file under a
deadline: a file that exceeds it costs only its own findings, and the worker
is replaced. The worker stays warm, so astroid's start-up and its parse of
the standard library's threading, multiprocessing and asyncio modules are
paid once per grader process instead of once per topic run (about 0.8 s of
CPU each time).
"""

from __future__ import annotations

import concurrent.futures
import functools
import importlib.util
import multiprocessing
import os
import resource
import signal
import threading
from concurrent.futures.process import BrokenProcessPool

DEADLINE = 20.0               # seconds one file may take
MEMORY = 2 << 30              # address space of the worker
MOST = 20                     # findings kept per file
NICE = 10                     # the worker's priority below the grader's

_LOCK = threading.Lock()
_WORKER: list[concurrent.futures.ProcessPoolExecutor] = []


@functools.lru_cache(maxsize=1)
def available() -> bool:
    """Whether the checks can run here (pylint and astroid installed)."""
    return importlib.util.find_spec("astroid") is not None and \
        importlib.util.find_spec("pylint") is not None


def findings(source: bytes, name: str) -> list[str]:
    """Learner-facing findings on ``source``, e.g. "line 14: Thread(target=...) ..."."""
    if not available():
        return []
    try:
        text = source.decode("utf-8")
    except UnicodeDecodeError:
        return []
    for _ in range(2):                 # a worker that died meanwhile is replaced once
        worker = _worker()
        try:
            return worker.submit(_check, text, name).result(timeout=DEADLINE)
        except concurrent.futures.TimeoutError:
            _discard(worker)           # the same file would only hang the next worker too
            return []
        except (BrokenProcessPool, OSError, RuntimeError):
            _discard(worker)
    return []


def _worker() -> concurrent.futures.ProcessPoolExecutor:
    with _LOCK:
        if not _WORKER:
            # spawn, not fork: the grader has threads running when this starts.
            _WORKER.append(concurrent.futures.ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                initializer=_confine))
        return _WORKER[0]


def _discard(worker: concurrent.futures.ProcessPoolExecutor) -> None:
    """Kill a worker stuck on (or broken by) a file; the next call starts a fresh one."""
    with _LOCK:
        if _WORKER and _WORKER[0] is worker:
            _WORKER.clear()
    # A broken pool has already dropped its table of processes (None).
    for process in list((getattr(worker, "_processes", None) or {}).values()):
        process.kill()
    worker.shutdown(wait=False, cancel_futures=True)


def _confine() -> None:
    """In the worker: a memory ceiling, so a greedy parse fails instead of swapping.

    Ctrl-C in a terminal reaches the whole process group: the grader decides
    what it ends (make watch stops quietly), not the worker with a traceback.
    The worker yields the CPU to the topic runs (nice 10): their start-up is
    what a grade waits for, and the findings are read only when a run ends.
    """
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        os.nice(NICE)
    except OSError:
        pass


def _check(text: str, name: str) -> list[str]:
    """In the worker: run the checks on one file."""
    from grader import pylint_concurrency  # pylint: disable=import-outside-toplevel
    found = pylint_concurrency.check_source(text, name)
    return [pylint_concurrency.format_finding(f) for f in found][:MOST]
