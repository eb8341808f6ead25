"""Stage one of the grader: only topic files are read, so only topic files count.

A student's repository holds a .git, a virtualenv, data: none of it is read,
so none of it costs a point. Each topic file has its own size cap and costs
only its topic; the folder walk and a zip's directory are bounded, and a
bound that is hit is a flag, not a zero.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from kitsupport import SOLUTION

from grader import discover, manifest, pipeline

ROOT = manifest.ROOT
TOPICS = manifest.load()
TWO = manifest.by_name("countdown,asyncio_chain")
ASYNC_SOLUTION = (ROOT / "solutions" / "asyncio_chain.py").read_text(encoding="utf-8")
STUB = (ROOT / "exercises" / "countdown.py").read_text(encoding="utf-8")
WORK = "my-repo/coursework/concurrency/week3/src"      # five folders down


def repository(root: Path) -> Path:
    """A student's repository: the six reference modules deep inside, beside what is never read.

    A 25 MB data file, a .git with objects, a .venv whose site-packages holds
    a wrong countdown.py shallower than the student's, a node_modules and a
    __pycache__ with another.
    """
    work = root / WORK
    work.mkdir(parents=True)
    for topic in TOPICS:
        (work / topic.module_file).write_bytes((ROOT / "solutions" / topic.module_file)
                                               .read_bytes())
    data = root / "my-repo" / "data"
    data.mkdir()
    with (data / "measurements.bin").open("wb") as handle:
        for _ in range(25):
            handle.write(os.urandom(1 << 20))
    git = root / "my-repo" / ".git"
    for number in range(40):
        obj = git / "objects" / f"{number:02x}" / ("0" * 38)
        obj.parent.mkdir(parents=True)
        obj.write_bytes(os.urandom(2000))
    (git / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    for decoy in (".venv/lib/python3.11/site-packages/countdown.py",
                  "my-repo/node_modules/countdown.py",
                  "my-repo/__pycache__/countdown.py"):
        (root / decoy).parent.mkdir(parents=True, exist_ok=True)
        (root / decoy).write_text(STUB, encoding="utf-8")
    (root / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
    return root


def zipped(folder: Path, archive: Path) -> Path:
    """``folder`` as a zip, as a student would upload it (the data file stored)."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                kind = zipfile.ZIP_STORED if path.suffix == ".bin" else zipfile.ZIP_DEFLATED
                out.write(path, path.relative_to(folder).as_posix(), compress_type=kind)
    return archive


# A whole grade of every topic: a minute or more while other workers grade too.
@pytest.mark.timeout(300)
@pytest.mark.parametrize("form", ["folder", "zip"])
def test_correct_modules_beside_data_git_and_venv_keep_full_marks(tmp_path, form):
    path = repository(tmp_path / "student")
    if form == "zip":
        path = zipped(path, tmp_path / "student.zip")
        assert path.stat().st_size > 25_000_000
    found = discover.find(path, TOPICS)
    assert not found.error and not found.problems and not found.flags, found
    assert set(found.where.values()) == {f"{WORK}/{t.module_file}" for t in TOPICS}
    result = pipeline.grade_submission(path, TOPICS, submission=found)
    assert [t.topic for t in result.topics if not t.complete] == [], result.topics
    full = sum(t.points for t in TOPICS)
    assert (result.score, sum(t.max_score for t in result.topics)) == (full, full)


def test_a_topic_file_in_an_ordinary_subfolder_is_found_and_decoys_are_not(tmp_path):
    for decoy in (".venv/countdown.py", "venv/countdown.py", ".git/countdown.py",
                  "lib/python3.12/site-packages/countdown.py", "build/node_modules/countdown.py"):
        (tmp_path / decoy).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / decoy).write_text(STUB, encoding="utf-8")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "countdown.py").write_text(SOLUTION, encoding="utf-8")
    (tmp_path / ".hidden-but-mine").mkdir()
    (tmp_path / ".hidden-but-mine" / "asyncio_chain.py").write_text(ASYNC_SOLUTION,
                                                                    encoding="utf-8")
    found = discover.find(tmp_path, TWO)
    assert found.where == {"countdown": "src/countdown.py",
                           "asyncio_chain": ".hidden-but-mine/asyncio_chain.py"}
    assert found.files["countdown"] == SOLUTION.encode() and not found.flags


@pytest.mark.parametrize("form", ["folder", "zip"])
def test_an_oversized_topic_file_costs_only_its_topic(tmp_path, form):
    folder = tmp_path / "student"
    (folder / "src").mkdir(parents=True)
    (folder / "src" / "countdown.py").write_text(
        SOLUTION + "#" * (discover.MAX_FILE + 10) + "\n", encoding="utf-8")
    (folder / "asyncio_chain.py").write_text(ASYNC_SOLUTION, encoding="utf-8")
    path = folder if form == "folder" else zipped(folder, tmp_path / "student.zip")
    found = discover.find(path, TWO)
    assert not found.error
    assert found.files == {"asyncio_chain": ASYNC_SOLUTION.encode()}
    message = found.problems["countdown"]
    assert "src/countdown.py" in message and "over the 1 MiB limit" in message


