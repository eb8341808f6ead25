"""The kit as an nbgrader course: the builder, the test cell's runtime, real nbgrader.

Unit tests check the notebooks the builder writes (nbformat and nbgrader's
metadata schema v3, markers, ids, points) and that the test cell's runtime
reads results and scores exactly as grader.runner and grader.scoring do.

The end-to-end tests run real nbgrader as subprocesses in a temporary course:
build -> validate the source notebooks -> generate_assignment -> validate the
release -> autograde five students (the solutions, the stubs, three sets of
wrong solutions) -> export, and compare every per-topic score with
`python -m grader grade` on the same modules.
"""

from __future__ import annotations

import concurrent.futures
import builtins
import csv
import dataclasses
import inspect
import io
import json
import os
import shutil
import stat
import subprocess
import symtable
import sys
import time
import types
from pathlib import Path

import pytest

from grader import (catalog, channel, layout, manifest, nbgrader_course, notebooks, runner,
                    scoring, stubs)
from grader.manifest import Topic
from grader.results import TestOutcome
from grader.nbgrader_course import ASSIGNMENT

try:
    import nbformat
    from nbgrader.api import Gradebook
    from nbgrader.nbgraderformat import SCHEMA_VERSION, MetadataValidator
    from nbgrader.preprocessors import ClearHiddenTests
    NBGRADER_PROBLEM = ""
except ImportError as exc:          # the builder itself needs neither
    NBGRADER_PROBLEM = f"nbgrader cannot be imported ({exc}); pip install nbgrader"

needs_nbgrader = pytest.mark.skipif(bool(NBGRADER_PROBLEM), reason=NBGRADER_PROBLEM)

ROOT = manifest.ROOT
TOPICS = manifest.load()
BY_NAME = {t.name: t for t in TOPICS}
NBGRADER_TIMEOUT = 900


def solution(topic: str) -> str:
    """The reference module of ``topic``."""
    return (ROOT / "solutions" / f"{topic}.py").read_text(encoding="utf-8")


def read_notebook(path: Path) -> dict:
    """A notebook as plain JSON data."""
    return json.loads(path.read_text(encoding="utf-8"))


def cell_text(cell: dict) -> str:
    """A cell's source as one string, whichever way it was stored."""
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else source


def cell_by_id(data: dict, grade_id: str) -> dict:
    """The cell with this nbgrader grade_id."""
    return next(c for c in data["cells"]
                if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)


@pytest.fixture(name="built", scope="module")
def built_fixture(tmp_path_factory) -> Path:
    """A course written by the builder, not touched by nbgrader."""
    folder = tmp_path_factory.mktemp("built")
    nbgrader_course.build(folder)
    return folder


# --- the builder ------------------------------------------------------------------

def test_build_writes_the_config_and_one_notebook_per_topic(built):
    notebooks_dir = built / "source" / ASSIGNMENT
    assert sorted(p.name for p in notebooks_dir.iterdir()) == sorted(
        f"{t.name}.ipynb" for t in TOPICS)
    assert (built / "nbgrader_config.py").is_file()
    assert [p.relative_to(built).as_posix() for p in built.rglob("*.py")] == [
        "nbgrader_config.py"], "no module file in source/: generate_assignment would copy it"


@needs_nbgrader
def test_notebooks_are_valid_nbformat_and_nbgrader_v3(built):
    for topic in TOPICS:
        path = built / "source" / ASSIGNMENT / f"{topic.name}.ipynb"
        data = nbformat.read(path, as_version=4)
        nbformat.validate(data)
        assert SCHEMA_VERSION == 3
        MetadataValidator().validate_nb(data)
        assert data.metadata.kernelspec.name == "python3"


def test_cells_carry_the_metadata_nbgrader_needs(built):
    grade_ids = []
    for topic in TOPICS:
        data = read_notebook(built / "source" / ASSIGNMENT / f"{topic.name}.ipynb")
        kinds = [(c["cell_type"], c["metadata"]["nbgrader"]) for c in data["cells"]]
        assert [kind for kind, _ in kinds] == ["markdown", "code", "code"]
        (_, text), (_, module), (_, tests) = kinds
        for meta in (text, module, tests):
            assert meta["schema_version"] == 3
            assert set(meta) <= {"grade", "solution", "locked", "points", "grade_id",
                                 "schema_version"}
            grade_ids.append(meta["grade_id"])
        assert (text["grade"], text["solution"], text["locked"]) == (False, False, True)
        assert (module["grade"], module["solution"], module["locked"]) == (False, True, False)
        assert (tests["grade"], tests["solution"], tests["locked"]) == (True, False, True)
        assert tests["points"] == topic.points
    assert len(grade_ids) == len(set(grade_ids)) == 3 * len(TOPICS)


