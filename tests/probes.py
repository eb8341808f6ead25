"""Instruments the tests hand to student code, and small helpers to use them.

The tests own the ``out`` callables, Events, counters and task functions they
pass in; these classes record what the student's code did with them (which
thread called, when, how often it polled) so that tests can check behaviour
deterministically instead of hoping a race shows up. Shared state is guarded
by locks: the tests must stay correct without a GIL too.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import os
import sys
import threading
import time
import types
from typing import Any, Callable, TypeVar

import pytest

# The real time.sleep, taken before any SleepSpy replaces it: the probes' own
# pauses (and the tests' ones inside student threads) must stay real sleeps
# when a test makes the student's sleeps no-ops.
real_sleep = time.sleep


def fail(message: str) -> None:
    """Fail the current test with a message written for the learner."""
    pytest.fail(message, pytrace=False)


def expect(condition: object, message: str) -> None:
    """Fail with ``message`` unless ``condition`` holds."""
    if not condition:
        fail(message)


Measured = TypeVar("Measured")


def on_time(measure: Callable[[], Measured], in_time: Callable[[Measured], bool],
            attempts: int = 2, unless_over: float | None = None) -> Measured:
    """``measure()``, measured once more when its timing missed (``attempts`` in all).

    Only for a threshold set against the wrong solution's floor (TESTING.md,
    section 3): a loaded machine can make a correct solution late once, but it
    never makes a wrong one early, so a miss that repeats is the code's. A miss
    whose measurement itself took over ``unless_over`` seconds is far past
    anything load explains: it is returned at once, so a blocking solution
    does not pay its long waits twice. The last measurement is returned, for
    the test to judge as before.
    """
    for _ in range(attempts - 1):
        started = time.monotonic()
        result = measure()
        if in_time(result) or (unless_over is not None
                               and time.monotonic() - started > unless_over):
            return result
    return measure()


def plural(n: int, word: str) -> str:
    """``3 lines`` / ``1 line``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclasses.dataclass
class Call:
    """One call of a recorder: the value, the calling thread, the time."""

    value: Any
    thread: int
    at: float


class Recorder:
    """A thread-safe ``out`` callable that remembers every call.

    ``on_call(index, value)`` runs inside each call (in the caller's thread),
    so a test can act at an exact point of the student's sequence, e.g. set
    ``stop`` as the second line is emitted.
    """

    def __init__(self, on_call: Callable[[int, Any], None] | None = None) -> None:
        self._lock = threading.Lock()
        self.calls: list[Call] = []
        self.on_call = on_call
        self.some = threading.Event()      # set at the first call

    def __call__(self, value: Any) -> None:
        with self._lock:
            index = len(self.calls)
            self.calls.append(Call(value, threading.get_ident(), time.monotonic()))
        self.some.set()
        if self.on_call is not None:
            self.on_call(index, value)

    @property
    def values(self) -> list:
        """The values passed so far, in call order."""
        with self._lock:
            return [c.value for c in self.calls]

    @property
    def threads(self) -> set[int]:
        """The idents of the threads that made the calls so far."""
        with self._lock:
            return {c.thread for c in self.calls}

    def wait_for(self, count: int, timeout: float, call: "Background | None" = None) -> bool:
        """Wait (politely) until ``count`` calls were made; False on timeout.

        Gives up early when the background ``call`` has already returned.
        """
        deadline = time.monotonic() + timeout
        while len(self.calls) < count:
            if time.monotonic() > deadline or (call is not None and call.done):
                return len(self.calls) >= count
            real_sleep(0.005)
        return True


