"""Without bubblewrap the grader falls back, still contains the code, and says so."""

from __future__ import annotations

import shutil

import pytest
from kitsupport import SLEEP_TAG, SOLUTION, stray_sleepers

from grader import grade, manifest, sandbox

TOPICS = manifest.by_name("countdown")
FALLBACKS = ["unshare", "rlimits"]


@pytest.fixture(name="fallback", params=FALLBACKS)
def fallback_fixture(request, monkeypatch):
    """Make each fallback in turn the confinement the grader finds, as without bubblewrap."""
    kind = request.param
    if kind == "unshare" and not shutil.which("unshare"):
        pytest.skip("no unshare here")
    confinement = sandbox.Confinement(kind, f"fallback under test: {kind}")
    monkeypatch.setattr(sandbox, "available", lambda: confinement)
    return confinement


def grade_countdown(tmp_path, code: str, timeout: float = 20):
    """Grade ``code`` as a student's countdown.py, confined as the grader would."""
    folder = tmp_path / "student"
    folder.mkdir()
    (folder / "countdown.py").write_text(code, encoding="utf-8")
    return grade.grade_submission(folder, TOPICS, timeout=timeout)


def test_a_correct_solution_keeps_full_marks_and_the_fallback_is_flagged(tmp_path, fallback):
    result = grade_countdown(tmp_path, SOLUTION)
    assert result.topics[0].score == 10
    assert fallback.note in result.notes


def test_setsid_children_are_still_killed(tmp_path, fallback):
    code = SOLUTION + (f"\nimport os as _os\nif _os.fork() == 0:\n    _os.setsid()\n"
                       f"    _os.execvp('sleep', ['sleep', '{SLEEP_TAG}'])\n")
    result = grade_countdown(tmp_path, code)
    # Forking at import breaks the silent-import sentence of the contract, and only that.
    failed = [test.name for test in result.topics[0].tests if test.status != "passed"]
    assert failed == ["test_importing_the_module_is_silent"], failed
    assert not stray_sleepers(), fallback.kind


@pytest.mark.usefixtures("fallback")
def test_an_endless_loop_is_stopped(tmp_path):
    result = grade_countdown(tmp_path, "while True:\n    pass\n", timeout=5)
    assert result.topics[0].status == "timeout" and result.topics[0].score == 0
    assert result.seconds < 30


def test_the_probe_prefers_bubblewrap_when_it_works():
    kind = sandbox.available().kind
    assert kind == ("bwrap" if shutil.which("bwrap") else kind)
