"""Each export format, checked against a hand-made result."""

from __future__ import annotations

import json
from xml.etree import ElementTree

from grader import export, manifest
from grader.results import SubmissionResult, TestOutcome, TopicOutcome


def sample() -> SubmissionResult:
    """A hand-made result: one topic partly passed, one missing, one flag."""
    countdown = TopicOutcome("countdown", "t", 6.0, 10.0, "graded", "stop ignored", [
        TestOutcome("test_lines", "passed", 6.0, 6.0),
        TestOutcome("hidden::test_stop", "failed", 0.0, 4.0, "stop ignored"),
    ], number=1)
    pool = TopicOutcome("pool_async", "t", 0.0, 10.0, "missing", "pool_async.py was not found",
                        [], number=5)
    return SubmissionResult("ada", [countdown, pool], [FLAG], seconds=1.5, notes=[NOTE])


FLAG = "ignored old/countdown.py: countdown.py is shallower"    # for the student
NOTE = "countdown.py line 3: uses the garbage collector (gc)"   # for the instructor only


def test_table():
    text = export.table(sample())
    assert text.splitlines()[2].split() == ["1", "countdown", "FAIL", "6/10"]
    assert text.splitlines()[4].split()[:3] == ["5", "pool_async", "MISSING"]
    assert "0/2 topics complete, 6/20 points." in text
    assert f"flag: {FLAG}" in text and "garbage" not in text


def test_json_follows_the_documented_schema():
    data = json.loads(export.to_json(sample()))
    assert data == {
        "submission": "ada", "score": 6.0, "max_score": 20.0, "flags": [FLAG], "notes": [NOTE],
        "topics": [
            {"topic": "countdown", "score": 6.0, "max_score": 10.0, "status": "graded",
             "message": "stop ignored", "lint": [], "tests": [
                 {"name": "test_lines", "status": "passed", "score": 6.0, "max_score": 6.0,
                  "message": ""},
                 {"name": "hidden::test_stop", "status": "failed", "score": 0.0,
                  "max_score": 4.0, "message": "stop ignored"}]},
            {"topic": "pool_async", "score": 0.0, "max_score": 10.0, "status": "missing",
             "message": "pool_async.py was not found", "lint": [], "tests": []}]}


def test_gradescope_hides_hidden_tests_until_published():
    data = json.loads(export.gradescope(sample()))
    assert data["score"] == 6.0 and data["execution_time"] == 1.5
    by_name = {t["name"]: t for t in data["tests"]}
    assert by_name["countdown: test_lines"]["visibility"] == "visible"
    assert by_name["countdown: test_stop (hidden)"]["visibility"] == "after_published"
    assert by_name["pool_async: missing"]["max_score"] == 10.0
    assert sum(t["score"] for t in data["tests"]) == data["score"]
    # Students read "output"; the instructor's notes ride in extra_data.
    assert data["output"] == f"flag: {FLAG}" and data["extra_data"] == {"notes": [NOTE]}


def test_junit_counts_failures_per_topic():
    root = ElementTree.fromstring(export.junit(sample()))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert suites["countdown"].get("failures") == "1"
    assert suites["pool_async"].get("errors") == "1"
    failure = ".//testcase[@name='hidden::test_stop']/failure"
    assert root.find(failure).get("message") == "stop ignored"


def test_csv_and_feedback():
    text = export.csv_text([sample()], ["countdown", "pool_async"])
    assert text.splitlines() == ["student,total,max,countdown,pool_async,flags",
                                 f"ada,6,20,6,0,{FLAG}; {NOTE}"]
    feedback = export.feedback_markdown(sample(), manifest.load())
    assert "a hidden test failed: stop ignored" in feedback
    assert manifest.by_name("countdown")[0].hints[0] in feedback
    assert FLAG in feedback and NOTE not in feedback