class CountingEvent(threading.Event):
    """An Event that counts how it is asked: ``is_set()`` polls vs ``wait()``s, per thread.

    It also notes every ``clear()`` made by a thread other than the one that
    created it: code handed an Event must not change it. With ``fast_timeouts``
    a ``wait(timeout)`` gives up after 0.02 s at most, as if its time had run
    out: for code that must wait until the Event is set, a timed wait that
    returns False is only a reason to wait again, so right code never notices,
    and code that takes the False for the Event shows it at once, whatever
    timeout it chose.
    """

    def __init__(self, fast_timeouts: bool = False) -> None:
        super().__init__()
        self.fast_timeouts = fast_timeouts
        self._count_lock = threading.Lock()
        self._owner = threading.current_thread()
        self.is_set_calls = 0
        self.waiting = 0           # threads inside wait() right now
        self.wait_calls = 0
        self.is_set_by: dict[threading.Thread, int] = {}
        self.wait_by: dict[threading.Thread, int] = {}
        self.cleared_by: list[threading.Thread] = []

    def is_set(self) -> bool:
        me = threading.current_thread()
        with self._count_lock:
            self.is_set_calls += 1
            self.is_set_by[me] = self.is_set_by.get(me, 0) + 1
        return super().is_set()

    def wait(self, timeout: float | None = None) -> bool:
        me = threading.current_thread()
        with self._count_lock:
            self.wait_calls += 1
            self.wait_by[me] = self.wait_by.get(me, 0) + 1
            self.waiting += 1
        if timeout is not None and self.fast_timeouts:
            timeout = min(timeout, 0.02)
        try:
            return super().wait(timeout)
        finally:
            with self._count_lock:
                self.waiting -= 1

    def clear(self) -> None:
        me = threading.current_thread()
        if me is not self._owner:
            with self._count_lock:
                self.cleared_by.append(me)
        super().clear()


@dataclasses.dataclass
class Outcome:
    """What happened to a call run in a helper thread."""

    finished: bool
    value: Any = None
    error: BaseException | None = None
    elapsed: float = 0.0
    thread: threading.Thread | None = None


def call_in_thread(func: Callable[..., Any], *args: Any, timeout: float,
                   **kwargs: Any) -> Outcome:
    """Run ``func`` in a daemon thread; give up waiting after ``timeout`` s.

    A student's call that blocks forever then costs ``timeout``, not the test.
    """
    box: dict[str, Any] = {}

    def target() -> None:
        start = time.monotonic()
        try:
            box["value"] = func(*args, **kwargs)
        except BaseException as exc:  # pylint: disable=broad-exception-caught
            box["error"] = exc
        box["elapsed"] = time.monotonic() - start

    thread = threading.Thread(target=target, daemon=True, name="kit-probe")
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        return Outcome(False, elapsed=timeout, thread=thread)
    return Outcome(True, box.get("value"), box.get("error"), box["elapsed"], thread)


class SleepSpy:
    """Replace ``time.sleep`` (and the module's own name for it) while active.

    Every call is recorded with its thread and whether an event loop was
    running in that thread, then the real sleep happens - unless ``skip`` is
    set: then a sleep in any thread the code under test started returns at
    once. Tests of ordering use ``skip`` so a solution that orders its threads
    with sleeps has no order at all and fails every time, instead of passing
    whenever the machine happens to be idle; code that orders with Events or
    locks never notices. The thread that calls the code (the test's own, or a
    ``Background``'s) keeps real sleeps: waiting there for the threads to end
    by polling ``is_alive()`` is slow but right. A student who wrote
    ``from time import sleep`` is covered by also patching the module's globals.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *modules: Any,
                 skip: bool = False) -> None:
        self._lock = threading.Lock()
        self.calls: list[tuple[int, float, bool]] = []
        real = real_sleep
        home = threading.get_ident()

        def spared() -> bool:
            return (threading.get_ident() == home
                    or getattr(threading.current_thread(), "kit_caller", False))

        def spy(seconds: float) -> None:
            try:
                asyncio.get_running_loop()
                in_loop = True
            except RuntimeError:
                in_loop = False
            with self._lock:
                self.calls.append((threading.get_ident(), seconds, in_loop))
            if not skip or spared():
                real(seconds)

        monkeypatch.setattr(time, "sleep", spy)
        for module in modules:
            for name, value in list(vars(module).items()):
                if value is real:
                    monkeypatch.setattr(module, name, spy)

    def in_loop(self) -> list[float]:
        """Durations of the sleeps made while an event loop was running."""
        with self._lock:
            return [seconds for _, seconds, in_loop in self.calls if in_loop]

    def by_threads(self, idents: set[int]) -> list[float]:
        """Durations of the sleeps made by the given threads."""
        with self._lock:
            return [seconds for ident, seconds, _ in self.calls if ident in idents]

    def skipped_note(self, idents: set[int]) -> str:
        """A sentence for a failure message when the given threads slept in a skipping spy."""
        sleeps = len(self.by_threads(idents))
        if not sleeps:
            return ""
        return (f" Your threads called time.sleep {plural(sleeps, 'time')}; this test makes "
                "sleeps return at once, so only Events (or locks) can order the lines.")


class _ModuleView(types.ModuleType):
    """A module as the student's module sees it: a few names replaced, the rest the real ones."""

    kit_real: Any = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.kit_real, name)


