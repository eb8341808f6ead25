"""grader.stuck: a deadlock ends its test in seconds; anything that can still wake is left alone."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

HEADER = """
import os, queue, subprocess, sys, threading, time
"""


def run_tests(tmp_path: Path, body: str, limit: int = 20) -> tuple[str, float]:
    """Run one test file under the grader's plugin; its output and how long it took."""
    (tmp_path / "test_case.py").write_text(HEADER + textwrap.dedent(body), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "pytest_timeout",
                           "-p", "grader.pytest_plugin", "-q", "-p", "no:cacheprovider",
                           f"--timeout={limit}", "-o", "addopts=", "--rootdir", str(tmp_path),
                           str(tmp_path / "test_case.py")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    return done.stdout + done.stderr, time.monotonic() - started


def test_a_get_on_an_empty_queue_fails_in_seconds_naming_the_line(tmp_path):
    output, seconds = run_tests(tmp_path, """
        def test_hangs():
            queue.Queue().get()

        def test_after_it_runs():
            pass
    """)
    assert "every thread waits and none can wake another" in output, output
    assert "the test's thread in Queue.get() called at test_case.py line 5, in test_hangs()" \
        in output, output
    assert "1 failed, 1 passed" in output, output
    assert seconds < 12, seconds


def test_threads_waiting_on_each_other_are_named(tmp_path):
    output, seconds = run_tests(tmp_path, """
        def test_two_players_wait_for_each_other():
            ping, pong = threading.Event(), threading.Event()
            players = [threading.Thread(target=ping.wait, name="ping", daemon=True),
                       threading.Thread(target=pong.wait, name="pong", daemon=True)]
            for player in players:
                player.start()
            for player in players:
                player.join()
    """)
    assert "deadlock" in output and "ping in" in output and "pong in" in output, output
    assert "Thread.join()" in output, output
    assert seconds < 12, seconds


@pytest.mark.parametrize("waker", [
    "threading.Thread(target=lambda: (time.sleep(2.5), done.set()), daemon=True).start()",
    # a thread that polls with a timeout can still act
    "threading.Thread(target=lambda: [done.wait(0.05) for _ in range(50)] and done.set(),"
    " daemon=True).start()",
    # a thread blocked reading a pipe wakes when another process writes
    "threading.Thread(target=lambda: (subprocess.run([sys.executable, '-c', "
    "'import time; time.sleep(2.5)']), done.set()), daemon=True).start()",
])
def test_a_wait_that_something_can_still_end_is_left_alone(tmp_path, waker):
    output, _ = run_tests(tmp_path, f"""
        def test_waits_for_a_waker():
            done = threading.Event()
            {waker}
            done.wait()
    """)
    assert "1 passed" in output and "deadlock" not in output, output


def test_a_spinning_thread_is_not_a_deadlock_and_the_time_limit_still_applies(tmp_path):
    output, seconds = run_tests(tmp_path, """
        def test_spins_forever():
            never = threading.Event()
            def spin():
                while not never.is_set():
                    pass
            threading.Thread(target=spin, daemon=True).start()
            never.wait()
    """, limit=4)
    assert "deadlock" not in output and "Timeout" in output, output
    assert seconds >= 4
