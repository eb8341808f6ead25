"""Inside the test process: end a test at once when none of its threads can ever run again.

A deadlocked solution (a get() on an empty queue, a join() on a thread that
waits for an Event nobody will set) used to cost its test the whole per-test
time limit, and the tests after it the topic's. A thread parked in
``Condition.wait()`` or ``Thread.join()`` *without a timeout* wakes only when
another thread of the same process acts: so when every thread of the process
is parked like that, and stays so, nothing can ever wake any of them. The
watcher samples the threads' frames; when every one has been parked, in the
very same place, for ``SETTLE`` seconds during a test's call, it interrupts
the test's thread with a failure that says who waits where.

Conservative by construction: a thread that sleeps, waits with a timeout,
reads a pipe or a socket (a pool's result thread), spins, or runs C code is
not parked, and then nothing is decided: the test's own bounded waits and
pytest-timeout apply as before. (A bare ``Lock.acquire()`` is not recognised
either; only the threading module's waits, whose arguments can be read.)
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType
from typing import Callable

SETTLE = 1.5        # seconds every thread must stay parked, unchanged
EVERY = 0.25        # seconds between looks
SIGNAL = signal.SIGUSR1

_THREADING = threading.__file__


def _parked(frame: FrameType) -> bool:
    """Whether the innermost frame is a threading wait that only another thread can end."""
    code = frame.f_code
    if code.co_filename != _THREADING:
        return False
    local = frame.f_locals
    if code.co_name == "wait":                       # Condition.wait: Event, Queue, Semaphore
        return local.get("timeout", 0) is None and "waiter" in local
    if code.co_name == "_wait_for_tstate_lock":      # Thread.join() up to 3.12
        return local.get("block", False) is True and local.get("timeout") == -1
    if code.co_name == "join":                       # Thread.join() from 3.13 (C inside)
        return "timeout" in local and local["timeout"] is None and sys.version_info >= (3, 13)
    return False


def _where(frame: FrameType, is_student: Callable[[str], bool]) -> str:
    """The threading call a parked thread is in, and the line of the tested code that made it."""
    call = f"{frame.f_code.co_qualname}()"
    current: FrameType | None = frame
    while current is not None:
        code = current.f_code
        if is_student(code.co_filename):
            return (f"{call} called at {Path(code.co_filename).name} line "
                    f"{current.f_lineno}, in {code.co_name}()")
        if code.co_filename == _THREADING or Path(code.co_filename).name == "queue.py":
            call = f"{code.co_qualname}()"      # the outermost of them: Event.wait, Queue.get
        current = current.f_back
    return call


class Watcher:
    """Watches the threads while a test's call runs; fails the test when all are parked."""

    def __init__(self, is_student: Callable[[str], bool]) -> None:
        self._is_student = is_student
        self._lock = threading.Lock()
        self._test: str | None = None
        self._message = ""
        self._thread = threading.Thread(target=self._watch, name="kit-stuck-watcher",
                                        daemon=True)
        self._started = False

    def start_test(self, nodeid: str) -> None:
        """Called in the main thread as a test's call begins."""
        if not self._started:
            if threading.current_thread() is not threading.main_thread():
                return
            try:
                # Installed once and left: a signal that arrives just after its test
                # ended must find this handler (which then does nothing), never the
                # default one, which would end the process.
                signal.signal(SIGNAL, self._interrupt)
            except (ValueError, OSError):
                return
            self._started = True
            self._thread.start()
        with self._lock:
            self._test, self._message = nodeid, ""

    def end_test(self) -> None:
        """Called in the main thread as the call ends: stop watching it."""
        with self._lock:
            self._test, self._message = None, ""

    def _interrupt(self, _signum, _frame) -> None:
        """In the main thread: fail the running test with what the watcher saw."""
        with self._lock:
            message, self._message = self._message, ""
            current = self._test
        if message and current is not None:
            import pytest  # pylint: disable=import-outside-toplevel
            pytest.fail(message, pytrace=False)

    def _watch(self) -> None:
        seen: tuple | None = None
        since = 0.0
        fired: str | None = None
        me = threading.get_ident()
        main = threading.main_thread().ident
        while True:
            time.sleep(EVERY)
            with self._lock:
                test = self._test
            if test is None or test == fired:
                seen = None
                continue
            # The one way to see other threads' frames; the stdlib documents it.
            current = sys._current_frames()  # pylint: disable=protected-access
            frames = {ident: frame for ident, frame in current.items() if ident != me}
            del current
            if main not in frames or not all(_parked(f) for f in frames.values()):
                seen = None
                continue
            state = tuple(sorted((ident, id(f), f.f_lasti) for ident, f in frames.items()))
            now = time.monotonic()
            if state != seen:
                seen, since = state, now
                continue
            if now - since < SETTLE:
                continue
            names = {t.ident: t.name for t in threading.enumerate()}
            places = [f"the test's thread in {_where(frames[main], self._is_student)}"]
            places += [f"{names.get(ident, 'a thread')} in {_where(f, self._is_student)}"
                       for ident, f in frames.items() if ident != main]
            del frames
            with self._lock:
                if self._test != test:
                    continue
                self._message = (
                    f"every thread waits and none can wake another (a deadlock): "
                    f"{'; '.join(places[:4])}"
                    f"{f'; and {len(places) - 4} more' if len(places) > 4 else ''}. "
                    "Who should set that Event, put on that queue or end that thread?")
            fired = test
            signal.pthread_kill(main, SIGNAL)
