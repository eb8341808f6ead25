"""Grade every catalog case several times under CPU load: are the scores reproducible?

    python bench/determinism.py                      # every case, 4 grades each, 2 hogs
    python bench/determinism.py --runs 20 --only ordered_by_sleeps
    python bench/determinism.py --topics event_coordination --hogs 0

A case is what `make verify` grades: the solutions, the stubs, every wrong
module and every alternative, one topic at a time with its hidden tests.
Each is graded ``--runs`` times while ``--hogs`` busy-loop processes keep the
cores busy. A case whose per-test verdicts differ between runs would get a
different score when an instructor grades it twice: the figures list those
cases and the tests that flipped, and every case that in some grade did
not score as `make verify` wants (a wrong module with full marks, an
alternative that lost a point). Exit status 1 when any case varied or did.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

# pylint: disable=wrong-import-position
from stress import start_hogs  # noqa: E402
from grader import capacity, manifest, verify  # noqa: E402


def parse_args() -> argparse.Namespace:
    """The command line: which cases, how many grades each, under how much load."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=4, help="grades per case")
    parser.add_argument("--hogs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--jobs", type=int, default=2, help="cases graded at once")
    parser.add_argument("--topics", default="", help="comma-separated topic names")
    parser.add_argument("--only", default="",
                        help="only cases whose label contains one of these (comma-separated)")
    return parser.parse_args()


def verdicts(verdict: verify.Verdict) -> tuple[float, dict[str, str]]:
    """One grade of a case: its score and each test's status (the topic's with its message)."""
    outcome = verdict.result
    tests = {test.name: test.status for test in outcome.tests}
    tests["(topic)"] = (f"{outcome.status}: {outcome.message[:300]}"
                        if outcome.status != "graded" else "graded")
    return outcome.score, tests


def report(seen: dict[str, list[tuple[float, dict[str, str]]]]) -> int:
    """Print each case whose verdicts moved between grades; how many did."""
    varied = 0
    for label, grades in seen.items():
        scores = sorted({score for score, _ in grades})
        if len(scores) == 1 and all(tests == grades[0][1] for _, tests in grades):
            continue
        varied += 1
        flipped = sorted({name for _, tests in grades for name in tests
                          if len({t.get(name) for _, t in grades}) > 1})
        print(f"VARIED {label}: scores {scores}; tests that flipped: {', '.join(flipped)}")
        odd = collections.Counter(tests["(topic)"] for _, tests in grades)
        if len(odd) > 1:
            print("  topic status: " + "; ".join(f"{n}x {text}" for text, n in odd.items()))
    return varied


def main() -> int:
    """Grade each case ``--runs`` times and print the ones whose verdicts moved."""
    args = parse_args()
    wanted = args.only.split(",")
    cases = [c for c in verify.all_cases(manifest.by_name(args.topics))
             if any(part in c.label for part in wanted)]
    jobs = [case for case in cases for _ in range(args.runs)]
    seen: dict[str, list[tuple[float, dict[str, str]]]] = collections.defaultdict(list)
    unexpected: collections.Counter[str] = collections.Counter()  # grades not as verify wants
    capacity.GATE.configure(args.jobs)
    hogs = start_hogs(args.hogs)
    started = time.monotonic()
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for number, verdict in enumerate(pool.map(verify.judge, jobs), start=1):
                seen[verdict.case.label].append(verdicts(verdict))
                if not verdict.ok:
                    unexpected[verdict.case.label] += 1
                if number % 20 == 0 or number == len(jobs):
                    print(f"{number}/{len(jobs)} grades ({time.monotonic() - started:.0f} s)",
                          file=sys.stderr, flush=True)
    finally:
        for hog in hogs:
            hog.kill()
    varied = report(seen)
    for label, count in sorted(unexpected.items()):
        print(f"UNEXPECTED {label}: {count} of {args.runs} grades not as make verify wants")
    print(f"\n{len(seen)} cases, {args.runs} grades each, {args.hogs} hogs, "
          f"{time.monotonic() - started:.0f} s: {len(seen) - varied} reproducible, "
          f"{varied} varied, {len(unexpected)} not always as expected")
    return 1 if varied or unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
