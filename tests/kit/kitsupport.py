"""Helpers shared by the kit's grader tests."""

from __future__ import annotations

import atexit
import functools
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from grader import catalog, manifest

ROOT = manifest.ROOT
SOLUTION = (ROOT / "solutions" / "countdown.py").read_text(encoding="utf-8")


def write_module(folder: Path, topic: str, what: str) -> Path:
    """``folder/<topic>.py`` holding the reference ("solution"), the stub ("stub") or a
    wrong case of tests/wrong/<topic>/ (its name); the path written."""
    if what in ("solution", "stub"):
        text = (ROOT / ("solutions" if what == "solution" else "exercises")
                / f"{topic}.py").read_text(encoding="utf-8")
    else:
        text = catalog.case("wrong", topic, what).text
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{topic}.py"
    path.write_text(text, encoding="utf-8")
    return path


# A stray `sleep SLEEP_TAG` would be a leaked process. One number per test process
# (each xdist worker has its own), so the sleepers of a test still running on
# another worker, or of other runs of these tests on the machine, are not counted.
SLEEP_TAG = "9" + str(int(hashlib.sha256(
    f"{os.environ.get('PYTEST_XDIST_TESTRUNUID', '')}:{os.getpid()}".encode()).hexdigest(), 16)
    % 10 ** 8)


def stray_sleepers() -> list[int]:
    """PIDs of leaked ``sleep SLEEP_TAG`` processes, the mark of code that escaped a kill."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            if SLEEP_TAG.encode() in cmdline and b"pytest" not in cmdline:
                found.append(int(entry))
    return found


# The confinement each test mode should find, and the tools its PATH leaves out.
HIDDEN = {"bwrap": (), "unshare+uid": ("bwrap",), "uid": ("bwrap", "unshare")}


@functools.cache
def path_without(names: tuple[str, ...]) -> str:
    """A PATH like ours minus ``names``: one folder of symlinks, traversable by a grading user."""
    if not names:
        return os.environ["PATH"]
    folder = Path(tempfile.mkdtemp(prefix="kit-path-"))
    folder.chmod(0o755)
    atexit.register(shutil.rmtree, folder, True)
    for directory in os.environ["PATH"].split(os.pathsep):
        if not os.path.isdir(directory):
            continue
        for entry in sorted(Path(directory).iterdir()):
            if entry.name not in names and not os.path.lexists(folder / entry.name):
                (folder / entry.name).symlink_to(entry)
    return str(folder)


def open_folder() -> Path:
    """A fresh folder under /tmp that every user may traverse (pytest's tmp_path is root's only).

    Attacks on files outside the submission must be able to reach them, or the
    test would prove nothing about a confinement by permissions.
    """
    folder = Path(tempfile.mkdtemp(prefix="kit-open-"))
    folder.chmod(0o755)
    atexit.register(shutil.rmtree, folder, True)
    return folder
