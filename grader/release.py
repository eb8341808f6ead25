"""`make release`: write the student release to dist/student/ and dist/student.zip.

It holds what students work on and what `make check` needs: the stubs, the
visible tests and their helpers, the manifest, the check part of the grader,
pyproject.toml and the Makefile. Never the solutions, the hidden tests or the
catalogs of wrong and alternative solutions.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from grader import layout, manifest, stubs

STUDENT_MAKEFILE = """\
# Your commands (Python 3.11+ needed; the first run sets up .venv):
#   make check              test every topic in exercises/
#   make check T=countdown  test one topic
#   make watch              check the topic you edit each time you save it
#   make hint               a hint for the first test that fails (T=countdown: in that topic)
include kit.mk
.DEFAULT_GOAL := check
"""
STUDENT_README = """\
# Python concurrency exercises

    make check              # test every topic in exercises/ (sets up .venv the first time)
    make check T=countdown  # one topic
    make watch              # check the topic you are editing each time you save it
    make hint               # a hint for the first test that fails (T=countdown: in that topic)

Fill in the functions in `exercises/`, one file per topic, in this order:

{topics}

Each file's docstring says what to build and which part of the lecture it
practises. `make check` prints a table: each topic's status and points and,
for a failing topic, what went wrong and what it usually means. The tests in
`tests/` are the visible ones; your grade also counts hidden tests that check
the same contract with other numbers, so solve the problem, not the test.
"""


CLASSROOM_HEADER = """\
# GitHub Classroom autograding. One step runs the kit's own check, exactly as
# `make check` does (visible tests, the static concurrency checks, partial
# credit), and hands each topic's result to the grading reporter, which adds
# up the tests' points: Classroom records the score `make check` prints.
# Editing the tests in Classroom's UI rewrites this file (see the kit's README).
name: Autograding Tests
on: [push, repository_dispatch]
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: '3.11'
      - name: Set up the kit
        # What `make check` installs: pytest, pytest-timeout, pylint (the static checks).
        run: python -m pip install --quiet -c constraints.txt -e '.[test]'
      - name: Check the exercises
        id: kit
        timeout-minutes: 15
        run: python -m grader check --classroom "$GITHUB_OUTPUT"
      - name: Autograding Reporter
        if: ${{ !cancelled() }}
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
"""


def classroom_runner(topic: manifest.Topic) -> str:
    """The reporter's runner id for ``topic`` (it reads the env var <ID>_RESULTS)."""
    return topic.name.replace("_", "-")


def classroom_workflow(topics: list[manifest.Topic]) -> str:
    """The GitHub Classroom workflow: the kit's check, then a reporter runner per topic.

    Classroom's command grader would give a step its whole ``max-score`` (an
    integer) on exit 0 and nothing otherwise; the reporter instead sums the
    ``score`` of every test in each runner's result, so `check --classroom`
    writes those results itself, with the kit's fractional points.
    """
    env = "".join(f"          {classroom_runner(t).upper()}_RESULTS: "
                  f"\"${{{{ steps.kit.outputs.{t.name} }}}}\"\n" for t in topics)
    runners = ",".join(classroom_runner(t) for t in topics)
    return CLASSROOM_HEADER + env + f"        with:\n          runners: {runners}\n"


def build(dest: Path, root: Path = manifest.ROOT) -> Path:
    """Write the release folder ``dest`` and ``dest``.zip; return the zip's path."""
    topics = manifest.load(root / "topics.toml")
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "exercises").mkdir(parents=True)
    (dest / "tests").mkdir()
    (dest / "grader").mkdir()
    expected = stubs.expected_stubs(root)
    for topic in topics:
        # Written from the solutions' markers, so a stale exercises/ can't leak.
        stub = expected[root / "exercises" / topic.module_file]
        (dest / "exercises" / topic.module_file).write_text(stub, encoding="utf-8")
        shutil.copy2(root / "tests" / topic.test_file, dest / "tests" / topic.test_file)
    for name in layout.test_helpers(root / "tests"):
        shutil.copy2(root / "tests" / name, dest / "tests" / name)
    for name in layout.student_grader_files(root / "grader"):    # what check and hint import
        (dest / "grader" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / "grader" / name, dest / "grader" / name)
    for name in layout.TOP_FILES:
        shutil.copy2(root / name, dest / name)
    # Students have no kit unit tests: plain `pytest` runs their visible tests.
    project = (dest / "pyproject.toml").read_text(encoding="utf-8")
    (dest / "pyproject.toml").write_text(
        project.replace('testpaths = ["tests/kit"]', 'testpaths = ["tests"]'), encoding="utf-8")
    shutil.copystat(root / "pyproject.toml", dest / "pyproject.toml")
    (dest / "Makefile").write_text(STUDENT_MAKEFILE, encoding="utf-8")
    listing = "\n".join(f"{t.number}. `{t.module_file}` - {t.title} (lecture: {t.lecture})"
                        for t in topics)
    (dest / "README.md").write_text(STUDENT_README.format(topics=listing), encoding="utf-8")
    workflow = dest / ".github" / "workflows" / "classroom.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(classroom_workflow(topics), encoding="utf-8")
    (dest / ".gitignore").write_text(".venv/\n__pycache__/\n.hints-seen.json\n", encoding="utf-8")
    archive = shutil.make_archive(str(dest), "zip", root_dir=dest.parent, base_dir=dest.name)
    return Path(archive)


def main(argv: list[str]) -> int:
    """Write the student release to DEST, by default dist/student, and zip it."""
    parser = argparse.ArgumentParser(prog="python -m grader release",
                                     description="Write the student release and its .zip.")
    parser.add_argument("dest", nargs="?", default=str(manifest.ROOT / "dist" / "student"),
                        help="folder to write (default: dist/student)")
    dest = Path(parser.parse_args(argv).dest)
    archive = build(dest.resolve())
    print(f"wrote {dest}/ and {archive}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
