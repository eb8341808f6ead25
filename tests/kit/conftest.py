"""The kit's own tests import their shared helpers (kitsupport) by name.

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
