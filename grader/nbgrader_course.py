"""`python -m grader nbgrader build COURSE_DIR`: the kit as an nbgrader course.

Writes ``COURSE_DIR/nbgrader_config.py`` and one notebook per topic in
``COURSE_DIR/source/<ASSIGNMENT>/``, all from the manifest, the reference
solutions and the kit's tests, so that nothing is maintained twice. Each
notebook has three cells:

* instructions (markdown, locked): the stub's module docstring, the lecture
  section and points from the manifest, how to work in a notebook, hints;
* the module (solution cell): ``%%writefile <topic>.py`` and the reference
  solution. ``nbgrader generate_assignment`` cuts every ``### BEGIN SOLUTION``
  region, which gives the stub. The module goes to a file because the tests
  import it by name and a process pool pickles its functions by reference;
* the autograder tests (grade cell, locked, the topic's points): the kit's
  test helpers, the visible tests and, between ``### BEGIN HIDDEN TESTS`` /
  ``### END HIDDEN TESTS``, the hidden tests, then the runtime below.

The test cell runs pytest in a subprocess, laid out and configured exactly
as ``grader.runner`` does (same plugin, same signed results), because the
kernel is a poor place for the tests: ipykernel already runs an event loop on
its main thread, so ``asyncio.run`` fails there; a hang or a crash would take
the kernel down; and any stderr output (a fork DeprecationWarning, a thread's
traceback) makes nbgrader score the cell 0. The subprocess's output is
captured; the cell prints a summary to stdout and ends with the score, which
nbgrader reads as partial credit. Scores are computed as ``grader.scoring``
does, so nbgrader and ``python -m grader grade`` agree.

The module tested is the body of the last ``%%writefile <topic>.py`` cell the
kernel ran (from IPython's input history, by ``grader.notebooks``' rule), not
whatever ``<topic>.py`` lies beside the notebook, which may be stale (edited
since, copied in with a submission, read-only so the cell could not replace
it): the grade comes from the notebook itself, and ``python -m grader grade``
reads the same cell. The generated config also keeps topic modules out of
nbgrader's copies (see ``config_text``).
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import inspect
import json
import math
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import textwrap
import types
from pathlib import Path

from grader import layout, manifest, stubs
from grader.manifest import Topic
from grader.notebooks import last_module, writefile_cell

ASSIGNMENT = "concurrency"
CONFIG_FILE = "nbgrader_config.py"
# Seconds a test cell may take beyond its topic's timeout: writing the files,
# starting Python and pytest, reading the results.
EXECUTE_MARGIN = 30
HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"
# Substrings nbgrader's preprocessors act on wherever they appear in a cell.
DELIMITERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
              "BEGIN MARK SCHEME", "END MARK SCHEME", "AUTOTEST")
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
# nbgrader's default CourseDirectory.ignore, kept as is.
DEFAULT_IGNORE = (".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback")


class CourseError(ValueError):
    """The kit's files cannot be turned into a course; the message says which and why."""


# --- The test cell's runtime: copied verbatim into every test cell -------------
# These functions run inside the student's kernel, where only their text
# exists: they use nothing but the imports in CELL_IMPORTS, each other,
# grader.notebooks' writefile_cell / last_module (copied too) and
# grader.channel, loaded from the cell's copy of it (kit_channel). kit_run
# mirrors grader.runner's run; reading results and scoring are channel's.

def kit_grade(topic, points, limit, files, lint_weight=0.0):
    """Test the student's module for ``topic``; print what happened; return the score."""
    module, note = kit_module(topic)
    print(note)
    if module is None or not kit_can_run():
        print(f"{topic}: 0 of {points:g} points.")
        return 0.0
    channel = kit_channel(files)
    tests, notes, lint, status = kit_results(topic, files, module, limit, channel)
    score = channel.topic_score(points, [(test["points"], test["status"]) for test in tests],
                                status, lint_weight=lint_weight, findings=bool(lint))
    kit_report(topic, tests, status, score, points)
    if lint:
        print("The static concurrency checks found" + ("" if lint_weight else " (feedback "
              "only, no points)") + ":\n" + "\n".join("  - " + text for text in lint))
    print("".join(f"Note: {text}\n" for text in notes), end="")
    return score


