"""Small helpers over astroid nodes that every rule uses: walking, shapes of calls.

Nothing here knows about threads or locks; ``names`` and ``context`` build on it.
The helpers are the package's own (the leading underscore marks them private to
``grader.pylint_concurrency``, not to this module).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import astroid
from astroid import nodes


_FUNCTIONS = (nodes.FunctionDef, nodes.AsyncFunctionDef)
_BARRIERS = (nodes.FunctionDef, nodes.AsyncFunctionDef, nodes.Lambda, nodes.ClassDef)
_TRIES = tuple(t for t in (nodes.Try, getattr(nodes, "TryStar", None)) if t is not None)


def _walk(root: nodes.NodeNG, into_scopes: bool = True) -> Iterator[nodes.NodeNG]:
    """Every node under ``root`` in source order, without recursion.

    With ``into_scopes=False`` nested functions, lambdas and classes are
    yielded but not entered: what is left runs as part of ``root`` itself.
    """
    stack = list(reversed(list(root.get_children())))
    while stack:
        node = stack.pop()
        yield node
        if into_scopes or not isinstance(node, _BARRIERS):
            stack.extend(reversed(list(node.get_children())))


def _line(node: nodes.NodeNG) -> int:
    position = getattr(node, "position", None)
    return position.lineno if position else (node.fromlineno or 0)


def _tail(expr: nodes.NodeNG) -> str:
    if isinstance(expr, nodes.Name):
        return expr.name
    if isinstance(expr, nodes.Attribute):
        return expr.attrname
    return ""


def _method_call(node: nodes.NodeNG, *names: str) -> bool:
    return (isinstance(node, nodes.Call) and isinstance(node.func, nodes.Attribute)
            and node.func.attrname in names)


def _bare_call(node: nodes.NodeNG, *names: str) -> bool:
    """``x.name()`` with no arguments at all."""
    return _method_call(node, *names) and not node.args and not node.keywords


def _receiver(call: nodes.Call) -> nodes.NodeNG:
    return call.func.expr


def _same(expr: nodes.NodeNG, key: str) -> bool:
    return expr.as_string() == key


def _inferred(node: nodes.NodeNG, limit: int = 8) -> list[Any] | None:
    """All values astroid infers for ``node``, or None when any is unknown."""
    values = []
    try:
        for value in node.infer():
            if value is astroid.Uninferable or len(values) >= limit:
                return None
            values.append(value)
    except Exception:  # pylint: disable=broad-exception-caught  # inference of odd code
        return None
    return values or None


def _call_text(call: nodes.Call) -> str:
    return f"{call.func.as_string()}({'...' if call.args or call.keywords else ''})"


def _enclosing_function(node: nodes.NodeNG) -> nodes.FunctionDef | None:
    frame = node.frame()
    return frame if isinstance(frame, _FUNCTIONS) else None


def _argument(call: nodes.Call, index: int, *keywords: str) -> nodes.NodeNG | None:
    for keyword in call.keywords or ():
        if keyword.arg in keywords:
            return keyword.value
    args = call.args or []
    if 0 <= index < len(args) and not any(isinstance(a, nodes.Starred)
                                          for a in args[:index + 1]):
        return args[index]
    return None


def _lookup(name: nodes.Name) -> list[nodes.NodeNG]:
    try:
        return list(name.lookup(name.name)[1])
    except Exception:  # pylint: disable=broad-exception-caught  # odd scopes
        return []


def _walk_with_self(stmt: nodes.NodeNG) -> Iterator[nodes.NodeNG]:
    yield stmt
    if not isinstance(stmt, _BARRIERS):
        yield from _walk(stmt, into_scopes=False)


def _uses(function: nodes.FunctionDef, name: str) -> list[nodes.Name]:
    """Every read of ``name`` in ``function``, nested scopes included."""
    return [n for n in _walk(function) if isinstance(n, nodes.Name) and n.name == name]
