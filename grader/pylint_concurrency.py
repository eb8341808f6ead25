"""A pylint plugin that spots the concurrency mistakes this kit's learners make.

The topic tests already fail a wrong solution, but a failing test says *what*
went wrong ("returned after 2.0 s"), not *why*. Many of the classic mistakes
are visible in the source alone: ``Thread(target=f(x))`` calls ``f`` at once,
``t.run()`` runs the target in the caller, ``while not ev.is_set(): pass``
burns a core, ``time.sleep`` inside ``async def`` stops the event loop, a
lambda sent to a process pool cannot be pickled. This module names such
mistakes in a sentence a learner can act on, and points at the lecture
section that covers them.

It is used in two ways:

* as a pylint plugin, ``pylint --load-plugins=grader.pylint_concurrency``;
* in-process by the grader, ``check_source(text)``, for every file of a batch:
  one astroid parse and this checker's rules only, no other pylint checker.

Both share one set of rules (``RULES``) that walk an astroid tree and report
through a callback. Precision matters more than recall here: a message telling
a learner who is right that they are wrong does more harm than a missed one,
so every rule only fires on a shape it recognises for sure (names resolved
from the module's own imports and assignments, astroid inference only where
it can prove a value, e.g. that ``f(x)`` returns an ``int``). Student code is
untrusted: astroid never runs it, and no rule may crash on odd code; a rule
that does is skipped for that file.
"""

# One module on purpose: pylint loads a plugin by module name, the grader imports
# the same module, and the rules share their private helpers.
# pylint: disable=too-many-lines

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import astroid
from astroid import nodes
from pylint.checkers import BaseChecker

if TYPE_CHECKING:
    from pylint.lint import PyLinter

# -- the messages ---------------------------------------------------------------

