"""Grade solutions written outside the kit: how many wrong ones escape, how many right ones lose?

    python bench/escapes.py DIR                 # DIR/wrong/<topic>/, DIR/right/<topic>/
    python bench/escapes.py DIR --runs 3 --hogs 2

The catalogs in tests/ are what the kit was built against; a set of solutions
written independently (by another person, from the student release only) is
what measures it. Each wrong module must lose points in its topic, each right
one must keep every point, on every one of ``--runs`` grades (visible and
hidden tests, as `make verify` grades), while ``--hogs`` busy loops keep the
cores busy. Prints each escape and each lost point, then the figures. The
folders are read as the kit's catalogs are (grader.catalog): whole modules,
or .toml changes against the kit's solutions/.
Exit status 1 when any case came out otherwise than it must.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

# pylint: disable=wrong-import-position
from stress import start_hogs  # noqa: E402
from grader import catalog, manifest, verify  # noqa: E402


def cases(folder: Path) -> list[verify.Case]:
    """Every case of folder/wrong/<topic>/ (must lose), folder/right/<topic>/ (must be full)."""
    found = []
    topics = {topic.name: topic for topic in manifest.load()}
    for kind, expect in (("wrong", "loses"), ("right", "full")):
        for entry in catalog.load(folder / kind, topics):
            found.append(verify.Case(entry.label, topics[entry.topic], entry.path, expect,
                                     entry.text))
    return found


def grade(todo: list[verify.Case], jobs: int) -> dict[str, list[str]]:
    """Grade every case; for each that came out otherwise than it must, its notes."""
    bad: dict[str, list[str]] = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for verdict in pool.map(verify.judge, todo):
            if not verdict.ok:
                result = verdict.result
                bad.setdefault(verdict.case.label, []).append(
                    f"{result.score:g}/{result.max_score:g} {(result.first_failure or '')[:200]}")
    return bad


def main() -> int:
    """Grade every case ``--runs`` times under load; print escapes and figures."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--hogs", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    todo = cases(args.folder) * args.runs
    hogs = start_hogs(args.hogs) if args.hogs else []
    started = time.monotonic()
    try:
        bad = grade(todo, args.jobs)
    finally:
        for hog in hogs:
            hog.kill()
    for label, notes in sorted(bad.items()):
        print(f"{'ESCAPED' if label.startswith('wrong') else 'LOST   '} {label}: {notes[0]}"
              f"{f' ({len(notes)} of {args.runs} grades)' if args.runs > 1 else ''}")
    labels = {case.label for case in todo}
    wrong = sum(1 for label in labels if label.startswith("wrong"))
    escaped = sum(1 for label in bad if label.startswith("wrong"))
    lost = len(bad) - escaped
    print(f"wrong: {wrong - escaped} of {wrong} lose points; right: "
          f"{len(labels) - wrong - lost} of {len(labels) - wrong} keep every point; "
          f"{args.runs} grade(s) each, {args.hogs} hogs, {time.monotonic() - started:.0f} s")
    return 1 if bad else 0

if __name__ == "__main__":
    sys.exit(main())
