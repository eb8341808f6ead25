"""Confine a topic's test process: limits, namespaces, a user of its own, a kill for all.

With bubblewrap (``bwrap``) the process gets new PID, network, IPC and UTS
namespaces, a read-only view of the system and of the Python it runs on, a
private ``/tmp``, and only its own run folder: not the kit's solutions, other
topics' hidden tests, other students' files or the gradebook. It dies with
the grader (``--die-with-parent``) and cannot reach the grader's terminal
(``--new-session``). Killing bwrap tears down the whole PID namespace, so
children that called ``setsid()`` die too.

Without bwrap, a grader running as root (Gradescope runs it as root in
Docker, whose seccomp profile refuses bwrap and often ``unshare``) runs the
code as a grading user of its own: a uid and gid taken from a pool for this
one run (``setpriv``: no supplementary groups, no new privileges, a cap on
processes). Files keep it out where namespaces cannot: its run folder is
readable by its gid only, and the kit's own folder, ``/autograder`` and any
``KIT_PROTECT`` path are closed to "other" users (only the way to the Python
installation stays traversable). Every process of that uid is killed
afterwards, and an owner-match firewall rule cuts the pool's uids off the
network when ``iptables`` lets us. ``unshare`` adds PID and network
namespaces when it works ("unshare+uid"); without it the kind is "uid".

Not root (a student's ``make check``): resource limits, a new session,
``unshare`` when permitted, and a kill of every process that carries the
run's marker; the report's flags say so.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import functools
import grp
import os
import pwd
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from grader import manifest

MEMORY = 2 << 30              # address space per topic process
FILE_SIZE = 64 << 20          # largest file the tests may write
OPEN_FILES = 512
PROCESSES = 256               # threads and processes of one grading user (fork bombs)
MARKER = "KIT_RUN_MARKER"
UNSHARE = ["--net", "--pid", "--fork", "--kill-child", "--mount-proc"]
UID_BASE = int(os.environ.get("KIT_GRADING_UID_BASE", "50000"))
UID_COUNT = 128               # one uid per topic running at once, across grader processes
LOCKS = Path("/run/concurrency-kit")
USER_KINDS = ("unshare+uid", "uid")
PROTECT = "KIT_PROTECT"       # more paths (os.pathsep-separated) the grading user must not read


@dataclasses.dataclass(frozen=True)
class Confinement:
    """How topics are confined on this machine, and how to say so."""

    kind: str                 # "bwrap" | "unshare+uid" | "uid" | "unshare" | "rlimits" | "none"
    note: str

    @property
    def switches_user(self) -> bool:
        """Whether the code runs as a grading user of its own (the grader is root, no bwrap)."""
        return self.kind in USER_KINDS


@dataclasses.dataclass
class GradingUser:
    """The uid and gid one run's code runs as, and what the grader could not do for it."""

    uid: int
    gid: int
    flags: list[str]


@functools.lru_cache(maxsize=1)
def available() -> Confinement:
    """Probe once (from PATH): bubblewrap, else a grading user (as root), else unshare or limits."""
    bwrap = shutil.which("bwrap")
    if bwrap and _works([bwrap, "--ro-bind", "/", "/", "--unshare-all", "--die-with-parent",
                         "--new-session", "--cap-drop", "ALL", "true"]):
        return Confinement("bwrap", "")
    unshare = shutil.which("unshare")
    namespaces = bool(unshare) and _works([unshare, *UNSHARE, "true"])
    setpriv = shutil.which("setpriv")
    if os.geteuid() == 0 and setpriv and _works(_drop(setpriv, UID_BASE, UID_BASE) + ["true"]):
        closed = ("the kit's folder, /autograder and the grader's files were closed to it by "
                  "permissions (chmod o-rwx), not hidden")
        if namespaces:
            return Confinement("unshare+uid", "no bubblewrap: ran as a grading user of its own "
                                              "(setpriv) in new PID and network namespaces "
                                              f"(unshare); {closed}")
        return Confinement("uid", "no bubblewrap and no unshare: ran as a grading user of its "
                                  "own (setpriv), its processes killed by uid, without PID or "
                                  f"network namespaces; {closed}")
    if namespaces:
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


def _drop(setpriv: str, uid: int, gid: int) -> list[str]:
    """setpriv(1) switching to ``uid``/``gid`` for good: no groups, capabilities, new privileges."""
    return [setpriv, f"--reuid={uid}", f"--regid={gid}", "--clear-groups",
            "--inh-caps=-all", "--no-new-privs", "--"]


