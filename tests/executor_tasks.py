"""Task functions and instruments of the executor_futures tests.

The process tasks take one argument (``process_map`` calls ``func(item)``)
and live in a module importable by name, so they pickle under every start
method; processes coordinate through files. The thread instruments are the
callables the tests hand to ``thread_map`` and the others: they record which
items were called from which thread, make calls meet or finish in an order
the test chooses, and bound every wait, so a wrong solution costs a bounded
wait instead of a hang. Shared state is guarded by locks. Importing this
module starts nothing (stdlib only: a spawned worker imports it too).
"""

from __future__ import annotations

import multiprocessing.util
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

# -- process tasks ---------------------------------------------------------------------------


def times_ten(x):
    """``x * 10`` (in a worker process)."""
    return x * 10


def meet(spec: tuple, linger: bool = True) -> tuple:
    """``spec = (folder, n, index)``: sign in, wait until ``n`` calls signed in (3 s at most).

    Returns (index, how many had signed in, this process's pid). With
    ``linger`` the worker process then lingers at exit, as after ``linger_then``.
    """
    folder, n, index = spec
    if linger:
        linger_then(0)
    os.makedirs(folder, exist_ok=True)
    Path(folder, f"{index}-{os.getpid()}").touch()
    deadline = time.monotonic() + 3.0
    seen = len(os.listdir(folder))
    while seen < n and time.monotonic() < deadline:
        time.sleep(0.005)
        seen = len(os.listdir(folder))
    return index, seen, os.getpid()


def meet_then_after(spec: tuple) -> tuple:
    """``spec = (folder, n, index, after)``: ``meet``, then finish only after item ``after``.

    Waits for the file ``done-<after>`` (3 s at most; ``after`` None: not at
    all), marks ``done-<index>`` and returns what ``meet`` returned: such
    calls finish in the order the test chose, whatever order they started in.
    """
    folder, n, index, after = spec
    met = meet((os.path.join(folder, "meet"), n, index), linger=False)
    if after is not None:
        deadline = time.monotonic() + 3.0
        while not Path(folder, f"done-{after}").exists() and time.monotonic() < deadline:
            time.sleep(0.005)
    Path(folder, f"done-{index}").touch()
    return met


_LINGERING: list = []


def linger_then(x, seconds: float = 0.15):
    """``x * 10``, or ValueError(x) when ``x`` is a str; the worker then takes ``seconds`` to exit.

    An executor shut down without waiting returns while such workers are
    still alive, so the test sees them instead of racing their exit.
    """
    if not _LINGERING:
        _LINGERING.append(multiprocessing.util.Finalize(
            None, time.sleep, args=(seconds,), exitpriority=100))
    if isinstance(x, str):
        raise ValueError(x)
    return x * 10


# -- thread instruments ----------------------------------------------------------------------


class Meeting:
    """``func(item) -> item * 10`` whose calls show how many run at the same time.

    Each call waits (``limit`` s at most, once for all calls) until ``k`` calls
    were inside at once, then until ``extra`` s after that moment, so that a
    (k+1)-th call, if the code runs more than ``k`` at once, is seen inside
    too. ``peak`` is the most calls ever inside at once.
    """

    def __init__(self, k: int, limit: float = 1.0, extra: float = 0.15) -> None:
        self._cv = threading.Condition()
        self.k, self.limit, self.extra = k, limit, extra
        self.active = 0
        self.peak = 0
        self.items: list = []
        self.threads: set[int] = set()
        self.gave_up = False
        self._met_at: float | None = None

    def __call__(self, item):
        with self._cv:
            self.items.append(item)
            self.threads.add(threading.get_ident())
            self.active += 1
            self.peak = max(self.peak, self.active)
            if self.peak >= self.k and self._met_at is None:
                self._met_at = time.monotonic()
            self._cv.notify_all()
            try:
                if not self._cv.wait_for(lambda: self._met_at is not None or self.gave_up,
                                         self.limit):
                    self.gave_up = True
                    self._cv.notify_all()
                if self._met_at is not None:
                    until = self._met_at + self.extra
                    self._cv.wait_for(lambda: self.peak > self.k,
                                      max(0.0, until - time.monotonic()))
            finally:
                self.active -= 1
        return item * 10


