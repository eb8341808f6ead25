"""Rules for waiting: loops that spin on a flag or a status method (busy-wait),
and status methods tested without being called (``if stop.is_set:``)."""

from __future__ import annotations

import astroid
from astroid import nodes

from grader.pylint_concurrency.tree import _bare_call, _inferred, _receiver, _tail
from grader.pylint_concurrency.context import _Context


# busy-wait: method -> (lecture section, what to do instead)
_POLL_METHODS: dict[str, tuple[str, str]] = {
    "is_set": ("Coordinating Threads",
               "Block in the Event's wait() instead: it sleeps until the flag is set"),
    "is_alive": ("Joining a Thread", "Call join() instead: it sleeps until the thread ends"),
    "ready": ("Pool: apply_async()",
              "Call wait() on the result, or sleep between checks as the lecture's loop does"),
    "successful": ("Pool: apply_async()", "Call wait() on the result, or sleep between checks"),
    "done": ("Coordinating Threads",
             "Block in result() or wait() instead, or sleep between checks"),
    "running": ("Coordinating Threads", "Block in result() or wait() instead"),
    "locked": ("Mutex Locks", "Block in acquire() (or `with lock:`) instead"),
    "empty": ("Coordinating Threads", "Block in the queue's get() instead"),
    "full": ("Coordinating Threads", "Block in the queue's put() instead"),
}
_FLAG_FIX = ("Coordinating Threads",
             "Use a threading.Event and block in its wait() instead of polling a flag")
# method-not-called: names no one uses for plain attributes, then names that need proof
_STRONG_METHODS = {"is_set": "Coordinating Threads", "is_alive": "Joining a Thread"}
_WEAK_METHODS = {"ready": "Pool: apply_async()", "successful": "Pool: apply_async()",
                 "done": "Async", "cancelled": "Async", "locked": "Mutex Locks",
                 "empty": "Coordinating Threads", "full": "Coordinating Threads"}


def _check_busy_wait(ctx: _Context) -> None:
    """busy-wait: a while loop that only re-tests a flag or a status method."""
    for loop in ctx.of(nodes.While):
        if not _idle(ctx, loop.body):
            continue
        polled = _polled(loop.test)
        if polled is None:
            continue
        section, fix = _POLL_METHODS.get(polled, _FLAG_FIX)
        test = loop.test
        if isinstance(test, nodes.UnaryOp) and test.op == "not":
            test = test.operand
        ctx.emit("busy-wait", loop, cond=test.as_string(), fix=fix, section=section)


def _polled(test: nodes.NodeNG) -> str | None:
    """The method a loop condition polls (or "" for a plain flag); None if it does work."""
    if isinstance(test, nodes.UnaryOp) and test.op == "not":
        return _polled(test.operand)
    if isinstance(test, (nodes.BoolOp, nodes.Compare)):
        parts = (test.values if isinstance(test, nodes.BoolOp)
                 else [test.left, *(right for _, right in test.ops)])
        found = [_polled(p) for p in parts if not isinstance(p, nodes.Const)]
        if not found or None in found:
            return None
        return next((f for f in found if f), "")
    if isinstance(test, (nodes.Name, nodes.Attribute)):
        # ``while t.is_alive:`` tests an uncalled method: that is method-not-called's business
        return None if _tail(test) in _STRONG_METHODS else ""
    if _bare_call(test, *_POLL_METHODS) and isinstance(
            _receiver(test), (nodes.Name, nodes.Attribute, nodes.Subscript)):
        return test.func.attrname
    return None


def _idle(ctx: _Context, body: list[nodes.NodeNG]) -> bool:
    """A loop body that does nothing: pass, ..., continue, sleep(0)."""
    for stmt in body:
        if isinstance(stmt, (nodes.Pass, nodes.Continue)):
            continue
        value = stmt.value if isinstance(stmt, nodes.Expr) else None
        if isinstance(value, nodes.Const):
            continue
        if isinstance(value, nodes.Call) and _yields_only(ctx, value):
            continue
        return False
    return True


def _yields_only(ctx: _Context, call: nodes.Call) -> bool:
    """``time.sleep(0)`` or ``os.sched_yield()``: gives up the CPU for no time at all."""
    qualname = ctx.names.qualname(call.func)
    if qualname == "os.sched_yield":
        return True
    zero = [arg.value for arg in call.args if isinstance(arg, nodes.Const)] == [0]
    return qualname == "time.sleep" and zero and len(call.args) == 1 and not call.keywords


def _check_method_not_called(ctx: _Context) -> None:
    """method-not-called: ``if stop.is_set:`` is always true."""
    assigned = {n.attrname for n in ctx.of(nodes.AssignAttr)}
    assigned |= {n.name for n in ctx.of(nodes.AssignName)}
    assigned |= {f.name for f in ctx.functions() if f.decorators}    # e.g. a property
    for attr in ctx.of(nodes.Attribute):
        name = attr.attrname
        if name in assigned or not _tested(attr):
            continue
        if name in _STRONG_METHODS:
            section = _STRONG_METHODS[name]
        elif name in _WEAK_METHODS and _surely_method(attr):
            section = _WEAK_METHODS[name]
        else:
            continue
        ctx.emit("method-not-called", attr, expr=attr.as_string(), section=section)


def _tested(node: nodes.NodeNG) -> bool:
    """``node`` is used for its truth value (an if/while test, ``not node``...)."""
    parent = node.parent
    if isinstance(parent, nodes.UnaryOp) and parent.op == "not":
        return True
    while isinstance(parent, nodes.BoolOp):
        node, parent = parent, parent.parent
    if isinstance(parent, (nodes.If, nodes.While, nodes.IfExp, nodes.Assert)):
        return parent.test is node
    return isinstance(parent, nodes.Comprehension) and node in parent.ifs


def _surely_method(attr: nodes.Attribute) -> bool:
    values = _inferred(attr)
    return bool(values) and all(isinstance(v, (astroid.BoundMethod, nodes.FunctionDef))
                                for v in values or ())
