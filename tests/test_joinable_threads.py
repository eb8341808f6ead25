"""Visible tests of topic 2, joinable_threads: run `make check T=joinable_threads`."""

from __future__ import annotations

import threading
import time

import pytest

from probes import (Background, ReturnGate, ThreadEndings, check_silent_import,
                    describe_exception, expect, fail)
from schedule import Schedule


class Rendezvous:
    """Calls that only go on once ``n`` of them are running at the same time."""

    def __init__(self, n: int, timeout: float = 2.0) -> None:
        self._lock = threading.Lock()
        self._barrier = threading.Barrier(n, timeout=timeout)
        self.active = 0
        self.most_active = 0
        self.threads: set[int] = set()

    def __call__(self, value):
        with self._lock:
            self.active += 1
            self.most_active = max(self.most_active, self.active)
            self.threads.add(threading.get_ident())
        try:
            self._barrier.wait()
        except threading.BrokenBarrierError:
            pass                      # ran alone: most_active tells the test
        finally:
            with self._lock:
                self.active -= 1
        return value * 10


@pytest.mark.concept("start_all_then_join")
@pytest.mark.points(2)
def test_calls_run_at_the_same_time(mod):
    func = Rendezvous(4)
    gate = ReturnGate()
    args = [(1,), (2,), (3,), (4,)]
    call = Background(gate.call, mod.run_in_threads, gate.wrap(func, args), args)
    expect(call.finished_within(10.0), "run_in_threads did not return within 10 s.")
    expect(func.most_active == 4,
           f"only {func.most_active} of 4 calls were ever running at the same time: "
           "start every thread first, then join them in a second loop "
           "(start + join in one loop runs them one after another).")
    expect(threading.get_ident() not in func.threads and call.thread.ident not in func.threads,
           "func ran in the calling thread: each call needs its own Thread.")
    expect(len(func.threads) == 4, f"4 calls ran in {len(func.threads)} threads: "
           "each call needs its own thread.")
    call.result()
    expect(call.value == [10, 20, 30, 40],
           f"run_in_threads returned {call.value!r}, expected [10, 20, 30, 40].")


@pytest.mark.concept("results_in_order")
@pytest.mark.points(2)
def test_results_come_back_in_the_order_of_args(mod):
    n = 4
    done = [threading.Event() for _ in range(n)]

    def func(i):
        try:                          # call i finishes only after call i+1:
            if i < n - 1:             # completion order is n-1, ..., 1, 0
                done[i + 1].wait(1.0)
            return f"result {i}"
        finally:
            done[i].set()

    # The calls but the last started are held until run_in_threads returns (0.4 s
    # at most): reading results after joining only the last thread finds them
    # missing every time, not only when the others happen to be slower.
    with pytest.MonkeyPatch.context() as patch:
        schedule = Schedule(patch, mod, hold=0.4, quick=n - 1)
        result = schedule.call(mod.run_in_threads, func, [(i,) for i in range(n)])
    want = [f"result {i}" for i in range(n)]
    if result == list(reversed(want)):
        fail(f"got {result}: that is the order the threads finished in. Put "
             "(index, value) on the queue and rebuild the order of args_list.")
    expect(result == want, f"run_in_threads returned {result!r}, expected {want!r}.")


@pytest.mark.concept("join_every_thread")
@pytest.mark.points(2)
def test_every_thread_has_ended_on_return(mod):
    endings = ThreadEndings()

    def func(x):
        endings.mark()
        return x

    with pytest.MonkeyPatch.context() as patch:     # held as in the order test
        schedule = Schedule(patch, mod, hold=0.4, quick=3)
        call = Background(schedule.call, mod.run_in_threads, func, [(i,) for i in range(4)])
        expect(call.finished_within(10.0), "run_in_threads did not return within 10 s.")
    running = max(endings.still_running, len(schedule.alive_at_return))
    if call.error is not None:
        fail(f"run_in_threads raised {describe_exception(call.error)} although no call "
             "failed: were the results read before every thread was joined?")
    result = call.value
    expect(running == 0, f"run_in_threads returned while {running} of 4 threads were "
           "still running: join() every thread before you return.")
    expect(result == [0, 1, 2, 3], f"returned {result!r}, expected [0, 1, 2, 3].")


