"""Name resolution: what the names in one module stand for, from the source alone.

``_Resolver.qualname`` turns ``mp.Pool`` into ``multiprocessing.Pool`` through
the module's imports; ``_Resolver.kinds`` says what a name holds (a thread, a
pool, a lock, a condition, a list of processes, a multiprocessing queue...)
from what it was assigned, its annotation or the loop it comes from. The kinds
are the constants below.
"""

from __future__ import annotations

from astroid import nodes

from grader.pylint_concurrency.tree import (
    _enclosing_function,
    _method_call,
    _receiver,
    _tail,
    _walk,
)


THREAD, PROCESS, THREADS, POOL, EXECUTOR, THREAD_POOL = (
    "thread", "process", "threads", "pool", "executor", "thread-pool")
LOCK, FUTURE, ASYNC_RESULT = "lock", "future", "async-result"
# a list of processes is also a list of threads (THREADS): start/join rules see both
CONDITION, PROCESSES, MP_QUEUE = "condition", "processes", "multiprocessing-queue"
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
    "threading.Condition": frozenset({LOCK, CONDITION}),
    "multiprocessing.Condition": frozenset({LOCK, CONDITION}),
    "asyncio.Condition": frozenset({CONDITION}),
    "asyncio.locks.Condition": frozenset({CONDITION}),
    # queues whose put() hands the data to a feeder thread or a pipe: Manager().Queue() is not
    **{f"multiprocessing{module}.{name}": frozenset({MP_QUEUE})
       for module in ("", ".queues") for name in ("Queue", "JoinableQueue", "SimpleQueue")},
}
_CONTAINERS = frozenset({"list", "List", "Sequence", "Iterable", "tuple", "set"})


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
        if isinstance(expr, nodes.Subscript):
            return _items_of(self.kinds(expr.value))
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
        if method == "pop":
            return _items_of(receiver)
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
                        and node.args):
                    added = _collection_of([self.kinds(node.args[0])])
                    if added:
                        name = _receiver(node).name
                        found[name] = found.get(name, _NOTHING) | added
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
        return _items_of(self._value_kinds(iterable))

    def _value_kinds(self, value: nodes.NodeNG) -> frozenset[str]:
        if isinstance(value, (nodes.List, nodes.Tuple, nodes.Set)):
            return _collection_of([self.kinds(elt) for elt in value.elts])
        if isinstance(value, (nodes.ListComp, nodes.GeneratorExp, nodes.SetComp)):
            return _collection_of([self.kinds(value.elt)])
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
            return _collection_of([inner]) if outer in _CONTAINERS else _NOTHING
        return _CLASS_KINDS.get(self.qualname(annotation) or "", _NOTHING)


def _collection_of(items: list[frozenset[str]]) -> frozenset[str]:
    """A collection holding items of these kinds: threads, and processes if all threads are."""
    threads = [kinds for kinds in items if THREAD in kinds]
    if not threads:
        return _NOTHING
    if all(PROCESS in kinds for kinds in threads):
        return frozenset({THREADS, PROCESSES})
    return frozenset({THREADS})


def _items_of(kinds: frozenset[str]) -> frozenset[str]:
    """What one item of a collection of ``kinds`` is: a thread, maybe a process."""
    if THREADS not in kinds:
        return _NOTHING
    return frozenset({THREAD, PROCESS}) if PROCESSES in kinds else frozenset({THREAD})


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
