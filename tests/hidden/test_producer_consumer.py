"""Hidden tests of topic 8, producer_consumer: graded, never shipped to students."""

from __future__ import annotations

import threading

import pytest

from probes import describe_exception, expect, fail, plural
from producer_consumer_probes import (Bench, Broke, Failed, finish, outcome_of, run, start,
                                      wait_blocked_in_put)
from schedule import Schedule


def done(values) -> list:
    """What the Bench's handle returns for each value, in order."""
    return [("done", value) for value in values]


class Interrupt(BaseException):
    """Not an Exception: `except Exception` in a consumer does not see it."""


@pytest.mark.concept("every_item_once")
@pytest.mark.points(2)
def test_no_item_lost_with_a_slow_producer(mod):
    # Item k is given only once item k-1 was handled and every consumer waits in
    # get(): the queue is empty each time a consumer looks at it.
    bench = Bench(list(range(8)), paced=True)
    call = run(mod, bench.items(), bench.handle, 3, 2)
    wrong = bench.miscounted()
    expect(not wrong, f"8 items from a slow producer: {wrong}. A consumer waits in get() "
           "for the next item; an empty queue does not mean the end, only a sentinel does.")
    result = outcome_of(call)
    expect(result == done(range(8)), f"returned {result!r}, expected {done(range(8))!r}.")


@pytest.mark.concept("results_in_order")
@pytest.mark.points(2)
def test_two_calls_at_once_share_nothing(mod):
    gate = threading.Event()

    def before(item):
        if item == 104:               # the first call's last item waits for the second call
            gate.wait(1.5)

    first = Bench(list(range(100, 105)), before=before)
    call = start(mod, first.items(), first.handle, 2, 2)
    try:
        first.wait_settled(4, 1.5)   # 4 outcomes sent, the last item still held
        second = Bench(list(range(3)))
        other = run(mod, second.items(), second.handle, 2, 2)
    finally:
        gate.set()
    finish(call)
    results = (other.value if other.error is None else other.error,
               call.value if call.error is None else call.error)
    expect(other.error is None and other.value == done(range(3))
           and call.error is None and call.value == done(range(100, 105)),
           f"two calls at once (items 0-2, and 100-104 still running) got {results[0]!r} "
           f"and {results[1]!r}: each call needs its own queues, made inside the call, "
           "never at module level.")


@pytest.mark.concept("errors_after_shutdown")
def test_a_base_exception_from_handle(mod):
    failure = Interrupt("item 3 interrupted")
    bench = Bench(list(range(6)), fail_on={3: failure})
    call = run(mod, bench.items(), bench.handle, 2, 2)
    wrong = bench.miscounted()
    expect(not wrong, f"handle raised a BaseException (not an Exception) for item 3: "
           f"{wrong}. Catch BaseException in the consumer and go on.")
    expect(call.error is failure, f"expected item 3's Interrupt, got "
           f"{describe_exception(call.error) if call.error else repr(call.value)}: any "
           "exception of handle counts, BaseException subclasses too.")


@pytest.mark.concept("errors_after_shutdown")
@pytest.mark.points(2)
def test_every_item_failing(mod):
    failures = {i: Failed(f"item {i} failed") for i in range(6)}
    bench = Bench(list(range(6)), fail_on=failures)
    call = run(mod, bench.items(), bench.handle, 2, 1)
    wrong = bench.miscounted()
    expect(not wrong, f"handle raised for every one of 6 items: {wrong}. A consumer "
           "survives what handle raises.")
    expect(call.error is failures[0], f"handle raised for every item; expected item 0's "
           f"exception, got {describe_exception(call.error) if call.error else repr(call.value)}.")


@pytest.mark.concept("errors_after_shutdown")
@pytest.mark.points(2)
def test_items_that_raise_while_iterated(mod):
    with pytest.MonkeyPatch.context() as patch:
        schedule = Schedule(patch, mod, linger=0.2, quick=0)
        bench = Bench(list(range(4)), break_after=3)
        call = run(mod, bench.items(), bench.handle, 3, 2, via=schedule.call)
    wrong = bench.miscounted(list(range(3)))
    expect(not wrong, f"iterating items raised after 3 items: {wrong}. The items taken "
           "before are still handled.")
    if not isinstance(call.error, Broke):
        fail("iterating items raised Broke after 3 items; run_pipeline must raise it "
             f"(once every thread ended), not "
             f"{describe_exception(call.error) if call.error else f'return {call.value!r}'}.")
    alive = len(schedule.alive_at_return)
    expect(alive == 0, f"run_pipeline raised while {alive} of its threads were still "
           "running: put the sentinels in a `finally:`, join every thread, then raise.")


@pytest.mark.concept("backpressure")
@pytest.mark.points(2)
def test_backpressure_with_other_sizes(mod):
    for consumers, maxsize in ((1, 1), (3, 4)):
        gate = threading.Event()
        bench = Bench(list(range(14)), gate=gate)
        try:
            call = start(mod, bench.items(), bench.handle, consumers, maxsize)
            bench.wait_taken(consumers + maxsize + 1, 1.0)
            wait_blocked_in_put(bench, 1.0)
        finally:
            gate.set()
        result = outcome_of(finish(call))
        ahead, taken, handled = bench.most_ahead
        bound = maxsize + consumers + 1
        expect(ahead <= bound, f"consumers={consumers}, maxsize={maxsize}: the producer "
               f"had taken {taken} items while only {handled} were handled, more than "
               f"{bound} ahead: is the queue queue.Queue(maxsize)?")
        expect(result == done(range(14)), f"returned {result!r}.")


