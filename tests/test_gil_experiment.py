"""Visible tests of topic 7, gil_experiment: run `make check T=gil_experiment`."""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from pathlib import Path

import pytest

import gil_experiment_probes as tasks
from probes import (Background, ReturnGate, ThreadEndings, check_silent_import,
                    describe_exception, expect, fail, outcome)
from schedule import Schedule

# A build without the GIL (PEP 703) says so; on older Pythons the function is missing.
FREE_THREADED = getattr(sys, "_is_gil_enabled", lambda: True)() is False


def expected_sum(n: int) -> int:
    """What cpu_work(n) must return, computed here the obvious way."""
    return sum(i * i % 7 for i in range(n))


def cpu_seconds(func, *args) -> tuple[float, object]:
    """(CPU time this thread spent in ``func(*args)``, its value)."""
    started = time.thread_time()
    value = func(*args)
    return time.thread_time() - started, value


@pytest.mark.concept("cpu_and_io_work")
@pytest.mark.points(2)
def test_cpu_work_computes_the_sum_by_burning_cpu(mod):
    for n in (0, 1, 10, 1234):
        got = mod.cpu_work(n)
        expect(got == expected_sum(n), f"cpu_work({n}) returned {got!r}, expected "
               f"{expected_sum(n)} = sum(i * i % 7 for i in range({n})).")
    size = 100_000
    ours, _ = cpu_seconds(expected_sum, size)
    for _ in range(2):
        theirs, value = cpu_seconds(mod.cpu_work, size)
        expect(value == expected_sum(size), f"cpu_work({size}) returned {value!r}.")
        expect(theirs >= 0.25 * ours,
               f"cpu_work({size}) used {theirs * 1000:.1f} ms of CPU where the plain loop "
               f"takes {ours * 1000:.1f} ms: it must be CPU-bound work, computed by a "
               "pure-Python loop on every call (no formula, no cache), or the experiment "
               "measures nothing.")


@pytest.mark.concept("cpu_and_io_work")
@pytest.mark.points(2)
def test_io_work_waits_without_burning_cpu(mod):
    started = time.monotonic()
    used, value = cpu_seconds(mod.io_work, 0.3)
    elapsed = time.monotonic() - started
    expect(value == 0.3, f"io_work(0.3) returned {value!r}: return the delay.")
    expect(elapsed >= 0.3, f"io_work(0.3) returned after {elapsed:.3f} s: wait the "
           "whole delay.")
    expect(used < 0.01, f"io_work(0.3) used {used * 1000:.0f} ms of CPU while it waited: "
           "an I/O wait sleeps (time.sleep releases the GIL and the core); a loop that "
           "watches the clock burns a core and holds the GIL.")


class Rendezvous:
    """Calls that go on once ``n`` of them are inside, or when one shared deadline passes."""

    def __init__(self, n: int, limit: float = 2.0) -> None:
        self._changed = threading.Condition()
        self.n, self.limit = n, limit
        self.inside = 0
        self.most_inside = 0
        self.deadline: float | None = None
        self.threads: set[threading.Thread] = set()
        self.pids: set[int] = set()

    def __call__(self, value):
        with self._changed:
            if self.deadline is None:
                self.deadline = time.monotonic() + self.limit
            self.inside += 1
            self.most_inside = max(self.most_inside, self.inside)
            self.threads.add(threading.current_thread())
            self.pids.add(os.getpid())
            self._changed.notify_all()
            while self.most_inside < self.n and time.monotonic() < self.deadline:
                self._changed.wait(self.deadline - time.monotonic())
            self.inside -= 1
        return value * 10


@pytest.mark.concept("threads_for_io")
@pytest.mark.points(2)
def test_run_threads_runs_every_call_at_once_in_its_own_thread(mod):
    meeting, gate = Rendezvous(4), ReturnGate(hold=0.3)

    def task(value):
        result = meeting(value)
        if value != 4:                  # all but the last call end once run_threads ended
            gate.wait()
        return result

    call = Background(gate.call, mod.run_threads, task, [(1,), (2,), (3,), (4,)])
    expect(call.finished_within(10.0), "run_threads did not return within 10 s.")
    expect(meeting.most_inside == 4,
           f"only {meeting.most_inside} of 4 calls were ever running at the same time: "
           "start every thread first, then join them in a second loop (start + join "
           "in one loop runs them one after another).")
    expect(meeting.pids == {os.getpid()}, "the calls ran in another process: run_threads "
           "runs each call in a thread of this process.")
    expect(call.thread not in meeting.threads and len(meeting.threads) == 4,
           f"4 calls ran in {len(meeting.threads)} threads"
           f"{', one of them the calling thread' if call.thread in meeting.threads else ''}"
           ": each call needs its own new thread.")
    expect(call.result() == [10, 20, 30, 40],
           f"run_threads returned {call.value!r}, expected [10, 20, 30, 40].")


