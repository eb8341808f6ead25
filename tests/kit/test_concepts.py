"""Every topic test names one concept of its topic; every concept is checked by a test."""

from __future__ import annotations

import pytest

from grader import concepts, layout, manifest

TOPICS = manifest.load()


@pytest.mark.parametrize("topic", TOPICS, ids=[t.name for t in TOPICS])
def test_each_test_names_one_concept_of_its_topic(topic):
    known = dict(topic.concepts)
    assert known, f"topics.toml: {topic.name} has no concepts table"
    problems = []
    for path in (layout.TESTS / topic.test_file, layout.TESTS / "hidden" / topic.test_file):
        for name, keys in concepts.markers(path).items():
            if len(keys) != 1:
                problems.append(f"{path.name}::{name} has {len(keys)} concept markers")
            elif keys[0] not in known:
                problems.append(f"{path.name}::{name}: {keys[0]!r} is not a concept of "
                                f"{topic.name} in topics.toml")
    assert not problems, "\n".join(problems)
    used = set(concepts.of_topic(topic).values())
    assert set(known) <= used, f"concepts no test checks: {sorted(set(known) - used)}"


def test_a_result_name_finds_its_concept():
    topic = manifest.by_name("countdown")[0]
    marked = concepts.of_topic(topic)
    hidden = next(name for name in marked if name.startswith(concepts.HIDDEN))
    assert concepts.concept_of(topic, hidden + "[fork]") == marked[hidden]
    assert concepts.concept_of(topic, "test_that_does_not_exist") is None
