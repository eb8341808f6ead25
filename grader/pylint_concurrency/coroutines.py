"""Rules for asyncio: blocking calls inside ``async def``, coroutines never
awaited, and event loops never closed."""

from __future__ import annotations

from astroid import nodes

from grader.pylint_concurrency.tree import _call_text, _receiver, _uses, _walk
from grader.pylint_concurrency.names import ASYNC_RESULT, EXECUTOR, FUTURE, POOL, THREAD
from grader.pylint_concurrency.context import _Context
from grader.pylint_concurrency.callables import _callee_assigns, _plain_function


_ASYNCIO_COROUTINES = frozenset({"asyncio.sleep", "asyncio.wait_for", "asyncio.wait",
                                 "asyncio.to_thread"})
_BLOCKING_CALLS = frozenset({"time.sleep", "subprocess.run", "subprocess.call",
                             "subprocess.check_call", "subprocess.check_output",
                             "os.system", "urllib.request.urlopen"})
_REQUESTS_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options",
                             "request"})
_SLEEP_FIX = "Use `await asyncio.sleep(...)`, which lets the other tasks run meanwhile"
_TO_THREAD_FIX = "Run it with `await asyncio.to_thread(...)` so the loop keeps going"
_BLOCKING_METHODS = {
    ("join", THREAD): "Await `asyncio.to_thread(t.join)` instead, or wait for an asyncio task",
    ("result", FUTURE):
        "Await it instead: `await asyncio.wrap_future(future)` or loop.run_in_executor",
    **{(method, ASYNC_RESULT): _TO_THREAD_FIX for method in ("get", "wait")},
    **{(method, POOL): _TO_THREAD_FIX for method in ("apply", "map", "starmap")},
}


def _check_coroutines(ctx: _Context) -> None:
    """blocking-call-in-coroutine inside every ``async def``."""
    for function in ctx.of(nodes.AsyncFunctionDef):
        for call in _walk(function, into_scopes=False):
            if isinstance(call, nodes.Call):
                fix = _blocking(ctx, call)
                if fix:
                    ctx.emit("blocking-call-in-coroutine", call, call=_call_text(call),
                             func=function.name, fix=fix, section="Async")


def _blocking(ctx: _Context, call: nodes.Call) -> str | None:
    """How to avoid ``call`` in a coroutine, when it is a blocking call."""
    qualname = ctx.names.qualname(call.func) or ""
    if qualname == "time.sleep":
        return _SLEEP_FIX
    if qualname in _BLOCKING_CALLS or (
            qualname.startswith("requests.") and qualname.split(".")[-1] in _REQUESTS_VERBS):
        return _TO_THREAD_FIX
    if isinstance(call.func, nodes.Name):
        builtin_input = call.func.name == "input" and ctx.names.is_builtin(call.func)
        return _TO_THREAD_FIX if builtin_input else None
    if not isinstance(call.func, nodes.Attribute):
        return None
    kinds = ctx.names.kinds(_receiver(call))
    if EXECUTOR in kinds:
        kinds -= {POOL}                  # an executor's map() is lazy, not a blocking call
    return next((fix for kind in sorted(kinds)
                 if (fix := _BLOCKING_METHODS.get((call.func.attrname, kind)))), None)


def _check_unawaited(ctx: _Context) -> None:
    """coroutine-not-awaited: ``f()`` as a statement, or assigned and never used."""
    for call in ctx.of(nodes.Call):
        text = _coroutine_call(ctx, call)
        if text is None:
            continue
        parent = call.parent
        if isinstance(parent, nodes.Assign):
            targets = parent.targets
            if (len(targets) != 1 or not isinstance(targets[0], nodes.AssignName)
                    or _uses(parent.scope(), targets[0].name)):
                continue
        elif not isinstance(parent, nodes.Expr):
            continue
        inside = isinstance(call.frame(), nodes.AsyncFunctionDef)
        fix = (f"Write `await {text}`" if inside else
               f"Run it with asyncio.run({text}), or await it from another coroutine")
        ctx.emit("coroutine-not-awaited", call, call=text, fix=fix, section="Async")


def _coroutine_call(ctx: _Context, call: nodes.Call) -> str | None:
    """``name(...)`` when ``call`` calls a coroutine function (not an async generator)."""
    assigns = _callee_assigns(call)
    if ctx.names.qualname(call.func) in _ASYNCIO_COROUTINES or (assigns and all(
            isinstance(a, nodes.AsyncFunctionDef) and _plain_function(a, call.root())
            for a in assigns)):
        return _call_text(call)
    return None


def _check_loops_closed(ctx: _Context) -> None:
    """event-loop-not-closed: ``loop = asyncio.new_event_loop()`` never closed."""
    for function in ctx.functions():
        for name, assigns in function.locals.items():
            assign = assigns[0].parent if len(assigns) == 1 else None
            if not (isinstance(assign, nodes.Assign) and isinstance(assign.value, nodes.Call)
                    and ctx.names.qualname(assign.value.func) == "asyncio.new_event_loop"):
                continue
            if all(_loop_use_keeps_open(ctx, use) for use in _uses(function, name)):
                ctx.emit("event-loop-not-closed", assign.value, name=name,
                         func=function.name, section="Async Demo")


def _loop_use_keeps_open(ctx: _Context, use: nodes.Name) -> bool:
    parent = use.parent
    if isinstance(parent, nodes.Attribute):
        return parent.attrname != "close"
    return (isinstance(parent, nodes.Call) and parent.func is not use
            and ctx.names.qualname(parent.func) == "asyncio.set_event_loop")
