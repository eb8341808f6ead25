"""An instrumented ``threading.Condition`` for the bounded_buffer tests.

``ConditionSpy(monkeypatch, module)`` watches the Conditions the student's
module uses, however they were made:

* while the test runs, ``threading.Condition`` as the module sees it (its
  ``threading`` name, whatever it is called, and any name bound to the class)
  is a subclass of the real one that reports to the spy;
* ``spy.watch(buffer)`` (call it right after making the buffer) looks through
  the buffer for Conditions made another way - a subclass defined at import,
  a factory captured at import (a default argument, a dataclass
  ``default_factory``, ...) - in its attributes, ``__slots__``, class
  attributes, containers and objects of the module's own classes held there,
  and in the module's globals, and instruments each in place: its class is
  swapped for a spy subclass of its own class (undone when the test ends).
  ``until`` and ``poke`` look again, for Conditions made later.
  Objects of other modules (a ``queue.Queue``) are not looked into: their
  Conditions are not the student's.

What the spy records and does:

* who is inside ``wait()`` now, and how many ``wait()`` calls and lock
  acquisitions each thread made (a poller makes hundreds, a waiter one);
* ``wake_all``: every ``notify(n)`` wakes every waiter, as Python's docs
  allow ("may occasionally wake up more than n threads"): a thread that does
  not re-check in a ``while`` loop finds the buffer empty (or full) again;
* ``poke()``: the test wakes every waiter itself (``notify_all`` under the
  lock), a wake-up after which nothing changed: a timeout restarted at each
  wake-up never runs out, a single ``wait(timeout)`` returns early;
* ``holding``: a thread woken from ``wait()`` stops before it re-takes the
  lock until ``release_held()``: the test decides who runs first.

Shared records are guarded by one real Condition: no reliance on the GIL.
"""

from __future__ import annotations

import collections
import queue
import threading
import time
import types
from typing import Any, Callable

import pytest

from probes import Background, module_view

_REAL = threading.Condition
_EVERYONE = 1 << 30
_DEPTH = 3              # how deep watch() looks: buffer -> helper object -> container
_WIDE = 64              # containers longer than this are items, not parts of the buffer


class _Spied(_REAL):
    """The spy's layer over a Condition class: ``with``, wait and notify report to ``kit_spy``.

    Never made directly: the spy's Condition class and the classes it swaps
    into found Conditions put it in front of the real class (or the student's
    subclass), so ``super()`` reaches theirs.
    """

    kit_spy: Any = None
    kit_lock: Any = None

    def __enter__(self) -> bool:
        self.kit_spy.note_take()
        return super().__enter__()

    def wait(self, timeout: float | None = None) -> bool:
        spy = self.kit_spy
        spy.note_wait(True)
        try:
            return super().wait(timeout)
        finally:
            spy.note_wait(False)

    def notify(self, n: int = 1) -> None:
        spy = self.kit_spy
        super().notify(_EVERYONE if spy.note_notify() else n)


def _snapshot(items: Any) -> list[Any]:
    """``list(items)``; [] when another thread changed it meanwhile or it is too long."""
    try:
        return list(items) if len(items) <= _WIDE else []
    except (RuntimeError, TypeError):
        return []


