"""The student release holds what students need, and nothing they must not see."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from grader import catalog, check, gradescope_zip, layout, manifest, release
from grader.results import SubmissionResult, TestOutcome, TopicOutcome

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


def test_the_lint_plugin_package_ships_whole(tmp_path):
    """Every module of grader/pylint_concurrency/ goes wherever the grader goes."""
    grader_dir = manifest.ROOT / "grader"
    package = {p.relative_to(grader_dir).as_posix()
               for p in (grader_dir / "pylint_concurrency").rglob("*.py")}
    assert "pylint_concurrency/__init__.py" in package and len(package) > 5
    assert package <= set(layout.plugin_files())        # run folders and nbgrader cells
    release.build(tmp_path / "student")
    shipped = tmp_path / "student" / "grader"
    assert package <= {p.relative_to(shipped).as_posix() for p in shipped.rglob("*.py")}
    assert not list(shipped.rglob("__pycache__"))
    with zipfile.ZipFile(gradescope_zip.build(tmp_path / "autograder.zip")) as zipped:
        assert {f"grader/{name}" for name in package} <= set(zipped.namelist())
    # The release's own copy loads and finds, with the kit's grader nowhere on the path.
    probe = ("import grader.pylint_concurrency as p; print(p.__file__); "
             "print([f.symbol for f in p.check_source("
             "'import threading\\nthreading.Thread(target=print).run()\\n')])")
    command = [sys.executable, "-I", "-c", f"import sys; sys.path[:0] = ['.']; {probe}"]
    done = subprocess.run(command, cwd=tmp_path / "student", capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    where, found = done.stdout.splitlines()
    assert where.startswith(str(tmp_path / "student")) and found == "['thread-run-called']"


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


# GitHub Classroom, simulated from the actions' published sources (read, not
# copied): classroom-resources/autograding-grading-reporter decodes the env var
# <RUNNER ID in capitals>_RESULTS (base64 of a runner's JSON result) for each
# runner; its Classroom notice adds up every test's `score` over the runners
# with a non-zero `max_score`, and their `max_score`s, without rounding; it
# fails the job when a runner's status is "fail" or "error".

def read_workflow(text: str) -> dict:
    """The block-style YAML subset the release writes: mappings, lists of mappings, scalars."""
    lines = [(len(line) - len(line.lstrip()), line.strip()) for line in text.splitlines()
             if line.strip() and not line.strip().startswith("#")]

    def scalar(value: str):
        if value[:1] in "\"'" and value[-1:] == value[:1]:
            return value[1:-1]
        return int(value) if value.isdigit() else value

    def block(start: int, indent: int) -> tuple[object, int]:
        if lines[start][1].startswith("- "):
            items = []
            while start < len(lines) and lines[start][0] == indent \
                    and lines[start][1].startswith("- "):
                # "- key: value" opens a mapping whose keys sit two columns in.
                lines[start] = (indent + 2, lines[start][1][2:])
                item, start = block(start, indent + 2)
                items.append(item)
            return items, start
        mapping = {}
        while start < len(lines) and lines[start][0] == indent:
            key, _, value = lines[start][1].partition(":")
            start += 1
            if value.strip():
                mapping[key] = scalar(value.strip())
            else:
                mapping[key], start = block(start, lines[start][0])
        return mapping, start

    return block(0, 0)[0]


def run_step(step: dict, cwd, github_output) -> subprocess.CompletedProcess:
    """A `run:` step as Actions runs it: bash -e -o pipefail, with $GITHUB_OUTPUT."""
    env = dict(os.environ, GITHUB_OUTPUT=str(github_output),
               PATH=os.pathsep.join([os.path.dirname(sys.executable), os.environ["PATH"]]))
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
                          check=False)


def step_outputs(github_output) -> dict[str, str]:
    """The name=value lines a step appended to $GITHUB_OUTPUT."""
    text = github_output.read_text(encoding="utf-8") if github_output.exists() else ""
    return dict(line.split("=", 1) for line in text.splitlines() if line)


def reporter(step: dict, outputs: dict[str, dict[str, str]]) -> dict:
    """What the grading reporter notifies Classroom of, from its env and runners."""
    def expand(value: str) -> str:     # ${{ steps.<id>.outputs.<name> }}; unset is ""
        return re.sub(r"\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}",
                      lambda m: outputs.get(m[1], {}).get(m[2], ""), value)

    env = {name: expand(value) for name, value in step["env"].items()}
    runners = []
    for runner in step["with"]["runners"].split(","):
        encoded = env[f"{runner.strip().upper()}_RESULTS"]
        runners.append((runner, json.loads(base64.b64decode(encoded).decode("utf-8"))))
    scored = [r for _, r in runners if r.get("max_score")]
    return {"totalPoints": sum(t["score"] for r in scored for t in r["tests"]),
            "maxPoints": sum(r["max_score"] for r in scored),
            "failed": any(r["status"] in ("fail", "error") for _, r in runners)}


def js_number(value: float) -> str:
    """How the reporter's JavaScript prints a number (shortest round trip, no ".0")."""
    return repr(value).removesuffix(".0")


def table_points(stdout: str) -> tuple[float, float]:
    """The "x/y points." of the table `make check` prints."""
    found = re.search(r"topics complete, ([\d.]+)/([\d.]+) points\.", stdout)
    assert found, stdout
    return float(found[1]), float(found[2])


def plant_target_called(release_dir: Path) -> int:
    """The catalog's target=countdown(...) mistake as the release's countdown; its line."""
    wrong = catalog.case("wrong", "countdown", "target_called").text
    (release_dir / "exercises/countdown.py").write_text(wrong, encoding="utf-8")
    return next(n for n, line in enumerate(wrong.splitlines(), 1)
                if "threading.Thread(target=countdown(" in line)


