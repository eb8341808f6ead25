"""`python -m grader batch DIR --out OUTDIR`: grade a whole class, resumably.

Each child of DIR (a folder or a .zip) is one student, named by it. Results
go to OUTDIR/gradebook.sqlite one submission at a time; a rerun skips what
is already graded with the same content and grader version. At the end the
exports are written from the gradebook: grades.csv, canvas.csv and
moodle.csv (for those gradebooks' CSV import), <student>/results.json
(Gradescope format), <student>/feedback.md and report.html.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import sys
import threading
import time
from pathlib import Path

from grader import capacity, discover, export, lms, manifest, pipeline, report
from grader.gradebook import Gradebook
from grader.manifest import Topic
from grader.results import SubmissionResult


def students(folder: Path) -> list[Path]:
    """The submissions in ``folder``: folders and .zip files, hidden ones skipped."""
    return sorted((p for p in folder.iterdir()
                   if not p.name.startswith(".") and (p.is_dir() or p.suffix.lower() == ".zip")
                   and not p.is_symlink()), key=lambda p: p.name)


def in_shard(student: str, shard: tuple[int, int] | None) -> bool:
    """A stable 1/N split by the student id's hash."""
    if shard is None:
        return True
    index, count = shard
    digest = int(hashlib.sha256(student.encode()).hexdigest(), 16)
    return digest % count == index - 1


def parse_shard(text: str | None) -> tuple[int, int] | None:
    """``--shard I/N`` as (I, N), None for every student; a malformed value exits."""
    if not text:
        return None
    try:
        index, count = (int(x) for x in text.split("/"))
    except ValueError as exc:
        raise SystemExit(f"--shard {text!r}: expected I/N, e.g. 2/4") from exc
    if not 1 <= index <= count:
        raise SystemExit(f"--shard {text!r}: I must be between 1 and N")
    return index, count


class Progress:
    """done/total, rate and ETA on stderr, one line rewritten in place."""

    def __init__(self, total: int) -> None:
        self.total, self.done, self.started = total, 0, time.monotonic()
        self._lock = threading.Lock()
        self._tty = sys.stderr.isatty()

    def step(self, label: str) -> None:
        """Count one more submission done and redraw the line, ``label`` last."""
        with self._lock:
            self.done += 1
            elapsed = time.monotonic() - self.started
            rate = self.done / elapsed if elapsed else 0.0
            eta = (self.total - self.done) / rate if rate else 0.0
            width = 24
            filled = int(width * self.done / max(1, self.total))
            line = (f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} "
                    f"{rate * 60:.1f}/min ETA {eta:.0f}s  {label[:30]}")
            print(("\r" if self._tty else "") + line, end="" if self._tty else "\n",
                  file=sys.stderr, flush=True)

    def close(self) -> None:
        """End the rewritten line, so that the summary starts on a line of its own."""
        if self._tty:
            print(file=sys.stderr)


def write_exports(book: Gradebook, out: Path, topics: list[Topic]) -> list[SubmissionResult]:
    """grades.csv, the LMS CSVs, per-student results.json and feedback.md, report.html."""
    results = book.results()
    names = [t.name for t in topics]
    (out / "grades.csv").write_text(export.csv_text(results, names), encoding="utf-8")
    (out / "canvas.csv").write_text(lms.canvas_csv(results, names, topics), encoding="utf-8")
    (out / "moodle.csv").write_text(lms.moodle_csv(results, names, topics), encoding="utf-8")
    for result in results:
        folder = out / safe_name(result.submission)
        folder.mkdir(parents=True, exist_ok=True)
        for form in export.FORMATS.values():
            if form.student_file:
                text = form.write(result, topics)
                (folder / form.student_file).write_text(text.rstrip("\n") + "\n",
                                                        encoding="utf-8")
    (out / "report.html").write_text(report.render(results, topics, link=safe_name),
                                     encoding="utf-8")
    return results


def safe_name(student: str) -> str:
    """``student`` as a folder name: no separators, no leading dot, never empty."""
    cleaned = "".join(c if c.isalnum() or c in "-_.@" else "_" for c in student).strip(".")
    return cleaned or "_"


def pending(book: Gradebook, folder: Path, topics: list[Topic],
            shard: tuple[int, int] | None) -> tuple[list[tuple[Path, discover.Submission]], int]:
    """The submissions of ``shard`` still to grade, and how many are already current."""
    todo, skipped = [], 0
    for path in students(folder):
        submission = discover.find(path, topics)
        if not in_shard(submission.name, shard):
            continue
        if book.is_current(submission.name, submission.digest):
            skipped += 1
            continue
        todo.append((path, submission))
    return todo, skipped


# The options are keyword-only and each is a command-line flag of `grader batch`.
def run_batch(folder: Path, out: Path, topics: list[Topic], *,
              shard: tuple[int, int] | None, timeout: float | None) -> int:
    """Grade what changed in ``folder`` into ``out`` and rewrite the exports; 1 if any failed."""
    out.mkdir(parents=True, exist_ok=True)
    book = Gradebook(out / "gradebook.sqlite")
    todo, skipped = pending(book, folder, topics, shard)
    progress = Progress(len(todo))
    failed = 0

    def one(item: tuple[Path, discover.Submission]) -> None:
        nonlocal failed
        path, submission = item
        try:
            result = pipeline.grade_submission(path, topics, timeout=timeout,
                                            submission=submission, cache=book)
            book.record(result)
        except Exception as exc:  # pylint: disable=broad-exception-caught
            failed += 1
            print(f"\n{submission.name}: grading failed: {exc}", file=sys.stderr)
        progress.step(submission.name)

    # Enough submissions in flight that the gate always has a topic waiting to start.
    in_flight = capacity.GATE.most + 2
    with concurrent.futures.ThreadPoolExecutor(max_workers=in_flight) as pool:
        list(pool.map(one, todo))
    progress.close()
    results = write_exports(book, out, topics)
    book.close()
    mean = sum(r.score for r in results) / len(results) if results else 0.0
    print(f"graded {len(todo) - failed}, unchanged {skipped}, failed {failed}; "
          f"{len(results)} in the gradebook, mean {mean:.1f}; wrote {out}/grades.csv, "
          f"canvas.csv, moodle.csv, report.html and a folder per student", file=sys.stderr)
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    """Parse the ``batch`` arguments and grade the class; the exit status."""
    parser = argparse.ArgumentParser(prog="python -m grader batch", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=0,
                        help="topic runs at once (0: as many as the free CPU allows)")
    parser.add_argument("--shard", default=None, help="grade only shard I of N, e.g. 2/4")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per topic")
    parser.add_argument("--topics", default="")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"error: {args.folder}: no such folder", file=sys.stderr)
        return 2
    capacity.GATE.configure(args.jobs)
    return run_batch(args.folder, args.out, manifest.select_or_exit(args.topics),
                     shard=parse_shard(args.shard), timeout=args.timeout)