def io_wait(delay: float) -> float:
    """The test's own I/O-bound task: it sleeps, as io_work must."""
    time.sleep(delay)
    return delay


@pytest.mark.concept("threads_for_io")
@pytest.mark.points(2)
def test_threads_speed_up_io_bound_work(mod):
    gate = ReturnGate(hold=0.3)

    def wait(delay: float, last: bool) -> float:
        io_wait(delay)
        if not last:                    # all but the last call end once run_threads ended
            gate.wait()
        return delay

    started = time.monotonic()
    call = Background(gate.call, mod.run_threads, wait, [(0.2, i == 7) for i in range(8)])
    expect(call.finished_within(10.0), "run_threads(io_wait, 8 x 0.2 s) did not return "
           "within 10 s.")
    elapsed = call.ended_at - started
    expect(call.result() == [0.2] * 8, f"run_threads of 8 I/O waits of 0.2 s returned "
           f"{call.value!r}.")
    expect(elapsed < 1.2, f"8 I/O waits of 0.2 s (time.sleep) on threads took {elapsed:.2f} "
           "s; one after another they take 1.6 s at least: the waits did not overlap. A "
           "waiting thread releases the GIL, so all 8 threads can wait at once: start "
           "them all before joining any.")


@pytest.mark.concept("results_in_order_errors_raised")
@pytest.mark.points(2)
def test_run_threads_joins_every_thread_and_keeps_the_order(mod):
    gate = ReturnGate(hold=0.15)
    args = [(0,), (1,), (2,), (3,)]

    def task(i):
        return f"result {i}"

    # The calls finish in reverse order (3 first). Every thread but the last one
    # started lingers after its call until run_threads returns (0.3 s at most), so
    # joining only the thread left in the loop variable returns while they still
    # run - every time, not only when they happen to be slow.
    held = gate.wrap(task, order=list(reversed(args)))
    with pytest.MonkeyPatch.context() as patch:
        schedule = Schedule(patch, mod, linger=0.3, quick=3)
        call = Background(gate.call, schedule.call, mod.run_threads, held, args)
        expect(call.finished_within(10.0), "run_threads did not return within 10 s.")
    running = len(schedule.alive_at_return)
    expect(running == 0, f"run_threads returned while {running} of its 4 threads were still "
           "running: join() every thread, not only the last one started.")
    got = call.result()
    expect(got == [f"result {i}" for i in range(4)],
           f"run_threads returned {got!r}, calls finishing 3, 2, 1, 0: results come "
           "back in the order of args_list, whatever order the calls finish in.")


@pytest.mark.concept("results_in_order_errors_raised")
@pytest.mark.points(2)
def test_run_threads_raises_the_earliest_failure_after_joining(mod):
    endings = ThreadEndings(linger=0.1)
    gate = ReturnGate(hold=0.3)
    second_failed = threading.Event()

    def task(i):
        endings.mark()
        if i < 3:                        # all but the last call end once run_threads ended
            gate.wait()
        if i == 1:                       # fails after call 2 did
            second_failed.wait(2.0)
            raise ValueError("call 1 failed")
        if i == 2:
            second_failed.set()
            raise ValueError("call 2 failed")
        return i

    call = Background(gate.call, mod.run_threads, task, [(0,), (1,), (2,), (3,)])
    expect(call.finished_within(10.0), "run_threads did not return within 10 s.")
    running = endings.still_running
    expect(running == 0, f"run_threads ended while {running} of its threads were still "
           "running: join every thread first, then raise.")
    if call.error is None:
        fail(f"calls 1 and 2 raised ValueError, yet run_threads returned {call.value!r}: "
             "after joining, raise the exception of the earliest failing args.")
    expect(isinstance(call.error, ValueError) and str(call.error) == "call 1 failed",
           f"run_threads raised {describe_exception(call.error)}; expected "
           "ValueError('call 1 failed'): call 1 comes before call 2 in args_list, even "
           "though call 2 failed first.")


