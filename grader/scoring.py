"""Turn test outcomes into scores: stage three of the grader.

Per-test points come from the ``points`` marker; the topic's maximum comes
from the manifest; a topic earns its maximum times earned / total test points.
"""

from __future__ import annotations

import dataclasses

from grader.runner import TopicRun


@dataclasses.dataclass
class TopicScore:
    """A topic's score and the run it came from."""

    run: TopicRun
    score: float
    max_score: float

    @property
    def complete(self) -> bool:
        return self.run.status == "graded" and self.score >= self.max_score - 1e-9

    @property
    def first_failure(self) -> str:
        """The learner message of the first failing test, or the topic's message."""
        for test in self.run.tests:
            if test.status != "passed":
                return test.message or f"{test.name} {test.status}"
        return self.run.message


def score(run: TopicRun) -> TopicScore:
    """Score one topic run."""
    total = sum(t.points for t in run.tests)
    earned = sum(t.earned for t in run.tests)
    maximum = run.topic.points
    # A topic stopped by its time limit keeps what its finished tests earned.
    counted = total and run.status in ("graded", "timeout")
    value = round(maximum * earned / total, 2) if counted else 0.0
    return TopicScore(run, value, maximum)
