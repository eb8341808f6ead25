"""Visible tests of topic 8, producer_consumer: run `make check T=producer_consumer`."""

from __future__ import annotations

import threading

import pytest

from probes import check_silent_import, describe_exception, expect, fail
from producer_consumer_probes import (Bench, Failed, finish, outcome_of, run, start,
                                      wait_blocked_in_put)
from schedule import Schedule


def done(values: list) -> list:
    """What the Bench's handle returns for each value, in order."""
    return [("done", value) for value in values]


@pytest.mark.concept("producer_and_consumers")
@pytest.mark.points(2)
def test_one_producer_thread_takes_the_items(mod):
    bench = Bench(list(range(6)))
    call = run(mod, bench.items(), bench.handle, 2, 2)
    result = outcome_of(call)
    takers = bench.taking_threads
    caller = {threading.current_thread(), call.thread}
    expect(not takers & caller, "the items were taken in the thread that called run_pipeline "
           "(list(items), or a for loop there?): the producer thread must iterate them "
           "itself, lazily, so that a generator is never read ahead of the consumers.")
    expect(len(takers) == 1, f"the items were taken by {len(takers)} threads: one producer "
           "thread iterates items and puts them on the queue.")
    expect(not takers & bench.handle_threads, "handle ran in the thread that took the items: "
           "the producer only puts items on the queue, consumers handle them.")
    expect(result == done(range(6)), f"run_pipeline returned {result!r}, expected "
           f"{done(range(6))!r}.")


@pytest.mark.concept("producer_and_consumers")
@pytest.mark.points(2)
def test_handles_run_on_every_consumer_at_once(mod):
    # Each handle waits (1.5 s at most) until 3 handles are running at once.
    bench = Bench(list(range(6)), meet=3)
    call = run(mod, bench.items(), bench.handle, 3, 2)
    result = outcome_of(call)
    threads = bench.handle_threads
    expect({threading.current_thread(), call.thread}.isdisjoint(threads),
           "handle ran in the thread that called run_pipeline: consumers are threads.")
    expect(bench.peak == 3, f"with consumers=3, at most {bench.peak} handles ran at the same "
           "time, expected 3: start all the consumer threads before joining any, each "
           "taking items off the shared queue.")
    expect(len(threads) == 3, f"handle ran in {plural_threads(len(threads))}, expected "
           "the 3 consumer threads.")
    expect(result == done(range(6)), f"returned {result!r}, expected {done(range(6))!r}.")


def plural_threads(n: int) -> str:
    """'1 thread' / '4 threads'."""
    return f"{n} thread" if n == 1 else f"{n} threads"


@pytest.mark.concept("backpressure")
@pytest.mark.points(2)
def test_a_full_queue_makes_the_producer_wait(mod):
    gate = threading.Event()
    bench = Bench(list(range(12)), gate=gate)    # handles wait for the gate (1 s at most)
    consumers, maxsize = 2, 2
    try:
        call = start(mod, bench.items(), bench.handle, consumers, maxsize)
        bench.wait_taken(consumers + maxsize + 1, 1.0)
        wait_blocked_in_put(bench, 1.0)        # the producer stuck in put(), or done
    finally:
        gate.set()
    result = outcome_of(finish(call))
    ahead, taken, handled = bench.most_ahead
    bound = maxsize + consumers + 1
    expect(ahead <= bound, f"with consumers={consumers} and maxsize={maxsize}, the producer "
           f"had taken {taken} items while only {handled} were handled: it may be at most "
           f"{bound} ahead ({maxsize} in the queue, one per consumer, one in its hand). "
           "Make the queue bounded, queue.Queue(maxsize), so that put() waits when it is "
           "full; and take the items one at a time in the producer, never list(items).")
    expect(result == done(range(12)), f"returned {result!r}, expected {done(range(12))!r}.")