@pytest.mark.concept("backpressure")
def test_the_defaults_are_three_consumers_and_a_queue_of_two(mod):
    # The signature's defaults are part of the contract: consumers=3, maxsize=2.
    # Handles wait at a gate: once the producer is stuck in put(), each consumer
    # holds one item in handle, two wait in the queue, one is in the producer's hand.
    consumers, maxsize = 3, 2                    # not passed: the call must use these
    gate = threading.Event()
    bench = Bench(list(range(12)), gate=gate)    # handles wait for the gate (1 s at most)
    bound = maxsize + consumers + 1
    try:
        call = start(mod, bench.items(), bench.handle)
        bench.wait_taken(bound, 1.0)
        wait_blocked_in_put(bench, 1.0)
        bench.wait_active(lambda active: active >= consumers, 1.0)     # fewer: too few
        bench.wait_active(lambda active: active > consumers, 0.2)      # more: too many
        handling = bench.active
    finally:
        gate.set()
    result = outcome_of(finish(call))
    expect(handling == consumers, f"run_pipeline(items, handle) ran {handling} handles at "
           f"once: consumers defaults to {consumers} (keep the signature's defaults).")
    ahead, taken, handled = bench.most_ahead
    expect(ahead <= bound, f"run_pipeline(items, handle) let the producer take {taken} "
           f"items while only {handled} were handled: maxsize defaults to {maxsize}, so it "
           f"may be at most {bound} ahead ({maxsize} in the queue, one per consumer, one in "
           "its hand).")
    expect(result == done(range(12)), f"returned {result!r}.")


@pytest.mark.concept("sentinel_per_consumer")
def test_no_thread_dies_of_an_uncaught_exception(mod, monkeypatch):
    # A consumer that ends because something raised (a sentinel it cannot
    # unpack, get(timeout=...) raising queue.Empty, handle's exception let
    # through) ends without its sentinel: the result may even be right.
    died: list[str] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: died.append(
        f"{args.exc_type.__name__}: {args.exc_value}"[:120]))
    bench = Bench(list(range(8)))
    plain = outcome_of(run(mod, bench.items(), bench.handle, 3, 2))
    failing = Bench(list(range(5)), fail_on={2: Failed("item 2 failed")})
    call = run(mod, failing.items(), failing.handle, 2, 2)
    expect(not died, f"{plural(len(died), 'thread')} of run_pipeline died of an uncaught "
           f"exception ({died[0] if died else ''}): a consumer ends when it takes its "
           "sentinel, and catches what handle raises to pass it on; it never ends by "
           "raising.")
    expect(plain == done(range(8)), f"returned {plain!r}, expected {done(range(8))!r}.")
    expect(isinstance(call.error, Failed), "handle raised Failed for item 2; run_pipeline "
           "must raise it.")


@pytest.mark.concept("every_thread_ended")
@pytest.mark.points(2)
def test_every_thread_joined_whichever_ends_first(mod):
    # All threads but the first started linger until the call returns (0.2 s at
    # most): one that joins only the first (the producer) returns while the
    # others still live, every time - with one consumer and with four.
    for consumers in (1, 4):
        with pytest.MonkeyPatch.context() as patch:
            schedule = Schedule(patch, mod, linger=0.2, quick=0)
            bench = Bench(list(range(4)))
            call = run(mod, bench.items(), bench.handle, consumers, 2, via=schedule.call)
        result = outcome_of(call)
        alive = len(schedule.alive_at_return)
        expect(alive == 0, f"run_pipeline returned while {alive} of its threads were still "
               "running: join() each one, the producer and every consumer.")
        expect(result == done(range(4)), f"returned {result!r}, expected {done(range(4))!r}.")


@pytest.mark.concept("producer_and_consumers")
def test_other_sizes_and_iterables(mod):
    cases = [((1, 2), range(5)), ((5, 1), range(3)), ((2, 0), range(9)),
             ((3, -1), range(4)), ((2, 2), (9, 8, 7))]
    for (consumers, maxsize), values in cases:
        bench = Bench(list(values))
        result = outcome_of(run(mod, bench.items(), bench.handle, consumers, maxsize))
        expect(result == done(values), f"run_pipeline({len(values)} items, consumers="
               f"{consumers}, maxsize={maxsize}) returned {result!r}.")
    plain = outcome_of(run(mod, (x for x in "abc"), str.upper, consumers=2))
    expect(plain == ["A", "B", "C"], f"run_pipeline over 'abc' with str.upper returned "
           f"{plain!r}, expected ['A', 'B', 'C'].")


@pytest.mark.concept("every_item_once")
def test_a_failing_item_is_handled_once(mod):
    bench = Bench(list(range(6)), fail_on={1: Failed("item 1"), 4: Failed("item 4")})
    call = run(mod, bench.items(), bench.handle, 2, 2)
    wrong = bench.miscounted()
    expect(not wrong, f"handle raised for items 1 and 4: {wrong}. Each item is handled "
           "exactly once: no retry; its exception is its outcome.")
    expect(isinstance(call.error, Failed), "handle raised for items 1 and 4, but "
           "run_pipeline did not raise item 1's exception.")


@pytest.mark.concept("every_item_once")
def test_many_items_each_once(mod):
    values = list(range(300))
    bench = Bench(values)
    result = outcome_of(run(mod, bench.items(), bench.handle, 4, 3))
    wrong = bench.miscounted()
    expect(not wrong, f"300 items, 4 consumers: {wrong}.")
    expect(result == done(values), "300 items did not come back in the order of items.")
