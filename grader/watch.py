"""`make watch`: check the topic you are editing each time you save it, as rustlings watch does.

It first checks every topic (the table `make check` prints) and settles on
the first one not complete. Then, each time a topic file of the target folder
is saved (watchfiles: the system's file events, no polling loop of ours), it
checks that topic again, the same way `make check` does, and prints its
verdict, its message and the progress line; when the topic you were on
passes, it moves on to the next one not complete. Ctrl-C ends it.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from grader import capacity, check, export, manifest
from grader.manifest import Topic
from grader.results import TopicOutcome


class Session:
    """The latest outcome of each topic, and the topic being worked on."""

    def __init__(self, target: Path, topics: list[Topic]) -> None:
        self.target, self.topics = target, topics
        self.outcomes: dict[str, TopicOutcome] = {}
        self.current: Topic | None = None

    def check(self, topics: list[Topic]) -> list[TopicOutcome]:
        """Check ``topics`` now and keep their outcomes."""
        scores = check.grade_folder(self.target, topics)
        self.outcomes.update((s.topic, s) for s in scores)
        return scores

    def complete(self, topic: Topic) -> bool:
        """Whether ``topic``'s latest check earned every point."""
        outcome = self.outcomes.get(topic.name)
        return outcome is not None and outcome.complete

    def next_topic(self) -> Topic | None:
        """The first topic, in teaching order, that is not complete."""
        return next((t for t in self.topics if not self.complete(t)), None)

    def progress(self) -> str:
        """The progress line and what to do next."""
        done = sum(self.complete(t) for t in self.topics)
        line = f"{done}/{len(self.topics)} topics complete."
        if self.current is None:
            return line + " All done! (Ctrl-C to stop watching.)"
        return (line + f" Working on: {self.current.name} "
                f"({self.target.name}/{self.current.module_file}): save it to check it "
                f"again, `make hint` for a hint, Ctrl-C to stop.")

    def start(self) -> str:
        """Check every topic: the table, then where to start."""
        result = check.as_result(self.target.name, self.check(self.topics))
        self.current = self.next_topic()
        return export.table(result, width=check.table_width()) + "\n\n" + self.progress()

    def saved(self, names: set[str]) -> str:
        """Check the topics whose files were saved; say what changed and what is next."""
        changed = [t for t in self.topics if t.name in names]
        if not changed:
            return ""
        lines = []
        for topic, outcome in zip(changed, self.check(changed)):
            lines.append(f"[{time.strftime('%H:%M:%S')}] {topic.module_file} saved")
            lines += export.topic_lines(outcome, topic.number, check.table_width())
        before = self.current
        self.current = self.next_topic()
        if before is not None and before != self.current and self.complete(before):
            lines.append(f"{before.name} passes!"
                         + (f" Next: {self.current.name}." if self.current else ""))
        lines.append(self.progress())
        return "\n".join(lines)


def topic_names(changes, topics: list[Topic]) -> set[str]:
    """The topics whose module is among the changed paths."""
    modules = {t.module_file: t.name for t in topics}
    return {modules[Path(path).name] for _, path in changes if Path(path).name in modules}


def main(argv: list[str]) -> int:
    """Watch the target folder until Ctrl-C; 2 on bad arguments."""
    parser = argparse.ArgumentParser(prog="python -m grader watch",
                                     description="Check each topic file again when it is saved.")
    check.add_target(parser)
    parser.add_argument("--topics", "-t", default="", help="comma-separated topic names")
    args = parser.parse_args(argv)
    topics = manifest.select_or_exit(args.topics)
    target = check.target_folder(args.target)
    if target is None:
        return 2
    try:
        import watchfiles  # pylint: disable=import-outside-toplevel
    except ImportError:
        print("error: make watch needs the watchfiles package: run `make venv` again",
              file=sys.stderr)
        return 2
    logging.getLogger("watchfiles").setLevel(logging.ERROR)     # we say when we stop
    capacity.GATE.configure(0)
    session = Session(target, topics)
    # raise_interrupt=False: Ctrl-C while waiting for a save ends the loop quietly.
    # yield_on_timeout: the first (empty) yield says the watcher is listening, so a
    # save made while the first check runs is kept for the loop, never lost.
    saves = watchfiles.watch(session.target, raise_interrupt=False, yield_on_timeout=True,
                             rust_timeout=200,
                             watch_filter=lambda _, path: path.endswith(".py"))
    try:
        next(saves, None)
        print(session.start(), flush=True)
        for changes in saves:
            said = session.saved(topic_names(changes, topics))
            if said:
                print("\n" + said, flush=True)
    except KeyboardInterrupt:       # Ctrl-C while a check ran: its runs have ended by now
        pass
    print("\nStopped watching.", flush=True)
    return 0
