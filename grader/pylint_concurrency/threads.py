"""Rules for threads and processes: target called, run() for start(), start and
join in one loop, a lambda target reading a loop variable late."""

from __future__ import annotations

from astroid import nodes

from grader.pylint_concurrency.tree import (
    _BARRIERS,
    _argument,
    _method_call,
    _receiver,
    _walk,
    _walk_with_self,
)
from grader.pylint_concurrency.names import PROCESS, THREAD, _CLASS_KINDS
from grader.pylint_concurrency.context import _Context, _iteration
from grader.pylint_concurrency.callables import (
    _CALLABLE_FACTORIES,
    _surely_not_callable,
    _unpicklable,
)


def _check_thread_targets(ctx: _Context) -> None:
    """thread-target-called, unpicklable-pool-callable and late binding for Thread/Process."""
    for call in ctx.of(nodes.Call):
        kinds = ctx.names.class_kinds(call.func)
        if THREAD not in kinds:
            continue
        # Thread(group, target, ...); a subclass's own __init__ may take anything
        base = ctx.names.qualname(call.func) in _CLASS_KINDS
        target = _argument(call, 1 if base else -1, "target")
        kind = "process" if PROCESS in kinds else "thread"
        cls = "Process" if PROCESS in kinds else "Thread"
        section = "Multiprocessing" if PROCESS in kinds else "Functions as Threads"
        if (isinstance(target, nodes.Call)
                and ctx.names.qualname(target.func) not in _CALLABLE_FACTORIES
                and _surely_not_callable(target)):
            ctx.emit("thread-target-called", target, cls=cls, func=target.func.as_string(),
                     kind=kind, section=section)
        if PROCESS in kinds and target is not None:
            what = _unpicklable(ctx, target)
            if what:
                ctx.emit("unpicklable-pool-callable", target, what=what,
                         section="Multiprocessing")
        if isinstance(target, nodes.Lambda):
            variable = _late_bound(ctx, call, target)
            if variable:
                ctx.emit("late-binding-thread-target", target, var=variable, kind=kind,
                         section="Functions as Threads")


def _late_bound(ctx: _Context, call: nodes.Call, target: nodes.Lambda) -> str | None:
    """A loop variable the lambda reads late, if the thread is made inside that loop."""
    params = {a.name for a in target.args.arguments or ()}
    params |= {n for n in (target.args.vararg, target.args.kwarg) if n}
    inside = list(_walk_with_self(target.body))
    free = {n.name for n in inside if isinstance(n, nodes.Name)} - params
    free -= {n.name for n in inside if isinstance(n, nodes.AssignName)}
    node = call
    while node.parent is not None and not isinstance(node.parent, _BARRIERS):
        child, node = node, node.parent
        loop_vars: set[str] = set()
        if isinstance(node, (nodes.ListComp, nodes.GeneratorExp, nodes.SetComp, nodes.DictComp)):
            for generator in node.generators:
                loop_vars |= {n.name for n in generator.target.nodes_of_class(nodes.AssignName)}
        elif isinstance(node, nodes.For) and child in node.body:
            if any(_method_call(n, "join") and THREAD in ctx.names.kinds(_receiver(n))
                   for stmt in node.body for n in _walk(stmt, into_scopes=False)):
                return None              # joined in the same iteration: it ran in time
            loop_vars = {n.name for n in node.target.nodes_of_class(nodes.AssignName)}
        hits = sorted(free & loop_vars)
        if hits:
            return hits[0]
    return None


def _check_run_called(ctx: _Context) -> None:
    """thread-run-called: ``t.run()`` on something known to be a Thread or Process."""
    for call in ctx.of(nodes.Call):
        if not _method_call(call, "run") or call.args or call.keywords:
            continue
        kinds = ctx.names.kinds(_receiver(call))
        if THREAD in kinds:
            process = PROCESS in kinds
            ctx.emit("thread-run-called", call, recv=_receiver(call).as_string(),
                     kind="process" if process else "thread",
                     section="Multiprocessing" if process else "Functions as Threads")


def _check_start_join(ctx: _Context) -> None:
    """start-join-same-loop: ``for t in threads: t.start(); t.join()``."""
    for loop in ctx.of(nodes.For, nodes.While):
        started: dict[str, int] = {}
        for node in _iteration(loop):
            if not _method_call(node, "start", "join") or not isinstance(
                    _receiver(node), (nodes.Name, nodes.Attribute)):
                continue
            key = _receiver(node).as_string()
            if node.func.attrname == "start" and not node.args:
                started.setdefault(key, node.lineno)
            elif (key in started and not node.args and not node.keywords
                  and THREAD in ctx.names.kinds(_receiver(node))):
                process = PROCESS in ctx.names.kinds(_receiver(node))
                ctx.emit("start-join-same-loop", node, recv=key,
                         kind="process" if process else "thread", section="Joining a Thread")
