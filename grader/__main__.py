"""Command line: python -m grader <command> [options]."""

from __future__ import annotations

import sys

COMMANDS = {
    "check": "grader.check",
    "hint": "grader.hints",
    "stubs": "grader.stubs",
    "verify": "grader.verify",
    "release": "grader.release",
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print("usage: python -m grader {" + ",".join(COMMANDS) + "} [options]", file=sys.stderr)
        return 2
    import importlib  # pylint: disable=import-outside-toplevel
    return int(importlib.import_module(COMMANDS[argv[0]]).main(argv[1:]) or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
