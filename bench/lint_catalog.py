"""How much of the catalog of wrong solutions the concurrency lint catches, and how fast.

    python bench/lint_catalog.py              # recall per topic, false alarms, timing
    python bench/lint_catalog.py --repeat 5   # more timing runs per file

``grader.pylint_concurrency.check_source`` runs on every case of tests/wrong/<topic>/
(read through grader.catalog: whole modules and .toml changes alike) and
reports, per topic and overall, how many wrong solutions get at least one
message, and which. The misses are listed with the first line of their
"Wrong:" docstring, so a human can judge whether a static check could catch
them at all (many of these mistakes - an off-by-one, a wrong deadline - are
only visible when the code runs, which is what the topic tests are for).

It also counts the findings on the code that is right (solutions/, the stubs
in exercises/, tests/alternatives/): that number must be 0, since a message
to a learner who is right does more harm than a missed one. Timing is the
median per file after one warm-up call (the first call also loads astroid's
view of the standard library). Prints the figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import ast
import statistics
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# pylint: disable=wrong-import-position
from grader import catalog  # noqa: E402
from grader.pylint_concurrency import check_source  # noqa: E402


def topics() -> list[str]:
    """Topic names in teaching order, from topics.toml."""
    with open(ROOT / "topics.toml", "rb") as handle:
        return [topic["name"] for topic in tomllib.load(handle)["topics"]]


def wrong_line(source: str) -> str:
    """The first line of a catalog file's "Wrong: ..." docstring."""
    try:
        doc = ast.get_docstring(ast.parse(source)) or ""
    except SyntaxError:
        return "(does not parse)"
    return doc.splitlines()[0] if doc else "(no docstring)"


def timed(source: str, name: str, repeat: int) -> tuple[list[str], float]:
    """Symbols found in module ``name`` and the median seconds one check_source call took."""
    times, symbols = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        findings = check_source(source, name)
        times.append(time.perf_counter() - started)
        symbols = [f"{f.symbol}@{f.line}" for f in findings]
    return symbols, statistics.median(times)


def report_catalog(repeat: int, times: list[float]) -> Counter:
    """Print recall per topic; return how often each message fired."""
    fired: Counter = Counter()
    caught_total = files_total = 0
    for topic in topics():
        entries = catalog.cases("wrong", [topic])
        results = []
        for entry in entries:
            symbols, seconds = timed(entry.text, entry.name, repeat)
            times.append(seconds)
            results.append((entry, symbols))
            fired.update(s.split("@")[0] for s in symbols)
        caught = sum(1 for _, symbols in results if symbols)
        caught_total += caught
        files_total += len(entries)
        print(f"\n== {topic}: {caught}/{len(entries)} wrong solutions get a message")
        for entry, symbols in results:
            if symbols:
                print(f"   caught  {entry.name}: {', '.join(symbols)}")
        for entry, symbols in results:
            if not symbols:
                print(f"   missed  {entry.name}: {wrong_line(entry.text)}")
    share = caught_total / files_total if files_total else 0.0
    print(f"\n== overall: {caught_total}/{files_total} wrong solutions get a message "
          f"({share:.0%})")
    return fired


def report_correct(repeat: int, times: list[float]) -> int:
    """Print the findings on correct code and stubs (all should be absent)."""
    total = 0
    modules = {label: [(f"{label}/{path.name}", path.stem, path.read_text(encoding="utf-8"))
                       for path in sorted((ROOT / label).glob("*.py"))]
               for label in ("solutions", "exercises")}
    modules["alternatives"] = [(entry.label, entry.name, entry.text)
                               for entry in catalog.cases("alternatives")]
    for label, found_in in modules.items():
        found = 0
        for where, name, source in found_in:
            symbols, seconds = timed(source, name, repeat)
            times.append(seconds)
            found += len(symbols)
            for symbol in symbols:
                print(f"   FALSE ALARM {where}: {symbol}")
        total += found
        print(f"   {label}: {len(found_in)} files, {found} findings")
    return total


def main() -> None:
    """Print recall on the catalog, false alarms on correct code, and timing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3,
                        help="check_source calls per file for the timing (default 3)")
    options = parser.parse_args()

    started = time.perf_counter()
    check_source((ROOT / "solutions" / "countdown.py").read_text(encoding="utf-8"))
    first = time.perf_counter() - started

    times: list[float] = []
    fired = report_catalog(max(1, options.repeat), times)
    print("\n== messages fired on the catalog:")
    for symbol, count in fired.most_common():
        print(f"   {count:3d}  {symbol}")
    print("\n== findings on correct code (must be 0):")
    false_alarms = report_correct(max(1, options.repeat), times)
    print(f"   total: {false_alarms}")
    print(f"\n== timing: first call {first * 1000:.0f} ms (warm-up); median "
          f"{statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms "
          f"per file over {len(times)} files")


if __name__ == "__main__":
    main()
