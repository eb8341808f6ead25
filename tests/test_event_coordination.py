"""Visible tests of topic 4, event_coordination: run `make check T=event_coordination`."""

from __future__ import annotations

import dataclasses
import re
import threading
import time

import pytest

from probes import (Background, CountingEvent, Recorder, SleepSpy,
                    check_silent_import, expect, fail, plural, real_sleep, run_script)
from schedule import Schedule


@dataclasses.dataclass
class WorkersRun:  # pylint: disable=too-many-instance-attributes
    """What run_workers saw: the threads returned, their calls, how they waited for go."""

    threads: list
    out: Recorder
    early: int          # out() calls made before go was set
    polls: int          # go.is_set() calls while the workers should be asleep
    waiting: int        # workers inside go.wait() when go was set
    go: CountingEvent
    pollers: int = 0    # workers that asked is_set() but never called wait()
    alive_after: int = 0  # workers alive 2 s after go was set


def run_workers(mod, n: int) -> WorkersRun:
    """start_workers(n, go, out), then set go once the workers settled.

    The workers' targets are held until start_workers has returned (0.5 s at
    most): a target that reads the loop variable late sees its last value
    every time, not only when the machine is slow.
    """
    go = CountingEvent(fast_timeouts=True)
    out = Recorder()
    with pytest.MonkeyPatch.context() as patch:
        schedule = Schedule(patch, mod, hold=0.5)
        call = Background(schedule.call, mod.start_workers, n, go, out)
        if not call.finished_within(1.0):
            go.set()
            fail("start_workers did not return before go was set: it must return the "
                 "started threads at once - don't join() the workers inside it.")
        threads = call.result()
        expect(isinstance(threads, list) and len(threads) == n
               and all(isinstance(t, threading.Thread) for t in threads),
               f"start_workers({n}, ...) must return a list of {n} Threads, got {threads!r}.")
        # Let the workers settle: all inside go.wait(), or (wrongly) all done.
        deadline = time.monotonic() + 1.0
        while go.waiting < n and len(out.calls) < n and time.monotonic() < deadline:
            time.sleep(0.005)
        before = go.is_set_calls
        time.sleep(0.1)
        polls = go.is_set_calls - before
        waiting = go.waiting
        early = len(out.calls)
        pollers = sum(1 for thread, asked in go.is_set_by.items()
                      if asked and not go.wait_by.get(thread) and thread in threads)
        go.set()
        for thread in threads:
            thread.join(2.0)
    return WorkersRun(threads, out, early, polls, waiting, go, pollers,
                      sum(t.is_alive() for t in threads))


@pytest.mark.concept("workers_wait_for_go")
@pytest.mark.points(3)
def test_workers_wait_for_go(mod):
    run = run_workers(mod, 5)
    expect(run.early == 0, f"{run.early} of 5 workers called out() before go was set: "
           "each worker must first wait for the Event (go.wait()); a go.wait(timeout) "
           "that returns False means go is still not set - wait again.")
    expect(all(t.ident is not None for t in run.threads),
           "some returned threads were never started: call start() on each.")
    expect(len(run.out.calls) == 5, f"after go was set, {plural(len(run.out.calls), 'worker')} "
           "of 5 called out(): every worker calls out(i) once.")


@pytest.mark.concept("wait_not_poll")
@pytest.mark.points(2)
def test_workers_do_not_burn_cpu_while_waiting(mod):
    run = run_workers(mod, 5)
    expect(run.polls <= 250, f"while waiting for go, the workers called go.is_set() "
           f"{run.polls:,} times in 0.1 s: that is busy-waiting, burning a CPU core "
           "for nothing. go.wait() sleeps until the flag is set.")
    expect(run.pollers == 0, f"{run.pollers} of 5 workers asked go.is_set() "
           "again and again and never called go.wait(): polling, even with a sleep in "
           "between, wakes up for nothing and answers late. go.wait() sleeps until the "
           "flag is set and wakes the moment it is.")
    expect(not run.go.cleared_by, "a worker called go.clear(): go belongs to the caller, "
           "who may hand the same Event to other threads - only wait on it.")


