"""Visible tests of topic 12, bounded_buffer: run `make check T=bounded_buffer`."""

from __future__ import annotations

import queue
import threading
import time

import pytest

from bounded_buffer_probes import Actor, ConditionSpy, Timed
from probes import (Background, SleepSpy, check_silent_import, describe_exception,
                    expect, fail, not_returned, outcome, real_sleep)


def run(func, *args, within: float = 1.0, what: str = "", **kwargs):
    """``func(*args, **kwargs)`` in a daemon thread; fail unless it returns within ``within`` s."""
    call = Background(func, *args, **kwargs)
    if not call.finished_within(within):
        fail(f"{what or func.__name__ + '()'} {not_returned(call, within)}: it waits "
             "for something that never comes (is the buffer really full or empty there?).")
    if call.error is not None:
        fail(f"{what or func.__name__ + '()'} raised {describe_exception(call.error)}.")
    return call.value


def fill(buffer, *items) -> None:
    """Put ``items`` one by one, each put bounded."""
    for item in items:
        run(buffer.put, item, what=f"put({item!r}) with {len(buffer)} item(s) in the buffer")


def waiting_in(spy: ConditionSpy, call: Background, what: str, timeout: float = 1.0) -> None:
    """Fail unless ``call`` is blocked inside Condition.wait() within ``timeout`` s."""
    inside = spy.until(lambda: spy.is_waiting(call.thread) or call.done, timeout)
    if call.done:
        fail(f"{what} {outcome(call)} instead of waiting.")
    if not spy.conditions:
        fail("BoundedBuffer made no threading.Condition: the contract asks you to build the "
             "buffer on threading.Condition (not queue.Queue, not sleep loops).")
    expect(inside, f"{what} did not call wait() on the Condition within "
           f"{timeout} s: a blocked call must sleep in Condition.wait() (or wait_for), not "
           "poll with time.sleep.")


@pytest.mark.concept("fifo_exactly_once")
@pytest.mark.points(2)
def test_items_come_out_oldest_first_falsy_ones_too(mod):
    buffer = mod.BoundedBuffer(5)
    expect(len(buffer) == 0, f"len() of a new buffer is {len(buffer)!r}, not 0.")
    items = ["a", None, 0, "", "e"]
    fill(buffer, *items)
    expect(len(buffer) == 5, f"len() after 5 puts is {len(buffer)!r}, not 5.")
    got = [run(buffer.get, what=f"get() number {n + 1} after putting {items!r}")
           for n in range(5)]
    expect(got == items, f"put {items!r} then got {got!r}: get() must return the OLDEST "
           "item first (popleft / pop(0), not pop()), and None, 0 and '' are items like "
           "any other (don't use None as 'no item').")
    expect(len(buffer) == 0, f"len() after getting every item is {len(buffer)!r}, not 0.")


@pytest.mark.concept("capacity_blocks_putter")
def test_a_capacity_below_one_is_rejected(mod):
    for capacity in (0, -2):
        try:
            mod.BoundedBuffer(capacity)
        except ValueError:
            continue
        except Exception as exc:  # pylint: disable=broad-exception-caught
            fail(f"BoundedBuffer({capacity}) raised {describe_exception(exc)}, not ValueError.")
        fail(f"BoundedBuffer({capacity}) raised nothing: a capacity below 1 is a ValueError.")


@pytest.mark.concept("capacity_blocks_putter")
@pytest.mark.points(3)
def test_a_put_on_a_full_buffer_waits_for_a_get(mod, monkeypatch):
    spy = ConditionSpy(monkeypatch, mod)
    buffer = spy.watch(mod.BoundedBuffer(2))
    fill(buffer, "a", "b")
    putter = Background(buffer.put, "c")
    waiting_in(spy, putter, "put('c') on a full buffer (capacity 2, 2 items)")
    expect(len(buffer) == 2, f"len() is {len(buffer)} while put('c') waits, not 2.")
    first = run(buffer.get, what="get() on a full buffer")
    expect(first == "a", f"get() returned {first!r}, expected the oldest item 'a'.")
    expect(putter.finished_within(1.0), "put('c') still waited 1 s after a get() made room: "
           "get() must notify a waiting putter.")
    expect(putter.error is None, f"put('c') {outcome(putter)}.")
    rest = [run(buffer.get), run(buffer.get)]
    expect(rest == ["b", "c"], f"then get() twice returned {rest!r}, not ['b', 'c'].")


