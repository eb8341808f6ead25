"""Hidden tests of topic 10, executor_futures: graded, never shipped to students.

Variations of the visible checks: other sizes and defaults, edge inputs
(empty, more workers than items, falsy results), an exception that is not an
Exception, a second call after the first, the error paths of
in_completion_order, run_with_timeout and process_map, calls still running
at the deadline, and process_map under every start method.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter

import pytest

import executor_tasks
from executor_calls import bounded, finished, returned
from executor_tasks import Chain, Executors, Gated, Meeting
from probes import Background, describe_exception, expect, fail, outcome
from schedule import Schedule


@pytest.fixture(autouse=True)
def _end_leftover_executors(monkeypatch):
    """Executors that wrong code leaves open are shut down after each test."""
    executors = Executors(monkeypatch)
    yield executors
    executors.end()


class Interrupt(BaseException):
    """Not an Exception: ``except Exception`` does not see it; a future still carries it."""


@pytest.mark.concept("map_in_order")
def test_thread_map_edge_inputs(mod):
    expect(bounded(mod.thread_map, abs, [], 3) == [],
           "thread_map(func, [], 3) must return [].")
    values = bounded(mod.thread_map, abs, [-5], 8)
    expect(values == [5], f"thread_map(abs, [-5], max_workers=8) returned "
           f"{values!r}: more workers than items is fine.")
    falsy = Gated(results={0: 0, 1: None, 2: "", 3: False})
    values = bounded(mod.thread_map, falsy, [0, 1, 2, 3], 1)
    expect(values == [0, None, "", False], f"thread_map returned {values!r} for calls "
           "returning 0, None, '' and False: every result is kept, falsy ones too.")


@pytest.mark.concept("map_in_order")
def test_thread_map_order_with_the_default_workers(mod):
    chain = Chain([3, 1, 2, 0])
    call = finished(Background(mod.thread_map, chain, [0, 1, 2, 3]),
                    "thread_map(func, [0, 1, 2, 3])")
    values = returned(call, "thread_map(func, [0, 1, 2, 3])")
    expect(values == [0, 10, 20, 30], f"thread_map returned {values!r} while the calls "
           f"finished in the order {chain.finished}: keep the order of items.")


@pytest.mark.concept("max_workers_at_once")
@pytest.mark.points(2)
@pytest.mark.parametrize(("workers", "n_items"), [(2, 5), (None, 8)])
def test_thread_map_runs_exactly_max_workers_at_once(mod, workers, n_items):
    meeting = Meeting(workers or 4)
    args = (meeting, list(range(n_items))) + ((workers,) if workers else ())
    call = finished(Background(mod.thread_map, *args), "thread_map(func, items, ...)")
    values = returned(call, "thread_map")
    label = f"max_workers={workers}" if workers else "the default max_workers=4"
    expect(meeting.peak == (workers or 4),
           f"with {label} and {n_items} items, {meeting.peak} calls ran at the same time, "
           f"expected {workers or 4}: ThreadPoolExecutor(max_workers=max_workers).")
    expect(values == [i * 10 for i in range(n_items)], f"thread_map returned {values!r}.")


@pytest.mark.concept("errors_propagate")
@pytest.mark.points(2)
def test_thread_map_propagates_any_base_exception(mod, monkeypatch):
    schedule = Schedule(monkeypatch, linger=0.12)
    stop = Interrupt("stop here")
    gated = Gated(fail={2: stop})
    call = finished(Background(schedule.call, mod.thread_map, gated, [0, 1, 2, 3], 2),
                    "thread_map with a call raising a BaseException")
    expect(call.error is stop or (isinstance(call.error, Interrupt)
                                  and str(call.error) == "stop here"),
           f"func raised Interrupt (a BaseException, not an Exception) and thread_map "
           f"{outcome(call)}: the call's exception must propagate unchanged, whatever "
           "its type.")
    alive = len(schedule.alive_at_return)
    expect(alive == 0, f"after a call raised a BaseException, {alive} worker threads were "
           "still alive when thread_map raised it: shut the executor down on every way out.")


@pytest.mark.concept("shut_down_every_exit")
@pytest.mark.points(2)
def test_thread_map_works_again_and_leaves_no_thread(mod, monkeypatch):
    schedule = Schedule(monkeypatch, linger=0.12)
    for attempt, items in enumerate(([1, 2], [3, 4, 5]), start=1):
        chain = Chain(items[::-1])          # the calls finish in reverse
        call = finished(Background(schedule.call, mod.thread_map, chain, items, len(items)),
                        f"call {attempt} of thread_map")
        if call.error is not None:
            fail(f"call {attempt} of thread_map raised {describe_exception(call.error)}: "
                 "make a new executor in every call; one kept at module level is shut "
                 "down after the first `with` block and refuses new work.")
        expect(call.value == [i * 10 for i in items], f"call {attempt} of thread_map "
               f"returned {call.value!r}.")
        alive = len(schedule.alive_at_return)
        expect(alive == 0, f"call {attempt} of thread_map returned while {alive} worker "
               "threads were still alive: every call shuts its own executor down.")


@pytest.mark.concept("completion_order")
@pytest.mark.points(2)
def test_in_completion_order_error_after_the_pairs_before_it(mod, monkeypatch):
    schedule = Schedule(monkeypatch, linger=0.12)
    chain = Chain([1, 2, 0], by_report=True, fail={0: ValueError("item 0")})
    call = finished(Background(schedule.call, mod.in_completion_order, chain, [0, 1, 2], 3,
                               out=chain.report),
                    "in_completion_order with a failing call")
    expect(not chain.gave_up, f"the call of item {chain.gave_up[:1]} waited in vain for the "
           "pair before it to reach out: report each pair as soon as its call finished.")
    expect(isinstance(call.error, ValueError) and str(call.error) == "item 0",
           f"the call of item 0 raised ValueError('item 0') and in_completion_order "
           f"{outcome(call)}: the exception must propagate when its turn comes.")
    expect(chain.reports == [(1, 10), (2, 20)], f"out got {chain.reports!r} before the "
           "exception; expected [(1, 10), (2, 20)], the calls that finished before it.")
    alive = len(schedule.alive_at_return)
    expect(alive == 0, f"in_completion_order let the exception out while {alive} worker "
           "threads were still alive: shut the executor down on every way out.")


@pytest.mark.concept("completion_order")
def test_in_completion_order_defaults_and_edges(mod):
    expect(bounded(mod.in_completion_order, abs, [], 2) == [],
           "in_completion_order(func, []) must return [].")
    meeting = Meeting(2)
    call = finished(Background(mod.in_completion_order, meeting, [0, 1, 2, 3], 2),
                    "in_completion_order(func, [0, 1, 2, 3], 2)")
    pairs = returned(call, "in_completion_order without out")
    expect(meeting.peak == 2, f"with max_workers=2, {meeting.peak} calls ran at the same "
           "time, expected 2.")
    expect(isinstance(pairs, list) and Counter(pairs) == Counter((i, i * 10) for i in range(4)),
           f"in_completion_order returned {pairs!r}: expected the 4 pairs (i, i * 10).")
    falsy = Gated(results={5: None, 6: 0})
    pairs = bounded(mod.in_completion_order, falsy, [5, 5, 6], 3)
    expect(Counter(pairs) == Counter([(5, None), (5, None), (6, 0)]),
           f"in_completion_order(func, [5, 5, 6]) returned {pairs!r}: one pair per item, "
           "repeated items and falsy results included.")


@pytest.mark.concept("deadline_then_cancel")
@pytest.mark.points(2)
def test_run_with_timeout_leaves_running_calls_alone(mod, monkeypatch):
    # Two workers: items 0 and 2 run until the test lets them go, item 1 is
    # done at once, items 3 and 4 are still queued at the deadline.
    gated = Gated(hold={0, 2})
    schedule = Schedule(monkeypatch)
    call = Background(schedule.call, mod.run_with_timeout, gated, [0, 1, 2, 3, 4], 0.25, 2)
    try:
        prompt = call.finished_within(1.5)
    finally:
        gated.release()
    for thread in list(schedule.started):
        thread.join(3.0)
    left = [thread for thread in schedule.started if thread.is_alive()]
    finished(call, "run_with_timeout (after the running calls were let go)", 5.0)
    expect(prompt, "run_with_timeout(timeout=0.25) waited for the calls still running at the "
           "deadline: shut the executor down with wait=False and return.")
    done, cancelled = returned(call, "run_with_timeout")
    expect(list(done) == [(1, 10)] and list(cancelled) == [3, 4],
           f"run_with_timeout returned done={done!r}, cancelled={cancelled!r}; expected "
           "done=[(1, 10)] and cancelled=[3, 4]: items 0 and 2 were running at the deadline, "
           "so future.cancel() fails for them and they belong to neither list.")
    expect(sorted(gated.called) == [0, 1, 2], f"func was called for {sorted(gated.called)}: "
           "items 3 and 4 were cancelled and must never run.")
    expect(not left, f"{len(left)} of the executor's threads were still alive 3 s after the "
           "running calls ended: call executor.shutdown(wait=False) so they end, and make "
           "a new executor per call.")


@pytest.mark.concept("deadline_then_cancel")
@pytest.mark.points(2)
def test_run_with_timeout_error_path_cancels_and_does_not_wait(mod, monkeypatch):
    # Item 0 raises at once; items 1 and 2 run until the test lets them go;
    # item 3 is still queued.
    gated = Gated(hold={1, 2}, fail={0: ValueError("item 0")})
    schedule = Schedule(monkeypatch)
    call = Background(schedule.call, mod.run_with_timeout, gated, [0, 1, 2, 3], 0.25, 2)
    try:
        prompt = call.finished_within(1.5)
    finally:
        gated.release()
    for thread in list(schedule.started):
        thread.join(3.0)
    finished(call, "run_with_timeout (after the running calls were let go)", 5.0)
    expect(prompt, "a call raised, and run_with_timeout(timeout=0.25) then waited for the "
           "calls still running: on the way out with an exception too, cancel the pending "
           "futures and shut down with wait=False (try/finally).")
    expect(isinstance(call.error, ValueError) and str(call.error) == "item 0",
           f"the call of item 0 raised ValueError('item 0') and run_with_timeout "
           f"{outcome(call)}: a finished call's exception propagates.")
    expect(3 not in gated.called, "func was called for item 3 after run_with_timeout had "
           "raised: cancel the pending futures on the error path too.")


@pytest.mark.concept("deadline_then_cancel")
@pytest.mark.points(2)
def test_run_with_timeout_waits_until_the_deadline_or_the_end(mod):
    # Item 0 finishes 0.1 s after item 1; item 2 runs until the test lets it go.
    gated = Gated(hold={2}, after={0: 1}, after_delay=0.1)
    call = Background(mod.run_with_timeout, gated, [0, 1, 2], 0.3, 3)
    try:
        finished(call, "run_with_timeout(func, [0, 1, 2], timeout=0.3, max_workers=3)")
    finally:
        gated.release()
    done, cancelled = returned(call, "run_with_timeout")
    expect(list(done) == [(0, 0), (1, 10)] and not list(cancelled),
           f"run_with_timeout(timeout=0.3) returned done={done!r}, cancelled={cancelled!r}; "
           "items 1 and then 0 finished within about 0.1 s, well before the deadline, so "
           "expected done=[(0, 0), (1, 10)] (in items order) and cancelled=[]: wait up to "
           "the deadline.")
    falsy = Gated(results={0: 0, 1: None, 2: ""})
    call = Background(mod.run_with_timeout, falsy, [0, 1, 2], 3.0, 2)
    prompt = call.finished_within(1.5)
    finished(call, "run_with_timeout(func, [0, 1, 2], timeout=3.0)")
    expect(prompt, "every call finished at once, yet run_with_timeout(timeout=3.0) took "
           "more than 1.5 s: return as soon as all are done (wait() does).")
    done, cancelled = returned(call, "run_with_timeout")
    expect(list(done) == [(0, 0), (1, None), (2, "")] and not list(cancelled),
           f"run_with_timeout returned done={done!r}, cancelled={cancelled!r}; expected "
           "done=[(0, 0), (1, None), (2, '')], cancelled=[]: falsy results are results too.")
    done, cancelled = bounded(mod.run_with_timeout, abs, [], 1.0)
    expect(not list(done) and not list(cancelled),
           "run_with_timeout(func, [], 1.0) must return ([], []).")


OTHER_METHODS = ["forkserver", "spawn"]


@pytest.mark.concept("process_pool")
@pytest.mark.points(2)
@pytest.mark.parametrize("start_method", OTHER_METHODS, indirect=True)
def test_process_map_under_each_start_method(mod, start_method, tmp_path):
    # The two calls meet (both running at once in two processes), then item 1
    # finishes first: the results still come back in items order.
    specs = [(str(tmp_path), 2, 0, 1), (str(tmp_path), 2, 1, None)]
    call = finished(Background(mod.process_map, executor_tasks.meet_then_after, specs, 2),
                    f"process_map under {start_method}", 30.0)
    values = returned(call, f"process_map(meet_then_after, specs, 2) under {start_method}")
    expect(isinstance(values, list) and [v[0] for v in values] == [0, 1],
           f"under {start_method}, process_map returned {values!r} while the second call "
           "finished first: expected one result per item, in items order.")
    pids = {pid for _, _, pid in values}
    expect(os.getpid() not in pids and len(pids) == 2
           and min(seen for _, seen, _ in values) == 2,
           f"under {start_method}, the 2 calls of process_map(func, items, 2) did not run "
           "at once in 2 worker processes.")


@pytest.mark.concept("max_workers_at_once")
@pytest.mark.parametrize("start_method", ["fork"], indirect=True)
def test_the_default_and_given_max_workers_are_used(mod, start_method, tmp_path):
    # The signatures' defaults are part of the contract: in_completion_order 4,
    # run_with_timeout 2, process_map 2 (thread_map's 4 has its own test).
    meeting = Meeting(4)
    pairs = returned(finished(Background(mod.in_completion_order, meeting, list(range(8))),
                              "in_completion_order(func, items)"), "in_completion_order")
    expect(meeting.peak == 4, f"in_completion_order(func, 8 items) ran {meeting.peak} calls "
           "at once: max_workers defaults to 4 (keep the signature's defaults).")
    expect(sorted(pairs or []) == [(i, i * 10) for i in range(8)],
           f"in_completion_order returned {pairs!r}.")
    meeting = Meeting(2)
    # A deadline far past the calls' end, and a wait for the return well past the
    # deadline: code that sleeps the whole timeout loses its points elsewhere,
    # the same way on every run.
    outcome_pair = returned(finished(Background(mod.run_with_timeout, meeting, list(range(4)),
                                                5.0), "run_with_timeout(func, items, 5.0)",
                                     15.0), "run_with_timeout")
    expect(meeting.peak == 2, f"run_with_timeout(func, 4 items, 5.0) ran {meeting.peak} "
           "calls at once: max_workers defaults to 2.")
    expect(outcome_pair is not None and list(outcome_pair[0]) == [(i, i * 10) for i in range(4)],
           f"run_with_timeout returned {outcome_pair!r}.")
    # A meeting of 3 worker processes: 3 only if max_workers=3 reaches the pool.
    specs = [(str(tmp_path / "three"), 3, index) for index in range(3)]
    values = returned(finished(Background(mod.process_map, executor_tasks.meet, specs, 3),
                               f"process_map(meet, 3 items, 3) under {start_method}", 20.0),
                      "process_map")
    expect(isinstance(values, list) and min(seen for _, seen, _ in values) == 3,
           "the 3 calls of process_map(func, items, max_workers=3) did not run at once: "
           "pass max_workers on to the ProcessPoolExecutor.")
    specs = [(str(tmp_path / "default"), 2, index) for index in range(2)]
    values = returned(finished(Background(mod.process_map, executor_tasks.meet, specs),
                               "process_map(meet, 2 items)", 20.0), "process_map")
    expect(isinstance(values, list) and min(seen for _, seen, _ in values) == 2,
           "the 2 calls of process_map(func, items) did not run at once: max_workers "
           "defaults to 2.")


@pytest.mark.concept("shut_down_every_exit")
@pytest.mark.points(2)
@pytest.mark.parametrize("start_method", ["fork"], indirect=True)
def test_process_map_leaves_no_worker_alive(mod, start_method):
    # Each worker takes 0.15 s to exit: returning before they did shows every time.
    call = finished(Background(mod.process_map, executor_tasks.linger_then, [1, 2, 3], 2),
                    f"process_map under {start_method}", 20.0)
    alive = multiprocessing.active_children()
    values = returned(call, "process_map(linger_then, [1, 2, 3], 2)")
    expect(values == [10, 20, 30], f"process_map returned {values!r}, expected [10, 20, 30].")
    expect(not alive, f"process_map returned while {len(alive)} worker processes were still "
           "alive: shut the executor down and wait for it (`with ProcessPoolExecutor(...)`; "
           "shutdown(wait=False) does not wait).")
    call = finished(Background(mod.process_map, executor_tasks.linger_then, [1, "bad", 3], 2),
                    "process_map with a failing call", 20.0)
    alive = multiprocessing.active_children()
    expect(isinstance(call.error, ValueError) and "bad" in str(call.error),
           f"the call of item 'bad' raised ValueError('bad') in its worker and process_map "
           f"{outcome(call)}: let it propagate.")
    expect(not alive, f"a call raised, and process_map let the exception out while "
           f"{len(alive)} worker processes were alive: shut down on every way out.")
    expect(bounded(mod.process_map, executor_tasks.times_ten, [], 2) == [],
           "process_map(func, [], 2) must return [].")
    expect(bounded(mod.process_map, executor_tasks.times_ten, [7], 4) == [70],
           "process_map(times_ten, [7], max_workers=4) must return [70].")
