"""Visible tests of topic 10, executor_futures: run `make check T=executor_futures`."""

from __future__ import annotations

import multiprocessing
import os

import pytest

import executor_tasks
from executor_tasks import Chain, Executors, Gated, Meeting
from probes import (Background, check_silent_import, describe_exception, expect, fail,
                    outcome)
from schedule import Schedule


@pytest.fixture(autouse=True)
def _end_leftover_executors(monkeypatch):
    """Executors that wrong code leaves open are shut down after each test."""
    executors = Executors(monkeypatch)
    yield executors
    executors.end()


def finished(call: Background, what: str, limit: float = 10.0) -> Background:
    """Wait for ``call`` (``limit`` s at most); fail with a message naming ``what`` if it hangs."""
    if not call.finished_within(limit):
        fail(f"{what} had not returned after {limit:.0f} s: is it waiting for a result "
             "that never comes, or for a call it should not wait for?")
    return call


def returned(call: Background, what: str):
    """The value of a finished ``call``; fail with a learner message if it raised."""
    if call.error is not None:
        fail(f"{what} raised {describe_exception(call.error)}.")
    return call.value


def bounded(func, *args, limit: float = 10.0):
    """``func(*args)`` in a daemon thread, waited for ``limit`` s at most; its value."""
    what = f"{func.__name__}{args!r}"[:120]
    return returned(finished(Background(func, *args), what, limit), what)


@pytest.mark.concept("map_in_order")
@pytest.mark.points(2)
def test_thread_map_keeps_the_order_of_items(mod):
    # The calls finish in reverse: item 4 first, item 0 last.
    chain = Chain([4, 3, 2, 1, 0])
    call = finished(Background(mod.thread_map, chain, [0, 1, 2, 3, 4], 5),
                    "thread_map(func, [0, 1, 2, 3, 4], 5)")
    values = returned(call, "thread_map(func, [0, 1, 2, 3, 4], 5)")
    expect(values == [0, 10, 20, 30, 40],
           f"thread_map returned {values!r} while the calls finished in the order "
           f"{chain.finished}; expected [0, 10, 20, 30, 40]: the results come back in "
           "the order of items, not in the order the calls finish (executor.map, or "
           "the futures' result() taken in the order they were submitted).")


@pytest.mark.concept("max_workers_at_once")
@pytest.mark.points(2)
def test_thread_map_runs_max_workers_calls_at_once(mod):
    meeting = Meeting(3)
    call = finished(Background(mod.thread_map, meeting, list(range(6)), 3),
                    "thread_map(func, range(6), max_workers=3)")
    values = returned(call, "thread_map(func, [0, ..., 5], max_workers=3)")
    expect(call.thread.ident not in meeting.threads,
           "func was called in the thread that called thread_map: submit the calls to a "
           "ThreadPoolExecutor, whose worker threads run them.")
    expect(meeting.peak >= 3, f"with max_workers=3 and 6 items, at most {meeting.peak} "
           "call(s) ran at the same time: pass max_workers on "
           "(ThreadPoolExecutor(max_workers=max_workers)) and submit every item before "
           "waiting for any result.")
    expect(meeting.peak == 3, f"with max_workers=3, {meeting.peak} calls ran at the same "
           "time: the executor must have max_workers workers, not its default number.")
    expect(values == [0, 10, 20, 30, 40, 50],
           f"thread_map returned {values!r}, expected [0, 10, 20, 30, 40, 50].")


@pytest.mark.concept("errors_propagate")
@pytest.mark.points(2)
def test_thread_map_raises_the_earliest_exception(mod):
    # Item 3 raises at once; item 1 raises only once thread_map has returned or
    # raised (0.2 s at most): item 1 comes first in items, item 3 first in time.
    gated = Gated(hold={1}, fail={3: KeyError("item 3"), 1: ValueError("item 1")}, limit=0.2)

    def call_then_release():
        try:
            return mod.thread_map(gated, [0, 1, 2, 3, 4], 5)
        finally:
            gated.release()

    call = finished(Background(call_then_release), "thread_map with two failing calls")
    if call.error is None:
        fail(f"func raised for items 1 and 3, yet thread_map returned {call.value!r}: "
             "let the exception propagate (future.result() re-raises it), never return "
             "it as a value or swallow it.")
    expect(isinstance(call.error, ValueError) and str(call.error) == "item 1",
           f"thread_map raised {describe_exception(call.error)}; expected "
           "ValueError('item 1'): the exception of the earliest failing item in items "
           "order (item 1), not the first one to happen (item 3's KeyError). "
           "executor.map raises them in items order.")


