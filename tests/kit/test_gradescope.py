"""The Gradescope autograder zip, run the way Gradescope runs it.

Gradescope unpacks the zip into /autograder/source, runs setup.sh, copies
run_autograder to /autograder/run_autograder and runs that copy from
/autograder with a bare environment. Here bubblewrap gives the script a
real /autograder (a temporary folder bound there) on a root that holds the
system and the Python the kit was installed with, and nothing of this
checkout: the script has only the zip to go on. setup.sh itself is not run
(it installs from apt and PyPI); /autograder/venv stands for the venv it
makes, and its pins are checked against the ones the kit is tested with.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from kitsupport import path_without

from grader import export, gradescope_zip, manifest, runner, sandbox, scoring
from grader.channel import Status
from grader.results import SubmissionResult, TestOutcome

ROOT = manifest.ROOT
TOPICS = manifest.load()
BWRAP = shutil.which("bwrap")
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def _can_bind_autograder() -> bool:
    if not BWRAP:
        return False
    probe = [BWRAP, *sandbox.system_binds(), "--tmpfs", "/autograder", "/usr/bin/true"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


needs_layout = pytest.mark.skipif(not _can_bind_autograder(), reason=(
    "bubblewrap cannot make a private /autograder here; the real layout is not reproduced"))


def unpack(tmp_path: Path) -> Path:
    """The zip unpacked as Gradescope does; the folder that stands for /autograder."""
    archive = gradescope_zip.build(tmp_path / "autograder.zip")
    autograder = tmp_path / "autograder"
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(autograder / "source")
    shutil.copy(autograder / "source" / "run_autograder", autograder / "run_autograder")
    (autograder / "run_autograder").chmod(0o755)
    (autograder / "submission").mkdir()
    return autograder


def run_as_gradescope(autograder: Path, python: str | None = sys.executable,
                      timeout: float = 300, path: str = PATH) -> tuple[dict, str]:
    """Run /autograder/run_autograder from /autograder, bare environment; results and stdout.

    ``path`` is the PATH the script gets (one without bwrap and unshare plays
    a Docker container whose seccomp profile refuses namespaces).
    """
    venv, base = Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()
    # /tmp and /dev/shm open to every user (mode 1777), as in a Docker container.
    command = [BWRAP, "--die-with-parent", "--proc", "/proc", "--dev", "/dev",
               "--perms", "1777", "--tmpfs", "/dev/shm", "--perms", "1777", "--tmpfs", "/tmp",
               "--bind", str(autograder), "/autograder"]
    command += sandbox.system_binds()
    # The host's lease folder of grading uids: a grader in here and one outside
    # (another test, in parallel) must never be handed the same uid.
    locks = sandbox.lock_folder()
    command += ["--bind", str(locks), str(sandbox.LOCKS)]
    for folder in sorted({venv, base} | {Path(p) for p in path.split(":") if p.startswith("/tmp")}):
        command += ["--ro-bind", str(folder), str(folder)]
    if python:                      # what setup.sh would have made
        command += ["--symlink", str(venv), "/autograder/venv"]
    command += ["--clearenv", "--setenv", "PATH", path, "--setenv", "HOME", "/root",
                "--chdir", "/autograder", "/autograder/run_autograder"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    results = autograder / "results" / "results.json"
    assert results.exists(), done.stdout[-2000:] + done.stderr[-2000:]
    return json.loads(results.read_text(encoding="utf-8")), done.stdout


def copy_into(submission: Path, folder: str, notes_bait: str = "") -> None:
    """Each topic's module from ``folder`` of the kit into the submission, one level down."""
    (submission / "repo").mkdir()
    for topic in TOPICS:
        text = (ROOT / folder / topic.module_file).read_text(encoding="utf-8")
        (submission / "repo" / topic.module_file).write_text(text + notes_bait,
                                                             encoding="utf-8")


@needs_layout
@pytest.mark.timeout(600)
def test_the_reference_solutions_get_full_marks_in_the_real_layout(tmp_path):
    autograder = unpack(tmp_path)
    copy_into(autograder / "submission", "solutions", "\nimport gc as _gc\n")
    results, stdout = run_as_gradescope(autograder)
    assert results["score"] == sum(t.points for t in TOPICS), results["output"]
    tests = results["tests"]
    assert {t["visibility"] for t in tests} == {"visible", "after_published"}
    for test in tests:
        assert {"name", "score", "max_score", "status", "output", "visibility"} <= set(test)
        assert test["status"] == "passed" and test["score"] == test["max_score"], test
    # The scan's note on `import gc` is for the instructor: stdout and extra_data, never output.
    assert "garbage collector" not in results["output"]
    assert any("garbage collector" in note for note in results["extra_data"]["notes"])
    assert "garbage collector" in stdout
    # Student code may read neither the kit (hidden tests) nor the results.
    for private in (autograder / "source", autograder / "results"):
        assert private.stat().st_mode & 0o007 == 0, oct(private.stat().st_mode)


