"""A pylint plugin that spots the concurrency mistakes this kit's learners make.

The topic tests already fail a wrong solution, but a failing test says *what*
went wrong ("returned after 2.0 s"), not *why*. Many of the classic mistakes
are visible in the source alone: ``Thread(target=f(x))`` calls ``f`` at once,
``t.run()`` runs the target in the caller, ``while not ev.is_set(): pass``
burns a core, ``time.sleep`` inside ``async def`` stops the event loop, a
lambda sent to a process pool cannot be pickled. This package names such
mistakes in a sentence a learner can act on, and points at the lecture
section that covers them.

It is used in two ways:

* as a pylint plugin, ``pylint --load-plugins=grader.pylint_concurrency``;
* in-process by the grader, ``check_source(text)``, for every file of a batch:
  one astroid parse and this checker's rules only, no other pylint checker.

Both share one set of rules (``RULES``) that walk an astroid tree and report
through a callback. Precision matters more than recall here: a message telling
a learner who is right that they are wrong does more harm than a missed one,
so every rule only fires on a shape it recognises for sure (names resolved
from the module's own imports and assignments, astroid inference only where
it can prove a value, e.g. that ``f(x)`` returns an ``int``). Student code is
untrusted: astroid never runs it, and no rule may crash on odd code; a rule
that does is skipped for that file.

The package is split by concern, as pylint splits its own large checkers:

* ``messages``: the message table (ids, symbols, texts);
* ``tree``, ``names``, ``context``, ``callables``: walking astroid trees, what
  a module's names stand for, one run over one module, what a callable is;
* ``threads``, ``locks``, ``waiting``, ``pools``, ``coroutines``: the rules;
* ``checker``: the rules in order, the pylint checker and ``check_source``.

Names with a leading underscore are private to the package, shared between its
modules. Everything the rest of the kit uses is imported from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from grader.pylint_concurrency.checker import (
    RULES,
    ConcurrencyChecker,
    Finding,
    analyse,
    check_source,
    format_finding,
)
from grader.pylint_concurrency.messages import MESSAGES, SYMBOLS

if TYPE_CHECKING:
    from pylint.lint import PyLinter

__all__ = ["MESSAGES", "RULES", "SYMBOLS", "ConcurrencyChecker", "Finding", "analyse",
           "check_source", "format_finding", "register"]


def register(linter: PyLinter) -> None:
    """Entry point for ``pylint --load-plugins=grader.pylint_concurrency``."""
    linter.register_checker(ConcurrencyChecker(linter))
