"""`make check`: the students' view - run topics, print a table, exit non-zero on failures."""

from __future__ import annotations

import concurrent.futures
import shutil
import sys
import textwrap
from pathlib import Path

from grader import manifest, runner, scoring
from grader.manifest import Topic

STATUS_WORDS = {"graded": "", "missing": "MISSING", "error": "ERROR", "timeout": "TIMEOUT"}


def grade_folder(target: Path, topics: list[Topic], *, hidden: bool = False,
                 jobs: int = 2, tests_dir: Path | None = None) -> list[scoring.TopicScore]:
    """Run and score every topic against ``target``, ``jobs`` topics at a time."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        runs = pool.map(lambda t: runner.run_topic(t, target, hidden=hidden,
                                                   tests_dir=tests_dir), topics)
        return [scoring.score(run) for run in runs]


def status_of(result: scoring.TopicScore) -> str:
    if result.complete:
        return "PASS"
    return STATUS_WORDS.get(result.run.status) or "FAIL"


def render(results: list[scoring.TopicScore], width: int | None = None) -> str:
    """The table students see, one row per topic plus a progress line."""
    width = width or min(shutil.get_terminal_size((100, 20)).columns, 110)
    lines = [f"{'#':>2}  {'topic':<20} {'status':<8} {'points':>11}",
             f"{'-' * 2}  {'-' * 20} {'-' * 8} {'-' * 11}"]
    for result in results:
        topic = result.run.topic
        points = f"{result.score:g}/{result.max_score:g}"
        lines.append(f"{topic.number:>2}  {topic.name:<20} {status_of(result):<8} {points:>11}")
        if not result.complete:
            message = result.first_failure or "failed"
            for part in textwrap.wrap(message, width=max(40, width - 8)):
                lines.append(f"      {part}")
    done = sum(r.complete for r in results)
    lines.append("")
    lines.append(f"{done}/{len(results)} topics complete, "
                 f"{sum(r.score for r in results):g}/{sum(r.max_score for r in results):g} points.")
    pending = [r.run.topic.name for r in results if not r.complete]
    if pending:
        lines.append(f"Stuck? `make hint T={pending[0]}` shows a hint for {pending[0]}.")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    import argparse  # pylint: disable=import-outside-toplevel
    parser = argparse.ArgumentParser(prog="python -m grader check",
                                     description="Run the topic tests and show a table.")
    parser.add_argument("--target", default=str(manifest.ROOT / "exercises"),
                        help="folder of topic modules (default: exercises/)")
    parser.add_argument("--topics", "-t", default="", help="comma-separated topic names")
    parser.add_argument("--hidden", action="store_true", help="also run hidden tests")
    parser.add_argument("--jobs", "-j", type=int, default=2, help="topics run at once")
    args = parser.parse_args(argv)
    try:
        topics = manifest.by_name(args.topics)
    except manifest.ManifestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    target = Path(args.target)
    if not target.is_dir():
        print(f"error: {target}: no such folder", file=sys.stderr)
        return 2
    results = grade_folder(target.resolve(), topics, hidden=args.hidden, jobs=args.jobs)
    print(render(results))
    return 0 if all(r.complete for r in results) else 1