@pytest.mark.concept("processes_run_at_once")
@pytest.mark.points(3)
@pytest.mark.parametrize("start_method", ["fork", "spawn"], indirect=True)   # hidden: forkserver
def test_run_processes_runs_every_call_at_once_in_its_own_process(mod, start_method,
                                                                   tmp_path):
    n = 2
    call = Background(mod.run_processes, tasks.meet,
                      [(str(tmp_path), n, i) for i in range(n)])
    expect(call.finished_within(20.0), f"run_processes did not return within 20 s "
           f"({start_method}).")
    values = call.result()
    expect(isinstance(values, list) and sorted(v[0] for v in values) == list(range(n)),
           f"run_processes returned {values!r}: expected the {n} calls' results.")
    pids = {v[1] for v in values}
    expect(os.getpid() not in pids, "the calls ran in this process: run_processes runs "
           "each call in a multiprocessing.Process of its own (threads share one GIL).")
    expect(len(pids) == n, f"{n} calls ran in {len(pids)} processes: one Process per call.")
    together = min(v[2] for v in values)
    last_start, first_end = max(v[3] for v in values), min(v[4] for v in values)
    expect(together == n and last_start < first_end,
           f"only {together} of {n} processes were running at the same time: start every "
           "process first, then collect the results and join them (start + join in one "
           "loop runs them one after another).")


@pytest.mark.concept("processes_run_at_once")
@pytest.mark.points(2)
def test_run_processes_returns_what_the_calls_return(mod):
    values = mod.run_processes(mod.cpu_work, [(5000,)])
    expect(values == [expected_sum(5000)],
           f"run_processes(cpu_work, [(5000,)]) returned {values!r}.")
    expect(mod.run_processes(tasks.outcome_after, [(4, 0.0)]) == [40],
           "run_processes(func, [(4, 0.0)]) did not return [func(4, 0.0)].")


@pytest.mark.concept("queue_read_before_join")
@pytest.mark.points(2)
def test_run_processes_keeps_the_order_of_args(mod, tmp_path):
    # Call 0 returns only once the process of call 1 has exited: results arrive 1, then 0.
    call = Background(mod.run_processes, tasks.in_turn,
                      [(str(tmp_path), 0, 1, "result 0"), (str(tmp_path), 1, None, "result 1")])
    expect(call.finished_within(20.0), "run_processes did not return within 20 s.")
    values = call.result()
    expect(values == ["result 0", "result 1"],
           f"run_processes returned {values!r} for calls that finished 1, then 0: the queue "
           "gives results in the order they finish; put (index, outcome) pairs on it and "
           "put each result back at its index.")


@pytest.mark.concept("no_process_left_behind")
@pytest.mark.points(2)
def test_run_processes_joins_every_process(mod, tmp_path, monkeypatch):
    # Each child exits only once run_processes joins it (or returned).
    gate = tasks.JoinGate(tmp_path / "gate")
    gate.open(monkeypatch)
    call, finished, alive = gate.call(mod.run_processes, tasks.linger,
                                      [(i, str(gate.folder)) for i in (1, 2, 3)])
    expect(finished, "run_processes did not return within 20 s.")
    values = call.result()
    expect(isinstance(values, list) and sorted(values) == [10, 20, 30],
           f"run_processes returned {values!r}, expected [10, 20, 30].")
    expect(not alive, f"run_processes returned while {len(alive)} of its 3 processes were "
           "still alive: join() every process (after reading the results) before "
           "returning.")


@pytest.mark.concept("no_process_left_behind")
@pytest.mark.points(2)
def test_run_processes_raises_the_earliest_failure_after_joining(mod, tmp_path, monkeypatch):
    gate = tasks.JoinGate(tmp_path / "gate")
    gate.open(monkeypatch)
    held = str(gate.folder)
    args = [(0, 0.25, None, held), (1, 0.1, "call 1 failed", held),
            (2, 0.0, "call 2 failed", held)]
    call, finished, alive = gate.call(mod.run_processes, tasks.outcome_after, args)
    expect(finished, "run_processes did not return within 20 s when calls raised.")
    if call.error is None:
        fail(f"calls raised ValueError in their processes, yet run_processes returned "
             f"{call.value!r}: send the exception back as the outcome and raise it in the "
             "parent.")
    expect(isinstance(call.error, ValueError) and str(call.error) == "call 1 failed",
           f"run_processes raised {describe_exception(call.error)}; expected "
           "ValueError('call 1 failed'): call 1 comes before call 2 in args_list, even "
           "though call 2 failed first.")
    expect(not alive, f"run_processes raised while {len(alive)} of its processes were still "
           "alive: collect every outcome and join every process first, then raise.")


