"""`make hint T=topic`: reveal a topic's hints one at a time, as rustlings does."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from grader import manifest

STATE = manifest.ROOT / ".hints-seen.json"


def next_hint(name: str, state_file: Path = STATE) -> str:
    """Return the hints shown so far for ``name`` plus the next one."""
    (topic,) = manifest.by_name(name)
    try:
        seen = json.loads(state_file.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        seen = {}
    count = min(int(seen.get(topic.name, 0)) + 1, len(topic.hints))
    seen[topic.name] = count
    state_file.write_text(json.dumps(seen, indent=1), encoding="utf-8")
    lines = [f"{topic.title} (lecture: {topic.lecture})"]
    for number, hint in enumerate(topic.hints[:count], start=1):
        lines.append(f"  hint {number}/{len(topic.hints)}: {hint}")
    if count < len(topic.hints):
        lines.append(f"  (run `make hint T={topic.name}` again for the next hint)")
    else:
        lines.append("  that was the last hint - the lecture section above has the rest.")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Print the next hint of the topic in ``argv``; 2 on a missing or unknown topic."""
    if len(argv) != 1 or not argv[0]:
        print("usage: make hint T=<topic>   topics: "
              + ", ".join(t.name for t in manifest.load()), file=sys.stderr)
        return 2
    try:
        print(next_hint(argv[0]))
    except manifest.ManifestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
