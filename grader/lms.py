"""canvas.csv and moodle.csv: a class's totals, ready for an LMS gradebook import.

Stage four writes these beside grades.csv so that an instructor can upload
one file into the gradebook of Canvas or of Moodle as it is. One function per
system, each a pure function of the results like ``export.csv_text``. Both
files carry one grade column, the kit's total (``ASSIGNMENT``), summed over
the topics in ``names``: every column of a Canvas import becomes an
assignment, and every column Moodle maps becomes a grade item, so per-topic
columns next to the total would count the same points twice in the course
grade (grades.csv keeps the per-topic scores).

The only identity the kit knows is the submission's folder name, the
student's login as the instructor named the folders; each file puts it where
that system looks a student up.

Canvas (Grades > Import; the layout of Canvas's own gradebook export):
the header is ``Student, ID, SIS User ID, SIS Login ID, Section``, then one
column per assignment. Canvas finds the student by ID (its own user number),
else by SIS User ID, else by SIS Login ID (the login), else by name; the kit
leaves ID, SIS User ID and Section empty and writes the folder name as SIS
Login ID and as Student, the name Canvas shows when a row matches nobody.
The row after the header starts with ``Points Possible`` and gives each
column's maximum, which a newly created assignment takes. An assignment
column is matched to an existing assignment by its exact title (or by
"Title (id)"); an unknown title creates the assignment.

Moodle (Grades > Import > CSV file): any header row, one row per student,
nothing else (a points row would be read as a student). On the preview page
the instructor maps the identifying column ("Map from") to a user field
("Map to": username, ID number, email or user id) and each other column to an
existing grade item, a new one, or nothing. A new grade item gets Moodle's
default maximum of 100, hence: create the item first with the kit's maximum
and map the column to it.

Both: comma-separated, UTF-8 without a byte-order mark, quoting per RFC 4180
(a field with a comma or a quote is quoted, its quotes doubled), numbers with
a "." decimal point, no thousands separator, at most two decimals.
"""

from __future__ import annotations

import csv
import io
from typing import Iterable

from grader.manifest import Topic
from grader.results import SubmissionResult

ASSIGNMENT = "Concurrency kit"        # the grade column's title in both gradebooks
CANVAS_IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
CANVAS_POINTS_ROW = "Points Possible"
MOODLE_IDENTITY = "Username"


def number(value: float) -> str:
    """``value`` rounded to 2 decimals: "." as the point, no exponent, no trailing zeros."""
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def total(result: SubmissionResult, names: list[str]) -> float:
    """The points ``result`` earned over the topics in ``names`` (a topic not graded: 0)."""
    scores = {t.topic: t.score for t in result.topics}
    return round(sum(scores.get(name, 0.0) for name in names), 2)


def points_possible(names: list[str], topics: list[Topic]) -> float:
    """The points there are to earn over the topics in ``names``."""
    wanted = set(names)
    return round(sum(t.points for t in topics if t.name in wanted), 2)


def _rows_text(rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def canvas_csv(results: Iterable[SubmissionResult], names: list[str],
               topics: list[Topic]) -> str:
    """canvas.csv: Canvas's gradebook import, the student found by SIS Login ID."""
    blank = [""] * (len(CANVAS_IDENTITY) - 1)
    rows = [[*CANVAS_IDENTITY, ASSIGNMENT],
            [CANVAS_POINTS_ROW, *blank, number(points_possible(names, topics))]]
    for result in results:
        rows.append([result.submission, "", "", result.submission, "",
                     number(total(result, names))])
    return _rows_text(rows)


def moodle_csv(results: Iterable[SubmissionResult], names: list[str],
               topics: list[Topic]) -> str:
    """moodle.csv: Moodle's CSV grade import, the student found by the mapped username.

    ``topics`` is unused (Moodle's file has no row for the maximum, which the
    grade item holds) and kept for the same signature as ``canvas_csv``.
    """
    del topics
    rows = [[MOODLE_IDENTITY, ASSIGNMENT]]
    rows += [[result.submission, number(total(result, names))] for result in results]
    return _rows_text(rows)
