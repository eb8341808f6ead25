"""report.html: the concept ranking, the students table, grouped failures, the review list.

The first tests read the page's HTML made from hand-made results; the last
ones grade a class with planted mistakes and look at the page the way an
instructor does, in headless Chromium (skipped, saying why, without one).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from kitsupport import write_module

from grader import concepts, manifest, report
from grader.results import SubmissionResult, TestOutcome, TopicOutcome

ROOT = manifest.ROOT
TOPIC = manifest.by_name("countdown")[0]
BROWSER = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                if shutil.which(n)), None)
ARTEFACTS = ROOT / "build" / "test-artefacts"
EXPECTED_FIRST = "one_lock_across_read_write"    # what lock_only_read gets wrong


def _tests_of(concept: str) -> list[str]:
    return [name for name, key in concepts.of_topic(TOPIC).items() if key == concept]


def student(name: str, failing: dict[str, str], flags=(), notes=()) -> SubmissionResult:
    """A countdown result: every test passes but those in ``failing`` (name -> message)."""
    tests = [TestOutcome(n, "failed" if n in failing else "passed", message=failing.get(n, ""))
             for n in concepts.of_topic(TOPIC)]
    score = round(10 * sum(t.status == "passed" for t in tests) / len(tests), 2)
    outcome = TopicOutcome("countdown", TOPIC.title, score, 10.0, "graded", "", tests,
                           number=1)
    return SubmissionResult(name, [outcome], list(flags), notes=list(notes))


def test_the_ranking_counts_students_who_tried_and_groups_mistakes_not_numbers():
    first, second = [key for key, _ in TOPIC.concepts][:2]
    one, two = _tests_of(first)[0], _tests_of(second)[0]
    results = [student(f"s{i}", {one: f"gave {600 + i}, not 1800"}) for i in range(3)]
    results += [student("s3", {two: "too slow"}), student("s4", {})]
    stub = student("stub", dict.fromkeys(concepts.of_topic(TOPIC), "still a stub"))
    ranking = report.concept_ranking([*results, stub], [TOPIC])
    assert (ranking[0].key, ranking[0].missed, ranking[0].tried) == (
        first, ["s0", "s1", "s2"], 5)          # the stub tried nothing: not counted
    assert (ranking[1].key, ranking[1].missed) == (second, ["s3"])
    page = report.render([*results, stub], [TOPIC], link=lambda s: f"dir-{s}")
    # One group for the three messages that differ only by their numbers.
    group = [row for row in page.split("<tr")
             if 'class="failure"' in row and one in row and "gave" in row]
    assert len(group) == 1 and group[0].startswith(' class="failure"><td>3</td>'), group
    assert 'href="dir-s0/feedback.md"' in page and 'href="dir-s0/results.json"' in page
    assert page.count('<tr data-student=') == 6


def test_the_review_list_names_each_flag_and_note_with_its_student():
    common = "confinement: bubblewrap"
    results = [student(f"s{i}", {}, notes=[common, "stalled once"] if i == 1 else [common])
               for i in range(3)]
    results.append(student("mallory", {}, flags=["refused ../x.py: outside the submission"],
                           notes=["the code under test replaced parts of the test machinery"]))
    items, shared = report.review_items(results)
    assert shared == []                            # 3 of 4 have it: each one is listed
    assert [i for i in items if i[2] == common] == [(f"s{i}", "note", common) for i in range(3)]
    assert ("s1", "note", "stalled once") in items
    assert ("mallory", "flag", "refused ../x.py: outside the submission") in items
    results[3].notes.append(common)                # now every student has it: said once
    items, shared = report.review_items(results)
    assert shared == [common] and all(i[2] != common for i in items)
    page = report.render(results, [TOPIC])
    assert page.count('<tr class="review">') == len(items) == 3


def test_five_hundred_students_make_a_small_page():
    first = [key for key, _ in TOPIC.concepts][0]
    one = _tests_of(first)[0]
    results = [student(f"student{i:03}", {one: f"gave {i}, not 1800"} if i % 3 else {})
               for i in range(500)]
    started = time.perf_counter()
    page = report.render(results, [TOPIC], link=str)
    assert time.perf_counter() - started < 5
    assert len(page.encode()) < 1_000_000, len(page.encode())


def chrome(*args: str) -> subprocess.CompletedProcess:
    """Headless Chromium (as root it needs --no-sandbox) with ``args``."""
    return subprocess.run([BROWSER, "--headless", "--no-sandbox", "--disable-gpu",
                           "--disable-dev-shm-usage", "--virtual-time-budget=3000", *args],
                          capture_output=True, text=True, timeout=120, check=False)


def dom(page: Path, fragment: str = "") -> str:
    """The page's DOM after its script ran, as Chromium serialises it."""
    done = chrome("--dump-dom", page.as_uri() + fragment)
    assert done.returncode == 0 and "<html" in done.stdout, done.stderr[-2000:]
    return done.stdout