def alive_after(schedule: Schedule, func, *args) -> tuple[Background, int]:
    """Run ``schedule.call(func, *args)`` in the background; the call and its threads left alive."""
    call = finished(Background(schedule.call, func, *args), f"{func.__name__}{args[1:]!r}")
    return call, len(schedule.alive_at_return)


@pytest.mark.concept("shut_down_every_exit")
@pytest.mark.points(2)
def test_no_worker_thread_outlives_thread_map(mod, monkeypatch):
    # Each worker thread stays alive 0.12 s after its last task unless the call
    # has returned: an executor that is not shut down (and waited for) still
    # has live threads when the call returns, every time.
    schedule = Schedule(monkeypatch, linger=0.12)
    call, alive = alive_after(schedule, mod.thread_map, Chain([3, 2, 1]), [1, 2, 3], 3)
    expect(returned(call, "thread_map(func, [1, 2, 3], 3)") == [10, 20, 30],
           f"thread_map(func, [1, 2, 3], 3) returned {call.value!r}, expected [10, 20, 30].")
    expect(schedule.started, "thread_map started no thread: use a ThreadPoolExecutor.")
    expect(alive == 0, f"thread_map returned while {alive} of its worker threads were still "
           "alive: shut the executor down (`with ThreadPoolExecutor(...) as executor:` "
           "does it when the block ends) before returning.")
    failing = Gated(fail={1: ValueError("item 1")})
    call, alive = alive_after(schedule, mod.thread_map, failing, [0, 1, 2], 3)
    expect(isinstance(call.error, ValueError),
           f"func raised ValueError for item 1, and thread_map {outcome(call)}: let the "
           "exception propagate.")
    expect(alive == 0, f"a call raised, and thread_map let the exception out while {alive} "
           "worker threads were still alive: the executor must be shut down on every way "
           "out (`with` or try/finally), not only when every call succeeded.")


@pytest.mark.concept("completion_order")
@pytest.mark.points(2)
def test_in_completion_order_reports_each_pair_as_it_finishes(mod):
    # Each call finishes only once the pair of the call before it (in the order
    # 2, 0, 3, 1) has reached out: the futures complete in exactly that order.
    chain = Chain([2, 0, 3, 1], by_report=True)
    call = finished(Background(mod.in_completion_order, chain, [0, 1, 2, 3], 4,
                               out=chain.report),
                    "in_completion_order(func, [0, 1, 2, 3], 4, out=...)")
    pairs = returned(call, "in_completion_order")
    expected = [(2, 20), (0, 0), (3, 30), (1, 10)]
    if chain.gave_up:
        fail(f"the call of item {chain.gave_up[0]} waited 1.5 s for the pair of the call "
             "that finished before it to reach out, in vain: hand each (item, result) to "
             "out as soon as its future is done (for future in as_completed(futures)), "
             f"not in the order the futures were submitted or after all are done. out got "
             f"{chain.reports!r}.")
    expect(chain.reports == expected, f"out got {chain.reports!r}, expected {expected!r}: "
           "one (item, result) tuple per call, in the order the calls finished.")
    expect(pairs == expected, f"in_completion_order returned {pairs!r}, expected "
           f"{expected!r}: the pairs in the order the calls finished.")
    expect(chain.report_threads == {call.thread.ident},
           "out was called from a worker thread: call it in the thread that called "
           "in_completion_order, in the loop over as_completed.")


@pytest.mark.concept("deadline_then_cancel")
@pytest.mark.points(3)
def test_run_with_timeout_cancels_the_calls_not_started(mod, monkeypatch):
    # One worker, busy with item 0 until the test lets it go: items 1-3 wait
    # in the executor's queue when the 0.2 s deadline passes.
    gated = Gated(hold={0})
    schedule = Schedule(monkeypatch)
    call = Background(schedule.call, mod.run_with_timeout, gated, [0, 1, 2, 3], 0.2, 1)
    try:
        prompt = call.finished_within(1.5)
    finally:
        gated.release()
    for thread in list(schedule.started):
        thread.join(3.0)
    finished(call, "run_with_timeout (after the running call was let go)", 5.0)
    if not prompt:
        fail("run_with_timeout(func, [0, 1, 2, 3], timeout=0.2, max_workers=1) had not "
             "returned 1.5 s later, while the call of item 0 still ran: at the deadline, "
             "cancel the futures not started and shut the executor down without waiting "
             "(shutdown(wait=False, cancel_futures=True)). Leaving a "
             "`with ThreadPoolExecutor()` block waits for every call.")
    done, cancelled = returned(call, "run_with_timeout")
    expect(call.ended_at - call.started_at >= 0.18,
           f"run_with_timeout(timeout=0.2) returned after "
           f"{call.ended_at - call.started_at:.2f} s, before its deadline, although the "
           "calls were not finished: wait(futures, timeout) waits until then.")
    expect(gated.called == [0], f"func was called for items {gated.called}, expected only "
           "[0]: the calls still queued at the deadline must be cancelled "
           "(future.cancel()) so that they never run.")
    expect(not list(done) and list(cancelled) == [1, 2, 3],
           f"run_with_timeout returned done={done!r}, cancelled={cancelled!r}; expected "
           "done=[] (nothing finished in time) and cancelled=[1, 2, 3] (the items whose "
           "future.cancel() returned True; item 0 was running, so it is in neither).")


