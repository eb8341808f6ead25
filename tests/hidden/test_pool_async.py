"""Hidden tests of topic 5, pool_async: graded, never shipped to students.

They repeat the visible checks under every start method (fork, forkserver,
spawn), where the visible ones use one.
"""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest

import pool_tasks
from probes import Background, code_stack, describe_exception, expect, fail

OTHER_METHODS = ["forkserver", "spawn"]


@pytest.mark.concept("apply_async_returns_at_once")
@pytest.mark.points(2)
@pytest.mark.parametrize("start_method", OTHER_METHODS, indirect=True)
def test_submit_and_collect_under_each_method(mod, method_pool, release):
    call = Background(mod.submit_all, method_pool, pool_tasks.wait_for_file,
                      [(str(release), i) for i in range(3)])
    if not call.finished_within(2.0):
        release.touch()
        fail("submit_all waited for its tasks.")
    results = call.result()
    release.touch()
    values = mod.collect(results, timeout=10)
    expect(values == [0, 1, 2], f"collect returned {values!r}, expected [0, 1, 2].")
    values = mod.collect([method_pool.apply_async(mod.add, (i, i)) for i in range(3)])
    expect(values == [0, 2, 4], f"collect of add tasks returned {values!r}.")


@pytest.mark.concept("one_shared_deadline")
@pytest.mark.points(2)
def test_collect_gives_up_when_nothing_finishes(mod, pool, release):
    results = [pool.apply_async(pool_tasks.wait_for_file, (str(release), i)) for i in range(4)]
    call = Background(mod.collect, results, 0.15)
    finished = call.finished_within(4.0)
    release.touch()
    if not finished:
        fail("collect(results, timeout=0.15) was still waiting after 4 s: it must "
             "give up when the deadline passes (get(timeout) with the time left).")
    if call.error is None:
        fail(f"collect(results, timeout=0.15) returned {call.value!r} although no task "
             "could finish in time: raise multiprocessing.TimeoutError.")
    expect(isinstance(call.error, multiprocessing.TimeoutError),
           f"collect raised {describe_exception(call.error)}; expected "
           "multiprocessing.TimeoutError (what AsyncResult.get raises).")


@pytest.mark.concept("results_in_order")
def test_collect_edge_cases(mod, pool):
    expect(mod.collect([], timeout=1) == [], "collect([]) must return [].")
    values = mod.collect([pool.apply_async(mod.add, (1, 1))], timeout=5)
    expect(values == [2], f"collect within the deadline returned {values!r}.")


@pytest.mark.concept("task_error_reraised")
@pytest.mark.parametrize("start_method", OTHER_METHODS, indirect=True)
def test_poll_under_each_method(mod, method_pool):
    expect(mod.poll(method_pool.apply_async(mod.add, (2, 2)), 0.01) == 4,
           "poll of add(2, 2) did not return 4.")
    with pytest.raises(ValueError):
        mod.poll(method_pool.apply_async(pool_tasks.fail_with, ("x",)), 0.01)


@pytest.mark.concept("results_in_order")
@pytest.mark.parametrize("start_method", ["fork", "forkserver"], indirect=True)
def test_parallel_map_order_under_each_method(mod, start_method):
    values = mod.parallel_map(mod.add, [(i, 1) for i in range(5)], 2)
    expect(values == [1, 2, 3, 4, 5], f"parallel_map under {start_method} returned {values!r}.")


@pytest.mark.concept("pool_of_processes")
@pytest.mark.points(2)
@pytest.mark.parametrize("start_method", OTHER_METHODS, indirect=True)
def test_parallel_map_in_processes_under_each_method(mod, start_method, tmp_path):
    values = mod.parallel_map(pool_tasks.rendezvous, [(str(tmp_path), 2, i) for i in range(2)], 2)
    pids = {pid for _, pid in values}
    expect(os.getpid() not in pids and len(pids) == 2 and min(s for s, _ in values) == 2,
           f"under {start_method}, the 2 calls did not run at once in 2 worker processes.")
    expect(not multiprocessing.active_children(),
           f"under {start_method}, worker processes outlived parallel_map.")


@pytest.mark.concept("results_in_order")
def test_parallel_map_defaults_and_empty(mod):
    expect(mod.parallel_map(mod.add, [(1, 2)]) == [3], "parallel_map(add, [(1, 2)]) "
           "with the default processes must return [3].")
    expect(mod.parallel_map(mod.add, [], 2) == [], "parallel_map(add, [], 2) must return [].")


