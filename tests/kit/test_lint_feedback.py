"""The concurrency checker's findings reach learners: make check, grade, feedback, scores.

The checker runs inside the confined test process, before the module is
imported, and its findings come back on the signed channel: these tests
check that they arrive, that only the file's own mistakes are reported, that
code run later cannot take them back, and how a manifest ``lint_weight``
turns them into points.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pytest

from grader import batch, catalog, export, lint, manifest, pipeline, runner, scoring
from grader.channel import Status
from grader.results import LINT_TEST, TestOutcome

ROOT = manifest.ROOT
COUNTDOWN = manifest.by_name("countdown")
WRONG = catalog.case("wrong", "countdown", "target_called").text


def student(tmp_path, source: str):
    """A submission folder holding ``source`` as countdown.py."""
    folder = tmp_path / "student"
    folder.mkdir()
    (folder / "countdown.py").write_text(source, encoding="utf-8")
    return folder


def test_a_mistake_seen_in_the_source_is_reported_with_its_line(tmp_path):
    result = pipeline.grade_submission(student(tmp_path, WRONG), COUNTDOWN)
    topic = result.topics[0]
    assert len(topic.lint) == 1, topic.lint
    line = max(n for n, text in enumerate(WRONG.splitlines(), 1) if "target=countdown(" in text)
    assert topic.lint[0].startswith(f"line {line}: ") and "target=countdown" in topic.lint[0]
    assert result.to_json()["topics"][0]["lint"] == topic.lint
    feedback = export.feedback_markdown(result)
    assert "static concurrency checks" in feedback and topic.lint[0] in feedback
    names = [t["name"] for t in json.loads(export.gradescope(result))["tests"]]
    assert "countdown: static concurrency checks (feedback only)" in names


def test_correct_code_gets_no_finding_and_no_extra_entry(tmp_path):
    source = (ROOT / "solutions" / "countdown.py").read_text(encoding="utf-8")
    result = pipeline.grade_submission(student(tmp_path, source), COUNTDOWN)
    assert result.topics[0].lint == [] and result.topics[0].complete
    assert "static concurrency" not in export.gradescope(result)


def test_code_run_later_cannot_take_the_findings_back(tmp_path):
    hostile = WRONG + ("\nimport sys as _sys\n_sys.modules['grader.pylint_concurrency'] = None\n"
                       "_sys.modules['grader.pytest_plugin'] = None\n")
    result = pipeline.grade_submission(student(tmp_path, hostile), COUNTDOWN)
    assert any("target=countdown" in f for f in result.topics[0].lint)


def test_make_check_shows_the_findings_next_to_the_topic(tmp_path):
    folder = student(tmp_path, WRONG)
    shown = subprocess.run([sys.executable, "-m", "grader", "check", "--target", str(folder),
                            "--topics", "countdown"], cwd=ROOT, capture_output=True,
                           text=True, timeout=120, check=False)
    assert shown.returncode == 1
    assert "! line" in shown.stdout and "target=countdown" in shown.stdout, shown.stdout


def fake_run(weight: float, found: list[str], passed: int, failed: int) -> runner.TopicRun:
    """A countdown run of 2-point tests, without running anything."""
    topic = dataclasses.replace(COUNTDOWN[0], lint_weight=weight)
    tests = ([TestOutcome(f"test_ok_{n}", Status.PASSED, points=2.0) for n in range(passed)]
             + [TestOutcome(f"test_bad_{n}", Status.FAILED, message="no", points=2.0)
                for n in range(failed)])
    return runner.TopicRun(topic, "graded", tests, lint=found)


@pytest.mark.parametrize("weight,found,passed,failed,expected", [
    (0.0, ["line 3: x"], 3, 1, 7.5),      # the default: findings are feedback only
    (0.2, [], 3, 1, 8.0),                 # 0.8 * 7.5/10 of the tests, plus the clean 0.2
    (0.2, ["line 3: x"], 3, 1, 6.0),      # the same tests, with a finding
    (0.2, ["line 3: x"], 4, 0, 8.0),      # all tests pass, but the file has a finding
    (1.0, [], 0, 4, 10.0),                # all on the checks (a manifest may say so)
])
def test_lint_weight_moves_that_share_of_the_points(weight, found, passed, failed, expected):
    outcome = scoring.score(fake_run(weight, found, passed, failed))
    assert outcome.score == pytest.approx(expected)
    assert sum(t.score for t in outcome.tests) == pytest.approx(expected)
    assert sum(t.max_score for t in outcome.tests) == pytest.approx(10.0)
    assert any(t.name == LINT_TEST for t in outcome.tests) == (weight > 0)
    assert outcome.complete == (expected == 10.0)


def test_a_topic_setting_overrides_the_manifest_default(tmp_path):
    path = tmp_path / "topics.toml"
    path.write_text("format_version = 1\nlint_weight = 0.1\n"
                    + "".join(f"[[topics]]\nname='t{n}'\ntitle='t'\nlecture='l'\npoints=1\n"
                              f"hints=['h']\n{extra}\n"
                              for n, extra in enumerate(["", "lint_weight = 0.3"])),
                    encoding="utf-8")
    assert [t.lint_weight for t in manifest.load(path)] == [0.1, 0.3]


def test_batch_feedback_keeps_the_findings_also_for_a_file_graded_once(tmp_path):
    for name in ("ada", "bob"):                      # bob's identical file comes from the cache
        folder = tmp_path / "class" / name
        folder.mkdir(parents=True)
        (folder / "countdown.py").write_text(WRONG, encoding="utf-8")
    batch.run_batch(tmp_path / "class", tmp_path / "out", COUNTDOWN, shard=None,
                    timeout=None)
    for name in ("ada", "bob"):
        feedback = (tmp_path / "out" / name / "feedback.md").read_text(encoding="utf-8")
        assert "static concurrency checks" in feedback and "target=countdown" in feedback


def test_a_lint_worker_that_died_is_replaced():
    assert lint.findings(WRONG.encode(), "countdown")
    for process in list(lint._WORKER[0]._processes.values()):  # pylint: disable=protected-access
        process.kill()
        process.join()
    assert lint.findings(WRONG.encode(), "countdown")


def test_a_file_over_the_deadline_costs_only_its_own_findings(monkeypatch):
    monkeypatch.setattr(lint, "DEADLINE", 1e-6)
    assert lint.findings(WRONG.encode() + b"\n# slow\n", "countdown") == []
    monkeypatch.undo()
    assert lint.findings(WRONG.encode(), "countdown")
    assert lint.findings(b"\xff\xfe not utf-8", "countdown") == []
