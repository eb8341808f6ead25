"""One run over one module (``_Context``), and where a node runs: loops, scopes.

A ``_Context`` holds the module's nodes by type, its resolver and what the
rules found; the helpers below say what one loop iteration runs, whether a
node runs once per iteration, and which locals a function builds itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from astroid import nodes

from grader.pylint_concurrency.tree import _BARRIERS, _tail, _walk
from grader.pylint_concurrency.names import LOCK, _Resolver


_LOCKISH = re.compile(r"lock|mutex|(^|_)(cond|condition|sem|semaphore)$", re.IGNORECASE)


class _Context:
    """One module being checked: its nodes by type, a resolver, and what was found."""

    def __init__(self, module: nodes.Module) -> None:
        self.module = module
        self.found: dict[tuple[str, int], tuple[nodes.NodeNG, str, dict[str, str]]] = {}
        self._by_type: dict[type, list[nodes.NodeNG]] = {}
        for node in _walk(module):
            self._by_type.setdefault(type(node), []).append(node)
        self.names = _Resolver(self.of(nodes.ClassDef))

    def of(self, *types: type) -> list[Any]:
        """All nodes of exactly these types, in source order within each type."""
        if len(types) == 1:
            return self._by_type.get(types[0], [])
        found = [node for kind in types for node in self._by_type.get(kind, [])]
        return sorted(found, key=lambda n: (n.fromlineno or 0, n.col_offset or 0))

    def functions(self) -> list[nodes.FunctionDef]:
        """Every def and async def."""
        return self.of(nodes.FunctionDef, nodes.AsyncFunctionDef)

    def emit(self, symbol: str, node: nodes.NodeNG, **args: str) -> None:
        """Report ``symbol`` at ``node`` once."""
        self.found.setdefault((symbol, id(node)), (node, symbol, args))

    def lockish(self, expr: nodes.NodeNG) -> bool:
        """A lock by its constructor, or by its name (``self._lock``, ``mutex``)."""
        return LOCK in self.names.kinds(expr) or bool(_LOCKISH.search(_tail(expr)))


def _iteration(loop: nodes.For | nodes.While) -> Iterator[nodes.NodeNG]:
    """The nodes one iteration of ``loop`` runs, minus those of loops nested in it."""
    stack = list(reversed(loop.body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (nodes.For, nodes.While)):
            stack.extend(reversed([node.iter] if isinstance(node, nodes.For) else [node.test]))
        elif not isinstance(node, _BARRIERS):
            stack.extend(reversed(list(node.get_children())))


def _in_loop(node: nodes.NodeNG) -> bool:
    """``node`` runs once per iteration of a loop or comprehension in its own function."""
    once = False                         # in the first iterable of a comprehension
    while node.parent is not None and not isinstance(node.parent, _BARRIERS):
        child, node = node, node.parent
        if isinstance(node, (nodes.For, nodes.While)) and any(child is s for s in node.body):
            return True
        if isinstance(node, nodes.Comprehension):
            once = child is node.iter and node.parent.generators[0] is node
        elif isinstance(node, (nodes.ListComp, nodes.SetComp, nodes.GeneratorExp,
                               nodes.DictComp)) and not once:
            return True
    return False


def _local_constructions(ctx: _Context, function: nodes.FunctionDef,
                         kind: str) -> Iterator[tuple[str, nodes.Assign]]:
    """``name = Ctor(...)`` in ``function`` itself, for names bound only there, only once."""
    found = []
    for name, assigns in function.locals.items():
        if len(assigns) != 1 or not isinstance(assigns[0], nodes.AssignName):
            continue
        assign = assigns[0].parent
        if (isinstance(assign, nodes.Assign) and len(assign.targets) == 1
                and assign.targets[0] is assigns[0] and isinstance(assign.value, nodes.Call)
                and kind in ctx.names.kinds(assign.value)):
            found.append((name, assign))
    if found:                            # ``global pool`` makes it the module's pool
        shared = {n for g in _walk(function, into_scopes=False)
                  if isinstance(g, (nodes.Global, nodes.Nonlocal)) for n in g.names}
        yield from ((name, assign) for name, assign in found if name not in shared)
