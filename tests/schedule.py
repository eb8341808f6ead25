"""Schedule control: the test, not the machine's load, decides when student threads run.

Some wrong solutions pass almost every run on a GIL build, because nothing
lets another thread in at the one bad moment (see the testing guide, section
8): a lock created lazily inside ``increment``, a thread target that reads
the loop variable late, an Event hand-over that clears a turn the other
player has just given, a call that joins only the thread left in its loop
variable. A ``Schedule`` makes each of those moments happen on every run:

* **threads it adopts** - every thread started (``Thread.start``, also of
  subclasses and of executors) by the thread running ``Schedule.call``, and by
  the threads those start. ``hold`` keeps an adopted thread from running its
  target until the call has returned (or ``hold`` seconds passed): a target
  that reads a loop variable late then always sees its last value.
  ``linger`` keeps adopted threads alive after their target returned, until
  the call has returned (or ``linger`` seconds). Neither touches the thread
  at start position ``quick`` of its call: a call that joins only that one
  (the last started, say) returns while the others are still held or alive,
  every time; a test tries the positions a mistake could pick. With
  ``first_waits``, the first thread a call starts runs its target only once
  another thread of the call has started and each other thread of the call
  waits in an instrumented wait or has ended: threads that run free (their
  order left to start order or sleeps) then see the first one run last, every
  time, where a loaded machine would show that order only once in a while.
* **primitives in the module's namespace** - ``threading.Event``, ``Lock``,
  ``RLock`` and ``Condition`` as the student's module sees them (its
  ``threading`` name and any names it imported) are replaced by thin
  instrumented versions; ``isinstance`` checks against them still accept the
  real classes. An Event counts ``is_set()`` and ``wait()`` per thread and
  knows who is blocked on it. With ``handover``, ``set()`` lets the threads it
  woke run until they block again (or end) before the setter goes on: a
  player that clears its own Event after handing the turn over erases the
  other's answer every time. With ``race_creation``, two threads that create
  a lock at the same time are paired: the first goes on and, when it reads
  the counter (the ``slowed`` probe calls ``on_read``), waits for the second
  to read too - two locks, one counter, a lost update every time.
* **deadlocks** - ``stuck()`` says, as soon as it is so, that every adopted
  thread and the calling thread wait without a timeout on instrumented
  Events or joins, so nobody can wake them; a test fails in a fraction of a
  second with who waits on what, instead of at its timeout.

Every pause is bounded: correct code pays at most ``hold``, ``linger`` or a
few tenths of a second per test, never a wrong verdict. Shared state is
guarded by one condition variable: the instrument stays correct without a GIL.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from typing import Any, Callable

import pytest

from probes import module_view

_REAL = {name: getattr(threading, name) for name in ("Event", "Lock", "RLock", "Condition")}


class _Stands(type):
    """Metaclass: ``isinstance(x, Instrumented)`` is ``isinstance(x, <the real class>)``.

    A student who validates an argument with ``isinstance(stop, threading.Event)``
    must still accept the test's Event when the module sees the instrumented class.
    """

    real: Any = object

    def __instancecheck__(cls, obj: Any) -> bool:
        real = cls.real
        return isinstance(obj, real) if isinstance(real, type) else type.__instancecheck__(cls, obj)

    def __subclasscheck__(cls, sub: Any) -> bool:
        real = cls.real
        return issubclass(sub, real) if isinstance(real, type) else type.__subclasscheck__(cls, sub)


@dataclasses.dataclass
class _Waiting:
    """A thread blocked in an instrumented wait: on what, with which timeout, since when."""

    what: str
    timeout: float | None
    episode: int
    since: float
    joining: threading.Thread | None = None     # the thread a join waits for
    event: Any = None                            # the Event a wait waits for


# One attribute per thing the tests read after a call; grouping them would only hide that.
class Schedule:  # pylint: disable=too-many-instance-attributes
    """Instrument the threading the student's ``modules`` use, for one test."""

    # Keyword options mirror the module docstring's list; each test picks a few.
    def __init__(self, monkeypatch: pytest.MonkeyPatch,  # pylint: disable=too-many-arguments
                 *modules: Any, hold: float = 0.0, linger: float = 0.0,
                 quick: int | None = None, handover: bool = False,
                 race_creation: bool = False, first_waits: float = 0.0) -> None:
        self.hold, self.linger, self.quick = hold, linger, quick
        # first_waits is a budget: once a wait for the others runs out, none follows.
        self.first_waits = first_waits
        self.handover, self.race_creation = handover, race_creation
        self._cv = threading.Condition(_REAL["Lock"]())
        self.started: list[threading.Thread] = []       # adopted, in start order
        self._calls: dict[threading.Thread, _Call] = {}  # calling thread -> its call
        self._call_of: dict[threading.Thread, _Call] = {}  # adopted thread -> its call
        self._held: set[threading.Thread] = set()          # threads hold_work has held
        self._finished: set[threading.Thread] = set()      # targets done (maybe lingering)
        self._launched: set[threading.Thread] = set()      # Thread.start() returned
        self.alive_at_return: list[threading.Thread] = []
        self._waiting: dict[threading.Thread, _Waiting] = {}
        self._episodes: dict[threading.Thread, int] = {}
        self._handover_budget = 2.0                      # seconds of handover waits that timed out
        self._creation = _Creation(self)
        self._events = 0                                 # Events the module made so far
        # (thread, timeout) of every wait(timeout) on an Event the module made
        self.timed_waits: list[tuple[threading.Thread, float]] = []
        self._patch_threads(monkeypatch)
        for module in modules:
            self._patch_module(monkeypatch, module)

    # -- the call under test ---------------------------------------------------------------

    def call(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``func(*args, **kwargs)``, adopting the threads it starts; notes who lives at return.

        Several calls may run at once (each from its own thread): each has its
        own start positions and its own return, which releases only its threads.
        """
        me = threading.current_thread()
        record = _Call()
        with self._cv:
            self._calls[me] = record
        try:
            return func(*args, **kwargs)
        finally:
            with self._cv:
                del self._calls[me]
                self.alive_at_return = [t for t in record.threads if t.is_alive()]
            record.returned.set()

    def hold_work(self, limit: float) -> None:
        """Hold the calling thread here once, until its call returned (``limit`` s at most).

        For instruments the call's threads use (a counter's ``increment``): the
        work waits, not the thread, so an executor's threads still take their
        tasks as they would. The thread at start position ``quick`` goes on.
        """
        me = threading.current_thread()
        with self._cv:
            record = self._call_of.get(me)
            if record is None or me in self._held:
                return
            self._held.add(me)
            position = record.threads.index(me)
        if position != self.quick:
            record.returned.wait(limit)

    def wait_for(self, call: Any, timeout: float) -> bool:
        """Wait until the Background ``call`` is done (True), stuck or out of time (False)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if call.finished_within(0.02):
                return True
            if self.stuck(call.thread):
                return False
        return call.done

    def stuck(self, caller: threading.Thread | None = None, settle: float = 0.15) -> list[str]:
        """Who waits on what, when no thread of the call can ever wake another; else [].

        True only when every adopted thread still alive (and ``caller``, when
        given and alive) has been blocked for ``settle`` seconds in an
        instrumented wait without a timeout.
        """
        with self._cv:
            threads = [t for t in self.started if t.is_alive()]
            if caller is not None and caller.is_alive():
                threads.append(caller)
            if not threads:
                return []
            now = time.monotonic()
            found = []
            for thread in threads:
                waiting = self._waiting.get(thread)
                if waiting is None or waiting.timeout is not None or now - waiting.since < settle:
                    return []
                if waiting.joining is not None and not waiting.joining.is_alive():
                    return []                    # that join is about to return
                if waiting.event is not None and _REAL["Event"].is_set(waiting.event):
                    return []                    # that wait is about to return
                found.append(f"{self.name_of(thread)} waits on {waiting.what}")
            return found

    def name_of(self, thread: threading.Thread) -> str:
        """'thread 2' for the second adopted thread, 'the calling thread' otherwise."""
        if thread in self.started:
            return f"thread {self.started.index(thread) + 1}"
        return "the calling thread"

    # -- adopted threads -------------------------------------------------------------------

    def _patch_threads(self, monkeypatch: pytest.MonkeyPatch) -> None:
        real_start, real_join = threading.Thread.start, threading.Thread.join

        def start(thread: threading.Thread) -> None:
            me = threading.current_thread()
            with self._cv:
                record = self._calls.get(me) or self._call_of.get(me)
                if record is not None:
                    self.started.append(thread)
                    self._call_of[thread] = record
                    position = len(record.threads)
                    record.threads.append(thread)
            if record is not None:
                self.instrument_run(thread, record, position)
            real_start(thread)
            with self._cv:                  # from now on, not alive means ended
                self._launched.add(thread)
                self._cv.notify_all()

        def join(thread: threading.Thread, timeout: float | None = None) -> None:
            if thread not in self.started:
                real_join(thread, timeout)
                return
            self.note_waiting(f"the end of {self.name_of(thread)} (join)", timeout, thread)
            try:
                real_join(thread, timeout)
            finally:
                self.note_done(threading.current_thread())

        monkeypatch.setattr(threading.Thread, "start", start)
        monkeypatch.setattr(threading.Thread, "join", join)

    def instrument_run(self, thread: threading.Thread, record: "_Call", position: int) -> None:
        """Hold the target until its call returned; keep the thread alive a while after it.

        The thread at start position ``quick`` of its call is neither held nor kept.
        With ``first_waits``, the thread at position 0 first lets the others settle.
        """
        first = position == 0 and self.first_waits > 0
        if not (self.hold or self.linger or first) or position == self.quick:
            return
        original = thread.run

        def run() -> None:
            if first:
                self.let_others_settle(record, thread)
            if self.hold:
                record.returned.wait(self.hold)
            try:
                original()
            finally:
                with self._cv:              # a hand-over no longer waits for it
                    self._finished.add(thread)
                    self._cv.notify_all()
                if self.linger:
                    record.returned.wait(self.linger)

        thread.run = run  # type: ignore[method-assign]

    # -- who waits on what -----------------------------------------------------------------

    def note_waiting(self, what: str, timeout: float | None,  # pylint: disable=too-many-arguments
                     joining: threading.Thread | None = None, event: Any = None) -> None:
        """The calling thread starts waiting on ``what`` (for ``timeout`` s; None: for good)."""
        me = threading.current_thread()
        with self._cv:
            if timeout is not None:
                self.timed_waits.append((me, timeout))
            episode = self._episodes.get(me, 0) + 1
            self._episodes[me] = episode
            self._waiting[me] = _Waiting(what, timeout, episode, time.monotonic(), joining, event)
            self._cv.notify_all()

    def note_done(self, thread: threading.Thread) -> None:
        """``thread`` stopped waiting."""
        with self._cv:
            self._waiting.pop(thread, None)
            self._cv.notify_all()

    def let_woken_run(self, woken: dict[threading.Thread, int]) -> None:
        """Wait until each woken thread is blocked in a new wait, or ended (bounded)."""
        if not woken or self._handover_budget <= 0:
            return
        started = time.monotonic()

        def settled() -> bool:
            for thread, episode in woken.items():
                waiting = self._waiting.get(thread)
                if (thread.is_alive() and thread not in self._finished
                        and (waiting is None or waiting.episode == episode)):
                    return False
            return True

        with self._cv:
            while not settled():
                left = 0.3 - (time.monotonic() - started)
                if left <= 0:
                    self._handover_budget -= 0.3
                    return
                # A woken thread that ends notifies nobody: look again every few ms.
                self._cv.wait(min(left, 0.005))

    def let_others_settle(self, record: "_Call", first: threading.Thread) -> None:
        """Wait until ``record`` has another thread, and each other one waits or has ended.

        Bounded by ``first_waits`` seconds in all: a call whose other threads
        wait on something not instrumented (a Queue, a Semaphore) pays it once.
        """
        started = time.monotonic()

        def settled() -> bool:
            others = [t for t in record.threads if t is not first]
            return bool(others) and all(
                (t in self._launched and not t.is_alive()) or t in self._finished
                or t in self._waiting for t in others)

        with self._cv:
            while not settled():
                left = self.first_waits - (time.monotonic() - started)
                if left <= 0:
                    self.first_waits = 0.0
                    return
                # A thread that ends notifies nobody: look again every few ms.
                self._cv.wait(min(left, 0.005))

    def blocked_on(self, what: str) -> dict[threading.Thread, int]:
        """The threads blocked on ``what`` now (but the caller), with their wait's number."""
        me = threading.current_thread()
        with self._cv:
            return {t: w.episode for t, w in self._waiting.items()
                    if w.what == what and t is not me}

    # -- the module's namespace ------------------------------------------------------------

    def _patch_module(self, monkeypatch: pytest.MonkeyPatch, module: Any) -> None:
        replacements = {
            "Event": self._event_class(),
            "Lock": self._factory("Lock"),
            "RLock": self._factory("RLock"),
            "Condition": self._factory("Condition"),
        }
        view = module_view(threading, **replacements)
        for name, value in list(vars(module).items()):
            if value is threading:
                monkeypatch.setattr(module, name, view)
            for real_name, real in _REAL.items():
                if value is real:
                    monkeypatch.setattr(module, name, replacements[real_name])

    def _factory(self, name: str) -> type:
        real = _REAL[name]
        creation = self._creation

        class Instrumented(metaclass=_Stands):
            """Makes the real primitive; pairs up threads that create one at the same time."""

            def __new__(cls, *args: Any, **kwargs: Any) -> Any:
                creation.pause()
                return real(*args, **kwargs)

        Instrumented.real = real
        Instrumented.__name__ = Instrumented.__qualname__ = name
        return Instrumented

    def _event_class(self) -> type:
        schedule = self

        class Event(threading.Event, metaclass=_Stands):
            """threading.Event that counts how it is asked and tells the schedule who waits."""

            def __init__(self) -> None:
                super().__init__()
                self._counts = _REAL["Lock"]()
                self.kit_label = schedule.new_event()
                self.is_set_by: dict[threading.Thread, int] = {}
                self.wait_by: dict[threading.Thread, int] = {}

            def _count(self, table: dict[threading.Thread, int]) -> None:
                me = threading.current_thread()
                with self._counts:
                    table[me] = table.get(me, 0) + 1

            def is_set(self) -> bool:
                self._count(self.is_set_by)
                return super().is_set()

            def wait(self, timeout: float | None = None) -> bool:
                self._count(self.wait_by)
                schedule.note_waiting(self.kit_label, timeout, event=self)
                try:
                    return super().wait(timeout)
                finally:
                    schedule.note_done(threading.current_thread())

            def set(self) -> None:
                woken = schedule.blocked_on(self.kit_label) if schedule.handover else {}
                super().set()
                schedule.let_woken_run(woken)

        Event.real = _REAL["Event"]
        return Event

    def new_event(self) -> str:
        """Count an Event the module made; its label in messages ('Event 2')."""
        with self._cv:
            self._events += 1
            return f"Event {self._events}"

    def on_read(self) -> None:
        """Called by a probe when a thread reads shared state (see ``probes.slowed``)."""
        self._creation.on_read()

    @property
    def creation_races(self) -> int:
        """How many times two threads created a lock at the same time."""
        return self._creation.pairs


