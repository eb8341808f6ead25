"""Task functions the gil_experiment tests run in threads and in processes.

They live in a module of their own, importable by name, so that they pickle
under every start method (``spawn`` and ``forkserver`` re-import them in the
child). Processes coordinate through files: that works whatever the start
method. The one table here (``_HELD``) is guarded by a lock.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.process
import multiprocessing.util
import os
import threading
import time
from pathlib import Path

_HELD: dict[int, object] = {}      # pid -> its exit hold (one per process)
_HELD_LOCK = threading.Lock()


def meet(folder: str, n: int, index: int, limit: float = 3.0) -> tuple:
    """Sign in, wait until ``n`` calls signed in (``limit`` s at most).

    Returns (index, pid, how many had signed in, start, end): the start and
    end times are ``time.monotonic()``, one clock for every process.
    """
    start = time.monotonic()
    Path(folder, f"{index}-{os.getpid()}").touch()
    deadline = start + limit
    seen = len(os.listdir(folder))
    while seen < n and time.monotonic() < deadline:
        time.sleep(0.005)
        seen = len(os.listdir(folder))
    return index, os.getpid(), seen, start, time.monotonic()


class JoinGate:
    """Let each held process (``hold_exit``) go as the code under test joins it.

    ``open(monkeypatch)`` wraps ``Process.join`` so that joining a process
    first makes its ``open-<pid>`` file; ``call`` runs the code under test
    and lets every process go once it ended.
    """

    def __init__(self, folder: Path) -> None:
        folder.mkdir(exist_ok=True)
        self.folder = folder

    def open(self, monkeypatch) -> None:
        """Wrap BaseProcess.join for the rest of the test."""
        real = multiprocessing.process.BaseProcess.join
        folder = self.folder

        def join(process, timeout=None):
            if process.pid is not None:
                Path(folder, f"open-{process.pid}").touch()
            return real(process, timeout)

        monkeypatch.setattr(multiprocessing.process.BaseProcess, "join", join)

    def release(self) -> None:
        """Let every held process go."""
        Path(self.folder, "all").touch()

    def call(self, func, *args, timeout: float = 20.0):
        """``func(*args)`` in the background: (call, finished in time, new processes alive).

        The processes alive are those started during the call and still
        alive when it ended; then every held process is let go.
        """
        from probes import Background  # pylint: disable=import-outside-toplevel
        before = set(multiprocessing.active_children())
        try:
            call = Background(func, *args)
            finished = call.finished_within(timeout)
            alive = ([p for p in multiprocessing.active_children() if p not in before]
                     if finished else [])
        finally:
            self.release()
        return call, finished, alive


def in_turn(folder: str, index: int, after: int | None, value=None, size: int = 0):
    """Return once the process of call ``after`` has exited (at once when None).

    Returns ``value``, or ``size`` bytes marked with ``index`` when ``size``
    is given (a result far bigger than a pipe holds). The process notes its
    own exit in ``folder`` after everything else at exit, its queue's
    flushing included: what it sent is in the pipe before the next call in
    turn returns, so the order in which results arrive is fixed, whatever
    the load. A call whose ``after`` never exits waits 3 s, then returns.
    """
    multiprocessing.util.Finalize(None, Path(folder, f"exited-{index}").touch,
                                  exitpriority=-100)
    if after is not None:
        _wait_for(str(Path(folder, f"exited-{after}")), 3.0)
    return big(index, size) if size else value


def big(index: int, size: int) -> bytes:
    """``size`` bytes marked with ``index``."""
    return bytes([index % 256]) * size


def hold_exit(gate: str | None, limit: float = 3.0) -> None:
    """Make this process, once its task is done, wait to exit until it is let go.

    ``gate`` is a folder: the process exits once ``open-<its pid>`` or
    ``all`` appears there (``limit`` s at most). The test makes
    ``open-<pid>`` as the code under test starts to join that process, and
    ``all`` once the code returned: a process nobody joins is still alive
    when the code returns, every time, and one that is joined exits at once.
    """
    if gate is None:
        return
    with _HELD_LOCK:
        if os.getpid() not in _HELD:
            _HELD[os.getpid()] = multiprocessing.util.Finalize(
                None, _wait_for_any, args=(gate, f"open-{os.getpid()}", limit),
                exitpriority=100)


def _wait_for_any(folder: str, name: str, limit: float) -> None:
    deadline = time.monotonic() + limit
    while (not os.path.exists(os.path.join(folder, name))
           and not os.path.exists(os.path.join(folder, "all"))
           and time.monotonic() < deadline):
        time.sleep(0.005)


def _wait_for(path: str, limit: float) -> None:
    deadline = time.monotonic() + limit
    while not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.005)


def outcome_after(index: int, delay: float, message: str | None = None,
                  gate: str | None = None) -> int:
    """Sleep ``delay`` s; then raise ValueError(message), or return ``index * 10``.

    With ``gate``, the process exits only once let go (see ``hold_exit``).
    """
    hold_exit(gate)
    time.sleep(delay)
    if message is not None:
        raise ValueError(message)
    return index * 10


def vanish(index: int, code: int | None, gate: str | None = None) -> int:
    """``os._exit(code)`` without returning (when ``code`` is given); else ``index * 10``.

    With ``gate``, a process that returns exits only once let go (``hold_exit``).
    """
    if code is not None:
        if multiprocessing.parent_process() is None:      # never end the test's own process
            raise ProcessLookupError("vanish() ran in the test's own process, not in a "
                                     "child process")
        os._exit(code)  # pylint: disable=protected-access
    hold_exit(gate)
    return index * 10


def linger(index: int, gate: str) -> int:
    """Return ``index * 10``; the process exits only once let go (``hold_exit``)."""
    hold_exit(gate)
    return index * 10


def trace_work(seconds: float, folder: str | None = None, n: int = 1,
               gap: float = 0.0002) -> tuple[int, list[tuple[float, float]]]:
    """Compute for ``seconds`` of this thread's CPU time; note when it was computing.

    With ``folder``, first sign in there and wait until ``n``
    calls signed in (1 s at most), so that they start computing together whatever
    the start method. Returns (pid, runs): each run is a (start, end)
    stretch of ``time.monotonic()`` during which the loop never stopped for
    more than ``gap`` s. Two threads of a GIL build never compute at the
    same instant, so their runs never overlap; two processes on two free
    cores do.
    """
    if folder is not None:
        Path(folder, f"{os.getpid()}-{threading.get_ident()}").touch()
        deadline = time.monotonic() + 1.0
        while len(os.listdir(folder)) < n and time.monotonic() < deadline:
            time.sleep(0.002)
    runs = []
    clock, cpu = time.monotonic, time.thread_time
    start = cpu()
    run_start = previous = clock()
    while cpu() - start < seconds:
        for _ in range(20):
            pass
        now = clock()
        if now - previous > gap:
            runs.append((run_start, previous))
            run_start = now
        previous = now
    runs.append((run_start, previous))
    return os.getpid(), runs


def overlap(first: list[tuple[float, float]], second: list[tuple[float, float]]) -> float:
    """Seconds during which both lists of (start, end) runs were running."""
    total = 0.0
    i = j = 0
    while i < len(first) and j < len(second):
        low = max(first[i][0], second[j][0])
        high = min(first[i][1], second[j][1])
        total += max(0.0, high - low)
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return total


def timed_calls(log: list, lock: threading.Lock, pause: float):
    """A task that sleeps ``pause`` s and logs (thread, start, end, args)."""
    def task(*args):
        start = time.monotonic()
        time.sleep(pause)
        with lock:
            log.append((threading.current_thread(), start, time.monotonic(), args))
        return args[0]
    return task


def slow_runner(seen: list, pause: float):
    """A runner that takes ``pause`` s and returns the results without calling func."""
    def runner(func, args_list):
        start = time.monotonic()
        time.sleep(pause)
        seen.append((func, list(args_list), time.monotonic() - start))
        return [args[0] for args in args_list]
    return runner


def check_speedup(mod, task_pause: float = 0.02, runner_pause: float = 0.2) -> None:
    """speedup(runner, task, 3 args) against the test's own timing of both parts.

    Imports the kit's probes (and so pytest) only when called: a child
    process that imports this module for a task stays quick to start.
    """
    from probes import expect  # pylint: disable=import-outside-toplevel
    log, lock, seen = [], threading.Lock(), []
    task = timed_calls(log, lock, task_pause)
    args = [(0,), (1,), (2,)]
    value = mod.speedup(slow_runner(seen, runner_pause), task, args)
    expect(len(seen) == 1 and seen[0][0] is task and seen[0][1] == args,
           f"speedup called the runner {len(seen)} times: call runner(func, args_list) "
           "exactly once.")
    expect([entry[3] for entry in log] == args
           and all(entry[0] is threading.current_thread() for entry in log),
           "speedup must call func(*args) for every args in turn, in the calling thread "
           "(that is the serial time).")
    serial = sum(end - start for _, start, end, _ in log)
    expected = serial / seen[0][2]
    expect(isinstance(value, float) and expected / 2 < value < expected * 2,
           f"speedup returned {value!r}; the serial calls took {serial:.3f} s and the "
           f"runner {seen[0][2]:.3f} s, so about {expected:.2f}: serial time divided by "
           "the runner's time (above 1 means the runner was faster).")