def limits_prefix(cpu_seconds: int, processes: int | None = None) -> list[str]:
    """prlimit(1) settings for the confined process and its children."""
    prlimit = shutil.which("prlimit")
    if not prlimit:
        return []
    nproc = [f"--nproc={processes}"] if processes else []
    return [prlimit, f"--as={MEMORY}", f"--cpu={cpu_seconds}", f"--fsize={FILE_SIZE}",
            f"--nofile={OPEN_FILES}", "--core=0", *nproc, "--"]


# Each argument is one independent part of the confinement; the runner names them all.
def wrap(command: list[str],  # pylint: disable=too-many-arguments,too-many-positional-arguments
         readonly: list[Path], writable: list[Path],
         cwd: Path, cpu_seconds: int, confinement: Confinement,
         user: GradingUser | None = None) -> list[str]:
    """The full command line that runs ``command`` confined (as ``user`` when given)."""
    if user is not None:
        inner = (_drop(shutil.which("setpriv") or "setpriv", user.uid, user.gid)
                 + limits_prefix(cpu_seconds, PROCESSES) + command)
        if confinement.kind == "unshare+uid":
            return [shutil.which("unshare") or "unshare", *UNSHARE, "--", *inner]
        return inner
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
    args += system_binds()
    args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for path in _python_roots() + readonly:
        args += ["--ro-bind", str(path), str(path)]
    for path in writable:
        args += ["--bind", str(path), str(path)]
    args += ["--remount-ro", "/", "--chdir", str(cwd), "--setenv", "HOME", "/tmp",
             "--setenv", "TMPDIR", "/tmp", "--"]
    return args + inner


def system_binds() -> list[str]:
    """bwrap arguments binding the machine's system folders read-only."""
    binds = []
    for system in ("/usr", "/bin", "/lib", "/lib64", "/sbin", "/etc"):
        if os.path.exists(system):
            binds += ["--ro-bind", system, system]
    return binds


def _python_roots() -> list[Path]:
    """The interpreter's installation and the virtual environment, read-only.

    Both as named and as resolved: sys.executable may reach the venv through a symlink.
    """
    return sorted(_python_paths())


# ---------------------------------------------------------------- a grading user per run

@contextlib.contextmanager
def grading_user(confinement: Confinement, scratch: Path) -> Iterator[GradingUser | None]:
    """A uid/gid of the pool for one run (None when the confinement keeps the grader's user).

    The host is prepared first (kit closed, firewall rule); the run folder
    ``scratch`` is made reachable by that gid only. Afterwards every process
    of the uid is killed before the uid goes back to the pool.
    """
    if not confinement.switches_user:
        yield None
        return
    flags = list(prepare_host())
    flags += _reachable(scratch.parent)
    with _lease() as uid:
        user = GradingUser(uid, uid, flags)
        try:
            yield user
        finally:
            kill_user(uid)


@contextlib.contextmanager
def _lease() -> Iterator[int]:
    """Hold one free uid of the pool (an flock'ed file each) until the run ends."""
    folder = lock_folder()
    deadline = time.monotonic() + 600
    while True:
        for uid in range(UID_BASE, UID_BASE + UID_COUNT):
            if _taken_by_system(uid):
                continue
            handle = os.open(folder / f"uid-{uid}.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW,
                             0o600)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(handle)
                continue
            if _processes_of(uid):
                # Not ours to kill: a crashed grader's leftovers, or the run of a
                # grader whose lock folder we cannot see (another /run). Skip it.
                os.close(handle)
                continue
            try:
                yield uid
            finally:
                os.close(handle)
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"all {UID_COUNT} grading uids from {UID_BASE} are busy")
        time.sleep(0.2)


@functools.lru_cache(maxsize=None)
def _taken_by_system(uid: int) -> bool:
    """A uid or gid the system already names is never used for grading."""
    for lookup in (pwd.getpwuid, grp.getgrgid):
        try:
            lookup(uid)
            return True
        except KeyError:
            continue
    return False


