"""The kit's own tests import their shared helpers (kitsupport) by name.

Under pytest-xdist (``make unit``) each test is a unit of work of its own,
except the tests of a module in SHARED_MODULES, which share a module-scoped
fixture too costly to make twice (the nbgrader course: two minutes): such a
module goes whole to one worker, and first, being the longest.

A test without a timeout mark gets KIT_TEST_TIMEOUT, a hang guard (below).

The ``mode`` fixture runs a test under each confinement the grader may find:
bubblewrap; ``unshare`` only (a PATH without bwrap); neither (a PATH without
bwrap and unshare), as in Docker's default seccomp profile.
"""

import sys
from pathlib import Path

import pytest

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from kitsupport import HIDDEN, path_without  # pylint: disable=wrong-import-position

from grader import sandbox  # pylint: disable=wrong-import-position


SHARED_MODULES = ("test_nbgrader.py",)


# pytest-timeout here only catches a kit test that hangs; it must never judge
# speed (bench/ does). pyproject's 30 s is the topic runs' limit per test, and
# many kit tests run real grades: under four xdist workers on two cores, tests
# that take 6-10 s on a quiet machine took 20-27 s, and two failed a CI run at
# 30 s. A kit test without a timeout mark of its own gets this one.
KIT_TEST_TIMEOUT = 300


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The shared modules' tests first (a stable sort: the rest keep their order);
    a hang guard on every test that has none of its own."""
    items.sort(key=lambda item: item.path.name not in SHARED_MODULES)
    for item in items:
        if item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(KIT_TEST_TIMEOUT))


@pytest.hookimpl(optionalhook=True)     # xdist's hook: unknown when xdist is not loaded
def pytest_xdist_make_scheduler(config, log):
    """xdist's scope scheduling, a scope being one test or one whole shared module."""
    # Imported here: plain pytest runs (no xdist) never call this hook.
    from xdist.scheduler import LoadScopeScheduling  # pylint: disable=import-outside-toplevel

    # The two methods pylint finds abstract serve work stealing, which scope
    # scheduling never calls (xdist's own LoadFileScheduling leaves them too).
    class PerTestButSharedModules(LoadScopeScheduling):  # pylint: disable=abstract-method
        """Each test alone, but a shared module's tests together."""

        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module.endswith(SHARED_MODULES) else nodeid

    return PerTestButSharedModules(config, log)


@pytest.fixture(name="mode", params=list(HIDDEN))
def mode_fixture(request, monkeypatch):
    """The confinement kind found with bwrap, unshare or both left off PATH (skip if absent)."""
    monkeypatch.setenv("PATH", path_without(HIDDEN[request.param]))
    sandbox.reset()
    request.addfinalizer(sandbox.reset)
    kind = sandbox.available().kind
    if kind != request.param:
        pytest.skip(f"{request.param} cannot confine here (found {kind})")
    return kind
