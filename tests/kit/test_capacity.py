"""grader.capacity: topic runs start by what the machine has free, never beyond a fixed --jobs."""

from __future__ import annotations

import contextlib
import threading
import time
from types import SimpleNamespace

import pytest

from grader import capacity


class FakeCpu:
    """/proc/stat as the test wants it: each reading adds ``busy`` of 100 jiffies as work."""

    def __init__(self, busy: float) -> None:
        self.busy = busy
        self.idle = self.total = 0

    def __call__(self) -> tuple[int, int]:
        self.total += 100
        self.idle += round(100 * (1 - self.busy))
        return self.idle, self.total


def most_at_once(gate: capacity.Gate, bodies: int, hold: float) -> tuple[int, float]:
    """Run ``bodies`` bodies through ``gate``; the most inside at once, and the time it took."""
    inside, most = 0, 0
    lock = threading.Lock()

    def body() -> None:
        nonlocal inside, most
        with gate.admit():
            with lock:
                inside += 1
                most = max(most, inside)
            time.sleep(hold)
            with lock:
                inside -= 1

    started = time.monotonic()
    threads = [threading.Thread(target=body) for _ in range(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not any(t.is_alive() for t in threads), "a body never got in"
    return most, time.monotonic() - started


def test_a_fixed_gate_never_lets_in_more_than_jobs():
    assert most_at_once(capacity.Gate(2), 6, 0.05)[0] == 2
    assert most_at_once(capacity.Gate(1), 4, 0.02)[0] == 1


def test_a_busy_machine_still_gets_one_run_per_core(monkeypatch):
    monkeypatch.setattr(capacity, "_cpu_times", FakeCpu(busy=1.0))
    monkeypatch.setattr(capacity, "cores", lambda: 2)
    most, _ = most_at_once(capacity.Gate(), 5, 0.3)
    assert most == 2


def test_a_free_machine_takes_more_runs_than_cores_but_starts_one_per_core(monkeypatch):
    monkeypatch.setattr(capacity, "_cpu_times", FakeCpu(busy=0.0))
    monkeypatch.setattr(capacity, "cores", lambda: 2)
    gate = capacity.Gate()
    assert gate.most == capacity.PER_CORE * 2
    most, _ = most_at_once(gate, 6, 2.5)
    assert most == 6                        # runs that wait leave room for more
    monkeypatch.setattr(capacity, "STARTUP", 5.0)
    most, _ = most_at_once(capacity.Gate(), 4, 0.5)
    assert most == 2                        # but never more in start-up than cores


def test_without_proc_stat_the_gate_still_admits(monkeypatch):
    monkeypatch.setattr(capacity, "_cpu_times", lambda: None)
    monkeypatch.setattr(capacity, "STARTUP", 0.0)
    assert most_at_once(capacity.Gate(), 3, 0.3)[0] == 3


@pytest.mark.parametrize("most", [None, 0])
def test_auto_is_the_default_and_zero_means_auto(most):
    gate = capacity.Gate(most)
    assert not gate.fixed and gate.most == capacity.PER_CORE * capacity.cores()
    gate.configure(3)
    assert gate.fixed and gate.most == 3


def admitted_in_order(gate: capacity.Gate, asks: list[tuple[str, bool, float]]) -> list[str]:
    """Names in the order ``gate`` let them in; each ask is (name, alone, expected seconds).

    A first run holds the gate while every ask queues up, one after another.
    """
    order: list[str] = []
    release = threading.Event()

    def holder() -> None:
        with gate.admit():
            release.wait(10)

    def ask(name: str, alone: bool, expected: float) -> None:
        with gate.admit(alone, expected=expected):
            order.append(name)
            time.sleep(0.02)

    threads = [threading.Thread(target=holder)]
    threads[0].start()
    time.sleep(0.1)
    for name, alone, expected in asks:
        threads.append(threading.Thread(target=ask, args=(name, alone, expected)))
        threads[-1].start()
        time.sleep(0.1)                    # each is waiting before the next asks
    release.set()
    for thread in threads:
        thread.join(10)
    return order


def test_waiting_runs_go_in_longest_expected_first_then_first_come(monkeypatch):
    monkeypatch.setattr(capacity, "machine_turn", lambda alone: contextlib.nullcontext(True))
    order = admitted_in_order(capacity.Gate(1), [("short", False, 1.0), ("unknown", False, 0.0),
                                                 ("long", False, 9.0), ("middle", False, 4.0),
                                                 ("unknown too", False, 0.0)])
    assert order == ["long", "middle", "short", "unknown", "unknown too"]


def test_an_alone_run_lets_every_waiting_run_go_first(monkeypatch):
    monkeypatch.setattr(capacity, "machine_turn", lambda alone: contextlib.nullcontext(True))
    order = admitted_in_order(capacity.Gate(2), [("alone", True, 0.0), ("later", False, 0.0),
                                                 ("last", False, 0.0)])
    assert order == ["later", "last", "alone"]


def test_run_times_are_kept_between_graders_and_averaged(tmp_path):
    path = tmp_path / "run-seconds.json"
    first = capacity.RunTimes(path)
    assert first.expected("countdown") == 0.0
    first.note("countdown", 4.0)
    first.note("countdown", 2.0)
    assert first.expected("countdown") == 3.0
    assert capacity.RunTimes(path).expected("countdown") == 3.0      # another grader reads it
    path.write_text("{not json", encoding="utf-8")
    assert capacity.RunTimes(path).expected("countdown") == 0.0      # damaged: nothing known


def test_topics_ask_longest_first_counting_every_run_of_each(tmp_path):
    times = capacity.RunTimes(tmp_path / "run-seconds.json")
    times.note("short", 1.0)
    times.note("split", 2.0)
    times.note("split [alone]", 1.5)         # its two runs: 3.5 s in all
    times.note("long", 3.0)
    times.note("splitting", 9.0)             # another topic, not a run of "split"
    topics = [SimpleNamespace(name=n) for n in ("unknown", "short", "split", "long", "new")]
    order = [t.name for t in times.longest_first(topics)]
    assert order == ["split", "long", "short", "unknown", "new"]


def test_an_alone_run_that_waited_its_patience_out_goes_before_later_runs(monkeypatch):
    monkeypatch.setattr(capacity, "machine_turn", lambda alone: contextlib.nullcontext(True))
    monkeypatch.setattr(capacity, "ALONE_PATIENCE", 0.05)
    order = admitted_in_order(capacity.Gate(2), [("alone", True, 0.0), ("later", False, 0.0),
                                                 ("last", False, 9.0)])
    assert order == ["alone", "last", "later"]
