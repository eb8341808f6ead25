"""Run one topic's tests against one module, in a confined subprocess of its own.

Stage two of the grader (find files -> **run each topic isolated** -> score ->
report). Each run gets a fresh folder holding only what it needs: the topic's
tests and their helpers, the module under test, a writable work folder. The
outcome of each test arrives on a private pipe, signed with a key made for
this run; it is never read from the process's output or exit status, and a
test whose outcome never arrived counts as failed.
"""

from __future__ import annotations

import compileall
import dataclasses
import functools
import importlib.util
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from grader import capacity, channel, layout, lint, manifest, marks, sandbox, stall
from grader.channel import TopicStatus
from grader.manifest import Topic
from grader.results import TestOutcome


@dataclasses.dataclass
class TopicRun:
    """What running one topic produced."""

    topic: Topic
    status: TopicStatus
    tests: list[TestOutcome]
    message: str = ""
    seconds: float = 0.0
    notes: list[str] = dataclasses.field(default_factory=list)  # for the instructor only
    output: str = ""
    lint: list[str] = dataclasses.field(default_factory=list)   # static checks' findings


def test_files(topic: Topic, tests_dir: Path, hidden: bool) -> list[Path]:
    """The topic's visible test file, and its hidden one when asked and present."""
    files = [tests_dir / topic.test_file]
    hidden_file = tests_dir / "hidden" / topic.test_file
    if hidden and hidden_file.exists():
        files.append(hidden_file)
    return files


# Keyword-only options that check, grade and verify each set; and the body is one
# straight pass from laying out the run to its verdict, clearer unsplit.
def run_topic(  # pylint: disable=too-many-arguments,too-many-locals
        topic: Topic, target: Path | None = None, *, source: bytes | None = None,
        hidden: bool = False, tests_dir: Path | None = None,
        timeout: float | None = None, confine: bool = False) -> TopicRun:
    """Run the tests of ``topic`` against ``source`` (or ``target/<topic>.py``)."""
    tests_dir = tests_dir or manifest.ROOT / "tests"
    if source is None:
        module = (target or manifest.ROOT / "exercises") / topic.module_file
        if not module.is_file():
            return TopicRun(topic, TopicStatus.MISSING, [], f"{topic.module_file} was not found")
        source = module.read_bytes()
    limit = timeout if timeout is not None else topic.timeout
    with tempfile.TemporaryDirectory(prefix=f"kit-{topic.name}-") as scratch:
        run = _lay_out(Path(scratch), topic, source, tests_dir, hidden)
        confinement = sandbox.available() if confine else sandbox.Confinement("none", "")
        # The static checks run meanwhile, in the grader's lint worker (grader.lint).
        checked: list[list[str]] = []
        checking = threading.Thread(target=lambda: checked.append(lint.findings(
            source, topic.name)), daemon=True)
        checking.start()
        alone = marks.alone(test_files(topic, tests_dir, hidden))
        phases = [_Phase(run, topic, confinement, select="not " + marks.ALONE if alone else None),
                  _Phase(run, topic, confinement, select=marks.ALONE)] if alone else \
            [_Phase(run, topic, confinement)]
        for phase in phases:
            phase.execute(limit - sum(p.seconds for p in phases), alone=phase.select == marks.ALONE)
        checking.join()
    tests, notes, status, output = _merged(phases, alone)
    findings = checked[0] if checked else []
    if confinement.note:
        notes.append(confinement.note)
    status = channel.settle(tests, status, limit)
    records = [TestOutcome(t["name"], t["status"], message=t["message"], points=t["points"],
                           finished=t["finished"]) for t in tests]
    message = ""
    if status == TopicStatus.TIMEOUT:
        message = f"stopped after {limit:.0f} s"
    elif status == TopicStatus.ERROR:
        message = channel.collection_problem(output, topic.test_file, topic.name)
    return TopicRun(topic, status, records, message, sum(p.seconds for p in phases), notes,
                    output, findings)