FORGER = """
import pathlib as _pathlib
for _target, _text in (("/autograder/run_autograder", "\\necho '{\\"score\\": 60}' > /autograder/results/results.json\\n"),
                       ("/autograder/results/results.json", '{"score": 60, "output": "forged"}')):
    try:
        with open(_target, "a") as _handle:
            _handle.write(_text)
    except OSError:
        pass
try:
    _stolen = _pathlib.Path("/autograder/source/tests/hidden/test_pool_async.py").read_text()
except OSError:
    _stolen = ""
if _stolen:
    raise SystemExit("read the hidden tests: " + _stolen[:200])
"""


@needs_layout
@pytest.mark.timeout(600)
def test_without_namespaces_student_code_can_neither_forge_nor_read_the_kit(tmp_path):
    # Docker's default seccomp profile refuses bwrap and unshare; a PATH without
    # them gives the grader the same choice: a grading user of its own.
    autograder = unpack(tmp_path)
    copy_into(autograder / "submission", "solutions")
    countdown = autograder / "submission" / "repo" / "countdown.py"
    countdown.write_text(countdown.read_text(encoding="utf-8") + FORGER, encoding="utf-8")
    script = (autograder / "run_autograder").read_text(encoding="utf-8")
    results, stdout = run_as_gradescope(autograder, path=path_without(("bwrap", "unshare")))
    assert results["score"] == sum(t.points for t in TOPICS), results
    assert "forged" not in json.dumps(results)
    assert (autograder / "run_autograder").read_text(encoding="utf-8") == script
    assert any("grading user" in note or "uid" in note for note in results["extra_data"]["notes"])
    assert "note:" in stdout


@needs_layout
@pytest.mark.timeout(600)
def test_the_stubs_get_zero_in_the_real_layout(tmp_path):
    autograder = unpack(tmp_path)
    copy_into(autograder / "submission", "exercises")
    results, _ = run_as_gradescope(autograder)
    assert results["score"] == 0
    assert len({t["name"].split(":")[0] for t in results["tests"]}) == len(TOPICS)


@needs_layout
@pytest.mark.parametrize("breakage", ["no python", "grader crashes", "grader missing"])
def test_a_broken_autograder_still_writes_results(tmp_path, breakage):
    autograder = unpack(tmp_path)
    copy_into(autograder / "submission", "solutions")
    if breakage == "grader crashes":
        (autograder / "source" / "grader" / "grade.py").write_text(
            "raise RuntimeError('broken on purpose')\n", encoding="utf-8")
    elif breakage == "grader missing":
        shutil.rmtree(autograder / "source" / "grader")
    results, stdout = run_as_gradescope(autograder, python=None if breakage == "no python"
                                        else sys.executable)
    assert results["score"] == 0 and results["tests"] == []
    assert results["output"].startswith("The autograder could not grade this submission")
    assert "not at fault" in results["output"]
    why = {"no python": "no Python at /autograder/venv/bin/python",
           "grader crashes": "broken on purpose", "grader missing": "No module named"}[breakage]
    assert any(why in note for note in results["extra_data"]["notes"]), results
    assert why in stdout and why not in results["output"]


@needs_layout
@pytest.mark.timeout(300)
def test_a_grade_cut_short_keeps_the_topics_already_graded(tmp_path):
    autograder = unpack(tmp_path)
    copy_into(autograder / "submission", "solutions")
    # The last topic's module hangs at import; the time limit stops the grade first.
    last = TOPICS[-1].module_file
    (autograder / "submission" / "repo" / last).write_text(
        "import time\ntime.sleep(10 ** 6)\n", encoding="utf-8")
    script = autograder / "run_autograder"
    text = script.read_text(encoding="utf-8")
    # 40 s: under the hanging topic's own 60 s, and room for a few topics on a loaded machine.
    script.write_text(text.replace('LIMIT="${KIT_TIME_LIMIT:-540}"', 'LIMIT=40'),
                      encoding="utf-8")
    results, stdout = run_as_gradescope(autograder)
    by_topic = {}
    for test in results["tests"]:
        by_topic.setdefault(test["name"].split(":")[0], []).append(test)
    cut = {name for name, tests in by_topic.items()
           if any("not graded: the grader stopped" in t.get("output", "") for t in tests)}
    assert TOPICS[-1].name in cut, by_topic[TOPICS[-1].name]
    # Which topics finish before the cut depends on the machine's load; each that did
    # keeps its solution's full marks.
    graded = {name: tests for name, tests in by_topic.items() if name not in cut}
    assert graded, stdout
    assert all(t["status"] == "passed" for tests in graded.values() for t in tests), graded
    assert "took over 40 s" in stdout


