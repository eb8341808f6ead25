"""The rules in order, and the two ways they run: the pylint checker and ``check_source``.

``analyse`` runs every rule of ``RULES`` over one module and skips a rule that
fails on odd code; ``ConcurrencyChecker`` reports the findings through pylint,
``check_source`` as ``Finding`` records for the grader.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable

import astroid
from astroid import nodes
from pylint.checkers import BaseChecker

from grader.pylint_concurrency.messages import MESSAGES, SYMBOLS
from grader.pylint_concurrency.tree import _line
from grader.pylint_concurrency.context import _Context
from grader.pylint_concurrency.threads import (
    _check_join_before_get,
    _check_run_called,
    _check_start_join,
    _check_thread_targets,
)
from grader.pylint_concurrency.locks import (
    _check_lock_acquire,
    _check_lock_per_use,
    _check_split_update,
)
from grader.pylint_concurrency.waiting import (
    _check_busy_wait,
    _check_condition_wait,
    _check_method_not_called,
)
from grader.pylint_concurrency.pools import (
    _check_main_guard,
    _check_pool_calls,
    _check_pool_cleanup,
    _check_sequential_pool,
)
from grader.pylint_concurrency.coroutines import (
    _check_coroutines,
    _check_loops_closed,
    _check_unawaited,
)


@dataclasses.dataclass(frozen=True)
class Finding:
    """One message about one line of a learner's file."""

    line: int
    symbol: str
    msgid: str
    text: str


def format_finding(finding: Finding) -> str:
    """``line 14: Thread(target=countdown(...)) calls countdown right now ...``."""
    return f"line {finding.line}: {finding.text}"


RULES: tuple[Callable[[_Context], None], ...] = (
    _check_thread_targets, _check_pool_calls, _check_run_called, _check_start_join,
    _check_sequential_pool,
    _check_lock_acquire, _check_lock_per_use, _check_busy_wait, _check_coroutines,
    _check_unawaited, _check_pool_cleanup, _check_main_guard, _check_method_not_called,
    _check_split_update, _check_loops_closed, _check_condition_wait, _check_join_before_get,
)


def analyse(module: nodes.Module) -> list[tuple[nodes.NodeNG, str, dict[str, str]]]:
    """Run every rule on ``module``: (node, symbol, args), sorted by position.

    A rule that fails on strange code is skipped for this module; the others
    still report.
    """
    try:
        ctx = _Context(module)
    except Exception:  # pylint: disable=broad-exception-caught  # never crash on odd code
        return []
    for rule in RULES:
        try:
            rule(ctx)
        except Exception:  # pylint: disable=broad-exception-caught  # skip just this rule
            continue
    return sorted(ctx.found.values(),
                  key=lambda found: (_line(found[0]), found[0].col_offset or 0,
                                     SYMBOLS[found[1]]))


class ConcurrencyChecker(BaseChecker):
    """Concurrency mistakes: threads, locks, events, process pools, asyncio."""

    name = "concurrency"
    msgs = MESSAGES

    def visit_module(self, node: nodes.Module) -> None:
        """All rules work on the whole module at once."""
        for found, symbol, args in analyse(node):
            self.add_message(symbol, node=found, args=args)


def check_source(source: str, name: str = "module") -> list[Finding]:
    """This checker's findings for one file, sorted by line; [] if it does not parse."""
    manager = astroid.MANAGER
    if name in sys.stdlib_module_names or name in manager.astroid_cache:
        name = f"_concurrency_lint_.{name}"      # never shadow a real module for inference
    try:
        module = astroid.parse(source, module_name=name)
    except Exception:  # pylint: disable=broad-exception-caught  # any unparsable input
        return []
    try:
        return [Finding(line=_line(node), symbol=symbol, msgid=SYMBOLS[symbol],
                        text=MESSAGES[SYMBOLS[symbol]][0] % args)
                for node, symbol, args in analyse(module)]
    finally:
        if manager.astroid_cache.get(name) is module:
            del manager.astroid_cache[name]
