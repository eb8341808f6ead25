"""The grader parses source one file at a time (grader.syntax), whichever thread asks."""

from __future__ import annotations

import re
import sys
import threading

from grader import layout, syntax

# Built once, outside grading: its parses never meet another thread's.
SINGLE_THREADED = {"syntax.py", "nbgrader_course.py"}


def test_the_grader_parses_only_through_the_lock():
    bare = []
    for path in sorted(layout.GRADER.glob("*.py")):
        if path.name in SINGLE_THREADED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"\bast\.parse\(", line):
                bare.append(f"{path.name}:{number}: {line.strip()}")
    assert not bare, ("ast.parse in threads can fail on CPython 3.11 (python/cpython#106905); "
                      "use grader.syntax.parse:\n" + "\n".join(bare))


def test_threads_parsing_at_once_all_get_their_tree():
    source = (layout.GRADER / "pytest_plugin.py").read_text(encoding="utf-8")
    expected = len(syntax.parse(source).body)
    errors: list[BaseException] = []
    counts: list[int] = []

    def parse_many() -> None:
        for _ in range(20):
            try:
                counts.append(len(syntax.parse(source).body))
            except Exception as exc:  # pylint: disable=broad-exception-caught
                errors.append(exc)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)          # switch threads as often as possible
    try:
        threads = [threading.Thread(target=parse_many) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert not errors and counts == [expected] * 80, errors[:3]
