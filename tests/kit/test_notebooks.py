"""Notebook submissions: the module is read out of the %%writefile cell, never run.

grader.notebooks decides which text is a topic's module; grader.discover uses
it beside .py files, the shallowest winning (the notebook when both sit in one
folder), with the same limits,
and a notebook it cannot read costs only its own topic.
"""

from __future__ import annotations

import csv
import inspect
import json
import subprocess
import sys
import zipfile

import pytest

from grader import discover, manifest, notebooks, pipeline

ROOT = manifest.ROOT
TOPICS = manifest.by_name("countdown,asyncio_chain")
SOLUTION = (ROOT / "solutions" / "countdown.py").read_text(encoding="utf-8")
ASYNC_SOLUTION = (ROOT / "solutions" / "asyncio_chain.py").read_text(encoding="utf-8")
STUB = (ROOT / "exercises" / "countdown.py").read_text(encoding="utf-8")


def notebook(*cells: str | tuple[str, str], lines: bool = True) -> bytes:
    """Notebook JSON with these cells: a str is a code cell, (type, text) any cell.

    ``lines`` stores sources as lists of lines, as Jupyter saves them.
    """
    data = []
    for number, cell in enumerate(cells):
        kind, text = cell if isinstance(cell, tuple) else ("code", cell)
        entry = {"cell_type": kind, "id": f"c{number}", "metadata": {},
                 "source": text.splitlines(keepends=True) if lines else text}
        if kind == "code":
            entry.update(execution_count=None, outputs=[])
        data.append(entry)
    return json.dumps({"cells": data, "metadata": {}, "nbformat": 4,
                       "nbformat_minor": 5}).encode()


def module_cell(name: str, body: str) -> str:
    """The %%writefile cell of topic ``name``."""
    return f"%%writefile {name}.py\n{body}"


# --- which cell is the module -------------------------------------------------

@pytest.mark.parametrize("source, expected", [
    ("%%writefile countdown.py\nx = 1\n", ("countdown.py", False, "x = 1\n")),
    ("%%writefile countdown.py\nx = 1", ("countdown.py", False, "x = 1\n")),
    ("\n  \n%%writefile countdown.py\nx = 1\n\n\n", ("countdown.py", False, "x = 1\n")),
    ("%%writefile ./countdown.py\nx = 1\n", ("countdown.py", False, "x = 1\n")),
    ("%%writefile 'countdown.py'\nx = 1\n", ("countdown.py", False, "x = 1\n")),
    ("%%writefile -a countdown.py\nx = 1\n", ("countdown.py", True, "x = 1\n")),
    ("%%writefile countdown.py --append\nx = 1\n", ("countdown.py", True, "x = 1\n")),
    ("    %%writefile countdown.py\n    x = 1\n", ("countdown.py", False, "x = 1\n")),
    ("%%writefile countdown.py\n", ("countdown.py", False, "\n")),
    ("%%writefile\nx = 1\n", None),
    ("%%writefile a.py b.py\nx = 1\n", None),
    ("%%file countdown.py\nx = 1\n", None),
    ("%%bash\necho hi\n", None),
    ("# %%writefile countdown.py\nx = 1\n", None),
    ("x = 1\n%%writefile countdown.py\n", None),
    ("%%writefile 'unclosed.py\nx = 1\n", None),
])
def test_a_writefile_cell_is_read_as_ipython_reads_it(source, expected):
    assert notebooks.writefile_cell(source) == expected


def test_the_last_whole_writefile_cell_wins_and_append_cells_are_left_out():
    sources = ["%%writefile countdown.py\nfirst = 1\n", "print('hello')",
               "%%writefile other.py\nnot_this = 1\n",
               "%%writefile countdown.py\nsecond = 2\n",
               "%%writefile -a countdown.py\nappended = 3\n"]
    assert notebooks.last_module(sources, "countdown.py") == ("second = 2\n", 1)
    assert notebooks.last_module(sources[1:3], "countdown.py") == (None, 0)


def test_the_module_is_the_exact_text_of_the_cell_body():
    tricky = SOLUTION + "\nTEXT = '''\n%%writefile countdown.py\n\\t\"quotes\"'''\n"
    for lines in (True, False):
        data = notebook(("markdown", "# Countdown"), "import countdown",
                        module_cell("countdown", tricky), lines=lines)
        module, notes = notebooks.extract_module(data, "countdown.py", "nb/countdown.ipynb")
        assert module.decode() == tricky and not notes