@pytest.mark.concept("earliest_exception_after_join")
@pytest.mark.points(2)
def test_raises_the_earliest_exception_after_all_threads_end(mod):
    endings = ThreadEndings()
    key_raised = threading.Event()

    value_raised = threading.Event()

    def func(i):
        endings.mark()
        if i == 1:                    # earliest in args_list, but raised last
            key_raised.wait(1.0)
            value_raised.set()
            raise ValueError("call 1 failed")
        if i == 2:                    # a later call still running after both raised
            value_raised.wait(1.0)
            time.sleep(0.3)
        if i == 3:
            try:
                raise KeyError("call 3 failed")
            finally:
                key_raised.set()
        return i

    call = Background(mod.run_in_threads, func, [(0,), (1,), (2,), (3,)])
    expect(call.finished_within(10.0), "run_in_threads did not return within 10 s.")
    running = endings.still_running
    if call.error is None:
        fail(f"two calls raised, yet run_in_threads returned {call.value!r}: it must "
             "raise the exception of the earliest failing args.")
    if isinstance(call.error, KeyError):
        fail("run_in_threads raised KeyError from args (3,), the first exception in "
             "time; it must raise the one of the EARLIEST args that failed, (1,).")
    expect(isinstance(call.error, ValueError) and "call 1" in str(call.error),
           f"expected ValueError('call 1 failed'), got {describe_exception(call.error)}.")
    expect(running == 0, f"run_in_threads raised while {running} threads were still "
           "running: join every thread first, then raise.")


@pytest.mark.concept("results_in_order")
def test_empty_list_gives_empty_result(mod):
    expect(mod.run_in_threads(lambda: 1, []) == [], "run_in_threads(func, []) must return [].")


def blocked_threads(pattern: str, release: threading.Event) -> list[threading.Thread]:
    """Started daemon threads: 'b' blocks until release (max 5 s), 'q' ends at once."""
    threads = [threading.Thread(target=release.wait, args=(5.0,), daemon=True)
               if kind == "b" else threading.Thread(target=int, daemon=True)
               for kind in pattern]
    for thread in threads:
        thread.start()
    for kind, thread in zip(pattern, threads):
        if kind == "q":
            thread.join()
    return threads


@pytest.mark.concept("join_all_returns_alive")
@pytest.mark.points(2)
def test_join_all_returns_the_threads_still_alive_in_order(mod):
    release = threading.Event()
    threads = blocked_threads("bqbqb", release)
    try:
        alive = mod.join_all(threads, timeout=0.1)
    finally:
        release.set()
    want = [threads[0], threads[2], threads[4]]
    expect(isinstance(alive, list), f"join_all returned {alive!r}, not a list.")
    expect(alive == want, "join_all returned threads "
           f"{[threads.index(t) for t in alive if t in threads]} "
           "(by position), expected [0, 2, 4]: the threads still alive, in their "
           "original order.")


@pytest.mark.concept("shared_deadline")
@pytest.mark.points(2)
def test_join_all_shares_one_deadline(mod):
    release = threading.Event()
    threads = blocked_threads("bbbbbb", release)
    started = time.monotonic()
    call = Background(mod.join_all, threads, 0.25)
    finished = call.finished_within(3.0)
    elapsed = time.monotonic() - started
    release.set()
    expect(finished, "join_all(threads, timeout=0.25) was still waiting after 3 s: "
           "it must give up when the timeout has passed.")
    call.result()
    expect(elapsed < 1.0, f"join_all(6 blocked threads, timeout=0.25) took {elapsed:.2f} s: "
           "the timeout is one deadline for the whole list, not 0.25 s for each "
           "thread - give each join() only the time that is left.")
    expect(call.value == threads, "join_all must return all 6 threads still blocked.")


