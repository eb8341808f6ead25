"""Shared set-up of the topic tests: which modules they test, and clean-up.

``pytest --target DIR`` tests the modules in DIR (default: ``exercises/``).
DIR goes first on ``sys.path`` and the topic modules are imported by their
plain names, so that functions pickle under the ``spawn`` start method.
"""

from __future__ import annotations

import importlib
import multiprocessing
import multiprocessing.pool
import os
import sys
import threading
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
DEFAULT_TARGET = TESTS.parent / "exercises"
# Strong references: a pool that wrong code leaves open (or closes without
# joining) must not be silently reaped by garbage collection before the test
# looks; every pool is terminated after its test anyway.
_POOLS: list[multiprocessing.pool.Pool] = []
_POOLS_LOCK = threading.Lock()
_EXIT_STATUS = pytest.StashKey[int]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--target``: the folder of modules under test, exercises/ unless told."""
    parser.addoption("--target", default=str(DEFAULT_TARGET),
                     help="folder holding the topic modules to test (default: exercises/)")


def pytest_configure(config: pytest.Config) -> None:
    """Put the target (then tests/) first on sys.path and start recording pools."""
    target = Path(config.getoption("--target")).resolve()
    if not target.is_dir():
        raise pytest.UsageError(f"--target {target}: no such folder")
    for folder in (str(TESTS), str(target)):      # target ends up first
        if folder in sys.path:
            sys.path.remove(folder)
        sys.path.insert(0, folder)
    config.addinivalue_line("markers", "points(n): points this test is worth (default 1)")
    config.addinivalue_line("markers", "concept(key): the idea of topics.toml this test checks")
    config.addinivalue_line("markers", "alone: needs the machine's cores to itself; the grader "
                                       "runs it with no other grading beside it")
    _record_pools()


def _record_pools() -> None:
    """Remember every Pool created, so leftovers of wrong code can be ended."""
    original = multiprocessing.pool.Pool.__init__
    if getattr(original, "_kit_wrapped", False):
        return

    def init(self, *args, **kwargs):
        with _POOLS_LOCK:
            _POOLS.append(self)
        original(self, *args, **kwargs)

    # Our own mark on our own function, so that a second configure does not wrap twice.
    init._kit_wrapped = True  # type: ignore[attr-defined]  # pylint: disable=protected-access
    multiprocessing.pool.Pool.__init__ = init  # type: ignore[method-assign]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Keep the exit status: pytest_unconfigure may have to leave with it."""
    session.config.stash[_EXIT_STATUS] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Leave at once when threads of the code under test are still running.

    A thread stuck for good (a worker waiting for an Event nobody will set, a
    player whose turn was lost) is not a daemon, so the interpreter would wait
    for it forever after the last test; the report is already printed, and the
    test that left it behind has failed and said why.
    """
    alive = [t for t in threading.enumerate()
             if t is not threading.main_thread() and not t.daemon and t.is_alive()]
    if alive:
        print(f"\n{len(alive)} thread(s) started by the code under test were still running "
              "after the last test (waiting forever?); the test run ends here instead of "
              "waiting for them.", file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(config.stash.get(_EXIT_STATUS, 1))


@pytest.fixture(autouse=True)
def _end_leftover_pools():
    """A pool left running by wrong code burns CPU and skews later timings."""
    yield
    with _POOLS_LOCK:
        pools = list(_POOLS)
        _POOLS.clear()
    for leftover in pools:
        try:
            leftover.terminate()
        except Exception:  # pylint: disable=broad-exception-caught
            pass
    for child in multiprocessing.active_children():
        child.kill()


@pytest.fixture(scope="session")
def target_dir(pytestconfig: pytest.Config) -> Path:
    """The folder of modules under test, as given by ``--target``."""
    return Path(pytestconfig.getoption("--target")).resolve()


def load_topic(name: str):
    """Import the student's module ``name``; fail with a learner message if it can't.

    The failure is raised outside the ``except`` block so that a huge
    traceback (a recursion bomb at import) is never chained and formatted.
    """
    problem = ""
    try:
        return importlib.import_module(name)
    except SyntaxError as exc:
        problem = (f"{name}.py does not compile: SyntaxError at line {exc.lineno}: "
                   f"{exc.msg}")
    except ModuleNotFoundError as exc:
        problem = (f"{name}.py was not found in the target folder" if exc.name == name
                   else f"importing {name}.py failed: {exc}")
    except BaseException as exc:  # pylint: disable=broad-exception-caught
        problem = (f"importing {name}.py raised {type(exc).__name__}: {str(exc)[:200]} - "
                   "does the module run code at import time?")
    pytest.fail(problem, pytrace=False)
    return None  # unreachable: pytest.fail raises


@pytest.fixture(scope="module")
def mod(request: pytest.FixtureRequest):
    """The student's module for this test file: test_<topic>.py tests <topic>.py."""
    return load_topic(request.path.stem.removeprefix("test_"))


START_METHODS = ("fork", "forkserver", "spawn")


@pytest.fixture(name="start_method", params=START_METHODS)
def start_method_fixture(request: pytest.FixtureRequest):
    """Run the test under each start method; it is also the default meanwhile."""
    method = request.param
    previous = multiprocessing.get_start_method(allow_none=True)
    multiprocessing.set_start_method(method, force=True)
    yield method
    multiprocessing.set_start_method(previous, force=True)


def _pool(method: str):
    workers = multiprocessing.get_context(method).Pool(2)
    yield workers
    workers.terminate()
    workers.join()


@pytest.fixture
def pool():
    """A two-process pool (fork: the quickest to start), terminated afterwards."""
    yield from _pool("fork")


@pytest.fixture
def method_pool(start_method: str):
    """A two-process pool of each start method in turn, terminated afterwards."""
    yield from _pool(start_method)


@pytest.fixture
def release(tmp_path: Path):
    """Path of a file whose creation releases ``pool_tasks.wait_for_file`` tasks."""
    path = tmp_path / "release"
    yield path
    path.touch()
