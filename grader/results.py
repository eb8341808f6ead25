"""The result of grading one submission, and its JSON form.

The schema (``--format json``)::

    {"submission": str, "score": float, "max_score": float, "flags": [str], "notes": [str],
     "topics": [{"topic": str, "score": float, "max_score": float,
                 "status": "graded|missing|error|timeout", "message": str,
                 "lint": [str],
                 "tests": [{"name": str, "status": "passed|failed|error|timeout|skipped",
                            "score": float, "max_score": float, "message": str}]}]}

A test's ``max_score`` is its share of the topic's maximum (its points over
the topic's total points); a passed test scores all of it, any other none, so
the tests of a topic add up to the topic's score to within its rounding (the
topic's score is rounded to 2 places; no remainder is ever put on a test).

``flags`` speak to the student about their files (a file ignored, an entry
refused); ``notes`` are for the instructor only: what the scan saw in the
source, result lines forged or machinery replaced, output cut, which
confinement ran. Exports a student reads (feedback.md, Gradescope's
``output``, the table of `make check`) show flags only.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from grader.channel import Status, TopicStatus, is_complete

if TYPE_CHECKING:                      # the runner makes these records: no import cycle
    from grader.runner import TopicRun

LINT_TEST = "static::concurrency checks"    # the pseudo-test a manifest lint_weight adds


@dataclasses.dataclass
class TestOutcome:
    """One test: its verdict, its weight, and its share of the topic's points.

    The runner makes it from what the channel read (``points``, ``finished``);
    scoring fills ``score`` and ``max_score``. The JSON form keeps the
    documented keys only.
    """

    __test__ = False          # not a pytest test class

    name: str
    status: Status
    score: float = 0.0        # its share of the topic's points, earned
    max_score: float = 0.0    # its share of the topic's points
    message: str = ""
    points: float = 1.0       # its points marker: its weight within the topic
    finished: bool = True     # False: the test process ended before its outcome arrived

    @property
    def hidden(self) -> bool:
        """Whether the test is one of the hidden tests, whose code learners do not see."""
        return self.name.startswith("hidden::")


# One field per key of the JSON schema above, plus what the exports show.
@dataclasses.dataclass
class TopicOutcome:  # pylint: disable=too-many-instance-attributes
    """One topic's score, status and tests, as the exports and the gradebook keep it."""

    topic: str
    title: str
    score: float
    max_score: float
    status: TopicStatus
    message: str
    tests: list[TestOutcome]
    hints: tuple[str, ...] = ()
    seconds: float = 0.0
    number: int = 0
    lint: list[str] = dataclasses.field(default_factory=list)   # static checks' findings

    @property
    def complete(self) -> bool:
        """Whether the topic ran to the end and earned all its points."""
        return is_complete(self.status, self.score, self.max_score)

    @property
    def first_failure(self) -> str:
        """The learner message of the first test that did not pass, or the topic's message."""
        for test in self.tests:
            if test.status != Status.PASSED:
                return test.message or f"{test.name} {test.status}"
        return self.message


@dataclasses.dataclass
class SubmissionResult:
    """Everything graded for one submission: its topics, the flags raised, its digest."""

    submission: str
    topics: list[TopicOutcome]
    flags: list[str] = dataclasses.field(default_factory=list)    # shown to the student
    digest: str = ""
    seconds: float = 0.0
    notes: list[str] = dataclasses.field(default_factory=list)    # for the instructor only

    @property
    def score(self) -> float:
        """The points earned over all topics."""
        return round(sum(t.score for t in self.topics), 2)

    @property
    def max_score(self) -> float:
        """The points there were to earn over all topics."""
        return round(sum(t.max_score for t in self.topics), 2)

    def to_json(self) -> dict[str, Any]:
        """The documented JSON form (no internal fields)."""
        return {
            "submission": self.submission, "score": self.score,
            "max_score": self.max_score, "flags": list(self.flags), "notes": list(self.notes),
            "topics": [{
                "topic": t.topic, "score": t.score, "max_score": t.max_score,
                "status": t.status, "message": t.message, "lint": list(t.lint),
                "tests": [{"name": x.name, "status": x.status, "score": x.score,
                           "max_score": x.max_score, "message": x.message}
                          for x in t.tests],
            } for t in self.topics],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "SubmissionResult":
        """The result back from its JSON form; digest and seconds are not in it."""
        topics = [TopicOutcome(t["topic"], t.get("title", t["topic"]), t["score"],
                               t["max_score"], t["status"], t["message"],
                               [TestOutcome(**x) for x in t["tests"]],
                               lint=list(t.get("lint", [])))
                  for t in data["topics"]]
        return cls(data["submission"], topics, list(data.get("flags", [])),
                   notes=list(data.get("notes", [])))


def topic_outcome(run: TopicRun, score: float) -> TopicOutcome:
    """A topic run and its score (grader.scoring) as its outcome, points spread over tests."""
    maximum = run.topic.points
    total = sum(t.points for t in run.tests) or 1.0
    weight = run.topic.lint_weight if run.tests else 0.0
    share = maximum * (1 - weight)
    tests = [dataclasses.replace(t, max_score=round(share * t.points / total, 4))
             for t in run.tests]
    if weight:                         # the static checks' share shows as one more test
        tests.append(TestOutcome(LINT_TEST, Status.FAILED if run.lint else Status.PASSED, 0.0,
                                 round(maximum * weight, 4), "; ".join(run.lint)))
    _settle(tests, maximum if tests else 0.0)
    for test in tests:
        test.score = test.max_score if test.status == Status.PASSED else 0.0
    outcome = TopicOutcome(run.topic.name, run.topic.title, score, maximum, run.status,
                           run.message, tests, run.topic.hints, round(run.seconds, 2),
                           run.topic.number, list(run.lint))
    if run.status == TopicStatus.GRADED:
        outcome.message = "" if outcome.complete else outcome.first_failure
    return outcome


def _settle(tests: list[TestOutcome], total: float) -> None:
    """Put the rounding remainder of the maxima on the last test that has one, so they add up.

    Scores follow the maxima (a passed test earns its whole maximum), so a
    remainder never shows as a passed test short of its points.
    """
    holders = [t for t in tests if t.max_score > 0]
    if not holders:
        return
    remainder = round(total - sum(t.max_score for t in tests), 4)
    holders[-1].max_score = round(holders[-1].max_score + remainder, 4)
