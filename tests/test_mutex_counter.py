"""Visible tests of topic 3, mutex_counter: run `make check T=mutex_counter`."""

from __future__ import annotations

import threading
import time

import pytest

from probes import (Background, ThreadEndings, check_silent_import,
                    describe_exception, expect, fail,
                    real_sleep, slowed)
from schedule import Schedule


def increment_together(counter, n_threads: int, n_increments: int) -> list[BaseException]:
    """The test's own threads, released together, each incrementing n times."""
    gate = threading.Barrier(n_threads, timeout=10)
    errors: list[BaseException] = []

    def work():
        try:
            gate.wait()
            for _ in range(n_increments):
                counter.increment()
        except BaseException as exc:  # pylint: disable=broad-exception-caught
            errors.append(exc)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    return errors


@pytest.mark.concept("counter_on_instance")
def test_counter_starts_at_zero_and_adds(mod):
    counter = mod.Counter()
    expect(counter.value == 0, f"a new Counter has value {counter.value!r}, not 0.")
    counter.increment()
    counter.increment(5)
    expect(counter.value == 6, f"after increment() and increment(5) value is "
           f"{counter.value!r}, not 6.")


@pytest.mark.concept("one_lock_across_read_write")
@pytest.mark.points(4)
def test_no_update_is_lost_under_contention(mod, monkeypatch):
    # The schedule pairs up threads that create a lock at the same time, so a
    # lock made lazily inside increment races on every run, not once in a thousand.
    schedule = Schedule(monkeypatch, mod, race_creation=True)
    counter = slowed(mod.Counter, schedule)()
    errors = increment_together(counter, 8, 250)
    expect(not errors, f"increment raised {describe_exception(errors[0]) if errors else ''}")
    check_none_lost(counter, 8 * 250, schedule)


def check_none_lost(counter, updates: int, schedule: Schedule) -> None:
    """Fail unless ``counter`` holds ``updates``; name a lock created inside increment."""
    lost = updates - counter.value
    if lost and schedule.creation_races:
        fail(f"the counter lost {lost:,} of {updates:,} updates: two threads created a "
             "lock at the same time while incrementing, so each held its own lock and "
             "both read the same value. Create the lock once, in __init__, before any "
             "thread can call increment: `if self._lock is None: self._lock = Lock()` "
             "inside increment is itself a race (check-then-act).")
    expect(lost == 0, f"the counter lost {lost:,} of {updates:,} updates: two threads read "
           "the same value before either wrote it back. Is the whole read-modify-write "
           "inside one `with lock:`, with one lock shared by every call (created in "
           "__init__, not inside increment)?")


@pytest.mark.concept("lock_released_on_error")
@pytest.mark.points(2)
def test_failed_addition_propagates_and_releases_the_lock(mod):
    counter = mod.Counter()
    try:
        counter.increment("x")
    except TypeError:
        pass
    except Exception as exc:  # pylint: disable=broad-exception-caught
        fail(f"increment('x') raised {describe_exception(exc)}; expected the TypeError "
             "of 0 + 'x' to propagate.")
    else:
        fail("increment('x') raised nothing: the TypeError of the addition must "
             "propagate to the caller, not be swallowed.")
    later = Background(counter.increment, 5)       # another thread: an RLock won't help
    if not later.finished_within(1.0):
        fail("after increment('x') raised, the next increment() hung: the lock was "
             "never released. `with lock:` releases it even when the body raises.")
    later.result()
    expect(counter.value == 5, f"after a failed increment('x') and increment(5), value is "
           f"{counter.value!r}, not 5.")


def hammer_held(mod, counter, n_threads: int, n_increments: int):
    """hammer(...) with the work of every thread but the last started held until it returns.

    Each such thread's first increment waits for hammer to return (0.3 s at
    most). A hammer that joins every thread waits that out once; one that joins
    only the thread left in its loop variable, or none, reads the counter
    before the held threads did any work - every time, not only when they
    happen to be slower than its return. ``counter`` has a ``schedule``
    attribute its increment calls ``hold_work`` on (see ``held``).
    """
    with pytest.MonkeyPatch.context() as patch:
        counter.schedule = Schedule(patch, mod, quick=n_threads - 1)
        return counter.schedule.call(mod.hammer, counter, n_threads, n_increments)


def held(counter_class):
    """A subclass of the student's Counter whose increment first offers ``hold_work``."""
    class Held(counter_class):
        """The student's Counter, held as ``hammer_held`` explains."""

        schedule: Schedule | None = None

        def increment(self, *args, **kwargs):
            """The student's increment, after the schedule's hold."""
            if self.schedule is not None:
                self.schedule.hold_work(0.3)
            return super().increment(*args, **kwargs)

    return Held


