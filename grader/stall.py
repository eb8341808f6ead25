"""See, from outside, that a test run waits for something nothing can bring.

Part of stage two (run each topic isolated): the runner starts a watcher
beside each test process. It reads the kernel's view of every thread of the
test process and of its children (``/proc``), never touching the process
itself, so it cannot change what the test measures.

A run is *stalled* when every one of its threads is asleep in a wait with no
time limit (a lock or ``join()`` without timeout, ``get()`` on an empty queue,
a read on a pipe, a child's exit) and none of them has run at all for a
while. Then nothing inside can wake anything else, and nothing outside will:
the test process reads nothing from the grader, and a timed wait anywhere
(``sleep``, ``wait(timeout)``, an asyncio timer, the GIL's own 5 ms wait)
keeps the run out of the stall. The watcher then signals the test process,
whose pytest plugin fails the running test at once, saying where it waited,
instead of letting it run to its time limit.

Where ``/proc`` does not say enough (another architecture, no permission),
nothing is ever called stalled and the time limits decide as before.
"""

from __future__ import annotations

import os
import platform
import threading
import time
from pathlib import Path
from typing import Iterable

from grader.channel import STALL_SIGNAL

STALL_SECONDS = 1.0             # how long nothing may run before the run is called stalled
PERIOD = 0.2                    # seconds between two looks

# Blocking system calls by number, per architecture, and the rule that says
# "no time limit": (rule, argument index). "always": read, recv, accept, pause,
# sigsuspend; "null": a timeout pointer that is 0 (ppoll, pselect6, select,
# epoll_pwait2, rt_sigtimedwait); "negative": a timeout int below 0 (poll,
# epoll_wait, epoll_pwait); "futex": a wait operation with a null timeout;
# "no_wnohang": wait4 / waitid options without WNOHANG.
_FUTEX_WAITS = {0, 6, 9, 11, 13}     # WAIT, LOCK_PI, WAIT_BITSET, WAIT_REQUEUE_PI, LOCK_PI2
_WNOHANG = 1
_CALLS = {
    "x86_64": {
        0: ("always", 0), 19: ("always", 0), 45: ("always", 0), 47: ("always", 0),
        43: ("always", 0), 288: ("always", 0), 34: ("always", 0), 130: ("always", 0),
        271: ("null", 2), 270: ("null", 4), 23: ("null", 4), 441: ("null", 3),
        128: ("null", 2), 7: ("negative", 2), 232: ("negative", 3), 281: ("negative", 3),
        202: ("futex", 3), 61: ("no_wnohang", 2), 247: ("no_wnohang", 3),
    },
    "aarch64": {
        63: ("always", 0), 65: ("always", 0), 207: ("always", 0), 212: ("always", 0),
        202: ("always", 0), 242: ("always", 0), 133: ("always", 0),
        73: ("null", 2), 72: ("null", 4), 441: ("null", 3), 137: ("null", 2),
        22: ("negative", 3), 98: ("futex", 3), 260: ("no_wnohang", 2), 95: ("no_wnohang", 3),
    },
}
_RULES = {
    "always": lambda args, value: True,
    "null": lambda args, value: value == 0,
    "negative": lambda args, value: value & 0xFFFFFFFF >= 0x80000000,
    "futex": lambda args, value: (args[1] & 0x7F) in _FUTEX_WAITS and value == 0,
    "no_wnohang": lambda args, value: not value & _WNOHANG,
}


def untimed(syscall_line: str, machine: str | None = None) -> bool:
    """Whether a thread's ``/proc/.../syscall`` line is a wait with no time limit."""
    calls = _CALLS.get(machine or platform.machine(), {})
    fields = syscall_line.split()
    # Running, between two calls, or a call this table does not know: not a wait.
    found = calls.get(int(fields[0])) if len(fields) >= 7 and fields[0].isdigit() else None
    if found is None:
        return False
    rule, index = found
    args = [int(value, 16) for value in fields[1:7]]
    return _RULES[rule](args, args[index])


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="ascii", errors="replace") as handle:
            return handle.read()
    except OSError:
        return None


def _threads(pid: int) -> list[str]:
    try:
        return os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []


def _parents() -> dict[int, int]:
    """Every process's parent, from ``/proc/<pid>/stat``."""
    parents = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            stat = _read(f"/proc/{name}/stat")
            if stat:
                fields = stat.rpartition(")")[2].split()
                if len(fields) > 1:
                    parents[int(name)] = int(fields[1])
    return parents


def descendants(root: int) -> list[int]:
    """``root`` and every process below it, the nearest first."""
    children: dict[int, list[int]] = {}
    for pid, parent in _parents().items():
        children.setdefault(parent, []).append(pid)
    found = [root]
    for pid in found:                   # grows as it goes: breadth first
        found.extend(sorted(children.get(pid, [])))
    return found


def look(pids: Iterable[int]) -> dict[tuple[int, str], int] | None:
    """Each live thread's count of times it ran, when every one waits untimed; else None."""
    seen: dict[tuple[int, str], int] = {}
    for pid in pids:
        for tid in _threads(pid):
            base = f"/proc/{pid}/task/{tid}"
            stat = _read(f"{base}/stat")
            if stat is None:
                continue                                # gone meanwhile
            state = stat.rpartition(")")[2].split()[:1]
            if state in (["Z"], ["X"]):
                continue                                # ended: it wakes nobody
            if state != ["S"]:
                return None
            syscall = _read(f"{base}/syscall")
            schedstat = _read(f"{base}/schedstat")
            if syscall is None or schedstat is None or not untimed(syscall):
                return None
            fields = schedstat.split()
            if len(fields) < 3:
                return None
            seen[(pid, tid)] = int(fields[2])
    return seen or None


def find_test_process(root: int) -> int | None:
    """The first ``python -m pytest`` at or below ``root`` (the sandbox may stand between)."""
    for pid in descendants(root):
        cmdline = _read(f"/proc/{pid}/cmdline") or ""
        if cmdline.split("\0")[1:3] == ["-m", "pytest"]:
            return pid
    return None


class Watcher:
    """A thread that signals the test process below ``root`` each time its run stalls."""

    def __init__(self, root: int, seconds: float = STALL_SECONDS) -> None:
        self.root = root
        self.seconds = seconds
        self.stalls = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True, name="kit-stall")

    def __enter__(self) -> Watcher:
        if Path("/proc/self/syscall").exists() and platform.machine() in _CALLS:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _watch(self) -> None:
        target = None
        since: float | None = None
        before: dict[tuple[int, str], int] | None = None
        while not self._stop.wait(PERIOD):
            if target is None:
                target = find_test_process(self.root)
                continue
            # The test process's own threads first: when one of them is busy,
            # there is no need to look further.
            now = look([target]) and look(descendants(target))
            if now is None or now != before:
                since = time.monotonic() if now is not None else None
                before = now
                continue
            if since is not None and time.monotonic() - since >= self.seconds:
                try:
                    os.kill(target, STALL_SIGNAL)
                except OSError:
                    return
                self.stalls += 1
                since, before = None, None
