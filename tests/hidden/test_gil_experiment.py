"""Hidden tests of topic 7, gil_experiment: graded, never shipped to students.

They repeat the visible checks of processes under every start method, and
add big results, a silent death, state across calls, edge inputs and a
stopped wall clock.
"""

from __future__ import annotations

import os
import threading
import time

import pytest

import gil_experiment_probes as tasks
from probes import (Background, ReturnGate, ThreadEndings, describe_exception, expect, fail,
                    outcome)


@pytest.mark.concept("processes_run_at_once")
@pytest.mark.points(2)
@pytest.mark.parametrize("start_method", ["forkserver"], indirect=True)
def test_processes_run_at_once_under_each_method(mod, start_method, tmp_path):
    call = Background(mod.run_processes, tasks.meet, [(str(tmp_path), 2, i) for i in range(2)])
    expect(call.finished_within(20.0), f"run_processes did not return within 20 s "
           f"under {start_method}.")
    values = call.result()
    pids = {v[1] for v in values}
    expect(os.getpid() not in pids and len(pids) == 2,
           f"under {start_method}, 2 calls ran in {len(pids)} processes"
           f"{', this one among them' if os.getpid() in pids else ''}: one Process per call.")
    expect(min(v[2] for v in values) == 2 and max(v[3] for v in values) < min(v[4] for v in values),
           f"under {start_method}, the 2 processes did not run at the same time.")


@pytest.mark.concept("queue_read_before_join")
@pytest.mark.points(3)
@pytest.mark.parametrize("start_method", ["fork", "spawn"], indirect=True)
def test_big_results_come_back_without_deadlock(mod, start_method, tmp_path):
    # Call 1 returns only once the process of call 0 (1 MB) has exited: in that order.
    size = 1 << 20
    call = Background(mod.run_processes, tasks.in_turn,
                      [(str(tmp_path), 0, None, None, size), (str(tmp_path), 1, 0, None, 10)])
    if not call.finished_within(8.0):
        fail(f"run_processes(func, ...) with a 1 MB result had not returned after 8 s "
             f"({start_method}): a child cannot exit until the parent has read what it "
             "put on the queue, so joining it before reading waits forever. Read every "
             "result from the queue first, then join.")
    values = call.result()
    expect(isinstance(values, list) and len(values) == 2 and values[0] == tasks.big(0, size)
           and values[1] == tasks.big(1, 10),
           "run_processes returned the wrong values for a 1 MB and a 10-byte result.")


@pytest.mark.concept("queue_read_before_join")
@pytest.mark.parametrize("start_method", ["forkserver"], indirect=True)
def test_order_of_args_under_each_method(mod, start_method, tmp_path):
    folder = str(tmp_path)
    call = Background(mod.run_processes, tasks.in_turn,
                      [(folder, 0, 1, "result 0"), (folder, 1, 2, "result 1"),
                       (folder, 2, None, "result 2")])
    expect(call.finished_within(20.0), f"run_processes did not return within 20 s "
           f"({start_method}).")
    values = call.result()
    expect(values == ["result 0", "result 1", "result 2"],
           f"under {start_method}, run_processes returned {values!r} for calls that "
           "finished 2, 1, 0: keep the order of args_list.")


@pytest.mark.concept("queue_read_before_join")
@pytest.mark.points(2)
def test_two_calls_at_once_keep_their_own_results(mod):
    first = Background(mod.run_processes, tasks.outcome_after, [(0, 0.3), (1, 0.3)])
    second = Background(mod.run_processes, tasks.outcome_after, [(5, 0.0), (6, 0.0)])
    expect(first.finished_within(20.0) and second.finished_within(20.0),
           "two run_processes calls made at the same time did not both return within 20 s.")
    expect((sorted(first.result()), sorted(second.result())) == ([0, 10], [50, 60]),
           f"two run_processes calls at the same time returned {first.value!r} and "
           f"{second.value!r}, expected [0, 10] and [50, 60]: each call needs its own "
           "Queue and its own processes, nothing kept at module level.")


@pytest.mark.concept("no_process_left_behind")
@pytest.mark.points(2)
def test_a_process_that_exits_zero_without_a_result(mod, tmp_path, monkeypatch):
    gate = tasks.JoinGate(tmp_path / "gate")
    gate.open(monkeypatch)
    call, finished, alive = gate.call(mod.run_processes, tasks.vanish,
                                      [(0, None, str(gate.folder)), (1, 0)], timeout=10.0)
    if not finished:
        fail("the process of call 1 called os._exit(0) without sending a result, and "
             "run_processes was still waiting 10 s later: an exit code of 0 does not mean "
             "a result is coming. When a process has ended and nothing from it is on the "
             "queue, stop waiting for it.")
    expect(isinstance(call.error, RuntimeError),
           f"a process ended without sending its result, and run_processes "
           f"{outcome(call)}"
           ": raise RuntimeError for it.")
    expect(not alive, "a process outlived run_processes: join them all.")


@pytest.mark.concept("no_process_left_behind")
@pytest.mark.parametrize("start_method", ["forkserver"], indirect=True)
def test_failures_under_forkserver(mod, start_method, tmp_path, monkeypatch):
    gate = tasks.JoinGate(tmp_path / "gate")
    gate.open(monkeypatch)
    held = str(gate.folder)
    call, finished, alive = gate.call(mod.run_processes, tasks.outcome_after,
                                      [(0, 0.0, "call 0 failed", held), (1, 0.2, None, held)])
    expect(finished, f"run_processes did not return within 20 s ({start_method}).")
    expect(isinstance(call.error, ValueError) and str(call.error) == "call 0 failed",
           f"run_processes {outcome(call)}"
           "; expected ValueError('call 0 failed') raised in the parent.")
    expect(not alive, "a process outlived run_processes: join them all.")


