"""How long `make check` takes on the reference solutions (median of --repeat runs).

    python bench/speed.py            # full check, then each topic alone

Targets from the issue: the full check <= 8 s wall, one topic <= 2 s, on
this 2-core machine. Prints the figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader import manifest  # noqa: E402  pylint: disable=wrong-import-position


def wall(args: list[str], repeat: int) -> float:
    """Median wall time of ``repeat`` runs of `grader check` on the solutions with ``args``."""
    times = []
    for _ in range(repeat):
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "grader", "check", "--target",
                        str(ROOT / "solutions"), *args], cwd=ROOT, check=False,
                       stdout=subprocess.DEVNULL)
        times.append(time.monotonic() - started)
    return statistics.median(times)


def main() -> int:
    """Time the full check, each topic alone, and the full grade with hidden tests."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    full = wall([], args.repeat)
    topics = len(manifest.load())
    print(f"full check ({topics} topics, visible tests): {full:5.2f} s   target <= 8 s")
    for topic in manifest.load():
        seconds = wall(["--topics", topic.name], args.repeat)
        print(f"  {topic.name:<20} {seconds:5.2f} s   target <= 2 s")
    hidden = wall(["--hidden"], args.repeat)
    print(f"full grade (visible + hidden tests): {hidden:5.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
