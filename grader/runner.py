"""Run one topic's tests against a folder of modules, in a subprocess of its own.

Stage two of the grader (find files -> **run each topic isolated** -> score ->
report). The subprocess runs pytest with the grader's plugin, which appends
each outcome to a results file as it happens; the outcome is read from that
file, never from the process's output or exit status.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grader import manifest
from grader.manifest import Topic

OUTPUT_KEEP = 4000          # characters of the subprocess's output kept for messages


@dataclasses.dataclass
class TestResult:
    """The outcome of one test."""

    name: str
    status: str               # passed | failed | error | timeout | skipped
    points: float
    message: str = ""

    @property
    def earned(self) -> float:
        return self.points if self.status == "passed" else 0.0


@dataclasses.dataclass
class TopicRun:
    """What running one topic produced."""

    topic: Topic
    status: str               # graded | missing | error | timeout
    tests: list[TestResult]
    message: str = ""
    seconds: float = 0.0


def test_files(topic: Topic, tests_dir: Path, hidden: bool) -> list[Path]:
    """The topic's visible test file, and its hidden one when asked and present."""
    files = [tests_dir / topic.test_file]
    hidden_file = tests_dir / "hidden" / topic.test_file
    if hidden and hidden_file.exists():
        files.append(hidden_file)
    return files


def run_topic(topic: Topic, target: Path, *, hidden: bool = False,
              tests_dir: Path | None = None, timeout: float | None = None,
              extra_args: tuple[str, ...] = ()) -> TopicRun:
    """Run the tests of ``topic`` against ``target/<topic>.py``."""
    tests_dir = tests_dir or manifest.ROOT / "tests"
    started = time.monotonic()
    if not (target / topic.module_file).is_file():
        return TopicRun(topic, "missing", [], f"{topic.module_file} was not found in {target}")
    with tempfile.TemporaryDirectory(prefix=f"kit-{topic.name}-") as scratch:
        results_file = Path(scratch) / "results.jsonl"
        command = [sys.executable, "-m", "pytest", "-p", "pytest_timeout", "-p", "grader.pytest_plugin",
                   "-c", str(manifest.ROOT / "pyproject.toml"),
                   "--rootdir", str(manifest.ROOT), "-q", "--no-header",
                   "--target", str(target), "--results-file", str(results_file),
                   "--basetemp", str(Path(scratch) / "tmp"),
                   *extra_args, *map(str, test_files(topic, tests_dir, hidden))]
        # No entry-point scan for plugins: only what grading needs, and faster.
        env = dict(os.environ, PYTHONPATH=str(manifest.ROOT), PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
        limit = timeout if timeout is not None else topic.timeout
        status, output = _run(command, env, limit)
        tests = _read_results(results_file)
    seconds = time.monotonic() - started
    if status == "timeout":
        for test in tests:
            if test.status == "failed" and not test.message:
                test.status, test.message = "timeout", (
                    f"the topic's tests were stopped after {limit:.0f} s: this test "
                    "was still running. Something waits forever?")
        return TopicRun(topic, "timeout", tests, f"stopped after {limit:.0f} s", seconds)
    if not tests:
        return TopicRun(topic, "error", [], _collection_problem(output, topic), seconds)
    return TopicRun(topic, "graded", tests, "", seconds)


def _run(command: list[str], env: dict[str, str], limit: float) -> tuple[str, str]:
    """Run ``command`` in a new session; kill its whole group on timeout."""
    with subprocess.Popen(command, cwd=manifest.ROOT, env=env, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          start_new_session=True) as process:
        try:
            output, _ = process.communicate(timeout=limit)
            status = "done"
        except subprocess.TimeoutExpired:
            status = "timeout"
            _kill_group(process)
            output, _ = process.communicate()
        finally:
            _kill_group(process)       # leftovers: daemon children, pool workers
    text = output.decode("utf-8", "replace")
    if len(text) > 2 * OUTPUT_KEEP:
        cut = len(text) - 2 * OUTPUT_KEEP
        text = f"{text[:OUTPUT_KEEP]}\n[... {cut} characters cut ...]\n{text[-OUTPUT_KEEP:]}"
    return status, text


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _read_results(path: Path) -> list[TestResult]:
    """Collected tests with their outcome; a test without one counts as failed."""
    collected: dict[str, TestResult] = {}
    if not path.exists():
        return []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue                   # a line cut short by a crash
        nodeid = record.get("nodeid", "")
        if record.get("event") == "collected":
            name = nodeid.split("::", 1)[-1]
            if "/hidden/" in nodeid:
                name = f"hidden::{name}"
            collected[nodeid] = TestResult(name, "failed", float(record["points"]),
                                           "")
        elif record.get("event") == "result" and nodeid in collected:
            test = collected[nodeid]
            if test.status == "passed" and record["status"] == "passed":
                continue
            if record["when"] == "teardown" and test.status != "passed":
                continue               # keep the call's message, not the teardown's
            test.status = record["status"]
            test.message = record.get("message", "") or test.message
    for test in collected.values():
        if test.status == "failed" and not test.message:
            test.message = ("this test never finished: the test process ended while it "
                            "ran (os._exit, a crash, or a kill)")
    return list(collected.values())


def _collection_problem(output: str, topic: Topic) -> str:
    """Say why no test could even be collected."""
    for line in output.splitlines():
        if "Error" in line and ("import" in line.lower() or "syntax" in line.lower()):
            return f"{topic.test_file} could not be collected: {line.strip()}"
    tail = " ".join(output.strip().splitlines()[-3:])
    return f"no test of {topic.name} ran: {tail[:300]}"
