"""Where the kit's files are, and which of them each shipped set holds.

The one owner of the kit's paths. Every set of files that leaves the kit is
derived here, recursively, never listed by hand:

* the tests' helpers: every ``tests/*.py`` that is not a test file;
* what a run folder's ``lib/grader`` holds (``plugin_files``): the pytest
  plugin and every grader module it imports, found by reading the imports;
* the grader the student release ships (``student_grader_files``): what the
  students' commands (check, hint, watch) import, the same way;
* the kit's content (``kit_files``): what decides a verdict, which the
  gradebook's version digest and the Gradescope zip hold.

So a new helper, a new grader module or a subpackage is shipped wherever
it is needed without anyone editing a list.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

from grader import syntax

ROOT = Path(__file__).resolve().parent.parent
GRADER = ROOT / "grader"
TESTS = ROOT / "tests"
HIDDEN = TESTS / "hidden"
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"
MANIFEST = ROOT / "topics.toml"
# Top-level files every copy of the kit carries: the manifest, the project
# (pytest's configuration), the students' make rules and the pins.
TOP_FILES = ("topics.toml", "pyproject.toml", "kit.mk", "constraints.txt")
# The entry points of each shipped grader set.
PLUGIN_ENTRY = ("pytest_plugin",)
STUDENT_ENTRY = ("__main__", "check", "hints", "watch")


def test_helpers(tests: Path = TESTS) -> tuple[str, ...]:
    """File names of the tests' helpers: every ``tests/*.py`` but the test files."""
    return tuple(sorted(p.name for p in tests.glob("*.py") if not p.name.startswith("test_")))


def helper_modules(tests: Path = TESTS) -> tuple[str, ...]:
    """Importable names of the helpers the tests' verdicts rest on (not the conftest)."""
    return tuple(name.removesuffix(".py") for name in test_helpers(tests)
                 if name != "conftest.py")


def _python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def _module_path(name: str, grader: Path) -> Path | None:
    """``grader.<name>`` as a file: a module, or a package's ``__init__.py``."""
    parts = name.split(".")
    module = grader.joinpath(*parts).with_suffix(".py")
    if module.is_file():
        return module
    package = grader.joinpath(*parts, "__init__.py")
    return package if package.is_file() else None


def _imported(path: Path, grader: Path) -> set[str]:
    """The ``grader`` modules ``path`` imports, anywhere in it (functions included)."""
    package = path.relative_to(grader).parent.parts
    found: set[str] = set()
    for node in ast.walk(syntax.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name.removeprefix("grader.") for a in node.names
                      if a.name.startswith("grader.")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:                          # relative, inside a subpackage
                base = list(package[:len(package) - node.level + 1])
                module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            elif node.module == "grader":
                module = ""
            elif node.module and node.module.startswith("grader."):
                module = node.module.removeprefix("grader.")
            else:
                continue
            for alias in node.names:
                candidate = f"{module}.{alias.name}" if module else alias.name
                found.add(candidate if _module_path(candidate, grader) else module)
    return {name for name in found if name}


@functools.lru_cache(maxsize=None)
def _closure(entry: tuple[str, ...], grader: Path = GRADER) -> tuple[str, ...]:
    """Files (relative to grader/) of ``entry``'s modules and all they import, packages whole."""
    files: set[Path] = {grader / "__init__.py"}
    todo = list(entry)
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        path = _module_path(name, grader)
        if name in seen or path is None:
            continue
        seen.add(name)
        members = _python_files(path.parent) if path.name == "__init__.py" else [path]
        for member in members:
            files.add(member)
            todo.extend(_imported(member, grader))
    return tuple(sorted(p.relative_to(grader).as_posix() for p in files))


def plugin_files(grader: Path = GRADER) -> tuple[str, ...]:
    """What a run folder's lib/grader holds: the pytest plugin and all it imports."""
    return _closure(PLUGIN_ENTRY, grader)


def student_grader_files(grader: Path = GRADER) -> tuple[str, ...]:
    """The grader of the student release: its commands (check, hint), the plugin their runs
    load, and all they import."""
    return _closure(STUDENT_ENTRY + PLUGIN_ENTRY, grader)


def kit_files(root: Path = ROOT) -> list[Path]:
    """What decides a verdict: the grader, the tests with their helpers, hidden tests, manifest."""
    grader, tests = root / "grader", root / "tests"
    return sorted([*_python_files(grader), *tests.glob("*.py"),
                   *(tests / "hidden").glob("*.py"), root / "topics.toml"])
