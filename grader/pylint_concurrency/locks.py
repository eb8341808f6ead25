"""Rules for locks: acquire() without a finally, a lock made per use, and a
read-modify-write split across the lock."""

from __future__ import annotations

from collections.abc import Iterable

from astroid import nodes

from grader.pylint_concurrency.tree import (
    _FUNCTIONS,
    _TRIES,
    _method_call,
    _receiver,
    _same,
    _tail,
    _uses,
    _walk,
    _walk_with_self,
)
from grader.pylint_concurrency.names import LOCK
from grader.pylint_concurrency.context import _Context, _local_constructions


_ASYNC_LOCKS = frozenset(f"asyncio.{name}" for name in ("Lock", "Semaphore", "Condition"))


def _check_lock_acquire(ctx: _Context) -> None:
    """lock-without-with: acquire(), some work, then a release() that is not in a finally."""
    for call in ctx.of(nodes.Call):
        if not _method_call(call, "acquire") or not ctx.lockish(_receiver(call)):
            continue
        frame, stmt = call.frame(), _acquiring_statement(call)
        if stmt is None or (isinstance(frame, _FUNCTIONS)
                            and frame.name in ("__enter__", "__aenter__")):
            continue
        key = _receiver(call).as_string()
        later = [n for n in _walk(frame, into_scopes=False) if _method_call(n, "release")
                 and _same(_receiver(n), key) and n.fromlineno > call.fromlineno]
        if later and not _released_at_once(stmt, key) and not _released_in_finally(call, key):
            ctx.emit("lock-without-with", call, lock=key, section="Mutex Locks")


def _acquiring_statement(call: nodes.Call) -> nodes.NodeNG | None:
    """The statement that takes the lock: ``l.acquire()``, ``ok = ...``, ``if [not] ...:``."""
    node = call.parent
    if isinstance(node, nodes.UnaryOp) and node.op == "not":
        node = node.parent
    if isinstance(node, (nodes.Expr, nodes.Assign)) and node.value in (call, call.parent):
        return node
    if isinstance(node, (nodes.If, nodes.While)) and node.test in (call, call.parent):
        return node
    return None


def _released_at_once(stmt: nodes.NodeNG, key: str) -> bool:
    """Nothing that could raise runs between acquire and release (``acquire(); release()``)."""
    first = stmt.body[:1] if isinstance(stmt, nodes.If) else _following(stmt)[:1]
    return _releases(first, key)


def _releases(statements: Iterable[nodes.NodeNG], key: str) -> bool:
    return any(_method_call(n, "release") and _same(_receiver(n), key)
               for stmt in statements for n in _walk_with_self(stmt))


def _guards(try_node: nodes.NodeNG, key: str) -> bool:
    """A try statement whose finally (or every-exception handler) releases ``key``."""
    if not isinstance(try_node, _TRIES):
        return False
    handlers = [stmt for handler in try_node.handlers for stmt in handler.body]
    return _releases(try_node.finalbody, key) or _releases(handlers, key)


def _released_in_finally(call: nodes.Call, key: str) -> bool:
    """acquire() inside a guarded try, followed by one, or guarding one (``if acquire():``)."""
    stmt = call.statement()
    if isinstance(stmt, (nodes.If, nodes.While)) and any(
            _guards(n, key) for s in [*stmt.body, *stmt.orelse] for n in _walk_with_self(s)):
        return True
    frame = call.frame()
    node = stmt
    while node is not frame and node.parent is not None:
        parent = node.parent
        if _guards(parent, key) and any(node is s for s in parent.body):
            return True
        if any(_guards(sibling, key) for sibling in _following(node)):
            return True
        node = parent
    return False


def _following(node: nodes.NodeNG) -> list[nodes.NodeNG]:
    """The statements after ``node`` in the block that holds it."""
    for field in ("body", "orelse", "finalbody", "handlers"):
        block = getattr(node.parent, field, None)
        if isinstance(block, list):
            for index, stmt in enumerate(block):
                if stmt is node:
                    return block[index + 1:]
    return []