def test_the_zip_holds_the_kit_and_never_the_solutions(tmp_path):
    archive = gradescope_zip.build(tmp_path / "autograder.zip")
    with zipfile.ZipFile(archive) as zipped:
        names = set(zipped.namelist())
        modes = {i.filename: i.external_attr >> 16 for i in zipped.infolist()}
    assert {"setup.sh", "run_autograder", "grader/runner.py", "tests/hidden/test_countdown.py",
            "topics.toml", "constraints.txt"} <= names
    assert not any(n.startswith("solutions/") or "/wrong/" in n or "/kit/" in n for n in names)
    assert modes["run_autograder"] & 0o111 and modes["setup.sh"] & 0o111


def test_the_scripts_name_the_kit_by_its_place_not_their_own():
    # Gradescope runs a copy of run_autograder one level above the kit.
    assert "$0" not in gradescope_zip.RUN
    assert 'KIT="$ROOT/source"' in gradescope_zip.RUN
    bash = shutil.which("bash")
    for script in (gradescope_zip.RUN, gradescope_zip.SETUP):
        assert subprocess.run([bash, "-n"], input=script, text=True, check=False).returncode == 0


def pins(text: str) -> dict[str, str]:
    """name -> version for each ``name==version`` line."""
    return {m[1].lower(): m[2] for m in re.finditer(r"^([A-Za-z0-9_.-]+)==(\S+)", text, re.M)}


def test_setup_installs_the_pins_the_kit_is_tested_with():
    constraints = pins((ROOT / "constraints.txt").read_text(encoding="utf-8"))
    assert {"pytest", "pytest-timeout", "pylint"} <= set(constraints)
    for name, version in constraints.items():     # what this very run uses
        assert importlib.metadata.version(name) == version, name
    install = [line for line in gradescope_zip.SETUP.splitlines() if "pip install" in line]
    assert install and all('-c "$HERE/constraints.txt"' in line for line in install)
    assert "deadsnakes" in gradescope_zip.SETUP and "python3 -c" in gradescope_zip.SETUP


def test_a_passed_test_shows_its_full_points():
    topic = TOPICS[0]
    # 21 tests of one point, 10 passed: 10/21 of 10 = 4.7619..., shares of 0.4762.
    tests = [TestOutcome(f"t{i}", Status.PASSED if i < 10 else Status.FAILED)
             for i in range(21)]
    outcome = scoring.score(runner.TopicRun(topic, "graded", tests))
    data = json.loads(export.gradescope(_one(outcome)))
    for test in data["tests"]:
        if test["status"] == "passed":
            assert test["score"] == test["max_score"], test
        else:
            assert test["score"] == 0
    assert sum(t["max_score"] for t in data["tests"]) == pytest.approx(topic.points)
    assert data["score"] == pytest.approx(sum(t["score"] for t in data["tests"]), abs=0.01)


def _one(outcome):
    return SubmissionResult("s", [outcome])


FAKE_PYTHON = """#!/bin/sh
# A stand-in python3: its version check says FAKE_OLD; -m venv makes a pip that logs.
echo "$(basename "$0") $*" >> /autograder/log
case "$1" in
  -c) [ -z "$FAKE_OLD" ] || [ "$(basename "$0")" != python3 ] ;;
  -m) mkdir -p "$3/bin" && printf '#!/bin/sh\\necho "pip $*" >> /autograder/log\\n' \\
        > "$3/bin/pip" && chmod +x "$3/bin/pip" ;;
esac
"""
LOGGER = '#!/bin/sh\necho "$(basename "$0") $*" >> /autograder/log\n'


@needs_layout
@pytest.mark.parametrize("system_python", ["3.12", "3.10"])
def test_setup_uses_the_system_python_only_when_it_is_new_enough(tmp_path, system_python):
    autograder = unpack(tmp_path)
    fake = tmp_path / "fake"
    fake.mkdir()
    for name, text in (("python3", FAKE_PYTHON), ("python3.11", FAKE_PYTHON),
                       ("apt-get", LOGGER), ("add-apt-repository", LOGGER)):
        (fake / name).write_text(text, encoding="utf-8")
        (fake / name).chmod(0o755)
    command = [BWRAP, "--die-with-parent", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
               *sandbox.system_binds(), "--bind", str(autograder), "/autograder",
               "--ro-bind", str(fake), "/fake", "--clearenv", "--setenv", "PATH",
               "/fake:" + PATH, "--setenv", "FAKE_OLD", "1" if system_python == "3.10" else "",
               "--chdir", "/autograder", "bash", "/autograder/source/setup.sh"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    log = (autograder / "log").read_text(encoding="utf-8")
    pip = [line for line in log.splitlines() if line.startswith("pip install")]
    assert pip == ["pip install --no-cache-dir -c /autograder/source/constraints.txt "
                   "pytest pytest-timeout pylint"], log
    assert "bubblewrap" in log and "iptables" in log
    if system_python == "3.12":
        assert "python3 -m venv /autograder/venv" in log and "deadsnakes" not in log
    else:
        assert "add-apt-repository -y ppa:deadsnakes/ppa" in log
        assert "python3.11 -m venv /autograder/venv" in log