@pytest.mark.concept("wait_in_while_loop")
@pytest.mark.points(3)
def test_a_woken_getter_that_finds_nothing_waits_again(mod, monkeypatch):
    # notify() here wakes EVERY waiter, as Python's docs allow: both getters
    # wake for one item, and the one that comes second must wait again.
    spy = ConditionSpy(monkeypatch, mod, wake_all=True)
    buffer = spy.watch(mod.BoundedBuffer(2))
    getters = [Background(buffer.get), None]
    waiting_in(spy, getters[0], "get() on an empty buffer")
    getters[1] = Background(buffer.get)
    waiting_in(spy, getters[1], "a second get() on an empty buffer")
    run(buffer.put, "x", what="put('x') with two getters waiting")
    spy.until(lambda: any(g.done for g in getters)
              and all(g.done or spy.waits_of(g.thread) >= 2 for g in getters), 1.0)
    errors = [g for g in getters if g.error is not None]
    if errors:
        fail(f"two getters waited on an empty buffer; one put woke both (Condition.notify "
             f"may wake more than one thread); one of them then {outcome(errors[0])}: "
             "after wait() returns, check again in a `while` loop (or use wait_for): "
             "`if empty: wait()` trusts a wake-up that promises nothing.")
    done = [g.value for g in getters if g.done]
    expect(done == ["x"], f"one put('x') with two getters waiting: the getters returned "
           f"{done!r}, expected exactly one to return 'x' and the other to wait again.")
    late = next(g for g in getters if not g.done)
    run(buffer.put, "y", what="put('y') with one getter waiting")
    expect(late.finished_within(1.0) and late.value == "y", f"the getter that had to wait "
           f"again then {outcome(late)} after put('y'), expected it to return 'y'.")


@pytest.mark.concept("notify_wakes_waiter")
@pytest.mark.points(2)
def test_put_and_get_wake_the_other_side(mod, monkeypatch):
    spy = ConditionSpy(monkeypatch, mod)
    buffer = spy.watch(mod.BoundedBuffer(1))
    getter = Background(buffer.get)
    waiting_in(spy, getter, "get() on an empty buffer")
    run(buffer.put, "x", what="put('x') with a getter waiting")
    expect(getter.finished_within(1.0), "a getter waiting on an empty buffer still slept 1 s "
           "after put('x'): put must notify the Condition the getters wait on (a missing "
           f"notify(), or a notify on the other Condition; {spy.notifies} notify call(s) "
           "seen).")
    expect(getter.value == "x", f"the waiting get() {outcome(getter)}, expected 'x'.")
    fill(buffer, "y")
    putter = Background(buffer.put, "z")
    waiting_in(spy, putter, "put('z') on a full buffer")
    got = run(buffer.get, what="get() with a putter waiting")
    expect(got == "y", f"get() returned {got!r}, expected 'y'.")
    expect(putter.finished_within(1.0), "a putter waiting on a full buffer still slept 1 s "
           "after a get() made room: get must notify the Condition the putters wait on.")
    expect(putter.error is None, f"the waiting put('z') {outcome(putter)}.")
    expect(run(buffer.get) == "z", "the item of the woken put('z') did not come out next.")


def cpu_seconds(thread: threading.Thread) -> float:
    """CPU time used so far by ``thread`` (0.0 once it has ended)."""
    try:
        return time.clock_gettime(time.pthread_getcpuclockid(thread.ident))
    except OSError:
        return 0.0


@pytest.mark.concept("waits_not_spins")
@pytest.mark.points(2)
def test_a_blocked_get_sleeps_in_wait(mod, monkeypatch):
    spy = ConditionSpy(monkeypatch, mod)
    sleeps = SleepSpy(monkeypatch, mod)
    buffer = spy.watch(mod.BoundedBuffer(1))
    getter = Background(buffer.get)
    real_sleep(0.3)                          # the window we watch the blocked getter in
    expect(not getter.done, f"get() on an empty buffer {outcome(getter)} instead of waiting.")
    calls, cpu = spy.calls_by(getter.thread), cpu_seconds(getter.thread)
    slept = sleeps.by_threads({getter.thread.ident})
    run(buffer.put, "x", what="put('x') with a getter waiting")
    expect(getter.finished_within(1.0) and getter.value == "x",
           f"after put('x') the waiting get() {outcome(getter)}, expected 'x'.")
    expect(not slept, f"while the buffer was empty, get() called time.sleep "
           f"{len(slept)} time(s) in 0.3 s: that is polling. Wait on the Condition: "
           "wait() sleeps until a put notifies.")
    expect(calls <= 20, f"while the buffer was empty, get() called wait() or took the lock "
           f"{calls} times in 0.3 s: that is polling (tiny wait timeouts in a loop). One "
           "wait() (timeout None) sleeps until a put notifies.")
    expect(cpu < 0.1, f"a get() blocked on an empty buffer used {cpu:.2f} s of CPU in 0.3 s: "
           "it spins. Wait on the Condition instead.")