@dataclasses.dataclass
class _Phase:
    """One pytest run of a topic: all its tests, or those (not) marked ``alone``."""

    run: Path
    topic: Topic
    confinement: sandbox.Confinement
    select: str | None = None
    seconds: float = 0.0
    outcome: tuple[list[dict], list[str], TopicStatus, str] = ([], [], TopicStatus.GRADED, "")

    def execute(self, limit: float, alone: bool = False) -> None:
        """Run it when the gate has room (the machine to itself when ``alone``)."""
        if limit <= 0:
            self.outcome = [], [], TopicStatus.TIMEOUT, ""
            return
        key = self.topic.name + (f" [{self.select}]" if self.select else "")
        with capacity.GATE.admit(alone, expected=capacity.RUN_TIMES.expected(key)) as held, \
                sandbox.grading_user(self.confinement, self.run) as user:
            started = time.monotonic()      # the run's own time, not its wait for room
            self.outcome = _execute(self.run, self.topic, limit, self.confinement, user,
                                    select=self.select)
            self.seconds = time.monotonic() - started
        capacity.RUN_TIMES.note(key, self.seconds)
        if user is not None:
            self.outcome[1].extend(f for f in user.flags if f not in self.outcome[1])
        if alone and not held:
            self.outcome[1].append(f"{self.topic.name}: its tests marked alone ran beside "
                                   "other graders' runs (the machine never came free)")


def _merged(phases: list[_Phase], alone: dict[str, float]
            ) -> tuple[list[dict], list[str], TopicStatus, str]:
    """One outcome from the phases of a run; an alone test that never ran counts as failed."""
    if len(phases) == 1:
        return phases[0].outcome
    tests: list[dict] = []
    notes: list[str] = []
    statuses = []
    for phase in phases:
        phase_tests, phase_notes, status, _ = phase.outcome
        if not phase_tests and status == TopicStatus.GRADED:
            status = TopicStatus.ERROR      # a run that collected nothing: the topic is in error
        tests += phase_tests
        notes += [n for n in phase_notes if n not in notes]
        statuses.append(status)
    output = "\n".join(p.outcome[3] for p in phases if p.outcome[3])
    if TopicStatus.ERROR in statuses:
        return [], notes, TopicStatus.ERROR, output
    ran = {t["name"].split("[", 1)[0] for t in tests}
    tests += [{"name": name, "status": channel.Status.FAILED, "points": points,
               "message": "this test did not run (it needs the machine to itself)",
               "finished": False} for name, points in alone.items() if name not in ran]
    status = TopicStatus.TIMEOUT if TopicStatus.TIMEOUT in statuses else TopicStatus.GRADED
    return tests, notes, status, output


@functools.lru_cache(maxsize=None)
def _compiled(folder: Path) -> None:
    """Byte-compile the kit's own test files once, where the kit is writable."""
    try:
        compileall.compile_dir(folder, maxlevels=1, quiet=2)
    except OSError:
        pass


