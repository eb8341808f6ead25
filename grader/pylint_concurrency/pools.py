"""Rules for process and thread pools: unpicklable or already-called callables,
tasks waited for one at a time, pools (and executors) never cleaned up, and
processes started on import (no ``if __name__ == "__main__":`` guard)."""

from __future__ import annotations

from collections.abc import Iterator

from astroid import nodes

from grader.pylint_concurrency.tree import (
    _FUNCTIONS,
    _argument,
    _bare_call,
    _call_text,
    _enclosing_function,
    _lookup,
    _method_call,
    _receiver,
    _uses,
)
from grader.pylint_concurrency.names import EXECUTOR, POOL, PROCESS, THREAD_POOL
from grader.pylint_concurrency.context import _Context, _in_loop, _iteration, _local_constructions
from grader.pylint_concurrency.callables import (
    _CALLABLE_FACTORIES,
    _surely_not_callable,
    _unpicklable,
)


_POOL_METHODS = frozenset({"apply", "apply_async", "map", "map_async", "imap",
                           "imap_unordered", "starmap", "starmap_async", "submit"})


def _check_pool_calls(ctx: _Context) -> None:
    """unpicklable-pool-callable and pool-callable-called on pool.apply_async(...) & co."""
    for call in ctx.of(nodes.Call):
        if not _method_call(call, *_POOL_METHODS):
            continue
        kinds = ctx.names.kinds(_receiver(call))
        if not kinds & {POOL, EXECUTOR, THREAD_POOL}:
            continue
        func = _argument(call, 0, "func", "fn")
        if func is None:
            continue
        method = f"{_receiver(call).as_string()}.{call.func.attrname}"
        if POOL in kinds:
            what = _unpicklable(ctx, func)
            if what:
                ctx.emit("unpicklable-pool-callable", func, what=what,
                         section="Multiprocessing")
        if (isinstance(func, nodes.Call)
                and ctx.names.qualname(func.func) not in _CALLABLE_FACTORIES
                and _surely_not_callable(func)):
            ctx.emit("pool-callable-called", func, call=f"{method}({_call_text(func)})",
                     func=func.func.as_string(), method=method, section="Pool: apply()")


def _check_sequential_pool(ctx: _Context) -> None:
    """sequential-pool-calls: ``pool.apply`` or submit-then-wait inside one loop iteration."""
    for call in ctx.of(nodes.Call):
        if _method_call(call, "apply") and _pooled(ctx, call) and _in_loop(call):
            ctx.emit("sequential-pool-calls", call, call=_call_text(call),
                     section="Pool: apply()")
        elif (_bare_call(call, "get", "wait", "result")
              and _method_call(_receiver(call), "apply_async", "submit")
              and _pooled(ctx, _receiver(call)) and _in_loop(call)):
            ctx.emit("sequential-pool-calls", call, call=_call_text(call),
                     section="Pool: apply_async()")
    for loop in ctx.of(nodes.For, nodes.While):
        submitted: set[str] = set()
        for node in _iteration(loop):
            if (isinstance(node, nodes.Assign) and len(node.targets) == 1
                    and isinstance(node.targets[0], nodes.AssignName)
                    and _method_call(node.value, "apply_async", "submit")
                    and _pooled(ctx, node.value)):
                submitted.add(node.targets[0].name)
            elif (_bare_call(node, "get", "wait", "result")
                  and isinstance(_receiver(node), nodes.Name)
                  and _receiver(node).name in submitted):
                ctx.emit("sequential-pool-calls", node, call=_call_text(node),
                         section="Pool: apply_async()")


def _pooled(ctx: _Context, call: nodes.Call) -> bool:
    return bool(ctx.names.kinds(_receiver(call)) & {POOL, THREAD_POOL, EXECUTOR})


def _check_pool_cleanup(ctx: _Context) -> None:
    """pool-without-cleanup: a process or thread pool made in a function and left running."""
    for function in ctx.functions():
        made = [*_local_constructions(ctx, function, POOL),
                *_local_constructions(ctx, function, THREAD_POOL)]
        for name, assign in made:
            kinds = ctx.names.kinds(assign.value)
            problem = _pool_problem(ctx, function, name, EXECUTOR in kinds)
            if problem:
                fix = (f"Use `with ... as {name}:` or call {name}.shutdown() before returning"
                       if EXECUTOR in kinds else
                       f"Use `with ... as {name}:`, or call {name}.close() and then "
                       f"{name}.join() (or {name}.terminate()) before returning")
                ctx.emit("pool-without-cleanup", assign.value, name=name, problem=problem,
                         func=function.name, fix=fix, **_pool_words(kinds))
    for call in ctx.of(nodes.Call):
        function = _enclosing_function(call)
        if not (function is not None and isinstance(call.parent, nodes.Attribute)
                and call.parent.attrname not in ("__enter__", "terminate", "shutdown", "close")):
            continue
        kinds = ctx.names.kinds(call)
        if kinds & {POOL, THREAD_POOL}:
            name = "executor" if EXECUTOR in kinds else "pool"
            ctx.emit("pool-without-cleanup", call, name=_call_text(call),
                     problem=_NEVER[EXECUTOR in kinds], func=function.name,
                     fix=f"Create it with `with ... as {name}:` and call the method on {name}",
                     **_pool_words(kinds))