def test_append_cells_are_reported():
    data = notebook(module_cell("countdown", SOLUTION),
                    "%%writefile -a countdown.py\nEXTRA = 1\n")
    module, notes = notebooks.extract_module(data, "countdown.py", "s/countdown.ipynb")
    assert module.decode() == SOLUTION
    assert len(notes) == 1 and "s/countdown.ipynb" in notes[0] and "-a" in notes[0]


@pytest.mark.parametrize("data, words", [
    (b'{"cells": [', "invalid JSON at line 1"),
    (b"\xff\xfe\x00garbage", "not"),
    (b"[1, 2]", "no list of cells"),
    (b'{"cells": {}}', "no list of cells"),
    (b'{"cells": [{"cell_type": "code", "source": 3}]}', "neither text nor a list"),
    (notebook("print('no module here')"), "no cell starting with `%%writefile countdown.py`"),
    (b"[" * 100_000 + b"]" * 100_000, "not a notebook"),
])
def test_an_unreadable_notebook_is_named_in_a_clear_message(data, words):
    with pytest.raises(notebooks.NotebookError) as caught:
        notebooks.extract_module(data, "countdown.py", "alice/concurrency/countdown.ipynb")
    assert "alice/concurrency/countdown.ipynb" in str(caught.value)
    assert words in str(caught.value)


# --- discovery ------------------------------------------------------------------

def test_a_folder_of_notebooks_is_a_submission(tmp_path):
    (tmp_path / "countdown.ipynb").write_bytes(notebook(module_cell("countdown", SOLUTION)))
    (tmp_path / "asyncio_chain.ipynb").write_bytes(
        notebook(module_cell("asyncio_chain", ASYNC_SOLUTION)))
    found = discover.find(tmp_path, TOPICS)
    assert not found.error and not found.problems, (found.error, found.problems)
    assert found.files == {"countdown": SOLUTION.encode(),
                           "asyncio_chain": ASYNC_SOLUTION.encode()}
    assert found.where["countdown"] == "countdown.ipynb (%%writefile countdown.py)"


def test_an_nbgrader_submitted_tree_is_found_per_student(tmp_path):
    for student, body in (("alice", SOLUTION), ("bob", STUB)):
        folder = tmp_path / "submitted" / student / "concurrency"
        folder.mkdir(parents=True)
        (folder / "countdown.ipynb").write_bytes(notebook(module_cell("countdown", body)))
        (folder / ".ipynb_checkpoints").mkdir()
        (folder / ".ipynb_checkpoints" / "countdown-checkpoint.ipynb").write_bytes(b"{")
    alice = discover.find(tmp_path / "submitted" / "alice", TOPICS)
    bob = discover.find(tmp_path / "submitted" / "bob", TOPICS)
    assert alice.name == "alice" and alice.files == {"countdown": SOLUTION.encode()}
    assert bob.files == {"countdown": STUB.encode()}
    assert alice.where["countdown"].startswith("concurrency/countdown.ipynb")


def test_the_shallower_of_a_py_file_and_a_notebook_wins_and_it_is_flagged(tmp_path):
    (tmp_path / "deep" / "er").mkdir(parents=True)
    (tmp_path / "deep" / "er" / "countdown.py").write_text(STUB, encoding="utf-8")
    (tmp_path / "countdown.ipynb").write_bytes(notebook(module_cell("countdown", SOLUTION)))
    found = discover.find(tmp_path, TOPICS)
    assert found.files == {"countdown": SOLUTION.encode()}
    assert any("ignored deep/er/countdown.py" in flag for flag in found.flags), found.flags
    (tmp_path / "deep" / "er" / "x").mkdir()
    (tmp_path / "countdown.ipynb").rename(tmp_path / "deep" / "er" / "x" / "countdown.ipynb")
    (tmp_path / "countdown.py").write_text(STUB, encoding="utf-8")
    found = discover.find(tmp_path, TOPICS)
    assert found.files == {"countdown": STUB.encode()}
    assert found.where["countdown"] == "countdown.py"
    assert any("ignored deep/er/x/countdown.ipynb" in flag and "shallower" in flag
               for flag in found.flags), found.flags


