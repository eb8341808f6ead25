"""Stubs are generated from the solutions' markers, and exercises/ never drifts."""

from __future__ import annotations

import ast

import pytest

from grader import stubs

SOURCE = '''\
def f(x):
    """Doc."""
    ### BEGIN SOLUTION
    return x + 1
    ### END SOLUTION


class C:
    def g(self):
        if True:
            ### BEGIN SOLUTION
            return 2
            ### END SOLUTION
'''


def test_marked_regions_become_raise_at_their_indentation():
    stub = stubs.make_stub(SOURCE)
    assert "return x + 1" not in stub and "return 2" not in stub
    assert "    raise NotImplementedError\n" in stub
    assert "            raise NotImplementedError\n" in stub
    assert '"""Doc."""' in stub
    ast.parse(stub)


@pytest.mark.parametrize("source,complaint", [
    ("### BEGIN SOLUTION\nx = 1\n", "never closed"),
    ("x = 1\n### END SOLUTION\n", "without"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n", "inside another"),
])
def test_unbalanced_markers_are_reported_with_file_and_line(source, complaint):
    with pytest.raises(stubs.MarkerError, match=complaint) as raised:
        stubs.make_stub(source, "solutions/x.py")
    assert "solutions/x.py:" in str(raised.value)


def test_exercises_are_up_to_date_with_the_solutions():
    stale = [str(path) for path, text in stubs.expected_stubs().items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    assert not stale, f"run `make stubs`: out of date: {stale}"


def _api(tree: ast.Module) -> set[tuple[str, str | None]]:
    """Top-level functions and classes, and methods, with their docstrings."""
    found = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add((node.name, ast.get_docstring(node)))
        if isinstance(node, ast.ClassDef):
            found |= {(f"{node.name}.{m.name}", ast.get_docstring(m)) for m in node.body
                      if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return found


def test_stubs_keep_every_function_signature_and_docstring():
    for path, text in stubs.expected_stubs().items():
        solution = path.parent.parent / "solutions" / path.name
        stub_tree = ast.parse(text)
        assert _api(ast.parse(solution.read_text(encoding="utf-8"))) == _api(stub_tree), path
        assert ast.get_docstring(stub_tree), f"{path}: a stub's module docstring teaches the topic"
