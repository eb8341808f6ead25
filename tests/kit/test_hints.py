"""`make hint`: the hint of the test that fails; the topic's own hints one at a time."""

from __future__ import annotations

import re

from kitsupport import write_module

from grader import concepts, hints, manifest


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


def _target(tmp_path, **modules):
    """A folder of topic modules: a name maps to "solution", "stub" or a wrong case's name."""
    folder = tmp_path / "target"
    folder.mkdir()
    for topic, what in modules.items():
        write_module(folder, topic, what)
    return folder


def test_the_hint_is_about_the_test_that_fails(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(hints, "STATE", tmp_path / "seen.json")
    target = _target(tmp_path, countdown="sleep_then_check_stop")
    assert hints.main(["countdown", "--target", str(target)]) == 0
    said = capsys.readouterr().out
    topic = manifest.by_name("countdown")[0]
    failing = re.search(r"the first test that fails is (\S+)\.", said).group(1)
    idea = dict(topic.concepts)[concepts.concept_of(topic, failing)]
    assert idea in said and "stop.wait" in idea, said
    assert "hint 1/" not in said
    assert hints.main(["countdown", "--target", str(target)]) == 0     # still failing
    again = capsys.readouterr().out
    assert failing in again and topic.hints[0] in again and topic.hints[1] not in again


def test_without_a_topic_the_first_failing_topic_is_hinted(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(hints, "STATE", tmp_path / "seen.json")
    target = _target(tmp_path, countdown="solution", joinable_threads="results_in_completion_order")
    monkeypatch.setattr(manifest, "select_or_exit", lambda names: manifest.by_name(
        names or "countdown,joinable_threads"))
    assert hints.main(["--target", str(target)]) == 0
    said = capsys.readouterr().out
    assert said.startswith("joinable_threads ("), said
    assert "results_in_order" == concepts.concept_of(
        manifest.by_name("joinable_threads")[0], re.search(r"fails is (\S+)\.", said).group(1))


def test_without_a_test_to_go_by_the_topic_hints_come_one_by_one(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(hints, "STATE", tmp_path / "seen.json")
    target = tmp_path / "empty"
    target.mkdir()
    assert hints.main(["countdown", "--target", str(target)]) == 0
    said = capsys.readouterr().out
    topic = manifest.by_name("countdown")[0]
    assert "countdown.py was not found" in said and topic.hints[0] in said, said
