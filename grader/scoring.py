"""Turn test outcomes into scores: stage three of the grader.

Per-test points come from the ``points`` marker; the topic's maximum comes
from the manifest; a topic earns its maximum times earned / total test points
(with a manifest ``lint_weight`` w > 0: (1 - w) of it from the tests, and w
when the static concurrency checks find nothing).
"""

from __future__ import annotations

from grader.channel import topic_score
from grader.results import TopicOutcome, topic_outcome
from grader.runner import TopicRun


def score(run: TopicRun) -> TopicOutcome:
    """Score one topic run, by the rule the nbgrader test cells share (grader.channel)."""
    value = topic_score(run.topic.points, [(t.points, t.status) for t in run.tests],
                        run.status, lint_weight=run.topic.lint_weight, findings=bool(run.lint))
    return topic_outcome(run, value)