@pytest.mark.concept("pool_of_processes")
@pytest.mark.points(2)
@pytest.mark.parametrize("start_method", ["fork", "spawn"], indirect=True)
def test_parallel_map_uses_the_default_start_method(mod, start_method):
    pool_tasks.PARENT_MARK.append(1)
    try:
        seen = mod.parallel_map(pool_tasks.sees_parent_mark, [(0,), (1,)], 2)
    finally:
        pool_tasks.PARENT_MARK.clear()
    forked = start_method == "fork"
    expect(seen == [forked, forked], f"with the default start method set to {start_method}, "
           f"parallel_map's workers {'were not' if forked else 'were'} forked from this "
           "process: use multiprocessing.Pool(processes) (or a context of the current "
           "default method), not a context of your own choosing - the caller decides "
           "how processes start.")


@pytest.mark.concept("pool_ended_on_every_exit")
@pytest.mark.points(2)
def test_parallel_map_leaves_no_worker_when_a_task_raised(mod, tmp_path):
    # One task fails at once; the other waits (10 s at most) for a file nobody
    # makes, so it is still running when parallel_map leaves: a pool that is
    # not ended keeps a live worker for the check, and the pool is never ended
    # while a worker sends a result.
    never = str(tmp_path / "never")
    call = Background(mod.parallel_map, pool_tasks.fail_or_wait,
                      [("task failed", never), (None, never)], 2)
    if not call.finished_within(20.0):
        if _inside_pool_terminate(call.thread):
            return      # CPython's own rare hang in Pool.terminate(): the pool was being ended
        fail("a task raised ValueError and parallel_map had not returned 20 s later: "
             "get() re-raises the task's exception; let it propagate.")
    if call.error is None:
        fail("a task raised ValueError, yet parallel_map returned: let the task's "
             "exception propagate.")
    if not isinstance(call.error, ValueError):
        fail(f"a task raised ValueError and parallel_map raised "
             f"{describe_exception(call.error)}.")
    alive = multiprocessing.active_children()
    expect(not alive, f"a task raised and parallel_map left {len(alive)} worker processes "
           "alive: `with multiprocessing.Pool(...) as pool:` (or try/finally with "
           "terminate()) ends the pool on every way out, the exception's too.")


def _inside_pool_terminate(thread) -> bool:
    """True when ``thread`` is stuck in multiprocessing's own Pool._terminate_pool."""
    return any(code.co_name == "_terminate_pool"
               and code.co_filename.endswith(os.path.join("multiprocessing", "pool.py"))
               for code in code_stack(thread))


@pytest.mark.concept("one_shared_deadline")
def test_collect_of_ready_results_with_no_time_left(mod, pool):
    results = [pool.apply_async(mod.add, (i, i)) for i in range(3)]
    for result in results:
        result.wait(10)
    values = mod.collect(results, timeout=0)
    expect(values == [0, 2, 4], f"collect(results, timeout=0) of results that were all "
           f"ready returned {values!r}: raise TimeoutError only for a result that is "
           "still not ready when the deadline passes.")


@pytest.mark.concept("poll_sleeps_between_checks")
def test_poll_checks_every_tenth_of_a_second_by_default(mod):
    result = PollCounter(0.25)
    call = Background(mod.poll, result)
    expect(call.finished_within(5.0), "poll(result) did not return within 5 s.")
    elapsed = call.ended_at - call.started_at
    expect(call.result() == "done" and elapsed < 0.9 and len(result.asked) <= 10,
           f"poll(result) (interval left at its default) asked ready() "
           f"{len(result.asked)} times and returned after {elapsed:.2f} s for a result "
           "ready at 0.25 s: interval defaults to 0.1 seconds.")


class PollCounter:
    """A result that becomes ready after ``after`` seconds, counting ready() calls."""

    def __init__(self, after: float) -> None:
        self._at = time.monotonic() + after
        self.asked: list[float] = []

    def ready(self) -> bool:
        """AsyncResult.ready()."""
        self.asked.append(time.monotonic())
        return time.monotonic() >= self._at

    def successful(self) -> bool:
        """AsyncResult.successful() once ready."""
        return True

    def get(self, timeout=None):
        """AsyncResult.get(): the value (it is only asked once ready)."""
        del timeout
        return "done"

    def wait(self, timeout=None):
        """AsyncResult.wait(): sleep until ready or ``timeout``."""
        left = self._at - time.monotonic()
        if left > 0:
            time.sleep(left if timeout is None else min(left, timeout))
