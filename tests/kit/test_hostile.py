"""Hostile submissions: whatever the code does, the grader survives and scores right.

Each case plants one attack in countdown.py, beside a correct asyncio_chain.py,
and grades both topics through `python -m grader grade`'s pipeline. For each:
bounded time, countdown scores what it should, asyncio_chain keeps full marks,
no stray process, no file touched outside, no connection made.
"""

from __future__ import annotations

import concurrent.futures
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import pytest
from kitsupport import SLEEP_TAG, SOLUTION, open_folder, stray_sleepers

from grader import manifest, pipeline, runner, sandbox

ROOT = manifest.ROOT
TOPICS = manifest.by_name("countdown,asyncio_chain")
ASYNC_SOLUTION = (ROOT / "solutions" / "asyncio_chain.py").read_text(encoding="utf-8")
STUB = (ROOT / "exercises" / "countdown.py").read_text(encoding="utf-8")
# Other copies of the kit on this machine (a developer's clones) are not the grader's to
# close; Gradescope's image holds one. Without bwrap the hunters skip them.
OTHER_KITS = [str(p) for p in Path("/").glob("*/*/solutions/countdown.py")
              if not p.is_relative_to(ROOT)]


def submit(tmp_path: Path, countdown: str | bytes | None, timeout: float = 20):
    """Grade ``countdown`` beside a correct asyncio_chain.py; the result and countdown's outcome.

    Asserts what must hold whatever the code did: asyncio_chain keeps full
    marks, the grading took bounded time and no stray process was left.
    """
    folder = tmp_path / "student"
    folder.mkdir()
    (folder / "asyncio_chain.py").write_text(ASYNC_SOLUTION, encoding="utf-8")
    if countdown is not None:
        data = countdown.encode() if isinstance(countdown, str) else countdown
        (folder / "countdown.py").write_bytes(data)
    started = time.monotonic()
    result = pipeline.grade_submission(folder, TOPICS, timeout=timeout)
    elapsed = time.monotonic() - started
    by_topic = {t.topic: t for t in result.topics}
    correct = by_topic["asyncio_chain"]
    assert correct.complete, (correct.status, correct.score, [
        (t.name, t.status, t.message) for t in correct.tests if t.status != "passed"])
    assert elapsed < timeout * 2 + 20
    assert not stray_sleepers()
    return result, by_topic["countdown"]


CASES = {
    "exit at import": ("import sys\nsys.exit(3)\n", 0),
    "os._exit at import": ("import os\nos._exit(0)\n", 0),
    "input() at import": ("name = input('who? ')\n", 0),
    "6 GB allocation": ("hog = bytearray(6 * 1024 ** 3)\n", 0),
    "segfault": ("import ctypes\nctypes.string_at(0)\n", 0),
    "recursion bomb": ("import sys\nsys.setrecursionlimit(10 ** 6)\n"
                       "def f(n):\n    return f(n + 1)\nf(0)\n", 0),
    "kills its parent": ("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n"
                         "os.killpg(0, signal.SIGKILL)\n", 0),
    "never-ending non-daemon thread": (
        SOLUTION + "\nimport time as _t\n"
        "threading.Thread(target=_t.sleep, args=(10 ** 6,)).start()\n",
        9.64),      # only the silent-import test fails: a thread started at import
    "setsid children that sleep": (
        SOLUTION + f"\nimport os as _os\nif _os.fork() == 0:\n    _os.setsid()\n"
        f"    _os.execvp('sleep', ['sleep', '{SLEEP_TAG}'])\n", 9.64),
    "patches pytest's runtest": (
        STUB + "\nimport _pytest.python\n_pytest.python.Function.runtest = lambda self: None\n", 0),
    "patches the tests' probes": (
        STUB + "\nimport probes\nprobes.fail = probes.expect = lambda *a, **k: None\n", 0),
    "kills its grandparent and up": (
        STUB + "\nimport os as _os, signal as _signal\n_pid = _os.getppid()\n"
        "while _pid > 1:\n    _stat = open(f'/proc/{_pid}/stat').read().rsplit(')', 1)[1].split()\n"
        "    try:\n        _os.kill(_pid, _signal.SIGKILL)\n    except OSError:\n        pass\n"
        "    _pid = int(_stat[1])\n", 0),
    "escapes the kill with a clean environment": (
        SOLUTION + f"\nimport os as _os\nif _os.fork() == 0:\n    _os.setsid()\n"
        f"    if _os.fork() == 0:\n"
        f"        _os.execve('/bin/sleep', ['sleep', '{SLEEP_TAG}'], {{}})\n"
        f"    _os._exit(0)\n", 9.64),
    # These two break the contract's silent import (a line, a process): that one test only.
    "100 MB of output": (SOLUTION + "\nimport sys as _s\n_s.stdout.write('x' * 100_000_000)\n",
                         9.64),
}


@pytest.mark.timeout(120)
@pytest.mark.parametrize("name", list(CASES))
def test_hostile_code_costs_only_its_topic(tmp_path, name, mode):
    code, expected = CASES[name]
    result, countdown = submit(tmp_path, code)
    assert countdown.score == expected, (name, mode, countdown.message, result.notes)
    if "patches" in name:
        assert any("imports" in f for f in result.notes), result.notes


