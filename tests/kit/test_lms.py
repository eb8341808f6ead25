"""canvas.csv and moodle.csv checked against each gradebook's import format."""

from __future__ import annotations

import csv
import io

from grader import lms
from grader.manifest import Topic
from grader.results import SubmissionResult, TopicOutcome

NAMES = ["countdown", "pool_async"]
TOPICS = [Topic("countdown", "Countdown", "1", 10.0, ()),
          Topic("pool_async", "Pool", "5", 12.5, ()),
          Topic("asyncio_chain", "Chain", "6", 10.0, ())]     # not selected: not counted
ODD = 'Lovelace, Ada "the first"'                             # a comma and quotes


def result(student: str, *scores: float) -> SubmissionResult:
    """A result of ``student`` with ``scores`` on the topics of NAMES, in order."""
    topics = [TopicOutcome(name, "t", score, topic.points, "graded", "", [])
              for name, score, topic in zip(NAMES, scores, TOPICS)]
    return SubmissionResult(student, topics)


def klass() -> list[SubmissionResult]:
    """Three students: full marks, a fractional score with a missing topic, an odd name."""
    return [result("ada", 10.0, 12.5), result("bob", 3.333), result(ODD, 0.0, 0.5)]


def rows(text: str) -> list[list[str]]:
    """``text`` parsed back as CSV, as an importer reads it."""
    return list(csv.reader(io.StringIO(text, newline="")))


def test_canvas_header_points_row_and_students():
    text = lms.canvas_csv(klass(), NAMES, TOPICS)
    parsed = rows(text)
    assert parsed[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                         "Concurrency kit"]
    assert parsed[1] == ["Points Possible", "", "", "", "", "22.5"]
    assert parsed[2:] == [["ada", "", "", "ada", "", "22.5"],
                          ["bob", "", "", "bob", "", "3.33"],
                          [ODD, "", "", ODD, "", "0.5"]]
    assert all(len(row) == len(parsed[0]) for row in parsed)


def test_canvas_quotes_a_name_with_a_comma_and_quotes():
    text = lms.canvas_csv([result(ODD, 1.0, 1.0)], NAMES, TOPICS)
    quoted = '"Lovelace, Ada ""the first"""'
    assert text.splitlines()[2] == f"{quoted},,,{quoted},,2"
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")


def test_moodle_header_and_one_row_per_student():
    parsed = rows(lms.moodle_csv(klass(), NAMES, TOPICS))
    assert parsed == [["Username", "Concurrency kit"], ["ada", "22.5"], ["bob", "3.33"],
                      [ODD, "0.5"]]


def test_empty_class():
    assert rows(lms.canvas_csv([], NAMES, TOPICS)) == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Concurrency kit"],
        ["Points Possible", "", "", "", "", "22.5"]]
    assert rows(lms.moodle_csv([], NAMES, TOPICS)) == [["Username", "Concurrency kit"]]


def test_numbers_use_a_point_and_no_thousands_separator():
    assert [lms.number(x) for x in (0, 10, 2.5, 1234567.891, 0.004, 1e-9, 7.10)] == [
        "0", "10", "2.5", "1234567.89", "0", "0", "7.1"]
    big = [result("ada", 1234.5, 0.25)]
    assert rows(lms.canvas_csv(big, NAMES, TOPICS))[2][-1] == "1234.75"
    assert rows(lms.moodle_csv(big, NAMES, TOPICS))[1][1] == "1234.75"


def test_total_counts_only_the_selected_topics():
    extra = result("ada", 10.0, 12.5)
    extra.topics.append(TopicOutcome("asyncio_chain", "t", 10.0, 10.0, "graded", "", []))
    assert lms.total(extra, NAMES) == 22.5
    assert lms.points_possible(NAMES, TOPICS) == 22.5
    assert lms.points_possible([t.name for t in TOPICS], TOPICS) == 32.5
