"""`make check`: the students' view - run topics, print a table, exit non-zero on failures."""

from __future__ import annotations

import argparse
import concurrent.futures
import shutil
import sys
from pathlib import Path

from grader import export, manifest, runner, scoring
from grader.manifest import Topic
from grader.results import SubmissionResult, topic_outcome


def grade_folder(target: Path, topics: list[Topic], *, hidden: bool = False,
                 jobs: int = 2, tests_dir: Path | None = None) -> list[scoring.TopicScore]:
    """Run and score every topic against ``target``, ``jobs`` topics at a time."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        runs = pool.map(lambda t: runner.run_topic(t, target, hidden=hidden,
                                                   tests_dir=tests_dir), topics)
        return [scoring.score(run) for run in runs]


def as_result(name: str, scores: list[scoring.TopicScore]) -> SubmissionResult:
    """The scores as one submission's result, the shape the exports print."""
    return SubmissionResult(name, [topic_outcome(s) for s in scores])


def main(argv: list[str]) -> int:
    """Parse the ``check`` arguments, print the table; 0 only when every topic is complete."""
    parser = argparse.ArgumentParser(prog="python -m grader check",
                                     description="Run the topic tests and show a table.")
    parser.add_argument("--target", default=str(manifest.ROOT / "exercises"),
                        help="folder of topic modules (default: exercises/)")
    parser.add_argument("--topics", "-t", default="", help="comma-separated topic names")
    parser.add_argument("--hidden", action="store_true", help="also run hidden tests")
    parser.add_argument("--jobs", "-j", type=int, default=3,
                        help="topics run at once (their tests mostly wait: 3 suit 2 cores)")
    args = parser.parse_args(argv)
    topics = manifest.select_or_exit(args.topics)
    target = Path(args.target)
    if not target.is_dir():
        print(f"error: {target}: no such folder", file=sys.stderr)
        return 2
    scores = grade_folder(target.resolve(), topics, hidden=args.hidden, jobs=args.jobs)
    result = as_result(target.name, scores)
    width = min(shutil.get_terminal_size((100, 20)).columns, 110)
    print(export.table(result, width=width))
    return 0 if all(t.complete for t in result.topics) else 1
