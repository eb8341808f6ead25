"""`make watch`: a save is checked again within seconds, with `make check`'s verdict."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

from grader import catalog, manifest

ROOT = manifest.ROOT
TOPICS = "countdown,joinable_threads"


# Starts argv[1:] as a terminal starts a foreground job: with Ctrl-C's default action.
# A launcher without job control (`cmd &` in a script, some CI runners) hands its
# children SIGINT ignored, and a Python started so never raises KeyboardInterrupt.
AS_A_TERMINAL_JOB = ("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
                     "os.execvp(sys.argv[1], sys.argv[1:])")


class Watching:
    """`python -m grader watch` in the background, its output read line by line."""

    def __init__(self, target, cwd=ROOT, command=None) -> None:
        command = command or [sys.executable, "-m", "grader", "watch", "--target", str(target),
                              "--topics", TOPICS]
        self.process = subprocess.Popen(  # pylint: disable=consider-using-with
            [sys.executable, "-c", AS_A_TERMINAL_JOB, *command], cwd=cwd,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def until(self, text: str, timeout: float) -> list[str]:
        """Lines up to the first that holds ``text``; fails after ``timeout`` s."""
        deadline = time.monotonic() + timeout
        got = []
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                continue
            got.append(line)
            self.seen.append(line)
            if text in line:
                return got
        raise AssertionError(f"no {text!r} within {timeout} s; output:\n" + "\n".join(self.seen))

    def stop(self) -> int:
        """Ctrl-C, as a terminal sends it; the exit status."""
        os.killpg(self.process.pid, signal.SIGINT)
        return self.process.wait(timeout=30)


def check_rows(target) -> list[str]:
    """`make check`'s table rows for the two topics."""
    done = subprocess.run([sys.executable, "-m", "grader", "check", "--target", str(target),
                           "--topics", TOPICS], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=False)
    return [line for line in done.stdout.splitlines() if line[:4].strip().isdigit()]


@pytest.mark.timeout(300)
def test_a_saved_file_is_checked_again_and_the_next_topic_follows(tmp_path):
    target = tmp_path / "exercises"
    target.mkdir()
    for name in TOPICS.split(","):
        shutil.copy(ROOT / "exercises" / f"{name}.py", target)
    watching = Watching(target)
    try:
        start = watching.until("Working on: countdown", 120)
        assert [r for r in start if r[:4].strip().isdigit()] == check_rows(target)
        # A wrong countdown: the same verdict make check gives, within seconds of the save.
        (target / "countdown.py").write_text(
            catalog.case("wrong", "countdown", "sleep_then_check_stop").text, encoding="utf-8")
        saved = time.monotonic()
        after = watching.until("topics complete", 60)
        assert time.monotonic() - saved < 30
        row = next(line for line in after if line.strip().startswith("1  countdown"))
        assert row == check_rows(target)[0], (row, after)
        assert "Working on: countdown" in after[-1]
        # Right now: it passes, and the watch moves on to the next topic.
        shutil.copy(ROOT / "solutions" / "countdown.py", target / "countdown.py")
        after = watching.until("topics complete", 60)
        assert any("countdown passes! Next: joinable_threads." in line for line in after), after
        assert after[-1].startswith("1/2 topics complete. Working on: joinable_threads")
        # A file that is not a topic's changes nothing.
        (target / "notes.py").write_text("x = 1\n", encoding="utf-8")
        time.sleep(2)
        assert watching.lines.empty()
    finally:
        status = watching.stop()
    rest = []
    while not watching.lines.empty():
        rest.append(watching.lines.get())
    assert status == 0 and "Stopped watching." in rest, rest
    assert not any("Traceback" in line for line in watching.seen + rest), watching.seen + rest


@pytest.mark.timeout(300)
def test_the_watch_runs_in_the_student_release(tmp_path):
    release = tmp_path / "release"
    subprocess.run([sys.executable, "-m", "grader", "release", str(release)], cwd=ROOT,
                   check=True, capture_output=True, timeout=120)
    # `make watch` as a student types it (STAMP= reuses this interpreter's packages).
    watching = Watching(release / "exercises", cwd=release, command=[
        "make", "--no-print-directory", "watch", f"T={TOPICS}", f"PY={sys.executable}",
        "STAMP="])
    try:
        watching.until("Working on: countdown", 120)
        shutil.copy(ROOT / "solutions" / "countdown.py", release / "exercises" / "countdown.py")
        after = watching.until("topics complete", 60)
        assert any("countdown passes!" in line for line in after), after
    finally:
        watching.stop()             # make itself reports the interrupt; the watch says goodbye
    watching.until("Stopped watching.", 10)
    assert not any("Traceback" in line for line in watching.seen), watching.seen
