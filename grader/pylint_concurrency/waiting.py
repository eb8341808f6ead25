"""Rules for waiting: loops that spin on a flag or a status method (busy-wait),
status methods tested without being called (``if stop.is_set:``), and a
Condition's wait() that is not in a loop re-checking the condition."""

from __future__ import annotations

import astroid
from astroid import nodes

from grader.pylint_concurrency.tree import (
    _BARRIERS,
    _bare_call,
    _inferred,
    _method_call,
    _receiver,
    _tail,
    _walk_with_self,
)
from grader.pylint_concurrency.names import CONDITION
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


def _check_condition_wait(ctx: _Context) -> None:
    """condition-wait-not-in-loop: ``if not items: cond.wait()``, then code that assumes items.

    A wait() on a known Condition, in no loop of its function. Untimed, as a
    statement: under an ``if`` (the condition tested once) or followed by more
    code. Timed, only under an ``if`` and only when the code trusts that one
    wait: ``if not cond.wait(t): raise ...``, or the same ``if`` test again after
    it. A timed wait may be a deliberate timeout (an interruptible sleep), and a
    wait with nothing after it (a one-shot signal) assumes nothing.
    """
    for call in ctx.of(nodes.Call):
        if not _method_call(call, "wait") or CONDITION not in ctx.names.kinds(_receiver(call)):
            continue
        awaited = isinstance(call.parent, nodes.Await)
        stmt, tested = _wait_statement(call.parent if awaited else call)
        if stmt is None:
            continue
        guard, followed = _placement(stmt)
        untimed = _untimed_wait(call)
        if untimed and not tested:
            flagged = guard is not None or followed
        else:
            flagged = guard is not None and not untimed and (tested or _retested(stmt, guard))
        if not flagged:
            continue
        recv = _receiver(call).as_string()
        prefix = "await " if awaited else ""
        given = [*call.args, *(k.value for k in call.keywords or ())]
        timeout = "" if untimed else f", {given[0].as_string()}"
        loop = (f"`while not <condition>: {prefix}{recv}.wait()`" if untimed else
                f"`while not <condition>: {prefix}{recv}.wait(left)`, where left is the time "
                "left until one deadline (not the whole timeout again)")
        ctx.emit("condition-wait-not-in-loop", call,
                 call=f"{prefix}{recv}.wait({'' if untimed else '...'})", loop=loop,
                 why=" (the `if` tests it only once, before waiting)" if guard else "",
                 wait_for=f"{prefix}{recv}.wait_for(<predicate>{timeout})",
                 section="Coordinating Threads")


def _wait_statement(wait: nodes.NodeNG) -> tuple[nodes.NodeNG | None, bool]:
    """The statement that runs the wait, and whether it tests its result.

    ``cond.wait()`` as a statement, or ``if [not] cond.wait(t):``; (None, False)
    for any other use of its value.
    """
    parent = wait.parent
    if isinstance(parent, nodes.Expr):
        return parent, False
    if isinstance(parent, nodes.UnaryOp) and parent.op == "not":
        wait, parent = parent, parent.parent
    if isinstance(parent, nodes.If) and parent.test is wait:
        return parent, True
    return None, False


def _untimed_wait(call: nodes.Call) -> bool:
    """``x.wait()`` or ``x.wait(None)``: waits until notified, however long that takes."""
    given = [*call.args, *(k.value for k in call.keywords or ())]
    return not given or (len(given) == 1 and isinstance(given[0], nodes.Const)
                         and given[0].value is None)


def _placement(stmt: nodes.NodeNG) -> tuple[nodes.If | None, bool]:
    """The innermost ``if`` that guards ``stmt``, and whether code follows it in its function.

    (None, False) as soon as ``stmt`` is in a loop: a loop may re-check.
    """
    guard, followed = None, False
    node = stmt
    while node.parent is not None and not isinstance(node.parent, _BARRIERS):
        child, node = node, node.parent
        if isinstance(node, (nodes.For, nodes.While, nodes.AsyncFor)):
            return None, False
        if isinstance(node, nodes.If) and child is not node.test and guard is None:
            guard = node
        followed = followed or bool(_after(child))
    return guard, followed


def _after(node: nodes.NodeNG) -> list[nodes.NodeNG]:
    """The statements after ``node`` in the block (body, else, finally) that holds it."""
    for field in ("body", "orelse", "finalbody"):
        block = getattr(node.parent, field, None)
        if isinstance(block, list):
            for index, stmt in enumerate(block):
                if stmt is node:
                    return block[index + 1:]
    return []


def _retested(stmt: nodes.NodeNG, guard: nodes.If) -> bool:
    """An ``if`` with the guard's very test comes after ``stmt``: one wait was trusted."""
    test = guard.test.as_string()
    node = stmt
    while node.parent is not None and not isinstance(node.parent, _BARRIERS):
        for later in _after(node):
            if any(isinstance(n, nodes.If) and n.test.as_string() == test
                   for n in _walk_with_self(later)):
                return True
        node = node.parent
    return False