@pytest.mark.concept("worker_gets_its_index")
@pytest.mark.points(2)
def test_each_worker_calls_out_once_with_its_index(mod):
    run = run_workers(mod, 5)
    got = sorted(run.out.values)
    if got and len(set(got)) == 1 and len(got) > 1:
        fail(f"every worker called out({got[0]}): a lambda or nested function in a "
             "loop reads i when it runs, after the loop ended. Pass the index with "
             "args=(i,).")
    expect(got == [0, 1, 2, 3, 4], f"out() received {got}, expected 0, 1, 2, 3, 4 once "
           "each (worker i calls out(i), counting from 0).")
    idents = {t.ident for t in run.threads}
    expect(run.out.threads == idents and threading.get_ident() not in idents,
           "out() was called by threads other than the ones start_workers returned.")
    expect(not any(t.is_alive() for t in run.threads),
           "a worker was still alive 2 s after go was set: it must end after out(i).")


def wanted(rounds: int) -> list[str]:
    """The lines ``rounds`` rounds of ping-pong must print."""
    return ["ping", "pong"] * rounds


def check_order(lines: list, rounds: int, note: str = "") -> None:
    """Fail, at the first line out of turn, unless ``lines`` are ``rounds`` rounds of ping-pong.

    ``note`` is added to the message (what a skipping SleepSpy saw).
    """
    want = wanted(rounds)
    if lines == want:
        return
    if lines and lines[0] == "pong":
        fail("the first line was 'pong': ping goes first - set ping's Event to start." + note)
    for number, (got, expected) in enumerate(zip(lines, want), start=1):
        if got != expected:
            fail(f"line {number} was {got!r} where {expected!r} was due (previous: "
                 f"{lines[number - 2]!r}): does each player wait for its own Event "
                 "and clear() it before printing? With one shared Event, or without "
                 "clear(), a player can go twice in a row." + note)
    fail(f"ping_pong({rounds}) emitted {len(lines)} lines, expected {len(want)}." + note)


def shaking(index, _line):
    """Give the other thread a chance to cut in now and then."""
    if index % 7 == 3:
        real_sleep(0.0005)


# Every ping_pong test skips the players' sleeps (SleepSpy(skip=True)): a
# solution that orders the lines with sleeps then has no order and fails each
# time, where with real sleeps it would pass or fail with the machine's load.


def play(patch: pytest.MonkeyPatch, mod, rounds: int, out: Recorder,  # pylint: disable=too-many-arguments
         timeout: float = 20.0, **options) -> tuple[Schedule, Background]:
    """ping_pong(rounds, out) with hand-overs that let the woken player run at once.

    Each ``set()`` on a player's Event lets the thread it woke run until that
    thread waits again (or ends) before the setter goes on: the interleaving a
    loaded machine shows once in a while happens at every hand-over. A game in
    which both players wait and nobody can wake them fails at once, saying so.
    ``options`` go to the Schedule (``linger``, ``quick``).
    """
    schedule = Schedule(patch, mod, handover=True, **options)
    call = Background(schedule.call, mod.ping_pong, rounds, out)
    if schedule.wait_for(call, timeout):
        call.result()
        # The lines are complete before they are checked, even when a player was
        # not joined (a test of its own says so): one mistake, one failing test.
        for thread in schedule.started:
            thread.join(5.0)
        return schedule, call
    stuck = schedule.stuck(call.thread)
    if stuck:
        words = {c.thread: c.value for c in out.calls}
        named = "; ".join(stuck)
        for thread in schedule.started:
            if thread.ident in words:
                named = named.replace(schedule.name_of(thread) + " ",
                                      f"the {words[thread.ident]} player ")
        fail(f"ping_pong({rounds}) stopped after {plural(len(out.calls), 'line')}: {named}, "
             "and no thread is left that could set any of them. A turn was lost: the "
             "other player had already handed the turn back when this one cleared its "
             "own Event (clear() after set()), or nobody gave the first turn. Wait, "
             "clear() your own Event, print, then set() the other's - in that order.")
    fail(f"ping_pong({rounds}) had not finished after {timeout:g} s ({len(out.calls)} "
         "lines): are both players waiting for each other?")
    return schedule, call


@pytest.mark.concept("strict_alternation")
@pytest.mark.points(3)
def test_ping_pong_strictly_alternates(mod, monkeypatch):
    spy = SleepSpy(monkeypatch, mod, skip=True)
    out = Recorder(shaking)
    play(monkeypatch, mod, 200, out)
    check_order(out.values, 200, spy.skipped_note(out.threads))


