"""What a callable handed to a Thread, Process or pool really is.

``Thread(target=f(x))`` is a mistake only when ``f(x)`` surely returns data,
not a function; a lambda, a nested function or a local class's method cannot
be pickled for another process. The thread and pool rules share these answers.
"""

from __future__ import annotations

import astroid
from astroid import nodes

from grader.pylint_concurrency.tree import (
    _FUNCTIONS,
    _enclosing_function,
    _inferred,
    _lookup,
    _walk,
)
from grader.pylint_concurrency.context import _Context


_CALLABLE_FACTORIES = frozenset({"functools.partial", "functools.partialmethod",
                                 "operator.attrgetter", "operator.itemgetter",
                                 "operator.methodcaller"})


def _surely_not_callable(call: nodes.Call) -> bool:
    """True only when every value the call can return is a plain data value.

    astroid proves it (``countdown(...)`` returns an int), or, when it cannot,
    the called function is defined in this module and every ``return`` in it
    gives a literal or a computed value (or it has no ``return`` at all).
    """
    values = _inferred(call)
    if values is None:
        defs = _callee_defs(call)
        return bool(defs) and all(_returns_data(d) for d in defs)
    for value in values or ():
        if isinstance(value, (nodes.Const, nodes.List, nodes.Tuple, nodes.Dict, nodes.Set)):
            continue
        if (isinstance(value, astroid.Instance) and value.pytype().startswith("builtins.")
                and not value.callable()):
            continue
        return False
    return True


_DATA = (nodes.Const, nodes.JoinedStr, nodes.Compare, nodes.BinOp, nodes.List, nodes.Tuple,
         nodes.Dict, nodes.Set, nodes.ListComp, nodes.SetComp, nodes.DictComp)


def _callee_assigns(call: nodes.Call) -> list[nodes.NodeNG]:
    """What ``f`` in ``f(...)`` or ``self.f(...)`` is bound to, when it can be looked up."""
    if isinstance(call.func, nodes.Name):
        return _lookup(call.func)
    if (isinstance(call.func, nodes.Attribute) and isinstance(call.func.expr, nodes.Name)
            and call.func.expr.name == "self"):
        function = _enclosing_function(call)
        cls = function.parent if function is not None else None
        if isinstance(cls, nodes.ClassDef):
            return list(cls.locals.get(call.func.attrname, []))
    return []


def _plain_function(node: nodes.NodeNG, root: nodes.Module) -> bool:
    """A def of this module that returns what its body says: no decorator, not a generator."""
    return (isinstance(node, nodes.FunctionDef) and not node.decorators
            and not node.is_generator() and node.root() is root)


def _callee_defs(call: nodes.Call) -> list[nodes.FunctionDef]:
    """The plain functions of this module that ``call`` may call (``f(...)``, ``self.f(...)``)."""
    defs = _callee_assigns(call)
    if defs and all(_plain_function(d, call.root()) and not isinstance(d, nodes.AsyncFunctionDef)
                    for d in defs):
        return defs
    return []


def _returns_data(function: nodes.FunctionDef) -> bool:
    return all(ret.value is None or isinstance(ret.value, _DATA)
               for ret in _walk(function, into_scopes=False) if isinstance(ret, nodes.Return))


def _unpicklable(ctx: _Context, func: nodes.NodeNG) -> str | None:
    """Describe ``func`` when it is a callable pickle cannot send to another process."""
    if isinstance(func, nodes.Lambda):
        return "A lambda"
    if isinstance(func, nodes.Call) and ctx.names.qualname(func.func) == "functools.partial":
        inner = func.args[0] if func.args else None
        described = _unpicklable(ctx, inner) if inner is not None else None
        if described is None:
            return None
        return f"A functools.partial of {described[0].lower()}{described[1:]}"
    if isinstance(func, nodes.Name):
        return _unpicklable_name(func)
    if isinstance(func, nodes.Attribute) and isinstance(func.expr, nodes.Name):
        cls = _local_class_of(func.expr)
        if cls is not None and isinstance(cls.locals.get(func.attrname, [None])[0], _FUNCTIONS):
            return (f"The method `{func.as_string()}` of the class {cls.name}, "
                    "defined inside a function,")
    return None


def _unpicklable_name(func: nodes.Name) -> str | None:
    """A name bound only to nested functions, or only to lambdas."""
    assigns = _lookup(func)
    if assigns and all(isinstance(a, _FUNCTIONS) and isinstance(a.parent.scope(), _FUNCTIONS)
                       for a in assigns):
        return f"The nested function `{func.name}`"
    if assigns and all(isinstance(a, nodes.AssignName) and isinstance(a.parent, nodes.Assign)
                       and isinstance(a.parent.value, nodes.Lambda) for a in assigns):
        return f"`{func.name}`, a lambda,"
    return None


def _local_class_of(name: nodes.Name) -> nodes.ClassDef | None:
    """The class defined inside a function that ``name`` is an instance of, if any."""
    assigns = _lookup(name)
    if name.name == "self":
        function = _enclosing_function(name)
        cls = function.parent if function is not None else None
        return cls if isinstance(cls, nodes.ClassDef) and isinstance(
            cls.parent.scope(), _FUNCTIONS) else None
    if len(assigns) != 1 or not isinstance(assigns[0], nodes.AssignName):
        return None
    value = getattr(assigns[0].parent, "value", None)
    if not (isinstance(value, nodes.Call) and isinstance(value.func, nodes.Name)):
        return None
    classes = _lookup(value.func)
    if (len(classes) == 1 and isinstance(classes[0], nodes.ClassDef)
            and isinstance(classes[0].parent.scope(), _FUNCTIONS)):
        return classes[0]
    return None
