"""The signed lines of the results channel, shared by the plugin and the runner.

No pytest import here: the grading process reads results without paying
for pytest's start-up.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any


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


def read_results(lines: list[str], key: bytes
                 ) -> tuple[list[dict[str, Any]], list[str], list[str] | None]:
    """The collected tests with their outcomes, notes for the instructor, static findings.

    Each test is ``{"name", "status", "points", "message"}``; one with no
    genuine outcome counts as failed. A result keeps the call's message over
    the teardown's, and a teardown hiccup never costs a passed test. Lines
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
            collected[nodeid] = {"name": name, "status": "failed",
                                 "points": float(record["points"]), "message": ""}
        elif record.get("event") == "result" and nodeid in collected:
            test = collected[nodeid]
            tampered = tampered or record.get("tampered", "")
            if record["when"] != "call" and test["status"] == "failed" and test["message"]:
                continue
            if record["when"] == "teardown" and test["status"] == "passed":
                continue
            test["status"] = record["status"]
            test["message"] = record.get("message", "") or test["message"]
    for test in collected.values():
        if test["status"] == "failed" and not test["message"]:
            test["message"] = NEVER_FINISHED
    notes = []
    if forged:
        notes.append(f"{forged} result lines not written by the grader were ignored")
    if tampered:
        notes.append(f"the code under test replaced parts of the test machinery: {tampered}")
    return list(collected.values()), notes, findings


def topic_score(maximum: float, outcomes: list[tuple[float, str]], status: str, *,
                lint_weight: float = 0.0, findings: bool = False) -> float:
    """A topic's points from its tests' ``(points, status)``: ``maximum`` x passed / total.

    Rounded to 2 places. A topic stopped by its time limit keeps what its
    finished tests earned; one that could not run scores 0. With a
    ``lint_weight`` w > 0 the tests earn (1 - w) of that and static checks
    that found nothing the other w.
    """
    total = sum(points for points, _ in outcomes)
    earned = sum(points for points, outcome in outcomes if outcome == "passed")
    if not total or status not in ("graded", "timeout"):
        return 0.0
    share = (1 - lint_weight) * earned / total + (lint_weight if not findings else 0.0)
    return round(maximum * share, 2)
