"""Turn test outcomes into scores: stage three of the grader.

Per-test points come from the ``points`` marker; the topic's maximum comes
from the manifest; a topic earns its maximum times earned / total test points
(with a manifest ``lint_weight`` w > 0: (1 - w) of it from the tests, and w
when the static concurrency checks find nothing).
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
        """Whether the topic ran to the end and earned all its points."""
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
    # The manifest's lint_weight (0 by default) is the share that needs the
    # static concurrency checks to find nothing; the tests earn the rest.
    weight = run.topic.lint_weight
    share = (1 - weight) * earned / total + (weight if not run.lint else 0.0) if counted else 0
    value = round(maximum * share, 2)
    return TopicScore(run, value, maximum)
