"""Find a submission's topic files: stage one of the grader.

A submission is a folder or a ``.zip`` (LMS downloads, zipped repositories).
Each topic file is found by name anywhere inside; the shallowest wins. Only
the topic files are taken - nothing else of the submission ever reaches the
tests. Symlinks are never followed; unsafe zip entries (absolute paths,
``..``, symlinks) are refused with a flag; sizes are capped; a file that is
not UTF-8 or does not compile costs its own topic, with the reason.

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
import zipfile
from pathlib import Path, PurePosixPath

from grader import notebooks
from grader.manifest import Topic

MAX_FILE = 1 << 20            # 1 MiB per topic file
MAX_SUBMISSION = 20 << 20     # 20 MiB per submission


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
            submission.error = ("no topic file found (looked for "
                                + ", ".join(t.module_file for t in topics)
                                + " and their .ipynb notebooks)")
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
        submission.problems[topic.name] = (
            f"{where} is {size:,} bytes: over the 1 MiB limit, not graded")
        return
    submission.files[topic.name] = read()


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
    total = 0
    for folder, dirs, names in os.walk(root, followlinks=False):
        here = Path(folder)
        for d in list(dirs):
            if (here / d).is_symlink():
                submission.flags.append(f"symlink not followed: {(here / d).relative_to(root)}")
                dirs.remove(d)
        dirs.sort()
        for file_name in sorted(names):
            full = here / file_name
            info = full.lstat()
            if stat.S_ISLNK(info.st_mode):
                if file_name in by_file:
                    submission.flags.append(f"symlink not followed: {full.relative_to(root)}")
                continue
            total += info.st_size
            if total > MAX_SUBMISSION:
                submission.error = "the submission is over 20 MiB: not graded"
                return
            candidate = by_file.get(file_name)
            if candidate is not None and stat.S_ISREG(info.st_mode):
                rel = full.relative_to(root).as_posix()
                _take(candidate[1], candidate[0], rel, rel.count("/"), info.st_size,
                      full.read_bytes)


def _from_zip(path: Path, topics: list[Topic], submission: Submission) -> None:
    found = Submission(submission.name)
    by_file = _candidates(topics, submission, found)
    with zipfile.ZipFile(path) as archive:
        entries = archive.infolist()
        if sum(e.file_size for e in entries) > MAX_SUBMISSION:
            submission.error = "the submission unpacks to over 20 MiB: not graded"
            return
        for entry in sorted(entries, key=lambda e: e.filename):
            name = entry.filename.replace("\\", "/")
            parts = PurePosixPath(name).parts
            mode = entry.external_attr >> 16
            if name.startswith("/") or ".." in parts or (len(name) > 1 and name[1] == ":"):
                submission.flags.append(f"unsafe zip entry refused: {entry.filename}")
                continue
            if stat.S_ISLNK(mode):
                submission.flags.append(f"symlink zip entry refused: {entry.filename}")
                continue
            candidate = by_file.get(parts[-1]) if parts and not entry.is_dir() else None
            if candidate is None:
                continue

            def read(entry=entry) -> bytes:
                with archive.open(entry) as handle:
                    return handle.read(MAX_FILE + 1)

            _take(candidate[1], candidate[0], name, name.count("/"), entry.file_size, read)
        _use_notebooks(submission, found, topics)


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