def kit_module(topic):
    """The module to test and a sentence saying where it came from (None: nothing to test)."""
    filename = topic + ".py"
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    history = getattr(getattr(shell, "history_manager", None), "input_hist_raw", None) or []
    body, appended = last_module(list(history), filename)
    if body is not None:
        note = f"Testing the module your last `%%writefile {filename}` cell wrote."
        if appended:
            note += (f" {appended} `%%writefile -a` cell(s) left out: keep the whole module "
                     "in one cell.")
        return body, note
    if os.environ.get("NBGRADER_EXECUTION"):
        return None, (f"No cell starting with `%%writefile {filename}` ran in this notebook: "
                      "your module must be in that cell, so nothing was tested.")
    if os.path.isfile(filename):
        with open(filename, encoding="utf-8", errors="replace") as handle:
            return handle.read(), (f"Testing {filename} as it is on disk: no `%%writefile "
                                   f"{filename}` cell has run since the kernel started.")
    return None, (f"{filename} does not exist yet: run the cell that starts with "
                  f"`%%writefile {filename}` (Shift+Enter), then this cell again.")


def kit_can_run():
    """True when pytest and pytest-timeout are there; else say how to get them."""
    missing = [name for name in ("pytest", "pytest_timeout")
               if importlib.util.find_spec(name) is None]
    if missing:
        print(f"The tests cannot run: {' and '.join(missing)} is not installed for "
              f"{sys.executable}. Install them (pip install pytest pytest-timeout), "
              "restart the kernel and run the notebook again.")
    return not missing


def kit_run(topic, files, module, limit, channel):
    """Run the tests in a subprocess, in the run folder of grader.channel.

    Returns (signed result lines, key, "graded" | "timeout" | "error", output).
    """
    key = secrets.token_bytes(32)
    with tempfile.TemporaryDirectory(prefix=f"kit-{topic}-",
                                     ignore_cleanup_errors=True) as scratch:
        root = Path(scratch)
        for name, text in {**files, f"{channel.SUBMISSION}/{topic}.py": module}.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
        (root / channel.WORK).mkdir()
        status = kit_execute(root, key, limit, channel)
        lines = (root / "results").read_text(encoding="utf-8", errors="replace").splitlines()
        with open(root / "output", "rb") as handle:
            head = handle.read(channel.OUTPUT_KEEP)
            handle.seek(max(len(head), os.path.getsize(root / "output") - channel.OUTPUT_KEEP))
            output = (head + handle.read()).decode("utf-8", "replace")
    return lines, key, status, output


