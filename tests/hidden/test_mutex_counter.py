"""Hidden tests of topic 3, mutex_counter: graded, never shipped to students."""

from __future__ import annotations

import threading

import pytest

from probes import expect, slowed


@pytest.mark.points(2)
def test_no_update_lost_with_amounts(mod):
    counter = slowed(mod.Counter)()
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
def test_hammer_on_a_slowed_counter(mod):
    counter = slowed(mod.Counter)()
    value = mod.hammer(counter, 4, 100)
    expect(value == 400, f"hammer(slowed Counter, 4, 100) returned {value!r}, not 400.")


def test_hammer_edge_sizes(mod):
    expect(mod.hammer(mod.Counter(), 1, 0) == 0, "hammer(Counter(), 1, 0) must return 0.")
    expect(mod.hammer(mod.Counter(), 1, 7) == 7, "hammer(Counter(), 1, 7) must return 7.")
