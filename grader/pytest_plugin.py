"""pytest plugin of the grader: records each test's outcome on a private, signed channel.

Loaded with ``-p grader.pytest_plugin --results-fd W --key-fd K``. At start-up,
before any student code is imported, it reads a fresh secret key from fd K
and closes it. Every collected test and every outcome then goes to the pipe
W as one JSON line signed with that key (HMAC-SHA256), flushed at once: a
crash or a kill loses nothing already decided, and lines forged by the code
under test are recognised and ignored.

A test counts as passed only if its own body ran to its end: each test
function is wrapped at collection so that a completion mark is made after
its last statement, in a closure the tested code cannot name. And the
objects pytest and the tests rely on (``pytest.fail``, the runner's
functions, the probes, builtins) are compared after each test with what
they were before any student code ran: if anything was replaced, the test
fails and the run is flagged. Patching pytest therefore never raises a score.
"""

from __future__ import annotations

import builtins
import functools
import json
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any, Callable

import pytest

from grader.channel import STALL_SIGNAL, Status, sign

__all__ = ["learner_message"]

STUB_MESSAGE = ("{func} is still a stub: replace `raise NotImplementedError` in "
                "{file} with your code")
TIMEOUT_MESSAGE = ("the test did not finish within its time limit{where}: something waits "
                   "forever - a join() on a thread that never ends, a wait() on an "
                   "Event nobody sets, or a get() without timeout?")
STALL_MESSAGE = ("the test was stopped: every thread was waiting with no time limit and "
                 "none could wake another{where}, so that wait could never end. A join() "
                 "on a thread that waits for this one, a lock taken twice or in opposite "
                 "orders, a get() on a queue nobody fills, a wait() on an Event nobody sets?")
STALLED = "Stalled: every thread waited with no time limit"
UNFINISHED_MESSAGE = ("the test's body did not run to its end although it was reported "
                      "as passed: something interfered with the test run")
TAMPER_MESSAGE = "the code under test replaced {what}: this test cannot be trusted"


def pytest_addoption(parser: pytest.Parser) -> None:
    """The two descriptors the runner passes: where results go, where the key comes from."""
    group = parser.getgroup("grader")
    group.addoption("--results-fd", type=int, default=None,
                    help="write signed JSON lines of results to this file descriptor")
    group.addoption("--key-fd", type=int, default=None,
                    help="read the signing key from this file descriptor, then close it")
    group.addoption("--lint-file", default=None,
                    help="send the static concurrency checks' findings on this file first")


class _Channel:
    """Signed JSON lines to the grader's pipe; state kept out of module globals."""

    def __init__(self, fd: int, key: bytes) -> None:
        self._fd = fd
        self._key = key
        self._lock = threading.Lock()

    def write(self, record: dict[str, Any]) -> None:
        """Send ``record`` as one signed line, whole even when threads write at once."""
        payload = json.dumps(record)
        line = f"{payload}\t{sign(self._key, payload)}\n".encode()
        with self._lock:
            try:
                os.write(self._fd, line)
            except OSError:
                pass


def pytest_configure(config: pytest.Config) -> None:
    """Read the key, open the channel and register the recorder before any student code runs."""
    config.addinivalue_line("markers", "points(n): points this test is worth (default 1)")
    config.addinivalue_line("markers", "concept(key): the idea of topics.toml this test checks")
    config.addinivalue_line("markers", "alone: needs the machine's cores to itself; the grader "
                                       "runs it with no other grading beside it")
    channel = None
    results_fd = config.getoption("--results-fd")
    key_fd = config.getoption("--key-fd")
    if results_fd is not None and key_fd is not None:
        with os.fdopen(key_fd, "rb") as handle:
            key = bytes.fromhex(handle.read().decode().strip())
        channel = _Channel(results_fd, key)
        lint_file = config.getoption("--lint-file")
        if lint_file:
            channel.write({"event": "lint", "findings": _lint(Path(lint_file))})
        # The grader's stall watcher (grader.stall) signals when nothing in the run can move.
        signal.signal(STALL_SIGNAL, _stalled)
    config.pluginmanager.register(_Recorder(channel), "kit-recorder")


def _stalled(_signum: int, _frame: object) -> None:
    """Fail what runs now: every thread waits for another, and none ever will move."""
    __tracebackhide__ = True  # pylint: disable=unused-variable
    pytest.fail(STALLED, pytrace=False)