def kit_execute(root, key, limit, channel):
    """Run pytest on root/tests, confined to ``limit`` seconds; its output goes to a file.

    Like grader.runner: the grader's plugin signs each result with ``key``
    (read from a pipe, closed before any student code runs) into root/results;
    the whole process group is killed afterwards, leftovers included.
    """
    results = os.open(root / "results", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    key_read, key_write = os.pipe()
    os.write(key_write, key.hex().encode())
    os.close(key_write)
    work = root / channel.WORK
    command = channel.pytest_command(
        sys.executable, root, results_fd=results, key_fd=key_read,
        basetemp=str(work / ".tmp"), lint_file=next((root / channel.SUBMISSION).glob("*.py")))
    env = channel.child_env(root, os.environ.get("PATH", "/usr/bin:/bin"))
    status = "graded"
    try:
        with open(root / "output", "wb") as output, subprocess.Popen(
                command, cwd=work, env=env, stdin=subprocess.DEVNULL, stdout=output,
                stderr=subprocess.STDOUT, pass_fds=(results, key_read),
                start_new_session=True) as process:
            try:
                process.wait(timeout=limit)
            except subprocess.TimeoutExpired:
                status = "timeout"
            finally:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except OSError:
                    pass
    except OSError as exc:
        (root / "output").write_text(channel.NOT_STARTED.format(error=exc), encoding="utf-8")
        status = "error"
    finally:
        os.close(results)
        os.close(key_read)
    return status


def kit_channel(files):
    """grader.channel, the run protocol, loaded from its text among ``files``.

    The kernel has no grader package. The rules for laying out and running
    the tests, reading their results and scoring live in that file only, so a
    test cell and ``python -m grader grade`` cannot disagree.
    """
    namespace = {"__name__": "kit_channel"}
    source = files["lib/grader/channel.py"]
    exec(compile(source, "grader/channel.py", "exec"), namespace)  # pylint: disable=exec-used
    return types.SimpleNamespace(**namespace)


def kit_results(topic, files, module, limit, channel):
    """Run the tests on ``module``: (tests, notes, static findings, status).

    ``channel`` is grader.channel, as kit_channel loaded it.
    """
    lines, key, run, output = kit_run(topic, files, module, limit, channel)
    tests, notes, lint = channel.read_results(lines, key)
    status = channel.settle(tests, run, limit)
    if status == "error":
        notes.insert(0, channel.collection_problem(output, f"test_{topic}.py", topic))
    return tests, notes, lint, status


def kit_report(topic, tests, status, score, points):
    """Print, for the learner, how many tests passed and why the others failed."""
    passed = sum(1 for test in tests if test["status"] == "passed")
    if status == "timeout":
        print("The tests were stopped at the topic's time limit: something waits forever "
              "(a join() on a thread that never ends, a wait() nobody ends, a get() "
              "without timeout?). Finished tests keep their points.")
    if tests:
        print(f"{topic}: {passed} of {len(tests)} tests passed, {score:g} of {points:g} "
              "points.")
    else:
        print(f"{topic}: no test could run, 0 of {points:g} points.")
    failed = [test for test in tests if test["status"] != "passed"]
    if failed:
        print("Failed (the tests are in this cell, above):")
    for test in failed:
        print(f"  - {test['name']} ({test['status']}): {test['message']}")


RUNTIME = (writefile_cell, last_module, kit_grade, kit_module, kit_channel, kit_results,
           kit_can_run, kit_run, kit_execute, kit_report)
CELL_IMPORTS = ("importlib.util", "os", "secrets", "shlex", "signal", "subprocess", "sys",
                "tempfile", "textwrap", "types")
CELL_FROM_IMPORTS = ("from pathlib import Path",)


# --- Building the course -------------------------------------------------------

def python_literal(text: str, indent: str = "    ") -> str:
    """``text`` as a parenthesised Python string literal, one source line per line.

    Readable in the cell, exact whatever quotes or backslashes it holds, and
    never containing an nbgrader delimiter: a line that holds one is split
    into adjacent literals inside the delimiter.
    """
    out = []
    for line in text.splitlines(keepends=True) or [""]:
        cuts = sorted({m.start() + 1 for d in DELIMITERS for m in re.finditer(re.escape(d), line)})
        bounds = [0, *cuts, len(line)]
        pieces = [line[a:b] for a, b in zip(bounds, bounds[1:])]
        out.append(indent + " ".join(repr(piece) for piece in pieces))
    return "(\n" + "\n".join(out) + "\n)"


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CourseError(f"{path}: cannot read it ({exc.strerror})") from None


def _files_assignment(name: str, text: str) -> str:
    return f"KIT_FILES[{name!r}] = {python_literal(text)}\n"


def test_cell_source(topic: Topic, root: Path = manifest.ROOT) -> str:
    """The autograder cell of ``topic``: files, hidden tests in markers, runtime, score."""
    tests = root / "tests"
    header = textwrap.dedent(f"""\
        # Autograder tests for {topic.name} ({topic.points:g} points). Do not edit this
        # cell: nbgrader puts its original text back before grading.
        # It runs the kit's tests on the module your `%%writefile {topic.module_file}`
        # cell wrote, in a separate Python process (this kernel's event loop, a hang or
        # a crash of the code under test cannot get in the way), prints which tests
        # failed and why, and ends with your points for this topic.
        """)
    imports = "".join(f"import {name}\n" for name in CELL_IMPORTS)
    imports += "".join(f"{line}\n" for line in CELL_FROM_IMPORTS)
    files = ["KIT_FILES = {}\n", _files_assignment("pyproject.toml",
                                                   _read(root / "pyproject.toml"))]
    for name in layout.plugin_files():
        files.append(_files_assignment(f"lib/grader/{name}", _read(root / "grader" / name)))
    for name in layout.test_helpers(tests):
        files.append(_files_assignment(f"tests/{name}", _read(tests / name)))
    files.append(_files_assignment(f"tests/{topic.test_file}", _read(tests / topic.test_file)))
    hidden = tests / "hidden" / topic.test_file
    if hidden.exists():
        files.append(HIDDEN_BEGIN + "\n")
        files.append(_files_assignment(f"tests/hidden/{topic.test_file}", _read(hidden)))
        files.append(HIDDEN_END + "\n")
    runtime = "\n\n".join(inspect.getsource(function) for function in RUNTIME)
    call = (f"kit_points = kit_grade({topic.name!r}, {topic.points!r}, {topic.timeout!r}, "
            f"KIT_FILES, {topic.lint_weight!r})\nkit_points")
    source = "\n".join([header + imports, "".join(files), runtime, call])
    _check_delimiters(source, topic, allowed=(HIDDEN_BEGIN, HIDDEN_END))
    return source


def _check_delimiters(source: str, topic: Topic, allowed: tuple[str, ...] = ()) -> None:
    """Refuse text that nbgrader would cut or choke on, outside the intended markers."""
    for number, line in enumerate(source.splitlines(), start=1):
        if line.strip() in allowed:
            continue
        for delimiter in DELIMITERS:
            if delimiter in line:
                raise CourseError(f"{topic.name}: line {number} of a generated cell contains "
                                  f"{delimiter!r}, which nbgrader would act on")


def module_cell_source(topic: Topic, root: Path = manifest.ROOT) -> str:
    """``%%writefile <topic>.py`` and the reference solution, markers included."""
    path = root / "solutions" / topic.module_file
    text = _read(path)
    if stubs.BEGIN not in text:
        raise CourseError(f"{path}: no {stubs.BEGIN} marker: the release would hold the "
                          "solution")
    stubs.make_stub(text, str(path))          # raises on unbalanced markers
    for marker in (HIDDEN_BEGIN, HIDDEN_END, "BEGIN MARK SCHEME", "AUTOTEST"):
        if marker in text:
            raise CourseError(f"{path}: contains {marker!r}, which nbgrader would act on")
    return f"%%writefile {topic.module_file}\n{text.rstrip()}\n"


def _markdown(docstring_text: str) -> str:
    """reStructuredText inline literals (``x``) as Markdown code (`x`)."""
    return re.sub(r"``(.+?)``", r"`\1`", docstring_text, flags=re.DOTALL)


def _uses_asyncio(source: str) -> bool:
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "asyncio"
                                                for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "asyncio":
            return True
    return False


def instructions(topic: Topic, root: Path = manifest.ROOT) -> str:
    """The markdown cell: the stub's docstring, the manifest's lecture, how to work here."""
    path = root / "exercises" / topic.module_file
    stub = _read(path)
    docstring = ast.get_docstring(ast.parse(stub), clean=True)
    if not docstring:
        raise CourseError(f"{path}: the stub has no module docstring to instruct from")
    paragraphs = docstring.split("\n\n")
    body = [p for p in paragraphs[1:] if not p.startswith("Lecture:")]
    module = topic.module_file
    parts = [
        f"# {topic.number}. {topic.title}",
        f"**Lecture:** {topic.lecture}  \n**Points:** {topic.points:g}  \n"
        f"**Module:** `{module}`",
        _markdown("\n\n".join(body)),
        "## How to work in this notebook",
        f"1. Write your code in the next cell, in place of each `raise NotImplementedError()`."
        f" Keep its first line, `%%writefile {module}`: running the cell (Shift+Enter) saves"
        f" your module as `{module}` beside this notebook. It must be a module of its own:"
        " the tests import it by name, and a process pool can only send functions that"
        " live in an importable module.\n"
        "2. Run that cell after every change, then run the test cell below it: it prints"
        " which tests failed and why, and ends with your points. Grading adds hidden"
        " tests.\n"
        f"3. Keep the whole module in that one cell: only the last cell that starts with"
        f" `%%writefile {module}` is graded (`%%writefile -a` cells are not).\n"
        f"4. To try your code in a cell of your own: `import {topic.name}`; after a change,"
        f" run the `%%writefile` cell again and `importlib.reload({topic.name})`.\n"
        "5. Nothing may run when the module is imported: only definitions (and imports)"
        " at the top level.",
    ]
    if _uses_asyncio(_read(root / "solutions" / module)):
        parts.append(
            "**This kernel already runs an event loop.** Jupyter runs one on the kernel's"
            " main thread, so `asyncio.run(...)` in a cell of this notebook fails with"
            " *Cannot run the event loop while another loop is running* (so does your"
            " `run()`). That is the notebook, not your code: the tests run in a process of"
            " their own. Do not start an event loop when the module is imported or in the"
            f" `%%writefile` cell. To try a coroutine here, `await` it in a cell:"
            f" `await {topic.name}.first()`.")
    hints = "\n\n".join(f"<details><summary>Hint {n}</summary>\n\n{_markdown(hint)}\n\n"
                        "</details>" for n, hint in enumerate(topic.hints, start=1))
    parts.append("## Hints\n\nOpen one at a time, only when you are stuck.\n\n" + hints)
    text = "\n\n".join(parts) + "\n"
    _check_delimiters(text, topic)
    return text


def _nbgrader(grade_id: str, *, grade: bool = False, solution: bool = False,
              locked: bool = False, points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _cell(cell_type: str, cell_id: str, source: str, metadata: dict) -> dict:
    cell = {"cell_type": cell_type, "id": cell_id, "metadata": metadata,
            "source": source.splitlines(keepends=True)}
    if cell_type == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def topic_notebook(topic: Topic, root: Path = manifest.ROOT) -> dict:
    """The source (instructor) notebook of ``topic`` as nbformat 4.5 JSON data."""
    name = topic.name
    cells = [
        _cell("markdown", f"{name}-instructions", instructions(topic, root),
              _nbgrader(f"{name}_instructions", locked=True)),
        _cell("code", f"{name}-module", module_cell_source(topic, root),
              _nbgrader(f"{name}_module", solution=True)),
        _cell("code", f"{name}-tests", test_cell_source(topic, root),
              _nbgrader(f"{name}_tests", grade=True, locked=True, points=topic.points)),
    ]
    return {"cells": cells, "metadata": {"kernelspec": dict(KERNELSPEC),
                                         "language_info": {"name": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def config_text(topics: list[Topic]) -> str:
    """nbgrader_config.py: the course root, a cell timeout, and what never to copy."""
    timeout = math.ceil(max(t.timeout for t in topics)) + EXECUTE_MARGIN
    ignore = [*DEFAULT_IGNORE, *(t.module_file for t in topics)]
    return textwrap.dedent(f'''\
        """nbgrader configuration of the concurrency kit's course.

        Written by `python -m grader nbgrader build`; building again overwrites it.
        """
        import os

        c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

        # The folder of this file, wherever the course is moved.
        c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))

        # A test cell runs its topic's tests for at most the topic's timeout from
        # topics.toml (the longest is {max(t.timeout for t in topics):g} s), plus start-up.
        c.Execute.timeout = {timeout}

        # nbgrader's default ignore list, plus the topic modules: running a source
        # notebook (or `nbgrader validate` on it) writes the SOLUTION module beside it,
        # and generate_assignment would copy it into release/. In submissions the
        # modules are not copied either: each notebook's %%writefile cell is graded.
        c.CourseDirectory.ignore = {ignore!r}
        ''')


def build(course: Path, topics: list[Topic] | None = None,
          root: Path = manifest.ROOT) -> list[Path]:
    """Write the course into ``course``; return the files written."""
    topics = topics if topics is not None else manifest.load(root / "topics.toml")
    notebooks_dir = course / "source" / ASSIGNMENT
    written = []
    contents = {course / CONFIG_FILE: config_text(topics)}
    for topic in topics:
        data = topic_notebook(topic, root)
        contents[notebooks_dir / f"{topic.name}.ipynb"] = (
            json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    notebooks_dir.mkdir(parents=True, exist_ok=True)
    for path, text in contents.items():
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    """`nbgrader build COURSE_DIR`: write the course, say what to run next."""
    parser = argparse.ArgumentParser(prog="python -m grader nbgrader",
                                     description="Make an nbgrader course of the kit.")
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build", help="write nbgrader_config.py and "
                                       f"source/{ASSIGNMENT}/<topic>.ipynb into COURSE_DIR")
    build_parser.add_argument("course", type=Path, metavar="COURSE_DIR")
    args = parser.parse_args(argv)
    try:
        written = build(args.course)
    except (CourseError, manifest.ManifestError, stubs.MarkerError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    print(f"next: cd {args.course} && nbgrader generate_assignment {ASSIGNMENT} "
          f"(release/{ASSIGNMENT}/ holds the student notebooks)")
    return 0
