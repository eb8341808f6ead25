"""Turn test outcomes into scores: stage three of the grader.

Per-test points come from the ``points`` marker; the topic's maximum comes
from the manifest; a topic earns its maximum times earned / total test points
(with a manifest ``lint_weight`` w > 0: (1 - w) of it from the tests, and w
when the static concurrency checks find nothing).
"""

from __future__ import annotations

import dataclasses

from grader.channel import Status, is_complete, topic_score
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
        return is_complete(self.run.status, self.score, self.max_score)

    @property
    def first_failure(self) -> str:
        """The learner message of the first failing test, or the topic's message."""
        for test in self.run.tests:
            if test.status != Status.PASSED:
                return test.message or f"{test.name} {test.status}"
        return self.run.message


def score(run: TopicRun) -> TopicScore:
    """Score one topic run, by the rule the nbgrader test cells share (grader.channel)."""
    value = topic_score(run.topic.points, [(t.points, t.status) for t in run.tests],
                        run.status, lint_weight=run.topic.lint_weight, findings=bool(run.lint))
    return TopicScore(run, value, run.topic.points)