def test_the_module_cell_writes_the_reference_solution(built):
    for topic in TOPICS:
        path = built / "source" / ASSIGNMENT / f"{topic.name}.ipynb"
        data = read_notebook(path)
        first_line = cell_text(data["cells"][1]).splitlines()[0]
        assert first_line == f"%%writefile {topic.module_file}"
        module, notes = notebooks.extract_module(path.read_bytes(), topic.module_file, "x")
        assert module.decode() == solution(topic.name).rstrip("\n") + "\n" and not notes
        assert stubs.BEGIN in module.decode()


def kit_files(test_cell: str) -> dict[str, str]:
    """Run only the part of a test cell that sets KIT_FILES."""
    start = test_cell.index("KIT_FILES = {}")
    end = test_cell.index("\ndef ", start)
    namespace: dict = {}
    exec(test_cell[start:end], namespace)  # pylint: disable=exec-used
    return namespace["KIT_FILES"]


@needs_nbgrader
def test_hidden_tests_sit_between_the_markers_and_nbgrader_cuts_them(built):
    for topic in TOPICS:
        data = nbformat.read(built / "source" / ASSIGNMENT / f"{topic.name}.ipynb", 4)
        cell = data.cells[2]
        lines = cell.source.splitlines()
        assert lines.count(nbgrader_course.HIDDEN_BEGIN) == 1
        assert lines.count(nbgrader_course.HIDDEN_END) == 1
        files = kit_files(cell.source)
        expected = {"pyproject.toml": ROOT / "pyproject.toml",
                    f"tests/{topic.test_file}": ROOT / "tests" / topic.test_file,
                    f"tests/hidden/{topic.test_file}": ROOT / "tests" / "hidden" / topic.test_file,
                    **{f"tests/{n}": ROOT / "tests" / n for n in layout.test_helpers()},
                    **{f"lib/grader/{n}": ROOT / "grader" / n for n in layout.plugin_files()}}
        assert files == {name: path.read_text(encoding="utf-8")
                         for name, path in expected.items()}
        released, _ = ClearHiddenTests().preprocess_cell(cell, {}, 2)
        assert "HIDDEN" not in released.source
        assert f"tests/hidden/{topic.test_file}" not in kit_files(released.source)
        assert f"tests/{topic.test_file}" in kit_files(released.source)


def test_the_instructions_come_from_the_stub_and_the_manifest(built):
    for topic in TOPICS:
        data = read_notebook(built / "source" / ASSIGNMENT / f"{topic.name}.ipynb")
        text = cell_text(data["cells"][0])
        assert topic.title in text and topic.lecture in text
        assert f"%%writefile {topic.module_file}" in text
        assert all(hint in text for hint in topic.hints)
        assert "``" not in text, "reStructuredText literals are turned into Markdown"
        loop_warning = "Cannot run the event loop while another loop is running" in text
        assert loop_warning == ("import asyncio" in solution(topic.name)), topic.name
    asyncio_text = cell_text(read_notebook(
        built / "source" / ASSIGNMENT / "asyncio_chain.ipynb")["cells"][0])
    assert "Do not start an event loop when the module is imported" in asyncio_text


def test_the_config_sets_root_timeout_and_keeps_modules_out_of_copies(built):
    config = types.SimpleNamespace(CourseDirectory=types.SimpleNamespace(),
                                   Execute=types.SimpleNamespace())
    path = built / "nbgrader_config.py"
    namespace = {"get_config": lambda: config, "__file__": str(path)}
    exec(path.read_text(encoding="utf-8"), namespace)  # pylint: disable=exec-used
    assert config.CourseDirectory.root == str(built)
    assert config.Execute.timeout >= max(t.timeout for t in TOPICS) + 10
    assert isinstance(config.Execute.timeout, int)
    assert set(nbgrader_course.DEFAULT_IGNORE) <= set(config.CourseDirectory.ignore)
    assert {t.module_file for t in TOPICS} <= set(config.CourseDirectory.ignore)