_NEVER = {False: "is never closed, joined or terminated", True: "is never shut down"}


def _pool_words(kinds: frozenset[str]) -> dict[str, str]:
    """What the message calls the pool and its workers, and where the lecture covers it."""
    if POOL in kinds:
        return {"pool": "process pool", "workers": "processes",
                "section": "Higher Level API: ProcessPool"}
    # ThreadPoolExecutor is the lecture's "See also" under Coordinating Threads
    return {"pool": "thread pool", "workers": "threads",
            "section": "Coordinating Threads" if EXECUTOR in kinds
            else "Higher Level API: ProcessPool"}


def _pool_problem(ctx: _Context, function: nodes.FunctionDef, name: str,
                  executor: bool = False) -> str | None:
    """What is missing for ``name``'s pool, or None if it is cleaned up or handed on."""
    methods = set()
    for use in _uses(function, name):
        parent = use.parent
        if isinstance(parent, nodes.Attribute):
            methods.add(parent.attrname)
        elif isinstance(parent, (nodes.With, nodes.AsyncWith)):
            return None
        elif isinstance(parent, (nodes.Call, nodes.Keyword)):
            if _hands_on(ctx, use):
                return None
        elif not isinstance(parent, (nodes.Compare, nodes.If, nodes.BoolOp, nodes.UnaryOp,
                                     nodes.IfExp, nodes.While, nodes.Assert)):
            return None                  # returned, stored, put in a container...
    if methods & {"terminate", "shutdown", "__exit__"} or {"close", "join"} <= methods:
        return None
    if "close" in methods:
        return "is closed but never joined"
    return _NEVER[executor]


def _hands_on(ctx: _Context, use: nodes.Name) -> bool:
    """True unless ``use`` is an argument to a function of this module that only uses it."""
    call = use.parent if isinstance(use.parent, nodes.Call) else use.parent.parent
    if not isinstance(call, nodes.Call) or not isinstance(call.func, nodes.Name):
        return True
    assigns = _lookup(call.func)
    if (len(assigns) != 1 or not isinstance(assigns[0], _FUNCTIONS)
            or assigns[0].root() is not ctx.module):
        return True
    callee = assigns[0]
    if isinstance(use.parent, nodes.Keyword):
        param = use.parent.arg
    else:
        index = next((i for i, a in enumerate(call.args) if a is use), None)
        params = [a.name for a in callee.args.posonlyargs + callee.args.args]
        if index is None or index >= len(params) or any(
                isinstance(a, nodes.Starred) for a in call.args[:index]):
            return True
        param = params[index]
    if not param or param not in callee.locals:
        return True
    for inner in _uses(callee, param):
        if not (isinstance(inner.parent, nodes.Attribute)
                and inner.parent.attrname not in ("close", "join", "terminate", "shutdown",
                                                  "__enter__", "__exit__")):
            return True
    return False


def _check_main_guard(ctx: _Context) -> None:
    """missing-main-guard: processes started when the module is imported."""
    for node in _import_time_nodes(ctx.module):
        if not isinstance(node, nodes.Call):
            continue
        kinds = ctx.names.kinds(node)
        starts = _method_call(node, "start") and PROCESS in ctx.names.kinds(_receiver(node))
        if POOL in kinds or PROCESS in kinds or starts:
            what = (f"{_receiver(node).as_string()}.start()" if starts
                    else f"{node.func.as_string()}(...)")
            ctx.emit("missing-main-guard", node, what=what, section="Multiprocessing")
            return


def _import_time_nodes(module: nodes.Module) -> Iterator[nodes.NodeNG]:
    """Nodes that run on import: module level, not in defs or ``if __name__ == "__main__"``."""
    stack = list(reversed(module.body))
    while stack:
        node = stack.pop()
        if isinstance(node, (nodes.FunctionDef, nodes.AsyncFunctionDef, nodes.Lambda)):
            continue
        yield node
        children = list(node.get_children())
        if isinstance(node, nodes.If) and _is_main_test(node.test):
            children = list(node.orelse)
        stack.extend(reversed(children))


def _is_main_test(test: nodes.NodeNG) -> bool:
    if not isinstance(test, nodes.Compare) or len(test.ops) != 1 or test.ops[0][0] != "==":
        return False
    sides = {test.left.as_string(), test.ops[0][1].as_string()}
    return "__name__" in sides and bool(sides & {"'__main__'", '"__main__"'})
