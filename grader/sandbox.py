"""Confine a topic's test process: limits, namespaces, and a kill that reaches every child.

With bubblewrap (``bwrap``) the process gets new PID, network, IPC and UTS
namespaces, a read-only view of the system and of the Python it runs on, a
private ``/tmp``, and only its own run folder: not the kit's solutions, other
topics' hidden tests, other students' files or the gradebook. It dies with
the grader (``--die-with-parent``) and cannot reach the grader's terminal
(``--new-session``). Killing bwrap tears down the whole PID namespace, so
children that called ``setsid()`` die too.

Without bwrap: resource limits, a new session, ``unshare -n`` when permitted,
and a kill of every process that carries the run's marker; the report's
flags say so.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

MEMORY = 2 << 30              # address space per topic process
FILE_SIZE = 64 << 20          # largest file the tests may write
OPEN_FILES = 512
MARKER = "KIT_RUN_MARKER"
UNSHARE = ["--net", "--pid", "--fork", "--kill-child", "--mount-proc"]


@dataclasses.dataclass(frozen=True)
class Confinement:
    """How topics are confined on this machine, and how to say so."""

    kind: str                 # "bwrap" | "unshare" | "rlimits"
    note: str


@functools.lru_cache(maxsize=1)
def available() -> Confinement:
    """Probe once: bubblewrap, else unshare -n, else rlimits and sessions only."""
    bwrap = shutil.which("bwrap")
    if bwrap and _works([bwrap, "--ro-bind", "/", "/", "--unshare-all", "--die-with-parent",
                         "--new-session", "--cap-drop", "ALL", "true"]):
        return Confinement("bwrap", "")
    unshare = shutil.which("unshare")
    if unshare and _works([unshare, *UNSHARE, "true"]):
        return Confinement("unshare", "no bubblewrap: ran with resource limits and new "
                                      "PID and network namespaces (unshare), but the "
                                      "files of the machine were visible")
    return Confinement("rlimits", "no bubblewrap and no unshare: ran with resource limits "
                                  "and a new session only (network not cut)")


def _works(command: list[str]) -> bool:
    try:
        return subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=10, check=False).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def limits_prefix(cpu_seconds: int) -> list[str]:
    """prlimit(1) settings for the confined process and its children."""
    prlimit = shutil.which("prlimit")
    if not prlimit:
        return []
    return [prlimit, f"--as={MEMORY}", f"--cpu={cpu_seconds}", f"--fsize={FILE_SIZE}",
            f"--nofile={OPEN_FILES}", "--core=0", "--"]


# Each argument is one independent part of the confinement; the runner names them all.
def wrap(command: list[str],  # pylint: disable=too-many-arguments,too-many-positional-arguments
         readonly: list[Path], writable: list[Path],
         cwd: Path, cpu_seconds: int, confinement: Confinement) -> list[str]:
    """The full command line that runs ``command`` confined."""
    inner = limits_prefix(cpu_seconds) + command
    if confinement.kind == "unshare":
        return [shutil.which("unshare") or "unshare", *UNSHARE, "--", *inner]
    if confinement.kind != "bwrap":
        return inner
    # Run as root, bwrap would keep nearly every capability inside: drop them
    # all, or the code could remount its read-only views writable.
    args = [shutil.which("bwrap") or "bwrap", "--die-with-parent", "--new-session",
            "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
            "--unshare-cgroup-try", "--cap-drop", "ALL", "--hostname", "grader"]
    for system in ("/usr", "/bin", "/lib", "/lib64", "/sbin", "/etc"):
        if os.path.exists(system):
            args += ["--ro-bind", system, system]
    args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for path in _python_roots() + readonly:
        args += ["--ro-bind", str(path), str(path)]
    for path in writable:
        args += ["--bind", str(path), str(path)]
    args += ["--remount-ro", "/", "--chdir", str(cwd), "--setenv", "HOME", "/tmp",
             "--setenv", "TMPDIR", "/tmp", "--"]
    return args + inner


def _python_roots() -> list[Path]:
    """The interpreter's installation and the virtual environment, read-only.

    Both as named and as resolved: a venv reached through a symlink runs
    under the name it was called by.
    """
    roots = {Path(sys.base_prefix), Path(sys.prefix)}
    return sorted(roots | {root.resolve() for root in roots})


def kill_everything(process: subprocess.Popen, marker: str) -> None:
    """Kill the confined process, its group, and any escapee carrying ``marker``."""
    for target in (lambda: os.killpg(process.pid, signal.SIGKILL),
                   process.kill):
        try:
            target()
        except (ProcessLookupError, PermissionError, OSError):
            pass
    for _ in range(3):                 # escapees that called setsid(), without a PID namespace
        found = _marked_processes(marker)
        if not found:
            return
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.05)


def _marked_processes(marker: str) -> list[int]:
    needle = f"{MARKER}={marker}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as handle:
                if needle in handle.read():
                    found.append(int(entry))
        except OSError:
            continue
    return found
