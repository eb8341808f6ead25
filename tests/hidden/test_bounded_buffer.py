"""Hidden tests of topic 12, bounded_buffer: graded, never shipped to students."""

from __future__ import annotations

import queue
import threading
import time

import pytest

from bounded_buffer_probes import ConditionSpy, Timed
from probes import (Background, SleepSpy, describe_exception, expect, fail, not_returned, outcome,
                    real_sleep)


def run(func, *args, within: float = 1.0, what: str = "", **kwargs):
    """``func(*args, **kwargs)`` in a daemon thread; fail unless it returns within ``within`` s."""
    call = Background(func, *args, **kwargs)
    name = what or func.__name__ + "()"
    if not call.finished_within(within):
        fail(f"{name} {not_returned(call, within)}: it waits for something that never "
             "comes (is the buffer really full or empty there?).")
    if call.error is not None:
        fail(f"{name} raised {describe_exception(call.error)}.")
    return call.value


def blocked(spy: ConditionSpy, call: Background, what: str) -> None:
    """Fail unless ``call`` is blocked inside Condition.wait() within 1 s."""
    inside = spy.until(lambda: spy.is_waiting(call.thread) or call.done, 1.0)
    if call.done:
        fail(f"{what} {outcome(call)} instead of waiting.")
    expect(spy.conditions, "BoundedBuffer made no threading.Condition: build it on one.")
    expect(inside, f"{what} did not call wait() on the Condition "
           "within 1 s: wait on the Condition, do not poll.")


@pytest.mark.concept("wait_in_while_loop")
@pytest.mark.points(2)
def test_a_woken_putter_that_finds_no_room_waits_again(mod, monkeypatch):
    spy = ConditionSpy(monkeypatch, mod, wake_all=True)
    buffer = spy.watch(mod.BoundedBuffer(1))
    run(buffer.put, "a")
    putters = [Background(buffer.put, "b")]
    blocked(spy, putters[0], "put('b') on a full buffer")
    putters.append(Background(buffer.put, "c"))
    blocked(spy, putters[1], "put('c') on a full buffer")
    first = run(buffer.get, what="get() with two putters waiting")
    spy.until(lambda: any(p.done for p in putters)
              and all(p.done or spy.waits_of(p.thread) >= 2 for p in putters), 1.0)
    size = len(buffer)
    expect(first == "a" and size == 1, f"capacity 1, full; two putters waited; one get() "
           f"woke both (notify may wake more than one): now len() is {size}, not 1. A "
           "woken putter must check again in a `while` loop whether there is room.")
    expect(sum(p.done for p in putters) == 1, "one get() from a full buffer of capacity 1 "
           "let both waiting putters finish.")
    late = next(p for p in putters if not p.done)
    early_item = run(buffer.get)
    expect(late.finished_within(1.0) and late.error is None,
           f"the putter that had to wait again {outcome(late)} after a second get().")
    items = sorted([early_item, run(buffer.get)])
    expect(items == ["b", "c"], f"the two putters' items came out as {items!r}.")


