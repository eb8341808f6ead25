"""Grading speed: one full submission, and a batch of 100.

    python bench/batch_speed.py              # prints the figures
    python bench/batch_speed.py --students 40 --jobs 2

The class cycles through copies of the reference solutions, of the stubs,
and of the solutions with one topic replaced by a known wrong solution -
what the issue asks to measure. Identical files are graded once (the
gradebook's topic cache), so a second figure grades every student's files
made distinct by a comment, to show the cost without that help.
Targets, for the six core topics and scaled by the number of topics: one
submission <= 3 s; distinct submissions <= 2.5 s each at default options.
bench/speed_table.py measures the README's table with these helpers.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader import catalog, manifest  # noqa: E402  pylint: disable=wrong-import-position


def make_class(folder: Path, students: int, distinct: bool) -> None:
    """``students`` submissions: solutions, stubs, one topic wrong, in turn.

    With ``distinct`` a comment makes each file unlike every other, so that
    the gradebook's topic cache cannot help.
    """
    wrong = sorted(catalog.cases("wrong"), key=lambda case: (case.topic, case.name))
    kinds = itertools.cycle(["solutions", "exercises", "wrong"])
    wrong_cycle = itertools.cycle(wrong)
    for number in range(students):
        student = folder / f"s{number:03d}"
        kind = next(kinds)
        shutil.copytree(ROOT / ("exercises" if kind == "exercises" else "solutions"), student,
                        ignore=shutil.ignore_patterns("__pycache__"))
        if kind == "wrong":
            case = next(wrong_cycle)
            (student / f"{case.topic}.py").write_text(case.text, encoding="utf-8")
        if distinct:
            for path in student.glob("*.py"):
                path.write_text(path.read_text(encoding="utf-8") + f"# {student.name}\n",
                                encoding="utf-8")


def timed(command: list[str]) -> float:
    """Seconds ``command`` took to run from the kit's root, its output discarded."""
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, check=False, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.monotonic() - started


def main() -> int:
    """Time one full submission, then a batch of copies and one of distinct files."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=0, help="0: the grader's auto")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    python = sys.executable
    one = statistics.median(timed([python, "-m", "grader", "grade", str(ROOT / "solutions")])
                            for _ in range(args.repeat))
    topics = len(manifest.load())
    # The targets are for the six core topics; more topics scale them.
    one_target, each_target = 3.0 * topics / 6, 2.5 * topics / 6
    print(f"one full submission ({topics} topics, visible + hidden): {one:.1f} s   "
          f"target <= {one_target:.1f} s")
    for distinct in (False, True):
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch) / "class"
            folder.mkdir()
            make_class(folder, args.students, distinct)
            jobs = ["--jobs", str(args.jobs)] if args.jobs else []
            seconds = timed([python, "-m", "grader", "batch", str(folder), "--out",
                             str(Path(scratch) / "out"), *jobs])
        label = "every file distinct" if distinct else "copies (identical files graded once)"
        print(f"batch of {args.students}, {label}: {seconds:.0f} s "
              f"({seconds / args.students:.2f} s each)   target <= {each_target:.1f} s each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