# Planted: four students hold the lock only around the read, two collect with
# a fresh timeout per result; two are correct, one tampers with pytest.
PLANTED = {"mutex_counter": ("lock_only_read", 4), "pool_async": ("collect_timeout_per_result", 2)}


@pytest.fixture(scope="module", name="graded_class")
def graded_class_fixture(tmp_path_factory):
    """A class of nine graded by `grader batch`: the report and who made which mistake."""
    root = tmp_path_factory.mktemp("report")
    folder, planted = root / "class", {}
    number = 0
    for topic, (case, count) in PLANTED.items():
        for _ in range(count):
            name = f"s{number}"
            number += 1
            planted[name] = topic
            write_module(folder / name, topic, case)
    for name in sorted([*planted, "s6", "s7", "s8"]):
        for topic in PLANTED:
            if not (folder / name / f"{topic}.py").exists():
                write_module(folder / name, topic, "solution")
    # s8 tampers with pytest: the report must send someone to look at it.
    with open(folder / "s8" / "mutex_counter.py", "a", encoding="utf-8") as module:
        module.write("\nimport _pytest.python\n"
                     "_pytest.python.Function.runtest = lambda self: None\n")
    out = root / "out"
    subprocess.run([sys.executable, "-m", "grader", "batch", str(folder), "--out", str(out),
                    "--topics", ",".join(PLANTED)], cwd=ROOT, check=True, capture_output=True,
                   timeout=600)
    return out / "report.html", planted


@pytest.mark.skipif(BROWSER is None, reason="no Chromium here (make test installs Debian's "
                    "chromium where it can: root with apt-get)")
@pytest.mark.timeout(900)
def test_in_chromium_the_planted_misconceptions_rank_first(graded_class):
    page, planted = graded_class
    shown = dom(page)
    rows = re.findall(r'<tr class="concept" data-key="([^"]+)" data-share="([^"]+)">(.*?)</tr>',
                      shown, re.S)
    assert rows, shown[:2000]
    # The first rows are the ideas the planted mistakes break, each missed by
    # exactly the students who made it; the ideas below them were missed by nobody.
    top = [(key, frozenset(re.findall(r"\bs\d\b", body))) for key, share, body in rows
           if float(share) > 0]
    groups = {topic: frozenset(s for s, t in planted.items() if t == topic) for topic in PLANTED}
    assert top and {names for _, names in top} == set(groups.values()), top
    # Most missed first: the four who held the lock only for the read.
    assert top[0][1] == groups["mutex_counter"], top
    assert top[0][0] == EXPECTED_FIRST, top
    assert all(float(share) == 0 for _, share, _ in rows[len(top):])


@pytest.mark.skipif(BROWSER is None, reason="no Chromium here (make test installs Debian's "
                    "chromium where it can: root with apt-get)")
@pytest.mark.timeout(900)
def test_in_chromium_the_students_table_sorts_filters_and_links(graded_class):
    page, planted = graded_class
    students = sorted([*planted, "s6", "s7", "s8"])

    def order(fragment: str) -> list[str]:
        shown = dom(page, fragment)
        return [name for name, style in re.findall(
            r'<tr data-student="([^"]+)"( style="display: none;")?', shown) if not style]

    assert order("") == students
    ascending = order("#sort=total")
    assert set(ascending) == set(students) and set(ascending[-2:]) == {"s6", "s7"}
    assert order("#sort=total&dir=desc")[:2] in (["s6", "s7"], ["s7", "s6"])
    assert order("#sort=student&dir=desc") == students[::-1]
    assert order("#filter=s1") == ["s1"]
    assert order("#sort=to%20review&dir=desc")[0] == "s8"      # the one who tampered
    shown = dom(page)
    assert 'href="s0/feedback.md"' in shown and (page.parent / "s0" / "feedback.md").is_file()
    # The failures, grouped: the four who lost updates share one row per test.
    groups = re.findall(r'<tr class="failure"><td>(\d+)</td><td><code>([^<]+)</code>', shown)
    assert ("4", "test_no_update_is_lost_under_contention") in groups, groups
    review = re.findall(r'<tr class="review"><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td>',
                        shown)
    assert any(who == "s8" and "replaced" in what for who, _, what in review), review
    assert {who for who, _, _ in review} == {"s8"}, review
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    picture = ARTEFACTS / "report.png"
    done = chrome("--window-size=1200,1600", f"--screenshot={picture}", page.as_uri())
    assert done.returncode == 0 and picture.stat().st_size > 10_000, done.stderr[-2000:]