@pytest.mark.concept("notify_wakes_waiter")
@pytest.mark.points(2)
def test_a_wake_up_for_putters_does_not_go_to_a_getter(mod, monkeypatch):
    # Capacity 1. Getters G1, G2 wait; put('a') wakes G1, which the test holds
    # before it runs; putters P2 and P3 then wait on the full buffer. When G1
    # takes 'a', its wake-up must reach a putter. With ONE Condition for both
    # sides and notify(), it wakes G2 (the oldest waiter), which finds nothing
    # and sleeps again - and nobody wakes the putters, ever.
    spy = ConditionSpy(monkeypatch, mod)
    buffer = spy.watch(mod.BoundedBuffer(1))
    getters = [Background(buffer.get)]
    blocked(spy, getters[0], "get() on an empty buffer")
    getters.append(Background(buffer.get))
    blocked(spy, getters[1], "a second get() on an empty buffer")
    spy.holding = True
    try:
        run(buffer.put, "a", what="put('a') with two getters waiting")
        expect(spy.until(lambda: spy.held, 1.0), "put('a') with two getters waiting woke "
               "none of them within 1 s: put must notify.")
        putters = [Background(buffer.put, "b")]
        blocked(spy, putters[0], "put('b') on a full buffer")
        putters.append(Background(buffer.put, "c"))
        blocked(spy, putters[1], "put('c') on a full buffer")
    finally:
        spy.release_held()
    calls = getters + putters
    spy.until(lambda: sum(c.done for c in calls) == 4, 1.5)
    stuck = [c for c in calls if not c.done]
    expect(not stuck, f"capacity 1: getters G1, G2 and putters P2, P3 waited at once; after "
           f"G1 took 'a', {len(stuck)} of them still waited 1.5 s later with "
           f"{len(buffer)} item(s) in the buffer. A get's wake-up went to a getter instead "
           "of a putter: with ONE Condition for both sides use notify_all(), or use two "
           "Conditions (not_empty / not_full) sharing one lock.")
    expect(all(c.error is None for c in calls) and len(buffer) == 1,
           f"with getters and putters waiting at once a call failed or the buffer ended with "
           f"{len(buffer)} item(s), not 1: {[outcome(c) for c in calls]}.")
    got, left = [g.value for g in getters], run(buffer.get)
    expect(sorted(got + [left]) == ["a", "b", "c"], f"the getters returned {got!r} and "
           f"{left!r} was left: expected 'a', 'b' and 'c' each exactly once.")


