"""Lock instruments for topic safe_transfer: deadlocks provoked and seen at once, races met.

A ``LockLab`` replaces ``threading.Lock``, ``RLock`` and ``Condition`` as the
module under test sees them (its ``threading`` name and any names it
imported) by locks whose books the lab keeps: who holds which, who waits for
which. The test runs its own threads through ``lab.start``. Then:

* a wait that can never end (thread 1 holds a's lock and waits for b's while
  thread 2 holds b's and waits for a's; a plain Lock taken twice by one
  thread) raises ``Deadlock`` at once in the thread that closed the circle:
  its ``with`` blocks release what it holds, the others go on, and the test
  reports the deadlock instead of hanging until a timeout;
* with ``provoke``, each test thread stops once, right after taking its first
  lock, until every other test thread holds or waits for a lock (or ended):
  locks taken in argument order deadlock on every run, locks taken in one
  global order never do, and wait nothing since the other thread blocks;
* ``meet()``, called by the test's Account subclass when a test thread reads
  or writes a balance, stops that thread once until every other test thread
  is blocked on a lock, has met too, or ended (``ready="done"``: ended).
  Two unlocked read-modify-writes of one balance then read the same value
  on every run; a total() taken without the locks runs inside a transfer.

Primitives the lab did not make (a lock created at import, a Semaphore) are
never seen: every pause is bounded, so correct code only waits longer, and a
test's joins are bounded too. Shared state is guarded by one condition.
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any, Callable, Iterator

import pytest

from probes import Background, describe_exception, fail, module_view, not_returned, real_sleep

_REAL = {name: getattr(threading, name) for name in ("Lock", "RLock", "Condition")}


class Deadlock(BaseException):
    """Raised in a test thread whose wait for a lock could never end.

    A BaseException, so that ``except Exception`` in the code under test lets it through.
    """


class _Tracked:
    """A Lock (or, ``reentrant``, an RLock) whose holder and waiters the lab knows."""

    def __init__(self, lab: "LockLab", reentrant: bool) -> None:
        self._lab = lab
        self.reentrant = reentrant
        self.owner: threading.Thread | None = None
        self.count = 0
        self.label = "a lock"

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        """Take the lock, as ``threading.Lock.acquire`` does."""
        return self._lab.take(self, blocking, timeout)

    def release(self) -> None:
        """Release the lock, as ``threading.Lock.release`` does."""
        self._lab.give(self)

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: Any) -> None:
        self.release()

    def locked(self) -> bool:
        """True while some thread holds the lock."""
        return self.count > 0

    def _is_owned(self) -> bool:            # for threading.Condition
        return self.count > 0 and self.owner is threading.current_thread()

    def _release_save(self) -> tuple:       # for Condition.wait
        return self._lab.give_all(self)

    def _acquire_restore(self, state: tuple) -> None:
        self._lab.restore(self, state)

    def __repr__(self) -> str:
        kind = "RLock" if self.reentrant else "Lock"
        return f"<kit {kind}: {self.label}>"


class Member:  # pylint: disable=too-few-public-methods
    """One test thread started by ``LockLab.start``: its label, outcome and thread."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.value: Any = None
        self.error: BaseException | None = None
        self.done = False
        self.thread: threading.Thread | None = None