@pytest.mark.parametrize("text", [
    "", "no newline", "a\nb\n", "'single' \"double\" '''triple''' \"\"\"\n",
    "back\\slash\\n not a newline\n", "tab\there\r\nwindows\n", "ünïcödé ✓\n",
    "x = '### BEGIN SOLUTION'\n### END HIDDEN TESTS\n# AUTOTEST x\nBEGIN MARK SCHEME\n",
])
def test_embedded_files_round_trip_and_never_hold_a_delimiter(text):
    literal = nbgrader_course.python_literal(text)
    assert eval(literal) == text  # pylint: disable=eval-used
    assert not any(d in literal for d in nbgrader_course.DELIMITERS)


def test_a_solution_without_markers_is_refused(tmp_path):
    (tmp_path / "solutions").mkdir()
    (tmp_path / "solutions" / "leaky.py").write_text("def f():\n    return 1\n",
                                                     encoding="utf-8")
    topic = Topic("leaky", "Leaky", "None", 1.0, ("hint",))
    with pytest.raises(nbgrader_course.CourseError, match="release would hold the solution"):
        nbgrader_course.module_cell_source(topic, tmp_path)


def test_the_command_line(tmp_path):
    command = [sys.executable, "-m", "grader", "nbgrader", "build", str(tmp_path / "c")]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60,
                          check=True)
    assert f"nbgrader generate_assignment {ASSIGNMENT}" in done.stdout
    assert (tmp_path / "c" / "source" / ASSIGNMENT / "countdown.ipynb").is_file()
    bad = subprocess.run([sys.executable, "-m", "grader", "nbgrader"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60, check=False)
    assert bad.returncode == 2 and "build" in bad.stderr


# --- the test cell's runtime ---------------------------------------------------------

def test_the_cell_runtime_needs_nothing_but_its_own_imports():
    """The runtime is copied as text: every global it reads must exist in the cell."""
    source = "\n\n".join(inspect.getsource(f) for f in nbgrader_course.RUNTIME)
    available = ({f.__name__ for f in nbgrader_course.RUNTIME} | set(dir(builtins))
                 | {name.split(".", maxsplit=1)[0] for name in nbgrader_course.CELL_IMPORTS}
                 | {line.split()[-1] for line in nbgrader_course.CELL_FROM_IMPORTS})
    used: set[str] = set()
    tables = [symtable.symtable(source, "<cell>", "exec")]
    while tables:
        table = tables.pop()
        used |= {s.get_name() for s in table.get_symbols() if s.is_global()
                 and s.is_referenced()}
        tables.extend(table.get_children())
    assert used and used <= available, used - available


def signed(key: bytes, record: dict) -> str:
    """A result line as grader.pytest_plugin writes it."""
    payload = json.dumps(record)
    return f"{payload}\t{channel.sign(key, payload)}"


def cell_channel(topic: str = "countdown") -> tuple:
    """grader.channel's read_results and topic_score as a test cell loads them."""
    files = kit_files(nbgrader_course.test_cell_source(BY_NAME[topic]))
    assert files["lib/grader/channel.py"] == (ROOT / "grader" / "channel.py").read_text(
        encoding="utf-8")
    cell = nbgrader_course.kit_channel(files)
    return cell.read_results, cell.topic_score


def test_the_cell_reads_results_as_the_runner_does():
    key = b"k" * 32
    visible, hidden = "tests/test_x.py::", "tests/hidden/test_x.py::"
    records = [{"event": "lint", "findings": ["line 3: a lock is never released"]}]
    records += [{"event": "collected", "nodeid": visible + n, "points": p}
                for n, p in (("a", 2), ("b", 1), ("d", 1))]
    records.append({"event": "collected", "nodeid": hidden + "c", "points": 3})
    records += [
        {"event": "result", "nodeid": visible + "a", "when": "call", "status": "passed"},
        {"event": "result", "nodeid": visible + "a", "when": "teardown", "status": "error",
         "message": "teardown hiccup"},
        {"event": "result", "nodeid": visible + "b", "when": "setup", "status": "error",
         "message": "fixture broke"},
        {"event": "result", "nodeid": hidden + "c", "when": "call", "status": "failed",
         "message": "boom", "tampered": "pytest.fail"},
        {"event": "result", "nodeid": hidden + "c", "when": "teardown", "status": "error",
         "message": "later"},
    ]
    lines = [signed(key, r) for r in records]
    lines.insert(3, signed(b"x" * 32, {"event": "result", "nodeid": visible + "d",
                                       "when": "call", "status": "passed"}))
    lines.append("not even signed")
    read_results, _ = cell_channel()
    tests, notes, lint = read_results(lines, key)
    assert lint == ["line 3: a lock is never released"]
    assert [(t["name"], t["status"], t["points"], t["message"]) for t in tests] == [
        ("a", "passed", 2.0, ""), ("b", "error", 1.0, "fixture broke"),
        ("d", "failed", 1.0, channel.NEVER_FINISHED), ("hidden::c", "failed", 3.0, "boom")]
    assert notes == ["2 result lines not written by the grader were ignored",
                     "the code under test replaced parts of the test machinery: pytest.fail"]
    assert [t["finished"] for t in tests] == [True, True, False, True]
    # The grader reads the same lines with the same rules (grader.runner reads them here).
    expected, flags, _ = channel.read_results([line + "\n" for line in lines], key)
    assert expected == tests and flags == notes


@pytest.mark.parametrize("status", ["graded", "timeout", "error"])
@pytest.mark.parametrize("outcomes, share", [
    (["passed", "failed", "passed"], 5.5 / 6.5), (["passed"] * 3, 1.0), (["failed"] * 3, 0.0),
    ([], 0.0), (["passed", "skipped", "timeout"], 3 / 6.5),
])
@pytest.mark.parametrize("lint_weight, lint", [(0.0, []), (0.0, ["x"]), (0.3, []),
                                               (0.3, ["x"])])
def test_the_cell_scores_as_the_grader_does(status, outcomes, share, lint_weight, lint):
    points = [3.0, 1.0, 2.5][:len(outcomes)]
    topic = dataclasses.replace(BY_NAME["countdown"], points=7.0, lint_weight=lint_weight)
    results = [TestOutcome(f"t{i}", s, points=p) for i, (s, p) in enumerate(zip(outcomes,
                                                                                points))]
    expected = scoring.score(runner.TopicRun(topic, status, results, lint=lint)).score
    if status == "error" or not outcomes:
        assert expected == 0.0
    else:
        assert expected == round(7.0 * ((1 - lint_weight) * share
                                         + (lint_weight if not lint else 0)), 2)
    _, topic_score = cell_channel()
    assert topic_score(topic.points, list(zip(points, outcomes)), status,
                       lint_weight=lint_weight, findings=bool(lint)) == expected


@pytest.fixture(name="kernel")
def kernel_fixture(monkeypatch, tmp_path):
    """A stand-in for the kernel: IPython's input history, a working folder, no nbgrader."""
    history: list[str] = []
    shell = types.SimpleNamespace(history_manager=types.SimpleNamespace(input_hist_raw=history))
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: shell))
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.chdir(tmp_path)
    return history


