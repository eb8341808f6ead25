"""`make verify`: prove the kit sound, as rustlings' `dev check` does for its exercises.

* every reference solution earns full marks in every topic;
* every stub earns exactly zero;
* every known wrong solution (tests/wrong/<topic>/) loses points in its topic;
* every correct alternative (tests/alternatives/<topic>/) keeps every point.

The catalogs are read through grader.catalog: a case is a whole module
(<case>.py) or a small change stated against the reference (<case>.toml).

Visible and hidden tests both run: this is what a grade would be.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import sys
import time
from pathlib import Path

from grader import capacity, catalog, manifest, runner, scoring
from grader.channel import Status, TopicStatus
from grader.manifest import Topic
from grader.results import TopicOutcome

CATALOGS = {"wrong": "Wrong:", "alternatives": "Alternative:"}


@dataclasses.dataclass
class Case:
    """One module (or folder) to grade, and what its score must be."""

    label: str
    topic: Topic
    source: Path            # a folder of modules, or the file that states the module
    expect: str             # "full" | "zero" | "loses"
    text: str | None = None  # the module graded, when ``source`` is not a folder


@dataclasses.dataclass
class Verdict:
    """How one case scored, and whether that is what it must score."""

    case: Case
    result: TopicOutcome
    ok: bool


def catalog_cases(kind: str, expect: str, topics: list[Topic]) -> list[Case]:
    """Cases for every case of tests/<kind>/<topic>/; a bad entry is an error."""
    cases = []
    by_name = {t.name: t for t in topics}
    try:
        entries = catalog.cases(kind, by_name)
    except catalog.CaseError as exc:
        raise SystemExit(str(exc)) from exc
    for entry in entries:
        first = entry.text.lstrip().lstrip('"').lstrip()
        if not first.startswith(CATALOGS[kind]):
            raise SystemExit(f"{entry.path}: its docstring must start with {CATALOGS[kind]!r}")
        cases.append(Case(entry.label, by_name[entry.topic], entry.path, expect, entry.text))
    return cases


def all_cases(topics: list[Topic]) -> list[Case]:
    """Solutions must score full, stubs zero, wrong modules less, alternatives full."""
    cases = [Case(f"solutions/{t.module_file}", t, manifest.ROOT / "solutions", "full")
             for t in topics]
    cases += [Case(f"exercises/{t.module_file}", t, manifest.ROOT / "exercises", "zero")
              for t in topics]
    cases += catalog_cases("wrong", "loses", topics)
    cases += catalog_cases("alternatives", "full", topics)
    return cases


def judge(case: Case) -> Verdict:
    """Grade one case (visible + hidden tests) and compare with its expectation."""
    source = case.text.encode("utf-8") if case.text is not None else None
    result = scoring.score(runner.run_topic(case.topic, case.source, source=source, hidden=True))
    ok = {"full": result.complete,
          "zero": result.score == 0 and result.status == TopicStatus.GRADED,
          "loses": result.score < result.max_score}[case.expect]
    return Verdict(case, result, ok)


def main(argv: list[str]) -> int:
    """Judge every case, print a line each; 1 when any scored other than it must."""
    parser = argparse.ArgumentParser(prog="python -m grader verify", description=__doc__)
    parser.add_argument("--topics", "-t", default="", help="comma-separated topic names")
    parser.add_argument("--jobs", "-j", type=int, default=0,
                        help="topic runs at once (0: as many as the free CPU allows)")
    parser.add_argument("--only", default="", help="only cases whose label contains this")
    args = parser.parse_args(argv)
    topics = manifest.by_name(args.topics)
    cases = [c for c in all_cases(topics) if args.only in c.label]
    started = time.monotonic()
    bad = []
    capacity.GATE.configure(args.jobs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=capacity.GATE.most + 2) as pool:
        for verdict in pool.map(judge, cases):
            result = verdict.result
            mark = "ok  " if verdict.ok else "FAIL"
            line = (f"{mark} {verdict.case.label:<58} must {verdict.case.expect:<5} "
                    f"got {result.score:g}/{result.max_score:g} in {result.seconds:4.1f} s")
            if not verdict.ok or verdict.case.expect == "loses":
                failing = [t.name for t in result.tests if t.status != Status.PASSED]
                detail = result.first_failure if verdict.case.expect != "zero" else ""
                if failing:
                    line += f"  [{', '.join(failing)[:150]}]"
                if not verdict.ok and detail:
                    line += f"\n     {detail[:300]}"
            print(line, flush=True)
            if not verdict.ok:
                bad.append(verdict)
    print(f"{len(cases)} cases in {time.monotonic() - started:.0f} s")
    if bad:
        print("unexpected: " + ", ".join(v.case.label for v in bad), file=sys.stderr)
    # The plain closing line CI reads: cases as expected vs not.
    print(f"verify: {len(cases) - len(bad)} passed, {len(bad)} failed")
    return 1 if bad else 0