def test_an_infinite_loop_at_import_is_stopped(tmp_path):
    # The limit is every topic's, the correct asyncio_chain's too: 10 s, not 6,
    # which it passed by 0.18 s once on a machine running two test suites.
    _, countdown = submit(tmp_path, "while True:\n    pass\n", timeout=10)
    assert countdown.score == 0 and countdown.status in {"timeout", "error"}


def test_syntax_and_encoding_errors_cost_their_topic(tmp_path):
    _, countdown = submit(tmp_path, "def countdown(:\n")
    assert countdown.status == "error" and "SyntaxError at line 1" in countdown.message
    shutil.rmtree(tmp_path / "student")
    _, countdown = submit(tmp_path, b"x = '\xff\xfe'\n")
    assert countdown.status == "error" and "not UTF-8" in countdown.message


def test_a_missing_file_is_missing(tmp_path):
    _, countdown = submit(tmp_path, None)
    assert countdown.status == "missing" and countdown.score == 0


def test_hunting_for_the_solutions_finds_nothing(tmp_path, mode):
    others = [] if mode == "bwrap" else OTHER_KITS
    hunter = STUB + f"""
import pathlib as _p
for _path in [{str(ROOT / "solutions" / "countdown.py")!r}, *map(str, _p.Path("/").glob("*/*/solutions/countdown.py"))]:
    if _path in {others!r}:
        continue
    try:
        exec(_p.Path(_path).read_text(), globals())
        break
    except OSError:
        pass
"""
    _, countdown = submit(tmp_path, hunter)
    assert countdown.score == 0, countdown


def test_no_file_outside_is_touched_and_no_connection_made(tmp_path, mode):
    canary = open_folder() / "canary.txt"
    canary.write_text("keep me", encoding="utf-8")
    canary.chmod(0o644)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    port = server.getsockname()[1]
    attack = SOLUTION + f"""
import os as _os, socket as _socket
for _victim in [{str(canary)!r}, {str(ROOT / "topics.toml")!r}]:
    try:
        _os.remove(_victim)
    except OSError:
        pass
try:
    _socket.create_connection(("127.0.0.1", {port}), timeout=1).sendall(b"hello")
except OSError:
    pass
"""
    connections = []

    def accept():
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not stop.is_set():
            try:
                connections.append(server.accept())
            except OSError:
                continue

    stop = threading.Event()
    listener = threading.Thread(target=accept, daemon=True)
    listener.start()
    try:
        result, countdown = submit(tmp_path, attack)
    finally:
        stop.set()
        listener.join(5)
        server.close()
    assert countdown.score == 10, (mode, countdown.message)
    assert not any("network not cut" in f for f in result.notes), result.notes
    assert canary.read_text(encoding="utf-8") == "keep me"
    assert (ROOT / "topics.toml").exists()
    assert not connections


def test_a_planted_conftest_is_never_used(tmp_path):
    folder = tmp_path / "student"
    folder.mkdir()
    (folder / "conftest.py").write_text(
        "import pytest\n@pytest.hookimpl(wrapper=True)\n"
        "def pytest_runtest_makereport(item, call):\n    report = yield\n"
        "    report.outcome = 'passed'\n    return report\n", encoding="utf-8")
    (folder / "pytest.ini").write_text("[pytest]\naddopts = -p no:grader.pytest_plugin\n",
                                       encoding="utf-8")
    (folder / "countdown.py").write_text(STUB, encoding="utf-8")
    (folder / "asyncio_chain.py").write_text(ASYNC_SOLUTION, encoding="utf-8")
    result = pipeline.grade_submission(folder, TOPICS)
    assert {t.topic: t.score for t in result.topics} == {"countdown": 0, "asyncio_chain": 10}


def test_unsafe_zip_entries_and_symlinks_are_refused(tmp_path):
    archive = tmp_path / "student.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("../../countdown.py", SOLUTION)
        zipped.writestr("/abs/countdown.py", SOLUTION)
        link = zipfile.ZipInfo("repo/countdown.py")
        link.external_attr = 0o120777 << 16
        zipped.writestr(link, str(ROOT / "solutions" / "countdown.py"))
        zipped.writestr("repo/exercises/asyncio_chain.py", ASYNC_SOLUTION)
    result = pipeline.grade_submission(archive, TOPICS)
    scores = {t.topic: (t.status, t.score) for t in result.topics}
    assert scores == {"countdown": ("missing", 0), "asyncio_chain": ("graded", 10)}
    assert sum("refused" in f for f in result.flags) == 3, result.flags
    assert not (tmp_path.parent / "countdown.py").exists()

    folder = tmp_path / "linked"
    folder.mkdir()
    (folder / "countdown.py").symlink_to(ROOT / "solutions" / "countdown.py")
    (folder / "asyncio_chain.py").write_text(ASYNC_SOLUTION, encoding="utf-8")
    result = pipeline.grade_submission(folder, TOPICS)
    assert {t.topic: t.score for t in result.topics} == {"countdown": 0, "asyncio_chain": 10}
    assert any("symlink not followed" in f for f in result.flags)