@pytest.mark.concept("no_process_left_behind")
@pytest.mark.points(2)
def test_run_processes_notices_a_process_that_died(mod, tmp_path, monkeypatch):
    gate = tasks.JoinGate(tmp_path / "gate")
    gate.open(monkeypatch)
    held = str(gate.folder)
    call, finished, alive = gate.call(mod.run_processes, tasks.vanish,
                                      [(0, None, held), (1, 3), (2, None, held)], timeout=10.0)
    if not finished:
        fail("the process of call 1 ended (os._exit(3)) without sending a result, and "
             "run_processes was still waiting 10 s later: a get() without a timeout waits "
             "forever. Wait with a timeout and check the processes' exitcode.")
    expect(isinstance(call.error, RuntimeError),
           f"the process of call 1 died without a result and run_processes "
           f"{outcome(call)}"
           ": raise RuntimeError for it.")
    expect(not alive, f"run_processes raised with {len(alive)} of its processes still alive: "
           "join the others too.")


@pytest.mark.concept("speedup_on_monotonic_clock")
@pytest.mark.points(2)
def test_speedup_is_serial_time_over_runner_time(mod):
    tasks.check_speedup(mod)


@pytest.mark.concept("gil_needs_processes")
@pytest.mark.points(2)
@pytest.mark.alone
def test_cpu_bound_calls_compute_at_once_where_the_build_allows(mod, tmp_path):
    # One test for both builds, so that no build skips (a skipped test costs its points):
    # processes compute at the same instant on any build, threads only without the GIL.
    judge_parallel(mod.run_processes, "processes", tmp_path / "processes")
    if FREE_THREADED:
        judge_parallel(mod.run_threads, "threads", tmp_path / "threads")


WORK = 0.05          # CPU seconds each traced call computes


def own_overlap(kind: str, folder: Path) -> float:
    """Seconds two traced calls of the test's own threads or processes computed at once."""
    folder.mkdir()
    if kind == "threads":
        values = [None, None]

        def run(i):
            values[i] = tasks.trace_work(WORK, str(folder), 2)

        threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(2)]
    else:
        context = multiprocessing.get_context("fork")
        results = context.Queue()
        threads = [context.Process(target=_traced, args=(results, str(folder)), daemon=True)
                   for _ in range(2)]
    for thread in threads:
        thread.start()
    if kind != "threads":
        values = [results.get(timeout=20) for _ in threads]
    for thread in threads:
        thread.join(20)
    return tasks.overlap(values[0][1], values[1][1])


def _traced(results, folder: str) -> None:
    results.put(tasks.trace_work(WORK, folder, 2))


def judge_parallel(runner, kind: str, tmp_path: Path) -> None:
    """Fail unless two calls on ``runner`` compute at the same instant, when the cores allow.

    Each attempt runs the runner's two calls between two checks of the
    machine: do two of the test's own ``kind`` compute at once right now? A
    strike is an attempt where they did both before and after, and the
    runner's calls did not. Two strikes fail; one attempt where the runner's
    calls overlap for a third of their work passes. When the cores were
    not free on both sides (other work on them, coming or going), there is
    nothing to judge.
    """
    tmp_path.mkdir(exist_ok=True)
    strikes, figures = 0, []
    where = ("a process of its own: one GIL per process" if kind == "processes"
             else "a thread of its own")
    before = own_overlap(kind, tmp_path / "ours-0")
    for attempt in range(1, 5):
        folder = tmp_path / f"theirs-{attempt}"
        folder.mkdir()
        call = Background(runner, tasks.trace_work, [(WORK, str(folder), 2)] * 2)
        expect(call.finished_within(30.0), f"running 2 traced calls on {kind} did not "
               "finish within 30 s.")
        values = call.result()
        theirs = tasks.overlap(values[0][1], values[1][1])
        if theirs >= 0.3 * WORK:
            return
        after = own_overlap(kind, tmp_path / f"ours-{attempt}")
        figures.append(f"{theirs * 1000:.0f} ms (ours {before * 1000:.0f} ms before, "
                       f"{after * 1000:.0f} ms after)")
        if min(before, after) >= 0.6 * WORK:
            strikes += 1
        before = after
        if strikes >= 2:
            fail(f"two calls of {WORK * 1000:.0f} ms of CPU work each, run on {kind}, "
                 f"computed at the same instant for only {', '.join(figures)} while two "
                 f"{kind} of the test's own did so on free cores: each call must run in "
                 f"{where}, all of them started before any is joined.")


@pytest.mark.concept("import_is_silent")
def test_importing_the_module_is_silent(mod, target_dir):
    check_silent_import(target_dir, "gil_experiment", lambda: mod.cpu_work(10))
