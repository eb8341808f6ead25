"""The README's speed table, measured on this machine: print it, or write it into README.md.

    python bench/speed_table.py                     # measure, print the table
    python bench/speed_table.py --write-readme      # ...and replace README.md's table
    python bench/speed_table.py --students 40 --repeat 3 --no-serial --no-nbgrader

Figures, each at the commands' default options:

* one full submission, ``python -m grader grade`` (every topic, visible + hidden);
* ``make check`` on the reference solutions (``grader check``);
* a topic that deadlocks (joinable_threads whose ``run_in_threads([])`` never
  returns, beside correct topics): the full grade's wall time;
* a class of distinct submissions (copies of the solutions, the stubs, and the
  solutions with one known wrong module, each file made unlike every other so
  the topic cache cannot help), ``grader batch``; with ``--jobs 1`` too, and
  whether every test's verdict is the same;
* ``nbgrader autograde`` of the same full submission (one kernel per notebook),
  from the same run.

The table names the date, the machine and the kit's commit. Nothing is
asserted: the figures are the product's, the thresholds the issue's.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

# pylint: disable=wrong-import-position
from batch_speed import make_class  # noqa: E402
from nbgrader_speed import STUDENT, run_nbgrader  # noqa: E402
from grader import catalog, manifest, nbgrader_course  # noqa: E402

START, END = "<!-- speed-table: start -->", "<!-- speed-table: end -->"


def timed(*args: str) -> float:
    """Wall seconds of ``python -m grader ARGS`` from the kit's root, output discarded."""
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "grader", *args], cwd=ROOT, check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - started


def median(repeat: int, *args: str) -> float:
    """Median of ``repeat`` timings of ``python -m grader ARGS``."""
    return statistics.median(timed(*args) for _ in range(repeat))


def deadlocked(scratch: Path, repeat: int) -> float:
    """A full grade whose joinable_threads hangs on an empty list."""
    folder = scratch / "deadlock"
    shutil.copytree(ROOT / "solutions", folder, ignore=shutil.ignore_patterns("__pycache__"))
    case = catalog.case("wrong", "joinable_threads", "empty_list_hangs")
    (folder / "joinable_threads.py").write_text(case.text, encoding="utf-8")
    return median(repeat, "grade", str(folder))


def verdicts(out: Path) -> list[tuple]:
    """Every test's verdict in the gradebook of ``out``."""
    with sqlite3.connect(out / "gradebook.sqlite") as book:
        return book.execute("SELECT student, topic, name, status FROM tests "
                            "ORDER BY student, topic, name").fetchall()


def batch(scratch: Path, students: int, serial: bool) -> tuple[float, float | None, str]:
    """Seconds for the class at default options, with --jobs 1, and whether verdicts agree."""
    folder = scratch / "class"
    folder.mkdir()
    make_class(folder, students, distinct=True)
    auto = timed("batch", str(folder), "--out", str(scratch / "auto"))
    if not serial:
        return auto, None, "not compared (--no-serial)"
    one = timed("batch", str(folder), "--out", str(scratch / "serial"), "--jobs", "1")
    left, right = verdicts(scratch / "auto"), verdicts(scratch / "serial")
    if left == right:
        return auto, one, f"identical ({len(left)} test verdicts)"
    differ = len(set(left) ^ set(right)) // 2
    for row in sorted(set(left) - set(right)):       # the instructor needs to see which
        print("default:", *row, file=sys.stderr)
    for row in sorted(set(right) - set(left)):
        print("--jobs 1:", *row, file=sys.stderr)
    return auto, one, f"{differ} of {len(left)} test verdicts differ"


def nbgrader_autograde(scratch: Path, repeat: int) -> str:
    """nbgrader autograde of the solution notebooks, as the README's comparison shows it."""
    if importlib.util.find_spec("nbgrader") is None:
        return "nbgrader not installed"
    course = scratch / "course"
    nbgrader_course.build(course)
    run_nbgrader(course, "generate_assignment", nbgrader_course.ASSIGNMENT)
    submitted = course / "submitted" / STUDENT / nbgrader_course.ASSIGNMENT
    shutil.copytree(course / "source" / nbgrader_course.ASSIGNMENT, submitted)
    seconds = statistics.median(
        run_nbgrader(course, "autograde", nbgrader_course.ASSIGNMENT, "--student", STUDENT,
                     "--force") for _ in range(repeat))
    return f"{seconds:.1f} s"


def machine() -> str:
    """CPU model, cores, memory, OS and Python of this machine."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text(
            encoding="utf-8").splitlines() if line.startswith("MemTotal"))
        gib = f", {memory / 2**20:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        gib = ""
    return (f"{os.cpu_count()} cores ({model or platform.machine()}){gib}, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")


def commit() -> str:
    """The kit's commit, or "unknown" outside a git checkout."""
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=False,
                          capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def scaled(seconds: float) -> str:
    """A goal the speed issue set for the six core topics, scaled to the topics there are."""
    return f"{seconds * len(manifest.load()) / 6:g}"


def table(args: argparse.Namespace) -> str:
    """Measure everything and return the README's block."""
    with tempfile.TemporaryDirectory(prefix="kit-speed-") as scratch:
        root = Path(scratch)
        one = median(args.repeat, "grade", str(ROOT / "solutions"))
        check = median(args.repeat, "check", "--target", str(ROOT / "solutions"))
        hang = deadlocked(root, args.repeat)
        auto, serial, agree = batch(root, args.students, args.serial)
        autograde = nbgrader_autograde(root, args.repeat) if args.nbgrader else "not run"
    n = args.students
    rows = [
        (f"one full submission ({len(manifest.load())} topics), `python -m grader grade`",
         f"{one:.1f} s", f"<= {scaled(3)} s"),
        ("`make check` on the solutions (visible tests)", f"{check:.1f} s",
         f"<= {scaled(4)} s"),
        ("a full grade whose joinable_threads deadlocks", f"{hang:.1f} s", "a few seconds"),
        (f"{n} distinct submissions, `batch` at default options",
         f"{auto:.0f} s ({auto / n:.2f} s each)", f"<= {scaled(2.5)} s each"),
        (f"the same {n} with `--jobs 1`",
         f"{serial:.0f} s ({serial / n:.2f} s each); verdicts {agree}" if serial is not None
         else agree, "identical verdicts"),
        ("one full submission, `nbgrader autograde` (a kernel per notebook)", autograde, "-"),
    ]
    when = datetime.date.today().isoformat()
    lines = [START,
             f"Measured {when} by `python bench/speed_table.py` (median of {args.repeat}) on "
             f"{machine()}, kit {commit()}:", "",
             "| what | time | goal |", "|---|---|---|"]
    lines += [f"| {what} | {time_} | {goal} |" for what, time_, goal in rows]
    lines.append(END)
    return "\n".join(lines)


def write_readme(block: str) -> None:
    """Replace the block between the markers in README.md (exit when they are missing)."""
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        sys.exit(f"{readme}: the markers {START} ... {END} are missing")
    head, rest = text.split(START, 1)
    readme.write_text(head + block + rest.split(END, 1)[1], encoding="utf-8")


def main() -> int:
    """Measure, print, and write the README when asked."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-serial", dest="serial", action="store_false",
                        help="skip the --jobs 1 batch and the verdict comparison")
    parser.add_argument("--no-nbgrader", dest="nbgrader", action="store_false")
    parser.add_argument("--write-readme", action="store_true")
    args = parser.parse_args()
    block = table(args)
    print(block)
    if args.write_readme:
        write_readme(block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
