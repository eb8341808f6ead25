"""Hidden tests of topic 3, mutex_counter: graded, never shipped to students."""

from __future__ import annotations

import threading

import pytest

from probes import Background, expect, slowed
from schedule import Schedule


@pytest.mark.concept("one_lock_across_read_write")
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


@pytest.mark.concept("counter_on_instance")
def test_counters_are_independent(mod):
    first, second = mod.Counter(), mod.Counter()
    first.increment(2)
    expect(first.value == 2 and second.value == 0,
           "incrementing one Counter changed another: keep value on the instance.")


@pytest.mark.concept("join_every_thread")
@pytest.mark.points(2)
def test_hammer_on_a_slowed_counter(mod, monkeypatch):
    # Threads but the last started are held until hammer returns (0.5 s at most):
    # a hammer that does not join them all reads the counter too early, every time.
    schedule = Schedule(monkeypatch, mod, race_creation=True, hold=0.5, quick=3)
    counter = slowed(mod.Counter, schedule)()
    value = schedule.call(mod.hammer, counter, 4, 100)
    expect(value == 400, f"hammer(slowed Counter, 4, 100) returned {value!r}, not 400.")


@pytest.mark.concept("hammer_returns_the_count")
def test_hammer_edge_sizes(mod):
    expect(mod.hammer(mod.Counter(), 1, 0) == 0, "hammer(Counter(), 1, 0) must return 0.")
    expect(mod.hammer(mod.Counter(), 1, 7) == 7, "hammer(Counter(), 1, 7) must return 7.")


@pytest.mark.concept("join_every_thread")
@pytest.mark.points(2)
def test_two_hammers_at_once(mod):
    # While one hammer's threads are held inside increment, a second hammer on
    # another counter must finish on its own: state kept between calls (a
    # module-level list of threads) makes it wait for, or count, the first's.
    # Threads are counted, not calls: one thread whose held increment ran out of
    # gate time and came back must not pass for a second thread.
    gate, both_inside, lock, callers = threading.Event(), threading.Event(), threading.Lock(), set()

    class Held(mod.Counter):
        """The student's Counter; every increment waits for the test's gate."""

        def increment(self, *args, **kwargs):
            """Note the calling thread, wait for the gate, then the student's increment."""
            with lock:
                callers.add(threading.current_thread())
                if len(callers) >= 2:
                    both_inside.set()
            gate.wait(5.0)
            return super().increment(*args, **kwargs)

    held = Held()
    first = Background(mod.hammer, held, 2, 3)
    try:
        expect(both_inside.wait(5.0), "hammer(counter, 2, 3) did not call "
               "increment from 2 threads within 5 s.")
        with pytest.MonkeyPatch.context() as patch:   # its first thread held, as in hammer_held
            schedule = Schedule(patch, mod, hold=0.5, quick=1)
            second = Background(schedule.call, mod.hammer, mod.Counter(), 2, 5)
            finished = second.finished_within(2.5)
    finally:
        gate.set()
    expect(finished, "a second hammer call (2 x 5 on its own counter) did not return while "
           "the first call's threads were still busy: it waited for threads that are not "
           "its own. Keep no state between calls - each call its own list of threads.")
    expect(second.result() == 10, f"the second hammer returned {second.value!r}, not 10.")
    expect(first.finished_within(10.0) and first.result() == 6 and held.value == 6,
           f"the first hammer (2 x 3) returned {first.value!r}, not 6.")