def run_test_cell(topic: str) -> float:
    """Execute the topic's test cell, as the kernel would, in a fresh namespace."""
    source = nbgrader_course.test_cell_source(BY_NAME[topic])
    namespace: dict = {"__name__": "__main__"}
    exec(compile(source, f"<{topic} test cell>", "exec"), namespace)  # pylint: disable=exec-used
    return namespace["kit_points"]


@pytest.mark.timeout(120)
def test_the_cell_grades_the_module_the_last_writefile_cell_wrote(kernel, tmp_path, capsys):
    (tmp_path / "mutex_counter.py").write_text(solution("mutex_counter"), encoding="utf-8")
    stub = (ROOT / "exercises" / "mutex_counter.py").read_text(encoding="utf-8")
    kernel.append(f"%%writefile mutex_counter.py\n{stub}")
    assert run_test_cell("mutex_counter") == 0.0
    out, err = capsys.readouterr()
    assert "Testing the module your last `%%writefile mutex_counter.py` cell wrote" in out
    assert "is still a stub" in out and "hidden::" in out
    assert err == ""
    kernel.append(f"%%writefile mutex_counter.py\n{solution('mutex_counter')}")
    assert run_test_cell("mutex_counter") == 10.0
    out, err = capsys.readouterr()
    assert "tests passed, 10 of 10 points" in out and "Failed" not in out and err == ""