_SEE = 'see the lecture, "%(section)s".'
MESSAGES: dict[str, tuple[str, str, str]] = {
    "E9301": (
        "%(cls)s(target=%(func)s(...)) calls %(func)s right away, here in the caller, and "
        "hands the new %(kind)s only its return value. Pass the function itself and its "
        "arguments separately, target=%(func)s, args=(...); " + _SEE,
        "thread-target-called",
        "The target of a Thread or Process is the result of a call, so the work happens "
        "in the calling thread before the new one even starts.",
    ),
    "W9302": (
        "%(recv)s.run() runs the %(kind)s's target right here, in the calling thread, and "
        "waits for it: nothing runs concurrently. Call %(recv)s.start() to run it in a new "
        "%(kind)s; " + _SEE,
        "thread-run-called",
        "run() was called on a Thread or Process where start() was meant.",
    ),
    "W9303": (
        "%(lock)s.acquire() is paired with a release() that is not in a finally clause, so "
        "an exception in between leaves the lock held and every other thread waits forever. "
        "Use `with %(lock)s:` instead; " + _SEE,
        "lock-without-with",
        "A lock is acquired and released by hand without try/finally.",
    ),
    "W9304": (
        "%(what)s makes a new lock every time this code runs, so each thread locks its own "
        "lock and nothing is protected. Create the lock once where all threads share it "
        "(e.g. self._lock = threading.Lock() in __init__); " + _SEE,
        "lock-created-per-use",
        "A lock is created and used in the same place and never shared.",
    ),
    "W9305": (
        "This loop keeps checking %(cond)s with nothing in between, so it burns a whole CPU "
        "core while it waits. %(fix)s; " + _SEE,
        "busy-wait",
        "A while loop spins on a flag or a status method without blocking or sleeping.",
    ),
    "W9306": (
        "%(call)s blocks inside the coroutine %(func)s(): while it waits, the event loop and "
        "every other task are stopped. %(fix)s; " + _SEE,
        "blocking-call-in-coroutine",
        "A blocking call (time.sleep, requests, input, join, result...) inside async def.",
    ),
    "W9307": (
        "%(call)s only creates a coroutine object: its body never runs because nothing "
        "awaits it. %(fix)s; " + _SEE,
        "coroutine-not-awaited",
        "A coroutine function is called and its coroutine is dropped unawaited.",
    ),
    "E9308": (
        "%(what)s is sent to another process, but it cannot be pickled (only functions "
        "defined at the top level of a module can be), so this fails under the spawn and "
        "forkserver start methods. Define the function at module level and pass its data "
        "as arguments; " + _SEE,
        "unpicklable-pool-callable",
        "A lambda, nested function or local class's method is given to a process pool "
        "or Process.",
    ),
    "W9309": (
        "The process pool `%(name)s` %(problem)s in %(func)s(), so its worker processes can "
        "outlive the call. %(fix)s; " + _SEE,
        "pool-without-cleanup",
        "A process pool created in a function is never closed and joined, terminated or "
        "shut down there.",
    ),
    "W9310": (
        "%(what)s runs as soon as this module is imported; with the spawn and forkserver "
        "start methods every new process imports the module again and would start processes "
        'of its own. Move it into a function or under `if __name__ == "__main__":`; '
        + _SEE,
        "missing-main-guard",
        "A Pool, ProcessPoolExecutor or Process is created at module level.",
    ),
    "E9311": (
        "%(call)s calls %(func)s right now, in this process, and sends the pool only its "
        "return value. Pass the function itself and its arguments separately, "
        "%(method)s(%(func)s, ...); " + _SEE,
        "pool-callable-called",
        "The callable given to a pool is the (non-callable) result of a call.",
    ),
    "E9312": (
        "%(expr)s without parentheses is the method itself, which is always true; call it: "
        "%(expr)s(); " + _SEE,
        "method-not-called",
        "A status method such as is_set or is_alive is tested without calling it.",
    ),
    "W9313": (
        "%(recv)s.start() and %(recv)s.join() run in the same loop iteration, so each "
        "%(kind)s ends "
        "before the next one starts and nothing runs at the same time. Start them all in one "
        "loop, then join them in a second loop; " + _SEE,
        "start-join-same-loop",
        "start() and join() on the same thread inside one loop body.",
    ),
    "W9314": (
        "The lambda target reads the loop variable %(var)s when the %(kind)s runs, not when "
        "it is created, so it may see a later value (often the last one). Bind it now: "
        "target=func, args=(%(var)s,); " + _SEE,
        "late-binding-thread-target",
        "A lambda thread target uses a loop variable of the loop that creates it.",
    ),
    "W9315": (
        "%(attr)s is read in one step and written back in another, and the lock is not held "
        "across both, so two threads can read the same old value and one update is lost. "
        "Do the read and the write inside one `with %(lock)s:` block; " + _SEE,
        "lock-split-update",
        "A read-modify-write of a shared attribute is split across a lock boundary.",
    ),
    "W9316": (
        "`%(name)s = asyncio.new_event_loop()` is never closed in %(func)s(), so the loop "
        "and its resources stay open after the call. Close it in a finally clause, or let "
        "asyncio.run() create and close the loop for you; " + _SEE,
        "event-loop-not-closed",
        "A new event loop is created in a function and never closed there.",
    ),
    "W9317": (
        "%(call)s waits for this task to finish before the loop hands out the next one, so "
        "the tasks run one after another instead of in parallel. Submit them all first "
        "(apply_async or submit), then collect the results in a second loop; " + _SEE,
        "sequential-pool-calls",
        "A pool task is submitted and waited for in the same loop iteration.",
    ),
}
SYMBOLS: dict[str, str] = {symbol: msgid for msgid, (_, symbol, _) in MESSAGES.items()}

# -- what the names mean ------------------------------------------------------------

THREAD, PROCESS, THREADS, POOL, EXECUTOR, THREAD_POOL = (
    "thread", "process", "threads", "pool", "executor", "thread-pool")
LOCK, FUTURE, ASYNC_RESULT = "lock", "future", "async-result"
_NOTHING: frozenset[str] = frozenset()