class Tally:
    """What the stress test's threads got and raised, guarded by a lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.got: list = []
        self.errors: list[BaseException] = []

    def thread(self, work, *args) -> threading.Thread:
        """A daemon thread running ``work(*args)``, its exception noted here."""
        def guarded():
            try:
                work(*args)
            except BaseException as exc:  # pylint: disable=broad-exception-caught
                with self.lock:
                    self.errors.append(exc)
        return threading.Thread(target=guarded, daemon=True)

    def consume(self, buffer, count: int) -> None:
        """``count`` gets, each item noted."""
        for _ in range(count):
            item = buffer.get()
            with self.lock:
                self.got.append(item)


def produce(buffer, first: int, count: int) -> None:
    """Put first, first + 1, ... (count items)."""
    for item in range(first, first + count):
        buffer.put(item)


@pytest.mark.concept("fifo_exactly_once")
@pytest.mark.points(2)
def test_many_producers_and_consumers_hand_over_every_item_once(mod, monkeypatch):
    # The 3 consumers first all wait on the empty buffer, and the first item
    # wakes all of them (notify may wake more than one): two must wait again.
    # Then 3 producers and the consumers hand over 119 items more.
    spy = ConditionSpy(monkeypatch, mod, wake_all=True)
    buffer = spy.watch(mod.BoundedBuffer(2))
    tally = Tally()

    def settled() -> bool:
        with tally.lock:
            return bool(tally.errors) or (len(tally.got) == 1 and sum(
                spy.waits_of(t) >= 2 and spy.is_waiting(t) for t in consumers) == 2)

    consumers = [tally.thread(tally.consume, buffer, 40) for _ in range(3)]
    for thread in consumers:
        thread.start()
    expect(spy.until(lambda: all(spy.is_waiting(t) for t in consumers), 1.0),
           "3 get() calls on an empty buffer were not all waiting in Condition.wait() "
           "within 1 s.")
    run(buffer.put, -1, what="put(-1) with 3 getters waiting")
    spy.until(settled, 1.0)
    wanted = [-1] + [100 * n + i for n in range(3) for i in range(40 - (n == 2))]
    threads = consumers + [tally.thread(produce, buffer, 100 * n, 40 - (n == 2))
                           for n in range(3)]
    for thread in threads[3:]:
        thread.start()
    deadline = time.monotonic() + 10.0
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    with tally.lock:
        expect(not tally.errors, "3 producers and 3 consumers on a buffer of 2: a thread "
               f"raised {describe_exception(tally.errors[0]) if tally.errors else ''} (one "
               "put woke all 3 waiting getters, as notify may: check again in a while loop).")
        alive = sum(t.is_alive() for t in threads)
        expect(not alive, f"3 producers, 3 consumers x 40 gets, capacity 2: {alive} "
               f"thread(s) still waited after 10 s, with {len(tally.got)} items got.")
        expect(sorted(tally.got) == sorted(wanted), f"{len(tally.got)} items got, "
               f"{len(set(tally.got))} different, expected each of the {len(wanted)} put "
               "items exactly once.")
    expect(len(buffer) == 0, f"len() is {len(buffer)} after every item was got, not 0.")


@pytest.mark.concept("fifo_exactly_once")
def test_a_none_item_wakes_a_waiting_getter(mod, monkeypatch):
    spy = ConditionSpy(monkeypatch, mod)
    buffer = spy.watch(mod.BoundedBuffer(2))
    getter = Background(buffer.get)
    blocked(spy, getter, "get() on an empty buffer")
    run(buffer.put, None, what="put(None)")
    expect(getter.finished_within(1.0) and getter.error is None and getter.value is None,
           f"a get() waiting on an empty buffer {outcome(getter)} after put(None): None is "
           "an item like any other, it must be returned.")
    run(buffer.put, 0)
    run(buffer.put, False)
    expect([run(buffer.get), run(buffer.get)] == [0, False] and len(buffer) == 0,
           "put(0), put(False) did not come out as 0, False.")


@pytest.mark.concept("capacity_blocks_putter")
@pytest.mark.points(2)
def test_exactly_capacity_items_fit(mod, monkeypatch):
    spy = ConditionSpy(monkeypatch, mod)
    for capacity in (1, 3):
        buffer = spy.watch(mod.BoundedBuffer(capacity))
        for item in range(capacity):
            run(buffer.put, item, what=f"put number {item + 1} into a buffer of capacity "
                f"{capacity}")
        extra = Background(buffer.put, "extra")
        blocked(spy, extra, f"put number {capacity + 1} into a buffer of capacity {capacity}")
        expect(len(buffer) == capacity, f"len() is {len(buffer)}, not {capacity}.")
        got = [run(buffer.get) for _ in range(capacity)]
        expect(got == list(range(capacity)), f"got {got!r}, expected {list(range(capacity))}.")
        expect(extra.finished_within(1.0) and run(buffer.get) == "extra",
               f"the waiting put('extra') {outcome(extra)} after gets made room.")


@pytest.mark.concept("waits_not_spins")
def test_a_blocked_put_sleeps_in_wait(mod, monkeypatch):
    spy = ConditionSpy(monkeypatch, mod)
    sleeps = SleepSpy(monkeypatch, mod)
    buffer = spy.watch(mod.BoundedBuffer(1))
    run(buffer.put, "a")
    putter = Background(buffer.put, "b")
    real_sleep(0.3)                          # the window we watch the blocked putter in
    expect(not putter.done, f"put('b') on a full buffer {outcome(putter)} instead of waiting.")
    calls = spy.calls_by(putter.thread)
    slept = sleeps.by_threads({putter.thread.ident})
    expect(run(buffer.get) == "a" and putter.finished_within(1.0),
           f"after a get() the waiting put('b') {outcome(putter)}.")
    expect(not slept and calls <= 20, f"while the buffer was full, put() called time.sleep "
           f"{len(slept)} time(s) and wait() or the lock {calls} times in 0.3 s: that is "
           "polling. One wait() sleeps until a get notifies.")


@pytest.mark.concept("timeout_one_deadline")
@pytest.mark.points(2)
def test_a_put_timeout_is_one_deadline_across_wake_ups(mod, monkeypatch):
    spy = ConditionSpy(monkeypatch, mod)
    buffer = spy.watch(mod.BoundedBuffer(1))
    run(buffer.put, "a")
    putter = Timed(buffer.put, "b", timeout=0.25)
    give_up = time.monotonic() + 1.5
    while not putter.call.finished_within(0.02) and time.monotonic() < give_up:
        spy.poke()
    expect(putter.call.done, "put('b', timeout=0.25) on a full buffer had not returned after "
           "1.5 s while the Condition was woken every 20 ms: a wake-up restarted the timeout.")
    expect(isinstance(putter.call.error, queue.Full), f"put('b', timeout=0.25) on a full "
           f"buffer {outcome(putter.call)}; expected queue.Full.")
    expect(putter.elapsed >= 0.24, f"put('b', timeout=0.25) gave up after "
           f"{putter.elapsed:.3f} s, before its deadline, at a wake-up.")
    expect(len(buffer) == 1 and run(buffer.get) == "a", "a put that timed out changed the "
           "buffer.")


@pytest.mark.concept("timeout_one_deadline")
def test_zero_timeouts_and_an_item_in_time(mod, monkeypatch):
    spy = ConditionSpy(monkeypatch, mod)
    buffer = spy.watch(mod.BoundedBuffer(1))
    empty = Background(buffer.get, timeout=0)
    expect(empty.finished_within(0.5) and isinstance(empty.error, queue.Empty),
           f"get(timeout=0) on an empty buffer {outcome(empty)}; expected queue.Empty at once.")
    run(buffer.put, "a", timeout=0, what="put('a', timeout=0) on an empty buffer")
    late = Background(buffer.put, "b", timeout=0)
    expect(late.finished_within(0.5) and isinstance(late.error, queue.Full),
           f"put('b', timeout=0) on a full buffer {outcome(late)}; expected queue.Full at once.")
    expect(run(buffer.get, timeout=0) == "a", "get(timeout=0) did not return the item there.")
    getter = Background(buffer.get, timeout=5.0)
    blocked(spy, getter, "get(timeout=5.0) on an empty buffer")
    run(buffer.put, "c")
    expect(getter.finished_within(1.0) and getter.value == "c",
           f"get(timeout=5.0) {outcome(getter)} after put('c'), expected 'c' at once.")


@pytest.mark.concept("per_thread_stats")
@pytest.mark.points(2)
def test_stats_are_per_buffer_and_skip_failed_calls(mod):
    first, second = mod.BoundedBuffer(1), mod.BoundedBuffer(3)

    def steps():
        first.put("a")
        second.put("b")
        second.put("c")
        second.get()
        second.get()
        for call, error in ((lambda: first.put("x", timeout=0.05), queue.Full),
                            (lambda: mod.BoundedBuffer(1).get(timeout=0.05), queue.Empty)):
            try:
                call()
            except error:
                pass
        stats = (first.stats(), second.stats())
        copy = first.stats()
        copy["put"] = 99
        return stats, first.stats()["put"], mod.BoundedBuffer(2).stats()

    stats, again, new = run(steps, what="puts and gets on two buffers in one thread")
    expect(stats == ({"put": 1, "got": 0}, {"put": 2, "got": 2}), f"one thread: 1 put on "
           f"the first buffer (and a put that timed out), 2 puts and 2 gets on the second; "
           f"stats() gave {stats[0]!r} and {stats[1]!r}, expected {{'put': 1, 'got': 0}} "
           "and {'put': 2, 'got': 2}: one threading.local per buffer (made in __init__), "
           "not one for the whole module; calls that raised do not count.")
    expect(again == 1, "changing the dict stats() returned changed the buffer's counts: "
           "return a new dict.")
    expect(new == {"put": 0, "got": 0}, f"a new buffer's stats() is {new!r}, not "
           "{'put': 0, 'got': 0}.")


@pytest.mark.concept("per_thread_stats")
def test_a_new_thread_starts_at_zero_even_with_a_reused_ident(mod):
    # Threads run one after another, each joined before the next starts: the
    # system soon hands a new thread the ident of an ended one. Counts kept in
    # a dict keyed by threading.get_ident() then carry over; a threading.local
    # is new in every thread.
    buffer = mod.BoundedBuffer(100)
    seen: dict[int, int] = {}

    def one_put():
        buffer.put("x")
        return threading.get_ident(), buffer.stats()

    for n in range(60):
        ident, stats = run(one_put, what=f"put() in new thread number {n + 1}")
        expect(stats == {"put": 1, "got": 0}, f"new thread number {n + 1} made 1 put; its "
               f"stats() is {stats!r}, expected {{'put': 1, 'got': 0}}"
               + (f" (its ident {ident} had been used by thread number {seen[ident]}, which "
                  "had ended: counts keyed by threading.get_ident() outlive their thread; a "
                  "threading.local does not)." if ident in seen else "."))
        if ident in seen and n >= 3:
            break
        seen.setdefault(ident, n + 1)
