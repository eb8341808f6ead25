"""Write grading results where instructors keep them: stage four of the grader.

One writer per form, each a pure function of a SubmissionResult (and the
topics): the table, JSON, Gradescope's results.json, JUnit XML, feedback.md;
and grades.csv over a class. ``FORMATS`` is the registry `grade --format`
offers and `batch` writes per student (the forms with a ``student_file``):
adding a form is one function and one entry here.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import textwrap
from typing import Callable, Iterable
from xml.etree import ElementTree

from grader.channel import Status, TopicStatus
from grader.manifest import Topic
from grader.results import LINT_TEST, SubmissionResult, TopicOutcome

LINT_SHOWN = 3                # static-check findings the table shows per topic


def status_word(topic: TopicOutcome) -> str:
    """The one-word verdict the table and feedback.md show for ``topic``."""
    if topic.complete:
        return "PASS"
    return {TopicStatus.MISSING: "MISSING", TopicStatus.ERROR: "ERROR",
            TopicStatus.TIMEOUT: "TIMEOUT"}.get(topic.status, "FAIL")


def table(result: SubmissionResult, width: int = 100, number_from: int = 1) -> str:
    """The table `make check` prints: a row per topic, the first failure, progress."""
    lines = [f"{'#':>2}  {'topic':<20} {'status':<8} {'points':>11}",
             f"{'-' * 2}  {'-' * 20} {'-' * 8} {'-' * 11}"]
    for position, topic in enumerate(result.topics, start=number_from):
        lines += topic_lines(topic, topic.number or position, width)
    done = sum(t.complete for t in result.topics)
    lines += ["", f"{done}/{len(result.topics)} topics complete, "
                  f"{result.score:g}/{result.max_score:g} points."]
    pending = [t.topic for t in result.topics if not t.complete]
    if pending:
        lines.append(f"Stuck? `make hint T={pending[0]}` shows a hint for the test of "
                     f"{pending[0]} that fails.")
    for flag in result.flags:
        lines.append(f"flag: {flag}")
    return "\n".join(lines)


def topic_lines(topic: TopicOutcome, number: int, width: int = 100) -> list[str]:
    """One topic's row of the table: status and points, its message, its static findings."""
    points = f"{topic.score:g}/{topic.max_score:g}"
    lines = [f"{number:>2}  {topic.topic:<20} {status_word(topic):<8} {points:>11}"]
    if not topic.complete:
        for part in textwrap.wrap(topic.message or "failed", width=max(40, width - 8)):
            lines.append(f"      {part}")
    for finding in topic.lint[:LINT_SHOWN]:
        lines += textwrap.wrap(finding, width=max(40, width), initial_indent="      ! ",
                               subsequent_indent="        ")
    return lines


def to_json(result: SubmissionResult) -> str:
    """The result as indented JSON, every field the gradebook keeps."""
    return json.dumps(result.to_json(), indent=2)


def gradescope(result: SubmissionResult) -> str:
    """results.json per the Gradescope autograder specification."""
    tests = []
    for topic in result.topics:
        if not topic.tests:
            tests.append({"name": f"{topic.topic}: {topic.status}", "score": 0.0,
                          "max_score": topic.max_score, "status": "failed",
                          "output": topic.message, "visibility": "visible"})
        for test in topic.tests:
            name = test.name.removeprefix("hidden::")
            tests.append({
                "name": f"{topic.topic}: {name}" + (" (hidden)" if test.hidden else ""),
                "score": test.score, "max_score": test.max_score,
                "status": "passed" if test.status == Status.PASSED else "failed",
                "output": test.message,
                "visibility": "after_published" if test.hidden else "visible",
            })
        if topic.lint and not any(t.name == LINT_TEST for t in topic.tests):
            tests.append({"name": f"{topic.topic}: static concurrency checks (feedback only)",
                          "score": 0.0, "max_score": 0.0, "status": "failed",
                          "output": "\n".join(topic.lint), "visibility": "visible"})
    # Students read "output"; "extra_data" and the run's stdout only the instructor.
    output = "\n".join(f"flag: {f}" for f in result.flags)
    return json.dumps({"score": result.score, "execution_time": round(result.seconds, 2),
                       "output": output, "tests": tests,
                       "extra_data": {"notes": list(result.notes)}}, indent=2)