def module_view(real: Any, **names: Any) -> types.ModuleType:
    """A stand-in for module ``real`` whose ``names`` are replaced (instruments put there)."""
    view = _ModuleView(real.__name__)
    view.kit_real = real
    for name, value in names.items():
        setattr(view, name, value)
    return view


class AsyncSleepSpy:
    """Record the delays the module's own code asks ``asyncio.sleep`` for.

    Only the module's names are replaced (its ``asyncio`` and any name bound
    to ``asyncio.sleep``): the awaitables a test hands in sleep as usual. A
    coroutine that polls in long sleeps cannot notice a result or a deadline
    for that long, however lightly it loads the loop.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch, module: Any) -> None:
        self.delays: list[float] = []
        real = asyncio.sleep

        async def sleep(delay: float, result: Any = None) -> Any:
            self.delays.append(delay)
            return await real(delay, result)

        view = module_view(asyncio, sleep=sleep)
        for name, value in list(vars(module).items()):
            if value is asyncio:
                monkeypatch.setattr(module, name, view)
            elif value is real:
                monkeypatch.setattr(module, name, sleep)


def describe_exception(exc: BaseException) -> str:
    """``ValueError('boom')`` with the student's file and line when known."""
    where = ""
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not filename.startswith(sys.prefix) and "/tests/" not in filename:
            where = f" (at {filename.rsplit('/', 1)[-1]} line {tb.tb_lineno})"
        tb = tb.tb_next
    return f"{type(exc).__name__}({exc})"[:200] + where


