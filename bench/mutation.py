"""Mutation testing of the reference solutions: do the topic tests notice a changed solution?

    python bench/mutation.py                       # every topic (make mutation)
    python bench/mutation.py --topics countdown    # one topic (make mutation T=countdown)
    python bench/mutation.py --list                # only list the mutants, run nothing

mutmut 3 makes the mutants: for each ``solutions/<topic>.py`` it lists every
small change of one node inside a function (``+`` to ``-``, ``True`` to
``False``, an argument to ``None``, ...), with the configuration of
``[tool.mutmut]`` in pyproject.toml. mutmut's own runner is not used: it picks
the tests of a mutant from the functions each test was seen to call in its
process, and pool_async's functions run in worker processes (fork, forkserver,
spawn) that it does not see. Here a topic's tests are tied to it by file name
instead: each mutant, written out as the whole module, is run against that
topic's visible and hidden tests exactly as ``make verify`` runs a topic
(``grader.runner.run_topic``: its own run folder, the grader's pytest plugin,
the topic's time limit of topics.toml, 60 s unless set, after which the
process group is killed), two mutants at a time.

A mutant is killed when a test fails, errs or times out, when no test could
run, or when the whole run hit ``--timeout``; it survives when every test
passed. The unmutated solutions run first: a topic whose tests do not all pass
as it stands is an error (exit 2), since no mutant of it could be judged.

A survivor is either a behaviour the tests do not check, or equivalent: no
test of correct behaviour can tell it apart from the solution. Equivalent
ones are listed with their reason in ``tests/mutation_equivalent.toml``, each
identified by its topic and the mutated line's text before and after (stable
across runs, unlike mutmut's numbering)::

    [[equivalent]]
    topic = "countdown"
    original = "if stop.wait(interval):"
    mutated = "if stop.wait(None):"
    reason = "why no test of correct behaviour can tell them apart"

The report gives killed/total per topic, the overall score, and every
survivor as file:line, original -> mutated, marking the listed ones. Exit
status 1 when any survivor is not listed as equivalent, 0 otherwise.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import dataclasses
import difflib
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# pylint: disable=wrong-import-position
from mutmut.mutation.file_mutation import create_mutations  # noqa: E402
from grader import manifest, runner  # noqa: E402
from grader.manifest import Topic  # noqa: E402

SOLUTIONS = ROOT / "solutions"
EQUIVALENT = ROOT / "tests" / "mutation_equivalent.toml"
MOST_JOBS = 2                 # the machines we run on have two cores


@dataclasses.dataclass(frozen=True)
class Mutant:
    """One mutated version of a topic's module."""

    topic: Topic
    line: int                 # first changed line of the solution, 1-based
    original: str             # the changed lines as they were, stripped ("\n" between lines)
    mutated: str              # the same lines in the mutant
    source: str               # the whole mutated module

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies the mutant across runs: topic and the line before and after."""
        return self.topic.name, self.original, self.mutated

    def where(self) -> str:
        """file:line of the change."""
        return f"solutions/{self.topic.module_file}:{self.line}"

    def change(self) -> str:
        """The change on one line: original -> mutated."""
        return f"{_one_line(self.original)}  ->  {_one_line(self.mutated)}"


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What running the topic's tests against one mutant gave."""

    mutant: Mutant
    killed: bool
    how: str                  # failed | timeout | error | survived
    tests: tuple[str, ...]    # the tests that did not pass


def _one_line(text: str) -> str:
    return " | ".join(text.splitlines()) or "(nothing)"