# One attribute per thing the tests check or the spy needs to keep its threads together.
class SpyCounter:  # pylint: disable=too-many-instance-attributes
    """A stand-in counter that records which threads call increment, and when."""

    def __init__(self, n_threads: int, start: int = 100, pause: float = 0.0,
                 meet: bool = True) -> None:
        self._lock = threading.Lock()
        self.schedule: Schedule | None = None     # set by hammer_held
        # With ``meet``, each thread's first increment waits for all the others.
        self._gate = threading.Barrier(n_threads if meet else 1, timeout=3.0)
        # Keyed by Thread object, kept alive here: the ident of a finished
        # thread is reused, which made threads run one after another count as one.
        self._entered: set[threading.Thread] = set()
        self.value = start
        self.pause = pause
        self.per_thread: dict[threading.Thread, int] = {}
        self.together = True
        self.endings = ThreadEndings(linger=0.1)

    def increment(self, amount: int = 1) -> None:
        """Add ``amount``, noting who called; a thread's first call waits for all the others."""
        me = threading.current_thread()
        with self._lock:
            first = me not in self._entered
            self._entered.add(me)
        if first:
            self.endings.mark()
            try:
                self._gate.wait()       # every hammer thread must be alive at once
            except threading.BrokenBarrierError:
                self.together = False
        if self.schedule is not None:
            self.schedule.hold_work(0.3)
        if self.pause:
            time.sleep(self.pause)
        with self._lock:
            self.value += amount
            self.per_thread[me] = self.per_thread.get(me, 0) + 1

    def settle(self, calls: int, timeout: float) -> None:
        """Wait until ``calls`` increments landed, the gate broke, or ``timeout`` passed.

        For checks of the threads' work that must not depend on whether the
        code under test waited for its threads (another test checks that).
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.together:
            with self._lock:
                if sum(self.per_thread.values()) >= calls:
                    return
            real_sleep(0.005)


@pytest.mark.concept("threads_run_together")
@pytest.mark.points(2)
def test_hammer_runs_its_threads_at_the_same_time(mod):
    spy = SpyCounter(4)
    call = Background(mod.hammer, spy, 4, 5)
    expect(call.finished_within(15.0), "hammer(counter, 4, 5) did not return within 15 s.")
    spy.settle(20, 5.0)
    expect(spy.together, "hammer's threads were not all alive at the same time: start "
           "them all first, then join them all (start + join in one loop runs them "
           "one after another).")
    expect(len(spy.per_thread) == 4, f"increment was called from {len(spy.per_thread)} "
           "threads, expected 4.")
    call.result()


@pytest.mark.concept("join_every_thread")
@pytest.mark.points(2)
def test_hammer_waits_for_its_threads(mod):
    spy = SpyCounter(3, pause=0.01, meet=False)
    value = hammer_held(mod, spy, 3, 6)
    expect(spy.endings.still_running == 0 and sum(spy.per_thread.values()) == 18,
           "hammer returned before its threads had finished: join() every thread "
           "before reading counter.value.")
    expect(value == 118, f"hammer returned {value!r}; the counter (starting at 100) "
           "holds 118 after 3 threads x 6 increments - return counter.value.")


@pytest.mark.concept("hammer_returns_the_count")
@pytest.mark.points(2)
def test_hammer_counts_right(mod):
    spy = SpyCounter(3, start=7, meet=False)
    value = hammer_held(mod, spy, 3, 4)
    counts = sorted(spy.per_thread.values())
    expect(counts == [4, 4, 4], f"each of 3 threads called increment {counts} times, "
           "expected 4 each.")
    expect(value == 19, f"hammer returned {value!r}, but the counter holds 19 "
           "(it started at 7): return counter.value, not a count of your own.")
    real = held(mod.Counter)()
    expect(hammer_held(mod, real, 4, 250) == 1000,
           "hammer(Counter(), 4, 250) did not return 1000.")


@pytest.mark.concept("join_every_thread")
@pytest.mark.points(2)
def test_hammer_joins_every_thread(mod):
    # Each of hammer's threads but one stays alive a while after its last
    # increment (until hammer returns, 0.3 s at most); the one that ends at
    # once is the last started, then the first: joining only the thread left
    # in the loop variable returns while the others still live, every time.
    for quick in (3, 0):
        with pytest.MonkeyPatch.context() as patch:
            schedule = Schedule(patch, mod, linger=0.3, quick=quick)
            value = schedule.call(mod.hammer, mod.Counter(), 4, 5)
        alive = len(schedule.alive_at_return)
        expect(len(schedule.started) == 4, f"hammer(counter, 4, 5) started "
               f"{len(schedule.started)} threads, expected 4.")
        expect(alive == 0, f"hammer returned while {alive} of its 4 threads were still "
               "running: join() every thread (a second loop over all of them), not only "
               "the one left in the loop variable after the first loop.")
        expect(value == 20, f"hammer(Counter(), 4, 5) returned {value!r}, expected 20.")


class Interrupt(BaseException):
    """Not an Exception: `except Exception` does not see it, `with lock:` still releases."""


class Explosive:
    """An amount whose addition raises Interrupt: ``0 + Explosive()`` calls __radd__."""

    def __radd__(self, other):
        raise Interrupt("the addition was interrupted")

    __add__ = __radd__


@pytest.mark.concept("lock_released_on_error")
def test_any_exception_in_the_addition_releases_the_lock(mod):
    counter = mod.Counter()
    try:
        counter.increment(Explosive())
    except Interrupt:
        pass
    except BaseException as exc:  # pylint: disable=broad-exception-caught
        fail(f"increment(amount) raised {describe_exception(exc)}; the amount's own "
             "exception must propagate unchanged.")
    else:
        fail("the addition raised, yet increment returned normally: let it propagate.")
    later = Background(counter.increment, 2)
    expect(later.finished_within(1.0), "after an addition that raised a BaseException "
           "(not an Exception), the next increment() hung: the lock stayed held. "
           "`with lock:` (or release() in `finally:`) releases it whatever is raised; "
           "`except Exception: release()` does not.")
    later.result()
    expect(counter.value == 2, f"value is {counter.value!r} after a failed increment and "
           "increment(2), not 2.")


@pytest.mark.concept("import_is_silent")
def test_importing_the_module_is_silent(mod, target_dir):
    check_silent_import(target_dir, "mutex_counter", lambda: mod.Counter().increment())