class ReturnGate:
    """Hold the returns of the functions a test hands in until the code under test returned.

    A call made through ``call`` sets the gate when it returns or raises; a
    function made by ``wrap`` finishes only then, or after ``hold`` seconds.
    Code that does not join its threads then reads their results before any
    is there, every time, instead of whenever its threads were quicker than
    its return; code that joins waits out ``hold`` once.
    """

    def __init__(self, hold: float = 0.25) -> None:
        self.hold = hold
        self.returned = threading.Event()

    def wait(self) -> None:
        """Hold the calling thread until the gate is set, or for ``hold`` seconds."""
        self.returned.wait(self.hold)

    def wrap(self, func: Callable[..., Any],
             order: list[tuple] | None = None) -> Callable[..., Any]:
        """``func``, whose return (or exception) waits for the gate.

        With ``order`` (the calls' args, in the order they must finish), the
        held calls are also let go one by one in that order: waking them all
        at once would make their order of completion random, and so the
        verdict on code that keeps results in completion order.
        """
        let_go = [threading.Event() for _ in order or ()]

        def held(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            finally:
                self.wait()
                if order is not None and args in order:
                    place = order.index(args)
                    if place:
                        let_go[place - 1].wait(self.hold)
                    let_go[place].set()
        return held

    def call(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``func(*args, **kwargs)``, setting the gate as it returns or raises."""
        try:
            return func(*args, **kwargs)
        finally:
            self.returned.set()


# A call the test waits for is *hopeless* when every other thread of the test
# process has sat in the same wait with no time limit (a threading Condition,
# Event, Queue, Semaphore or Barrier wait, or a join) for HOPELESS seconds, and
# the process has no child: only the test's own thread could wake one of them,
# and it is waiting for the call. The wait then ends at once instead of at its
# timeout, so a deadlocked submission costs a second a test, not the topic's
# whole time limit. A thread anywhere else - sleeping, computing, in a timed
# wait, a lock acquire or an I/O call - keeps the call hopeful.
HOPELESS = 1.0


def current_frames() -> dict[int, types.FrameType]:
    """``sys._current_frames()`` that cannot deadlock the test process.

    On CPython 3.11 it makes frame objects while holding the interpreter's
    thread-list lock; a garbage collection started by one of them may free a
    ``threading.local`` (ours or the student's), which takes the same lock:
    the process hangs for good (CPython issue 106883, fixed in 3.12). No
    collection can start while the collector is off.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return sys._current_frames()  # pylint: disable=protected-access
    finally:
        if enabled:
            gc.enable()


def code_stack(thread: threading.Thread) -> list[types.CodeType]:
    """The code of each frame ``thread`` runs now, innermost first (empty when it does not run)."""
    codes = []
    frame = current_frames().get(thread.ident)
    while frame is not None:
        codes.append(frame.f_code)
        frame = frame.f_back
    return codes


def _untimed_wait(frame: types.FrameType) -> object | None:
    """What the thread at ``frame`` waits on when it waits with no time limit, else None."""
    code = frame.f_code
    if code.co_filename != threading.__file__:
        return None
    local = frame.f_locals
    if code.co_name == "wait" and "waiter" in local and local.get("timeout", 0) is None:
        return local["waiter"]                          # Condition.wait(): a fresh lock each time
    if code.co_name == "_wait_for_tstate_lock" and local.get("block") is True \
            and local.get("timeout") == -1:
        return local.get("self")                        # join() with no timeout (3.11, 3.12)
    if code.co_name == "join" and "timeout" in local and local["timeout"] is None \
            and isinstance(local.get("self"), threading.Thread):
        return local["self"]                            # join() with no timeout (3.13)
    return None


def _has_children() -> bool:
    """Whether this process has a child process; True when /proc cannot say."""
    try:
        for task in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{task}/children", encoding="ascii") as children:
                if children.read().strip():
                    return True
    except OSError:
        return True
    return False


def waits_forever() -> frozenset[tuple[int, int]] | None:
    """Each other thread and the wait it sits in, when all wait with no time limit.

    None when any thread other than the caller's may still move (or the
    process has a child, or there is no other thread).
    """
    me = threading.get_ident()
    found = []
    for ident, frame in current_frames().items():
        if ident == me:
            continue
        waiting_on = _untimed_wait(frame)
        if waiting_on is None:
            return None
        found.append((ident, id(waiting_on)))
    if not found or _has_children():
        return None
    return frozenset(found)


class Background:
    """Start ``func`` in a daemon thread now; look at its outcome later."""

    def __init__(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self.value: Any = None
        self.error: BaseException | None = None
        self.ended_at: float | None = None
        self.hopeless = False           # see HOPELESS: found waiting for what never comes
        self.started_at = time.monotonic()

        def target() -> None:
            try:
                self.value = func(*args, **kwargs)
            except BaseException as exc:  # pylint: disable=broad-exception-caught
                self.error = exc
            self.ended_at = time.monotonic()

        self.thread = threading.Thread(target=target, daemon=True, name="kit-background")
        self.thread.kit_caller = True       # SleepSpy(skip=True) spares its sleeps
        self.thread.start()

    @property
    def done(self) -> bool:
        """True once the call has returned or raised."""
        return self.ended_at is not None

    def result(self) -> Any:
        """The call's return value; re-raises what the call raised."""
        if self.error is not None:
            raise self.error
        return self.value

    def finished_within(self, timeout: float) -> bool:
        """Join for at most ``timeout`` seconds; True when the call has returned.

        Stops waiting sooner, with ``hopeless`` set, when every other thread
        waits for what no thread will ever do (see HOPELESS). A stub's
        NotImplementedError is re-raised at once: nothing else about the call
        is worth reporting.
        """
        deadline = time.monotonic() + timeout
        still, since = None, 0.0
        while self.thread.is_alive():
            left = deadline - time.monotonic()
            if left <= 0:
                break
            self.thread.join(min(0.05, left))
            waits = waits_forever() if self.thread.is_alive() else None
            if waits is None or waits != still:
                still, since = waits, time.monotonic()
            elif time.monotonic() - since >= HOPELESS:
                self.hopeless = True
                break
        if isinstance(self.error, NotImplementedError):
            raise self.error
        return not self.thread.is_alive()


def not_returned(call: Background, timeout: float) -> str:
    """Why the test stopped waiting for ``call``, for a message."""
    if call.hopeless:
        return ("never returns: each of its threads waits, with no time limit, for "
                "another that waits too")
    return f"did not return within {timeout:g} s"


def outcome(call: Background) -> str:
    """How a background call ended, for a message: 'raised X' / 'returned 3' / ..."""
    if not call.done:
        return "is still running"
    if call.error is not None:
        return f"raised {describe_exception(call.error)}"
    return f"returned {call.value!r}"


class ThreadEndings:
    """Make the threads that call ``mark()`` end slowly, and count those that ended.

    ``mark()`` plants an object in a thread-local whose destructor runs as the
    thread is being torn down - after the student's code in it has returned,
    before ``join()`` on it returns - and sleeps ``linger`` seconds there. A
    caller that returns without joining finds the threads not yet ended.
    """

    def __init__(self, linger: float = 0.15) -> None:
        self._local = threading.local()
        self._lock = threading.Lock()
        self.linger = linger
        self.started = 0
        self.ended = 0

    def mark(self) -> None:
        """Count the calling thread as started and make its end linger."""
        with self._lock:
            self.started += 1
        self._local.guard = _Lingerer(self)

    def _ended(self) -> None:
        with self._lock:
            self.ended += 1

    @property
    def still_running(self) -> int:
        """How many marked threads have not been torn down yet."""
        with self._lock:
            return self.started - self.ended


class _Lingerer:  # pylint: disable=too-few-public-methods
    def __init__(self, owner: ThreadEndings) -> None:
        self._owner = owner

    def __del__(self) -> None:
        real_sleep(self._owner.linger)
        self._owner._ended()  # pylint: disable=protected-access


class AsyncRendezvous:
    """Coroutines that go on only once all ``n`` are running, and end in reverse."""

    def __init__(self, n: int, limit: float = 0.5) -> None:
        self.n, self.limit = n, limit
        self.started: list[int] = []
        self.alone: list[int] = []
        self.finished: list[int] = []
        self._all_in: asyncio.Event | None = None
        self._done: list[asyncio.Event] = []

    async def part(self, i: int) -> str:
        """Coroutine ``i``: wait for all ``n`` to start, then for part i+1 to end first."""
        if self._all_in is None:
            self._all_in = asyncio.Event()
            self._done = [asyncio.Event() for _ in range(self.n + 1)]
            self._done[self.n].set()
        self.started.append(i)
        if len(self.started) == self.n:
            self._all_in.set()
        try:
            await asyncio.wait_for(self._all_in.wait(), self.limit)
        except asyncio.TimeoutError:
            self.alone.append(i)
        try:                            # part i ends after part i+1
            await asyncio.wait_for(self._done[i + 1].wait(), self.limit)
        except asyncio.TimeoutError:
            pass
        self.finished.append(i)
        self._done[i].set()
        return f"result {i}"


def slowed(counter_class, schedule: Any = None):
    """A subclass whose ``value`` reads and writes pause, as a thread switch would.

    On CPython the GIL rarely switches threads inside ``self.value += 1``, so an
    unlocked counter looks correct; ``time.sleep(0)`` in the getter and setter
    opens the read-9 / read-9 / write-10 window the lecture describes. With a
    ``schedule.Schedule``, each read is also reported to it (``on_read``), so a
    schedule that paired two threads creating their locks at once can make
    them both read before either writes.
    """

    class Slowed(counter_class):
        """``counter_class`` with a thread switch offered at each read and write of value."""

        @property
        def value(self):
            """The counter's value, read after a pause that lets another thread run."""
            real_sleep(0)
            value = self.__dict__.get("_slowed_value", 0)
            if schedule is not None:
                schedule.on_read()
            return value

        @value.setter
        def value(self, new):
            real_sleep(0)
            self.__dict__["_slowed_value"] = new

    return Slowed


def run_script(target: Any, code: str, timeout: float = 20.0) -> tuple[str, str, int | None]:
    """Run ``code`` in a fresh interpreter with ``target`` first on sys.path.

    Returns (stdout, stderr, exit status; None when it had to be killed after
    ``timeout`` s). For what only a process of its own shows: what importing a
    module does, and whether threads outlive the main thread. Output goes to
    files, not pipes, so a child the code forked and left holding them cannot
    keep this waiting; the process group is killed on the way out.
    """
    import subprocess  # pylint: disable=import-outside-toplevel
    import tempfile  # pylint: disable=import-outside-toplevel
    env = {key: value for key, value in os.environ.items() if key != "PYTHONSTARTUP"}
    env["PYTHONPATH"] = str(target)
    env["PYTHONUNBUFFERED"] = "1"
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        with subprocess.Popen([sys.executable, "-c", code], stdout=out, stderr=err,
                              env=env, cwd=str(target), start_new_session=True) as process:
            try:
                status: int | None = process.wait(timeout)
            except subprocess.TimeoutExpired:
                status = None
            finally:
                try:
                    os.killpg(process.pid, 9)
                except OSError:
                    pass
                process.kill()
        texts = []
        for stream in (out, err):        # the first and the last 100 kB of each
            size = stream.seek(0, 2)
            stream.seek(0)
            head = stream.read(100_000)
            stream.seek(max(len(head), size - 100_000))
            texts.append((head + b"\n" + stream.read()).decode(errors="replace"))
    return texts[0], texts[1], status


IMPORT_REPORT = """
import asyncio, io, json, multiprocessing.process, os, sys, threading
starts = []
real_fork = os.fork
def fork():
    starts.append("fork")
    return real_fork()
os.fork = fork
PID = os.getpid()
for cls in (threading.Thread, multiprocessing.process.BaseProcess):
    real = cls.start
    def start(self, _real=real):
        starts.append(type(self).__name__)
        return _real(self)
    cls.start = start
loops = []
real_run_forever = asyncio.BaseEventLoop.run_forever
def run_forever(self):
    loops.append(1)
    return real_run_forever(self)
asyncio.BaseEventLoop.run_forever = run_forever
out, err = io.StringIO(), io.StringIO()
sys.stdout, sys.stderr = out, err
problem = ""
try:
    import {name}
except BaseException as exc:
    problem = type(exc).__name__
sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
if os.getpid() == PID:
    print("\\nKIT-REPORT " + json.dumps({{"out": out.getvalue()[:300],
          "err": err.getvalue()[:300], "starts": starts, "loops": len(loops),
          "problem": problem}}), flush=True)
os._exit(0)
"""


def check_silent_import(target: Any, name: str, smoke: Callable[[], Any]) -> None:
    """Fail unless importing ``name`` prints nothing and starts no thread, process or loop.

    ``smoke`` first makes one cheap call of the module: a stub, silent because
    it does nothing yet, earns no point here.
    """
    import json  # pylint: disable=import-outside-toplevel
    call = Background(smoke)        # a call that hangs is no stub's: go on to the import
    if call.finished_within(5.0):
        call.result()
    stdout, stderr, status = run_script(target, IMPORT_REPORT.format(name=name))
    lines = [line[len("KIT-REPORT "):] for line in stdout.splitlines()
             if line.startswith("KIT-REPORT ")]
    if status is None or not lines:
        fail(f"importing {name}.py did not finish within 20 s (or printed nothing we could "
             f"read: {stderr[-200:]!r}): a module must only define things when imported. "
             "Put demo code under `if __name__ == \"__main__\":`.")
    report = json.loads(lines[-1])
    what = []
    if report["out"] or report["err"]:
        what.append(f"printed {(report['out'] or report['err'])[:80]!r}")
    if report["starts"]:
        what.append(f"started {plural(len(report['starts']), 'thread or process')}")
    if report["loops"]:
        what.append("ran an event loop")
    if report["problem"]:
        what.append(f"raised {report['problem']}")
    expect(not what, f"importing {name}.py {' and '.join(what)}: importing a topic module "
           "must be silent and start nothing. Put demo code under "
           "`if __name__ == \"__main__\":`.")
