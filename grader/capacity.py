"""When a topic run may start: by what the machine has free, not by its core count.

Part of stage two (run each topic isolated). A topic's tests mostly *wait*:
timing probes, thread joins, a pool starting. Counting cores leaves a third
of the machine idle; starting everything at once starves the timing tests
(and the start-up of each run, interpreter and pytest, is CPU-bound). So
every caller (check, grade, batch, verify) may ask for as many runs as it
likes, and ``GATE`` lets one start when

* fewer runs than cores are running (the work always moves, as fast as a
  scheduler by core count would move it, even on a machine others keep
  busy), or
* fewer than ``most`` are running, fewer than one per core are still in their
  start-up, and the CPU has been at least ``IDLE`` free over the last
  ``WINDOW`` seconds (read from /proc/stat).

``--jobs N`` on a command fixes the gate at N runs at once with no CPU
reading: the serial grade (``--jobs 1``) that parallel verdicts are checked
against, and the load the stress benches choose.

Waiting runs go in longest first (``RUN_TIMES``: what each topic's runs took
lately on this machine), so the grade does not end waiting for a long topic
that happened to start last.

A run of tests marked ``alone`` (they measure what the cores can do, as
gil_experiment's speedups) is admitted with nothing else: the runs waiting
meanwhile go first for ``ALONE_PATIENCE`` s, then no new run starts until
the others have ended and it has run. Across
grader processes (a batch beside ``make check``, the kit's own tests) a lock
file does the same: every run holds it shared, an alone run exclusively.
An alone run waits at most ``ALONE_WAIT`` s for the other graders' runs to
end and never holds them off while it waits (a waiting exclusive hold would
stall every grader on the machine behind the slowest run); past that wait it
runs beside them, and its tests must then not judge (gil_experiment's do not).
"""

from __future__ import annotations

import collections
import contextlib
import fcntl
import json
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

IDLE = 0.3          # share of the machine's CPU that must have been free to start one more
WINDOW = 0.3        # seconds over which that share is read
STARTUP = 0.5       # seconds a run is counted as starting (CPU-bound) after it is let in
PER_CORE = 6        # most runs at once, per core, in auto mode
ALONE_WAIT = 20.0   # seconds an alone run waits for other graders' runs to end
ALONE_PATIENCE = 5.0    # seconds an alone run lets this grader's waiting runs go first


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 2


def _cpu_times() -> tuple[int, int] | None:
    """(idle, total) jiffies of the whole machine so far, or None off Linux."""
    try:
        with open("/proc/stat", "rb") as stat:
            fields = stat.readline().split()
    except OSError:
        return None
    if not fields or fields[0] != b"cpu" or len(fields) < 5:
        return None
    values = [int(v) for v in fields[1:9]]
    return values[3] + (values[4] if len(values) > 4 else 0), sum(values)


class Gate:
    """Admits topic runs one at a time, each when there is room for it."""

    def __init__(self, most: int | None = None) -> None:
        self._changed = threading.Condition()
        self._samples: collections.deque[tuple[float, int, int]] = collections.deque()
        self.running = 0
        self._started: collections.deque[float] = collections.deque()
        self.fixed = False
        self.most = 1
        self._alone = 0                     # alone runs running
        self._impatient = 0                 # alone runs that waited ALONE_PATIENCE out
        self._queue: list[tuple[float, int]] = []   # waiting runs: (-expected s, ticket)
        self._tickets = 0
        self.configure(most)

    def configure(self, most: int | None = None) -> None:
        """``most`` runs at once, fixed; None (or 0): decided by the free CPU."""
        with self._changed:
            self.fixed = bool(most)
            self.most = max(1, most) if most else PER_CORE * cores()
            self._changed.notify_all()

    @contextlib.contextmanager
    def admit(self, alone: bool = False, expected: float = 0.0) -> Iterator[bool]:
        """Wait for room, hold a place while the body runs, give it back.

        Waiting runs go in by ``expected`` seconds, longest first, then in the
        order they asked: a long topic started last would keep the whole grade
        waiting for it alone at the end.
        ``alone``: wait until no other run of this process is going; the runs
        that wait meanwhile go first for ``ALONE_PATIENCE`` s (its submission's
        other topics, the other submissions in flight), then none starts
        until it has run. Keep new ones out while it runs, and take the
        machine's cores from other graders. Yields whether the machine lock
        was had (see machine_turn).
        """
        with self._changed:
            if alone:
                patient_until, impatient = time.monotonic() + ALONE_PATIENCE, False
                try:
                    while self.running or (self._queue and not impatient):
                        if not impatient and time.monotonic() >= patient_until:
                            impatient = True            # from now on no run starts first
                            self._impatient += 1
                            continue
                        self._changed.wait(0.05)
                finally:
                    if impatient:
                        self._impatient -= 1
                self._alone += 1
            else:
                self._tickets += 1
                place = (-expected, self._tickets)
                self._queue.append(place)
                try:
                    while self._alone or min(self._queue) != place \
                            or self._impatient or not self._room(time.monotonic()):
                        self._changed.wait(0.05)
                finally:
                    self._queue.remove(place)
                    self._changed.notify_all()      # the next in line may fit too
            self.running += 1
            if not self.fixed:              # only the CPU rule reads start times
                self._started.append(time.monotonic())
        try:
            with machine_turn(alone) as held:
                yield held
        finally:
            with self._changed:
                self.running -= 1
                if alone:
                    self._alone -= 1
                self._changed.notify_all()

    def _room(self, now: float) -> bool:
        if self.running >= self.most:
            return False
        if self.fixed or self.running < cores():
            return True
        while self._started and now - self._started[0] > STARTUP:
            self._started.popleft()
        if len(self._started) >= cores():
            return False
        idle = self._idle(now)
        return idle is None or idle >= IDLE

    def _idle(self, now: float) -> float | None:
        """The machine's idle share over the last ``WINDOW`` s (None: cannot tell yet)."""
        times = _cpu_times()
        if times is None:
            return None
        self._samples.append((now, *times))
        while now - self._samples[0][0] > 2 * WINDOW:     # a stale view says nothing of now
            self._samples.popleft()
        while len(self._samples) > 1 and now - self._samples[1][0] >= WINDOW:
            self._samples.popleft()
        then, idle_then, total_then = self._samples[0]
        if now - then < WINDOW / 2 or times[1] <= total_then:
            return 0.0          # too short a view: wait for a longer one
        return (times[0] - idle_then) / (times[1] - total_then)


