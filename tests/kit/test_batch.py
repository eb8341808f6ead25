"""Batch grading of a class: gradebook, exports, resume after kill -9, shards and merge."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from grader import catalog, manifest

ROOT = manifest.ROOT
TOPICS = "countdown,asyncio_chain"


def make_class(folder: Path, extra: int = 0) -> list[str]:
    """A class of five (plus ``extra`` copies of the reference) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    alice = folder / "alice" / "exercises"
    alice.mkdir(parents=True)
    for name in ("countdown.py", "asyncio_chain.py"):
        shutil.copy(ROOT / "solutions" / name, alice / name)
    with zipfile.ZipFile(folder / "bob.zip", "w") as zipped:
        for name in ("countdown.py", "asyncio_chain.py"):
            zipped.write(ROOT / "exercises" / name, f"repo/exercises/{name}")
    carol = folder / "carol"
    carol.mkdir()
    (carol / "countdown.py").write_text(catalog.case("wrong", "countdown", "ignores_stop").text,
                                        encoding="utf-8")
    (folder / "dave").mkdir()
    (folder / "eve.zip").write_bytes(b"this is not a zip file")
    names = ["alice", "bob", "carol", "dave", "eve"]
    for number in range(extra):
        copy = folder / f"copy{number:02d}"
        shutil.copytree(folder / "alice", copy)
        for module in (copy / "exercises").glob("*.py"):     # distinct content each
            module.write_text(module.read_text(encoding="utf-8") + f"# {copy.name}\n",
                              encoding="utf-8")
        names.append(copy.name)
    return names