@pytest.mark.concept("player_threads_joined")
@pytest.mark.points(2)
def test_each_word_comes_from_its_own_thread(mod, monkeypatch):
    spy = SleepSpy(monkeypatch, mod, skip=True)
    out = Recorder()
    _, call = play(monkeypatch, mod, 50, out)
    by_word: dict[str, set[int]] = {"ping": set(), "pong": set()}
    for c in out.calls:
        by_word.setdefault(c.value, set()).add(c.thread)
    callers = {threading.get_ident(), call.thread.ident}
    expect(not (by_word["ping"] | by_word["pong"]) & callers,
           "lines were printed by the thread that called ping_pong: start two threads, "
           "one printing ping, one printing pong.")
    expect(len(by_word["ping"]) == 1 and len(by_word["pong"]) == 1
           and by_word["ping"] != by_word["pong"],
           f"ping came from {plural(len(by_word['ping']), 'thread')} and pong from "
           f"{plural(len(by_word['pong']), 'thread')}: one thread prints only ping, "
           "another only pong.")
    check_order(out.values, 50, spy.skipped_note(out.threads))


@pytest.mark.concept("events_not_sleeps")
@pytest.mark.points(2)
def test_order_comes_from_events_not_sleeps(mod, monkeypatch):
    spy = SleepSpy(monkeypatch, mod, skip=True)
    out = Recorder()
    play(monkeypatch, mod, 300, out)
    sleeps = spy.by_threads(out.threads)
    expect(not sleeps, f"the players called time.sleep {plural(len(sleeps), 'time')}: a "
           "sleep only makes the right order likely. Hand the turn over with Events "
           "(wait / clear / set) instead.")
    check_order(out.values, 300)


@pytest.mark.concept("strict_alternation")
def test_zero_rounds_prints_nothing(mod):
    out = Recorder()
    call = Background(mod.ping_pong, 0, out)
    expect(call.finished_within(5.0), "ping_pong(0) did not return within 5 s.")
    call.result()
    expect(out.values == [], f"ping_pong(0) printed {out.values}.")


@pytest.mark.concept("player_threads_joined")
@pytest.mark.points(3)
def test_ping_pong_joins_both_players(mod, monkeypatch):
    # One player stays alive a while after its last line (until ping_pong
    # returns, 0.3 s at most), the other ends at once; then the other way round.
    # Joining only one of them returns while the other still lives, every time.
    SleepSpy(monkeypatch, mod, skip=True)
    for quick in (0, 1):
        with pytest.MonkeyPatch.context() as patch:
            out = Recorder()
            schedule, _ = play(patch, mod, 5, out, linger=0.3, quick=quick)
        alive = len(schedule.alive_at_return)
        expect(alive == 0, f"ping_pong returned while {plural(alive, 'player')} still ran: "
               "join() both threads before returning, not only the one you started last.")
        check_order(out.values, 5)


@pytest.mark.concept("events_not_sleeps")
@pytest.mark.points(2)
def test_a_slow_line_does_not_give_the_turn_away(mod, monkeypatch):
    # One line takes 0.6 s to print. A player that waits with wait(timeout) and
    # takes the False it returns for its turn prints out of order meanwhile.
    spy = SleepSpy(monkeypatch, mod, skip=True)

    def slow_once(index, _line):
        if index == 3:
            real_sleep(0.6)

    out = Recorder(slow_once)
    play(monkeypatch, mod, 6, out)
    lines = out.values
    if lines != wanted(6):
        fail(f"one line took 0.6 s to print, and the order broke: {lines}. A player went "
             "while it was not its turn: Event.wait(timeout) returns False when the time "
             "ran out - that is not the turn. Wait again (or wait without a timeout)."
             + spy.skipped_note(out.threads))


@pytest.mark.concept("import_is_silent")
def test_importing_the_module_is_silent(mod, target_dir):
    check_silent_import(target_dir, "event_coordination",
                        lambda: mod.start_workers(0, threading.Event(), Recorder()))


LIFETIME = """
import os, sys, threading, time
sys.stdout = open(os.devnull, "w")       # what the import prints is another test's business
import event_coordination
sys.stdout = sys.__stdout__
go = threading.Event()
def work(i):
    time.sleep(0.2)
    print(f"<{i}>", flush=True)
event_coordination.start_workers(3, go, work)
go.set()
"""


@pytest.mark.concept("workers_start_at_once")
def test_workers_outlive_the_main_thread(target_dir):
    stdout, _, _ = run_script(target_dir, LIFETIME, timeout=5.0)
    done = sorted(re.findall(r"<(\d+)>", stdout))
    expect(done == ["0", "1", "2"],
           f"a program that starts 3 workers, sets go and ends saw workers {done} finish: "
           "daemon threads are killed when the main thread ends, before their work is "
           "done. Leave daemon at its default (False).")