def _lint(path: Path) -> list[str]:
    """The concurrency checker's findings on ``path``, read before anything imports it.

    Done here, inside the confined test process and before any student code
    runs, so hostile source costs only this run's limits and cannot alter what
    is reported. Without pylint installed there is simply no static feedback.
    """
    try:
        from grader import pylint_concurrency  # pylint: disable=import-outside-toplevel
    except ImportError:
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    found = pylint_concurrency.check_source(text, path.stem)
    return [pylint_concurrency.format_finding(f) for f in found]


def _watched() -> dict[str, Callable[[], Any]]:
    """What the tests' verdicts depend on, by name."""
    import _pytest.python  # pylint: disable=import-outside-toplevel
    import _pytest.reports  # pylint: disable=import-outside-toplevel
    import _pytest.runner  # pylint: disable=import-outside-toplevel
    watched: dict[str, Callable[[], Any]] = {
        "pytest.fail": lambda: pytest.fail,
        "pytest.skip": lambda: pytest.skip,
        "pytest.raises": lambda: pytest.raises,
        "Function.runtest": lambda: _pytest.python.Function.runtest,
        "Function.obj": lambda: _pytest.python.Function.__dict__.get("obj"),
        "pytest_pyfunc_call": lambda: _pytest.python.pytest_pyfunc_call,
        "runner.call_and_report": lambda: _pytest.runner.call_and_report,
        # Only older pytest has it (9.x does not); _snapshot skips what this pytest lacks.
        "runner.call_runtest_hook":
            lambda: _pytest.runner.call_runtest_hook,  # pylint: disable=no-member
        "CallInfo.from_call": lambda: _pytest.runner.CallInfo.__dict__.get("from_call"),
        "TestReport.from_item_and_call":
            lambda: _pytest.reports.TestReport.__dict__.get("from_item_and_call"),
        "TestReport.passed": lambda: _pytest.reports.BaseReport.__dict__.get("passed"),
        "grader plugin": lambda: sys.modules.get(__name__),
    }
    for name in dir(builtins):
        watched[f"builtins.{name}"] = functools.partial(getattr, builtins, name, None)
    for module_name, module in _test_helpers():
        for name, value in vars(module).items():
            if callable(value) and not name.startswith("__"):
                watched[f"{module_name}.{name}"] = functools.partial(
                    lambda m, n: vars(m).get(n), module, name)
    return watched


def _test_helpers() -> list[tuple[str, Any]]:
    """The tests' helper modules imported so far: from the tests' folder, not test files."""
    found = []
    for name, module in list(sys.modules.items()):
        where = getattr(module, "__file__", None) or ""
        if (Path(where).parent.name == "tests" and not name.startswith("test_")
                and name != "conftest" and "." not in name):
            found.append((name, module))
    return sorted(found, key=lambda item: item[0])


def _snapshot() -> dict[str, tuple[Callable[[], Any], Any]]:
    snapshot = {}
    for name, getter in _watched().items():
        try:
            snapshot[name] = (getter, getter())
        except Exception:  # pylint: disable=broad-exception-caught
            continue
    return snapshot


def _replaced(baseline: dict[str, tuple[Callable[[], Any], Any]]) -> list[str]:
    changed = []
    for name, (getter, value) in baseline.items():
        try:
            if getter() is not value:
                changed.append(name)
        except Exception:  # pylint: disable=broad-exception-caught
            changed.append(name)
    return changed


def points_of(item: pytest.Item) -> float:
    """Points of a test, from its ``points`` marker (1 by default)."""
    marker = item.get_closest_marker("points")
    return float(marker.args[0]) if marker and marker.args else 1.0


def _completion_guard(func: Callable[..., Any], nodeid: str,
                      finished: set[str]) -> Callable[..., Any]:
    @functools.wraps(func)
    def run_to_the_end(*args: Any, **kwargs: Any) -> Any:
        result = func(*args, **kwargs)
        finished.add(nodeid)
        return result
    return run_to_the_end


