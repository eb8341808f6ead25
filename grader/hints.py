"""`make hint [T=topic]`: a hint for the test that fails, as rustlings' hint does for its exercise.

It checks the topic (or every topic, and takes the first one not complete)
the way `make check` does, finds the first test that does not pass, and
shows what that test is about: the idea of the lecture it checks (each test
names one, grader.concepts; its one line in topics.toml is the hint), with
the test's own message. Asked again while the same test still fails, it also
reveals the topic's hints from topics.toml, one more each time. Where no
test tells (the file is missing, does not import, a test names no idea), the
topic's hints come one at a time, as before.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from grader import capacity, check, concepts, manifest
from grader.channel import Status
from grader.manifest import Topic
from grader.results import TestOutcome, TopicOutcome

STATE = manifest.ROOT / ".hints-seen.json"


def _load(state_file: Path) -> dict:
    try:
        seen = json.loads(state_file.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return seen if isinstance(seen, dict) else {}


def _topic_hints(topic: Topic, count: int) -> list[str]:
    lines = [f"  hint {n}/{len(topic.hints)}: {hint}"
             for n, hint in enumerate(topic.hints[:count], start=1)]
    if count >= len(topic.hints):
        lines.append("  that was the last hint - the lecture section above has the rest.")
    return lines


def next_hint(name: str, state_file: Path | None = None) -> str:
    """The topic's hints from topics.toml shown so far plus the next one."""
    (topic,) = manifest.by_name(name)
    state_file = state_file or STATE
    seen = _load(state_file)
    count = min(int(seen.get(topic.name, 0)) + 1, len(topic.hints))
    seen[topic.name] = count
    state_file.write_text(json.dumps(seen, indent=1), encoding="utf-8")
    lines = [f"{topic.title} (lecture: {topic.lecture})", *_topic_hints(topic, count)]
    if count < len(topic.hints):
        lines.append(f"  (run `make hint T={topic.name}` again for the next hint)")
    return "\n".join(lines)


def first_failure(outcome: TopicOutcome) -> TestOutcome | None:
    """The first test of the topic (its visible tests: what `make check` runs) that failed."""
    return next((t for t in outcome.tests if t.status != Status.PASSED), None)


def hint_for_test(topic: Topic, outcome: TopicOutcome, test: TestOutcome,
                  state_file: Path | None = None) -> str | None:
    """The hint of ``test``'s idea, and the topic's hints when asked again; None: no idea."""
    key = concepts.concept_of(topic, test.name)
    idea = dict(topic.concepts).get(key or "")
    if idea is None:
        return None
    state_file = state_file or STATE
    seen = _load(state_file)
    asked = seen.get(f"{topic.name}::test")
    count = int(seen.get(topic.name, 0))
    if asked == test.name:                      # asked again, still failing: one more
        count = min(count + 1, len(topic.hints))
    seen[topic.name], seen[f"{topic.name}::test"] = count, test.name
    state_file.write_text(json.dumps(seen, indent=1), encoding="utf-8")
    lines = [f"{topic.name} ({outcome.score:g}/{outcome.max_score:g}): the first test that "
             f"fails is {test.name}.",
             f"  It said: {test.message or test.status}",
             f"  What it checks (lecture: {topic.lecture}):",
             f"    {idea}"]
    if count:
        lines += _topic_hints(topic, count)
    if count < len(topic.hints):
        lines.append(f"  (still stuck on it? `make hint T={topic.name}` again adds the "
                     "topic's next hint)")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Check, then print the hint for the first failing test; 2 on an unknown topic."""
    parser = argparse.ArgumentParser(prog="python -m grader hint",
                                     description="A hint for the first test that fails.")
    parser.add_argument("topic", nargs="?", default="",
                        help="topic name (default: the first topic not complete)")
    check.add_target(parser)
    args = parser.parse_args(argv)
    topics = manifest.select_or_exit(args.topic)
    target = check.target_folder(args.target)
    if target is None:
        return 2
    where = args.topic or "every topic"
    print(f"Checking {where} to find the test that fails...", file=sys.stderr, flush=True)
    capacity.GATE.configure(0)
    outcomes = check.grade_folder(target, topics)
    pending = [(t, o) for t, o in zip(topics, outcomes) if not o.complete]
    if not pending:
        print(f"{args.topic or 'Every topic'} passes all its tests: nothing to hint at. "
              "Well done!")
        return 0
    topic, outcome = pending[0]
    test = first_failure(outcome)
    said = hint_for_test(topic, outcome, test) if test is not None else None
    if said is None:        # nothing collected, file missing, or a test that names no idea
        print(f"{topic.name}: {outcome.message or outcome.status}")
        said = next_hint(topic.name)
    print(said)
    return 0