def lock_folder() -> Path:
    """A root-owned folder for the pool's lock files, no symlink, writable by root only."""
    for folder in (LOCKS, Path(tempfile.gettempdir()) / "concurrency-kit-root"):
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
            info = os.lstat(folder)
        except OSError:
            continue
        if (stat.S_ISDIR(info.st_mode) and info.st_uid == 0
                and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
            return folder
    raise RuntimeError(f"no safe folder for the grading uids' locks ({LOCKS})")


def hand_over(run: Path, user: GradingUser, readonly: list[Path], writable: list[Path]) -> None:
    """``readonly``: root-owned, readable by the run's gid only; ``writable``: the run's uid's."""
    for top in readonly:
        for path in [top, *top.rglob("*")] if top.is_dir() else [top]:
            if path.is_symlink():
                continue
            os.chown(path, 0, user.gid)
            os.chmod(path, 0o750 if path.is_dir() else 0o640)
    for top in writable:
        for path in [top, *top.rglob("*")]:
            if not path.is_symlink():
                os.chown(path, user.uid, user.gid)
    os.chown(run, 0, user.gid)
    os.chmod(run, 0o750)


def kill_user(uid: int, rounds: int = 100) -> bool:
    """Kill every process of ``uid`` (setsid and fork escapees too); True once none is left."""
    for _ in range(rounds):
        if not _processes_of(uid):
            return True
        # kill(-1) as that uid reaches each of its processes, in one call by the kernel.
        try:
            subprocess.run([sys.executable, "-S", "-c",
                            "import os, signal; os.kill(-1, signal.SIGKILL)"],
                           user=uid, group=uid, extra_groups=[], stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=10, check=False)
        except (OSError, subprocess.SubprocessError):
            for pid in _processes_of(uid):
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
        time.sleep(0.02)
    return not _processes_of(uid)


def _processes_of(uid: int) -> list[int]:
    """Live (not zombie) processes with ``uid`` among their user ids."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="ascii", errors="replace") as handle:
                status = handle.read()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("State", "").strip().startswith("Z"):
            continue
        if str(uid) in fields.get("Uid", "").split():
            found.append(int(entry))
    return found


# ---------------------------------------------------------------- the host, once per grader

_PREPARED = threading.Lock()


def prepare_host() -> list[str]:
    """Close the kit to other users and cut the pool off the network; flags for what failed."""
    with _PREPARED:
        return list(_closed_kit()) + list(_network_flags())


@functools.lru_cache(maxsize=1)
def _closed_kit() -> tuple[str, ...]:
    keep = _python_paths()
    flags = []
    for root in protected_paths():
        try:
            _close(root, keep)
        except OSError as exc:
            flags.append(f"could not close {root} to the grading user: {exc}")
    for path in sorted(keep):
        flags += _reachable(path)
    return tuple(dict.fromkeys(flags))


def protected_paths() -> list[Path]:
    """The kit, Gradescope's /autograder (results, run_autograder) and KIT_PROTECT's paths."""
    paths = [manifest.ROOT, Path("/autograder")]
    paths += [Path(p) for p in os.environ.get(PROTECT, "").split(os.pathsep) if p]
    return [p for p in dict.fromkeys(Path(os.path.abspath(p)) for p in paths) if p.exists()]


def _python_paths() -> set[Path]:
    """The Python installation and the virtual environment, as named and as resolved."""
    keep = set()
    for prefix in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix):
        keep |= {Path(os.path.abspath(prefix)), Path(prefix).resolve()}
    return keep


def _close(path: Path, keep: set[Path]) -> None:
    """Take "other" permissions off ``path``, except on the way to (and inside) ``keep``."""
    if path.is_symlink() or path in keep:
        return
    mode = stat.S_IMODE(os.lstat(path).st_mode)
    if any(path in k.parents for k in keep) and path.is_dir():
        if mode & 0o007 != 0o001:
            os.chmod(path, (mode & ~0o007) | 0o001)     # traverse only: no listing, no reading
        for child in path.iterdir():
            _close(child, keep)
    elif mode & 0o007:
        os.chmod(path, mode & ~0o007)


def _reachable(path: Path) -> list[str]:
    """Let "other" users traverse each folder down to ``path``; a flag for each one opened."""
    opened = []
    for folder in [*reversed(path.parents), path]:
        try:
            mode = stat.S_IMODE(os.stat(folder).st_mode)
            if not mode & stat.S_IXOTH:
                os.chmod(folder, mode | stat.S_IXOTH)
                opened.append(f"made {folder} traversable (o+x) for the grading user to "
                              "reach Python and its run folder")
        except OSError as exc:
            opened.append(f"the grading user may not reach {folder}: {exc}")
    return opened


@functools.lru_cache(maxsize=1)
def _network_flags() -> tuple[str, ...]:
    """Reject every packet the pool's uids send (loopback too); a flag when we could not."""
    rule = ["OUTPUT", "-m", "owner", "--uid-owner", f"{UID_BASE}-{UID_BASE + UID_COUNT - 1}",
            "-j", "REJECT"]
    problems = []
    for tool in ("iptables", "ip6tables"):
        path = shutil.which(tool)
        if not path:
            problems.append(f"{tool} is not installed")
        elif not _works([path, "-w", "-C", *rule]) and not _works([path, "-w", "-I", *rule]):
            problems.append(f"{tool} refused an owner-match rule")
    if problems:
        return (f"network not cut for the grading user: {'; '.join(problems)}",)
    return ()


def reset() -> None:
    """Forget what was probed and prepared (tests change PATH and KIT_PROTECT between runs)."""
    for cached in (available, _closed_kit, _network_flags):
        cached.cache_clear()


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
