"""The catalogs of wrong and alternative solutions load: whole modules and changes alike."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

from grader import catalog, manifest, stubs

NAMES = [t.name for t in manifest.load()]
ENTRIES = catalog.cases("wrong") + catalog.cases("alternatives")
SMALL = 12          # lines of a change, old and new together; more reshapes the module

REFERENCE = '''"""The reference's own docstring.

It runs over several lines.
"""

import threading


def wait(stop):
    """Wait for stop."""
    ### BEGIN SOLUTION
    stop.wait()
    return True
    ### END SOLUTION
'''


def code(text: str) -> str:
    """The module's statements after its docstring, as an AST dump."""
    return ast.dump(ast.Module(ast.parse(text).body[1:], []))


def write_case(tmp_path: Path, text: str, name: str = "case.toml") -> Path:
    """solutions/topic.py holding REFERENCE, and ``text`` as wrong/topic/<name>."""
    (tmp_path / "solutions").mkdir(exist_ok=True)
    (tmp_path / "solutions" / "topic.py").write_text(REFERENCE, encoding="utf-8")
    folder = tmp_path / "wrong" / "topic"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


def test_every_case_materialises_and_compiles():
    assert len(ENTRIES) >= 6 * 5
    for entry in ENTRIES:
        compile(entry.text, entry.label, "exec")
        assert entry.topic in NAMES, entry.label


def test_a_change_is_its_reference_with_a_new_docstring_no_markers_and_its_edits():
    changes = [e for e in ENTRIES if e.path.suffix == ".toml"]
    assert changes, "no case is stated as a change"
    for entry in changes:
        assert entry.label.startswith("wrong/"), entry.label
        assert entry.text.startswith('"""Wrong: '), entry.label
        assert stubs.BEGIN not in entry.text and stubs.END not in entry.text, entry.label
        reference = (manifest.ROOT / "solutions" / f"{entry.topic}.py").read_text("utf-8")
        assert code(entry.text) != code(reference), f"{entry.label} changes no code"


def test_a_change_stays_small_and_a_reshaping_stays_whole():
    for entry in ENTRIES:
        if entry.path.suffix == ".toml":
            edits = tomllib.loads(entry.path.read_text("utf-8"))["edit"]
            size = sum(e["old"].count("\n") + e["new"].count("\n") for e in edits)
            assert size <= SMALL, f"{entry.path}: {size} lines of edits; state it whole"


def test_a_change_case_makes_the_module(tmp_path):
    path = write_case(tmp_path, "doc = '''\nWrong: never waits.\nExpect: wait: waits.\n'''\n\n"
                                "[[edit]]\nold = '''\n    stop.wait()\n'''\nnew = ''\n")
    entry = catalog.load(tmp_path / "wrong", ["topic"], tmp_path / "solutions")[0]
    assert entry.path == path and entry.name == "case" and entry.label == "wrong/topic/case.toml"
    assert entry.text == ('"""Wrong: never waits.\nExpect: wait: waits.\n"""\n\nimport threading'
                          '\n\n\ndef wait(stop):\n    """Wait for stop."""\n    return True\n')
    assert entry.doc == "Wrong: never waits.\nExpect: wait: waits."
    assert ast.parse(entry.text)


@pytest.mark.parametrize("old,complaint", [
    ("    stop.wait(1.0)\n", "is not in"),
    ("\n\n", "appears 2 times in"),
])
def test_a_change_that_no_longer_applies_names_its_file_and_snippet(tmp_path, old, complaint):
    path = write_case(tmp_path, f"doc = 'Wrong: x.'\n\n[[edit]]\nold = '''\n{old}'''\nnew = ''\n")
    with pytest.raises(catalog.CaseError) as caught:
        catalog.load(tmp_path / "wrong", ["topic"], tmp_path / "solutions")
    message = str(caught.value)
    assert str(path) in message and "edit 1 no longer applies" in message
    assert complaint in message and old in message


@pytest.mark.parametrize("text,complaint", [
    ("doc = 'Wrong: x.'\n", "at least one [[edit]]"),
    ("doc = 'Wrong: x.'\nextra = 1\n[[edit]]\nold = 'a'\nnew = 'b'\n", "found ['extra']"),
    ("doc = 'Wrong: x.'\n[[edit]]\nold = 'a'\n", "exactly the strings old and new"),
    ("doc = '''\n", "not valid TOML"),
])
def test_a_malformed_change_is_named(tmp_path, text, complaint):
    path = write_case(tmp_path, text)
    with pytest.raises(catalog.CaseError, match=r"\S") as caught:
        catalog.entry(path, tmp_path / "solutions")
    assert str(path) in str(caught.value) and complaint in str(caught.value)


def test_every_case_that_no_longer_applies_is_named_at_once(tmp_path):
    for name in ("first", "second"):
        write_case(tmp_path, "doc = 'Wrong: x.'\n[[edit]]\nold = 'gone'\nnew = ''\n",
                   f"{name}.toml")
    with pytest.raises(catalog.CaseError) as caught:
        catalog.load(tmp_path / "wrong", ["topic"], tmp_path / "solutions")
    assert "first.toml" in str(caught.value) and "second.toml" in str(caught.value)


def test_a_case_stated_twice_is_an_error(tmp_path):
    write_case(tmp_path, '"""Wrong: x."""\n', "case.py")
    write_case(tmp_path, "doc = 'Wrong: x.'\n[[edit]]\nold = 'True'\nnew = 'False'\n")
    with pytest.raises(catalog.CaseError, match="case stated both as .py and .toml"):
        catalog.load(tmp_path / "wrong", ["topic"], tmp_path / "solutions")


def test_a_whole_module_is_read_byte_for_byte(tmp_path):
    text = '"""Wrong: keeps its bytes.\r\n"""\r\nx = 1  \n'
    path = tmp_path / "wrong" / "topic" / "case.py"
    path.parent.mkdir(parents=True)
    path.write_bytes(text.encode("utf-8"))
    assert catalog.entry(path).text == text


def test_one_case_by_name():
    entry = catalog.case("wrong", "countdown", "target_called")
    assert entry.topic == "countdown" and "target=countdown(" in entry.text
    with pytest.raises(catalog.CaseError, match="no case wrong/countdown/nothing"):
        catalog.case("wrong", "countdown", "nothing")
