"""Tests marked ``alone`` run in a second pytest run, with no other grading beside it."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest

from grader import capacity, channel, manifest, marks, runner, sandbox
from grader.channel import TopicStatus
from grader.manifest import Topic

ROOT = manifest.ROOT

TESTS = '''
import time

import pytest

LOG = {log!r}


def log(what):
    with open(LOG, "a", encoding="utf-8") as handle:
        handle.write(f"{{what}} {{time.monotonic()}}\\n")


def test_beside_others():
    log("{name}-start")
    time.sleep({seconds})
    log("{name}-end")
'''

ALONE = '''

@pytest.mark.alone
@pytest.mark.points(3)
def test_needs_the_cores():
    log("alone-start")
    time.sleep(0.4)
    log("alone-end")
'''


@pytest.fixture(autouse=True)
def _own_lock_files(tmp_path, monkeypatch):
    """These tests' graders share lock files of their own, not the machine's (verify's
    alone runs beside the kit's tests would hold those)."""
    folder = tmp_path / "locks"
    folder.mkdir()
    monkeypatch.setattr(capacity, "lock_files", lambda: folder)


def topic_folder(tmp_path: Path, name: str, seconds: float, alone: bool) -> tuple[Topic, Path]:
    """A topic ``name`` whose tests (one ``alone`` when asked) log their times."""
    tests = tmp_path / f"tests-{name}"
    tests.mkdir()
    shutil.copy(ROOT / "tests" / "conftest.py", tests / "conftest.py")
    text = TESTS.format(log=str(tmp_path / "log"), name=name, seconds=seconds)
    (tests / f"test_{name}.py").write_text(text + (ALONE if alone else ""), encoding="utf-8")
    return Topic(name=name, title=name, lecture="", points=10, hints=("-",)), tests


def intervals(log: Path) -> dict[str, tuple[float, float]]:
    """Each logger's (start, end) from the log."""
    times: dict[str, dict[str, float]] = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        what, at = line.split()
        who, edge = what.rsplit("-", 1)
        times.setdefault(who, {})[edge] = float(at)
    return {who: (t["start"], t["end"]) for who, t in times.items()}


def _logged(log: Path, what: str, within: float) -> bool:
    """Whether ``what`` is in the log within ``within`` s (a loaded machine starts runs late)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if log.exists() and what in log.read_text(encoding="utf-8"):
            return True
        time.sleep(0.05)
    return False


def test_marks_are_read_from_the_source(tmp_path):
    topic, tests = topic_folder(tmp_path, "sample", 0.1, alone=True)
    found = marks.alone([tests / topic.test_file, tests / "hidden" / topic.test_file])
    assert found == {"test_needs_the_cores": 3.0}
    (tests / "hidden").mkdir()
    (tests / "hidden" / topic.test_file).write_text(
        "import pytest\npytestmark = [pytest.mark.alone]\n\ndef test_x():\n    pass\n",
        encoding="utf-8")
    found = marks.alone([tests / topic.test_file, tests / "hidden" / topic.test_file])
    assert found == {"test_needs_the_cores": 3.0, "hidden::test_x": 1.0}
    # Read again after an edit (a parse is kept per text, never per path)
    (tests / "hidden" / topic.test_file).write_text(
        "import pytest\n\ndef test_x():\n    pass\n", encoding="utf-8")
    found = marks.alone([tests / topic.test_file, tests / "hidden" / topic.test_file])
    assert found == {"test_needs_the_cores": 3.0}
    marks.of_file(tests / topic.test_file)["test_needs_the_cores"].clear()
    assert marks.of_file(tests / topic.test_file)["test_needs_the_cores"]   # a copy each time


@pytest.mark.timeout(180)
def test_an_alone_test_waits_for_the_other_runs_and_both_results_count(tmp_path):
    sample, sample_tests = topic_folder(tmp_path, "sample", 0.2, alone=True)
    busy, busy_tests = topic_folder(tmp_path, "busy", 1.5, alone=False)
    source = b"x = 1\n"
    runs = {}

    def grade(topic, tests):
        runs[topic.name] = runner.run_topic(topic, source=source, tests_dir=tests)

    threads = [threading.Thread(target=grade, args=args)
               for args in ((busy, busy_tests), (sample, sample_tests))]
    threads[0].start()
    assert _logged(tmp_path / "log", "busy-start", within=60)   # before sample asks for room
    threads[1].start()
    for thread in threads:
        thread.join(120)
    got = {t.name: (t.status, t.points) for t in runs["sample"].tests}
    assert got == {"test_beside_others": ("passed", 1.0),
                   "test_needs_the_cores": ("passed", 3.0)}
    assert runs["sample"].status == TopicStatus.GRADED
    spans = intervals(tmp_path / "log")
    assert spans["alone"][0] >= spans["busy"][1], spans        # not beside busy's test
    assert spans["sample"][1] <= spans["alone"][0], spans


@pytest.mark.timeout(180)
def test_an_alone_run_waits_for_another_graders_runs(tmp_path):
    sample, tests = topic_folder(tmp_path, "sample", 0.1, alone=True)
    held = threading.Event()
    release = threading.Event()

    def other_grader():             # the same lock files, as another grader process takes them
        with capacity.machine_turn(alone=False):
            held.set()
            release.wait(120)

    other = threading.Thread(target=other_grader)
    other.start()
    assert held.wait(5)
    done = []
    grading = threading.Thread(target=lambda: done.append(
        runner.run_topic(sample, source=b"", tests_dir=tests)))
    grading.start()
    assert _logged(tmp_path / "log", "sample-end", within=60)      # the run beside others went on
    time.sleep(2.0)                                                 # room for a wrong start
    assert "alone-start" not in (tmp_path / "log").read_text(encoding="utf-8")
    released = time.monotonic()
    release.set()
    other.join(10)
    grading.join(60)
    assert done and done[0].status == TopicStatus.GRADED
    assert intervals(tmp_path / "log")["alone"][0] >= released
    assert not any("ran beside" in note for note in done[0].notes)


def test_an_alone_run_never_holds_other_graders_off_while_it_waits():
    with capacity.machine_turn(alone=False):            # another grader's run
        results = []

        def alone_run():
            with capacity.machine_turn(alone=True, wait=1.0) as held:
                results.append(held)

        waiting = threading.Thread(target=alone_run)
        waiting.start()
        time.sleep(0.2)                                 # the alone run is waiting now
        started = time.monotonic()
        with capacity.machine_turn(alone=False) as held:    # a third grader's run
            assert held and time.monotonic() - started < 0.5
        waiting.join(10)
    assert results == [False]                           # it gave up waiting and ran beside


def phase(tests: list[dict], status=TopicStatus.GRADED) -> runner._Phase:  # pylint: disable=protected-access
    """A phase that ended with ``tests``."""
    done = runner._Phase(Path("."), Topic("t", "t", "", 10, ("-",)),  # pylint: disable=protected-access
                         sandbox.Confinement("none", ""))
    done.outcome = (tests, [], status, "")
    return done


def passed(name: str) -> dict:
    """A passed test record."""
    return {"name": name, "status": channel.Status.PASSED, "points": 1.0, "message": "",
            "finished": True}


def test_an_alone_test_that_never_ran_counts_as_failed():
    # Code that spoils the second run's collection must not lose its tests' points.
    tests, _, status, _ = runner._merged(  # pylint: disable=protected-access
        [phase([passed("test_a")]), phase([passed("test_other_alone")])],
        {"test_b": 2.0, "test_other_alone": 1.0})
    assert status == TopicStatus.GRADED
    assert [(t["name"], t["status"], t["points"]) for t in tests] == [
        ("test_a", "passed", 1.0), ("test_other_alone", "passed", 1.0),
        ("test_b", "failed", 2.0)]


def test_a_run_that_collected_nothing_puts_the_topic_in_error():
    tests, _, status, _ = runner._merged(  # pylint: disable=protected-access
        [phase([passed("test_a")]), phase([])], {"test_b": 1.0})
    assert status == TopicStatus.ERROR and not tests
