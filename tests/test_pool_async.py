"""Visible tests of topic 5, pool_async: run `make check T=pool_async`."""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import time
import warnings

import pytest

import pool_tasks
from probes import Background, check_silent_import, describe_exception, expect, fail


@pytest.mark.concept("apply_async_returns_at_once")
@pytest.mark.points(2)
def test_submit_all_returns_at_once(mod, pool, release):
    args = [(str(release), i) for i in range(3)]
    call = Background(mod.submit_all, pool, pool_tasks.wait_for_file, args)
    if not call.finished_within(2.0):
        release.touch()
        fail("submit_all did not return while its tasks were still running: "
             "apply() and get() wait for a task. Use apply_async and return the "
             "AsyncResults at once.")
    results = call.result()
    expect(isinstance(results, list) and len(results) == 3,
           f"submit_all returned {results!r}: expected a list of 3 AsyncResults.")
    expect(all(hasattr(r, "get") and hasattr(r, "ready") for r in results),
           f"submit_all must return AsyncResult handles, got {results!r}.")
    expect(not any(r.ready() for r in results),
           "a task was already finished when submit_all returned: did it wait?")
    release.touch()
    values = [r.get(10) for r in results]
    expect(values == [0, 1, 2], f"the handles gave {values}, expected [0, 1, 2]: "
           "keep the order of args_list.")


@pytest.mark.concept("results_in_order")
@pytest.mark.points(2)
def test_collect_returns_values_in_order(mod, pool):
    results = [pool.apply_async(mod.add, (i, 10)) for i in range(5)]
    values = mod.collect(results, timeout=10)
    expect(values == [10, 11, 12, 13, 14], f"collect returned {values!r}, expected "
           "[10, 11, 12, 13, 14].")
    results = [pool.apply_async(pool_tasks.times_ten, (i,)) for i in range(3)]
    values = mod.collect(results)
    expect(values == [0, 10, 20], f"collect(results) without timeout returned {values!r}.")


@pytest.mark.concept("one_shared_deadline")
@pytest.mark.points(3)
def test_collect_shares_one_deadline(mod):
    # Result i arrives at 0.08 * (i + 1) s: each comes well within 0.2 s of the
    # previous one, but the last only after 0.48 s - past the shared deadline.
    workers = multiprocessing.get_context("fork").Pool(6)
    try:
        results = [workers.apply_async(pool_tasks.sleep_then, (0.08 * (i + 1), i))
                   for i in range(6)]
        started = time.monotonic()
        call = Background(mod.collect, results, 0.2)
        expect(call.finished_within(5.0), "collect(results, timeout=0.2) was still "
               "waiting after 5 s.")
        elapsed = call.ended_at - started
    finally:
        workers.terminate()
    if call.error is None:
        fail(f"collect(results, timeout=0.2) returned all values after {elapsed:.2f} s: "
             "the timeout is one deadline for the whole list, not a fresh 0.2 s for "
             "each result. Compute the deadline once; give get() the time left.")
    expect(isinstance(call.error, multiprocessing.TimeoutError),
           f"collect raised {describe_exception(call.error)}; expected "
           "multiprocessing.TimeoutError.")
    expect(elapsed < 1.0, f"collect(timeout=0.2) raised only after {elapsed:.2f} s: raise "
           "as soon as the shared deadline passes.")


@pytest.mark.concept("task_error_reraised")
def test_collect_reraises_a_task_error(mod, pool):
    results = [pool.apply_async(mod.add, (1, 2)),
               pool.apply_async(pool_tasks.fail_with, ("task 2 failed",))]
    try:
        values = mod.collect(results, timeout=10)
    except ValueError as exc:
        expect("task 2 failed" in str(exc), f"collect raised the wrong ValueError: {exc}")
    except Exception as exc:  # pylint: disable=broad-exception-caught
        fail(f"collect raised {describe_exception(exc)}; expected the task's "
             "ValueError('task 2 failed').")
    else:
        fail(f"a task raised ValueError, yet collect returned {values!r}: let get() "
             "re-raise the task's exception.")


class FakeResult:
    """An AsyncResult look-alike that becomes ready after ``after`` seconds.

    It remembers when ready() was asked and what it answered.
    """

    def __init__(self, after: float, value=None, error: BaseException | None = None):
        self._lock = threading.Lock()
        self._at = time.monotonic() + after
        self._value, self._error = value, error
        self.asked: list[tuple[float, bool]] = []
        self.got_early = False          # get() was called before the result was ready

    def ready(self) -> bool:
        """AsyncResult.ready(), noting when it was asked and what it answered."""
        answer = self._is_ready()
        with self._lock:
            self.asked.append((time.monotonic(), answer))
        return answer

    def _is_ready(self) -> bool:
        return time.monotonic() >= self._at

    def wait(self, timeout=None):
        """AsyncResult.wait(): sleep until ready, or for ``timeout`` s at most."""
        left = self._at - time.monotonic()
        if left > 0:
            time.sleep(left if timeout is None else min(left, timeout))

    def successful(self) -> bool:
        """AsyncResult.successful(): ValueError until ready, then whether it did not fail."""
        if not self._is_ready():
            raise ValueError(f"{self!r} not ready")
        return self._error is None

    def get(self, timeout=None):
        """AsyncResult.get(): the value or the error once ready, TimeoutError before."""
        if not self._is_ready():
            with self._lock:
                self.got_early = True
        self.wait(timeout)
        if not self._is_ready():
            raise multiprocessing.TimeoutError
        if self._error is not None:
            raise self._error
        return self._value

    def gaps_while_waiting(self) -> list[float]:
        """Seconds between consecutive ready() calls that both answered False."""
        with self._lock:
            asked = list(self.asked)
        return [b[0] - a[0] for a, b in zip(asked, asked[1:]) if not a[1] and not b[1]]