class RunTimes:
    """How long each topic's runs took lately here: the gate starts the long ones first.

    Kept beside the machine lock (``lock_files``), one small JSON file that
    every grader on the machine reads and updates; a missing or damaged file
    only means no run is known yet (the runs then go in the order asked).
    """

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._seconds: dict[str, float] | None = None
        self._lock = threading.Lock()

    def _file(self) -> Path:
        return self._path or lock_files() / "run-seconds.json"

    def _load(self) -> dict[str, float]:
        if self._seconds is None:
            try:
                data = json.loads(self._file().read_text(encoding="utf-8"))
                self._seconds = {str(k): float(v) for k, v in data.items()}
            except (OSError, ValueError, AttributeError, TypeError):
                self._seconds = {}
        return self._seconds

    def expected(self, key: str) -> float:
        """Seconds a run of ``key`` took lately (0 when none is known)."""
        with self._lock:
            return self._load().get(key, 0.0)

    def longest_first(self, topics: list) -> list:
        """``topics`` (anything with a ``name``) by what their runs took lately, longest first."""
        with self._lock:        # a copy: other threads' note() adds keys meanwhile
            known = dict(self._load())

        def took(topic) -> float:
            return sum(s for k, s in known.items() if k.split(" [", 1)[0] == topic.name)
        return sorted(topics, key=took, reverse=True)

    def note(self, key: str, seconds: float) -> None:
        """Remember that a run of ``key`` took ``seconds`` (averaged with what was known)."""
        with self._lock:
            known = self._load()
            known[key] = round((known[key] + seconds) / 2 if key in known else seconds, 2)
            try:
                handle, temporary = tempfile.mkstemp(dir=self._file().parent, suffix=".json")
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    json.dump(known, out)
                os.replace(temporary, self._file())
            except OSError:
                pass


GATE = Gate()
RUN_TIMES = RunTimes()


def lock_files() -> Path:
    """The folder of the machine lock's two files: root's own, or this user's."""
    uid = os.geteuid()
    folder = (Path("/run/concurrency-kit") if uid == 0
              else Path(tempfile.gettempdir()) / f"concurrency-kit-{uid}")
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.mkdtemp(prefix="concurrency-kit-"))
    return folder


@contextlib.contextmanager
def machine_turn(alone: bool, wait: float | None = None) -> Iterator[bool]:
    """Hold the machine lock: shared for a run, exclusive for an alone run.

    Yields whether the hold was had. An alone run polls for the exclusive
    hold for ``wait`` s (``ALONE_WAIT``), then goes on without it; without a
    usable lock folder every run goes on unlocked (the grader's own gate
    still keeps its runs apart).
    """
    try:
        handle = os.open(lock_files() / "cores.lock", os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        handle = None
    try:
        if handle is None:
            yield False
        elif not alone:
            fcntl.flock(handle, fcntl.LOCK_SH)      # waits only while an alone run runs
            yield True
        else:
            yield _exclusive(handle, ALONE_WAIT if wait is None else wait)
    finally:
        if handle is not None:
            os.close(handle)                        # closing drops the hold


def _exclusive(handle: int, wait: float) -> bool:
    """Poll for the exclusive hold of ``handle`` for ``wait`` s; whether it was had."""
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)
