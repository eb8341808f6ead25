"""Generate exercises/ from solutions/: each marked answer becomes a stub.

A solution marks its answer with ``### BEGIN SOLUTION`` / ``### END SOLUTION``;
the stub is the same text with each marked region replaced by
``raise NotImplementedError`` at the marker's indentation. Docstrings,
signatures and guidance therefore live in one place.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from grader import manifest

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"


class MarkerError(ValueError):
    """A solution's markers are unbalanced."""


def make_stub(source: str, filename: str = "<solution>") -> str:
    """Return ``source`` with every marked solution region replaced by a stub."""
    out: list[str] = []
    inside = False
    begin_line = 0
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise MarkerError(f"{filename}:{number}: {BEGIN} inside another region")
            inside, begin_line = True, number
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}raise NotImplementedError\n")
        elif stripped == END:
            if not inside:
                raise MarkerError(f"{filename}:{number}: {END} without {BEGIN}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise MarkerError(f"{filename}:{begin_line}: {BEGIN} is never closed")
    return "".join(out)


def expected_stubs(root: Path = manifest.ROOT) -> dict[Path, str]:
    """Map each exercises/ path to the stub text its solution implies."""
    stubs = {}
    for topic in manifest.load(root / "topics.toml"):
        solution = root / "solutions" / topic.module_file
        text = solution.read_text(encoding="utf-8")
        if BEGIN not in text:
            raise MarkerError(f"{solution}: no {BEGIN} marker")
        stubs[root / "exercises" / topic.module_file] = make_stub(text, str(solution))
    return stubs


def main(argv: list[str] | None = None) -> int:
    """Write (default) or ``--check`` the stubs; exit 1 when --check finds drift."""
    parser = argparse.ArgumentParser(prog="python -m grader stubs",
                                     description="Write exercises/ from solutions/' markers.")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when exercises/ is out of date")
    check = parser.parse_args(sys.argv[1:] if argv is None else argv).check
    stale = []
    for path, text in expected_stubs().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if check:
            stale.append(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(manifest.ROOT)}")
    if stale:
        names = ", ".join(str(p.relative_to(manifest.ROOT)) for p in stale)
        print(f"out of date (run `make stubs`): {names}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