_LOCK_NAMES = ("Lock", "RLock", "Semaphore", "BoundedSemaphore", "Condition")
_CLASS_KINDS: dict[str, frozenset[str]] = {
    "threading.Thread": frozenset({THREAD}),
    "multiprocessing.Process": frozenset({THREAD, PROCESS}),
    "multiprocessing.context.Process": frozenset({THREAD, PROCESS}),
    "multiprocessing.Pool": frozenset({POOL}),
    "multiprocessing.pool.Pool": frozenset({POOL}),
    "concurrent.futures.ProcessPoolExecutor": frozenset({POOL, EXECUTOR}),
    "concurrent.futures.process.ProcessPoolExecutor": frozenset({POOL, EXECUTOR}),
    "concurrent.futures.ThreadPoolExecutor": frozenset({EXECUTOR, THREAD_POOL}),
    "concurrent.futures.thread.ThreadPoolExecutor": frozenset({EXECUTOR, THREAD_POOL}),
    "multiprocessing.pool.ThreadPool": frozenset({THREAD_POOL}),
    "multiprocessing.dummy.Pool": frozenset({THREAD_POOL}),
    **{f"{module}.{name}": frozenset({LOCK})
       for module in ("threading", "multiprocessing") for name in _LOCK_NAMES},
}
_ASYNC_LOCKS = frozenset(f"asyncio.{name}" for name in ("Lock", "Semaphore", "Condition"))
_POOL_METHODS = frozenset({"apply", "apply_async", "map", "map_async", "imap",
                           "imap_unordered", "starmap", "starmap_async", "submit"})
_CALLABLE_FACTORIES = frozenset({"functools.partial", "functools.partialmethod",
                                 "operator.attrgetter", "operator.itemgetter",
                                 "operator.methodcaller"})
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
_LOCKISH = re.compile(r"lock|mutex|(^|_)(cond|condition|sem|semaphore)$", re.IGNORECASE)

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

_CONTAINERS = frozenset({"list", "List", "Sequence", "Iterable", "tuple", "set"})
_FUNCTIONS = (nodes.FunctionDef, nodes.AsyncFunctionDef)
_BARRIERS = (nodes.FunctionDef, nodes.AsyncFunctionDef, nodes.Lambda, nodes.ClassDef)
_TRIES = tuple(t for t in (nodes.Try, getattr(nodes, "TryStar", None)) if t is not None)


@dataclasses.dataclass(frozen=True)
class Finding:
    """One message about one line of a learner's file."""

    line: int
    symbol: str
    msgid: str
    text: str


def format_finding(finding: Finding) -> str:
    """``line 14: Thread(target=countdown(...)) calls countdown right now ...``."""
    return f"line {finding.line}: {finding.text}"


# -- small tree helpers ---------------------------------------------------------


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


# -- name resolution ---------------------------------------------------------------


