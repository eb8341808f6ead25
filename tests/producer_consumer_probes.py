"""Instruments for topic 8, producer_consumer: an items source and a handle that record.

A ``Bench`` hands the pipeline both ends it needs: ``bench.items()``, a
generator that notes which thread takes each item and how many items were
handled at that moment (so "how far ahead" the producer ran is known), and
``bench.handle``, which notes the thread, how many handles run at once, how
often each item was handled, and can be held, met, slowed or made to raise.
``run`` calls ``run_pipeline`` in a daemon thread with a bounded wait and,
when it hangs, says which threads wait in ``get()`` or ``put()``.
Shared state is guarded by one condition variable: no reliance on the GIL.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import Any, Callable

from probes import (Background, ThreadEndings, code_stack, describe_exception, fail,
                    not_returned, plural, real_sleep)


class Broke(Exception):
    """What the test's items source raises when told to break."""


class Failed(Exception):
    """What the test's handle raises for an item it is told to fail."""


# One attribute per thing the tests check; grouping them would only hide that.
class Bench:  # pylint: disable=too-many-instance-attributes
    """An items source and a handle for one pipeline run, recording what happens."""

    # Keyword options each test picks a few of, as for Schedule.
    def __init__(self, values: list, *,  # pylint: disable=too-many-arguments
                 meet: int = 0, gate: threading.Event | None = None,
                 fail_on: dict | None = None, delay: float = 0.0,
                 before: Callable[[Any], None] | None = None,
                 paced: bool = False, drain: bool = False, break_after: int | None = None,
                 endings: ThreadEndings | None = None) -> None:
        self.values = list(values)
        self._cv = threading.Condition(threading.Lock())
        self._meet = threading.Barrier(meet, timeout=1.5) if meet else None
        self.gate, self.delay, self.before = gate, delay, before
        self.fail_on = fail_on or {}
        self.paced, self.drain = paced, drain
        self.break_after, self.endings = break_after, endings
        self.exhausted = False        # the source has given its last item
        self.taken: list[tuple[int, threading.Thread, int]] = []   # position, thread, handled
        self.calls: list[tuple[Any, threading.Thread]] = []        # item, thread
        self.active = self.peak = self.handled = 0
        self._marked: set[threading.Thread] = set()
        self._inside: set[threading.Thread] = set()                # threads inside handle
        self._callers: set[str] = set()                # files of the code that called handle
        self._consumers = 0                            # set by ``expect``
        self._before: set[threading.Thread] = set()

    # -- the producer's end --------------------------------------------------------------

    def items(self):
        """A generator of the values; notes each take.

        Its first item waits until the consumers wait in ``get()`` (see
        ``expect``), and its end until every item taken was handled (not with
        ``drain``): a pipeline starts and ends the same way on every run, so a
        mistake shows the same way on every run, not only when it is slow.
        ``paced``: item k is given only once k items were handled and every
        thread that handled one stands idle, waiting in ``get()`` (or ended):
        the queue is empty each time a consumer looks at it.
        """
        for position, value in enumerate(self.values):
            if self.break_after == position:
                self._settle()
                raise Broke(f"the items source broke after {position} items")
            if not position:
                self._until(self._consumers_ready, 0.5)
            elif self.paced:
                self._until(lambda p=position: self.count_handled() >= p and self._idle(), 1.0)
            self._mark()
            with self._cv:
                self.taken.append((position, threading.current_thread(), self.handled))
                self._cv.notify_all()
            yield value
        self._settle()
        with self._cv:
            self.exhausted = True
        if self.break_after == len(self.values):
            raise Broke(f"the items source broke after {len(self.values)} items")

    def expect(self, consumers: int, before: set[threading.Thread]) -> None:
        """The call about to start runs ``consumers`` consumers; ``before``: threads before it."""
        with self._cv:
            self._consumers, self._before = consumers, before

    def _consumers_ready(self) -> bool:
        """As many threads of the call as it has consumers wait in get()."""
        me = threading.current_thread()
        with self._cv:
            consumers, before = self._consumers, self._before
        waiting = [t for t in threading.enumerate()
                   if t not in before and t is not me and not getattr(t, "kit_caller", False)
                   and waits_in(t) == "get"]
        return len(waiting) >= consumers

    def _settle(self) -> None:
        """Wait until every item taken was handled and its consumer waits for more."""
        if not self.drain:
            with self._cv:
                taken = len(self.taken)
            self.wait_settled(taken, 1.0)

    def _idle(self) -> bool:
        """Every thread that handled an item and is not handling one waits for more.

        It waits in get(), or has ended, or has left the code that called
        handle (an executor's thread whose consumer loop took its sentinel).
        """
        with self._cv:
            threads = {thread for _, thread in self.calls} - self._inside
            callers = set(self._callers)
        return all(waits_in(t) == "get" or not t.is_alive() or not runs_code(t, callers)
                   for t in threads)

    def count_handled(self) -> int:
        """How many handle calls have ended so far."""
        with self._cv:
            return self.handled

    def wait_settled(self, handled: int, timeout: float) -> bool:
        """Wait until ``handled`` items were handled and their consumers wait for more."""
        return self._until(lambda: self.count_handled() >= handled and self._idle(), timeout)

    def _producer_done(self) -> bool:
        """The source is exhausted and its taker ended or waits in put() (a full queue)."""
        with self._cv:
            if not self.exhausted:
                return False
            takers = {thread for _, thread, _ in self.taken}
        return all(waits_in(t) == "put" or not t.is_alive() for t in takers)

    def _until(self, condition: Callable[[], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                return False
            real_sleep(0.003)
        return True

    @property
    def taking_threads(self) -> set[threading.Thread]:
        """The threads that took items from the source."""
        with self._cv:
            return {thread for _, thread, _ in self.taken}

    @property
    def most_ahead(self) -> tuple[int, int, int]:
        """(ahead, taken, handled) at the take when most items were taken but not handled."""
        with self._cv:
            return max(((p + 1 - h, p + 1, h) for p, _, h in self.taken), default=(0, 0, 0))

    def wait_active(self, condition: Callable[[int], bool], timeout: float) -> bool:
        """Wait until ``condition(handles running now)`` holds (False after ``timeout`` s)."""
        with self._cv:
            return self._cv.wait_for(lambda: condition(self.active), timeout)

    def wait_taken(self, count: int, timeout: float) -> bool:
        """Wait until ``count`` items were taken (False after ``timeout`` s)."""
        with self._cv:
            return self._cv.wait_for(lambda: len(self.taken) >= count, timeout)

    # -- the consumers' end --------------------------------------------------------------

    def handle(self, item: Any) -> Any:
        """Record the call; meet, wait at the gate, sleep, run ``before``; raise or return."""
        me = threading.current_thread()
        self._mark()
        caller = sys._getframe(1).f_code.co_filename  # pylint: disable=protected-access
        with self._cv:
            self.calls.append((item, me))
            self._callers.add(caller)
            self._inside.add(me)
            self.active += 1
            self.peak = max(self.peak, self.active)
            self._cv.notify_all()
        try:
            if self._meet is not None:
                try:
                    self._meet.wait()
                except threading.BrokenBarrierError:
                    pass                  # not enough handles at once: peak tells the test
            if self.gate is not None:
                self.gate.wait(1.0)
            if self.drain:                # items wait in the queue as the producer ends
                self._until(self._producer_done, 1.0)
            if self.delay:
                real_sleep(self.delay)
            if self.before is not None:
                self.before(item)
            if _hashable(item) and item in self.fail_on:
                raise self.fail_on[item]
            return ("done", item)
        finally:
            with self._cv:
                self.active -= 1
                self._inside.discard(me)
                self.handled += 1
                self._cv.notify_all()

    @property
    def handle_threads(self) -> set[threading.Thread]:
        """The threads handle ran in."""
        with self._cv:
            return {thread for _, thread in self.calls}

    def count(self, item: Any) -> int:
        """How many times ``item`` was handled."""
        with self._cv:
            return sum(1 for got, _ in self.calls if got == item and type(got) is type(item))

    def miscounted(self, values: list | None = None) -> str:
        """'' when every value was handled once; else a sentence naming the others."""
        values = self.values if values is None else values
        lost = [v for v in values if self.count(v) == 0]
        twice = [v for v in values if self.count(v) > 1]
        words = []
        if lost:
            words.append(f"{plural(len(lost), 'item')} never handled ({_few(lost)})")
        if twice:
            words.append(f"{plural(len(twice), 'item')} handled more than once ({_few(twice)})")
        return " and ".join(words)

    def _mark(self) -> None:
        if self.endings is None:
            return
        me = threading.current_thread()
        with self._cv:
            first = me not in self._marked
            self._marked.add(me)
        if first:
            self.endings.mark()


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _few(values: list) -> str:
    shown = ", ".join(repr(v) for v in values[:5])
    return shown + (", ..." if len(values) > 5 else "")


def waits_in(thread: threading.Thread) -> str | None:
    """'get' or 'put' when ``thread`` is blocked inside a queue's get()/put() now."""
    return next((code.co_name for code in code_stack(thread)
                 if code.co_filename.endswith("queue.py") and code.co_name in ("get", "put")),
                None)


def runs_code(thread: threading.Thread, filenames: set[str]) -> bool:
    """True when a frame of ``thread``'s stack runs code from one of ``filenames``."""
    return any(code.co_filename in filenames for code in code_stack(thread))


def wait_blocked_in_put(bench: Bench, timeout: float) -> None:
    """Wait until the thread taking the items waits in put(), or took them all."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        takers = bench.taking_threads
        if len(bench.taken) >= len(bench.values):
            return
        if takers and all(waits_in(t) == "put" for t in takers):
            return
        real_sleep(0.005)


def start(mod: Any, items: Any, handle: Callable[[Any], Any], *args: Any,
          via: Callable[..., Any] | None = None, **kwargs: Any) -> Background:
    """``run_pipeline(items, handle, *args, **kwargs)`` started in a daemon thread.

    ``via`` (a Schedule's ``call``) wraps the call. Wait for it with ``finish``.
    """
    before = set(threading.enumerate())
    bench = getattr(handle, "__self__", None)
    if isinstance(bench, Bench):
        bench.expect(args[0] if args else kwargs.get("consumers", 3), before)
    if via is None:
        call = Background(mod.run_pipeline, items, handle, *args, **kwargs)
    else:
        call = Background(via, mod.run_pipeline, items, handle, *args, **kwargs)
    call.kit_before = before  # type: ignore[attr-defined]
    return call


def finish(call: Background, timeout: float = 5.0) -> Background:
    """Wait for a ``start``-ed call; fail with who waits where when it hangs."""
    if not call.finished_within(timeout):
        fail(hang_message(call, call.kit_before, timeout))  # type: ignore[attr-defined]
    return call


def run(mod: Any, items: Any, handle: Callable[[Any], Any], *args: Any,
        timeout: float = 5.0, via: Callable[..., Any] | None = None,
        **kwargs: Any) -> Background:
    """``start`` then ``finish``: the call, returned or raised within ``timeout`` s."""
    return finish(start(mod, items, handle, *args, via=via, **kwargs), timeout)


def hang_message(call: Background, before: set[threading.Thread], timeout: float) -> str:
    """Why a call did not return: the threads it started and where they wait."""
    mine = [t for t in threading.enumerate()
            if t not in before and t is not call.thread and t.is_alive()]
    where = [waits_in(t) for t in mine]
    getting, putting = where.count("get"), where.count("put")
    parts = [f"run_pipeline {not_returned(call, timeout)}."]
    if getting:
        parts.append(f"{plural(getting, 'thread')} of it still {_waits(getting)}"
                     " in get() on an empty queue: consumers that never took a sentinel. Put"
                     " one sentinel per consumer after the last item, also when iterating the"
                     " items raised (a `finally:`), and let only a sentinel end a consumer.")
    if putting:
        parts.append(f"{plural(putting, 'thread')} of it still {_waits(putting)}"
                     " in put() on a full queue that nobody takes from: did consumers end"
                     " early - killed by an exception of handle, stopped by a falsy item, or"
                     " given too few consumer threads?")
    if not getting and not putting:
        parts.append(f"{plural(len(mine), 'thread')} it started {'is' if len(mine) == 1 else 'are'}"
                     " still running: is a join() waiting for a thread that never ends?")
    return " ".join(parts)


def _waits(n: int) -> str:
    return "waits" if n == 1 else "wait"


def outcome_of(call: Background) -> Any:
    """The call's result; fail with a learner message if it raised."""
    if call.error is not None:
        fail(f"run_pipeline raised {describe_exception(call.error)} although neither the "
             "items nor handle raised: were results read before every consumer had sent "
             "its outcome, or did a consumer stop early?")
    return call.value