@pytest.mark.concept("timeout_one_deadline")
@pytest.mark.points(2)
def test_timeouts_raise_full_and_empty(mod):
    full, empty = mod.BoundedBuffer(1), mod.BoundedBuffer(1)
    fill(full, "x")
    putter = Timed(full.put, "y", timeout=0.3)
    getter = Timed(empty.get, timeout=0.3)
    for name, timed, error in (("put('y', timeout=0.3) on a full buffer", putter, queue.Full),
                               ("get(timeout=0.3) on an empty buffer", getter, queue.Empty)):
        expect(timed.call.finished_within(2.5), f"{name} had not returned after 2.5 s: the "
               "timeout must end the wait (pass it on to wait / wait_for).")
        expect(isinstance(timed.call.error, error), f"{name} {outcome(timed.call)}; it must "
               f"raise queue.{error.__name__} when the time is up.")
        expect(timed.elapsed >= 0.29, f"{name} raised after {timed.elapsed:.3f} s, before "
               "its timeout of 0.3 s.")
    expect(len(full) == 1 and run(full.get) == "x" and len(empty) == 0,
           "a put or get that timed out changed the buffer.")


@pytest.mark.concept("timeout_one_deadline")
@pytest.mark.points(2)
def test_a_timeout_is_one_deadline_across_wake_ups(mod, monkeypatch):
    # The test wakes the getter every 20 ms without putting anything, as other
    # threads' notify_all calls would: it must wait again, for what is LEFT.
    spy = ConditionSpy(monkeypatch, mod)
    buffer = spy.watch(mod.BoundedBuffer(1))
    getter = Timed(buffer.get, timeout=0.3)
    give_up = time.monotonic() + 1.5
    while not getter.call.finished_within(0.02) and time.monotonic() < give_up:
        spy.poke()
    expect(getter.call.done, "get(timeout=0.3) on an empty buffer had not returned after "
           "1.5 s while the Condition was woken every 20 ms: each wake-up restarted the "
           "full timeout. Keep one deadline (time.monotonic() + timeout) and wait for what "
           "is left, or use wait_for(predicate, timeout).")
    expect(isinstance(getter.call.error, queue.Empty),
           f"get(timeout=0.3) on an empty buffer {outcome(getter.call)}; expected "
           "queue.Empty (a wake-up with the buffer still empty is no item).")
    expect(getter.elapsed >= 0.29, f"get(timeout=0.3) gave up after {getter.elapsed:.3f} s: "
           "a wake-up before the deadline is no reason to stop; check again and wait for "
           "the time that is left.")


@pytest.mark.concept("per_thread_stats")
@pytest.mark.points(2)
def test_stats_count_the_calling_threads_calls(mod):
    buffer = mod.BoundedBuffer(5)
    with Actor() as me:                     # one thread of ours, step by step

        def my(step, what: str):
            box = me.call(step)
            expect(box, f"{what} did not return within 1 s (room for 5, so nothing should "
                   "block here).")
            if "error" in box:
                fail(f"{what} raised {describe_exception(box['error'])}.")
            return box["value"]

        my(lambda: [buffer.put("a"), buffer.put("b"), buffer.get()], "put, put, get")
        mine = my(buffer.stats, "stats()")
        expect(mine == {"put": 2, "got": 1}, f"after 2 puts and 1 get, stats() is {mine!r}, "
               "expected {'put': 2, 'got': 1}.")

        def other_thread():
            for item in "cde":
                buffer.put(item)
            buffer.get()
            buffer.get()
            return buffer.stats()

        theirs = run(other_thread, what="another thread's 3 puts and 2 gets")
        expect(theirs == {"put": 3, "got": 2}, f"another thread did 3 puts and 2 gets; its "
               f"stats() is {theirs!r}, expected {{'put': 3, 'got': 2}}: count per thread in "
               "a threading.local (attributes set in __init__ exist only in the thread that "
               "ran it).")
        mine = my(buffer.stats, "stats()")
        expect(mine == {"put": 2, "got": 1}, f"after another thread's calls my stats() is "
               f"{mine!r}, still expected {{'put': 2, 'got': 1}}: another thread's calls must "
               "never show - keep the counts in a threading.local, not a shared dict.")
        other = my(lambda: mod.BoundedBuffer(2).stats(), "stats() of a new buffer")
        expect(other == {"put": 0, "got": 0}, f"in the same thread, a second buffer's stats() "
               f"is {other!r}, expected {{'put': 0, 'got': 0}}: each buffer keeps its own "
               "counts (a threading.local made in __init__, not one for the module).")
    fresh = run(buffer.stats, what="stats() in a new thread")
    expect(fresh == {"put": 0, "got": 0}, f"stats() in a thread that never used the buffer "
           f"is {fresh!r}, expected {{'put': 0, 'got': 0}}.")


@pytest.mark.concept("import_is_silent")
def test_importing_the_module_is_silent(mod, target_dir):
    check_silent_import(target_dir, "bounded_buffer", lambda: len(mod.BoundedBuffer(2)))
