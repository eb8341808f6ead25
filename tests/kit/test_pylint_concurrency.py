"""Tests for the concurrency pylint plugin (grader.pylint_concurrency).

The plugin talks to learners, so a message on correct code is the worst bug
it can have. Every message therefore gets bad cases that must produce exactly
that message on exactly that line, and tricky good cases (the correct idioms
that look like the mistakes) that must produce nothing: pylint's functional
tests, one file a case under pylint_functional/<concern>/. The
reference solutions, the stubs and the catalog of correct alternatives must
stay silent, pylint must be able to load the plugin from its command line,
and ``check_source`` must never raise, whatever it is fed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import astroid
import pytest
from pylint.lint import PyLinter
from pylint.testutils import LintModuleTest
from pylint.testutils.functional import FunctionalTestFile, LintModuleOutputUpdate

from grader import pylint_concurrency as plugin
from grader.pylint_concurrency import checker

ROOT = Path(__file__).resolve().parents[2]

# One file a case, by concern (threads, locks, waiting, pools, coroutines), in
# pylint's functional style: ``case.py`` marks each line that must be flagged with
# ``# [symbol]``; ``case.txt`` beside it holds every expected message in full
# (line, columns, function, text). A file without markers and without a .txt is
# correct code, much of it looking like the mistakes: it must get no message.
FUNCTIONAL = Path(__file__).resolve().parent / "pylint_functional"
CASES = sorted(FUNCTIONAL.glob("*/*.py"))
# KIT_UPDATE_FUNCTIONAL=1 rewrites each .txt from what the plugin reports now (check the diff).
UPDATE = os.environ.get("KIT_UPDATE_FUNCTIONAL") == "1"


class _Case(FunctionalTestFile):
    """A functional case linted with the folder's shared pylintrc, not a .rc of its own."""

    @property
    def option_file(self) -> str:
        return str(FUNCTIONAL / "pylintrc")


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_functional_case(path):
    """Exactly the marked messages on the marked lines, with the texts in the .txt."""
    kind = LintModuleOutputUpdate if UPDATE else LintModuleTest
    case = kind(_Case(str(path.parent), path.name))
    case.setUp()
    case.runTest()


def test_every_message_has_a_bad_case():
    """No message goes untested, and every case with a .txt marks its lines."""
    covered = set()
    for path in CASES:
        with open(path, encoding="utf-8") as source:
            marked = LintModuleTest.get_expected_messages(source)
        covered |= {symbol for _, symbol in marked}
        assert bool(marked) == path.with_suffix(".txt").exists(), path
    assert covered == set(plugin.SYMBOLS)


def test_message_texts_name_a_lecture_section():
    """Every message says where in the lecture to read up."""
    for msgid, (template, symbol, description) in plugin.MESSAGES.items():
        assert msgid[0] in "WE" and msgid[1:3] == "93" and len(msgid) == 5
        assert "see the lecture" in template, symbol
        assert description


def test_messages_do_not_clash_with_pylint_own():
    """Our ids and symbols load next to all of pylint's own checkers."""
    linter = PyLinter()
    linter.load_default_plugins()
    plugin.register(linter)          # raises on a duplicate message id or symbol
    for msgid, (_, symbol, _) in plugin.MESSAGES.items():
        assert linter.msgs_store.get_message_definitions(msgid)[0].symbol == symbol


def test_correct_code_and_stubs_get_no_finding():
    """The solutions, the stubs and every correct alternative: not one message."""
    paths = sorted([*ROOT.glob("solutions/*.py"), *ROOT.glob("exercises/*.py"),
                    *ROOT.glob("tests/alternatives/*/*.py")])
    found = {str(path.relative_to(ROOT)): [plugin.format_finding(f) for f in plugin.check_source(
        path.read_text(encoding="utf-8"), path.stem)] for path in paths}
    assert len(found) >= 12 and not any(found.values()), found


BAD_FILE = '''\
import threading
def countdown(n):
    return n * 2
def start():
    thread = threading.Thread(target=countdown(3))
    thread.start()
    return thread
'''


def test_check_source_findings():
    """check_source: findings sorted by line, with id, symbol and learner text."""
    findings = plugin.check_source(BAD_FILE + "\nasync def f():\n    import time\n"
                                   "    time.sleep(1)\n")
    assert [(f.line, f.symbol, f.msgid) for f in findings] == [
        (5, "thread-target-called", "E9301"), (11, "blocking-call-in-coroutine", "W9306")]
    text = plugin.format_finding(findings[0])
    assert text.startswith("line 5: Thread(target=countdown(...)) calls countdown right away")
    assert 'see the lecture, "Functions as Threads".' in text
    with pytest.raises(AttributeError):
        findings[0].line = 1     # frozen