def junit(result: SubmissionResult) -> str:
    """JUnit XML: a testsuite per topic, a testcase per test."""
    root = ElementTree.Element("testsuites", name=result.submission)
    for topic in result.topics:
        failures = sum(t.status in (Status.FAILED, Status.TIMEOUT) for t in topic.tests)
        errors = sum(t.status == Status.ERROR for t in topic.tests) + (not topic.tests)
        suite = ElementTree.SubElement(root, "testsuite", name=topic.topic,
                                       tests=str(max(1, len(topic.tests))),
                                       failures=str(failures), errors=str(errors),
                                       time=f"{topic.seconds:.2f}")
        if not topic.tests:
            case = ElementTree.SubElement(suite, "testcase", name=topic.status,
                                          classname=topic.topic)
            ElementTree.SubElement(case, "error", message=topic.message)
        for test in topic.tests:
            case = ElementTree.SubElement(suite, "testcase", name=test.name,
                                          classname=topic.topic)
            if test.status in (Status.FAILED, Status.TIMEOUT):
                ElementTree.SubElement(case, "failure", message=test.message)
            elif test.status == Status.ERROR:
                ElementTree.SubElement(case, "error", message=test.message)
            elif test.status == Status.SKIPPED:
                ElementTree.SubElement(case, "skipped", message=test.message)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True)


def csv_text(results: Iterable[SubmissionResult], topic_names: list[str]) -> str:
    """grades.csv: student, total, max, one column per topic, flags (the instructor's notes too)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["student", "total", "max", *topic_names, "flags"])
    for result in results:
        scores = {t.topic: t.score for t in result.topics}
        writer.writerow([result.submission, f"{result.score:g}", f"{result.max_score:g}",
                         *(f"{scores.get(n, 0):g}" for n in topic_names),
                         "; ".join([*result.flags, *result.notes])])
    return buffer.getvalue()


def feedback_markdown(result: SubmissionResult, topics: list[Topic] | None = None) -> str:
    """feedback.md for one student: what passed, what failed and why, hints."""
    hints = {t.name: t.hints for t in topics or []}
    lines = [f"# Feedback for {result.submission}", "",
             f"**Score: {result.score:g} / {result.max_score:g}**", ""]
    if result.flags:
        lines += ["Notes from the grader:", ""] + [f"- {f}" for f in result.flags] + [""]
    for topic in result.topics:
        lines += [f"## {topic.topic}: {status_word(topic)} "
                  f"({topic.score:g} / {topic.max_score:g})", ""]
        if topic.status != TopicStatus.GRADED:
            lines += [topic.message, ""]
        passed = [t for t in topic.tests if t.status == Status.PASSED]
        failed = [t for t in topic.tests if t.status != Status.PASSED]
        if passed:
            lines.append(f"Passed: {len(passed)} of {len(topic.tests)} tests.")
        for test in failed:
            name = "a hidden test" if test.hidden else f"`{test.name}`"
            lines.append(f"- {name} {test.status}: {test.message}")
        if topic.lint:
            lines += ["", "What the static concurrency checks see in your file:", ""]
            lines += [f"- {finding}" for finding in topic.lint]
        topic_hints = topic.hints or hints.get(topic.topic, ())
        if not topic.complete and topic_hints:
            lines += ["", f"Hint: {topic_hints[0]}"]
        lines.append("")
    return "\n".join(lines)


@dataclasses.dataclass(frozen=True)
class Format:
    """One form of a result: how to write it, and the file batch writes per student."""

    name: str
    write: Callable[[SubmissionResult, list[Topic]], str]
    student_file: str | None = None


FORMATS = {form.name: form for form in (
    Format("table", lambda result, topics: table(result)),
    Format("json", lambda result, topics: to_json(result)),
    Format("gradescope", lambda result, topics: gradescope(result), "results.json"),
    Format("junit", lambda result, topics: junit(result)),
    Format("feedback", feedback_markdown, "feedback.md"),
)}


def render(result: SubmissionResult, fmt: str, topics: list[Topic] | None = None) -> str:
    """The result in ``fmt``, a name of FORMATS, as `grade --format` asks."""
    return FORMATS[fmt].write(result, topics or [])