# One attribute per thing a test reads; grouping them would only hide that.
class ConditionSpy:  # pylint: disable=too-many-instance-attributes
    """Instrument the Conditions ``module`` uses while the test runs."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, module: Any,
                 wake_all: bool = False) -> None:
        self.wake_all = wake_all
        self.holding = False
        self._cv = _REAL(threading.RLock())
        self._let_go = threading.Event()
        self.conditions: list[Any] = []
        self.waits: dict[threading.Thread, int] = {}
        self.takes: dict[threading.Thread, int] = {}
        self.waiting: set[threading.Thread] = set()
        self.held: set[threading.Thread] = set()
        self.notifies = 0
        self._monkeypatch = monkeypatch
        self._module = module
        self._owner = threading.current_thread()
        self._watched: list[Any] = []
        self._classes: dict[type, type] = {}
        cls = self._condition_class()
        view = module_view(threading, Condition=cls)
        for name, value in list(vars(module).items()):
            if value is threading:
                monkeypatch.setattr(module, name, view)
            elif value is _REAL:
                monkeypatch.setattr(module, name, cls)

    # -- what the tests call ----------------------------------------------------------------

    def watch(self, buffer: Any) -> Any:
        """Instrument the Conditions ``buffer`` holds, however they were made; return it."""
        self._watched.append(buffer)
        self._scan()
        return buffer

    def calls_by(self, thread: threading.Thread) -> int:
        """``wait()`` calls plus lock acquisitions ``thread`` made on the Conditions."""
        with self._cv:
            return self.waits.get(thread, 0) + self.takes.get(thread, 0)

    def waits_of(self, thread: threading.Thread) -> int:
        """``wait()`` calls ``thread`` made."""
        with self._cv:
            return self.waits.get(thread, 0)

    def is_waiting(self, thread: threading.Thread) -> bool:
        """True while ``thread`` is inside ``wait()`` and not woken-and-held."""
        with self._cv:
            return thread in self.waiting and thread not in self.held

    def until(self, check: Callable[[], bool], timeout: float) -> bool:
        """Wait until ``check()`` holds (looked at on every change); False on timeout."""
        self._scan()
        deadline = time.monotonic() + timeout
        with self._cv:
            while not check():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                # A thread that ends tells nobody: look again every few ms.
                self._cv.wait(min(left, 0.01))
        return True

    def poke(self) -> None:
        """Wake every waiter of every Condition, changing nothing (the test's own notify_all)."""
        self._scan()
        with self._cv:
            conditions = list(self.conditions)
        for cond in conditions:
            lock = cond.kit_lock
            if lock.acquire(True, 0.5):
                try:
                    _REAL.notify(cond, _EVERYONE)
                finally:
                    lock.release()

    def release_held(self) -> None:
        """Stop holding woken threads and let the held ones go on."""
        with self._cv:
            self.holding = False
        self._let_go.set()

    # -- what the instrumented Conditions report --------------------------------------------

    def note_take(self) -> None:
        """The calling thread takes a Condition's lock."""
        me = threading.current_thread()
        with self._cv:
            self.takes[me] = self.takes.get(me, 0) + 1
            self._cv.notify_all()

    def note_wait(self, inside: bool) -> None:
        """The calling thread enters (``inside``) or leaves ``wait()``."""
        me = threading.current_thread()
        with self._cv:
            if inside:
                self.waits[me] = self.waits.get(me, 0) + 1
                self.waiting.add(me)
            else:
                self.waiting.discard(me)
                self.held.discard(me)
            self._cv.notify_all()

    def note_notify(self) -> bool:
        """A notify call: True when it must wake every waiter (``wake_all``)."""
        with self._cv:
            self.notifies += 1
            return self.wake_all

    def woken(self) -> None:
        """In a woken thread, before it re-takes the lock: stop here while holding."""
        me = threading.current_thread()
        with self._cv:
            if not self.holding:
                return
            self.held.add(me)
            self._cv.notify_all()
        self._let_go.wait(3.0)

    # -- instrumenting ----------------------------------------------------------------------

    def _adopt(self, cond: Any, setter: Callable[[Any, str, Any], None]) -> None:
        """Make ``cond`` (already a ``_Spied``) report here: its instance-level lock methods too."""
        # Condition.__init__ copies the lock's acquire (and _acquire_restore, when
        # the lock has one) onto the instance: wrap those where they are looked up.
        take, restore = cond.acquire, cond._acquire_restore  # pylint: disable=protected-access

        def acquire(*args: Any, **kwargs: Any) -> bool:
            self.note_take()
            return take(*args, **kwargs)

        def acquire_restore(state: Any) -> None:
            self.woken()
            restore(state)

        setter(cond, "kit_spy", self)
        setter(cond, "kit_lock", cond._lock)  # pylint: disable=protected-access
        setter(cond, "acquire", acquire)
        setter(cond, "_acquire_restore", acquire_restore)
        with self._cv:
            self.conditions.append(cond)

    def _condition_class(self) -> type:
        spy = self

        class Condition(_Spied):
            """threading.Condition that tells the spy who waits, takes and notifies."""

            def __init__(self, lock: Any = None) -> None:
                super().__init__(lock)
                spy._adopt(self, setattr)  # pylint: disable=protected-access

        return Condition

    def _instrument(self, cond: Any) -> None:
        """Swap ``cond``'s class for a spy subclass of its own (undone after the test)."""
        cls = type(cond)
        spied = self._classes.get(cls)
        if spied is None:
            spied = self._classes[cls] = types.new_class(
                cls.__name__, (_Spied, cls), exec_body=lambda ns: ns.update(
                    __module__=cls.__module__, __doc__=cls.__doc__))
        self._monkeypatch.setattr(cond, "__class__", spied)
        self._adopt(cond, self._monkeypatch.setattr)

    def _scan(self) -> None:
        """Instrument every Condition of the watched buffers (and module globals) not yet seen."""
        if threading.current_thread() is not self._owner:
            return              # monkeypatch is the test thread's alone
        with self._cv:
            known = {id(cond) for cond in self.conditions}
        roots = [value for value in vars(self._module).values() if isinstance(value, _REAL)]
        for cond in self._find(self._watched) + roots:
            if id(cond) not in known:
                known.add(id(cond))
                self._instrument(cond)

    def _find(self, roots: list[Any]) -> list[Any]:
        """Conditions reachable from ``roots`` through the student's own objects."""
        found: list[Any] = []
        seen: set[int] = set()
        todo = [(root, 0) for root in roots]
        while todo:
            obj, depth = todo.pop()
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            if isinstance(obj, _REAL):
                found.append(obj)
            elif depth < _DEPTH:
                todo.extend((part, depth + 1) for part in self._parts(obj))
        return found

    def _parts(self, obj: Any) -> list[Any]:
        """What ``obj`` holds: a container's items, or a module object's attributes."""
        if isinstance(obj, dict):
            return _snapshot(obj.values())
        if isinstance(obj, (list, tuple, set, frozenset, collections.deque)):
            return _snapshot(obj)
        if isinstance(obj, types.FunctionType):
            mine = obj.__module__ == self._module.__name__
            cells = (obj.__closure__ or ()) if mine else ()
            return [cell.cell_contents for cell in cells if _filled(cell)]
        cls = type(obj)
        if cls.__module__ != self._module.__name__:
            return []           # a library's object (a queue.Queue...): not the student's
        parts = _snapshot(getattr(obj, "__dict__", {}).values())
        for klass in cls.__mro__:
            if klass.__module__ != self._module.__name__:
                continue
            parts.extend(_snapshot(vars(klass).values()))
            slots = vars(klass).get("__slots__", ())
            for slot in (slots,) if isinstance(slots, str) else slots:
                try:
                    parts.append(getattr(obj, slot))
                except AttributeError:
                    pass
        return parts


def _filled(cell: Any) -> bool:
    """True when the closure ``cell`` holds a value."""
    try:
        cell.cell_contents  # pylint: disable=pointless-statement
    except ValueError:
        return False
    return True


class Timed:
    """``func(*args, **kwargs)`` in a daemon thread, timed from inside that thread.

    ``call`` is the ``probes.Background`` running it; ``elapsed`` the call's own
    duration (thread start-up not counted), None while it runs.
    """

    def __init__(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self.started: float | None = None
        self.ended: float | None = None

        def run() -> Any:
            self.started = time.monotonic()
            try:
                return func(*args, **kwargs)
            finally:
                self.ended = time.monotonic()

        self.call = Background(run)

    @property
    def elapsed(self) -> float | None:
        """How long the call took, once it has ended."""
        if self.started is None or self.ended is None:
            return None
        return self.ended - self.started


class Actor:
    """One daemon thread that runs the calls it is handed, one after another.

    For checks of what ONE thread sees (its ``stats()``) across several steps,
    without running the student's code in the test's own thread, where a call
    that blocks for good would hang the test.
    """

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._serve, daemon=True, name="kit-actor")
        self.thread.start()

    def __enter__(self) -> "Actor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self._jobs.put(None)            # the thread ends once it is free

    def _serve(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            func, box, done = job
            try:
                box["value"] = func()
            except BaseException as exc:  # pylint: disable=broad-exception-caught
                box["error"] = exc
            done.set()

    def call(self, func: Callable[[], Any], timeout: float = 1.0) -> dict[str, Any]:
        """Run ``func()`` in the actor's thread: {"value": ...} or {"error": ...}; {} on timeout."""
        box: dict[str, Any] = {}
        done = threading.Event()
        self._jobs.put((func, box, done))
        done.wait(timeout)
        return dict(box) if done.is_set() else {}
