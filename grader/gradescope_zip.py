"""`make gradescope`: build dist/gradescope-autograder.zip per Gradescope's specification.

Gradescope (autograder_samples: docs/specs.md, manual_docker/Dockerfile)
unpacks the zip into /autograder/source, runs ``setup.sh`` once when it
builds the image, **copies run_autograder to /autograder/run_autograder**
and, for each submission, runs that copy from the working directory
/autograder. So the scripts name the kit by its place, /autograder/source,
never by their own folder. ``run_autograder`` grades /autograder/submission
into /autograder/results/results.json and always leaves one: the grader
writes it after every topic, and when the grader cannot run or is cut
short the script writes a score of 0 with one line saying why. Students
read the file's ``output`` and tests; the instructor's notes go to the
run's standard output (/autograder/results/stdout) and ``extra_data``.

The zip holds the grader, the tests (hidden ones included), the manifest
and the pins (constraints.txt); never the reference solutions.
``AUTOGRADER_ROOT`` moves /autograder, ``KIT_PYTHON`` picks the interpreter
and ``KIT_TIME_LIMIT`` (seconds, default 540: under Gradescope's default
10 minutes) bounds a grade.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

from grader import layout

VENV = "/autograder/venv"     # outside source/, which student code must not read
SETUP = f"""\
#!/usr/bin/env bash
# Gradescope image set-up: Python 3.11+, bubblewrap and the kit's pinned packages.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
HERE="$(cd "$(dirname "$0")" && pwd)"
apt-get update
apt-get install -y --no-install-recommends bubblewrap util-linux iptables ca-certificates
# The system python3 where it is 3.11 or newer (Ubuntu 24.04); deadsnakes where not (22.04).
if python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  PY=python3
  apt-get install -y --no-install-recommends python3-venv
else
  apt-get install -y --no-install-recommends software-properties-common
  add-apt-repository -y ppa:deadsnakes/ppa
  apt-get update
  apt-get install -y --no-install-recommends python3.11 python3.11-venv
  PY=python3.11
fi
"$PY" -m venv {VENV}
{VENV}/bin/pip install --no-cache-dir -c "$HERE/constraints.txt" pytest pytest-timeout pylint
"""
RUN = f"""\
#!/usr/bin/env bash
# Gradescope runs this as /autograder/run_autograder, from /autograder: grade
# /autograder/submission with the kit in /autograder/source. Whatever happens,
# /autograder/results/results.json is left behind for the student.
set -uo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
KIT="$ROOT/source"
PY="${{KIT_PYTHON:-{VENV}/bin/python}}"
RESULTS="$ROOT/results/results.json"
LIMIT="${{KIT_TIME_LIMIT:-540}}"

json_text() {{   # $1 as the inside of a JSON string: one line, \\ and " escaped
  local s="${{1//\\\\/\\\\\\\\}}"; s="${{s//\\"/\\\\\\"}}"; printf '%s' "${{s//[$'\\t\\r\\n']/ }}"
}}
give_up() {{   # score 0, one line for the student, the reason for the instructor
  local student="The autograder could not grade this submission: $1 Your code was not at fault; please tell your instructor. Score: 0 until it is regraded."
  printf '{{"score": 0, "output": "%s", "tests": [], "extra_data": {{"notes": ["%s"]}}}}\\n' \\
    "$(json_text "$student")" "$(json_text "$2")" > "$RESULTS"
  echo "note: $2"
  exit 0
}}

mkdir -p "$ROOT/results"
rm -f "$RESULTS"
# Student code must neither read the kit (hidden tests) nor touch the results
# (Gradescope's best practices): others get no access to either.
chmod o= "$KIT" "$ROOT/results" 2>/dev/null || true
cd "$KIT" 2>/dev/null || give_up "its files are missing." "no kit at $KIT: was the zip unpacked there?"
[ -x "$PY" ] || give_up "its Python is missing." "no Python at $PY: did setup.sh run?"
missing=$("$PY" -c 'import grader.grade, pytest, pytest_timeout' 2>&1) \\
  || give_up "a part of it is missing." "the kit does not import: ${{missing##*$'\\n'}}"
timeout --kill-after=15 "$LIMIT" "$PY" -m grader grade "$ROOT/submission" \\
  --format gradescope --output "$RESULTS"
status=$?
if [ "$status" -ne 0 ]; then
  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    reason="the grade took over $LIMIT s (KIT_TIME_LIMIT) and was stopped"
  else
    reason="the grader stopped with exit status $status"
  fi
  # Topics graded before it stopped are in results.json; the others say so.
  if "$PY" -c 'import json, sys; json.load(open(sys.argv[1]))' "$RESULTS" 2>/dev/null; then
    echo "note: $reason; results.json holds the topics graded before"
  else
    give_up "it stopped before any topic was graded." "$reason"
  fi
fi
exit 0
"""
def build(dest: Path, root: Path = layout.ROOT) -> Path:
    """Write the autograder zip to ``dest`` and return it."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("setup.sh", SETUP), ("run_autograder", RUN)):
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o100755 << 16
            archive.writestr(info, text)
        # What decides a verdict (the grader whole, the tests, hidden ones too, the
        # manifest: never the solutions or the catalogs), the project and the pins.
        for path in [*layout.kit_files(root), root / "pyproject.toml", root / "constraints.txt"]:
            archive.write(path, path.relative_to(root).as_posix())
    return dest


def main(argv: list[str]) -> int:
    """Build the autograder zip at DEST, by default dist/gradescope-autograder.zip."""
    parser = argparse.ArgumentParser(prog="python -m grader gradescope",
                                     description="Build Gradescope's autograder zip.")
    parser.add_argument("dest", nargs="?",
                        default=str(layout.ROOT / "dist" / "gradescope-autograder.zip"),
                        help="the zip to write (default: dist/gradescope-autograder.zip)")
    dest = Path(parser.parse_args(argv).dest)
    print(f"wrote {build(dest.resolve())}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
