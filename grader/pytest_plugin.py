"""pytest plugin of the grader: records each test's outcome, points and learner message.

Loaded with ``-p grader.pytest_plugin --results-file FILE``. Every collected
test and every outcome is appended to FILE as one JSON line and flushed at
once, so a crash or a kill mid-run loses nothing already decided. A test
with no recorded outcome is counted as failed by the reader.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

__all__ = ["learner_message"]

RESULTS_HELP = "append one JSON line per collected test and per outcome to this file"
STUB_MESSAGE = ("{func} is still a stub: replace `raise NotImplementedError` in "
                "{file} with your code")
TIMEOUT_MESSAGE = ("the test did not finish within its time limit: something waits "
                   "forever - a join() on a thread that never ends, a wait() on an "
                   "Event nobody sets, or a get() without timeout?")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--results-file", default=None, help=RESULTS_HELP)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "points(n): points this test is worth (default 1)")
    path = config.getoption("--results-file")
    if path:
        config.stash[_SINK] = _Sink(Path(path))


class _Sink:
    """Append-only JSON-lines writer, flushed per record."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("a", encoding="utf-8")
        self._lock = threading.Lock()

    def write(self, record: dict[str, Any]) -> None:
        with self._lock:
            self._file.write(json.dumps(record) + "\n")
            self._file.flush()


_SINK = pytest.StashKey[_Sink]()


def points_of(item: pytest.Item) -> float:
    """Points of a test, from its ``points`` marker (1 by default)."""
    marker = item.get_closest_marker("points")
    return float(marker.args[0]) if marker and marker.args else 1.0


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    sink = config.stash.get(_SINK, None)
    if sink is None:
        return
    for item in items:
        sink.write({"event": "collected", "nodeid": item.nodeid, "name": item.name,
                    "file": item.path.name, "points": points_of(item)})


def learner_message(excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    """Turn a failure into one sentence a learner can act on."""
    exc = excinfo.value
    if isinstance(exc, pytest.fail.Exception):
        text = str(exc.msg if hasattr(exc, "msg") else exc)
        if text.startswith("Timeout"):
            return TIMEOUT_MESSAGE
        return text
    if isinstance(exc, NotImplementedError):
        frame = _student_frame(excinfo)
        if frame is not None:
            return STUB_MESSAGE.format(func=f"{frame[2]}()", file=frame[0])
        return STUB_MESSAGE.format(func="a function", file="your module")
    frame = _student_frame(excinfo)
    where = f" at {frame[0]} line {frame[1]}, in {frame[2]}()" if frame else ""
    return f"your code raised {type(exc).__name__}: {exc}{where}"[:500]


def _student_frame(excinfo: pytest.ExceptionInfo[BaseException]) -> tuple[str, int, str] | None:
    """The deepest traceback frame outside the tests, pytest and the stdlib."""
    found = None
    for entry in excinfo.traceback:
        path = str(entry.path)
        if (path.startswith(sys.base_prefix) or path.startswith(sys.prefix)
                or "/tests/" in path or "/grader/" in path or "/_pytest/" in path):
            continue
        found = (Path(path).name, entry.lineno + 1, entry.name)
    return found


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    if call.excinfo is not None and report.failed:
        report.user_properties.append(("learner", learner_message(call.excinfo)))
    return report


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    config = _CONFIG.get("config")
    sink = config.stash.get(_SINK, None) if config else None
    if sink is None:
        return
    if report.when != "call" and not (report.failed or report.skipped):
        return
    status = "passed" if report.passed else "skipped" if report.skipped else (
        "failed" if report.when == "call" else "error")
    message = dict(report.user_properties).get("learner", "")
    if report.skipped and isinstance(report.longrepr, tuple):
        message = str(report.longrepr[2])
    sink.write({"event": "result", "nodeid": report.nodeid, "when": report.when,
                "status": status, "message": message,
                "duration": round(report.duration, 3)})


_CONFIG: dict[str, pytest.Config] = {}


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    _CONFIG["config"] = session.config


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Leave at once if student threads are still running.

    A leaked non-daemon thread would hang interpreter exit; every result is
    already written, so ``os._exit`` loses nothing.
    """
    alive = [t for t in threading.enumerate()
             if t is not threading.main_thread() and not t.daemon and t.is_alive()]
    if alive:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(getattr(config, "_kit_exitstatus", 1))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    session.config._kit_exitstatus = int(exitstatus)  # type: ignore[attr-defined]