@dataclasses.dataclass
class _Call:
    """One ``Schedule.call`` in progress: the threads it started, and its return."""

    threads: list[threading.Thread] = dataclasses.field(default_factory=list)
    returned: Any = dataclasses.field(default_factory=_REAL["Event"])


class _Creation:
    """Pairs up threads that create a lock at the same time (a lazy-creation race).

    The first of a pair gets its lock at once; the second only once the first
    is inside its critical section (it read the counter). The first then waits,
    after its read, for the second to read as well: with two locks, both read
    the same value and one update is lost - every time, not once in a thousand.
    Threads the test owns (its own, ``Background`` callers) are never paired, and
    a lock created alone costs one short wait for a partner that never comes.
    """

    PARTNER_WAIT = 0.3
    READ_WAIT = 0.5
    MAX_PAIRS = 3

    def __init__(self, schedule: Schedule) -> None:
        self._schedule = schedule
        self._cv = threading.Condition(_REAL["Lock"]())
        self._pending: threading.Thread | None = None
        self._pairs = 0
        self._first: threading.Thread | None = None     # armed: the first of the last pair
        self._first_read = _REAL["Event"]()
        self._second_read = _REAL["Event"]()
        self._home = threading.current_thread()

    @property
    def pairs(self) -> int:
        """Pairs made so far."""
        with self._cv:
            return self._pairs

    def _paired_here(self, me: threading.Thread) -> bool:
        return (self._schedule.race_creation and me is not self._home
                and not getattr(me, "kit_caller", False) and self._pairs < self.MAX_PAIRS)

    def pause(self) -> None:
        """Called as a lock is created: wait for a partner, or for the partner to be inside."""
        me = threading.current_thread()
        with self._cv:
            if not self._paired_here(me) or self._pending is me:
                return
            if self._pending is None:
                self._pending = me
                # Longer than the schedule's hold: a thread that was not held
                # (``quick``) still meets a partner released by the hold.
                self._cv.wait_for(lambda: self._pending is not me,
                                  self.PARTNER_WAIT + self._schedule.hold)
                if self._pending is me:             # nobody came
                    self._pending = None
                return
            self._first = self._pending              # paired: they go first, I follow
            self._pending = None
            self._pairs += 1
            self._first_read.clear()
            self._second_read.clear()
            self._cv.notify_all()
        self._first_read.wait(self.PARTNER_WAIT)

    def on_read(self) -> None:
        """A thread read the counter: the first of a pair waits here for another's read."""
        me = threading.current_thread()
        with self._cv:
            first = self._first
            if first is None:
                return
            if me is first and not self._first_read.is_set():
                self._first_read.set()
                wait_here = True
            else:
                if self._first_read.is_set():
                    self._second_read.set()
                wait_here = False
        if wait_here:
            self._second_read.wait(self.READ_WAIT)
            with self._cv:
                if self._first is me:
                    self._first = None
