"""What a zygote could save: topic runs forked from a pre-imported pytest, against exec'd ones.

    python bench/zygote_bound.py                 # 5 pairs of full grades of the solutions
    python bench/zygote_bound.py --pairs 8

An upper bound for the speed issue's "share the start-up" lever, measured
before building it. Both sides grade `solutions/` with every topic run
*unconfined* (no bubblewrap, no grading user), so that the only difference is
how a run's process begins (neither gets prlimit's resource limits):

* exec: `python -m pytest ...` as the grader runs it today;
* fork: one server process imports pytest, its plugins, the grader's plugin
  and the standard modules the tests use, then forks a child per run, which
  takes the run's environment, folder, descriptors and arguments and calls
  pytest's entry point. The grader waits on the child with a pidfd.

The grades alternate (fork, exec, fork, ...) so that a machine whose speed
drifts treats both alike. Prints each grade's wall time and the machine's CPU
seconds over it (/proc/stat), then the medians. Nothing here confines the
code under test: run it on the solutions only. It asserts nothing.
"""

from __future__ import annotations

import argparse
import fcntl
import importlib.util
import json
import os
import select
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def serve(path: str) -> None:
    """The fork server: pre-import, then one forked child per request on the socket ``path``."""
    # pylint: disable=import-outside-toplevel,unused-import,too-many-locals
    import asyncio  # noqa: F401
    import concurrent.futures  # noqa: F401
    import multiprocessing  # noqa: F401
    import queue  # noqa: F401
    import threading  # noqa: F401

    import pytest
    import pytest_timeout  # noqa: F401
    import _pytest.python  # noqa: F401
    import _pytest.terminal  # noqa: F401
    import grader.pytest_plugin  # noqa: F401
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)      # the kernel reaps the children
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(path)
        server.listen(64)
        while True:
            connection, _ = server.accept()
            message, fds, _, _ = socket.recv_fds(connection, 1 << 20, 16)
            request = json.loads(message)
            pid = os.fork()
            if pid == 0:
                server.close()
                connection.close()
                _child(request, fds, pytest.console_main)
            for fd in fds:
                os.close(fd)
            connection.sendall(str(pid).encode())
            connection.close()


def _child(request: dict, fds: list[int], console_main) -> None:
    """Become the run: its descriptors, environment, folder, arguments; never return."""
    os.setsid()
    output, *passed = fds
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(output, 1)
    os.dup2(output, 2)
    moved = [fcntl.fcntl(fd, fcntl.F_DUPFD, 200) for fd in passed]   # out of the way first
    for number, fd in zip(request["numbers"], moved):
        os.dup2(fd, number)
    os.closerange(3, min(request["numbers"], default=200))
    for fd in range(min(request["numbers"], default=200), 1024):
        if fd not in request["numbers"]:
            try:
                os.close(fd)
            except OSError:
                pass
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    sys.dont_write_bytecode = True
    sys.path[:0] = [request["cwd"], *request["env"]["PYTHONPATH"].split(os.pathsep)]
    entry = types.ModuleType("__main__")    # what spawned children re-import: as for -m pytest
    entry.__spec__ = importlib.util.find_spec("pytest.__main__")
    sys.modules["__main__"] = entry
    sys.argv = ["pytest", *request["args"]]
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    code = 1
    try:
        code = console_main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code or 0)


class Forked:
    """The part of subprocess.Popen the runner uses, for a child of the fork server."""

    def __init__(self, server: str, command: list[str], cwd, env, pass_fds) -> None:
        read, write = os.pipe()
        self.stdout = os.fdopen(read, "rb")
        request = {"args": command[command.index("pytest") + 1:], "cwd": str(cwd),
                   "env": env, "numbers": list(pass_fds)}
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(server)
            socket.send_fds(client, [json.dumps(request).encode()], [write, *pass_fds])
            os.close(write)
            self.pid = int(client.recv(64))
        self.pidfd = os.pidfd_open(self.pid)
        self.returncode: int | None = None

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the child's end (its status is not ours to read: 0)."""
        if not select.select([self.pidfd], [], [], timeout)[0]:
            raise subprocess.TimeoutExpired("forked run", timeout or 0)
        self.returncode = 0
        return 0

    def kill(self) -> None:
        """Kill the child's process group."""
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except OSError:
            pass


def grade(server: str | None) -> None:
    """One full grade of the solutions, unconfined; runs forked by ``server`` when given."""
    # pylint: disable=import-outside-toplevel
    from grader import __main__ as entry, runner, sandbox
    sandbox.available = lambda: sandbox.Confinement("none", "")
    sandbox.limits_prefix = lambda *args, **kwargs: []     # no prlimit(1) before either
    if server:
        popen = subprocess.Popen

        def forked(command, **options):
            if command[1:3] == ["-m", "pytest"]:      # the topic run, not the lint worker
                return Forked(server, command, options["cwd"], options["env"],
                              options["pass_fds"])
            return popen(command, **options)
        runner.subprocess.Popen = forked
    entry.main(["grade", str(ROOT / "solutions")])


def _cpu() -> int:
    with open("/proc/stat", encoding="ascii") as stat:
        fields = stat.readline().split()
    return int(fields[1]) + int(fields[2]) + int(fields[3])


def timed(server: str | None) -> tuple[float, float]:
    """(wall s, machine CPU s) of one grade in a process of its own."""
    cpu, started = _cpu(), time.monotonic()
    subprocess.run([sys.executable, __file__, "--grade", *(["--server", server] if server
                                                           else [])],
                   cwd=ROOT, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - started, (_cpu() - cpu) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    """Alternate forked and exec'd grades; print each, then the medians."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--grade", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--server", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return 0
    if args.grade:
        grade(args.server)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "zygote")
        with subprocess.Popen([sys.executable, __file__, "--serve", path], cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}) as server:
            while not os.path.exists(path):
                time.sleep(0.05)
            figures: dict[str, list[tuple[float, float]]] = {"fork": [], "exec": []}
            try:
                for _ in range(args.pairs):
                    for kind in ("fork", "exec"):
                        wall, cpu = timed(path if kind == "fork" else None)
                        figures[kind].append((wall, cpu))
                        print(f"{kind}: {wall:5.2f} s wall, {cpu:5.2f} CPU-s", flush=True)
            finally:
                server.kill()
    for kind, runs in figures.items():
        print(f"median {kind}: {statistics.median(w for w, _ in runs):5.2f} s wall, "
              f"{statistics.median(c for _, c in runs):5.2f} CPU-s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
