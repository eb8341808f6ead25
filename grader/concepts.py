"""Which idea of the lecture each test checks: read from the tests' own markers.

A topic's tests each carry ``@pytest.mark.concept("key")``, a key of the
topic's ``concepts`` table in topics.toml (with its one-line statement).
The markers are read from the test files' source, without importing them,
so the instructor's report can say which concept a failed test stands for
(grader.report). ``tests/kit/test_concepts.py`` keeps markers and manifest in step.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

from grader import layout, syntax
from grader.manifest import Topic

HIDDEN = "hidden::"         # how result names mark a hidden test (grader.channel)


def markers(path: Path) -> dict[str, list[str]]:
    """Each top-level test function of ``path`` and the concept keys its markers name."""
    tree = syntax.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            found[node.name] = [_key(d) for d in node.decorator_list if _key(d) is not None]
    return found


def _key(decorator: ast.expr) -> str | None:
    """The key of a ``pytest.mark.concept("key")`` decorator, else None."""
    if (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr == "concept" and decorator.args
            and isinstance(decorator.args[0], ast.Constant)):
        return str(decorator.args[0].value)
    return None


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
