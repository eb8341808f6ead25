"""The signed lines of the results channel, shared by the plugin and the runner.

No pytest import here: the grading process reads results without paying
for pytest's start-up.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any


def sign(key: bytes, payload: str) -> str:
    """The HMAC of ``payload`` under ``key``, which a test cannot forge without the key."""
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


def verify_line(key: bytes, line: str) -> dict[str, Any] | None:
    """The record of a signed line, or None when it is not genuine."""
    payload, _, signature = line.rstrip("\n").rpartition("\t")
    if not payload or not hmac.compare_digest(sign(key, payload), signature):
        return None
    try:
        return json.loads(payload)
    except json.JSONDecodeError:
        return None
