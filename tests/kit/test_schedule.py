"""The schedule control the topic tests rely on does what its docstring promises.

Each guarantee is checked both ways: the mistake it exists for is shown on
every run, and the correct use of the same primitive is left alone.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
import types
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parent.parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

# pylint: disable=wrong-import-position
# The student modules are made by exec at run time: pylint cannot see their names.
# pylint: disable=no-member
import probes  # noqa: E402
from schedule import Schedule  # noqa: E402


def module_of(source: str) -> Any:
    """A module made from ``source``, as a student's file would be (Any: its names vary)."""
    module = types.ModuleType("student")
    exec(compile(textwrap.dedent(source), "student.py", "exec"),  # pylint: disable=exec-used
         module.__dict__)
    return module


LATE_LAMBDA = """
import threading
def start(n, out):
    threads = []
    for i in range(n):
        thread = threading.Thread(target=lambda: out(i))
        thread.start()
        threads.append(thread)
    return threads
"""

BOUND_ARGS = LATE_LAMBDA.replace("target=lambda: out(i)", "target=out, args=(i,)")


@pytest.mark.parametrize("source, want", [(LATE_LAMBDA, [2, 2, 2]), (BOUND_ARGS, [0, 1, 2])])
def test_hold_runs_targets_after_the_call_returned(monkeypatch, source, want):
    module = module_of(source)
    schedule = Schedule(monkeypatch, module, hold=2.0)
    out = probes.Recorder()
    started = time.monotonic()
    threads = schedule.call(module.start, 3, out)
    for thread in threads:
        thread.join(5)
    assert sorted(out.values) == want
    assert time.monotonic() - started < 1.0        # released by the return, not the hold
    assert schedule.started == threads


JOIN_LAST = """
import threading
def run(n, work):
    for _ in range(n):
        thread = threading.Thread(target=work)
        thread.start()
    thread.join()
"""

JOIN_ALL = """
import threading
class Worker(threading.Thread):
    def __init__(self, work):
        super().__init__()
        self.work = work
    def run(self):
        self.work()
def run(n, work):
    threads = [Worker(work) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
"""


def test_linger_shows_a_call_that_joins_one_thread():
    module = module_of(JOIN_LAST)
    for _ in range(5):
        with pytest.MonkeyPatch.context() as patch:
            schedule = Schedule(patch, module, linger=1.0, quick=2)
            started = time.monotonic()
            schedule.call(module.run, 3, lambda: None)
        # The joined thread (the last) is the quick one: the other two still live.
        assert len(schedule.alive_at_return) == 2
        assert time.monotonic() - started < 0.5


def test_linger_spares_a_call_that_joins_all_even_thread_subclasses(monkeypatch):
    module = module_of(JOIN_ALL)
    schedule = Schedule(monkeypatch, module, linger=0.3, quick=0)
    schedule.call(module.run, 3, lambda: None)
    assert len(schedule.started) == 3 and schedule.alive_at_return == []


LOST_WAKE_UP = """
import threading
def play(rounds, out):
    turns = {"ping": threading.Event(), "pong": threading.Event()}
    def player(word, other):
        for _ in range(rounds):
            turns[word].wait()
            out(word)
            turns[other].set()
            turns[word].clear()        # too late: the other may have handed back already
    a = threading.Thread(target=player, args=("ping", "pong"), daemon=True)
    b = threading.Thread(target=player, args=("pong", "ping"), daemon=True)
    a.start(); b.start(); turns["ping"].set(); a.join(); b.join()
"""

RIGHT_ORDER = LOST_WAKE_UP.replace(   # clear first, then print and hand over
    "            turns[word].wait()\n",
    "            turns[word].wait()\n            turns[word].clear()\n",
).replace("            turns[word].clear()        # too late: the other may have handed back"
          " already\n", "")


def test_handover_turns_a_lost_wake_up_into_a_deadlock_seen_at_once(monkeypatch):
    module = module_of(LOST_WAKE_UP)
    schedule = Schedule(monkeypatch, module, handover=True)
    out = probes.Recorder()
    call = probes.Background(schedule.call, module.play, 50, out)
    started = time.monotonic()
    assert not schedule.wait_for(call, 10.0)
    assert time.monotonic() - started < 2.0
    stuck = schedule.stuck(call.thread)
    assert len(stuck) == 3 and sum("Event" in line for line in stuck) == 2


def test_handover_leaves_the_right_order_alone(monkeypatch):
    module = module_of(RIGHT_ORDER)
    schedule = Schedule(monkeypatch, module, handover=True)
    out = probes.Recorder()
    call = probes.Background(schedule.call, module.play, 300, out)
    assert schedule.wait_for(call, 20.0)
    assert out.values == ["ping", "pong"] * 300


