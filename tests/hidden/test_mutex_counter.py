"""Hidden tests of topic 3, mutex_counter: graded, never shipped to students."""

from __future__ import annotations

import threading

import pytest

from probes import Background, expect, slowed
from schedule import Schedule


@pytest.mark.points(2)
def test_no_update_lost_with_amounts(mod, monkeypatch):
    counter = slowed(mod.Counter, Schedule(monkeypatch, mod, race_creation=True))()
    threads = [threading.Thread(target=lambda: [counter.increment(3) for _ in range(150)])
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    expect(counter.value == 1800, f"4 threads x 150 x increment(3) gave {counter.value}, "
           "not 1800: updates were lost.")


def test_counters_are_independent(mod):
    first, second = mod.Counter(), mod.Counter()
    first.increment(2)
    expect(first.value == 2 and second.value == 0,
           "incrementing one Counter changed another: keep value on the instance.")


@pytest.mark.points(2)
def test_hammer_on_a_slowed_counter(mod, monkeypatch):
    counter = slowed(mod.Counter, Schedule(monkeypatch, mod, race_creation=True))()
    value = mod.hammer(counter, 4, 100)
    expect(value == 400, f"hammer(slowed Counter, 4, 100) returned {value!r}, not 400.")


def test_hammer_edge_sizes(mod):
    expect(mod.hammer(mod.Counter(), 1, 0) == 0, "hammer(Counter(), 1, 0) must return 0.")
    expect(mod.hammer(mod.Counter(), 1, 7) == 7, "hammer(Counter(), 1, 7) must return 7.")


@pytest.mark.points(2)
def test_two_hammers_at_once(mod):
    # State kept between calls (a module-level list of threads, a shared
    # counter) mixes two calls that run at the same time.
    first, second = slowed(mod.Counter)(), slowed(mod.Counter)()
    calls = [Background(mod.hammer, first, 3, 40), Background(mod.hammer, second, 2, 25)]
    expect(all(call.finished_within(20.0) for call in calls),
           "two hammer calls running at the same time did not both return within 20 s.")
    values = [call.result() for call in calls]
    expect(values == [120, 50] and first.value == 120 and second.value == 50,
           f"two hammers at once (3 x 40 and 2 x 25 on two counters) returned {values} "
           f"and left values {[first.value, second.value]}, expected [120, 50]: keep "
           "no state between calls - each call its own threads and its own counter.")
