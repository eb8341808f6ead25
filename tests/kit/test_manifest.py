"""The manifest, exercises/, solutions/, tests/ and the catalogs agree."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from grader import catalog, manifest

ROOT = manifest.ROOT
TOPICS = manifest.load()
NAMES = [t.name for t in TOPICS]


def test_six_core_topics_in_teaching_order():
    assert NAMES == ["countdown", "joinable_threads", "mutex_counter",
                     "event_coordination", "pool_async", "asyncio_chain"]
    assert [t.number for t in TOPICS] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("folder,pattern", [
    ("solutions", "{}.py"), ("exercises", "{}.py"),
    ("tests", "test_{}.py"), ("tests/hidden", "test_{}.py"),
])
def test_folders_hold_exactly_the_manifest_topics(folder, pattern):
    glob = pattern.format("*")
    found = sorted(p.name for p in (ROOT / folder).glob(glob))
    assert found == sorted(pattern.format(n) for n in NAMES), folder


def test_every_topic_has_hints_points_and_a_lecture_section():
    for topic in TOPICS:
        assert 2 <= len(topic.hints) <= 3 and all(len(h) > 20 for h in topic.hints)
        assert topic.points > 0 and topic.lecture and topic.title


@pytest.mark.parametrize("kind,least,first_word", [("wrong", 5, "Wrong:"),
                                                   ("alternatives", 1, "Alternative:")])
def test_catalogs_cover_every_topic(kind, least, first_word):
    folder = ROOT / "tests" / kind
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == sorted(NAMES)
    for name in NAMES:
        entries = catalog.cases(kind, [name])
        assert len(entries) >= least, f"{kind}/{name} has {len(entries)} modules"
        for entry in entries:
            doc = ast.get_docstring(ast.parse(entry.text)) or ""
            complaint = f"{entry.path}: docstring must start with {first_word}"
            assert doc.startswith(first_word), complaint


def test_each_test_file_touches_only_its_own_topic():
    """A wrong module costs points in its own topic only: no test imports another topic."""
    for test_file in [*ROOT.glob("tests/test_*.py"), *ROOT.glob("tests/hidden/test_*.py")]:
        tree = ast.parse(test_file.read_text(encoding="utf-8"))
        imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                    if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom) and node.module}
        assert not imported & set(NAMES), f"{test_file} imports a topic module directly"


@pytest.mark.parametrize("text,complaint", [
    ("format_version = 1\n[[topics]]\nname = 'a'\n", "missing key"),
    ("format_version = 2\n", "format_version"),
    ("format_version = 1\n[[topics]\n", "not valid TOML"),
    ("format_version = 1\n"
     + 2 * ("[[topics]]\nname='a'\ntitle='t'\n"
            "lecture='l'\npoints=1\nhints=['h']\n"),
     "unique"),
    ("format_version = 1\n[[topics]]\nname='a-b'\ntitle='t'\nlecture='l'\npoints=1\nhints=['h']\n",
     "not a module name"),
    ("format_version = 1\nlint_weight = 1.5\n[[topics]]\nname='a'\ntitle='t'\nlecture='l'\n"
     "points=1\nhints=['h']\n", "lint_weight must be between 0 and 1"),
    ("format_version = 1\n[[topics]]\nname='a'\ntitle='t'\nlecture='l'\npoints='ten'\n"
     "hints=['h']\n", "wrong type"),
])
def test_a_bad_manifest_is_named_with_its_problem(tmp_path: Path, text, complaint):
    path = tmp_path / "topics.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(manifest.ManifestError) as raised:
        manifest.load(path)
    assert str(path) in str(raised.value) and complaint in str(raised.value)


def test_unknown_topic_names_are_refused():
    with pytest.raises(manifest.ManifestError, match="unknown topic nope"):
        manifest.by_name("countdown,nope")
    names = [t.name for t in manifest.by_name("pool_async, countdown")]
    assert names == ["countdown", "pool_async"]
