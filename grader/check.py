"""`make check`: the students' view - run topics, print a table, exit non-zero on failures.

``--classroom FILE`` also appends each topic's result, in the form GitHub
Classroom's grading reporter reads, to FILE (the workflow's $GITHUB_OUTPUT):
one line ``<topic>=<base64 of JSON>`` per topic. The JSON is a runner's
result: ``{"version": 1, "status": "pass|fail|error", "max_score": float,
"tests": [{"name", "status", "score", "message", "line_no"}]}``. The reporter
adds up the tests' scores, so Classroom gets the kit's partial credit.
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import decimal
import json
import math
import shutil
import sys
from pathlib import Path
from typing import Any

from grader import capacity, export, manifest, runner, scoring
from grader.channel import Status, TopicStatus
from grader.manifest import Topic
from grader.results import SubmissionResult, TopicOutcome


def grade_folder(target: Path, topics: list[Topic], *, hidden: bool = False,
                 tests_dir: Path | None = None) -> list[TopicOutcome]:
    """Run and score every topic against ``target``, as many at once as grader.capacity lets."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, len(topics))) as pool:
        runs = pool.map(lambda t: runner.run_topic(t, target, hidden=hidden,
                                                   tests_dir=tests_dir), topics)
        return [scoring.score(run) for run in runs]


def as_result(name: str, scores: list[TopicOutcome]) -> SubmissionResult:
    """The scored topics as one submission's result, the shape the exports print."""
    return SubmissionResult(name, scores)


def classroom_results(result: SubmissionResult) -> dict[str, dict[str, Any]]:
    """Each topic as a Classroom runner's result, its tests carrying the kit's points.

    The reporter adds the tests' scores in order, in floating point, from 0.
    Each score here is nudged by a few units in the last place so that this
    running sum lands on the kit's own (decimal) total after every test: the
    notice reads "Points 26.13/60", not 26.130000000000003, and full marks
    stay 60 rather than 59.99999999999999.
    """
    results: dict[str, dict[str, Any]] = {}
    running, exact = 0.0, decimal.Decimal(0)
    for topic in result.topics:
        if topic.complete:
            status = "pass"
        else:
            ran = topic.status in (TopicStatus.GRADED, TopicStatus.TIMEOUT)
            status = "fail" if ran else "error"
        tests = []
        shares = _shares(topic)
        for test, share in zip(topic.tests, shares):
            exact += share
            target = float(exact)
            score = target - running
            while running + score != target:
                score = math.nextafter(score, math.inf if running + score < target else -math.inf)
            running = target
            tests.append({"name": f"{topic.topic}: {test.name}",
                          "status": {Status.PASSED: "pass", Status.ERROR: "error"}.get(
                              test.status, "fail"),
                          "score": score, "message": test.message, "line_no": 0})
        if not tests:                  # missing, or nothing could be collected
            tests = [{"name": topic.topic, "status": status, "score": 0.0,
                      "message": topic.message, "line_no": 0}]
        results[topic.topic] = {"version": 1, "status": status,
                                "max_score": topic.max_score, "tests": tests}
    return results


def _shares(topic) -> list[decimal.Decimal]:
    """Each test's score, with the topic's rounding put on the last that scored.

    A passed test shows its whole share everywhere else; here the shares must
    add up to the topic's score, which is rounded to 2 places.
    """
    shares = [decimal.Decimal(str(test.score)) for test in topic.tests]
    scored = [i for i, share in enumerate(shares) if share]
    if scored:
        shares[scored[-1]] += decimal.Decimal(str(topic.score)) - sum(shares)
    return shares


def classroom_outputs(result: SubmissionResult) -> str:
    """The $GITHUB_OUTPUT lines: ``<topic>=<base64 JSON>``, one per topic."""
    return "".join(f"{name}=" + base64.b64encode(json.dumps(value).encode()).decode() + "\n"
                   for name, value in classroom_results(result).items())


def add_target(parser: argparse.ArgumentParser) -> None:
    """The students' commands' ``--target``: the folder of topic modules."""
    parser.add_argument("--target", default=str(manifest.ROOT / "exercises"),
                        help="folder of topic modules (default: exercises/)")


def target_folder(name: str) -> Path | None:
    """``name`` resolved, or None after saying on stderr that it is no folder."""
    target = Path(name)
    if not target.is_dir():
        print(f"error: {target}: no such folder", file=sys.stderr)
        return None
    return target.resolve()


def table_width() -> int:
    """How wide the students' commands print their table: the terminal's, at most 110."""
    return min(shutil.get_terminal_size((100, 20)).columns, 110)


def main(argv: list[str]) -> int:
    """Parse the ``check`` arguments, print the table; 0 only when every topic is complete."""
    parser = argparse.ArgumentParser(prog="python -m grader check",
                                     description="Run the topic tests and show a table.")
    add_target(parser)
    parser.add_argument("--topics", "-t", default="", help="comma-separated topic names")
    parser.add_argument("--hidden", action="store_true", help="also run hidden tests")
    parser.add_argument("--jobs", "-j", type=int, default=0,
                        help="topic runs at once (0: as many as the free CPU allows)")
    parser.add_argument("--classroom", metavar="FILE", type=Path,
                        help="also append each topic's GitHub Classroom runner result to FILE "
                             "(the workflow's $GITHUB_OUTPUT)")
    args = parser.parse_args(argv)
    topics = manifest.select_or_exit(args.topics)
    target = target_folder(args.target)
    if target is None:
        return 2
    capacity.GATE.configure(args.jobs)
    scores = grade_folder(target, topics, hidden=args.hidden)
    result = as_result(target.name, scores)
    print(export.table(result, width=table_width()))
    if args.classroom:
        with args.classroom.open("a", encoding="utf-8") as outputs:
            outputs.write(classroom_outputs(result))
    return 0 if all(t.complete for t in result.topics) else 1