class Chain:
    """``func(item) -> item * 10`` whose calls finish in ``order``.

    A call waits until the item before it in ``order`` has finished (``limit``
    s at most; once one call gave up, nobody waits any more). With
    ``by_report``, "finished" means its pair reached ``report`` (the ``out``
    the test hands in), which only happens after its future is done: the
    order of the futures is then exact, and a call whose predecessor is
    reported late (or never) gives up and is listed in ``gave_up``. ``fail``
    maps items to the exception their call raises as it finishes.
    """

    def __init__(self, order: list, limit: float = 1.5, by_report: bool = False,
                 fail: dict | None = None) -> None:
        self._cv = threading.Condition()
        self.order = list(order)
        self.limit, self.by_report = limit, by_report
        self.fail = dict(fail or {})
        self.finished: list = []
        self.items: list = []
        self.reports: list = []
        self.report_threads: set[int] = set()
        self.gave_up: list = []

    def __call__(self, item):
        with self._cv:
            self.items.append(item)
            place = self.order.index(item)
            if place:
                before = self.order[place - 1]
                if not self._cv.wait_for(lambda: before in self.finished or self.gave_up,
                                         self.limit):
                    self.gave_up.append(item)
                    self._cv.notify_all()
            if not self.by_report:
                self.finished.append(item)
                self._cv.notify_all()
        if item in self.fail:
            raise self.fail[item]
        return item * 10

    def report(self, pair: Any) -> None:
        """The ``out`` of ``in_completion_order``: note the pair; its item counts as finished."""
        with self._cv:
            self.reports.append(pair)
            self.report_threads.add(threading.get_ident())
            if isinstance(pair, tuple) and pair and pair[0] in self.order:
                self.finished.append(pair[0])
            self._cv.notify_all()


# One attribute per behaviour a test picks or reads back.
class Gated:  # pylint: disable=too-many-instance-attributes
    """``func(item) -> result(item)`` that records its calls.

    Items in ``hold`` wait until ``release()`` (``limit`` s at most); an item
    in ``after`` waits until the item it names has finished, then
    ``after_delay`` s more (cut short by ``release()``); items in ``fail``
    then raise that exception (at once when not held). ``results`` maps items to their result
    (default ``item * 10``).
    """

    # One keyword per behaviour a test picks; grouping them would only hide that.
    # pylint: disable-next=too-many-arguments
    def __init__(self, *, hold=(), after: dict | None = None,
                 after_delay: float = 0.0, fail: dict | None = None,
                 results: dict | None = None, limit: float = 5.0) -> None:
        self._cv = threading.Condition()
        self._released = threading.Event()
        self.hold = set(hold)
        self.after = dict(after or {})
        self.after_delay = after_delay
        self.fail = dict(fail or {})
        self.results = dict(results or {})
        self.limit = limit
        self.items: list = []
        self.threads: set[int] = set()
        self.finished: list = []

    def __call__(self, item):
        with self._cv:
            self.items.append(item)
            self.threads.add(threading.get_ident())
        try:
            if item in self.hold:
                self._released.wait(self.limit)
            if item in self.after:
                with self._cv:
                    self._cv.wait_for(lambda: self.after[item] in self.finished
                                      or self._released.is_set(), self.limit)
                self._released.wait(self.after_delay)
            if item in self.fail:
                raise self.fail[item]
            return self.results.get(item, item * 10 if isinstance(item, int) else item)
        finally:
            with self._cv:
                self.finished.append(item)
                self._cv.notify_all()

    def release(self) -> None:
        """Let every held call go on at once."""
        self._released.set()
        with self._cv:
            self._cv.notify_all()

    @property
    def called(self) -> list:
        """The items func was called with so far, in call order."""
        with self._cv:
            return list(self.items)


class Executors:
    """Record the executors made while active; ``end()`` stops those left running.

    Wrong code may leave an executor open, its workers blocked for good; the
    tests end them so they neither burn CPU nor skew later timings.
    """

    def __init__(self, monkeypatch: Any) -> None:
        self._lock = threading.Lock()
        self.made: list = []
        for cls in (ThreadPoolExecutor, ProcessPoolExecutor):
            original = cls.__init__

            def init(executor, *args, _original=original, **kwargs):
                with self._lock:
                    self.made.append(executor)
                _original(executor, *args, **kwargs)

            monkeypatch.setattr(cls, "__init__", init)

    def end(self) -> None:
        """Shut every recorded executor down without waiting; kill its processes."""
        with self._lock:
            made, self.made = self.made, []
        for executor in made:
            try:
                executor.shutdown(wait=False, cancel_futures=True)
            except Exception:  # pylint: disable=broad-exception-caught
                pass
            for process in list((getattr(executor, "_processes", None) or {}).values()):
                try:
                    process.kill()
                except Exception:  # pylint: disable=broad-exception-caught
                    pass