@pytest.mark.concept("poll_sleeps_between_checks")
@pytest.mark.points(2)
def test_poll_sleeps_interval_between_checks(mod):
    result = FakeResult(0.2, value="done")
    call = Background(mod.poll, result, 0.15)
    expect(call.finished_within(5.0), "poll did not return within 5 s of the result "
           "becoming ready.")
    expect(call.result() == "done", f"poll returned {call.value!r}, expected the value.")
    gaps = result.gaps_while_waiting()
    expect(len(result.asked) <= 30 and min(gaps, default=1.0) >= 0.12,
           f"poll called ready() {len(result.asked):,} times in 0.2 s with interval=0.15"
           f"{f', as little as {min(gaps):.3f} s apart' if gaps else ''}: sleep "
           "`interval` seconds between checks (time.sleep(interval)), no less.")
    expect(not result.got_early and any(not ready for _, ready in result.asked),
           "poll called get() before ready() had said True: get() just blocks until "
           "the task is done. The lecture's loop asks ready() every interval seconds, "
           "sleeping in between, and takes the value only once it is ready.")


@pytest.mark.concept("task_error_reraised")
@pytest.mark.points(2)
def test_poll_returns_or_raises_the_task_outcome(mod, pool):
    value = mod.poll(pool.apply_async(mod.add, (3, 4)), 0.01)
    expect(value == 7, f"poll of add(3, 4) returned {value!r}, expected 7.")
    try:
        got = mod.poll(pool.apply_async(pool_tasks.fail_with, ("poll me",)), 0.01)
    except ValueError as exc:
        expect("poll me" in str(exc), f"poll raised the wrong ValueError: {exc}")
    else:
        fail(f"the task raised ValueError, yet poll returned {got!r}: when "
             "successful() is False, raise the task's exception (get() re-raises it).")


@pytest.mark.concept("results_in_order")
def test_add(mod):
    expect(mod.add(3, 4) == 7, "add(3, 4) must return 7.")
    expect(mod.add("a", "b") == "ab", "add('a', 'b') must return 'ab' (x + y).")


@pytest.mark.concept("results_in_order")
@pytest.mark.points(2)
@pytest.mark.parametrize("start_method", ["spawn"], indirect=True)   # hidden tests: all three
def test_parallel_map_results_in_order(mod, start_method):
    args = [(i, i) for i in range(6)]
    values = mod.parallel_map(mod.add, args, 2)
    expect(values == [0, 2, 4, 6, 8, 10], f"parallel_map(add, {args}, 2) returned "
           f"{values!r} under {start_method}.")


@pytest.mark.concept("pool_of_processes")
@pytest.mark.points(3)
def test_parallel_map_runs_calls_in_processes_at_once(mod, tmp_path):
    folder = tmp_path / "signed"
    folder.mkdir()
    values = mod.parallel_map(pool_tasks.rendezvous, [(str(folder), 3, i) for i in range(3)], 3)
    expect(isinstance(values, list) and len(values) == 3, f"parallel_map returned {values!r}.")
    pids = {pid for _, pid in values}
    if os.getpid() in pids:
        fail("the calls ran in this process: a ThreadPool or a plain loop gives "
             "threads, not processes. Use multiprocessing.Pool(processes).")
    together = min(seen for seen, _ in values)
    expect(together == 3 and len(pids) == 3,
           f"with processes=3, only {together} of 3 calls were running at the same "
           f"time (in {len(pids)} processes): use Pool(processes) and apply_async for "
           "every call before getting any result.")


@pytest.mark.concept("pool_ended_on_every_exit")
@pytest.mark.points(2)
def test_parallel_map_leaves_no_worker_alive(mod):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        values = mod.parallel_map(pool_tasks.linger_at_exit, [(1,), (2,)], 2)
        alive = multiprocessing.active_children()
        gc.collect()
    unclosed = [w for w in caught if issubclass(w.category, ResourceWarning)
                and "pool" in str(w.message).lower()]
    expect(values == [10, 20], f"parallel_map returned {values!r}, expected [10, 20].")
    expect(not alive and not unclosed,
           f"parallel_map returned with {len(alive)} worker processes still alive "
           f"{'and an unclosed pool' if unclosed else ''}: close() and "
           "join() the pool, or use `with multiprocessing.Pool(...) as pool:`.")


@pytest.mark.concept("import_is_silent")
def test_importing_the_module_is_silent(mod, target_dir):
    check_silent_import(target_dir, "pool_async", lambda: mod.add(1, 2))
