"""Read topics.toml, the one list of the kit's topics.

Every command takes the topic list, titles, points and hints from here, so
nothing else in the project repeats them.
"""

from __future__ import annotations

import dataclasses
import sys
import tomllib
from pathlib import Path

from grader import layout

ROOT, MANIFEST = layout.ROOT, layout.MANIFEST     # where things are: grader.layout
SUPPORTED_FORMAT = 1


class ManifestError(ValueError):
    """topics.toml is missing, malformed or inconsistent."""


@dataclasses.dataclass(frozen=True)
class Topic:
    """One exercise topic as the manifest describes it."""

    name: str
    title: str
    lecture: str
    points: float
    hints: tuple[str, ...]
    timeout: float = 60.0
    number: int = 0
    # Share of the points that rides on the static concurrency checks finding
    # nothing (0: their findings are feedback only).
    lint_weight: float = 0.0
    # The ideas of the lecture its tests check, (key, one line), in teaching
    # order; each test names one with @pytest.mark.concept(key) (grader.concepts).
    concepts: tuple[tuple[str, str], ...] = ()

    @property
    def module_file(self) -> str:
        """File name of the topic's module in exercises/ and solutions/."""
        return f"{self.name}.py"

    @property
    def test_file(self) -> str:
        """File name of the topic's visible (and hidden) tests."""
        return f"test_{self.name}.py"


def load(path: Path = MANIFEST) -> list[Topic]:
    """Return the topics in teaching order; raise ManifestError naming the problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ManifestError(f"{path}: manifest not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{path}: not valid TOML: {exc}") from exc
    if data.get("format_version") != SUPPORTED_FORMAT:
        raise ManifestError(f"{path}: format_version must be {SUPPORTED_FORMAT}")
    topics = []
    default_weight = data.get("lint_weight", 0.0)
    for number, entry in enumerate(data.get("topics", []), start=1):
        where = f"{path}: topic #{number}"
        try:
            topic = Topic(
                name=str(entry["name"]),
                title=str(entry["title"]),
                lecture=str(entry["lecture"]),
                points=float(entry["points"]),
                hints=tuple(str(h) for h in entry["hints"]),
                timeout=float(entry.get("timeout", 60.0)),
                number=number,
                lint_weight=float(entry.get("lint_weight", default_weight)),
                concepts=tuple((str(key), str(text))
                               for key, text in dict(entry.get("concepts", {})).items()),
            )
        except KeyError as exc:
            raise ManifestError(f"{where}: missing key {exc}") from exc
        except (TypeError, ValueError) as exc:
            raise ManifestError(f"{where}: a value has the wrong type: {exc}") from exc
        if not 0.0 <= topic.lint_weight <= 1.0:
            raise ManifestError(f"{where} ({topic.name}): lint_weight must be between 0 and 1")
        if not topic.name.isidentifier():
            raise ManifestError(f"{where}: name {topic.name!r} is not a module name")
        if topic.points <= 0 or not topic.hints:
            raise ManifestError(f"{where} ({topic.name}): needs points > 0 and hints")
        topics.append(topic)
    names = [t.name for t in topics]
    if not topics or len(set(names)) != len(names):
        raise ManifestError(f"{path}: topic names must be present and unique")
    return topics


def by_name(names: str | None = None, path: Path = MANIFEST) -> list[Topic]:
    """Topics selected by a comma-separated list (all when empty), in manifest order."""
    topics = load(path)
    if not names:
        return topics
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    known = {t.name for t in topics}
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise ManifestError(
            f"unknown topic {', '.join(unknown)}; topics are: {', '.join(sorted(known))}")
    return [t for t in topics if t.name in wanted]


def select_or_exit(names: str | None) -> list[Topic]:
    """``by_name`` for command lines: a bad manifest or topic name exits 2 with its message."""
    try:
        return by_name(names)
    except ManifestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