def workflow_steps(here: Path) -> list[dict]:
    """The release's Classroom workflow, checked for the names Classroom expects; its steps."""
    workflow = read_workflow((here / ".github/workflows/classroom.yml").read_text("utf-8"))
    try:
        import yaml  # pylint: disable=import-outside-toplevel
    except ImportError:
        pass
    else:                      # where PyYAML is installed, it reads the same thing
        parsed = yaml.safe_load((here / ".github/workflows/classroom.yml").read_text("utf-8"))
        assert parsed["jobs"] == workflow["jobs"]
    assert workflow["name"] == "Autograding Tests"
    assert list(workflow["jobs"]) == ["run-autograding-tests"]
    return workflow["jobs"]["run-autograding-tests"]["steps"]


# Two checks of every topic (the workflow's, then make check's).
@pytest.mark.timeout(600)
def test_classroom_records_the_partial_credit_make_check_prints(tmp_path):
    release.build(tmp_path / "student")
    here = tmp_path / "student"
    steps = workflow_steps(here)
    # The set-up installs what `make check` installs, at the same pins (kit.mk).
    setup = next(s for s in steps if "pip install" in s.get("run", ""))
    assert "-c constraints.txt -e '.[test]'" in setup["run"]
    assert "-c constraints.txt -e '.[test]'" in (here / "kit.mk").read_text("utf-8")
    assert (here / "constraints.txt").is_file()
    assert "pylint" in (here / "pyproject.toml").read_text("utf-8")
    # A partly wrong countdown (target=countdown(...)), every other topic a stub.
    mistake = plant_target_called(here)
    outputs, logs = {}, {}
    for step in steps:
        if "run" in step and step is not setup:   # this interpreter has the packages
            done = run_step(step, here, tmp_path / f"output-{len(outputs)}")
            outputs[step.get("id", "")] = step_outputs(tmp_path / f"output-{len(outputs)}")
            logs[step.get("id", "")] = done.stdout
    report_step = steps[-1]
    assert report_step["uses"].startswith("classroom-resources/autograding-grading-reporter@")
    assert "!cancelled()" in report_step["if"]    # it runs after the check's non-zero exit
    report = reporter(report_step, outputs)
    score, maximum = table_points(logs["kit"])
    assert 0 < score < 10
    # Exactly, and printed as the kit prints it ("Points 7.89/120", no float tail).
    assert report["totalPoints"] == score
    assert report["maxPoints"] == maximum == sum(t.points for t in manifest.load())
    assert js_number(report["totalPoints"]) == f"{score:g}"
    assert report["failed"]
    assert f"! line {mistake}: Thread(target=countdown(...))" in logs["kit"]   # the findings
    # The same verdict as `make check` in the release.
    done = subprocess.run(["make", "--no-print-directory", "check", f"PY={sys.executable}",
                           "STAMP="], cwd=here, capture_output=True, text=True, timeout=300,
                          check=False)
    assert table_points(done.stdout) == (score, maximum), done.stdout


def test_classroom_total_is_the_kits_to_the_last_digit():
    # 13 tests sharing 19 points, six times: each share has a float tail.
    shares = [round(10 * p / 19, 4) for p in (2, 2, 2, 3, 2) + (1,) * 8]
    shares[-1] = round(10 - sum(shares[:-1]), 4)
    def topic(name, passed):
        tests = [TestOutcome(f"test_{i}", "passed" if i < passed else "failed",
                             share if i < passed else 0.0, share)
                 for i, share in enumerate(shares)]
        score = round(sum(t.score for t in tests), 2)
        if passed:             # results._settle: the tests add up to the topic's score
            last = tests[passed - 1]
            last.score = round(last.score + score - sum(t.score for t in tests), 4)
        return TopicOutcome(name, name, score, 10.0, "graded", "", tests)
    for passed in ([13] * 6, [11, 13, 7, 0, 13, 12]):
        result = SubmissionResult("s", [topic(f"t{i}", n) for i, n in enumerate(passed)])
        total = 0.0
        for value in check.classroom_results(result).values():   # in the reporter's order
            for test in value["tests"]:
                total += test["score"]
        assert total == result.score and js_number(total) == f"{result.score:g}", total


FAKE_PYTHON = """#!/bin/sh
# Stands in for python3 (and, once "installed", for .venv/bin/python).
case "$1" in
  -c) exit 0 ;;
  -m) if [ "$2" = venv ]; then mkdir -p "$3/bin" && cp "$0" "$3/bin/python"; exit 0; fi
      echo "Collecting pytest (noise from pip)"; echo "Installing collected packages"
      exit ${PIP_FAILS:-0} ;;
esac
"""


@pytest.mark.parametrize("fails", [False, True])
def test_the_first_run_says_it_sets_up_the_venv_and_hides_pip_unless_it_fails(tmp_path, fails):
    release.build(tmp_path / "student")
    fake = tmp_path / "python3"
    fake.write_text(FAKE_PYTHON, encoding="utf-8")
    fake.chmod(0o755)
    done = subprocess.run(["make", "--no-print-directory", "venv", f"PYTHON={fake}"],
                          cwd=tmp_path / "student", capture_output=True, text=True, timeout=60,
                          check=False, env={**os.environ, "PIP_FAILS": "1" if fails else "0"})
    said = done.stdout + done.stderr
    assert said.startswith("Setting up .venv, once (about 20 s)"), said
    if fails:
        assert done.returncode != 0 and "noise from pip" in said and "failed" in said, said
    else:
        assert done.returncode == 0 and "noise from pip" not in said and "Done." in said, said