class _Resolver:
    """What names in one module stand for, worked out from the source alone.

    ``qualname`` turns ``mp.Pool`` into ``multiprocessing.Pool`` through the
    module's imports (and ``ctx = get_context()``); ``kinds`` says what a name
    holds (a thread, a pool, a lock, a list of threads...), from what it was
    assigned, its annotation, or the loop it comes from.
    """

    def __init__(self, classes: list[nodes.ClassDef]) -> None:
        self._bindings: dict[int, dict[str, frozenset[str]]] = {}
        self._class_bindings: dict[int, dict[str, frozenset[str]]] = {}
        self.thread_classes: dict[str, frozenset[str]] = {}
        for _ in range(3):
            for cls in classes:
                for base in cls.bases:
                    kinds = self.class_kinds(base)
                    if THREAD in kinds:
                        self.thread_classes[cls.name] = kinds

    # names -> dotted names
    def qualname(self, expr: nodes.NodeNG) -> str | None:
        """``multiprocessing.Pool`` for ``mp.Pool`` after ``import multiprocessing as mp``."""
        if isinstance(expr, nodes.Name):
            return self._resolve_name(expr)
        if isinstance(expr, nodes.Attribute):
            base = self.qualname(expr.expr)
            return f"{base}.{expr.attrname}" if base else None
        if isinstance(expr, nodes.Call) and self.qualname(expr.func) in (
                "multiprocessing.get_context", "multiprocessing.context.get_context"):
            return "multiprocessing"
        return None

    def _resolve_name(self, name: nodes.Name) -> str | None:
        try:
            _, assigns = name.lookup(name.name)
        except Exception:  # pylint: disable=broad-exception-caught  # odd scopes
            return None
        for assign in assigns:
            if isinstance(assign, (nodes.Import, nodes.ImportFrom)):
                found = _imported_as(assign, name.name)
                if found:
                    return found
            elif (isinstance(assign, nodes.AssignName) and isinstance(assign.parent, nodes.Assign)
                  and isinstance(assign.parent.value, nodes.Call)
                  and self.qualname(assign.parent.value) == "multiprocessing"):
                return "multiprocessing"
        return None

    def is_builtin(self, name: nodes.Name) -> bool:
        """True when ``name`` is the builtin of that name, not a local one."""
        try:
            scope, _ = name.lookup(name.name)
        except Exception:  # pylint: disable=broad-exception-caught  # odd scopes
            return False
        return isinstance(scope, nodes.Module) and scope.name == "builtins"

    def class_kinds(self, expr: nodes.NodeNG) -> frozenset[str]:
        """Kinds of the objects ``expr(...)`` makes, when ``expr`` is a known class."""
        found = _CLASS_KINDS.get(self.qualname(expr) or "")
        if found is not None:
            return found
        if isinstance(expr, nodes.Name) and expr.name in self.thread_classes:
            try:
                _, assigns = expr.lookup(expr.name)
            except Exception:  # pylint: disable=broad-exception-caught  # odd scopes
                return _NOTHING
            if assigns and all(isinstance(a, nodes.ClassDef) for a in assigns):
                return self.thread_classes[expr.name]
        return _NOTHING

    # names -> what they hold
    def kinds(self, expr: nodes.NodeNG | None) -> frozenset[str]:
        """What ``expr`` holds: a subset of thread, process, pool, lock, future..."""
        if isinstance(expr, nodes.Call):
            return self._call_kinds(expr)
        if isinstance(expr, nodes.Name):
            try:
                scope, _ = expr.lookup(expr.name)
            except Exception:  # pylint: disable=broad-exception-caught  # odd scopes
                return _NOTHING
            return self.scope_bindings(scope).get(expr.name, _NOTHING)
        if isinstance(expr, nodes.Attribute):
            cls = self._owner_class(expr)
            if cls is not None:
                return self.class_bindings(cls).get(expr.attrname, _NOTHING)
        if isinstance(expr, nodes.Subscript) and THREADS in self.kinds(expr.value):
            return frozenset({THREAD})
        return _NOTHING

    def _call_kinds(self, call: nodes.Call) -> frozenset[str]:
        kinds = self.class_kinds(call.func)
        if kinds or not isinstance(call.func, nodes.Attribute):
            return kinds
        method, receiver = call.func.attrname, self.kinds(call.func.expr)
        if method == "submit" and EXECUTOR in receiver:
            return frozenset({FUTURE})
        if (method in ("apply_async", "map_async", "starmap_async")
                and receiver & {POOL, THREAD_POOL} and EXECUTOR not in receiver):
            return frozenset({ASYNC_RESULT})
        if method == "pop" and THREADS in receiver:
            return frozenset({THREAD})
        return _NOTHING

    def _owner_class(self, attr: nodes.Attribute) -> nodes.ClassDef | None:
        if not isinstance(attr.expr, nodes.Name):
            return None
        if attr.expr.name in ("self", "cls"):
            function = _enclosing_function(attr)
            if function is not None and isinstance(function.parent, nodes.ClassDef):
                return function.parent
            return None
        try:
            _, assigns = attr.expr.lookup(attr.expr.name)
        except Exception:  # pylint: disable=broad-exception-caught  # odd scopes
            return None
        if len(assigns) == 1 and isinstance(assigns[0], nodes.ClassDef):
            return assigns[0]
        return None

    def scope_bindings(self, scope: nodes.NodeNG) -> dict[str, frozenset[str]]:
        """name -> kinds for the names bound in one function, module or comprehension."""
        key = id(scope)
        if key in self._bindings:
            return self._bindings[key]
        found: dict[str, frozenset[str]] = {}
        self._bindings[key] = found          # partial answer while it is being worked out
        local_names = getattr(scope, "locals", {})
        for _ in range(2):                   # a second round sees names bound further down
            for name, assigns in local_names.items():
                for assign in assigns:
                    if isinstance(assign, nodes.AssignName):
                        kinds = self._assign_kinds(assign)
                        if kinds:
                            found[name] = found.get(name, _NOTHING) | kinds
            for node in _walk(scope, into_scopes=False):
                if (_method_call(node, "append") and isinstance(_receiver(node), nodes.Name)
                        and node.args and THREAD in self.kinds(node.args[0])):
                    name = _receiver(node).name
                    found[name] = found.get(name, _NOTHING) | {THREADS}
        return found

    def class_bindings(self, cls: nodes.ClassDef) -> dict[str, frozenset[str]]:
        """attribute -> kinds for ``self.x = ...`` in the methods and ``x = ...`` in the body."""
        key = id(cls)
        if key in self._class_bindings:
            return self._class_bindings[key]
        found: dict[str, frozenset[str]] = {}
        self._class_bindings[key] = found
        for name, kinds in self.scope_bindings(cls).items():
            found[name] = kinds
        for node in _walk(cls):
            if (isinstance(node, nodes.AssignAttr) and isinstance(node.expr, nodes.Name)
                    and node.expr.name == "self"
                    and isinstance(node.parent, (nodes.Assign, nodes.AnnAssign))
                    and node.parent.value is not None):
                kinds = self._value_kinds(node.parent.value)
                if kinds:
                    found[node.attrname] = found.get(node.attrname, _NOTHING) | kinds
        return found

    def _assign_kinds(self, assign: nodes.AssignName) -> frozenset[str]:
        """What a name holds from one binding: its value, annotation or loop."""
        value, iterable = _assigned_value(assign), _iterated(assign)
        kinds = self._value_kinds(value) if value is not None else _NOTHING
        kinds |= self.annotation_kinds(_annotation(assign))
        return kinds | (self._element_kinds(iterable) if iterable is not None else _NOTHING)

    def _element_kinds(self, iterable: nodes.NodeNG) -> frozenset[str]:
        """Kinds of the items of ``iterable`` (a thread when it is a list of threads)."""
        if (isinstance(iterable, nodes.Call) and isinstance(iterable.func, nodes.Name)
                and iterable.func.name in ("reversed", "list", "sorted", "tuple", "iter")
                and iterable.args):
            iterable = iterable.args[0]
        if isinstance(iterable, nodes.Subscript):
            iterable = iterable.value
        kinds = self._value_kinds(iterable)
        return frozenset({THREAD}) if THREADS in kinds else _NOTHING

    def _value_kinds(self, value: nodes.NodeNG) -> frozenset[str]:
        if isinstance(value, (nodes.List, nodes.Tuple, nodes.Set)):
            if any(THREAD in self.kinds(elt) for elt in value.elts):
                return frozenset({THREADS})
            return _NOTHING
        if isinstance(value, (nodes.ListComp, nodes.GeneratorExp, nodes.SetComp)):
            return frozenset({THREADS}) if THREAD in self.kinds(value.elt) else _NOTHING
        return self.kinds(value)

    def annotation_kinds(self, annotation: nodes.NodeNG | None) -> frozenset[str]:
        """Kinds from an annotation: ``threading.Thread``, ``list[Thread]``, ``X | None``."""
        if annotation is None:
            return _NOTHING
        if isinstance(annotation, nodes.BinOp) and annotation.op == "|":
            return self.annotation_kinds(annotation.left) | self.annotation_kinds(annotation.right)
        if isinstance(annotation, nodes.Subscript):
            outer = _tail(annotation.value)
            inner = self.annotation_kinds(annotation.slice)
            if outer in ("Optional",):
                return inner
            if outer in _CONTAINERS and THREAD in inner:
                return frozenset({THREADS})
            return _NOTHING
        return _CLASS_KINDS.get(self.qualname(annotation) or "", _NOTHING)


