"""grader.stall: a run where nothing can move stops in seconds; one that waits on a clock never."""

from __future__ import annotations

import platform
import textwrap
import time

import pytest

from grader import manifest, runner, stall
from grader.pytest_plugin import STALL_MESSAGE

X86 = "x86_64"
PROC_SAYS_ENOUGH = platform.machine() in ("x86_64", "aarch64")


@pytest.mark.parametrize(("line", "expected"), [
    ("202 0x7f00 0x80 0x0 0x0 0x0 0xffffffff 0x7ffd 0x7f01", True),      # FUTEX_WAIT, no limit
    ("202 0x7f00 0x189 0x0 0x7ffd10 0x0 0xffffffff 0x7ffd 0x7f01", False),  # WAIT_BITSET timed
    ("202 0x7f00 0x81 0x1 0x0 0x0 0x0 0x7ffd 0x7f01", False),            # FUTEX_WAKE
    ("0 0x3 0x7f00 0x10 0x0 0x0 0x0 0x7ffd 0x7f01", True),               # read
    ("7 0x7ffd 0x1 0xffffffffffffffff 0x0 0x0 0x0 0x7ffd 0x7f01", True),  # poll(-1)
    ("7 0x7ffd 0x1 0x64 0x0 0x0 0x0 0x7ffd 0x7f01", False),              # poll(100 ms)
    ("232 0x4 0x7ffd 0x1 0xffffffff 0x0 0x0 0x7ffd 0x7f01", True),        # epoll_wait(-1)
    ("232 0x4 0x7ffd 0x1 0x0 0x0 0x0 0x7ffd 0x7f01", False),             # epoll_wait(0)
    ("61 0xffffffffffffffff 0x7ffd 0x0 0x0 0x0 0x0 0x7ffd 0x7f01", True),  # wait4
    ("61 0xffffffffffffffff 0x7ffd 0x1 0x0 0x0 0x0 0x7ffd 0x7f01", False),  # wait4 WNOHANG
    ("230 0x1 0x0 0x7ffd 0x0 0x0 0x0 0x7ffd 0x7f01", False),             # clock_nanosleep
    ("running", False),
    ("-1 0x7ffd 0x7f01", False),
])
def test_which_waits_have_no_time_limit(line, expected):
    assert stall.untimed(line, X86) is expected
    assert stall.untimed(line, "sparc64") is False      # unknown numbers: never a stall


def _run(tmp_path, test_code: str, timeout: float = 40):
    """Grade a module of no interest with ``test_code`` as countdown's tests, confined."""
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "conftest.py").write_text(textwrap.dedent("""
        def pytest_addoption(parser):
            parser.addoption("--target")
    """))
    (tests / "test_countdown.py").write_text(textwrap.dedent(test_code))
    topic = manifest.by_name("countdown")[0]
    started = time.monotonic()
    run = runner.run_topic(topic, source=b"", tests_dir=tests, timeout=timeout, confine=True)
    return run, {t.name: t for t in run.tests}, time.monotonic() - started


@pytest.mark.skipif(not PROC_SAYS_ENOUGH, reason="/proc's system call numbers are known "
                    "for x86_64 and aarch64 only")
@pytest.mark.timeout(120)
def test_a_deadlock_costs_seconds_and_the_run_goes_on(tmp_path):
    run, tests, elapsed = _run(tmp_path, """
        import asyncio, os, threading

        def test_locks_in_opposite_orders():
            a, b, both = threading.Lock(), threading.Lock(), threading.Barrier(2)
            def one(first, second):
                with first:
                    both.wait()
                    with second:
                        pass
            workers = [threading.Thread(target=one, args=pair) for pair in ((a, b), (b, a))]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()

        def test_a_child_that_waits_for_its_parent():
            read, write = os.pipe()
            child = os.fork()
            if child == 0:
                os.read(read, 1)
                os._exit(0)
            os.waitpid(child, 0)

        def test_a_future_nobody_sets():
            async def main():
                await asyncio.get_running_loop().create_future()
            asyncio.run(main())

        def test_the_run_goes_on():
            assert True
    """)
    assert elapsed < 25, elapsed               # three stalls; the time limit is 40 s
    for name in ("test_locks_in_opposite_orders", "test_a_child_that_waits_for_its_parent",
                 "test_a_future_nobody_sets"):
        assert tests[name].status == "failed", (name, tests[name])
        assert tests[name].message.startswith(STALL_MESSAGE[:40]), tests[name].message
    assert tests["test_the_run_goes_on"].status == "passed", run
    assert any("waited with no time limit" in note for note in run.notes), run.notes


@pytest.mark.skipif(not PROC_SAYS_ENOUGH, reason="/proc's system call numbers are known "
                    "for x86_64 and aarch64 only")
@pytest.mark.timeout(120)
def test_waits_that_a_clock_ends_are_never_a_stall(tmp_path):
    # Each test's main thread waits with no limit for longer than STALL_SECONDS,
    # while something else in the run waits on a clock: that is not a stall.
    run, tests, _ = _run(tmp_path, f"""
        import asyncio, os, threading, time
        LONG = {stall.STALL_SECONDS * 2.5}

        def test_a_thread_that_sleeps():
            done = threading.Event()
            threading.Thread(target=lambda: (time.sleep(LONG), done.set())).start()
            done.wait()

        def test_a_thread_with_a_timed_wait():
            never = threading.Event()
            worker = threading.Thread(target=never.wait, args=(LONG,))
            worker.start()
            worker.join()

        def test_a_child_that_sleeps():
            child = os.fork()
            if child == 0:
                time.sleep(LONG)
                os._exit(0)
            os.waitpid(child, 0)

        def test_an_event_loop_timer():
            asyncio.run(asyncio.sleep(LONG))
    """)
    assert run.status == "graded", run
    assert {name: t.status for name, t in tests.items()} == dict.fromkeys(tests, "passed"), run
    assert not any("waited with no time limit" in note for note in run.notes), run.notes