@pytest.mark.timeout(120)
@pytest.mark.usefixtures("kernel")
def test_without_a_writefile_cell_the_file_on_disk_is_tested_except_when_grading(
        tmp_path, capsys, monkeypatch):
    assert run_test_cell("asyncio_chain") == 0.0
    assert "asyncio_chain.py does not exist yet: run the cell" in capsys.readouterr().out
    (tmp_path / "asyncio_chain.py").write_text(solution("asyncio_chain"), encoding="utf-8")
    assert run_test_cell("asyncio_chain") == 10.0
    assert "Testing asyncio_chain.py as it is on disk" in capsys.readouterr().out
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert run_test_cell("asyncio_chain") == 0.0
    assert "No cell starting with `%%writefile asyncio_chain.py` ran" in capsys.readouterr().out


@pytest.mark.timeout(60)
def test_a_hang_costs_the_topic_and_the_cell_returns_at_the_limit(capsys):
    topic = BY_NAME["countdown"]
    files = kit_files(nbgrader_course.test_cell_source(topic))
    started = time.monotonic()
    cell = nbgrader_course.kit_channel(files)
    tests, _, _, status = nbgrader_course.kit_results(
        "countdown", files, "import time\ntime.sleep(600)\n", 5, cell)
    elapsed = time.monotonic() - started
    assert status == "timeout" and elapsed < 20
    assert tests and tests[0]["status"] == "timeout"
    assert tests[0]["message"] == channel.STOPPED.format(limit=5)
    score = cell.topic_score(topic.points, [(t["points"], t["status"]) for t in tests], status)
    assert score == 0.0
    assert capsys.readouterr().err == ""


# --- end to end, with real nbgrader ----------------------------------------------------

def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    """Run an nbgrader command in the course, as an instructor would; never raises."""
    bin_dir = str(Path(sys.executable).parent)          # nbgrader runs `alembic` from PATH
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))
    env.pop("NBGRADER_EXECUTION", None)
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                          capture_output=True, text=True, timeout=NBGRADER_TIMEOUT,
                          check=False)


def grader_scores(folder: Path) -> dict[str, float]:
    """Per-topic scores of `python -m grader grade FOLDER --format json`."""
    done = subprocess.run([sys.executable, "-m", "grader", "grade", str(folder),
                           "--format", "json"], cwd=ROOT, capture_output=True,
                          text=True, timeout=NBGRADER_TIMEOUT, check=True)
    return {t["topic"]: t["score"] for t in json.loads(done.stdout)["topics"]}