# One attribute per thing a test reads after the run; grouping them would only hide that.
class LockLab:  # pylint: disable=too-many-instance-attributes
    """The locks of the module under test, and the test's own threads, for one test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, module: Any, *,
                 provoke: float = 0.0, meeting: float = 0.5, ready: str = "blocked") -> None:
        self.provoke, self.meeting, self.ready = provoke, meeting, ready
        self._cv = threading.Condition(_REAL["Lock"]())
        self._crew: dict[threading.Thread, Member] = {}
        self._held: dict[threading.Thread, list[_Tracked]] = {}
        self._waiting: dict[threading.Thread, tuple[_Tracked, bool]] = {}
        self._provoked: set[threading.Thread] = set()
        self._met: set[threading.Thread] = set()
        self._closed = False
        self.locks: list[_Tracked] = []
        self.deadlocks: list[str] = []
        self.leaks: list[str] = []
        self.meet_timeouts = 0
        self.stale: list[str] = []              # writes that overwrote an unseen update
        self._versions: dict[int, int] = {}
        self._seen: dict[tuple, int] = {}
        self._writers: dict[int, list] = {}
        self.someone_met = threading.Event()
        self._patch(monkeypatch, module)

    # -- the module's namespace ------------------------------------------------------------

    def _patch(self, monkeypatch: pytest.MonkeyPatch, module: Any) -> None:
        lab = self

        def lock() -> _Tracked:
            return lab.new_lock(False)

        def rlock() -> _Tracked:
            return lab.new_lock(True)

        def condition(base: Any = None) -> Any:
            return _REAL["Condition"](lab.new_lock(True) if base is None else base)

        replacements = {"Lock": lock, "RLock": rlock, "Condition": condition}
        view = module_view(threading, **replacements)
        for name, value in list(vars(module).items()):
            if value is threading:
                monkeypatch.setattr(module, name, view)
            for real_name, real in _REAL.items():
                if value is real:
                    monkeypatch.setattr(module, name, replacements[real_name])

    def new_lock(self, reentrant: bool) -> _Tracked:
        """A lock the lab keeps the books of."""
        made = _Tracked(self, reentrant)
        with self._cv:
            self.locks.append(made)
        return made

    def label(self, account: Any) -> None:
        """Name the locks ``account`` keeps in its attributes after it: "a's lock"."""
        for value in vars(account).values():
            lock = getattr(value, "_lock", value)       # a Condition's lock
            if isinstance(lock, _Tracked):
                lock.label = f"{account.name}'s lock"

    # -- the test's threads ----------------------------------------------------------------

    def team(self, *jobs: tuple) -> list[Member]:
        """Start a test thread per ``(label, func, *args)``, all known before any starts."""
        members = [self.start(label, func, *args, begin=False) for label, func, *args in jobs]
        for member in members:
            self.begin(member)
        return members

    def begin(self, member: Member) -> None:
        """Start the thread of a member made with ``start(..., begin=False)``."""
        assert member.thread is not None
        member.thread.start()

    def start(self, label: str, func: Callable[..., Any], *args: Any,
              begin: bool = True) -> Member:
        """Run ``func(*args)`` in a daemon test thread; ``begin=False``: only get it ready.

        Test threads that must wait for each other (``provoke``, ``meet``) must all
        be known before the first starts: use ``team``, or ``begin=False``.
        """
        member = Member(label)

        def target() -> None:
            try:
                member.value = func(*args)
            except BaseException as exc:  # pylint: disable=broad-exception-caught
                member.error = exc
            finally:
                with self._cv:
                    member.done = True
                    self._cv.notify_all()

        thread = threading.Thread(target=target, daemon=True, name=f"kit {label}")
        member.thread = thread
        with self._cv:
            self._crew[thread] = member
        if begin:
            thread.start()
        return member

    def finish(self, timeout: float) -> list[Member]:
        """Join every test thread within one deadline; return those still running."""
        deadline = time.monotonic() + timeout
        members = list(self._crew.values())
        for member in members:
            if member.thread is not None and member.thread.ident is not None:
                member.thread.join(max(0.0, deadline - time.monotonic()))
        return [m for m in members if not m.done]

    def close(self) -> None:
        """End the test: a test thread still waiting for a lab lock raises Deadlock."""
        with self._cv:
            self._closed = True
            self._cv.notify_all()

    def _name(self, thread: threading.Thread | None) -> str:
        if thread is None:
            return "nobody"
        member = self._crew.get(thread)
        return member.label if member is not None else thread.name

    # -- the books -------------------------------------------------------------------------

    def take(self, lock: _Tracked, blocking: bool = True, timeout: float = -1) -> bool:
        """``lock.acquire``: wait for it, raise Deadlock when the wait could never end."""
        me = threading.current_thread()
        if not blocking:
            timeout = 0
        deadline = None if timeout is None or timeout < 0 else time.monotonic() + timeout
        with self._cv:
            if lock.reentrant and lock.owner is me:
                lock.count += 1
                return True
            try:
                while lock.count:
                    if self._closed:
                        raise Deadlock(f"{self._name(me)} still waited for {lock.label} "
                                       "when the test ended")
                    left = None if deadline is None else deadline - time.monotonic()
                    if left is not None and left <= 0:
                        return False
                    self._waiting[me] = (lock, left is not None)
                    orphan = self._orphan(me, lock) if left is None else ""
                    if orphan:
                        self.leaks.append(orphan)
                        raise Deadlock(orphan)
                    circle = self._circle(me)
                    if circle:
                        self.deadlocks.append(circle)
                        raise Deadlock(circle)
                    self._cv.notify_all()
                    # Look again now and then: a thread the lab did not start may end
                    # holding the lock, and nobody tells the lab.
                    self._cv.wait(0.1 if left is None else min(left, 0.1))
            finally:
                if self._waiting.pop(me, None) is not None:
                    self._cv.notify_all()
            lock.owner, lock.count = me, 1
            mine = self._held.setdefault(me, [])
            mine.append(lock)
            self._cv.notify_all()
            if (self.provoke and me in self._crew and me not in self._provoked
                    and len(mine) == 1):
                self._provoked.add(me)
                self._cv.wait_for(lambda: self._others(me, holding=True), self.provoke)
        return True

    def give(self, lock: _Tracked) -> None:
        """``lock.release``."""
        me = threading.current_thread()
        with self._cv:
            if not lock.count or (lock.reentrant and lock.owner is not me):
                raise RuntimeError("release unlocked lock" if not lock.count
                                   else "cannot release un-acquired lock")
            lock.count -= 1
            if not lock.count:
                self._drop(lock)

    def give_all(self, lock: _Tracked) -> tuple:
        """Release ``lock`` completely (Condition.wait); return what restores it."""
        with self._cv:
            state = (lock.count, lock.owner)
            lock.count = 0
            self._drop(lock)
        return state

    def restore(self, lock: _Tracked, state: tuple) -> None:
        """Take ``lock`` again after Condition.wait, with the count it had."""
        self.take(lock)
        with self._cv:
            lock.count = state[0]

    def _drop(self, lock: _Tracked) -> None:
        held = self._held.get(lock.owner) if lock.owner is not None else None
        if held is not None and lock in held:
            held.remove(lock)
        lock.owner = None
        self._cv.notify_all()

    def _orphan(self, me: threading.Thread, lock: _Tracked) -> str:
        """'x waits for a's lock, held by y, which ended without releasing it'; else ''."""
        owner = lock.owner
        if owner is None or owner is me:
            return ""
        member = self._crew.get(owner)
        ended = member.done if member is not None else not owner.is_alive()
        if not ended:
            return ""
        return (f"{self._name(me)} waits for {lock.label}, held by {self._name(owner)}, "
                "which has ended without releasing it")

    def _circle(self, me: threading.Thread) -> str:
        """'x waits for a's lock, held by y; y waits for ..., held by x' when it closes; else ''."""
        steps, thread, seen = [], me, set()
        while True:
            entry = self._waiting.get(thread)
            if entry is None or entry[1]:
                return ""                   # not waiting, or a timed wait: it will end
            lock = entry[0]
            owner = lock.owner
            if owner is None:
                return ""
            seen.add(thread)
            if owner is thread:
                steps.append(f"{self._name(thread)} waits for {lock.label}, which it holds "
                             "itself (a Lock is not re-entrant)")
            else:
                steps.append(f"{self._name(thread)} holds "
                             f"{self._describe(self._held.get(thread, []))} and waits for "
                             f"{lock.label}, held by {self._name(owner)}")
            if owner is me:
                return "; ".join(steps)
            if owner in seen:
                return ""                   # a circle not through me: its closer reports it
            thread = owner

    @staticmethod
    def _describe(locks: list[_Tracked]) -> str:
        return " and ".join(lock.label for lock in locks) or "no lock"

    def blocked(self, thread: threading.Thread) -> bool:
        """True while ``thread`` waits for a lab lock."""
        with self._cv:
            return thread in self._waiting

    # -- meeting points --------------------------------------------------------------------

    def _others(self, me: threading.Thread, holding: bool = False) -> bool:
        """Every other test thread ended, met, waits for a lock (or, ``holding``, holds one)."""
        for thread, member in self._crew.items():
            if thread is me or member.done:
                continue
            if self.ready == "done" and not holding:
                return False
            if thread in self._met or thread in self._waiting:
                continue
            if holding and self._held.get(thread):
                continue
            return False
        return True

    def read(self, account: Any) -> None:
        """A thread read ``account``'s balance: note which version of it."""
        me = threading.current_thread()
        with self._cv:
            self._seen[(me, id(account))] = self._versions.get(id(account), 0)

    def wrote(self, account: Any) -> None:
        """A thread wrote ``account``'s balance: stale if another wrote since its last read."""
        me = threading.current_thread()
        with self._cv:
            key = id(account)
            seen = self._seen.get((me, key))
            writers = self._writers.setdefault(key, [])
            if seen is not None and seen != self._versions.get(key, 0) and me in self._crew:
                other = writers[-1] if writers else None
                self.stale.append(f"{self._name(me)} wrote {account.name}'s balance computed "
                                  f"from a value read before {self._name(other)} changed it")
            self._versions[key] = self._versions.get(key, 0) + 1
            writers.append(me)
            del writers[:-1]
            self._seen[(me, key)] = self._versions[key]

    def meet(self) -> None:
        """Stop the calling test thread once until the others are ready (bounded)."""
        me = threading.current_thread()
        with self._cv:
            if me not in self._crew or me in self._met:
                return
            self._met.add(me)
            self.someone_met.set()
            self._cv.notify_all()
            if not self._cv.wait_for(lambda: self._others(me), self.meeting):
                self.meet_timeouts += 1


