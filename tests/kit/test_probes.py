"""The probes the topic tests hand to student code do what the tests rely on.

Only the behaviour a verdict hangs on is tested here: which sleeps a skipping
SleepSpy makes no-ops (an order kept by sleeps must fail every time, while a
caller that polls with sleep must keep its real sleeps), and when a waited-for
call is given up as hopeless (every other thread waits for another, with no time
limit: a second, not the whole timeout) and when it must not be; and that a look
at every thread's frame cannot hang the test process.
"""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
import time
import types
from pathlib import Path

TESTS = str(Path(__file__).resolve().parent.parent)
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)

import probes  # noqa: E402  pylint: disable=wrong-import-position


def student_module() -> types.SimpleNamespace:
    """A module's globals holding its own name for sleep, as ``from time import sleep`` does."""
    return types.SimpleNamespace(sleep=time.sleep)


def timed(sleep, seconds: float = 0.2) -> float:
    """How long ``sleep(seconds)`` took."""
    started = time.monotonic()
    sleep(seconds)
    return time.monotonic() - started


def in_thread(func):
    """Run ``func`` in a new thread (as code under test starts them); its result."""
    box = []
    thread = threading.Thread(target=lambda: box.append(func()))
    thread.start()
    thread.join(10)
    return box[0]


def test_a_skipping_spy_makes_sleeps_in_started_threads_no_ops(monkeypatch):
    module = student_module()
    spy = probes.SleepSpy(monkeypatch, module, skip=True)
    assert in_thread(lambda: timed(time.sleep)) < 0.1
    assert in_thread(lambda: timed(module.sleep)) < 0.1
    assert len(spy.calls) == 2 and all(seconds == 0.2 for _, seconds, _ in spy.calls)


def test_the_caller_keeps_real_sleeps(monkeypatch):
    module = student_module()
    probes.SleepSpy(monkeypatch, module, skip=True)
    assert timed(module.sleep) >= 0.19                       # the test's own thread
    call = probes.Background(timed, module.sleep)            # a Background caller
    assert call.finished_within(10) and call.result() >= 0.19
    assert in_thread(lambda: timed(probes.real_sleep)) >= 0.19


def test_a_plain_spy_sleeps_for_real_and_notes_who_slept(monkeypatch):
    spy = probes.SleepSpy(monkeypatch)
    elapsed, ident = in_thread(lambda: (timed(time.sleep, 0.05), threading.get_ident()))
    assert elapsed >= 0.049 and spy.by_threads({ident}) == [0.05]
    assert "1 time" in spy.skipped_note({ident}) and spy.skipped_note({0}) == ""


def test_a_return_gate_holds_returns_until_the_call_returned():
    gate = probes.ReturnGate(hold=5.0)
    held = gate.wrap(lambda x: x * 2)
    box = []
    thread = threading.Thread(target=lambda: box.append(held(21)))
    thread.start()
    thread.join(0.2)
    assert thread.is_alive() and not box          # held while the call has not returned
    try:
        gate.call(lambda: 1 / 0)
    except ZeroDivisionError:
        pass
    thread.join(5)
    assert box == [42]                            # a call that raised opened the gate too


def test_a_return_gate_lets_go_after_its_hold():
    gate = probes.ReturnGate(hold=0.1)
    started = time.monotonic()
    assert gate.wrap(lambda: "late")() == "late"
    assert 0.09 <= time.monotonic() - started < 2


def test_a_return_gate_lets_a_call_go_only_after_the_one_before_it():
    gate = probes.ReturnGate(hold=0.3)
    held = gate.wrap(lambda x: x, [(1,), (2,)])
    gate.call(lambda: None)                       # the code under test has returned
    started = time.monotonic()
    assert held(2) == 2                           # (1,) never came: waits out its hold
    assert time.monotonic() - started >= 0.29
    started = time.monotonic()
    assert held(1) == 1 and time.monotonic() - started < 0.25     # first in order: at once
    started = time.monotonic()
    assert held(2) == 2 and time.monotonic() - started < 0.25     # (1,) has gone: at once


def waited(call: probes.Background, timeout: float) -> tuple[bool, float]:
    """``call.finished_within(timeout)`` and how long it took."""
    started = time.monotonic()
    returned = call.finished_within(timeout)
    return returned, time.monotonic() - started