def test_check_source_leaves_no_module_behind():
    """A student module never stays in astroid's cache nor shadows a real module."""
    plugin.check_source("x = 1\n")   # astroid's own first modules (builtins), in any worker
    before = set(astroid.MANAGER.astroid_cache)
    plugin.check_source(BAD_FILE, name="student_countdown_module")
    plugin.check_source(BAD_FILE, name="threading")     # must not shadow the real one
    assert set(astroid.MANAGER.astroid_cache) - before <= {"threading"}
    found = plugin.check_source("import threading\nthreading.Thread(target=print).run()\n")
    assert [f.symbol for f in found] == ["thread-run-called"]


GARBAGE = {
    "empty": "",
    "whitespace": "\n\n   \n",
    "syntax-error": "def f(:\n    pass\n",
    "python2": 'print "hello"\n',
    "nul-byte": "x = 1\x00\n",
    "binary": bytes(range(256)).decode("latin-1"),
    "lone-surrogate": 'x = "\udc80"\n',
    "bad-indent": "if 1:\n\tpass\n        pass\n",
    "deep-parens": "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n",
    "deep-lists": "x = " + "[" * 95 + "]" * 95 + "\n",
    "long-sum": "x = " + "+".join(["1"] * 100000) + "\n",
    "deep-ifs": "".join("    " * i + "if x:\n" for i in range(99)) + "    " * 99 + "pass\n",
    "deep-defs": "".join("    " * i + f"def f{i}():\n" for i in range(60)) + "    " * 60 + "pass\n",
    "match": "match x:\n    case [a, *b] if a:\n        pass\n    case {'k': v}:\n        pass\n",
    "odd-names": ("import threading as t\nclass A(A): pass\nclass T(t.Thread, T): pass\n"
                  "T().run()\nx = [x]\nfor x in x: x.run()\nt = t\nt.run()\n"),
    "odd-async": ("async def g():\n    yield 1\nasync def h():\n    g()\n    await g\n"
                  "    lambda: (yield)\n    [await x async for x in g()]\n"),
    "star-imports": ("from threading import *\nfrom multiprocessing import *\n"
                     "Pool().map(print, [])\n"),
    "self-outside-class": "def f():\n    self.x.run()\n    self.run()\n    super().run()\n",
}


@pytest.mark.parametrize("source", list(GARBAGE.values()), ids=list(GARBAGE))
def test_check_source_never_raises(source):
    """Garbage in, a list out: never an exception."""
    findings = plugin.check_source(source, "garbage")
    assert isinstance(findings, list)
    assert all(isinstance(f, plugin.Finding) for f in findings)


def test_a_failing_rule_skips_only_itself(monkeypatch):
    """A rule that crashes on odd code costs only its own messages."""
    def broken(_):
        raise RecursionError("odd code")
    # analyse() reads the rules from the module that runs them, the package's checker.
    monkeypatch.setattr(checker, "RULES", (broken, *plugin.RULES))
    assert [f.symbol for f in plugin.check_source(BAD_FILE)] == ["thread-target-called"]


def _pylint(path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "pylint", "--load-plugins=grader.pylint_concurrency",
         "--disable=all", "--enable=" + ",".join(plugin.SYMBOLS), "--score=n", str(path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_pylint_command_line_loads_the_plugin(tmp_path):
    """`pylint --load-plugins=grader.pylint_concurrency` reports, and fails only bad code."""
    bad = tmp_path / "bad_start.py"
    bad.write_text(BAD_FILE + "\n\ndef spin(ev):\n    while not ev.is_set():\n        pass\n",
                   encoding="utf-8")
    result = _pylint(bad)
    assert "thread-target-called" in result.stdout, result.stdout + result.stderr
    assert "busy-wait" in result.stdout
    assert 'see the lecture, "Coordinating Threads"' in result.stdout
    assert result.returncode != 0

    good = tmp_path / "good_start.py"
    good.write_text((ROOT / "solutions" / "countdown.py").read_text(encoding="utf-8"),
                    encoding="utf-8")
    result = _pylint(good)
    assert result.returncode == 0, result.stdout + result.stderr
