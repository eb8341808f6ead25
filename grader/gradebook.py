"""The class gradebook: a SQLite database (WAL) that survives being killed.

One transaction per finished submission replaces that student's rows, so a
batch killed at any moment (even ``kill -9``) loses at most the submissions
still being graded, and a rerun resumes: a student whose content hash and
grader version are unchanged is not graded again.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
import time
from pathlib import Path

from grader.results import SubmissionResult, TestOutcome, TopicOutcome
from grader.version import grader_version

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    student TEXT PRIMARY KEY, digest TEXT NOT NULL, grader_version TEXT NOT NULL,
    score REAL NOT NULL, max_score REAL NOT NULL, flags TEXT NOT NULL,
    result TEXT NOT NULL, seconds REAL NOT NULL, graded_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS topics (
    student TEXT NOT NULL, topic TEXT NOT NULL, score REAL NOT NULL, max_score REAL NOT NULL,
    status TEXT NOT NULL, message TEXT NOT NULL, seconds REAL NOT NULL,
    PRIMARY KEY (student, topic));
CREATE TABLE IF NOT EXISTS topic_cache (
    topic TEXT NOT NULL, digest TEXT NOT NULL, grader_version TEXT NOT NULL,
    outcome TEXT NOT NULL, flags TEXT NOT NULL, PRIMARY KEY (topic, digest, grader_version));
CREATE TABLE IF NOT EXISTS tests (
    student TEXT NOT NULL, topic TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL,
    score REAL NOT NULL, max_score REAL NOT NULL, message TEXT NOT NULL,
    PRIMARY KEY (student, topic, name));
"""


class Gradebook:
    """Open (or create) ``path``; safe to use from several threads.

    One connection serves every thread, so one lock serialises its use: two
    threads' transactions on a shared connection would otherwise interleave
    ("cannot start a transaction within a transaction").
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        self._db = sqlite3.connect(path, timeout=60, check_same_thread=False,
                                   isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        """Close the connection, after any transaction another thread has under way."""
        with self._lock:
            self._db.close()

    def is_current(self, student: str, digest: str) -> bool:
        """True when this content was already graded by this grader version."""
        with self._lock:
            row = self._db.execute("SELECT digest, grader_version FROM submissions "
                                   "WHERE student=?", (student,)).fetchone()
        return row is not None and row == (digest, grader_version())

    def record(self, result: SubmissionResult) -> None:
        """Replace ``result.submission``'s rows in one transaction."""
        self.record_many([(result, grader_version(), time.time())])

    def record_many(self, rows: list[tuple[SubmissionResult, str, float]]) -> None:
        """Replace the rows of each (result, grader version, time), all in one transaction."""
        with self._lock:
            self._record_many(rows)

    def _record_many(self, rows: list[tuple[SubmissionResult, str, float]]) -> None:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            for result, version, graded_at in rows:
                student = result.submission
                for table in ("submissions", "topics", "tests"):
                    db.execute(f"DELETE FROM {table} WHERE student=?", (student,))
                db.execute("INSERT INTO submissions VALUES (?,?,?,?,?,?,?,?,?)",
                           (student, result.digest, version, result.score, result.max_score,
                            json.dumps(result.flags), json.dumps(result.to_json()),
                            round(result.seconds, 3), graded_at))
                for topic in result.topics:
                    db.execute("INSERT INTO topics VALUES (?,?,?,?,?,?,?)",
                               (student, topic.topic, topic.score, topic.max_score,
                                topic.status, topic.message, topic.seconds))
                    for test in topic.tests:
                        db.execute("INSERT OR REPLACE INTO tests VALUES (?,?,?,?,?,?,?)",
                                   (student, topic.topic, test.name, test.status, test.score,
                                    test.max_score, test.message))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def results(self) -> list[SubmissionResult]:
        """Every graded submission, by student id."""
        with self._lock:
            rows = self._db.execute("SELECT result, digest, seconds FROM submissions "
                                    "ORDER BY student").fetchall()
        out = []
        for text, digest, seconds in rows:
            result = SubmissionResult.from_json(json.loads(text))
            result.digest, result.seconds = digest, seconds
            out.append(result)
        return out

    def rows_with_meta(self) -> list[tuple[SubmissionResult, str, float]]:
        """Results with their grader version and time, for merging."""
        with self._lock:
            rows = self._db.execute("SELECT result, digest, seconds, grader_version, "
                                    "graded_at FROM submissions ORDER BY student").fetchall()
        out = []
        for text, digest, seconds, version, graded_at in rows:
            result = SubmissionResult.from_json(json.loads(text))
            result.digest, result.seconds = digest, seconds
            out.append((result, version, graded_at))
        return out

    def cached(self, topic: str, digest: str) -> tuple[TopicOutcome, list[str]] | None:
        """A topic outcome already earned by exactly this source, if any."""
        with self._lock:
            row = self._db.execute("SELECT outcome, flags FROM topic_cache WHERE topic=? AND "
                                   "digest=? AND grader_version=?",
                                   (topic, digest, grader_version())).fetchone()
        if row is None:
            return None
        data = json.loads(row[0])
        data["tests"] = [TestOutcome(**t) for t in data["tests"]]
        data["hints"] = tuple(data.get("hints", ()))
        return TopicOutcome(**data), json.loads(row[1])

    def remember(self, digest: str, outcome: TopicOutcome, flags: list[str]) -> None:
        """Keep a topic outcome for identical sources in later submissions."""
        data = dataclasses.asdict(outcome)
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO topic_cache VALUES (?,?,?,?,?)",
                             (outcome.topic, digest, grader_version(), json.dumps(data),
                              json.dumps(flags)))

    def count(self) -> int:
        """How many students the gradebook holds."""
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
