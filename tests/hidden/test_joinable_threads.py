"""Hidden tests of topic 2, joinable_threads: graded, never shipped to students."""

from __future__ import annotations

import threading
import time

import pytest

from probes import Background, ReturnGate, describe_exception, expect, fail
from schedule import Schedule


@pytest.mark.concept("own_args_per_thread")
def test_several_arguments_per_call(mod):
    gate = ReturnGate()
    args = [(2, 3), (3, 2), (10, 0)]
    result = gate.call(mod.run_in_threads, gate.wrap(pow, args), args)
    expect(result == [8, 9, 1], f"run_in_threads(pow, [(2, 3), (3, 2), (10, 0)]) "
           f"returned {result!r}: call func(*args).")


@pytest.mark.concept("start_all_then_join")
@pytest.mark.points(2)
def test_eight_calls_at_once(mod):
    gate = threading.Barrier(8, timeout=2.0)
    broken = []
    held = ReturnGate()

    def func(i):
        try:
            gate.wait()
        except threading.BrokenBarrierError:
            broken.append(i)
        return -i

    args = [(i,) for i in range(8)]
    call = Background(held.call, mod.run_in_threads, held.wrap(func, args), args)
    expect(call.finished_within(15.0), "run_in_threads did not return within 15 s.")
    result = call.result()
    expect(not broken, "the 8 calls were not all running at the same time.")
    expect(result == [-i for i in range(8)], f"run_in_threads returned {result!r}.")


@pytest.mark.concept("results_in_order")
def test_twelve_results_in_order(mod):
    # Past ten calls, anything ordered by text ("Thread-10" < "Thread-2") breaks.
    result = mod.run_in_threads(str, [(i,) for i in range(12)])
    expect(result == [str(i) for i in range(12)], f"run_in_threads(str, [(0,), ..., (11,)]) "
           f"returned {result!r}: order the results by their position in args_list "
           "(an index you pass along), not by a thread's name or id.")


@pytest.mark.concept("earliest_exception_after_join")
def test_a_single_failure_is_raised(mod):
    try:
        gate, args = ReturnGate(), [(1,), (0,), (2,)]
        value = gate.call(mod.run_in_threads, gate.wrap(lambda x: 1 / x, args), args)
    except ZeroDivisionError:
        return
    except Exception as exc:  # pylint: disable=broad-exception-caught
        fail(f"expected the ZeroDivisionError of 1/0, got {describe_exception(exc)}.")
    fail(f"1/0 raised in a thread, yet run_in_threads returned {value!r}.")


@pytest.mark.concept("shared_deadline")
@pytest.mark.points(2)
def test_join_all_with_zero_timeout_returns_at_once(mod):
    release = threading.Event()
    threads = [threading.Thread(target=release.wait, args=(5.0,), daemon=True)
               for _ in range(3)]
    for thread in threads:
        thread.start()
    call = Background(mod.join_all, threads, 0)
    finished = call.finished_within(1.0)
    release.set()
    expect(finished, "join_all(threads, timeout=0) waited for the threads: a timeout "
           "of 0 means give up at once (test `timeout is None`, not `not timeout`).")
    expect(call.result() == threads, "join_all(threads, 0) must return the 3 blocked threads.")


@pytest.mark.concept("join_all_returns_alive")
def test_join_all_of_finished_threads(mod):
    threads = [threading.Thread(target=int) for _ in range(3)]
    for thread in threads:
        thread.start()
        thread.join()
    for timeout in (None, 0.5):
        alive = mod.join_all(threads, timeout)
        expect(alive == [], f"join_all of finished threads returned {alive!r}.")
    expect(mod.join_all([], 0.1) == [], "join_all([]) must return [].")


class Abort(BaseException):
    """Not an Exception: `except Exception` lets it through."""