@pytest.mark.concept("deadline_then_cancel")
@pytest.mark.points(2)
def test_run_with_timeout_keeps_one_deadline_for_all(mod):
    # Item 0 finishes at once, then each next item 0.15 s after the one before:
    # item 3 only after 0.45 s, item 4 after 0.6 s, past the 0.3 s deadline.
    # Each comes well within 0.3 s of the one before it.
    gated = Gated(after={1: 0, 2: 1, 3: 2, 4: 3}, after_delay=0.15)
    call = Background(mod.run_with_timeout, gated, [0, 1, 2, 3, 4], 0.3, 5)
    try:
        finished(call, "run_with_timeout(func, [0, ..., 4], timeout=0.3, max_workers=5)")
    finally:
        gated.release()
    done, cancelled = returned(call, "run_with_timeout")
    items = [pair[0] for pair in done if isinstance(pair, tuple) and pair]
    if 4 in items or 3 in items:
        fail(f"run_with_timeout(timeout=0.3) reported items {items} as done, after "
             f"{call.ended_at - call.started_at:.2f} s; items 3 and 4 finished only after "
             "0.45 s and 0.6 s. The timeout is ONE deadline for the whole batch "
             "(concurrent.futures.wait(futures, timeout)), not a fresh timeout for each "
             "future in turn.")
    expect((0, 0) in done and list(done) == sorted(done),
           f"run_with_timeout returned done={done!r}: expected the (item, result) pairs "
           "of the calls finished by the deadline, item 0's (0, 0) at least, in items order.")
    expect(not list(cancelled), f"cancelled={cancelled!r}: with 5 workers for 5 items "
           "every call had started, so none could be cancelled.")


@pytest.mark.concept("process_pool")
@pytest.mark.points(2)
@pytest.mark.parametrize("start_method", ["fork"], indirect=True)   # hidden tests: all three
def test_process_map_runs_calls_in_worker_processes(mod, start_method, tmp_path):
    specs = [(str(tmp_path), 2, index) for index in range(2)]
    call = finished(Background(mod.process_map, executor_tasks.meet, specs, 2),
                    "process_map(meet, specs, 2)", 20.0)
    if call.error is not None:
        fail(f"process_map(executor_tasks.meet, ...) raised {describe_exception(call.error)} "
             f"under {start_method}: hand func itself to the ProcessPoolExecutor (a lambda "
             "or a nested function around it cannot be pickled for the workers).")
    values = call.value
    expect(isinstance(values, list) and [v[0] for v in values] == [0, 1],
           f"process_map returned {values!r}: expected one result per item, in order.")
    pids = {pid for _, _, pid in values}
    expect(os.getpid() not in pids, "func ran in the test's own process: use a "
           "ProcessPoolExecutor, whose calls run in worker processes.")
    expect(len(pids) == 2 and min(seen for _, seen, _ in values) == 2,
           "the 2 calls of process_map(func, items, max_workers=2) did not run at the same "
           "time in 2 worker processes: pass max_workers to ProcessPoolExecutor.")
    alive = multiprocessing.active_children()
    expect(not alive, f"process_map returned while {len(alive)} worker processes were "
           "still alive: shut the executor down, waiting (`with ProcessPoolExecutor(...)`).")
    values = bounded(mod.process_map, executor_tasks.times_ten, [3, 1, 2], 2)
    expect(values == [30, 10, 20], f"process_map(times_ten, [3, 1, 2], 2) returned "
           f"{values!r}, expected [30, 10, 20].")


@pytest.mark.concept("import_is_silent")
def test_importing_the_module_is_silent(mod, target_dir):
    check_silent_import(target_dir, "executor_futures",
                        lambda: bounded(mod.thread_map, abs, [-1], 1))