def test_a_bounded_walk_keeps_what_it_found_and_says_where_it_stopped(tmp_path, monkeypatch):
    (tmp_path / "countdown.py").write_text(SOLUTION, encoding="utf-8")
    for number in range(30):
        (tmp_path / "a-data" / f"part{number:02}").mkdir(parents=True)
        (tmp_path / "a-data" / f"part{number:02}" / "x.csv").write_text("1\n", encoding="utf-8")
    (tmp_path / "z" / "deep").mkdir(parents=True)
    (tmp_path / "z" / "deep" / "asyncio_chain.py").write_text(ASYNC_SOLUTION, encoding="utf-8")
    assert discover.find(tmp_path, TWO).where.keys() == {"countdown", "asyncio_chain"}

    monkeypatch.setattr(discover, "MAX_ENTRIES", 20)
    found = discover.find(tmp_path, TWO)
    assert not found.error and found.files == {"countdown": SOLUTION.encode()}
    assert found.flags == [f"{discover.STOPPED} at its 20 entries limit, in a-data: what is "
                           "there, beside it or deeper was not looked at"]
    result = pipeline.grade_submission(tmp_path, TWO, submission=found)
    scores = {t.topic: (t.status, t.score) for t in result.topics}
    assert scores == {"countdown": ("graded", 10), "asyncio_chain": ("missing", 0)}
    assert found.flags[0] in result.flags


def test_a_walk_out_of_time_says_so_instead_of_a_bare_zero(tmp_path, monkeypatch):
    (tmp_path / "countdown.py").write_text(SOLUTION, encoding="utf-8")
    monkeypatch.setattr(discover, "MAX_SECONDS", -1.0)
    found = discover.find(tmp_path, TWO)
    assert found.flags and found.flags[0].startswith(f"{discover.STOPPED} at its -1 seconds "
                                                     "limit, in the top folder")
    assert found.error.endswith("until the search stopped at its limit)")


def lying_zip(archive: Path, claimed: int, content: bytes) -> Path:
    """A zip whose countdown.py says it is ``claimed`` bytes but inflates to ``content``."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("repo/countdown.py", content)
        out.writestr("repo/asyncio_chain.py", ASYNC_SOLUTION)
    data = bytearray(archive.read_bytes())
    name = b"repo/countdown.py"
    # (header signature, where its name starts, where its uncompressed size is)
    for signature, name_at, size_at in ((b"PK\x03\x04", 30, 22), (b"PK\x01\x02", 46, 24)):
        at = data.index(signature)
        while data[at + name_at:at + name_at + len(name)] != name:
            at = data.index(signature, at + 1)
        data[at + size_at:at + size_at + 4] = claimed.to_bytes(4, "little")
    archive.write_bytes(bytes(data))
    return archive


@pytest.mark.parametrize("claimed", [100, discover.MAX_FILE])
def test_a_zip_entry_that_lies_about_its_size_is_capped(tmp_path, monkeypatch, claimed):
    content = (SOLUTION + "#" * (3 * discover.MAX_FILE) + "\n").encode()
    archive = lying_zip(tmp_path / "student.zip", claimed, content)
    with zipfile.ZipFile(archive) as check:
        assert check.getinfo("repo/countdown.py").file_size == claimed
    asked = []
    real_read = zipfile.ZipExtFile.read

    def spy(handle, size=-1):
        asked.append((handle.name, size))
        return real_read(handle, size)

    monkeypatch.setattr(zipfile.ZipExtFile, "read", spy)
    found = discover.find(archive, TWO)
    assert not found.error
    assert found.files == {"asyncio_chain": ASYNC_SOLUTION.encode()}
    assert "repo/countdown.py" in found.problems["countdown"]
    assert "not graded" in found.problems["countdown"]
    assert sorted(asked) == [("repo/asyncio_chain.py", discover.MAX_FILE + 1),
                             ("repo/countdown.py", discover.MAX_FILE + 1)]


def test_a_zip_bomb_in_an_entry_never_read_costs_nothing(tmp_path, monkeypatch):
    archive = tmp_path / "student.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("repo/countdown.py", SOLUTION)
        with out.open("repo/data/zeros.bin", "w") as bomb:
            for _ in range(64):
                bomb.write(bytes(1 << 20))
        out.writestr("repo/.venv/lib/python3.11/site-packages/asyncio_chain.py", "x = (\n")
    assert archive.stat().st_size < 1 << 20
    opened = []
    real_open = zipfile.ZipFile.open

    def spy(archive_self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real_open(archive_self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    found = discover.find(archive, TWO)
    assert opened == ["repo/countdown.py"]
    assert found.files == {"countdown": SOLUTION.encode()} and not found.problems
    assert not found.error and not found.flags


def test_a_zip_with_too_many_entries_is_refused_before_it_is_loaded(tmp_path, monkeypatch):
    archive = tmp_path / "student.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("countdown.py", SOLUTION)
        for number in range(30):
            out.writestr(f"data/{number}.csv", "1\n")
    monkeypatch.setattr(discover, "MAX_ZIP_ENTRIES", 31)
    assert not discover.find(archive, TWO).error
    monkeypatch.setattr(discover, "MAX_ZIP_ENTRIES", 30)
    loaded = []
    monkeypatch.setattr(zipfile.ZipFile, "__init__", lambda *args, **kwargs: loaded.append(1))
    found = discover.find(archive, TWO)
    assert found.error.startswith("the zip lists over 30 entries: not graded") and not loaded


def test_unsafe_zip_entries_are_refused_and_their_flags_bounded(tmp_path):
    archive = tmp_path / "student.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("countdown.py", SOLUTION)
        for number in range(discover.MAX_UNSAFE_FLAGS + 5):
            out.writestr(f"../../escape{number:02}.txt", "x")
        out.writestr("C:/windows/asyncio_chain.py", ASYNC_SOLUTION)
    found = discover.find(archive, TWO)
    assert found.files == {"countdown": SOLUTION.encode()}
    assert len(found.flags) == discover.MAX_UNSAFE_FLAGS + 1
    assert found.flags[0] == "unsafe zip entry refused: ../../escape00.txt"
    assert found.flags[-1] == "and 6 more unsafe zip entries refused"
