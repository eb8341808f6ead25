"""Wall time of `nbgrader autograde` vs `python -m grader grade` on the same code.

    python bench/nbgrader_speed.py [--repeat 3]

Both grade one full submission, the reference solutions of every topic with
visible and hidden tests, on this machine: nbgrader autogrades the solution
notebooks of a course made by `python -m grader nbgrader build` (one kernel
per notebook, topics one after another), the grader grades solutions/*.py
(each topic in its own confined process, two at a time). Course set-up is
not timed; nbgrader's own start-up is, since every autograde pays it, and
is printed apart. Prints medians of --repeat runs and the ratio; asserts
nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader import manifest, nbgrader_course  # noqa: E402  pylint: disable=wrong-import-position

STUDENT = "reference"


def run_nbgrader(course: Path, *args: str) -> float:
    """Run one nbgrader command in ``course``; its wall time. Exits when it fails."""
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep
               + os.environ.get("PATH", ""))
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                          capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        sys.exit(f"nbgrader {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return seconds


def grade(folder: Path) -> float:
    """Wall time of `python -m grader grade FOLDER`; exits when it fails."""
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "grader", "grade", str(folder), "--format", "json"],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def main() -> int:
    """Set the course up, time both graders --repeat times, print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if importlib.util.find_spec("nbgrader") is None:
        print("nbgrader is not installed here: pip install nbgrader", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="kit-nbgrader-bench-") as scratch:
        course = Path(scratch) / "course"
        nbgrader_course.build(course)
        run_nbgrader(course, "generate_assignment", nbgrader_course.ASSIGNMENT)
        submitted = course / "submitted" / STUDENT / nbgrader_course.ASSIGNMENT
        shutil.copytree(course / "source" / nbgrader_course.ASSIGNMENT, submitted)
        startup = statistics.median(run_nbgrader(course, "--version") for _ in range(args.repeat))
        autograde = statistics.median(
            run_nbgrader(course, "autograde", nbgrader_course.ASSIGNMENT, "--student", STUDENT,
                     "--force") for _ in range(args.repeat))
        ours = statistics.median(grade(ROOT / "solutions") for _ in range(args.repeat))
    print(f"one full submission ({len(manifest.load())} topics, visible + hidden tests), "
          f"median of {args.repeat}:")
    print(f"  nbgrader autograde          {autograde:6.2f} s"
          f"   (of which nbgrader start-up ~{startup:.2f} s)")
    print(f"  python -m grader grade      {ours:6.2f} s")
    print(f"  ratio autograde / grade     {autograde / ours:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