def learner_message(excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    """Turn a failure into one sentence a learner can act on."""
    exc = excinfo.value
    if isinstance(exc, pytest.fail.Exception):
        text = str(exc.msg if hasattr(exc, "msg") else exc)
        if text.startswith("Timeout"):
            return TIMEOUT_MESSAGE.format(where=_waiting_at(excinfo))
        if text.startswith(STALLED):
            return STALL_MESSAGE.format(where=_waiting_at(excinfo))
        return text
    if isinstance(exc, NotImplementedError):
        frame = _student_frame(excinfo)
        if frame is not None:
            return STUB_MESSAGE.format(func=f"{frame[2]}()", file=frame[0])
        return STUB_MESSAGE.format(func="a function", file="your module")
    frame = _student_frame(excinfo)
    where = f" at {frame[0]} line {frame[1]}, in {frame[2]}()" if frame else ""
    return f"your code raised {type(exc).__name__}: {exc}{where}"[:500]


def _waiting_at(excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    """Where the student's code was when the time ran out, and in which call it waited."""
    found = _student_entry(excinfo)
    if found is None:
        return ""
    index, (name, line, func) = found
    entries = list(excinfo.traceback)
    if index + 1 < len(entries):              # the library call it made and never left
        called = entries[index + 1]
        return (f", still waiting in {Path(str(called.path)).stem}.{called.name}() "
                f"called at {name} line {line}, in {func}()")
    return f", still at {name} line {line}, in {func}()"


def _student_frame(excinfo: pytest.ExceptionInfo[BaseException]) -> tuple[str, int, str] | None:
    """The deepest traceback frame outside the tests, pytest and the stdlib."""
    found = _student_entry(excinfo)
    return found[1] if found is not None else None


def _student_entry(excinfo: pytest.ExceptionInfo[BaseException]
                   ) -> tuple[int, tuple[str, int, str]] | None:
    """The index of the deepest traceback entry in the code under test, and its file, line, name."""
    found = None
    for index, entry in enumerate(excinfo.traceback):
        path = str(entry.path)
        if (path.startswith(sys.base_prefix) or path.startswith(sys.prefix)
                or "/tests/" in path or "/grader/" in path or "/_pytest/" in path):
            continue
        found = (index, (Path(path).name, entry.lineno + 1, entry.name))
    return found


class _Recorder:
    """The plugin's state for one pytest run, and the hooks that use it.

    Registered by pytest_configure; nothing is kept in module globals.
    """

    def __init__(self, channel: _Channel | None) -> None:
        self.channel = channel
        self.finished: set[str] = set()          # tests whose body ran to its end
        self.baseline = _snapshot()              # what the verdicts depend on, as it was
        self.tampered: list[str] = []
        self.exitstatus = 1

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        """Guard each test's completion, announce it on the channel, watch the test helpers."""
        for item in items:
            if isinstance(item, pytest.Function):
                item.obj = _completion_guard(item.obj, item.nodeid, self.finished)
            if self.channel is not None:
                self.channel.write({"event": "collected", "nodeid": item.nodeid,
                                    "name": item.name, "file": item.path.name,
                                    "points": points_of(item)})
        # The tests' own modules are imported now: watch their helpers from here on.
        self.baseline = _snapshot()

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]):
        """Add the learner message; fail a test that was tampered with or did not finish."""
        report = yield
        if call.excinfo is not None and report.failed:
            report.user_properties.append(("learner", learner_message(call.excinfo)))
        if call.when == "call":
            changed = _replaced(self.baseline)
            if changed and not self.tampered:
                self.tampered = changed
            if self.tampered:
                report.outcome = "failed"
                report.user_properties.append(("learner", TAMPER_MESSAGE.format(
                    what=", ".join(self.tampered[:5]))))
                report.user_properties.append(("tampered", ", ".join(self.tampered[:20])))
            elif report.passed and item.nodeid not in self.finished:
                report.outcome = "failed"
                report.user_properties.append(("learner", UNFINISHED_MESSAGE))
        return report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Send the outcome of a test's call, or of a setup or teardown that went wrong."""
        if self.channel is None:
            return
        if report.when != "call" and not (report.failed or report.skipped):
            return
        status = Status.PASSED if report.passed else Status.SKIPPED if report.skipped else (
            Status.FAILED if report.when == "call" else Status.ERROR)
        properties = dict(report.user_properties)
        message = properties.get("learner", "")
        if report.skipped and isinstance(report.longrepr, tuple):
            message = str(report.longrepr[2])
        self.channel.write({"event": "result", "nodeid": report.nodeid, "when": report.when,
                            "status": status, "message": message,
                            "tampered": properties.get("tampered", ""),
                            "duration": round(report.duration, 3)})

    def pytest_sessionfinish(self, exitstatus: int) -> None:
        """Keep the exit status for pytest_unconfigure and tell the grader the run is over."""
        self.exitstatus = int(exitstatus)
        if self.channel is not None:
            self.channel.write({"event": "finished"})

    @pytest.hookimpl(trylast=True)
    def pytest_unconfigure(self) -> None:
        """Leave at once if student threads are still running.

        A leaked non-daemon thread would hang interpreter exit; every result is
        already written, so ``os._exit`` loses nothing.
        """
        alive = [t for t in threading.enumerate()
                 if t is not threading.main_thread() and not t.daemon and t.is_alive()]
        if alive:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(self.exitstatus)
