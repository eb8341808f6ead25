"""Hidden tests of topic 2, joinable_threads: graded, never shipped to students."""

from __future__ import annotations

import threading

import pytest

from probes import Background, ReturnGate, describe_exception, expect, fail


def test_several_arguments_per_call(mod):
    gate = ReturnGate()
    args = [(2, 3), (3, 2), (10, 0)]
    result = gate.call(mod.run_in_threads, gate.wrap(pow, args), args)
    expect(result == [8, 9, 1], f"run_in_threads(pow, [(2, 3), (3, 2), (10, 0)]) "
           f"returned {result!r}: call func(*args).")


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


def test_a_single_failure_is_raised(mod):
    try:
        gate, args = ReturnGate(), [(1,), (0,), (2,)]
        value = gate.call(mod.run_in_threads, gate.wrap(lambda x: 1 / x, args), args)
    except ZeroDivisionError:
        return
    except Exception as exc:  # pylint: disable=broad-exception-caught
        fail(f"expected the ZeroDivisionError of 1/0, got {describe_exception(exc)}.")
    fail(f"1/0 raised in a thread, yet run_in_threads returned {value!r}.")


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


def test_join_all_of_finished_threads(mod):
    threads = [threading.Thread(target=int) for _ in range(3)]
    for thread in threads:
        thread.start()
        thread.join()
    for timeout in (None, 0.5):
        alive = mod.join_all(threads, timeout)
        expect(alive == [], f"join_all of finished threads returned {alive!r}.")
    expect(mod.join_all([], 0.1) == [], "join_all([]) must return [].")