@pytest.mark.concept("sentinel_per_consumer")
@pytest.mark.points(2)
def test_none_and_falsy_items_are_items(mod):
    values = [None, 0, "", False, None, [], 7, 0.0]
    bench = Bench(values)
    call = run(mod, bench.items(), bench.handle, 3, 2)
    missing = len(values) - len(bench.calls)
    expect(not missing, f"{missing} of {len(values)} items ({values!r}) were never handled: "
           "None, 0, '' and False are items too. Is None (or a falsy test like `if not "
           "item`) your sentinel? Make the sentinel a unique object: STOP = object(), "
           "tested with `is`.")
    result = outcome_of(call)
    expect(result == done(values), f"returned {result!r}, expected {done(values)!r}.")


@pytest.mark.concept("sentinel_per_consumer")
@pytest.mark.points(2)
def test_every_consumer_ends_at_its_sentinel(mod):
    for consumers, count in ((4, 2), (3, 7)):     # more consumers than items, and fewer
        bench = Bench(list(range(count)))
        call = run(mod, bench.items(), bench.handle, consumers, 2)
        result = outcome_of(call)
        expect(result == done(range(count)), f"run_pipeline(range({count}), handle, "
               f"consumers={consumers}) returned {result!r}.")


@pytest.mark.concept("every_item_once")
@pytest.mark.points(2)
def test_no_item_lost_when_the_producer_ends_first(mod):
    # Both consumers hold an item until the producer is done (its last items
    # wait in the full queue): a consumer that stops at a `done` flag, or when
    # the producer has ended, leaves them there; one that ends at its sentinel
    # handles them.
    bench = Bench(list(range(5)), drain=True)
    call = run(mod, bench.items(), bench.handle, 2, 3, timeout=6.0)
    wrong = bench.miscounted()
    expect(not wrong, f"5 items, 2 consumers, maxsize=3, the producer done while 3 items "
           f"still waited in the queue: {wrong}. Every item put on the queue must be taken "
           "and handled exactly once; a consumer ends only when it takes its sentinel, "
           "which comes after every item (not when the producer is done or the queue "
           "looks empty).")
    result = outcome_of(call)
    expect(result == done(range(5)), f"returned {result!r}, expected {done(range(5))!r}.")


@pytest.mark.concept("results_in_order")
@pytest.mark.points(2)
def test_results_in_the_order_of_items(mod):
    n = 4
    finished = [threading.Event() for _ in range(n)]

    def before(item):
        if item < n - 1:              # item i finishes only after item i+1: 3, 2, 1, 0
            finished[item + 1].wait(0.5)
        finished[item].set()

    bench = Bench(list(range(n)), before=before)
    result = outcome_of(run(mod, bench.items(), bench.handle, n, 2, timeout=6.0))
    want = done(range(n))
    if result == list(reversed(want)):
        fail(f"got {result}: the order the handles finished in. Send (position, outcome) "
             "on the results queue and put the results back in the order of items.")
    expect(result == want, f"run_pipeline returned {result!r}, expected {want!r}.")


@pytest.mark.concept("every_thread_ended")
@pytest.mark.points(2)
def test_every_thread_has_ended_on_return(mod):
    # Every thread run_pipeline starts but the first stays alive after its work
    # until the call returns (0.2 s at most): one that does not join them all (or
    # joins only the producer) returns while they still run, every time.
    with pytest.MonkeyPatch.context() as patch:
        schedule = Schedule(patch, mod, linger=0.2, quick=0)
        bench = Bench(list(range(5)))
        call = run(mod, bench.items(), bench.handle, 3, 2, via=schedule.call)
    result = outcome_of(call)
    alive = len(schedule.alive_at_return)
    expect(len(schedule.started) >= 2, f"run_pipeline started {len(schedule.started)} "
           "threads: one producer and the consumers.")
    expect(alive == 0, f"run_pipeline returned while {alive} of the "
           f"{len(schedule.started)} threads it started were still running: join() the "
           "producer and every consumer before you return (after their sentinels, "
           "consumers end by themselves).")
    expect(result == done(range(5)), f"returned {result!r}, expected {done(range(5))!r}.")