def test_beside_its_notebook_a_py_file_is_only_what_running_it_wrote(tmp_path):
    """nbgrader's submitted/ folders hold both: the notebook is what nbgrader grades."""
    (tmp_path / "countdown.py").write_text(STUB, encoding="utf-8")
    (tmp_path / "countdown.ipynb").write_bytes(notebook(module_cell("countdown", SOLUTION)))
    found = discover.find(tmp_path, TOPICS)
    assert found.files == {"countdown": SOLUTION.encode()}
    assert found.where["countdown"].startswith("countdown.ipynb")
    assert any("ignored countdown.py" in flag and "beside it" in flag
               for flag in found.flags), found.flags


def test_the_shallowest_notebook_wins(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "countdown.ipynb").write_bytes(notebook(module_cell("countdown",
                                                                          SOLUTION)))
    (tmp_path / "a" / "b" / "countdown.ipynb").write_bytes(notebook(module_cell("countdown",
                                                                                STUB)))
    found = discover.find(tmp_path, TOPICS)
    assert found.files == {"countdown": SOLUTION.encode()}
    assert any("ignored a/b/countdown.ipynb: a/countdown.ipynb is shallower" == flag
               for flag in found.flags), found.flags


def test_a_broken_notebook_costs_only_its_topic(tmp_path):
    (tmp_path / "countdown.ipynb").write_bytes(b'{"cells": [{"cell_type": "code", "sour')
    (tmp_path / "asyncio_chain.ipynb").write_bytes(
        notebook(module_cell("asyncio_chain", ASYNC_SOLUTION)))
    found = discover.find(tmp_path, TOPICS)
    assert not found.error
    assert set(found.files) == {"asyncio_chain"}
    assert "countdown.ipynb is not a notebook: invalid JSON" in found.problems["countdown"]


def test_a_notebook_without_the_module_cell_costs_its_topic(tmp_path):
    (tmp_path / "countdown.ipynb").write_bytes(notebook("print('forgot the module')"))
    found = discover.find(tmp_path, TOPICS)
    assert "countdown.ipynb has no cell starting with" in found.problems["countdown"]


def test_a_notebook_module_that_does_not_compile_names_the_notebook(tmp_path):
    (tmp_path / "countdown.ipynb").write_bytes(
        notebook(module_cell("countdown", "x = 1\ndef broken(:\n")))
    found = discover.find(tmp_path, TOPICS)
    assert found.problems["countdown"].startswith(
        "SyntaxError at line 2 of countdown.ipynb (%%writefile countdown.py)")


def test_notebooks_obey_the_size_limit(tmp_path):
    big = SOLUTION + "#" * (discover.MAX_FILE + 10) + "\n"
    (tmp_path / "countdown.ipynb").write_bytes(notebook(module_cell("countdown", big)))
    found = discover.find(tmp_path, TOPICS)
    assert "over the 1 MiB limit" in found.problems["countdown"]
    assert "countdown.ipynb" in found.problems["countdown"]


def test_a_symlinked_notebook_is_not_followed(tmp_path):
    real = tmp_path / "elsewhere.ipynb"
    real.write_bytes(notebook(module_cell("countdown", SOLUTION)))
    student = tmp_path / "student"
    student.mkdir()
    (student / "countdown.ipynb").symlink_to(real)
    found = discover.find(student, TOPICS)
    assert found.error.startswith("no topic file found")
    assert "symlink not followed: countdown.ipynb" in found.flags


def test_notebooks_in_a_zip(tmp_path):
    archive = tmp_path / "carol.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("concurrency/countdown.ipynb",
                        notebook(module_cell("countdown", SOLUTION)))
        zipped.writestr("concurrency/asyncio_chain.ipynb", b"not json")
        zipped.writestr("../countdown.ipynb", notebook(module_cell("countdown", STUB)))
    found = discover.find(archive, TOPICS)
    assert found.name == "carol" and found.files == {"countdown": SOLUTION.encode()}
    assert "concurrency/asyncio_chain.ipynb is not a notebook" in found.problems[
        "asyncio_chain"]
    assert "unsafe zip entry refused: ../countdown.ipynb" in found.flags


