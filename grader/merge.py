"""`python -m grader merge OUTDIR... --out OUTDIR`: combine shard outputs into one.

Each OUTDIR holds a gradebook.sqlite written by `batch --shard I/N`. The
merged gradebook keeps, for each student, the most recently graded result;
the exports (grades.csv, report.html, a folder per student) are rewritten.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from grader import manifest
from grader.batch import write_exports
from grader.gradebook import Gradebook


def merge(sources: list[Path], out: Path) -> int:
    """Merge the gradebooks of ``sources`` into ``out``; return the student count."""
    latest: dict[str, tuple] = {}
    for source in sources:
        path = source / "gradebook.sqlite"
        if not path.is_file():
            raise SystemExit(f"{path}: no gradebook here (is {source} a batch --out folder?)")
        book = Gradebook(path)
        for row in book.rows_with_meta():
            student = row[0].submission
            if student not in latest or row[2] > latest[student][2]:
                latest[student] = row
        book.close()
    merged = Gradebook(out / "gradebook.sqlite")
    merged.record_many(list(latest.values()))
    write_exports(merged, out, manifest.load())
    count = merged.count()
    merged.close()
    return count


def main(argv: list[str]) -> int:
    """Parse the ``merge`` arguments and merge the shard outputs into ``--out``."""
    parser = argparse.ArgumentParser(prog="python -m grader merge", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sources", type=Path, nargs="+")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    count = merge(args.sources, args.out)
    print(f"merged {len(args.sources)} outputs: {count} students in {args.out}/gradebook.sqlite",
          file=sys.stderr)
    return 0
