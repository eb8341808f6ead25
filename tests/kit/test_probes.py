"""The probes the topic tests hand to student code do what the tests rely on.

Only the behaviour a verdict hangs on is tested here: which sleeps a skipping
SleepSpy makes no-ops (an order kept by sleeps must fail every time, while a
caller that polls with sleep must keep its real sleeps).
"""

from __future__ import annotations

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
