"""Rules for threads and processes: target called, run() for start(), start and
join in one loop, a lambda target reading a loop variable late, and processes
joined before their multiprocessing queue is read."""

from __future__ import annotations

from astroid import nodes

from grader.pylint_concurrency.tree import (
    _BARRIERS,
    _argument,
    _bare_call,
    _enclosing_function,
    _method_call,
    _receiver,
    _walk,
    _walk_with_self,
)
from grader.pylint_concurrency.names import MP_QUEUE, PROCESS, THREAD, _CLASS_KINDS
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


def _check_join_before_get(ctx: _Context) -> None:
    """join-before-queue-get: ``for p in procs: p.join()`` before the first ``q.get()``.

    Only for a name known to hold a multiprocessing queue (made here or at module
    level, or a parameter annotated so) that is handed to a process the function
    makes and read by the function itself; only a join() without a timeout, in
    no loop that also reads the queue, not in an ``except`` clause, and not
    right after terminate() or kill() on the same process (a clean-up on the way
    out, which cannot deadlock). A Manager().Queue() is not one: its data
    lives in the manager process, so a joined child never waits for a reader.
    """
    gets: dict[tuple[int, str], list[nodes.Call]] = {}
    joins: dict[int, list[nodes.Call]] = {}
    calls: dict[int, list[nodes.Call]] = {}
    for call in ctx.of(nodes.Call):      # cheap shapes first: most functions have neither
        function = _enclosing_function(call)
        if function is None or not isinstance(call.func, nodes.Attribute):
            continue
        calls.setdefault(id(function), []).append(call)
        if _method_call(call, "get") and isinstance(_receiver(call), nodes.Name):
            gets.setdefault((id(function), _receiver(call).name), []).append(call)
        elif _bare_call(call, "join"):
            joins.setdefault(id(function), []).append(call)
    for (key, name), reads in gets.items():
        if key not in joins or MP_QUEUE not in ctx.names.kinds(_receiver(reads[0])):
            continue
        function = _enclosing_function(reads[0])
        if not _handed_to_process(ctx, function, name):
            continue
        first = min(_position(g) for g in reads)
        stops = [c for c in calls.get(key, []) if _method_call(c, "terminate", "kill")]
        for join in joins[key]:
            if (_position(join) < first and PROCESS in ctx.names.kinds(_receiver(join))
                    and not _stopped_first(join, stops)
                    and not _in_handler(join) and not _loop_also_reads(join, reads)):
                ctx.emit("join-before-queue-get", join,
                         join=f"{_receiver(join).as_string()}.join()", queue=name,
                         section="Multiprocessing")
                break


def _names(expr: nodes.NodeNG, name: str) -> bool:
    return isinstance(expr, nodes.Name) and expr.name == name


def _position(node: nodes.NodeNG) -> tuple[int, int]:
    return (node.lineno or 0, node.col_offset or 0)


def _handed_to_process(ctx: _Context, function: nodes.FunctionDef, name: str) -> bool:
    """``name`` is among the arguments of a Process (or Process subclass) made here."""
    for call in _walk(function, into_scopes=False):
        if not isinstance(call, nodes.Call) or PROCESS not in ctx.names.class_kinds(call.func):
            continue
        given = [*call.args, *(k.value for k in call.keywords or ())]
        if any(_names(n, name) for arg in given for n in _walk_with_self(arg)):
            return True
    return False


def _stopped_first(join: nodes.Call, stops: list[nodes.Call]) -> bool:
    """The same process is terminated or killed before ``join``, in the same loop (or none)."""
    key, loop = _receiver(join).as_string(), _innermost_loop(join)
    return any(_receiver(stop).as_string() == key and _position(stop) < _position(join)
               and _innermost_loop(stop) is loop for stop in stops)


def _innermost_loop(node: nodes.NodeNG) -> nodes.NodeNG | None:
    """The closest loop or comprehension around ``node`` in its function, if any."""
    while node.parent is not None and not isinstance(node.parent, _BARRIERS):
        node = node.parent
        if isinstance(node, (nodes.For, nodes.While, nodes.ListComp, nodes.GeneratorExp,
                             nodes.SetComp, nodes.DictComp)):
            return node
    return None


def _in_handler(node: nodes.NodeNG) -> bool:
    """``node`` runs in an ``except`` clause of its function: a clean-up on the way out."""
    while node.parent is not None and not isinstance(node.parent, _BARRIERS):
        node = node.parent
        if isinstance(node, nodes.ExceptHandler):
            return True
    return False


def _loop_also_reads(join: nodes.Call, gets: list[nodes.Call]) -> bool:
    """``join`` runs in a loop of its function whose body also reads the queue."""
    node = join
    while node.parent is not None and not isinstance(node.parent, _BARRIERS):
        node = node.parent
        if isinstance(node, (nodes.For, nodes.While, nodes.ListComp, nodes.GeneratorExp,
                             nodes.SetComp, nodes.DictComp)):
            inside = {id(n) for n in _walk(node, into_scopes=False)}
            if any(id(get) in inside for get in gets):
                return True
    return False
