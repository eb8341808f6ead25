"""The pytest marks of a topic's tests, read from the test files' source without importing them.

Three marks mean something to the grader: ``points(n)`` (what a test is
worth), ``concept(key)`` (the idea it checks, grader.concepts) and ``alone``
(it needs the machine's cores to itself: grader.runner runs such tests in a
second pytest run that grader.capacity admits with no other grading beside
it). A mark is a decorator ``@pytest.mark.<name>(constants...)`` on a
top-level test function, or a module's ``pytestmark``, which marks them all.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

from grader import syntax

ALONE = "alone"
Marks = list[tuple[str, tuple]]     # (mark name, its constant arguments), in source order


def of_file(path: Path) -> dict[str, Marks]:
    """Each top-level test function of ``path`` and its marks (the module's included)."""
    text = path.read_text(encoding="utf-8")
    return {name: list(marks) for name, marks in _of_text(text, str(path)).items()}


# Every topic run reads its test files' marks: parsed once per text, not per run
# (a batch parsed the same 24 files for each submission: 0.2 s of CPU each time).
@functools.lru_cache(maxsize=64)
def _of_text(text: str, filename: str) -> dict[str, Marks]:
    tree = syntax.parse(text, filename=filename)
    module: Marks = []
    for node in tree.body:
        if (isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets)):
            value = node.value
            values = value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]
            module += [m for m in map(_mark, values) if m is not None]
    found: dict[str, Marks] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            found[node.name] = [m for m in map(_mark, node.decorator_list)
                                if m is not None] + module
    return found


def _mark(expr: ast.expr) -> tuple[str, tuple] | None:
    """``(name, args)`` of ``pytest.mark.name`` or ``pytest.mark.name(args)``, else None."""
    call = expr if isinstance(expr, ast.Call) else None
    target = call.func if call is not None else expr
    if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Attribute)
            and target.value.attr == "mark"):
        return None
    args = (tuple(a.value for a in call.args if isinstance(a, ast.Constant))
            if call is not None else ())
    return target.attr, args


def args_of(marks: Marks, name: str) -> list[tuple]:
    """The arguments of each mark called ``name``, nearest the function first."""
    return [args for mark, args in marks if mark == name]


def points(marks: Marks) -> float:
    """What a test with these marks is worth (1 without a ``points`` mark)."""
    found = [args for args in args_of(marks, "points") if args]
    return float(found[0][0]) if found else 1.0


def alone(files: list[Path]) -> dict[str, float]:
    """The tests of ``files`` marked ``alone`` (a hidden one as ``hidden::name``), with points."""
    found = {}
    for path in files:
        prefix = "hidden::" if path.parent.name == "hidden" else ""
        if path.is_file():
            for name, marks in of_file(path).items():
                if args_of(marks, ALONE):
                    found[prefix + name] = points(marks)
    return found
