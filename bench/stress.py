"""Stress the topic tests against the reference solutions under CPU load.

    python bench/stress.py --runs 100            # both cores busy, 100 full runs
    python bench/stress.py --runs 20 --nice 19   # the suite at lowest priority

Each run grades every topic of solutions/ (visible + hidden tests), two
topics at a time, while ``--hogs`` busy-loop processes keep the cores busy;
then one run goes through pytest-xdist (-n 2). Prints the failures per test:
any failure of a reference solution is a flaky test to fix.
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader import capacity, check, manifest  # noqa: E402  pylint: disable=wrong-import-position
from grader.results import TopicOutcome  # noqa: E402  pylint: disable=wrong-import-position


def _hog() -> None:
    while True:
        pass


def start_hogs(count: int) -> list[multiprocessing.Process]:
    """``count`` daemon processes that spin forever, to keep the cores busy."""
    hogs = [multiprocessing.Process(target=_hog, daemon=True) for _ in range(count)]
    for hog in hogs:
        hog.start()
    return hogs


def xdist_run() -> tuple[int, list[str]]:
    """One run of every visible and hidden test through pytest-xdist, -n 2."""
    topics = manifest.load()
    files = [str(ROOT / "tests" / t.test_file) for t in topics]
    files += [str(ROOT / "tests" / "hidden" / t.test_file) for t in topics]
    done = subprocess.run([sys.executable, "-m", "pytest", "-n", "2", "-q", "-rf",
                           "--target", str(ROOT / "solutions"), *files],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    failed = [line.split(" ", 1)[1].split(" - ")[0] for line in done.stdout.splitlines()
              if line.startswith(("FAILED ", "ERROR "))]
    return done.returncode, failed


def tally(results: list[TopicOutcome], failures: collections.Counter[str],
          examples: dict[str, str]) -> int:
    """Count one run's failed tests and topics into ``failures``; how many there were."""
    bad = 0
    for result in results:
        for test in result.tests:
            if test.status != "passed":
                key = f"{result.topic}::{test.name}"
                failures[key] += 1
                examples.setdefault(key, test.message)
                bad += 1
        if result.status != "graded":
            failures[f"{result.topic} ({result.status})"] += 1
            bad += 1
    return bad


def parse_args() -> argparse.Namespace:
    """The command line: how many runs, under how much load, at which niceness."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--hogs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--nice", type=int, default=0, help="niceness of the test runs")
    parser.add_argument("--jobs", type=int, default=2, help="topics graded at once")
    parser.add_argument("--no-xdist", action="store_true")
    return parser.parse_args()


def main() -> int:
    """Grade the solutions ``--runs`` times under load, then list the failures per test."""
    args = parse_args()
    topics = manifest.load()
    target = ROOT / "solutions"
    failures: collections.Counter[str] = collections.Counter()
    examples: dict[str, str] = {}
    capacity.GATE.configure(args.jobs)
    hogs = start_hogs(args.hogs)        # at normal priority...
    if args.nice:
        os.nice(args.nice)              # ...and only the tests niced (inherited by each run)
    started = time.monotonic()
    try:
        for number in range(1, args.runs + 1):
            bad = tally(check.grade_folder(target, topics, hidden=True),
                        failures, examples)
            print(f"run {number}/{args.runs}: {'ok' if not bad else f'{bad} FAILED'} "
                  f"({time.monotonic() - started:.0f} s)", flush=True)
        if not args.no_xdist:
            code, failed = xdist_run()
            print(f"xdist -n 2 run: exit {code}, {len(failed)} failed", flush=True)
            for name in failed:
                failures[f"xdist {name}"] += 1
    finally:
        for hog in hogs:
            hog.kill()
    print(f"\n{args.runs} loaded runs ({args.hogs} hogs, nice {args.nice}) in "
          f"{time.monotonic() - started:.0f} s; failures per test:")
    if not failures:
        print("  none")
    for key, count in failures.most_common():
        print(f"  {count:4d}  {key}: {examples.get(key, '')[:200]}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
