"""The run protocol, shared by the grader's runner and the nbgrader test cells.

One place for every rule of running a topic's tests and reading what they
did: the statuses, the run folder's layout, the pytest command and its
environment, the signed lines of the results channel, what a test that never
finished becomes, why no test could be collected, and the score. Only the
standard library here: the nbgrader cells load this file from its text in
the student's kernel, and the grading process reads results without paying
for pytest's start-up.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import signal
from enum import StrEnum
from pathlib import Path
from typing import Any


class Status(StrEnum):
    """A test's outcome (its JSON form is the lower-case word)."""

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    TIMEOUT = "timeout"
    SKIPPED = "skipped"


class TopicStatus(StrEnum):
    """How a topic's run ended: graded, or why it was not."""

    GRADED = "graded"
    MISSING = "missing"
    ERROR = "error"
    TIMEOUT = "timeout"


# The run folder: the tests and their helpers, the module under test, the
# grader's plugin, pytest's configuration, and the only writable folder.
TESTS, SUBMISSION, LIB, CONFIG, WORK = "tests", "submission", "lib", "pyproject.toml", "work"
OUTPUT_KEEP = 4000        # characters of the test process's output kept from each end
# The grader's stall watcher (grader.stall) sends it; the plugin fails the running test.
STALL_SIGNAL = signal.SIGUSR1
NOT_STARTED = "could not start the tests: {error}"


# The command is one list; each keyword is one of its options.
def pytest_command(python: str, root: Path, *, results_fd: int,  # pylint: disable=too-many-arguments
                   key_fd: int, basetemp: str, lint_file: Path | None = None,
                   select: str | None = None) -> list[str]:
    """pytest on every test file of ``root``'s run folder, results signed on ``results_fd``.

    ``select``: a mark expression (``-m``), for a run of some of the tests only.
    """
    files = sorted(str(path) for path in (root / TESTS).rglob("test_*.py"))
    lint = ["--lint-file", str(lint_file)] if lint_file is not None else []
    lint += ["-m", select] if select else []
    return [python, "-m", "pytest", "-p", "pytest_timeout", "-p", "grader.pytest_plugin",
            "-c", str(root / CONFIG), "--rootdir", str(root), "-q", "--no-header",
            "--assert=plain", "--target", str(root / SUBMISSION), "--basetemp", basetemp,
            "--results-fd", str(results_fd), "--key-fd", str(key_fd), *lint, *files]


def child_env(root: Path, path: str, **extra: str) -> dict[str, str]:
    """The test process's whole environment: nothing of the grader's leaks in."""
    return {"PATH": path, "LANG": "C.UTF-8", "PYTHONPATH": str(root / LIB),
            "PYTHONDONTWRITEBYTECODE": "1", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
            "HOME": str(root / WORK), **extra}


def sign(key: bytes, payload: str) -> str:
    """The HMAC of ``payload`` under ``key``, which a test cannot forge without the key."""
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


def verify_line(key: bytes, line: str) -> dict[str, Any] | None:
    """The record of a signed line, or None when it is not genuine."""
    payload, _, signature = line.rstrip("\n").rpartition("\t")
    if not payload or not hmac.compare_digest(sign(key, payload), signature):
        return None
    try:
        return json.loads(payload)
    except json.JSONDecodeError:
        return None


NEVER_FINISHED = ("this test never finished: the test process ended while it ran "
                  "(os._exit, a crash, or a kill)")
STOPPED = ("the topic's tests were stopped after {limit:.0f} s while this test was running "
           "or waiting: something waits forever?")


def read_results(lines: list[str], key: bytes
                 ) -> tuple[list[dict[str, Any]], list[str], list[str] | None]:
    """The collected tests with their outcomes, notes for the instructor, static findings.

    Each test is ``{"name", "status", "points", "message", "finished"}``; one
    with no genuine outcome counts as failed and is not ``finished``. A result
    keeps the call's message over the teardown's, and a teardown hiccup never
    costs a passed test. Lines
    that are not genuine are counted in the notes. Findings are None when the
    run sent none. ``grader.runner`` and the nbgrader test cells (which load
    this file from its text) both read results here, so they cannot disagree.
    """
    collected: dict[str, dict[str, Any]] = {}
    forged = 0
    tampered = ""
    findings = None
    for line in lines:
        record = verify_line(key, line)
        if record is None:
            forged += 1
            continue
        nodeid = record.get("nodeid", "")
        if record.get("event") == "lint" and findings is None:
            findings = [str(finding) for finding in record.get("findings", [])][:20]
        elif record.get("event") == "collected":
            name = nodeid.split("::", 1)[-1]
            if "/hidden/" in nodeid:
                name = f"hidden::{name}"
            collected[nodeid] = {"name": name, "status": Status.FAILED,
                                 "points": float(record["points"]), "message": "",
                                 "finished": False}
        elif record.get("event") == "result" and nodeid in collected:
            test = collected[nodeid]
            tampered = tampered or record.get("tampered", "")
            test["finished"] = True
            if record["when"] != "call" and test["status"] == Status.FAILED and test["message"]:
                continue
            if record["when"] == "teardown" and test["status"] == Status.PASSED:
                continue
            test["status"] = Status(record["status"])
            test["message"] = record.get("message", "") or test["message"]
    for test in collected.values():
        if test["status"] == Status.FAILED and not test["message"]:
            test["message"] = NEVER_FINISHED
    notes = []
    if forged:
        notes.append(f"{forged} result lines not written by the grader were ignored")
    if tampered:
        notes.append(f"the code under test replaced parts of the test machinery: {tampered}")
    return list(collected.values()), notes, findings


def settle(tests: list[dict[str, Any]], run: str, limit: float) -> TopicStatus:
    """The topic's status from its run ("done", "timeout", "error") and its tests.

    A topic stopped at its time limit marks each test that never finished as
    timed out, saying so; a run in which no test was collected is an error.
    """
    if run == TopicStatus.TIMEOUT:
        for test in tests:
            if not test["finished"]:
                test["status"] = Status.TIMEOUT
                test["message"] = STOPPED.format(limit=limit)
        return TopicStatus.TIMEOUT
    return TopicStatus.GRADED if tests else TopicStatus.ERROR


def collection_problem(output: str, test_file: str, topic: str) -> str:
    """Why no test could even be collected, from pytest's output."""
    for line in output.splitlines():
        if "Error" in line and ("import" in line.lower() or "syntax" in line.lower()):
            return f"{test_file} could not be collected: {line.strip()}"
    tail = " ".join(output.strip().splitlines()[-3:])
    return f"no test of {topic} ran: {tail[:300]}"


def is_complete(status: str, score: float, maximum: float) -> bool:
    """Whether a topic ran to the end and earned all its points."""
    return status == TopicStatus.GRADED and score >= maximum - 1e-9


def topic_score(maximum: float, outcomes: list[tuple[float, str]], status: str, *,
                lint_weight: float = 0.0, findings: bool = False) -> float:
    """A topic's points from its tests' ``(points, status)``: ``maximum`` x passed / total.

    Rounded to 2 places. A topic stopped by its time limit keeps what its
    finished tests earned; one that could not run scores 0. With a
    ``lint_weight`` w > 0 the tests earn (1 - w) of that and static checks
    that found nothing the other w.
    """
    total = sum(points for points, _ in outcomes)
    earned = sum(points for points, outcome in outcomes if outcome == Status.PASSED)
    if not total or status not in (TopicStatus.GRADED, TopicStatus.TIMEOUT):
        return 0.0
    share = (1 - lint_weight) * earned / total + (lint_weight if not findings else 0.0)
    return round(maximum * share, 2)