def mutants_of(topic: Topic) -> list[Mutant]:
    """Every mutant mutmut makes of ``solutions/<topic>.py``, in the order of the file.

    Like mutmut's own runs, only mutations inside functions and methods count:
    mutmut leaves module-level code alone.
    """
    path = SOLUTIONS / topic.module_file
    code = path.read_text(encoding="utf-8")
    # mutmut reads its configuration from the pyproject.toml of the working folder.
    with contextlib.chdir(ROOT):
        module, mutations, _, _ = create_mutations(str(path.relative_to(ROOT)), code)
    before = code.splitlines()
    found: list[Mutant] = []
    for mutation in mutations:
        if mutation.contained_by_top_level_function is None:
            continue
        source = module.deep_replace(mutation.original_node, mutation.mutated_node).code
        after = source.splitlines()
        changed = [op for op in difflib.SequenceMatcher(None, before, after,
                                                         autojunk=False).get_opcodes()
                   if op[0] != "equal"]
        if not changed:
            continue          # the same text: nothing to test
        first, last = changed[0], changed[-1]
        found.append(Mutant(
            topic, first[1] + 1,
            "\n".join(line.strip() for line in before[first[1]:last[2]]),
            "\n".join(line.strip() for line in after[first[3]:last[4]]),
            source))
    return sorted(found, key=lambda m: m.line)


def load_equivalent(path: Path, topics: list[Topic]) -> dict[tuple[str, str, str], str]:
    """The survivors listed as equivalent: key -> reason. Exits 2 on a malformed list."""
    if not path.exists():
        return {}
    names = {topic.name for topic in manifest.load()}
    listed: dict[tuple[str, str, str], str] = {}
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("equivalent", [])
    except tomllib.TOMLDecodeError as exc:
        raise SystemExit(f"error: {path}: {exc}") from None
    for number, entry in enumerate(entries, 1):
        fields = [entry.get(name) for name in ("topic", "original", "mutated", "reason")]
        if not all(isinstance(field, str) for field in fields) or not fields[3].strip():
            raise SystemExit(f"error: {path}: entry {number} needs topic, original, mutated "
                             "and a reason, all strings")
        if fields[0] not in names:
            raise SystemExit(f"error: {path}: entry {number}: no topic {fields[0]!r}")
        if any(topic.name == fields[0] for topic in topics):
            listed[(fields[0], fields[1], fields[2])] = fields[3].strip()
    return listed


def judge(mutant: Mutant, timeout: float | None) -> Outcome:
    """Run the topic's visible and hidden tests against ``mutant``, as make verify does."""
    run = runner.run_topic(mutant.topic, source=mutant.source.encode("utf-8"), hidden=True,
                           timeout=timeout)
    failing = tuple(test.name for test in run.tests if test.status not in ("passed", "skipped"))
    if run.status in ("timeout", "error", "missing"):
        return Outcome(mutant, True, run.status, failing)
    if failing:
        timed_out = all(test.status == "timeout" for test in run.tests if test.name in failing)
        return Outcome(mutant, True, "timeout" if timed_out else "failed", failing)
    return Outcome(mutant, False, "survived", ())


def check_baseline(topics: list[Topic], timeout: float | None, jobs: int) -> list[str]:
    """The topics whose tests do not all pass against the unmutated solution, and why."""
    def failing(topic: Topic) -> str:
        run = runner.run_topic(topic, SOLUTIONS, hidden=True, timeout=timeout)
        bad = [test.name for test in run.tests if test.status not in ("passed", "skipped")]
        if run.status != "graded" or bad:
            return f"{topic.name}: {run.status} {run.message} {' '.join(bad)}".strip()
        return ""

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        return [problem for problem in pool.map(failing, topics) if problem]


def run_all(mutants: list[Mutant], timeout: float | None, jobs: int) -> list[Outcome]:
    """Judge every mutant, ``jobs`` at a time, with a line of progress for each."""
    outcomes: list[Outcome] = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(judge, mutant, timeout) for mutant in mutants]
        for done, future in enumerate(concurrent.futures.as_completed(futures), 1):
            outcome = future.result()
            outcomes.append(outcome)
            tests = f" ({', '.join(outcome.tests[:3])})" if outcome.tests else ""
            print(f"[{done}/{len(mutants)}] {outcome.mutant.where()} {outcome.how}{tests}",
                  file=sys.stderr, flush=True)
    order = {id(mutant): index for index, mutant in enumerate(mutants)}
    return sorted(outcomes, key=lambda outcome: order[id(outcome.mutant)])