@pytest.mark.concept("earliest_exception_after_join")
def test_any_exception_is_raised_after_joining(mod):
    def func(i):
        if i == 2:
            raise Abort("call 2 aborted")
        return i

    call = Background(mod.run_in_threads, func, [(i,) for i in range(4)])
    expect(call.finished_within(5.0), "a call raised a BaseException (not an Exception) "
           "and run_in_threads did not return within 5 s: catch BaseException in the "
           "thread and pass it back, or the thread dies and its result never comes.")
    did = (f"returned {call.value!r}" if call.error is None
           else f"raised {describe_exception(call.error)}")
    expect(isinstance(call.error, Abort), f"a call raised Abort (a BaseException) and "
           f"run_in_threads {did}: re-raise whatever the call raised - "
           "`except Exception` misses it.")


@pytest.mark.concept("earliest_exception_after_join")
def test_a_returned_exception_is_a_result(mod):
    errors = [ValueError("a value"), KeyError("another")]
    result = mod.run_in_threads(lambda i: errors[i], [(0,), (1,)])
    expect(result == errors, f"func returned two exception objects (as values) and "
           f"run_in_threads gave {result!r}: only a call that raises has failed; a value "
           "that happens to be an exception is a result like any other.")


@pytest.mark.concept("results_in_order")
@pytest.mark.points(2)
def test_calls_share_nothing(mod):
    # Two calls at once, then a call after one that failed: state kept between
    # calls (a module-level queue or results list) mixes them.
    both = threading.Barrier(2, timeout=2.0)

    def tagged(tag, i):
        if i == 0:
            try:
                both.wait()
            except threading.BrokenBarrierError:
                pass
        return f"{tag}{i}"

    with pytest.MonkeyPatch.context() as patch:   # each call's first two threads held
        schedule = Schedule(patch, mod, hold=0.5, quick=2)
        calls = [Background(schedule.call, mod.run_in_threads, tagged,
                            [(tag, i) for i in range(3)]) for tag in "ab"]
        expect(all(call.finished_within(10.0) for call in calls),
               "two run_in_threads calls at once did not both return within 10 s.")
    got = [call.result() for call in calls]
    expect(got == [["a0", "a1", "a2"], ["b0", "b1", "b2"]],
           f"two run_in_threads calls at the same time returned {got}: each call must "
           "keep its own queue and threads (nothing at module level).")
    try:
        mod.run_in_threads(lambda x: 1 // x, [(0,), (0,), (1,)])
    except ZeroDivisionError:
        pass
    after = Background(mod.run_in_threads, str, [(7,), (8,)])
    expect(after.finished_within(5.0), "run_in_threads hung on the call after one that raised.")
    expect(after.result() == ["7", "8"], f"after a call that raised, run_in_threads(str, "
           f"[(7,), (8,)]) returned {after.value!r}: leftovers of the failed call leaked "
           "into the next one.")


@pytest.mark.concept("shared_deadline")
def test_join_all_gives_every_thread_the_whole_time_left(mod):
    # The first of four threads ends at 0.6 s, the others at once; one deadline
    # of 1.5 s: a budget split per thread (1.5 / 4 = 0.375 s each) gives up on it.
    threads = [threading.Thread(target=time.sleep, args=(0.6 if i == 0 else 0.01,), daemon=True)
               for i in range(4)]
    for thread in threads:
        thread.start()
    alive = mod.join_all(threads, 1.5)
    expect(alive == [], f"join_all(4 threads, the first ending at 0.6 s, timeout=1.5) "
           f"returned {len(alive)} of them as alive: the timeout is one deadline for the whole "
           "list - give each join() all the time left until it, not a share.")


@pytest.mark.concept("shared_deadline")
def test_join_all_of_no_threads_with_each_timeout(mod):
    for timeout in (None, 0, 0.001):
        call = Background(mod.join_all, [], timeout)
        expect(call.finished_within(2.0) and call.result() == [],
               f"join_all([], {timeout!r}) must return [] at once.")
    started = time.monotonic()
    thread = threading.Thread(target=time.sleep, args=(0.3,), daemon=True)
    thread.start()
    alive = mod.join_all([thread], 0.001)
    expect(alive == [thread] and time.monotonic() - started < 0.25,
           "join_all([a thread sleeping 0.3 s], timeout=0.001) must give up at once and "
           "return that thread.")