def consumers_without_sentinels() -> None:
    """Two threads in get() on a queue nobody feeds, joined: a pipeline that never ends."""
    items: queue.Queue = queue.Queue()
    workers = [threading.Thread(target=items.get, daemon=True) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


HOPELESS_RUN = """
import sys, time
sys.path.insert(0, sys.argv[1])
sys.path.insert(0, sys.argv[2])
import probes, test_probes
call = probes.Background(test_probes.consumers_without_sentinels)
started = time.monotonic()
returned = call.finished_within(20.0)
print(returned, call.hopeless, round(time.monotonic() - started, 2),
      probes.not_returned(call, 20.0).startswith("never returns"))
"""


def test_a_call_whose_threads_all_wait_forever_is_given_up_within_seconds():
    # In a process of its own, as a topic's tests run: an xdist worker's own
    # threads (execnet's) wait outside threading and rightly keep any call hopeful.
    done = subprocess.run([sys.executable, "-c", HOPELESS_RUN, TESTS, str(Path(__file__).parent)],
                          capture_output=True, text=True, timeout=60, check=False)
    returned, hopeless, took, said = done.stdout.split()
    assert (returned, hopeless, said) == ("False", "True", "True"), done.stdout + done.stderr
    assert probes.HOPELESS <= float(took) < probes.HOPELESS + 3.0, took


def test_a_wait_a_timer_will_end_is_never_hopeless():
    go = threading.Event()
    threading.Timer(probes.HOPELESS + 1.0, go.set).start()
    call = probes.Background(go.wait)
    returned, took = waited(call, 10.0)
    assert returned and not call.hopeless and took >= probes.HOPELESS + 0.9


def test_a_sleeping_thread_keeps_the_call_hopeful():
    done = threading.Event()

    def slow_then_set() -> None:
        time.sleep(probes.HOPELESS + 1.0)
        done.set()

    def call_body() -> None:
        threading.Thread(target=slow_then_set, daemon=True).start()
        done.wait()

    call = probes.Background(call_body)
    returned, _ = waited(call, 10.0)
    assert returned and not call.hopeless


def test_a_child_process_keeps_the_call_hopeful():
    # The child might yet write what a waiting thread reads: wait out the timeout.
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(8)"]) as child:
        try:
            call = probes.Background(threading.Event().wait)
            returned, took = waited(call, probes.HOPELESS + 1.5)
            assert not returned and not call.hopeless and took >= probes.HOPELESS + 1.4
        finally:
            child.kill()


FRAMES_RUN = """
import gc, sys, threading
sys.path.insert(0, sys.argv[1])
import probes
stop = threading.Event()
for _ in range(4):
    threading.Thread(target=stop.wait, daemon=True).start()
for _ in range(200):
    holder = type("Holder", (), {})()
    holder.me, holder.local = holder, threading.local()   # freed only by a collection
    holder.local.value = 1
    del holder
    gc.set_threshold(1)              # the next allocation (a frame object) collects
    frames = probes.current_frames()
    gc.set_threshold(700)
    del frames
print("returned")
"""


def test_looking_at_every_threads_frame_survives_a_collection_that_frees_a_thread_local():
    # On CPython 3.11 a bare sys._current_frames() hangs here for good (issue
    # 106883): a verdict waited 60 s for it once every few grades.
    done = subprocess.run([sys.executable, "-c", FRAMES_RUN, TESTS],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.stdout.strip() == "returned", done.stdout + done.stderr


def test_a_late_measurement_is_taken_once_more_and_an_early_one_never():
    late_then_early = iter([1.0, 0.1])
    assert probes.on_time(lambda: next(late_then_early), lambda took: took < 0.5) == 0.1
    always_late = iter([1.0, 2.0, 3.0])
    assert probes.on_time(lambda: next(always_late), lambda took: took < 0.5) == 2.0
    assert next(always_late) == 3.0               # two attempts in all, by default
    calls = []
    assert probes.on_time(lambda: calls.append(0) or 0.1, lambda took: took < 0.5) == 0.1
    assert len(calls) == 1                        # in time: measured once


def test_a_miss_far_past_any_load_is_not_measured_again():
    calls = []

    def slow_miss() -> float:
        calls.append(0)
        time.sleep(0.3)
        return 9.0

    assert probes.on_time(slow_miss, lambda took: took < 0.5, unless_over=0.2) == 9.0
    assert len(calls) == 1
    assert probes.on_time(slow_miss, lambda took: took < 0.5, unless_over=1.0) == 9.0
    assert len(calls) == 3                        # quick enough to be load: measured again