def print_scores(topics: list[Topic], outcomes: list[Outcome], equivalent_count: int) -> None:
    """killed/total per topic and overall, with the timeouts among the killed."""
    print("\nMutation score per topic (killed/total, of which timeouts):")
    for topic in topics:
        mine = [o for o in outcomes if o.mutant.topic == topic]
        killed = sum(o.killed for o in mine)
        share = f"{100 * killed / len(mine):5.1f}%" if mine else "    -"
        print(f"  {topic.name:20} {killed:3}/{len(mine):<3} {share}  "
              f"timeouts {sum(o.how == 'timeout' for o in mine)}")
    killed = sum(o.killed for o in outcomes)
    total = len(outcomes)
    print(f"  {'overall':20} {killed:3}/{total:<3} {100 * killed / max(1, total):5.1f}%  "
          f"({equivalent_count} equivalent survivors; without them "
          f"{100 * killed / max(1, total - equivalent_count):.1f}%)")


def report(topics: list[Topic], outcomes: list[Outcome],
           equivalent: dict[tuple[str, str, str], str]) -> int:
    """Print the scores and the survivors; 1 if a survivor is not listed as equivalent."""
    survivors = [o.mutant for o in outcomes if not o.killed]
    real = [m for m in survivors if m.key not in equivalent]
    print_scores(topics, outcomes, len(survivors) - len(real))
    if survivors:
        print(f"\nSurvivors ({len(real)} not listed as equivalent):")
    for mutant in survivors:
        reason = equivalent.get(mutant.key)
        mark = f"equivalent: {reason}" if reason else "NOT EQUIVALENT: a behaviour the tests miss?"
        print(f"  {mutant.where()}  {mutant.change()}\n      [{mark}]")
    made = {o.mutant.key for o in outcomes}
    for key in set(equivalent) - {m.key for m in survivors}:
        state = "was killed" if key in made else "is no longer made"
        print(f"note: the listed equivalent mutant {key[0]}: {_one_line(key[1])} -> "
              f"{_one_line(key[2])} {state}: drop it from {EQUIVALENT.name}?")
    return 1 if real else 0


def parse_args() -> argparse.Namespace:
    """The command line: which topics, how many at once, how long a run may take."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--topics", default="", help="comma-separated topic names (default: all)")
    parser.add_argument("--jobs", type=int, default=MOST_JOBS,
                        help=f"mutants run at once (at most {MOST_JOBS})")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds one mutant's run may take, then it is killed and counts "
                             "as killed (timeout); default: the topic's limit in topics.toml, "
                             "as make verify")
    parser.add_argument("--equivalent", type=Path, default=EQUIVALENT,
                        help="the list of equivalent survivors")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    return parser.parse_args()


def main() -> int:
    """Make the mutants, run them, report; the exit status says whether any real one survived."""
    args = parse_args()
    topics = manifest.select_or_exit(args.topics or None)
    jobs = max(1, min(args.jobs, MOST_JOBS))
    equivalent = load_equivalent(args.equivalent, topics)
    mutants = [mutant for topic in topics for mutant in mutants_of(topic)]
    if args.list:
        for mutant in mutants:
            print(f"{mutant.where()}  {mutant.change()}")
        return 0
    started = time.monotonic()
    problems = check_baseline(topics, args.timeout, jobs)
    if problems:
        print("error: the unmutated solutions fail their own tests:", *problems,
              sep="\n  ", file=sys.stderr)
        return 2
    print(f"{len(mutants)} mutants of {len(topics)} topics, {jobs} at a time",
          file=sys.stderr, flush=True)
    outcomes = run_all(mutants, args.timeout, jobs)
    status = report(topics, outcomes, equivalent)
    print(f"\n{time.monotonic() - started:.0f} s for {len(mutants)} mutants")
    return status


if __name__ == "__main__":
    sys.exit(main())
