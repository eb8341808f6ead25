"""Helpers shared by the kit's grader tests."""

from __future__ import annotations

import os
from pathlib import Path

from grader import manifest

ROOT = manifest.ROOT
SOLUTION = (ROOT / "solutions" / "countdown.py").read_text(encoding="utf-8")
SLEEP_TAG = "987654"        # a stray `sleep 987654` would be a leaked process


def stray_sleepers() -> list[int]:
    """PIDs of leaked ``sleep SLEEP_TAG`` processes, the mark of code that escaped a kill."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            if SLEEP_TAG.encode() in cmdline and b"pytest" not in cmdline:
                found.append(int(entry))
    return found
