"""Hints are revealed one at a time, per topic."""

from __future__ import annotations

from grader import hints, manifest


def test_hints_come_one_more_each_time(tmp_path):
    state = tmp_path / "seen.json"
    topic = manifest.by_name("countdown")[0]
    first = hints.next_hint("countdown", state)
    assert topic.hints[0] in first and topic.hints[1] not in first
    second = hints.next_hint("countdown", state)
    assert topic.hints[1] in second
    for _ in range(5):
        last = hints.next_hint("countdown", state)
    assert all(h in last for h in topic.hints) and "last hint" in last
    other = hints.next_hint("mutex_counter", state)
    assert "hint 1/" in other and "hint 2/" not in other
