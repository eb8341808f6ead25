"""Read a topic module out of a notebook submission, without running anything.

In the kit's nbgrader notebooks (``python -m grader nbgrader build``) the
student's module is one code cell that starts with ``%%writefile <topic>.py``.
Running that cell saves the module beside the notebook, so that the tests
import it by its plain name and its functions pickle under ``spawn``. The
grader takes the module from that cell's text; it never executes a notebook.

The rule: the module is the body of the LAST code cell whose first line is
``%%writefile <topic>.py``. Bodies are not concatenated, and cells with
``-a``/``--append`` are left out (and reported): what ``-a`` leaves on disk
depends on how often and in which order cells were run, which the notebook
does not record, so only a whole-module cell has one meaning. Trailing blank
lines are not part of the module (IPython's history drops them too).

``writefile_cell`` and ``last_module`` are also copied verbatim into each
notebook's autograder test cell, which applies them to the kernel's input
history: nbgrader and ``python -m grader grade`` then test the same text.
They use only the imports ``os``, ``shlex`` and ``textwrap``, no other global.
"""

from __future__ import annotations

import json
import os
import shlex
import textwrap


class NotebookError(ValueError):
    """A notebook that cannot be read or holds no module; the message names the file."""


def writefile_cell(source: str) -> tuple[str, bool, str] | None:
    """``(filename, append, body)`` of a ``%%writefile`` cell; None for any other cell.

    Mirrors IPython's reading of a cell magic: leading blank lines and the
    common indentation are dropped, the first line names the magic and its
    arguments, everything after it is the body.
    """
    if not source.endswith("\n"):
        source += "\n"
    lines = source.splitlines(keepends=True)
    while lines and lines[0].strip() == "":
        lines.pop(0)
    lines = textwrap.dedent("".join(lines)).splitlines(keepends=True)
    if not lines or not lines[0].startswith("%%"):
        return None
    name, _, arguments = lines[0][2:].rstrip().partition(" ")
    if name != "writefile":
        return None
    try:
        words = shlex.split(arguments)
    except ValueError:
        return None
    append = any(word in ("-a", "--append") for word in words)
    names = [word for word in words if not word.startswith("-")]
    if len(names) != 1:
        return None
    filename = os.path.normpath(os.path.expanduser(names[0]))
    return filename, append, "".join(lines[1:]).rstrip("\n") + "\n"


def last_module(sources, filename: str) -> tuple[str | None, int]:
    """The body of the last whole ``%%writefile filename`` cell among ``sources``.

    Returns ``(body or None, number of append cells for filename left out)``.
    """
    body = None
    appended = 0
    for source in sources:
        found = writefile_cell(source)
        if found is None or found[0] != filename:
            continue
        if found[1]:
            appended += 1
        else:
            body = found[2]
    return body, appended


def code_cells(data: bytes, where: str) -> list[str]:
    """The sources of a notebook's code cells, in order; NotebookError when unreadable."""
    try:
        notebook = json.loads(data)
    except UnicodeDecodeError as exc:
        raise NotebookError(f"{where} is not a notebook: it is not UTF-8 text "
                            f"(byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise NotebookError(f"{where} is not a notebook: invalid JSON at line {exc.lineno} "
                            f"column {exc.colno} ({exc.msg}); was it saved completely?"
                            ) from None
    except RecursionError:
        raise NotebookError(f"{where} is not a notebook: JSON nested too deeply") from None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise NotebookError(f"{where} is not an nbformat 4 notebook: it has no list of "
                            "cells")
    sources = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(part, str) for part in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise NotebookError(f"{where} is not a valid notebook: a code cell's source "
                                "is neither text nor a list of lines")
        sources.append(source)
    return sources


def extract_module(data: bytes, module_file: str, where: str) -> tuple[bytes, list[str]]:
    """The module ``module_file`` written by the notebook ``data``, and notes about it.

    Raises NotebookError, naming ``where``, when the notebook cannot be read or
    no ``%%writefile module_file`` cell is in it.
    """
    body, appended = last_module(code_cells(data, where), module_file)
    notes = []
    if appended:
        notes.append(f"{where}: {appended} `%%writefile -a {module_file}` cell(s) left out: "
                     f"only the last whole `%%writefile {module_file}` cell is graded")
    if body is None:
        raise NotebookError(f"{where} has no cell starting with `%%writefile {module_file}`: "
                            "your code must be in that cell (the first line of the cell "
                            "you were given), not graded")
    return body.encode("utf-8"), notes