@pytest.mark.concept("join_all_returns_alive")
def test_join_all_without_timeout_waits_for_all(mod):
    threads = [threading.Thread(target=time.sleep, args=(0.02 * i,)) for i in range(1, 4)]
    for thread in threads:
        thread.start()
    alive = mod.join_all(threads)
    expect(alive == [], f"join_all(threads) returned {alive!r}, expected [].")
    expect(not any(t.is_alive() for t in threads),
           "join_all(threads) with no timeout returned before every thread ended.")


@pytest.mark.concept("join_every_thread")
@pytest.mark.points(2)
def test_every_thread_is_joined_whichever_ends_first(mod):
    # Every call's thread but one stays alive a while after func returned (until
    # run_in_threads returns, 0.3 s at most); the quick one is the last started,
    # then the first. Joining only the thread left in the loop variable returns
    # while the others still live - every time, not only on a slow machine.
    for quick in (3, 0):
        with pytest.MonkeyPatch.context() as patch:
            schedule = Schedule(patch, mod, linger=0.3, quick=quick)
            call = Background(schedule.call, mod.run_in_threads, abs, [(-i,) for i in range(4)])
            expect(call.finished_within(10.0), "run_in_threads did not return within 10 s.")
        alive = len(schedule.alive_at_return)
        expect(alive == 0, f"run_in_threads returned while {alive} of its 4 threads were "
               "still running: join() every thread in a loop of its own, not only the "
               "one left in the loop variable.")
        expect(call.result() == [0, 1, 2, 3], f"run_in_threads(abs, ...) returned "
               f"{call.value!r}, expected [0, 1, 2, 3].")


@pytest.mark.concept("join_all_returns_alive")
def test_join_all_returns_as_soon_as_all_have_ended(mod):
    threads = [threading.Thread(target=time.sleep, args=(0.05 * i,), daemon=True)
               for i in range(1, 4)]
    for thread in threads:
        thread.start()
    call = Background(mod.join_all, threads, 3.0)
    expect(call.finished_within(5.0), "join_all(threads, timeout=3.0) did not return in 5 s.")
    elapsed = call.ended_at - call.started_at
    expect(call.result() == [], f"join_all(threads, 3.0) of threads that end within 0.15 s "
           f"returned {call.value!r}, expected []: return the threads still alive when "
           "join_all gives up - here none.")
    expect(elapsed < 1.5, f"join_all(threads, timeout=3.0) took {elapsed:.2f} s although "
           "every thread had ended after 0.15 s: return as soon as all have ended, "
           "the timeout is only the longest you may wait.")


@pytest.mark.concept("import_is_silent")
def test_importing_the_module_is_silent(mod, target_dir):
    check_silent_import(target_dir, "joinable_threads", lambda: mod.run_in_threads(abs, []))


@pytest.mark.concept("own_args_per_thread")
def test_each_thread_calls_func_with_its_own_args(mod):
    # The threads but the last started run func only once run_in_threads has
    # returned (or after 0.3 s): a target that reads the loop variables late -
    # `lambda: func(*args)` in the loop - sees their last values every time.
    with pytest.MonkeyPatch.context() as patch:
        schedule = Schedule(patch, mod, hold=0.3, quick=3)
        call = Background(schedule.call, mod.run_in_threads, str, [(i,) for i in range(4)])
        expect(call.finished_within(10.0), "run_in_threads did not return within 10 s.")
    result = call.result()
    expect(result == ["0", "1", "2", "3"], f"run_in_threads(str, [(0,), (1,), (2,), (3,)]) "
           f"returned {result!r} when its threads started late: a lambda or nested "
           "function made in a loop reads the loop's variables when it runs, after the "
           "loop moved on. Pass them with args=(...) instead.")