def test_nothing_in_a_notebook_is_ever_run(tmp_path):
    marker = tmp_path / "ran"
    planted = f"open({str(marker)!r}, 'w').close()\n"
    (tmp_path / "student").mkdir()
    (tmp_path / "student" / "countdown.ipynb").write_bytes(
        notebook(planted, module_cell("countdown", SOLUTION + planted)))
    found = discover.find(tmp_path / "student", TOPICS)
    assert found.files["countdown"].decode().endswith(planted)
    assert not marker.exists()


# --- grading ----------------------------------------------------------------------

@pytest.mark.timeout(180)
def test_grade_takes_one_students_nbgrader_folder(tmp_path):
    notebooks_dir = tmp_path / "submitted" / "dora" / "concurrency"
    notebooks_dir.mkdir(parents=True)
    (notebooks_dir / "countdown.ipynb").write_bytes(notebook(module_cell("countdown", STUB)))
    (notebooks_dir / "asyncio_chain.ipynb").write_bytes(
        notebook(("markdown", "Do not run a loop here."),
                 module_cell("asyncio_chain", ASYNC_SOLUTION)))
    completed = subprocess.run(
        [sys.executable, "-m", "grader", "grade", str(tmp_path / "submitted" / "dora"),
         "--format", "json"], cwd=ROOT, capture_output=True, text=True, timeout=170,
        check=True)
    result = json.loads(completed.stdout)
    scores = {t["topic"]: (t["status"], t["score"]) for t in result["topics"]}
    assert scores["countdown"] == ("graded", 0.0)
    assert scores["asyncio_chain"] == ("graded", 10.0)
    assert result["submission"] == "dora"


@pytest.mark.timeout(300)
def test_batch_grades_nbgrader_submitted_tree_one_student_per_child(tmp_path):
    submitted = tmp_path / "submitted"
    for student, body in (("amy", ASYNC_SOLUTION), ("ben", "async def other():\n    return 2\n")):
        folder = submitted / student / "concurrency"
        folder.mkdir(parents=True)
        (folder / "asyncio_chain.ipynb").write_bytes(
            notebook(module_cell("asyncio_chain", body)))
    (submitted / "cy" / "concurrency").mkdir(parents=True)
    (submitted / "cy" / "concurrency" / "asyncio_chain.ipynb").write_text("{", encoding="utf-8")
    out = tmp_path / "out"
    subprocess.run([sys.executable, "-m", "grader", "batch", str(submitted), "--out", str(out),
                    "--topics", "asyncio_chain"], cwd=ROOT, capture_output=True, text=True,
                   timeout=280, check=True)
    with open(out / "grades.csv", encoding="utf-8") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    assert sorted(rows) == ["amy", "ben", "cy"]
    assert float(rows["amy"]["asyncio_chain"]) == 10.0
    assert 0 <= float(rows["ben"]["asyncio_chain"]) < 10.0
    assert float(rows["cy"]["asyncio_chain"]) == 0.0
    feedback = (out / "cy" / "feedback.md").read_text(encoding="utf-8")
    assert "concurrency/asyncio_chain.ipynb is not a notebook" in feedback


def test_grade_reports_a_broken_notebook_and_grades_the_rest(tmp_path):
    (tmp_path / "countdown.ipynb").write_text("{ not json", encoding="utf-8")
    result = pipeline.grade_submission(tmp_path, manifest.by_name("countdown"))
    outcome = result.topics[0]
    assert outcome.status == "error" and outcome.score == 0
    assert "countdown.ipynb is not a notebook" in outcome.message


def test_the_notebook_rule_is_self_contained_for_the_test_cell():
    """writefile_cell and last_module are copied into test cells with only these imports."""
    source = "\n".join(inspect.getsource(f)
                       for f in (notebooks.writefile_cell, notebooks.last_module))
    namespace: dict = {}
    # pylint: disable-next=exec-used  # what the test cell does with this text
    exec(compile("import os, shlex, textwrap\n" + source, "<cell>", "exec"), namespace)
    assert namespace["last_module"](["%%writefile x.py\ny = 1"], "x.py") == ("y = 1\n", 0)