FREE_RUNNING = """
import threading
def play(out):
    ping = threading.Thread(target=out, args=("ping",))
    pong = threading.Thread(target=out, args=("pong",))
    ping.start(); pong.start(); ping.join(); pong.join()
"""


def test_first_waits_makes_free_threads_run_first_started_last():
    # Unordered threads print in start order almost always; with first_waits,
    # in the other order every time.
    module = module_of(FREE_RUNNING)
    for _ in range(20):
        with pytest.MonkeyPatch.context() as patch:
            schedule = Schedule(patch, module, first_waits=2.0)
            out = probes.Recorder()
            schedule.call(module.play, out)
            assert out.values == ["pong", "ping"]
            assert schedule.first_waits == 2.0          # the budget was not spent


def test_first_waits_leaves_the_right_order_alone_and_spends_its_budget_once(monkeypatch):
    module = module_of(RIGHT_ORDER)
    for _ in range(20):
        with pytest.MonkeyPatch.context() as patch:
            schedule = Schedule(patch, module, handover=True, first_waits=2.0)
            out = probes.Recorder()
            schedule.call(module.play, 3, out)
            assert out.values == ["ping", "pong"] * 3
            assert schedule.first_waits == 2.0
    # The other thread waits on something not instrumented: one bounded wait, then none.
    blocked = module_of(FREE_RUNNING.replace(
        "ping.start(); pong.start()",
        "import queue\n    q = queue.Queue()\n"
        "    pong = threading.Thread(target=lambda: out(q.get()))\n"
        "    ping = threading.Thread(target=lambda: (out('ping'), q.put('pong')))\n"
        "    ping.start(); pong.start()"))
    schedule = Schedule(monkeypatch, blocked, first_waits=0.3)
    out = probes.Recorder()
    started = time.monotonic()
    schedule.call(blocked.play, out)
    schedule.call(blocked.play, out)
    assert 0.3 <= time.monotonic() - started < 0.6 + 0.5
    assert out.values == ["ping", "pong"] * 2 and schedule.first_waits == 0.0


LAZY = """
import threading
class Counter:
    def __init__(self):
        self._lock = None
        self.value = 0
    def increment(self, amount=1):
        if self._lock is None:
            self._lock = threading.Lock()
        with self._lock:
            self.value = self.value + amount
"""

GUARDED = """
from threading import Lock, RLock
_guard = Lock()
class Counter:
    def __init__(self):
        self.value = 0
    def increment(self, amount=1):
        if not hasattr(self, "_lock"):
            with _guard:
                if not hasattr(self, "_lock"):
                    self._lock = RLock()
        with self._lock:
            self.value = self.value + amount
"""


def hammer(counter, threads: int = 4, each: int = 50) -> None:
    """``threads`` threads released together, each incrementing ``each`` times."""
    gate = threading.Barrier(threads)

    def work():
        gate.wait()
        for _ in range(each):
            counter.increment()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(20)


@pytest.mark.parametrize("source, lost", [(LAZY, True), (GUARDED, False)])
def test_race_creation_makes_a_lazy_lock_lose_updates_every_time(source, lost):
    module = module_of(source)
    for _ in range(3):
        with pytest.MonkeyPatch.context() as patch:
            schedule = Schedule(patch, module, race_creation=True)
            counter = probes.slowed(module.Counter, schedule)()
            hammer(counter)
        assert (counter.value < 200) is lost
        assert (schedule.creation_races > 0) is lost


def test_instrumented_names_still_accept_the_real_classes(monkeypatch):
    module = module_of("import threading\nfrom threading import Event, Lock\n")
    Schedule(monkeypatch, module)
    assert isinstance(threading.Event(), module.threading.Event)
    assert isinstance(threading.Event(), module.Event)
    assert isinstance(module.Event(), threading.Event)
    assert type(module.Lock()) is type(threading.Lock())  # pylint: disable=unidiomatic-typecheck
    assert module.threading.current_thread() is threading.current_thread()


def test_a_plain_pytest_run_ends_although_a_thread_never_will(tmp_path):
    (tmp_path / "conftest.py").write_text((TESTS / "conftest.py").read_text())
    (tmp_path / "test_stuck.py").write_text(textwrap.dedent("""
        import threading
        def test_leaves_a_thread_waiting_forever():
            threading.Thread(target=threading.Event().wait).start()
            assert False, "the reason is shown"
    """))
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "--rootdir", str(tmp_path), "--target", str(tmp_path),
                           str(tmp_path / "test_stuck.py")],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path, check=False)
    assert time.monotonic() - started < 30
    assert done.returncode == 1
    assert "the reason is shown" in done.stdout
    assert "still running" in done.stderr