def wrong_modules(pick: int) -> dict[str, str]:
    """One known wrong solution's text per topic: the first, the middle or the last one."""
    chosen = {}
    for topic in TOPICS:
        entries = catalog.cases("wrong", [topic.name])
        chosen[topic.name] = entries[[0, len(entries) // 2, -1][pick]].text
    return chosen


def with_module(release: Path, topic: str, text: str) -> str:
    """The released notebook with its %%writefile cell's body replaced by ``text``."""
    data = read_notebook(release / f"{topic}.ipynb")
    cell_by_id(data, f"{topic}_module")["source"] = (
        f"%%writefile {topic}.py\n{text}").splitlines(keepends=True)
    return json.dumps(data, indent=1)


def make_submissions(course: Path, modules: Path) -> dict[str, Path]:
    """submitted/<student>/<assignment>/ for five students; their modules in ``modules``.

    Each student's folder also holds stale, read-only <topic>.py files that
    contradict the notebooks: the grade must come from the notebooks.
    """
    release = course / "release" / ASSIGNMENT
    source = course / "source" / ASSIGNMENT
    students = {}
    for student in ("solutions", "stubs", "wrong1", "wrong2", "wrong3"):
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        students[student] = modules / student
        students[student].mkdir(parents=True)
        for topic in TOPICS:
            name = topic.name
            if student == "solutions":
                shutil.copy(source / f"{name}.ipynb", folder)
                text = solution(name)
                stale = ROOT / "exercises" / topic.module_file
            elif student == "stubs":
                shutil.copy(release / f"{name}.ipynb", folder)
                text, _ = notebooks.extract_module((release / f"{name}.ipynb").read_bytes(),
                                                   topic.module_file, name)
                text = text.decode()
                stale = ROOT / "solutions" / topic.module_file
            else:
                text = wrong_modules(int(student[-1]) - 1)[name]
                (folder / f"{name}.ipynb").write_text(with_module(release, name, text),
                                                      encoding="utf-8")
                stale = ROOT / "solutions" / topic.module_file
            (students[student] / topic.module_file).write_text(text, encoding="utf-8")
            shutil.copy(stale, folder / topic.module_file)
            (folder / topic.module_file).chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    return students


@pytest.fixture(name="course", scope="module")
def course_fixture(tmp_path_factory):
    """A course taken through nbgrader's whole cycle; the grader grades the same code meanwhile."""
    if NBGRADER_PROBLEM:
        pytest.skip(NBGRADER_PROBLEM)
    root = tmp_path_factory.mktemp("nbgrader")
    course_dir = root / "course"
    nbgrader_course.build(course_dir)
    source = sorted(str(p) for p in (course_dir / "source" / ASSIGNMENT).glob("*.ipynb"))
    run = types.SimpleNamespace(dir=course_dir, seconds={})

    def step(name: str, *args: str) -> subprocess.CompletedProcess:
        started = time.monotonic()
        done = nbgrader(course_dir, *args)
        run.seconds[name] = round(time.monotonic() - started, 1)
        return done

    run.validate_source = step("validate source", "validate", *source)
    run.written_in_source = sorted(p.name for p in (course_dir / "source" / ASSIGNMENT)
                                   .glob("*.py"))
    run.generate = step("generate_assignment", "generate_assignment", ASSIGNMENT)
    release_dir = course_dir / "release" / ASSIGNMENT
    run.released = sorted(p.relative_to(release_dir).as_posix() for p in release_dir.rglob("*"))
    release = sorted(str(p) for p in release_dir.glob("*.ipynb"))
    students = make_submissions(course_dir, root / "modules")
    # Autograde is the long step, and mostly waits (a kernel, then the topic's
    # tests): one autograde per student, all at once, while the release is
    # validated and the grader grades the same modules. Each student has a
    # folder of its own under autograded/; sqlite takes the gradebook's writes
    # in turn.
    with concurrent.futures.ThreadPoolExecutor(max_workers=2 * len(students) + 1) as pool:
        validate_release = pool.submit(step, "validate release", "validate", *release)
        expected = {name: pool.submit(grader_scores, folder)
                    for name, folder in students.items()}
        autograde = [pool.submit(step, f"autograde {name}", "autograde", ASSIGNMENT,
                                 "--student", name) for name in students]
        run.autograde = [future.result() for future in autograde]
        run.validate_release = validate_release.result()
        run.expected = {name: future.result() for name, future in expected.items()}
    run.export = step("export", "export", "--to", str(root / "grades.csv"))
    run.csv = list(csv.DictReader(io.StringIO((root / "grades.csv").read_text(
        encoding="utf-8")))) if (root / "grades.csv").exists() else []
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as book:
        run.scores = {student: {t.name: book.find_submission_notebook(
            t.name, ASSIGNMENT, student).score for t in TOPICS} for student in students}
    print(f"nbgrader steps (s): {run.seconds}")
    return run


@pytest.mark.timeout(1800)
def test_source_notebooks_pass_validation_and_leak_nothing(course):
    assert course.validate_source.stdout.count("Success! Your notebook passes all the tests."
                                               ) == len(TOPICS), course.validate_source.stdout
    assert "VALIDATION FAILED" not in course.validate_source.stdout
    # Validating ran the notebooks in source/: the solution modules now lie there ...
    assert course.written_in_source == sorted(t.module_file for t in TOPICS)
    assert course.generate.returncode == 0, course.generate.stderr[-3000:]
    # ... and none of them, or anything else but the notebooks, reached release/.
    assert course.released == sorted(f"{t.name}.ipynb" for t in TOPICS)


def nbgrader_stub(text: str) -> str:
    """What nbgrader's ClearSolutions makes of a module: each region -> comment + raise."""
    out, inside = [], False
    for line in text.splitlines(keepends=True):
        if line.strip() == stubs.BEGIN:
            indent = line[: len(line) - len(line.lstrip())]
            out += [f"{indent}# YOUR CODE HERE\n", f"{indent}raise NotImplementedError()\n"]
            inside = True
        elif line.strip() == stubs.END:
            inside = False
        elif not inside:
            out.append(line)
    return "".join(out)


@pytest.mark.timeout(1800)
def test_the_release_holds_the_stubs_and_only_visible_tests(course):
    release = course.dir / "release" / ASSIGNMENT
    for topic in TOPICS:
        data = read_notebook(release / f"{topic.name}.ipynb")
        module = cell_text(cell_by_id(data, f"{topic.name}_module"))
        expected = f"%%writefile {topic.module_file}\n" + nbgrader_stub(solution(topic.name))
        assert module.rstrip("\n") == expected.rstrip("\n")
        tests = cell_text(cell_by_id(data, f"{topic.name}_tests"))
        files = kit_files(tests)
        assert f"tests/{topic.test_file}" in files and "HIDDEN" not in tests
        assert not any(name.startswith("tests/hidden/") for name in files)
        hidden = (ROOT / "tests" / "hidden" / topic.test_file).read_text(encoding="utf-8")
        names = [line.split("(")[0] for line in hidden.splitlines()
                 if line.startswith("def test_")]
        assert names and not any(name in tests for name in names)


@pytest.mark.timeout(1800)
def test_release_notebooks_fail_validation_as_stubs(course):
    out = course.validate_release.stdout
    assert out.count("VALIDATION FAILED ON 1 CELL(S)!") == len(TOPICS), out[-3000:]
    assert "Success!" not in out


@pytest.mark.timeout(1800)
def test_autograde_agrees_with_the_grader_on_every_topic(course):
    for done in course.autograde:
        assert done.returncode == 0, done.stderr[-3000:]
    assert course.expected["solutions"] == {t.name: t.points for t in TOPICS}
    assert set(course.expected["stubs"].values()) == {0.0}
    for student, expected in course.expected.items():
        for topic in TOPICS:
            assert course.scores[student][topic.name] == pytest.approx(
                expected[topic.name], abs=0.01), (student, topic.name, course.scores[student],
                                                  expected)
    for student in ("wrong1", "wrong2", "wrong3"):
        assert all(course.scores[student][t.name] < t.points for t in TOPICS), student


@pytest.mark.timeout(1800)
def test_the_csv_export_has_each_students_total(course):
    assert course.export.returncode == 0, course.export.stderr[-3000:]
    totals = {row["student_id"]: float(row["score"]) for row in course.csv
              if row["assignment"] == ASSIGNMENT}
    assert totals.keys() == course.expected.keys()
    for student, expected in course.expected.items():
        assert totals[student] == pytest.approx(sum(expected.values()), abs=0.06)
        assert totals[student] == pytest.approx(sum(course.scores[student].values()),
                                                abs=1e-6)


@pytest.mark.timeout(1800)
def test_graded_cells_write_no_stderr_and_grade_the_notebook_not_stale_files(course):
    for student in course.expected:
        folder = course.dir / "autograded" / student / ASSIGNMENT
        for topic in TOPICS:
            data = read_notebook(folder / f"{topic.name}.ipynb")
            outputs = cell_by_id(data, f"{topic.name}_tests")["outputs"]
            kinds = [(o["output_type"], o.get("name")) for o in outputs]
            assert ("stream", "stderr") not in kinds and ("error", None) not in kinds, (
                student, topic.name, outputs)
            assert kinds.count(("execute_result", None)) == 1
            # The stale, read-only module beside the notebook was not copied in: the
            # module here is the one the notebook's own %%writefile cell wrote.
            written = (folder / topic.module_file).read_text(encoding="utf-8")
            module = cell_text(cell_by_id(data, f"{topic.name}_module"))
            assert written.rstrip("\n") == module.split("\n", 1)[1].rstrip("\n")