def _assigned_value(assign: nodes.AssignName) -> nodes.NodeNG | None:
    """``x`` in ``name = x``, ``name: T = x``, ``(name := x)``, ``with x as name``."""
    parent = assign.parent
    if isinstance(parent, (nodes.Assign, nodes.AnnAssign, nodes.NamedExpr)):
        return parent.value
    if isinstance(parent, (nodes.With, nodes.AsyncWith)):
        return next((expr for expr, target in parent.items if target is assign), None)
    return None


def _annotation(assign: nodes.AssignName) -> nodes.NodeNG | None:
    """The annotation of a parameter or of ``name: T = ...``."""
    parent = assign.parent
    if isinstance(parent, nodes.AnnAssign):
        return parent.annotation
    if isinstance(parent, nodes.Arguments):
        return _annotation_of(parent, assign)
    return None


def _iterated(assign: nodes.AssignName) -> nodes.NodeNG | None:
    """What ``for name in ...`` (or ``for i, name in enumerate(...)``) iterates over."""
    parent = assign.parent
    if isinstance(parent, (nodes.For, nodes.Comprehension)):
        return parent.iter if parent.target is assign else None
    loop = parent.parent if isinstance(parent, nodes.Tuple) else None
    if (isinstance(loop, nodes.For) and loop.target is parent and len(parent.elts) == 2
            and parent.elts[1] is assign and _calls(loop.iter, "enumerate")):
        return loop.iter.args[0]
    return None