@pytest.mark.timeout(300)
def test_grading_the_same_submission_is_repeatable(tmp_path):
    (tmp_path / "s").mkdir()
    for topic in TOPICS:
        shutil.copy(ROOT / "solutions" / topic.module_file, tmp_path / "s")
    # Twenty grades asked for at once: the scheduler runs as many as the machine
    # takes, and the load they make on one another must not move a point.
    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
        grades = pool.map(lambda _: pipeline.grade_submission(tmp_path / "s", TOPICS), range(20))
        scores = {tuple(t.score for t in grade.topics) for grade in grades}
    assert scores == {(10.0, 10.0)}


def test_the_command_line_prints_json(tmp_path):
    (tmp_path / "s").mkdir()
    shutil.copy(ROOT / "solutions" / "countdown.py", tmp_path / "s")
    done = subprocess.run([sys.executable, "-m", "grader", "grade", str(tmp_path / "s"),
                           "--format", "json", "--topics", "countdown"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    import json  # pylint: disable=import-outside-toplevel
    data = json.loads(done.stdout)
    assert data["score"] == 10 and data["topics"][0]["status"] == "graded"
    assert {"submission", "score", "max_score", "flags", "topics"} <= set(data)


def test_read_only_views_stay_read_only(tmp_path, mode):
    """Root inside the sandbox has no capabilities left: no remount, no writes to the kit."""
    targets = [Path(sys.prefix) / "kit-was-here", ROOT / "grader" / "kit-was-here"]
    attack = SOLUTION + f"""
import subprocess as _sp, sys as _sys
for _target in {[str(t) for t in targets]!r}:
    _folder = _target.rsplit("/", 1)[0]
    _sp.run(["mount", "-o", "remount,rw", _folder], capture_output=True)
    _sp.run(["mount", "-o", "remount,rw,bind", _folder], capture_output=True)
    try:
        open(_target, "w").write("pwned")
    except OSError:
        pass
"""
    try:
        _, countdown = submit(tmp_path, attack)
        assert countdown.score == 10, mode
        assert not any(t.exists() for t in targets)
    finally:
        for target in targets:
            target.unlink(missing_ok=True)


def test_forging_the_results_or_the_autograder_script_fails(tmp_path, mode, monkeypatch):
    """Gradescope's /autograder: results.json and run_autograder, written by root after grading."""
    tree = open_folder() / "autograder"
    (tree / "results").mkdir(parents=True)
    results, script = tree / "results" / "results.json", tree / "run_autograder"
    results.write_text("{}", encoding="utf-8")
    script.write_text("#!/bin/sh\n", encoding="utf-8")
    for path, mode_bits in ((tree, 0o755), (tree / "results", 0o777), (results, 0o666),
                            (script, 0o777)):
        path.chmod(mode_bits)       # careless modes: the grader must close them itself
    monkeypatch.setenv(sandbox.PROTECT, str(tree))
    sandbox.reset()
    attack = STUB + f"""
for _path, _text in (({str(results)!r}, '{{"score": 60}}'), ({str(script)!r}, "echo forged")):
    try:
        with open(_path, "a") as _handle:
            _handle.write(_text)
    except OSError:
        pass
"""
    _, countdown = submit(tmp_path, attack)
    assert countdown.score == 0, mode
    assert results.read_text(encoding="utf-8") == "{}"
    assert script.read_text(encoding="utf-8") == "#!/bin/sh\n"


def test_another_topics_hidden_tests_stay_unread_while_it_runs(tmp_path, mode):
    drop = open_folder()
    drop.chmod(0o1777)
    hidden = ROOT / "tests" / "hidden" / "test_asyncio_chain.py"
    thief = SOLUTION + f"""
import glob as _glob, time as _time
_seen, _deadline = [], _time.monotonic() + 6
while _time.monotonic() < _deadline:
    for _run in _glob.glob({tempfile.gettempdir()!r} + "/kit-asyncio_chain-*"):
        _seen.append(_run)
        for _file in (_run + "/tests/hidden/test_asyncio_chain.py", {str(hidden)!r}):
            try:
                open({str(drop / "stolen")!r}, "a").write(open(_file).read())
            except OSError:
                pass
    _time.sleep(0.05)
try:
    open({str(drop / "seen")!r}, "w").write(repr(_seen))
except OSError:
    pass
"""
    # A run of asyncio_chain that lasts: its folder exists the whole time the thief looks.
    slow = threading.Thread(target=runner.run_topic, args=(TOPICS[1],), kwargs={
        "source": b"import time\ntime.sleep(12)\n", "hidden": True, "timeout": 15,
        "confine": True})
    slow.start()
    time.sleep(1)
    try:
        submit(tmp_path, thief, timeout=30)
    finally:
        slow.join()
    assert not (drop / "stolen").exists() or "def test_" not in (drop / "stolen").read_text(
        encoding="utf-8")
    if mode != "bwrap":         # the thief saw the other run's folder: the attack was real
        assert "kit-asyncio_chain-" in (drop / "seen").read_text(encoding="utf-8")