def watched(account_class: type, lab: LockLab, *, meet_reads: Any = (),
            meet_writes: bool = False, slow: bool = False) -> type:
    """A subclass of the student's Account whose ``balance`` is a property.

    Reads of the accounts in ``meet_reads`` (names, or the accounts themselves in
    a list the test fills later) call ``lab.meet()`` after the
    value is taken (so two threads that met both hold the same old value);
    with ``meet_writes`` the first write of a test thread meets after it is
    stored (a transfer stopped half done). Every read and write is noted: a
    write computed from a value another thread has overwritten since is kept
    in ``lab.stale`` (a lost update, whatever the sums say). ``slow`` offers a thread switch at
    every read and write, as in ``probes.slowed``. Each new account's locks
    are labelled with its name.
    """

    class Watched(account_class):
        """The student's Account, with a watched balance."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            lab.label(self)

        @property
        def balance(self) -> Any:
            """The balance, read where the test says."""
            if slow:
                real_sleep(0)
            value = self.__dict__.get("_kit_balance", 0)
            lab.read(self)
            if any(key is self or key == self.name for key in meet_reads):
                lab.meet()
            return value

        @balance.setter
        def balance(self, new: Any) -> None:
            if slow:
                real_sleep(0)
            self.__dict__["_kit_balance"] = new
            lab.wrote(self)
            if meet_writes:
                lab.meet()

    Watched.__name__ = Watched.__qualname__ = account_class.__name__
    return Watched


@contextlib.contextmanager
def lab_running(module: Any, **options: Any) -> Iterator[LockLab]:
    """A ``LockLab`` on ``module`` for a with block; at its end, stragglers are woken."""
    with pytest.MonkeyPatch.context() as patch:
        lab = LockLab(patch, module, **options)
        try:
            yield lab
        finally:
            lab.close()


DEADLOCK = ("transfer(a, b) holds a's lock and waits for b's while transfer(b, a) holds "
            "b's and waits for a's: take the two locks in one fixed order (say by id() "
            "of the account), whatever the direction of the transfer.")


def call(func, *args, timeout: float = 2.0):
    """``func(*args)`` in a daemon thread; fail if it does not return within ``timeout``."""
    background = Background(func, *args)
    if not background.finished_within(timeout):
        fail(f"{func.__name__}{args!r} {not_returned(background, timeout)}: is it waiting "
             "for a lock that nobody will release?")
    return background.result()


def raises(func, *args, timeout: float = 2.0) -> BaseException | None:
    """What ``func(*args)`` raised (None when it returned), run in a bounded thread."""
    background = Background(func, *args)
    if not background.finished_within(timeout):
        fail(f"{func.__name__}{args!r} {not_returned(background, timeout)}: is it waiting "
             "for a lock that nobody will release?")
    return background.error


def ending(member: Member) -> str:
    """How a test thread's call ended, for a message: 'raised X(...)' / 'returned 3'."""
    if not member.done:
        return "is still running"
    if member.error is not None:
        return f"raised {describe_exception(member.error)}"
    return f"returned {member.value!r}"


def finish(lab: LockLab, members: list[Member], deadlock: str = DEADLOCK,
           allowed: tuple = (), timeout: float = 5.0) -> None:
    """Fail on a deadlock, a thread still running, or an error not in ``allowed``."""
    stuck = lab.finish(timeout)
    if lab.leaks:
        fail(f"a lock was left held: {lab.leaks[0]}. `with` releases a lock on every way "
             "out, errors included; acquire() without release() in `finally:` does not.")
    if lab.deadlocks:
        fail(f"deadlock: {deadlock} (Here: {lab.deadlocks[0]}.)")
    if stuck:
        fail(f"{', '.join(m.label for m in stuck)} did not finish within {timeout} s: "
             "a lock stayed held, or the threads deadlocked.")
    for member in members:
        if isinstance(member.error, NotImplementedError):
            raise member.error
        if member.error is not None and not isinstance(member.error, allowed):
            if isinstance(member.error, Deadlock):
                fail(f"deadlock: {deadlock} (Here: {member.error}.)")
            fail(f"{member.label} raised {describe_exception(member.error)}.")