def _calls(node: nodes.NodeNG, name: str) -> bool:
    """``node`` is ``name(arg, ...)`` with at least one argument."""
    return (isinstance(node, nodes.Call) and isinstance(node.func, nodes.Name)
            and node.func.name == name and bool(node.args))


def _imported_as(imp: nodes.Import | nodes.ImportFrom, name: str) -> str | None:
    for modname, asname in imp.names:
        if isinstance(imp, nodes.Import):
            if asname == name:
                return modname
            if asname is None and modname.split(".")[0] == name:
                return name
        elif not imp.level and modname == "*":
            return f"{imp.modname}.{name}"
        elif not imp.level and (asname or modname) == name:
            return f"{imp.modname}.{modname}"
    return None


def _annotation_of(arguments: nodes.Arguments, param: nodes.AssignName) -> nodes.NodeNG | None:
    for params, annotations in ((arguments.args, arguments.annotations),
                                (arguments.posonlyargs, arguments.posonlyargs_annotations),
                                (arguments.kwonlyargs, arguments.kwonlyargs_annotations)):
        for index, candidate in enumerate(params or ()):
            if candidate is param and annotations and index < len(annotations):
                return annotations[index]
    return None


# -- one run over one module ------------------------------------------------------


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


# -- the rules -----------------------------------------------------------------------


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


def _lookup(name: nodes.Name) -> list[nodes.NodeNG]:
    try:
        return list(name.lookup(name.name)[1])
    except Exception:  # pylint: disable=broad-exception-caught  # odd scopes
        return []


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


def _pooled(ctx: _Context, call: nodes.Call) -> bool:
    return bool(ctx.names.kinds(_receiver(call)) & {POOL, THREAD_POOL, EXECUTOR})


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


def _walk_with_self(stmt: nodes.NodeNG) -> Iterator[nodes.NodeNG]:
    yield stmt
    if not isinstance(stmt, _BARRIERS):
        yield from _walk(stmt, into_scopes=False)


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


def _uses(function: nodes.FunctionDef, name: str) -> list[nodes.Name]:
    """Every read of ``name`` in ``function``, nested scopes included."""
    return [n for n in _walk(function) if isinstance(n, nodes.Name) and n.name == name]


def _private_lock_use(use: nodes.Name, function: nodes.FunctionDef) -> bool:
    if use.frame() is not function:
        return False                     # a nested function shares it: it protects them
    parent = use.parent
    if isinstance(parent, (nodes.With, nodes.AsyncWith)):
        return any(expr is use for expr, _ in parent.items)
    return (isinstance(parent, nodes.Attribute) and isinstance(parent.parent, nodes.Call)
            and parent.parent.func is parent
            and parent.attrname in ("acquire", "release", "locked"))


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


