"""`make gradescope`: build dist/gradescope-autograder.zip per Gradescope's specification.

Gradescope unpacks the zip into /autograder/source, runs ``setup.sh`` once
when building the image, then ``run_autograder`` for each submission: it
grades /autograder/submission and writes /autograder/results/results.json.
The zip holds the grader, the tests (hidden ones included) and the manifest;
never the reference solutions. ``AUTOGRADER_ROOT`` moves /autograder (tests
use a fake tree) and ``KIT_PYTHON`` picks the interpreter.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

from grader import manifest

SETUP = """\
#!/usr/bin/env bash
# Gradescope image set-up: Python 3.11+, bubblewrap, the test dependencies.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y bubblewrap software-properties-common
if ! command -v python3.11 >/dev/null; then
  add-apt-repository -y ppa:deadsnakes/ppa
  apt-get update
  apt-get install -y python3.11 python3.11-venv
fi
python3.11 -m venv /autograder/source/.venv
/autograder/source/.venv/bin/pip install pytest pytest-timeout pylint
"""
RUN = """\
#!/usr/bin/env bash
# Grade /autograder/submission into /autograder/results/results.json.
set -uo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
HERE="$(cd "$(dirname "$0")" && pwd)"
PY="${KIT_PYTHON:-$HERE/.venv/bin/python}"
mkdir -p "$ROOT/results"
cd "$HERE"
"$PY" -m grader grade "$ROOT/submission" --format gradescope \\
    --output "$ROOT/results/results.json"
"""
INCLUDE = ("grader/*.py", "tests/*.py", "tests/hidden/*.py", "topics.toml", "pyproject.toml")
NEVER = ("solutions", "wrong", "alternatives", "kit")


def build(dest: Path, root: Path = manifest.ROOT) -> Path:
    """Write the autograder zip to ``dest`` and return it."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("setup.sh", SETUP), ("run_autograder", RUN)):
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o100755 << 16
            archive.writestr(info, text)
        for pattern in INCLUDE:
            for path in sorted(root.glob(pattern)):
                rel = path.relative_to(root)
                if not set(rel.parts) & set(NEVER):
                    archive.write(path, rel.as_posix())
    return dest


def main(argv: list[str]) -> int:
    """Build the autograder zip at ``argv[0]``, by default dist/gradescope-autograder.zip."""
    dest = Path(argv[0]) if argv else manifest.ROOT / "dist" / "gradescope-autograder.zip"
    print(f"wrote {build(dest.resolve())}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
