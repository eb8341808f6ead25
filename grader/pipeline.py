"""Grade one submission: the pipeline, as a library (the `grade` and `batch` commands call it).

discover (find the topic files) -> runner (each topic in its own confined
process) -> scoring -> results; the exports (grader.export) turn the result
into what each reader needs.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import threading
import time
from pathlib import Path

from grader import capacity, discover, runner, scan, scoring
from grader.channel import TopicStatus
from grader.manifest import Topic
from grader.results import SubmissionResult, TopicOutcome


# The options are keyword-only, each with a default; the callers name the ones they set.
def grade_submission(path: Path, topics: list[Topic], *,  # pylint: disable=too-many-arguments
                     confine: bool = True,
                     timeout: float | None = None, name: str | None = None,
                     submission: discover.Submission | None = None,
                     cache=None, on_topic=None) -> SubmissionResult:
    """Grade one submission (folder or zip) in every topic of ``topics``.

    ``cache`` (a Gradebook) lends outcomes already earned by identical sources
    and keeps new ones: a class whose untouched stubs are all alike grades
    each distinct file once. ``on_topic``, when given, is called with the
    result so far each time a topic is done (topics not done yet show as
    not graded): a grade cut short by a platform's time limit keeps them.
    """
    grading = _Grading(submission or discover.find(path, topics, name), topics, on_topic)
    for topic in topics:
        if topic.name in grading.submission.files:
            text = grading.submission.files[topic.name].decode("utf-8", "replace")
            grading.notes.extend(scan.scan(text, grading.submission.where[topic.name]))

    def grade_topic(topic: Topic) -> None:
        grading.done(topic, _grade_topic(grading, topic, cache=cache, timeout=timeout,
                                         confine=confine))

    # Every topic asks at once; grader.capacity lets each run start when there is room.
    # They ask longest first: the first runs start before the others have asked.
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, len(topics))) as pool:
        list(pool.map(grade_topic, capacity.RUN_TIMES.longest_first(topics)))
    return grading.result()


class _Grading:
    """One submission's grade as it is made: outcomes so far, flags and notes."""

    def __init__(self, submission: discover.Submission, topics: list[Topic],
                 on_topic) -> None:
        self.submission, self.topics, self.on_topic = submission, topics, on_topic
        self.flags = list(submission.flags)
        self.notes: list[str] = []
        self.outcomes: dict[str, TopicOutcome] = {}
        self.started = time.monotonic()
        self.lock = threading.Lock()

    def done(self, topic: Topic, outcome: TopicOutcome) -> None:
        """Keep ``topic``'s outcome and tell ``on_topic``."""
        with self.lock:
            self.outcomes[topic.name] = outcome
            if self.on_topic is not None:
                self.on_topic(self.result())

    def result(self) -> SubmissionResult:
        """The result so far: topics not done yet say that they were not graded."""
        outcomes = [self.outcomes.get(t.name) or _refused(t, TopicStatus.ERROR, NOT_DONE)
                    for t in self.topics]
        return SubmissionResult(self.submission.name, outcomes, _unique(self.flags),
                                self.submission.digest, time.monotonic() - self.started,
                                _unique(self.notes))


def _grade_topic(grading: _Grading, topic: Topic, *, cache, timeout: float | None,
                 confine: bool) -> TopicOutcome:
    """One topic's outcome: refused, lent by the cache, or run."""
    submission = grading.submission
    if submission.error:
        return _refused(topic, TopicStatus.ERROR, submission.error)
    if topic.name in submission.problems:
        return _refused(topic, TopicStatus.ERROR, submission.problems[topic.name])
    if topic.name not in submission.files:
        return _refused(topic, TopicStatus.MISSING, f"{topic.module_file} was not found in the "
                                          "submission")
    source = submission.files[topic.name]
    digest = hashlib.sha256(topic.name.encode() + b"\0" + source).hexdigest()
    known = cache.cached(topic.name, digest) if cache is not None else None
    if known is not None:
        grading.notes.extend(known[1])
        return known[0]
    run = runner.run_topic(topic, source=source, hidden=True, timeout=timeout, confine=confine)
    grading.notes.extend(run.notes)
    outcome = scoring.score(run)
    if cache is not None and run.status == TopicStatus.GRADED:
        cache.remember(digest, outcome, run.notes)
    return outcome


NOT_DONE = ("not graded: the grader stopped before this topic was done (a time limit "
            "or a crash); ask your instructor to regrade")


def _refused(topic: Topic, status: TopicStatus, message: str) -> TopicOutcome:
    return TopicOutcome(topic.name, topic.title, 0.0, topic.points, status, message, [],
                        topic.hints)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
