"""Command line: python -m grader <command> [options]."""

from __future__ import annotations

import sys

COMMANDS = {
    "check": "grader.check",
    "hint": "grader.hints",
    "watch": "grader.watch",
    "stubs": "grader.stubs",
    "verify": "grader.verify",
    "release": "grader.release",
    "grade": "grader.grade",
    "batch": "grader.batch",
    "merge": "grader.merge",
    "gradescope": "grader.gradescope_zip",
    "nbgrader": "grader.nbgrader_course",
}


def main(argv: list[str]) -> int:
    """Run one command's module with the rest of the arguments; 2 for an unknown command."""
    if not argv or argv[0] not in COMMANDS:
        print("usage: python -m grader {" + ",".join(COMMANDS) + "} [options]", file=sys.stderr)
        return 2
    import importlib  # pylint: disable=import-outside-toplevel
    try:
        module = importlib.import_module(COMMANDS[argv[0]])
    except ModuleNotFoundError:
        print(f"`{argv[0]}` is not part of this copy of the kit", file=sys.stderr)
        return 2
    return int(module.main(argv[1:]) or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