@pytest.mark.concept("results_in_order_errors_raised")
def test_empty_lists(mod):
    expect(mod.run_threads(mod.io_work, []) == [], "run_threads(func, []) must return [].")
    expect(mod.run_processes(mod.cpu_work, []) == [], "run_processes(func, []) must return [].")


def io_wait(delay: float) -> float:
    """The test's own I/O-bound task: it sleeps, as io_work must."""
    time.sleep(delay)
    return delay


class Interrupt(BaseException):
    """Not an Exception: `except Exception` does not see it."""


@pytest.mark.concept("results_in_order_errors_raised")
def test_run_threads_passes_on_any_exception(mod):
    endings = ThreadEndings(linger=0.1)
    gate = ReturnGate(hold=0.3)

    def task(i):
        endings.mark()
        if i == 0:                      # ends once run_threads ended
            gate.wait()
            raise Interrupt("call 0 interrupted")
        return i

    call = Background(gate.call, mod.run_threads, task, [(0,), (1,)])
    expect(call.finished_within(10.0), "run_threads did not return within 10 s.")
    expect(endings.still_running == 0, "run_threads ended before joining every thread.")
    expect(isinstance(call.error, Interrupt),
           f"call 0 raised a BaseException (not an Exception) and run_threads "
           f"{outcome(call)}"
           ": catch BaseException in the thread and raise it after joining.")


@pytest.mark.concept("threads_for_io")
@pytest.mark.points(2)
def test_many_io_waits_on_threads(mod):
    started = time.monotonic()
    call = Background(mod.run_threads, io_wait, [(0.1 + i / 1000,) for i in range(20)])
    expect(call.finished_within(10.0), "run_threads of 20 I/O waits did not return "
           "within 10 s.")
    elapsed = call.ended_at - started
    expect(call.result() == [0.1 + i / 1000 for i in range(20)],
           f"run_threads returned {call.value!r}.")
    expect(elapsed < 1.0, f"20 I/O waits of about 0.1 s on threads took {elapsed:.2f} s "
           "(2 s one after another): all 20 threads must wait at once.")


@pytest.mark.concept("threads_for_io")
def test_two_run_threads_at_once(mod):
    release, both_inside = threading.Event(), threading.Barrier(3, timeout=5.0)

    def held(i):
        both_inside.wait()
        release.wait(5.0)
        return i

    first = Background(mod.run_threads, held, [(1,), (2,)])
    both_inside.wait()
    second = Background(mod.run_threads, mod.io_work, [(0.01,)])
    finished = second.finished_within(3.0)
    release.set()
    expect(finished and second.result() == [0.01],
           "a second run_threads call did not return while another call's threads were "
           "still busy: each call joins only its own threads, keeps its own results.")
    expect(first.finished_within(10.0), "the first run_threads call did not return.")


@pytest.mark.concept("cpu_and_io_work")
def test_cpu_and_io_work_values(mod):
    for n in (2, 7, 100_003):
        expected = sum(i * i % 7 for i in range(n))
        expect(mod.cpu_work(n) == expected, f"cpu_work({n}) returned {mod.cpu_work(n)!r}, "
               f"expected {expected}.")
    started = time.monotonic()
    expect(mod.io_work(0) == 0 and mod.io_work(0.15) == 0.15,
           "io_work(delay) must return delay (io_work(0) -> 0, io_work(0.15) -> 0.15).")
    expect(time.monotonic() - started >= 0.15, "io_work(0.15) returned early.")


@pytest.mark.concept("speedup_on_monotonic_clock")
@pytest.mark.points(2)
def test_speedup_ignores_the_wall_clock(mod, monkeypatch):
    def frozen() -> float:
        return 1_700_000_000.0

    def frozen_ns() -> int:
        return 1_700_000_000 * 10**9

    for name, value in list(vars(mod).items()):
        if value is time.time:
            monkeypatch.setattr(mod, name, frozen)
        elif value is time.time_ns:
            monkeypatch.setattr(mod, name, frozen_ns)
    monkeypatch.setattr(time, "time", frozen)
    monkeypatch.setattr(time, "time_ns", frozen_ns)
    try:
        tasks.check_speedup(mod, task_pause=0.02, runner_pause=0.15)
    except (ZeroDivisionError, ArithmeticError) as exc:
        fail(f"with the wall clock stopped (time.time() always the same), speedup raised "
             f"{describe_exception(exc)}: time.time() follows the system clock, which can "
             "stop, jump or go back. Time with time.perf_counter() or time.monotonic().")


@pytest.mark.concept("speedup_on_monotonic_clock")
def test_speedup_of_nothing(mod):
    try:
        value = mod.speedup(mod.run_threads, mod.io_work, [])
    except ValueError:
        return
    except Exception as exc:  # pylint: disable=broad-exception-caught
        fail(f"speedup(runner, func, []) raised {describe_exception(exc)}; expected "
             "ValueError: there is nothing to time.")
    fail(f"speedup(runner, func, []) returned {value!r}; expected ValueError.")