@pytest.mark.concept("errors_after_shutdown")
@pytest.mark.points(2)
def test_the_earliest_failing_item_is_raised_after_the_rest(mod):
    five_raised = threading.Event()

    def before(item):
        if item == 2:                 # earliest in items, but raises after item 5
            five_raised.wait(1.0)
        if item == 5:
            five_raised.set()

    failures = {2: Failed("item 2 failed"), 5: Failed("item 5 failed")}
    with pytest.MonkeyPatch.context() as patch:
        schedule = Schedule(patch, mod, linger=0.2, quick=0)
        bench = Bench(list(range(8)), fail_on=failures, before=before)
        call = run(mod, bench.items(), bench.handle, 3, 2, via=schedule.call)
    wrong = bench.miscounted()
    expect(not wrong, f"handle raised for items 2 and 5 of 8: {wrong}. A consumer catches "
           "what handle raises, sends it back as that item's outcome and goes on.")
    if call.error is None:
        fail(f"handle raised for items 2 and 5, yet run_pipeline returned {call.value!r}: "
             "raise the exception of the earliest failing item.")
    if call.error is failures[5]:
        fail("run_pipeline raised item 5's exception, the first in time; raise the one of "
             "the EARLIEST failing item in items: item 2.")
    expect(call.error is failures[2], f"expected item 2's Failed('item 2 failed'), got "
           f"{describe_exception(call.error)}: catch the exception in the consumer (an "
           "uncaught one ends the consumer thread and its item never gets an outcome), "
           "send it with the item's position, and raise it once every thread has ended.")
    alive = len(schedule.alive_at_return)
    expect(alive == 0, f"run_pipeline raised while {alive} of its threads were still "
           "running: join them all first, then raise.")


@pytest.mark.concept("producer_and_consumers")
def test_empty_items_and_bad_consumers(mod):
    expect(outcome_of(run(mod, [], abs)) == [], "run_pipeline([], handle) must return [].")
    bench = Bench([])
    expect(outcome_of(run(mod, bench.items(), bench.handle, 2, 1)) == [],
           "run_pipeline(empty generator, handle) must return [].")
    for consumers in (0, -1):
        with pytest.MonkeyPatch.context() as patch:
            schedule = Schedule(patch, mod)
            bench = Bench([1, 2])
            call = run(mod, bench.items(), bench.handle, consumers, 2, via=schedule.call)
        expect(isinstance(call.error, ValueError), f"run_pipeline(items, handle, "
               f"consumers={consumers}) must raise ValueError, not "
               f"{describe_exception(call.error) if call.error else f'return {call.value!r}'}.")
        expect(not schedule.started and not bench.taken, f"with consumers={consumers}, "
               "run_pipeline started a thread or took an item before raising ValueError: "
               "check the arguments first.")


@pytest.mark.concept("results_in_order")
def test_a_second_call_starts_afresh(mod):
    first = Bench(list(range(5)), fail_on={1: Failed("item 1 failed")})
    call = run(mod, first.items(), first.handle, 2, 2)
    expect(isinstance(call.error, Failed), "handle raised for item 1, but run_pipeline "
           f"did not raise it ({describe_exception(call.error) if call.error else 'returned'}).")
    second = Bench(list(range(10, 14)))
    result = outcome_of(run(mod, second.items(), second.handle, 2, 2))
    expect(result == done(range(10, 14)), f"a second call after one that raised returned "
           f"{result!r}, expected {done(range(10, 14))!r}: keep nothing between calls.")


@pytest.mark.concept("import_is_silent")
def test_importing_the_module_is_silent(mod, target_dir):
    check_silent_import(target_dir, "producer_consumer", lambda: mod.run_pipeline([], abs))
