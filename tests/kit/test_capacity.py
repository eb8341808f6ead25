"""grader.capacity: topic runs start by what the machine has free, never beyond a fixed --jobs."""

from __future__ import annotations

import threading
import time

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