def _check_pool_cleanup(ctx: _Context) -> None:
    """pool-without-cleanup: a process pool made in a function and left running."""
    for function in ctx.functions():
        for name, assign in _local_constructions(ctx, function, POOL):
            problem = _pool_problem(ctx, function, name)
            if problem:
                executor = EXECUTOR in ctx.names.kinds(assign.value)
                fix = (f"Use `with ... as {name}:` or call {name}.shutdown() before returning"
                       if executor else
                       f"Use `with ... as {name}:`, or call {name}.close() and then "
                       f"{name}.join() (or {name}.terminate()) before returning")
                ctx.emit("pool-without-cleanup", assign.value, name=name, problem=problem,
                         func=function.name, fix=fix, section="Higher Level API: ProcessPool")
    for call in ctx.of(nodes.Call):
        function = _enclosing_function(call)
        if (function is not None and isinstance(call.parent, nodes.Attribute)
                and call.parent.attrname not in ("__enter__", "terminate", "shutdown", "close")
                and POOL in ctx.names.kinds(call)):
            ctx.emit("pool-without-cleanup", call, name=_call_text(call),
                     problem="is never closed, joined or terminated", func=function.name,
                     fix="Create it with `with ... as pool:` and call the method on pool",
                     section="Higher Level API: ProcessPool")


def _pool_problem(ctx: _Context, function: nodes.FunctionDef, name: str) -> str | None:
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
    return "is never closed, joined or terminated"


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


RULES: tuple[Callable[[_Context], None], ...] = (
    _check_thread_targets, _check_pool_calls, _check_run_called, _check_start_join,
    _check_sequential_pool,
    _check_lock_acquire, _check_lock_per_use, _check_busy_wait, _check_coroutines,
    _check_unawaited, _check_pool_cleanup, _check_main_guard, _check_method_not_called,
    _check_split_update, _check_loops_closed,
)


def analyse(module: nodes.Module) -> list[tuple[nodes.NodeNG, str, dict[str, str]]]:
    """Run every rule on ``module``: (node, symbol, args), sorted by position.

    A rule that fails on strange code is skipped for this module; the others
    still report.
    """
    try:
        ctx = _Context(module)
    except Exception:  # pylint: disable=broad-exception-caught  # never crash on odd code
        return []
    for rule in RULES:
        try:
            rule(ctx)
        except Exception:  # pylint: disable=broad-exception-caught  # skip just this rule
            continue
    return sorted(ctx.found.values(),
                  key=lambda found: (_line(found[0]), found[0].col_offset or 0,
                                     SYMBOLS[found[1]]))


# -- the pylint side ---------------------------------------------------------------


class ConcurrencyChecker(BaseChecker):
    """Concurrency mistakes: threads, locks, events, process pools, asyncio."""

    name = "concurrency"
    msgs = MESSAGES

    def visit_module(self, node: nodes.Module) -> None:
        """All rules work on the whole module at once."""
        for found, symbol, args in analyse(node):
            self.add_message(symbol, node=found, args=args)


def register(linter: PyLinter) -> None:
    """Entry point for ``pylint --load-plugins=grader.pylint_concurrency``."""
    linter.register_checker(ConcurrencyChecker(linter))


# -- the grader side ---------------------------------------------------------------


def check_source(source: str, name: str = "module") -> list[Finding]:
    """This checker's findings for one file, sorted by line; [] if it does not parse."""
    manager = astroid.MANAGER
    if name in sys.stdlib_module_names or name in manager.astroid_cache:
        name = f"_concurrency_lint_.{name}"      # never shadow a real module for inference
    try:
        module = astroid.parse(source, module_name=name)
    except Exception:  # pylint: disable=broad-exception-caught  # any unparsable input
        return []
    try:
        return [Finding(line=_line(node), symbol=symbol, msgid=SYMBOLS[symbol],
                        text=MESSAGES[SYMBOLS[symbol]][0] % args)
                for node, symbol, args in analyse(module)]
    finally:
        if manager.astroid_cache.get(name) is module:
            del manager.astroid_cache[name]