def _check_lock_per_use(ctx: _Context) -> None:
    """lock-created-per-use: ``with threading.Lock():`` or a local lock nobody else sees."""
    for with_node in ctx.of(nodes.With, nodes.AsyncWith):
        for expr, _ in with_node.items:
            if isinstance(expr, nodes.Call) and _fresh_lock(ctx, expr):
                keyword = "async with" if isinstance(with_node, nodes.AsyncWith) else "with"
                ctx.emit("lock-created-per-use", expr, what=f"`{keyword} {expr.as_string()}:`",
                         section="Mutex Locks")
    for function in ctx.functions():
        for name, assign in _local_constructions(ctx, function, LOCK):
            uses = _uses(function, name)
            if not _fresh_lock(ctx, assign.value):
                continue
            if uses and all(_private_lock_use(use, function) for use in uses):
                ctx.emit("lock-created-per-use", assign.value,
                         what=f"{name} = {assign.value.as_string()} in {function.name}()",
                         section="Mutex Locks")


def _fresh_lock(ctx: _Context, call: nodes.Call) -> bool:
    """A new lock of its own; a Condition around an existing lock shares that lock."""
    if _tail(call.func) == "Condition" and (call.args or call.keywords):
        return False
    return LOCK in ctx.names.kinds(call) or ctx.names.qualname(call.func) in _ASYNC_LOCKS


def _private_lock_use(use: nodes.Name, function: nodes.FunctionDef) -> bool:
    if use.frame() is not function:
        return False                     # a nested function shares it: it protects them
    parent = use.parent
    if isinstance(parent, (nodes.With, nodes.AsyncWith)):
        return any(expr is use for expr, _ in parent.items)
    return (isinstance(parent, nodes.Attribute) and isinstance(parent.parent, nodes.Call)
            and parent.parent.func is parent
            and parent.attrname in ("acquire", "release", "locked"))


def _check_split_update(ctx: _Context) -> None:
    """lock-split-update: read under the lock, write outside it (or the other way round)."""
    for function in ctx.functions():
        own = list(_walk(function, into_scopes=False))
        guarded = [w for w in own if isinstance(w, (nodes.With, nodes.AsyncWith))
                   and any(ctx.lockish(expr) for expr, _ in w.items)]
        if not guarded:
            continue
        lock_of = {id(n): w for w in guarded for n in _walk(w)}
        writes = [n for n in own if isinstance(n, nodes.AssignAttr)
                  and isinstance(n.parent, (nodes.Assign, nodes.AugAssign))]
        for local in (n for n in own if isinstance(n, nodes.Assign) and len(n.targets) == 1
                      and isinstance(n.targets[0], nodes.AssignName)):
            read = {a.as_string() for a in _walk_with_self(local.value)
                    if isinstance(a, nodes.Attribute)}
            for write in writes:
                if write.as_string() not in read or not any(
                        isinstance(n, nodes.Name) and n.name == local.targets[0].name
                        for n in _walk_with_self(write.parent.value)):
                    continue
                lock = _split(lock_of, local, write)
                if lock is not None:
                    ctx.emit("lock-split-update", write, attr=write.as_string(),
                             lock=lock.items[0][0].as_string(), section="Race Conditions")


def _split(lock_of: dict[int, nodes.With], read: nodes.Assign,
           write: nodes.AssignAttr) -> nodes.With | None:
    """The lock held for exactly one of ``read`` then ``write`` (read first), if any."""
    read_lock, write_lock = lock_of.get(id(read)), lock_of.get(id(write))
    if read.fromlineno >= write.fromlineno or read_lock is write_lock:
        return None
    if write_lock is not None:
        rereads = any(isinstance(n, nodes.Attribute) and n.as_string() == write.as_string()
                      for n in _walk(write_lock))
        return None if rereads else write_lock
    return read_lock
