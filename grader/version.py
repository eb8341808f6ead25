"""What "the same grader" means for the gradebook: the version and the kit's content.

A result is reused only when the grader version and a digest of everything
that decides a verdict (the grader's code, the tests, the manifest) are the
same as when it was recorded: editing a test regrades everyone.
"""

from __future__ import annotations

import functools
import hashlib

from grader import __version__, layout


@functools.lru_cache(maxsize=1)
def grader_version() -> str:
    """The version plus a digest of the grader, the tests and the manifest."""
    sha = hashlib.sha256()
    root = layout.ROOT
    for path in layout.kit_files(root):
        sha.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return f"{__version__}+{sha.hexdigest()[:12]}"
