"""``ast.parse`` behind one lock, for every part of the grader that reads source.

CPython 3.11 keeps the AST constructor's recursion depth in shared state: two
threads parsing at once can fail with "SystemError: AST constructor recursion
depth mismatch" (python/cpython#106905). The grader parses in threads (each
topic lays out its run folder in a thread of its own, batch grades several
submissions at once), so it parses here, one file at a time.
"""

from __future__ import annotations

import ast
import threading

_ONE_AT_A_TIME = threading.Lock()


def parse(source: str, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse(source, filename)``, never two at once in this process."""
    with _ONE_AT_A_TIME:
        return ast.parse(source, filename=filename)
