"""Which idea of the lecture each test checks: read from the tests' own markers.

A topic's tests each carry ``@pytest.mark.concept("key")``, a key of the
topic's ``concepts`` table in topics.toml (with its one-line statement).
The markers are read from the test files' source, without importing them,
so the instructor's report can say which concept a failed test stands for
(grader.report). ``tests/kit/test_concepts.py`` keeps markers and manifest in step.
"""

from __future__ import annotations

import functools
from pathlib import Path

from grader import layout
from grader import marks as grader_marks
from grader.manifest import Topic

HIDDEN = "hidden::"         # how result names mark a hidden test (grader.channel)


def markers(path: Path) -> dict[str, list[str]]:
    """Each top-level test function of ``path`` and the concept keys its markers name."""
    return {name: [str(args[0]) for args in grader_marks.args_of(marks, "concept") if args]
            for name, marks in grader_marks.of_file(path).items()}


@functools.lru_cache(maxsize=None)
def of_topic(topic: Topic, tests: Path = layout.TESTS) -> dict[str, str]:
    """Test name (as results name it, ``hidden::`` for hidden ones) -> concept key."""
    found = {}
    for prefix, path in (("", tests / topic.test_file),
                         (HIDDEN, tests / "hidden" / topic.test_file)):
        if path.is_file():
            for name, keys in markers(path).items():
                if keys:
                    found[prefix + name] = keys[0]
    return found


def concept_of(topic: Topic, test_name: str) -> str | None:
    """The concept key of a result's test name (parameters dropped), None when unmarked."""
    return of_topic(topic).get(test_name.split("[", 1)[0])
