"""The catalogs of known solutions: tests/wrong/<topic>/ and tests/alternatives/<topic>/.

Each case is one module graded as its topic's module, stated in one of two forms:

* ``<case>.py``: the whole module. For a mistake that reshapes the module, and
  for every alternative (each is written its own way).
* ``<case>.toml``: a mistake that is a small change, stated as only that
  change against the reference solution ``solutions/<topic>.py``::

      doc = '''
      Wrong: what the mistake is.
      Expect: <function>: what fails (and what happens instead).
      '''

      [[edit]]
      old = '''
              if stop.wait(interval):
      '''
      new = '''
              stop.wait(interval)
      '''

  The module is the reference with ``doc`` as its docstring, its
  ``### BEGIN SOLUTION`` / ``### END SOLUTION`` lines dropped (a wrong module
  has none, as a learner's has none), then each ``old`` replaced by its
  ``new``, in order. Each ``old`` must appear exactly once in the text at that
  point: when the reference moves so that a change no longer applies, loading
  the case fails with a CaseError naming the case file and the snippet.
  (TOML's ''' strings keep backslashes as they are and drop the newline that
  follows the opening quotes, so the snippets are the module's lines verbatim.)

``load`` yields both forms alike, each with the text that is graded: `make
verify`, the benches and the kit's tests all read the catalogs through it.
"""

from __future__ import annotations

import ast
import dataclasses
import tomllib
from collections.abc import Iterable
from pathlib import Path

from grader import manifest, syntax
from grader.layout import SOLUTIONS, TESTS
from grader.stubs import BEGIN, END

FORMS = (".py", ".toml")


class CaseError(ValueError):
    """A catalog case that does not make a module (it names the file and why)."""


@dataclasses.dataclass(frozen=True)
class Entry:
    """One catalog case: where it is stated and the module text it stands for."""

    topic: str              # the topic's name, which is its folder's
    path: Path              # tests/<kind>/<topic>/<name>.py or .toml
    text: str               # the whole module, as graded

    @property
    def name(self) -> str:
        """The case's name: its file name without the form's suffix."""
        return self.path.stem

    @property
    def label(self) -> str:
        """<kind>/<topic>/<file>, as `make verify` prints it."""
        return f"{self.path.parent.parent.name}/{self.topic}/{self.path.name}"

    @property
    def doc(self) -> str:
        """The module's docstring ("" when it has none or does not parse)."""
        try:
            return ast.get_docstring(syntax.parse(self.text)) or ""
        except SyntaxError:
            return ""


def without_markers(source: str) -> str:
    """``source`` without its ### BEGIN SOLUTION / ### END SOLUTION lines."""
    return "".join(line for line in source.splitlines(keepends=True)
                   if line.strip() not in (BEGIN, END))


def with_docstring(source: str, doc: str) -> str:
    """``source`` with its module docstring replaced by '''doc''' in triple double quotes."""
    body = syntax.parse(source).body
    if not (body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)):
        raise ValueError("the reference has no module docstring")
    lines = source.splitlines(keepends=True)
    rest = lines[body[0].end_lineno or 1:]
    return f'"""{doc}"""\n' + "".join(rest)


def apply_change(path: Path, reference: str) -> str:
    """The module a ``.toml`` case at ``path`` states against ``reference``'s text."""
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CaseError(f"{path}: not valid TOML: {exc}") from exc
    unknown = set(data) - {"doc", "edit"}
    if unknown or not isinstance(data.get("doc"), str) or not data.get("edit"):
        raise CaseError(f"{path}: a change case has a doc string and at least one [[edit]] "
                        f"(and nothing else{f'; found {sorted(unknown)}' if unknown else ''})")
    text = with_docstring(without_markers(reference), data["doc"])
    for number, edit in enumerate(data["edit"], start=1):
        if set(edit) != {"old", "new"} or not all(isinstance(v, str) for v in edit.values()):
            raise CaseError(f"{path}: edit {number} must have exactly the strings old and new")
        old, new = edit["old"], edit["new"]
        found = text.count(old) if old else 0
        if found != 1:
            where = "is not in" if found == 0 else f"appears {found} times in"
            raise CaseError(f"{path}: edit {number} no longer applies: its old snippet {where} "
                            f"the reference (has solutions/{path.parent.name}.py moved?)\n"
                            f"--- old snippet:\n{old}")
        text = text.replace(old, new, 1)
    return text


def entry(path: Path, solutions: Path = SOLUTIONS) -> Entry:
    """The case stated by ``path`` (a .py module or a .toml change)."""
    topic = path.parent.name
    if path.suffix == ".py":
        return Entry(topic, path, path.read_bytes().decode("utf-8"))
    reference = solutions / f"{topic}.py"
    if not reference.is_file():
        raise CaseError(f"{path}: there is no reference {reference} to change")
    return Entry(topic, path, apply_change(path, reference.read_bytes().decode("utf-8")))


def load(folder: Path, topics: Iterable[str], solutions: Path = SOLUTIONS) -> list[Entry]:
    """Every case of ``folder``/<topic>/ for the given topics, in topic then name order.

    A name stated in both forms is an error: which one would be graded? When
    cases do not load, one CaseError names them all (a moved reference often
    breaks several at once).
    """
    entries, problems = [], []
    for topic in topics:
        paths = sorted((p for p in (folder / topic).glob("*") if p.suffix in FORMS),
                       key=lambda p: p.stem)
        stems = [p.stem for p in paths]
        twice = sorted({stem for stem in stems if stems.count(stem) > 1})
        if twice:
            problems.append(f"{folder / topic}: {', '.join(twice)} stated both as .py and .toml")
        for path in paths:
            try:
                entries.append(entry(path, solutions))
            except CaseError as exc:
                problems.append(str(exc))
    if problems:
        raise CaseError("\n".join(problems))
    return entries


def cases(kind: str, topics: Iterable[str] | None = None) -> list[Entry]:
    """Every case of tests/<kind>/ ("wrong" or "alternatives"), all topics by default."""
    names = [t.name for t in manifest.load()] if topics is None else list(topics)
    return load(TESTS / kind, names)


def case(kind: str, topic: str, name: str) -> Entry:
    """The one case tests/<kind>/<topic>/<name> (.py or .toml)."""
    for path in (TESTS / kind / topic / f"{name}{suffix}" for suffix in FORMS):
        if path.is_file():
            return entry(path)
    raise CaseError(f"no case {kind}/{topic}/{name} (.py or .toml)")