def batch(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run `python -m grader batch` on the test topics, as an instructor would."""
    return subprocess.run([sys.executable, "-m", "grader", "batch", *args, "--topics", TOPICS],
                          cwd=ROOT, capture_output=True, text=True, timeout=600, check=check)


def table(out: Path, query: str) -> list[tuple]:
    """The rows ``query`` finds in the gradebook of ``out``."""
    with sqlite3.connect(out / "gradebook.sqlite") as db:
        return db.execute(query).fetchall()


def graded_so_far(out: Path) -> int:
    """How many students the gradebook of ``out`` holds yet, 0 before it has a table."""
    try:
        return table(out, "SELECT COUNT(*) FROM submissions")[0][0]
    except sqlite3.OperationalError:       # not created yet
        return 0


@pytest.mark.timeout(600)
def test_a_class_is_graded_exported_and_not_regraded(tmp_path):
    names = make_class(tmp_path / "class")
    out = tmp_path / "out"
    done = batch(str(tmp_path / "class"), "--out", str(out))
    assert "graded 5" in done.stderr, done.stderr
    scores = dict(table(out, "SELECT student, score FROM submissions"))
    assert scores == {"alice": 20, "bob": 0, "carol": pytest.approx(scores["carol"]),
                      "dave": 0, "eve": 0}
    assert 0 < scores["carol"] < 20
    assert table(out, "PRAGMA journal_mode") == [("wal",)]
    messages = dict(table(out, "SELECT student, message FROM topics WHERE topic='countdown'"))
    assert "no topic file found" in messages["dave"] and "nor a readable .zip" in messages["eve"]

    with open(out / "grades.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["student"] for r in rows] == sorted(names)
    assert set(rows[0]) == {"student", "total", "max", "countdown", "asyncio_chain", "flags"}
    for name in names:
        result = json.loads((out / name / "results.json").read_text(encoding="utf-8"))
        assert {"score", "execution_time", "tests"} <= set(result)
        assert all(t["visibility"] in {"visible", "after_published"} for t in result["tests"])
        assert (out / name / "feedback.md").read_text(encoding="utf-8").startswith("# Feedback")
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 3

    again = batch(str(tmp_path / "class"), "--out", str(out))
    assert "graded 0, unchanged 5" in again.stderr, again.stderr
    shutil.copy(ROOT / "solutions" / "countdown.py", tmp_path / "class" / "carol" / "countdown.py")
    third = batch(str(tmp_path / "class"), "--out", str(out))
    assert "graded 1, unchanged 4" in third.stderr, third.stderr
    assert dict(table(out, "SELECT student, score FROM submissions"))["carol"] == 10


@pytest.mark.timeout(600)
def test_a_killed_batch_resumes_without_loss_or_duplicates(tmp_path):
    make_class(tmp_path / "class", extra=4)
    out = tmp_path / "out"
    # Not a with block: the batch is killed mid-run on purpose below, then reaped.
    process = subprocess.Popen(  # pylint: disable=consider-using-with
        [sys.executable, "-m", "grader", "batch", str(tmp_path / "class"),
         "--out", str(out), "--jobs", "1", "--topics", TOPICS],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if (out / "gradebook.sqlite").exists() and graded_so_far(out) >= 2:
            break
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    before = dict(table(out, "SELECT student, graded_at FROM submissions"))
    assert 2 <= len(before) < 9
    done = batch(str(tmp_path / "class"), "--out", str(out))
    after = dict(table(out, "SELECT student, graded_at FROM submissions"))
    assert len(after) == 9
    assert all(after[s] == t for s, t in before.items()), "finished work was regraded"
    assert f"unchanged {len(before)}" in done.stderr
    assert table(out, "SELECT COUNT(*) FROM tests") == table(
        out, "SELECT COUNT(*) FROM (SELECT DISTINCT student, topic, name FROM tests)")


@pytest.mark.timeout(600)
def test_shards_split_the_class_and_merge_back(tmp_path):
    names = make_class(tmp_path / "class", extra=3)
    outs = [tmp_path / f"shard{i}" for i in (1, 2)]
    for index, out in enumerate(outs, start=1):
        batch(str(tmp_path / "class"), "--out", str(out), "--shard", f"{index}/2")
    parts = [{s for (s,) in table(out, "SELECT student FROM submissions")} for out in outs]
    assert parts[0] and parts[1] and not parts[0] & parts[1]
    assert parts[0] | parts[1] == set(names)
    merged = tmp_path / "merged"
    subprocess.run([sys.executable, "-m", "grader", "merge", *map(str, outs), "--out",
                    str(merged)], cwd=ROOT, check=True, capture_output=True, timeout=120)
    assert {s for (s,) in table(merged, "SELECT student FROM submissions")} == set(names)
    assert (merged / "grades.csv").read_text(encoding="utf-8").count("\n") == len(names) + 1
    assert (merged / "report.html").exists()


def test_bad_arguments_are_named(tmp_path):
    done = batch(str(tmp_path / "nowhere"), "--out", str(tmp_path / "o"), check=False)
    assert done.returncode == 2 and "no such folder" in done.stderr
    (tmp_path / "c").mkdir()
    done = batch(str(tmp_path / "c"), "--out", str(tmp_path / "o"), "--shard", "3/2", check=False)
    assert done.returncode != 0 and "--shard" in done.stderr


@pytest.mark.timeout(900)
def test_parallel_grading_gives_the_same_verdicts_as_serial(tmp_path):
    """The default schedule (as many runs as the free CPU allows) decides every test as --jobs 1."""
    heavy = "countdown,mutex_counter,event_coordination,pool_async"
    folder = tmp_path / "class"
    folder.mkdir()
    picks = ["solutions", "mutex_counter/lock_only_read", "event_coordination/workers_busy_wait",
             "countdown/sleep_then_check_stop", "pool_async/collect_timeout_per_result",
             "exercises"]
    for number, pick in enumerate(picks):
        student = folder / f"s{number}"
        shutil.copytree(ROOT / ("exercises" if pick == "exercises" else "solutions"), student,
                        ignore=shutil.ignore_patterns("__pycache__"))
        if "/" in pick:                          # a known wrong module for one topic
            topic, name = pick.split("/")
            (student / f"{topic}.py").write_text(catalog.case("wrong", topic, name).text,
                                                 encoding="utf-8")
        for module in student.glob("*.py"):      # distinct files: no cache hits
            module.write_text(module.read_text(encoding="utf-8") + f"# {student.name}\n",
                              encoding="utf-8")
    verdicts = []
    for jobs in ("1", "0"):
        out = tmp_path / f"out{jobs}"
        subprocess.run([sys.executable, "-m", "grader", "batch", str(folder), "--out", str(out),
                        "--jobs", jobs, "--topics", heavy], cwd=ROOT, check=True,
                       capture_output=True, timeout=900)
        verdicts.append(table(out, "SELECT student, topic, name, status FROM tests "
                                   "ORDER BY student, topic, name"))
    assert verdicts[0] == verdicts[1]
    assert len(verdicts[0]) > 100
