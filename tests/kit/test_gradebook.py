"""The gradebook is shared by the batch's worker threads."""

from __future__ import annotations

import contextlib
import threading

import pytest

from grader.gradebook import Gradebook
from grader.results import SubmissionResult, TestOutcome, TopicOutcome


def result(student: str) -> SubmissionResult:
    """A full-marks countdown result of ten tests for ``student``."""
    topic = TopicOutcome("countdown", "t", 10.0, 10.0, "graded", "", [
        TestOutcome(f"test_{i}", "passed", 1.0, 1.0) for i in range(10)])
    return SubmissionResult(student, [topic], digest=f"d-{student}")


def hammer_book(book: Gradebook, threads: int = 8, each: int = 25) -> list[BaseException]:
    """Record, remember and look up from ``threads`` threads at once; what they raised."""
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(each):
                book.record(result(f"s{n}-{i}"))
                book.remember(f"x{n}-{i}", result("x").topics[0], [])
                book.is_current(f"s{n}-{i}", f"d-s{n}-{i}")
        except BaseException as exc:  # pylint: disable=broad-exception-caught
            errors.append(exc)

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return errors


def test_concurrent_records_neither_fail_nor_mix(tmp_path):
    book = Gradebook(tmp_path / "gradebook.sqlite")
    errors = hammer_book(book)
    assert not errors, errors[0]
    assert book.count() == 200
    assert all(r.score == 10 for r in book.results())


def test_without_the_lock_the_shared_connection_breaks(tmp_path):
    """The lock is what makes it work: this proves the test above can fail."""
    book = Gradebook(tmp_path / "gradebook.sqlite")
    book._lock = contextlib.nullcontext()  # pylint: disable=protected-access
    errors = hammer_book(book)
    if not errors:
        pytest.skip("the race did not show in this run")
    assert any("transaction" in str(e) for e in errors)
