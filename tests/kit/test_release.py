"""The student release holds what students need, and nothing they must not see."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from grader import manifest, release

FORBIDDEN_DIRS = {"solutions", "hidden", "wrong", "alternatives", "kit", "bench", ".ci"}


def test_release_leaks_nothing_hidden(tmp_path):
    archive = release.build(tmp_path / "student")
    files = [p for p in (tmp_path / "student").rglob("*") if p.is_file()]
    assert files
    for path in files:
        rel = path.relative_to(tmp_path / "student")
        assert not set(rel.parts) & FORBIDDEN_DIRS, rel
        text = path.read_text(encoding="utf-8")
        assert "### BEGIN SOLUTION" not in text and "### END SOLUTION" not in text, rel
    for topic in manifest.load():
        stub = (tmp_path / "student" / "exercises" / topic.module_file).read_text(encoding="utf-8")
        solution = (manifest.ROOT / "solutions" / topic.module_file).read_text(encoding="utf-8")
        body = solution.split("### BEGIN SOLUTION", 1)[1].split("### END SOLUTION", 1)[0]
        assert body.strip() not in stub
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
    assert "student/exercises/countdown.py" in names
    assert not any(set(n.split("/")) & FORBIDDEN_DIRS for n in names)


def test_make_check_works_inside_the_release(tmp_path):
    release.build(tmp_path / "student")
    # Reuse this interpreter's packages: STAMP= skips the first-use install.
    done = subprocess.run(["make", "--no-print-directory", "check", "T=countdown",
                           f"PY={sys.executable}", "STAMP="],
                          cwd=tmp_path / "student", capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode != 0, "the stubs must fail"
    assert "countdown" in done.stdout and "0/1 topics complete" in done.stdout, done.stdout
    assert "is still a stub" in done.stdout
    solved = (manifest.ROOT / "solutions" / "countdown.py").read_text(encoding="utf-8")
    (tmp_path / "student" / "exercises" / "countdown.py").write_text(solved, encoding="utf-8")
    done = subprocess.run(["make", "--no-print-directory", "check", "T=countdown",
                           f"PY={sys.executable}", "STAMP="],
                          cwd=tmp_path / "student", capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0 and "1/1 topics complete" in done.stdout, done.stdout


def test_plain_pytest_in_the_release_runs_the_visible_tests(tmp_path):
    release.build(tmp_path / "student")
    done = subprocess.run([sys.executable, "-m", "pytest", "--co", "-q"],
                          cwd=tmp_path / "student", capture_output=True, text=True,
                          timeout=120, check=False)
    assert "tests/test_countdown.py::test_lines_and_return_value" in done.stdout, done.stdout