def _copy(source: Path, dest: Path) -> None:
    """Copy a kit file with its mtime and its cached bytecode: no recompiling per run."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, dest)
    cached = Path(importlib.util.cache_from_source(str(source)))
    if cached.exists():
        (dest.parent / "__pycache__").mkdir(exist_ok=True)
        shutil.copy2(cached, dest.parent / "__pycache__" / cached.name)


# Run folders are laid out one at a time. The topics of a grade start together:
# without the lock each of them compiled the test folders and parsed the
# grader's modules for the plugin's imports at the same time (1.4 s before the
# first of twelve runs started, against 0.1 s for one), and the ~40 ms of
# copying each, under the GIL, made all twelve ready together 0.5 s into the
# grade; one after the other, the first (longest) run starts after 40 ms.
_LAYING_OUT = threading.Lock()


def _kit_files(tests_dir: Path) -> tuple[str, ...]:
    """Compile the kit's tests and grader once; the plugin's files (see layout.plugin_files)."""
    for folder in (tests_dir, tests_dir / "hidden", manifest.ROOT / "grader"):
        _compiled(folder)
    return layout.plugin_files()


def _lay_out(root: Path, topic: Topic, source: bytes, tests_dir: Path, hidden: bool) -> Path:
    """The run folder: tests (read-only), submission (read-only), lib, work."""
    with _LAYING_OUT:
        plugin = _kit_files(tests_dir)
        for name in layout.test_helpers(tests_dir):
            _copy(tests_dir / name, root / channel.TESTS / name)
        for path in test_files(topic, tests_dir, hidden):
            _copy(path, root / channel.TESTS / path.relative_to(tests_dir))
        (root / channel.SUBMISSION).mkdir()
        (root / channel.SUBMISSION / topic.module_file).write_bytes(source)
        # The plugin and what it imports (pylint_concurrency goes along for --lint-file,
        # which the nbgrader cells use; the grader itself checks in grader.lint).
        for name in plugin:
            _copy(manifest.ROOT / "grader" / name, root / channel.LIB / "grader" / name)
        shutil.copyfile(manifest.ROOT / "pyproject.toml", root / channel.CONFIG)
        (root / channel.WORK).mkdir()
        return root


# One piece on purpose: each descriptor is opened, handed over and closed in sight of the others.
def _execute(run: Path, topic: Topic, limit: float,  # pylint: disable=too-many-locals,too-many-arguments
             confinement: sandbox.Confinement, user: sandbox.GradingUser | None = None, *,
             select: str | None = None) -> tuple[list[dict], list[str], TopicStatus, str]:
    """Run pytest on ``run`` confined, for at most ``limit`` s.

    Returns the tests as the channel read them, the instructor's notes, how
    the run ended (graded: it ended by itself; timeout; error: it never
    started) and the output.
    """
    key = secrets.token_bytes(32)
    results_read, results_write = os.pipe()
    key_read, key_write = os.pipe()
    os.write(key_write, key.hex().encode())
    os.close(key_write)
    marker = secrets.token_hex(8)
    work = run / channel.WORK
    basetemp = "/tmp/kit-basetemp" if confinement.kind == "bwrap" else str(work / ".tmp")
    command = channel.pytest_command(sys.executable, run, results_fd=results_write,
                                     key_fd=key_read, basetemp=basetemp, select=select)
    readonly = [run / channel.TESTS, run / channel.SUBMISSION, run / channel.LIB,
                run / channel.CONFIG]
    if user is not None:        # the run's uid reads its own folder only; other runs' stay closed
        sandbox.hand_over(run, user, readonly, [work])
    command = sandbox.wrap(command, readonly=readonly, writable=[work], cwd=work,
                           cpu_seconds=int(limit * 2) + 5, confinement=confinement, user=user)
    env = channel.child_env(run, os.environ.get("PATH", "/usr/bin:/bin"),
                            **{sandbox.MARKER: marker})
    lines: list[str] = []
    reader = threading.Thread(target=_read_lines, args=(results_read, lines), daemon=True)
    reader.start()
    output = _CappedOutput()
    status = TopicStatus.GRADED
    try:
        # Not a with block: the finally below kills the process group and reaps it.
        process = subprocess.Popen(  # pylint: disable=consider-using-with
            command, cwd=work, env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            pass_fds=(results_write, key_read), start_new_session=True)
    except OSError as exc:
        os.close(results_write)
        os.close(key_read)
        reader.join(5)
        return [], [], TopicStatus.ERROR, channel.NOT_STARTED.format(error=exc)
    os.close(results_write)
    os.close(key_read)
    pump = threading.Thread(target=output.pump, args=(process.stdout,), daemon=True)
    pump.start()
    watcher = stall.Watcher(process.pid)
    try:
        with watcher:               # fails a test at once when nothing in the run can move
            process.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        status = TopicStatus.TIMEOUT
    finally:
        sandbox.kill_everything(process, marker)
        process.wait()
    pump.join(5)
    reader.join(5)
    tests, notes, _ = channel.read_results(lines, key)
    if watcher.stalls:
        notes.append(f"{topic.name}: {watcher.stalls} time(s) every thread waited with no "
                     "time limit; the test running then was failed at once")
    if output.cut:
        notes.append(f"{topic.name}: output was {output.total:,} bytes; "
                     f"{output.cut:,} were cut from the middle")
    return tests, notes, status, output.text()


def _read_lines(fd: int, into: list[str]) -> None:
    with os.fdopen(fd, "r", encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if len(into) < 100_000:
                into.append(line)


class _CappedOutput:
    """Keep the head and the tail of a process's output, and count the rest."""

    def __init__(self) -> None:
        self.head = bytearray()
        self.tail = bytearray()
        self.total = 0
        self.cut = 0

    def pump(self, stream) -> None:
        """Read ``stream`` to its end, keeping only the head and the tail."""
        while True:
            chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
            if not chunk:
                return
            self.total += len(chunk)
            room = channel.OUTPUT_KEEP - len(self.head)
            if room > 0:
                self.head += chunk[:room]
                chunk = chunk[room:]
            self.tail += chunk
            if len(self.tail) > channel.OUTPUT_KEEP:
                self.cut += len(self.tail) - channel.OUTPUT_KEEP
                del self.tail[:-channel.OUTPUT_KEEP]

    def text(self) -> str:
        """The output kept, with a note where its middle was cut."""
        middle = f"\n[... {self.cut:,} bytes cut ...]\n" if self.cut else ""
        return (self.head.decode("utf-8", "replace") + middle
                + self.tail.decode("utf-8", "replace"))
