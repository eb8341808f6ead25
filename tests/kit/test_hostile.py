"""Hostile submissions: whatever the code does, the grader survives and scores right.

Each case plants one attack in countdown.py, beside a correct asyncio_chain.py,
and grades both topics through `python -m grader grade`'s pipeline. For each:
bounded time, countdown scores what it should, asyncio_chain keeps full marks,
no stray process, no file touched outside, no connection made.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from kitsupport import SLEEP_TAG, SOLUTION, stray_sleepers

from grader import grade, manifest, sandbox

ROOT = manifest.ROOT
TOPICS = manifest.by_name("countdown,asyncio_chain")
ASYNC_SOLUTION = (ROOT / "solutions" / "asyncio_chain.py").read_text(encoding="utf-8")
STUB = (ROOT / "exercises" / "countdown.py").read_text(encoding="utf-8")
BWRAP = sandbox.available().kind == "bwrap"

needs_bwrap = pytest.mark.skipif(not BWRAP, reason="bubblewrap is not available here: "
                                 "the files of the machine are visible to submissions")


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
    result = grade.grade_submission(folder, TOPICS, jobs=2, timeout=timeout)
    elapsed = time.monotonic() - started
    by_topic = {t.topic: t for t in result.topics}
    assert by_topic["asyncio_chain"].complete, by_topic["asyncio_chain"]
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
    # These two break the contract's silent import (a line, a process): that one test only.
    "100 MB of output": (SOLUTION + "\nimport sys as _s\n_s.stdout.write('x' * 100_000_000)\n",
                         9.64),
}


@pytest.fixture(name="confinement", params=["best", "unshare", "rlimits"])
def confinement_fixture(request, monkeypatch):
    """The machine's best confinement, then each fallback the grader may have to use."""
    if request.param == "best":
        return sandbox.available().kind
    if request.param == "unshare" and not sandbox._works(  # pylint: disable=protected-access
            ["unshare", *sandbox.UNSHARE, "true"]):
        pytest.skip("unshare cannot make namespaces here")
    chosen = sandbox.Confinement(request.param, f"fallback under test: {request.param}")
    monkeypatch.setattr(sandbox, "available", lambda: chosen)
    return request.param


@pytest.mark.timeout(120)
@pytest.mark.parametrize("name", list(CASES))
def test_hostile_code_costs_only_its_topic(tmp_path, name, confinement):
    if name == "kills its parent" and confinement == "rlimits":
        pytest.skip("without PID namespaces the grader is the parent it would kill")
    code, expected = CASES[name]
    result, countdown = submit(tmp_path, code)
    assert countdown.score == expected, (name, countdown.message, result.flags)
    if "patches" in name:
        assert any("imports" in f for f in result.notes), result.notes


def test_an_infinite_loop_at_import_is_stopped(tmp_path):
    _, countdown = submit(tmp_path, "while True:\n    pass\n", timeout=6)
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


@needs_bwrap
def test_hunting_for_the_solutions_finds_nothing(tmp_path):
    hunter = STUB + f"""
import pathlib as _p
for _path in [{str(ROOT / "solutions" / "countdown.py")!r}, *map(str, _p.Path("/").glob("*/*/solutions/countdown.py"))]:
    try:
        exec(_p.Path(_path).read_text(), globals())
        break
    except OSError:
        pass
"""
    _, countdown = submit(tmp_path, hunter)
    assert countdown.score == 0, countdown


@needs_bwrap
def test_no_file_outside_is_touched_and_no_connection_made(tmp_path):
    canary = tmp_path / "canary.txt"
    canary.write_text("keep me", encoding="utf-8")
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
        _, countdown = submit(tmp_path, attack)
    finally:
        stop.set()
        listener.join(5)
        server.close()
    assert countdown.score == 10
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
    result = grade.grade_submission(folder, TOPICS)
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
    result = grade.grade_submission(archive, TOPICS)
    scores = {t.topic: (t.status, t.score) for t in result.topics}
    assert scores == {"countdown": ("missing", 0), "asyncio_chain": ("graded", 10)}
    assert sum("refused" in f for f in result.flags) == 3, result.flags
    assert not (tmp_path.parent / "countdown.py").exists()

    folder = tmp_path / "linked"
    folder.mkdir()
    (folder / "countdown.py").symlink_to(ROOT / "solutions" / "countdown.py")
    (folder / "asyncio_chain.py").write_text(ASYNC_SOLUTION, encoding="utf-8")
    result = grade.grade_submission(folder, TOPICS)
    assert {t.topic: t.score for t in result.topics} == {"countdown": 0, "asyncio_chain": 10}
    assert any("symlink not followed" in f for f in result.flags)


@pytest.mark.timeout(300)
def test_grading_the_same_submission_is_repeatable(tmp_path):
    (tmp_path / "s").mkdir()
    for topic in TOPICS:
        shutil.copy(ROOT / "solutions" / topic.module_file, tmp_path / "s")
    scores = {tuple(t.score for t in grade.grade_submission(tmp_path / "s", TOPICS).topics)
              for _ in range(20)}
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


@needs_bwrap
def test_read_only_views_stay_read_only(tmp_path):
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
        assert countdown.score == 10
        assert not any(t.exists() for t in targets)
    finally:
        for target in targets:
            target.unlink(missing_ok=True)
