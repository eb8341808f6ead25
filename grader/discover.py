"""Find a submission's topic files: stage one of the grader.

A submission is a folder or a ``.zip`` (LMS downloads, zipped repositories).
Each topic file is found by name anywhere inside; the shallowest wins. Only
the topic files are read - nothing else of the submission ever reaches the
tests, so nothing else can cost a point: a repository's ``.git``, its
virtualenv or a data file of any size is passed over, not refused.

Limits, each costing only what it limits:

* a topic file over ``MAX_FILE`` (1 MiB) costs its topic, with a message
  naming the file and the limit; reads are capped at ``MAX_FILE + 1`` bytes
  whatever a file's size or a zip entry's header says;
* folders that never hold the student's work are not searched, at any
  depth: version control (``.git``), virtualenvs (``.venv``, ``venv``),
  installed packages (``site-packages``, ``node_modules``) and caches
  (``__pycache__``, ``.pytest_cache``...) - a ``countdown.py`` in a
  virtualenv's site-packages is somebody else's. A virtualenv of another
  name is not skipped whole (a student may have made one in their project
  folder), but its site-packages is;
* the folder walk goes breadth first and stops after ``MAX_ENTRIES`` entries
  or ``MAX_SECONDS``; what was found is kept (every level above the one it
  stopped in was searched whole) and a flag says where it stopped;
* a zip is read from its directory: only topic entries are opened, so a zip
  bomb in any other entry costs nothing; a zip listing over
  ``MAX_ZIP_ENTRIES`` entries (or a directory over ``MAX_ZIP_DIRECTORY``
  bytes) is refused before zipfile loads its directory - loading it is the
  one cost a zip's size drives; unsafe entries are flagged, the first
  ``MAX_UNSAFE_FLAGS`` by name.

Symlinks are never followed; unsafe zip entries (absolute paths, ``..``,
drive letters, symlinks) are refused with a flag; a file that is not UTF-8
or does not compile costs its own topic, with the reason.

Notebook submissions (nbgrader's ``<topic>.ipynb``) are read too: the
module is the text of the notebook's ``%%writefile <topic>.py`` cell (see
``grader.notebooks``; nothing is run). The shallowest of ``<topic>.py`` and
``<topic>.ipynb`` wins; at the same depth the notebook does, because a
``.py`` beside it is only what running it last wrote, and nbgrader grades
the notebook. A notebook obeys the same size limits, and one that cannot be
read costs only its topic, with a message naming the file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import stat
import struct
import time
import zipfile
from collections import deque
from pathlib import Path, PurePosixPath

from grader import notebooks
from grader.manifest import Topic

MAX_FILE = 1 << 20            # 1 MiB per topic file
# The folder walk: a warm walk of 200,000 entries takes 0.1 s; a real
# repository, with its .git and virtualenvs not searched, holds a few
# thousand. The time bound is for slow disks and network mounts.
MAX_ENTRIES = 200_000
MAX_SECONDS = 10.0
STOPPED = "the search for topic files stopped"     # the flag a bounded walk raises
# A zip lists its .git and virtualenvs too (skipped, but listed), so it may
# hold more. zipfile loads a zip's whole directory before anything is read:
# about 9 us and 600 bytes an entry, so 500,000 entries is 4 s and 300 MB.
# The directory's size is capped first (64 MiB is 500,000 entries of names
# of about 90 characters), then its entries are counted.
MAX_ZIP_ENTRIES = 500_000
MAX_ZIP_DIRECTORY = 64 << 20
MAX_UNSAFE_FLAGS = 20          # unsafe zip entries named one by one; the rest counted

# Folders never searched, anywhere: version control, virtualenvs, installed
# packages, caches. A virtualenv of another name keeps its packages in
# site-packages, which is not searched either.
NOT_SEARCHED = frozenset({
    ".git", ".hg", ".svn", ".venv", "venv", "site-packages", "dist-packages",
    "node_modules", "__pycache__", ".tox", ".nox", ".mypy_cache", ".pytest_cache",
    ".ruff_cache"})


@dataclasses.dataclass
class Submission:
    """What was found in one submission."""

    name: str
    files: dict[str, bytes] = dataclasses.field(default_factory=dict)      # topic -> source
    where: dict[str, str] = dataclasses.field(default_factory=dict)        # topic -> path inside
    problems: dict[str, str] = dataclasses.field(default_factory=dict)     # topic -> why refused
    flags: list[str] = dataclasses.field(default_factory=list)
    error: str = ""            # the whole submission was refused

    @property
    def digest(self) -> str:
        """A hash of what will be graded: unchanged content is not regraded."""
        sha = hashlib.sha256()
        for topic in sorted(self.files):
            sha.update(topic.encode() + b"\0" + self.files[topic] + b"\0")
        for topic in sorted(self.problems):
            sha.update(f"{topic}!{self.problems[topic]}".encode())
        sha.update(self.error.encode())
        return sha.hexdigest()


def find(path: Path, topics: list[Topic], name: str | None = None) -> Submission:
    """Read the submission at ``path`` (folder or .zip); never raises for bad input."""
    submission = Submission(name or _student_id(path))
    try:
        if path.is_symlink():
            submission.error = f"{path.name} is a symlink: not followed"
        elif path.is_dir():
            _from_folder(path, topics, submission)
        elif path.is_file() and zipfile.is_zipfile(path):
            _from_zip(path, topics, submission)
        elif path.is_file():
            submission.error = f"{path.name} is neither a folder nor a readable .zip"
        else:
            submission.error = f"{path} does not exist"
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError) as exc:
        submission.error = f"could not read {path.name}: {exc}"
    if not submission.error:
        for topic in topics:
            if topic.name in submission.files:
                _check_source(topic, submission)
        if not submission.files and not submission.problems:
            stopped = any(f.startswith(STOPPED) for f in submission.flags)
            submission.error = ("no topic file found (looked for "
                                + ", ".join(t.module_file for t in topics)
                                + " and their .ipynb notebooks"
                                + (", until the search stopped at its limit)" if stopped
                                   else ")"))
    return submission


def _student_id(path: Path) -> str:
    return path.name[:-4] if path.name.lower().endswith(".zip") else path.name


# Six arguments since before notebooks; the signature is kept as it was.
# pylint: disable-next=too-many-arguments,too-many-positional-arguments
def _take(submission: Submission, topic: Topic, where: str, depth: int,
          size: int, read) -> None:
    """Keep the shallowest candidate for ``topic``; refuse oversized files."""
    current = submission.where.get(topic.name)
    if current is not None:
        if (current.count("/"), current) <= (depth, where):
            submission.flags.append(f"ignored {where}: {current} is shallower")
            return
        submission.flags.append(f"ignored {current}: {where} is shallower")
    submission.where[topic.name] = where
    submission.files.pop(topic.name, None)
    submission.problems.pop(topic.name, None)
    if size > MAX_FILE:
        submission.problems[topic.name] = _too_big(where, f"{size:,} bytes")
        return
    try:
        data = read()           # at most MAX_FILE + 1 bytes, whatever size said
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError, EOFError) as exc:
        submission.problems[topic.name] = f"{where} could not be read, not graded: {exc}"
        return
    if len(data) > MAX_FILE:
        submission.problems[topic.name] = _too_big(where, "more bytes than it said")
        return
    submission.files[topic.name] = data


def _too_big(where: str, size: str) -> str:
    return f"{where} is {size}: over the 1 MiB limit ({MAX_FILE:,} bytes), not graded"


def _read_capped(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(MAX_FILE + 1)


def _candidates(topics: list[Topic], submission: Submission,
                found: Submission) -> dict[str, tuple[Topic, Submission]]:
    """File name -> (topic, where to keep it): modules in ``submission``, notebooks in ``found``.

    Notebooks are kept apart so that they compete only with each other for
    the shallowest place, and stand in for a module only when it is absent.
    """
    table = {f"{t.name}.ipynb": (t, found) for t in topics}
    table.update({t.module_file: (t, submission) for t in topics})
    return table


def _use_notebooks(submission: Submission, found: Submission, topics: list[Topic]) -> None:
    """Let each topic without a .py take the module of its shallowest notebook."""
    submission.flags.extend(found.flags)
    for topic in topics:
        where = found.where.get(topic.name)
        if where is None:
            continue
        module_where = submission.where.get(topic.name)
        if module_where is not None and module_where.count("/") < where.count("/"):
            submission.flags.append(f"ignored {where}: {module_where} is graded (it is "
                                    "shallower)")
            continue
        if module_where is not None:
            submission.flags.append(f"ignored {module_where}: {where} beside it is graded "
                                    "(the .py is what running the notebook wrote)")
            submission.files.pop(topic.name, None)
            submission.problems.pop(topic.name, None)
        if topic.name in found.problems:
            submission.where[topic.name] = where
            submission.problems[topic.name] = found.problems[topic.name]
            continue
        try:
            source, notes = notebooks.extract_module(found.files[topic.name],
                                                     topic.module_file, where)
        except notebooks.NotebookError as exc:
            submission.where[topic.name] = where
            submission.problems[topic.name] = str(exc)
            continue
        submission.flags.extend(notes)
        submission.where[topic.name] = f"{where} (%%writefile {topic.module_file})"
        submission.files[topic.name] = source


def _from_folder(root: Path, topics: list[Topic], submission: Submission) -> None:
    found = Submission(submission.name)
    _walk(root, _candidates(topics, submission, found), submission)
    if not submission.error:
        _use_notebooks(submission, found, topics)


def _walk(root: Path, by_file: dict[str, tuple[Topic, Submission]],
          submission: Submission) -> None:
    """Breadth first, so that a stopped walk has searched every shallower level."""
    deadline = time.monotonic() + MAX_SECONDS
    seen = 0
    queue = deque([root])
    while queue:
        here = queue.popleft()
        entries = []
        try:
            with os.scandir(here) as listing:
                for entry in listing:
                    seen += 1
                    if seen > MAX_ENTRIES or time.monotonic() > deadline:
                        limit = (f"{MAX_ENTRIES:,} entries" if seen > MAX_ENTRIES
                                 else f"{MAX_SECONDS:g} seconds")
                        submission.flags.append(
                            f"{STOPPED} at its {limit} limit, in "
                            f"{_rel(here, root)}: what is there, beside it or deeper was "
                            "not looked at")
                        return
                    entries.append(entry)
        except OSError as exc:
            submission.flags.append(f"could not list {_rel(here, root)}: {exc.strerror}")
            continue
        entries.sort(key=lambda e: e.name)
        for entry in entries:
            if entry.is_symlink():
                if entry.name in by_file or entry.is_dir():
                    submission.flags.append(
                        f"symlink not followed: {_rel(Path(entry.path), root)}")
            elif entry.is_dir(follow_symlinks=False):
                if entry.name not in NOT_SEARCHED:
                    queue.append(Path(entry.path))
            elif entry.name in by_file and entry.is_file(follow_symlinks=False):
                topic, keep = by_file[entry.name]
                rel = _rel(Path(entry.path), root)
                _take(keep, topic, rel, rel.count("/"),
                      entry.stat(follow_symlinks=False).st_size,
                      lambda path=Path(entry.path): _read_capped(path))


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path != root else "the top folder"


def _from_zip(path: Path, topics: list[Topic], submission: Submission) -> None:
    """Open only the topic entries, each read capped; refuse the unsafe ones."""
    too_many = _zip_too_large(path)
    if too_many:
        submission.error = f"{too_many}: not graded (zip the code, without virtualenvs " \
                           "or node_modules)"
        return
    found = Submission(submission.name)
    by_file = _candidates(topics, submission, found)
    unsafe = []
    with zipfile.ZipFile(path) as archive:
        for entry in sorted(archive.infolist(), key=lambda e: e.filename):
            name = entry.filename.replace("\\", "/")
            parts = PurePosixPath(name).parts
            mode = entry.external_attr >> 16
            if name.startswith("/") or ".." in parts or (len(name) > 1 and name[1] == ":"):
                unsafe.append(f"unsafe zip entry refused: {entry.filename}")
                continue
            if stat.S_ISLNK(mode):
                unsafe.append(f"symlink zip entry refused: {entry.filename}")
                continue
            candidate = by_file.get(parts[-1]) if parts and not entry.is_dir() else None
            if candidate is None or NOT_SEARCHED.intersection(parts[:-1]):
                continue

            def read(entry=entry) -> bytes:
                with archive.open(entry) as handle:
                    return handle.read(MAX_FILE + 1)

            _take(candidate[1], candidate[0], name, name.count("/"), entry.file_size, read)
        submission.flags.extend(unsafe[:MAX_UNSAFE_FLAGS])
        if len(unsafe) > MAX_UNSAFE_FLAGS:
            submission.flags.append(f"and {len(unsafe) - MAX_UNSAFE_FLAGS:,} more unsafe zip "
                                    "entries refused")
        _use_notebooks(submission, found, topics)


_END = struct.Struct("<4s8xI6x")          # end of central directory record: its size
_END64 = struct.Struct("<4s36xQ8x")       # zip64 end of central directory: its size
_ENTRY = struct.Struct("<4s24xHHH12x")    # central directory header: name, extra, comment


def _zip_too_large(path: Path) -> str:
    """Why the zip's directory is too large to load, or ""; read before zipfile loads it.

    The directory is found as zipfile finds it (the end record, and the zip64
    records just before it), then its headers are counted, not parsed.
    """
    with path.open("rb") as handle:
        end, directory = _zip_directory_span(handle)
        if directory > MAX_ZIP_DIRECTORY:
            return (f"the zip's directory is {directory:,} bytes, over the "
                    f"{MAX_ZIP_DIRECTORY:,}-byte limit")
        handle.seek(max(0, end - directory))
        listing = handle.read(directory)
    count = offset = 0
    while offset + _ENTRY.size <= len(listing):
        signature, name, extra, comment = _ENTRY.unpack_from(listing, offset)
        if signature != b"PK\x01\x02":
            break
        count += 1
        if count > MAX_ZIP_ENTRIES:
            return f"the zip lists over {MAX_ZIP_ENTRIES:,} entries"
        offset += _ENTRY.size + name + extra + comment
    return ""


def _zip_directory_span(handle) -> tuple[int, int]:
    """Where the zip's directory ends and its size in bytes; (0, 0) if not found."""
    size = handle.seek(0, os.SEEK_END)
    start = max(0, size - (_END.size + 0xFFFF))
    handle.seek(start)
    tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + _END.size > len(tail):
        return 0, 0             # not found: zipfile says what is wrong
    _, directory = _END.unpack_from(tail, at)
    record = at - 20 - _END64.size
    if record >= 0 and tail[at - 20:at - 16] == b"PK\x06\x07":
        signature, directory64 = _END64.unpack_from(tail, record)
        if signature == b"PK\x06\x06":
            return start + record, directory64
    return start + at, directory


def _check_source(topic: Topic, submission: Submission) -> None:
    """Refuse a topic file that is not UTF-8 or does not compile, saying why."""
    data = submission.files[topic.name]
    where = submission.where[topic.name]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        submission.problems[topic.name] = (f"{where} is not UTF-8 text (byte "
                                           f"0x{data[exc.start]:02x} on line {line})")
        del submission.files[topic.name]
        return
    try:
        compile(text, where, "exec", dont_inherit=True)
    except SyntaxError as exc:
        submission.problems[topic.name] = (f"SyntaxError at line {exc.lineno} of {where}: "
                                           f"{exc.msg}")
        del submission.files[topic.name]
    except (ValueError, RecursionError, MemoryError) as exc:
        submission.problems[topic.name] = f"{where} does not compile: {type(exc).__name__}"
        del submission.files[topic.name]
