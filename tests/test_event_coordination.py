"""Visible tests of topic 4, event_coordination: run `make check T=event_coordination`."""

from __future__ import annotations

import dataclasses
import threading
import time

import pytest

from probes import (Background, CountingEvent, Recorder, SleepSpy, ThreadEndings,
                    expect, fail, plural, real_sleep)


@dataclasses.dataclass
class WorkersRun:
    """What run_workers saw: the threads returned, their calls, how they waited for go."""

    threads: list
    out: Recorder
    early: int          # out() calls made before go was set
    polls: int          # go.is_set() calls while the workers should be asleep
    waiting: int        # workers inside go.wait() when go was set


def run_workers(mod, n: int) -> WorkersRun:
    """start_workers(n, go, out), then set go once the workers settled."""
    go = CountingEvent()
    out = Recorder()
    call = Background(mod.start_workers, n, go, out)
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
    go.set()
    for thread in threads:
        thread.join(2.0)
    return WorkersRun(threads, out, early, polls, waiting)


@pytest.mark.points(3)
def test_workers_wait_for_go(mod):
    run = run_workers(mod, 5)
    expect(run.early == 0, f"{run.early} of 5 workers called out() before go was set: "
           "each worker must first wait for the Event (go.wait()).")
    expect(all(t.ident is not None for t in run.threads),
           "some returned threads were never started: call start() on each.")
    expect(len(run.out.calls) == 5, f"after go was set, {plural(len(run.out.calls), 'worker')} "
           "of 5 called out(): every worker calls out(i) once.")


@pytest.mark.points(2)
def test_workers_do_not_burn_cpu_while_waiting(mod):
    run = run_workers(mod, 5)
    expect(run.polls <= 250, f"while waiting for go, the workers called go.is_set() "
           f"{run.polls:,} times in 0.1 s: that is busy-waiting, burning a CPU core "
           "for nothing. go.wait() sleeps until the flag is set.")


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


@pytest.mark.points(3)
def test_ping_pong_strictly_alternates(mod, monkeypatch):
    spy = SleepSpy(monkeypatch, mod, skip=True)
    out = Recorder(shaking)
    call = Background(mod.ping_pong, 200, out)
    if not call.finished_within(20.0):
        fail(f"ping_pong(200) had not finished after 20 s ({len(out.calls)} lines): "
             "are both players waiting for each other?")
    call.result()
    check_order(out.values, 200, spy.skipped_note(out.threads))


@pytest.mark.points(2)
def test_each_word_comes_from_its_own_thread(mod, monkeypatch):
    spy = SleepSpy(monkeypatch, mod, skip=True)
    out = Recorder()
    call = Background(mod.ping_pong, 50, out)
    expect(call.finished_within(20.0), "ping_pong(50) had not finished after 20 s.")
    call.result()
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


@pytest.mark.points(2)
def test_order_comes_from_events_not_sleeps(mod, monkeypatch):
    spy = SleepSpy(monkeypatch, mod, skip=True)
    out = Recorder()
    call = Background(mod.ping_pong, 300, out)
    expect(call.finished_within(20.0), "ping_pong(300) had not finished after 20 s.")
    call.result()
    sleeps = spy.by_threads(out.threads)
    expect(not sleeps, f"the players called time.sleep {plural(len(sleeps), 'time')}: a "
           "sleep only makes the right order likely. Hand the turn over with Events "
           "(wait / clear / set) instead.")
    check_order(out.values, 300)


@pytest.mark.points(2)
def test_ping_pong_returns_after_both_threads_end(mod, monkeypatch):
    spy = SleepSpy(monkeypatch, mod, skip=True)
    rounds = 20
    endings = ThreadEndings(linger=0.1)
    seen: set[int] = set()
    last_done = threading.Event()

    def on_call(index, _line):
        if threading.get_ident() not in seen:
            seen.add(threading.get_ident())
            endings.mark()
        if index == 2 * rounds - 1:
            real_sleep(0.2)           # the last pong takes a while
            last_done.set()

    out = Recorder(on_call)
    call = Background(mod.ping_pong, rounds, out)
    expect(call.finished_within(20.0), f"ping_pong({rounds}) had not finished after 20 s.")
    call.result()
    expect(last_done.is_set() and endings.still_running == 0,
           "ping_pong returned while its threads were still running: join() both "
           "threads before returning.")
    check_order(out.values, rounds, spy.skipped_note(out.threads))


def test_zero_rounds_prints_nothing(mod):
    out = Recorder()
    call = Background(mod.ping_pong, 0, out)
    expect(call.finished_within(5.0), "ping_pong(0) did not return within 5 s.")
    call.result()
    expect(out.values == [], f"ping_pong(0) printed {out.values}.")
