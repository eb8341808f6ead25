"""Hidden tests of topic 4, event_coordination: graded, never shipped to students."""

from __future__ import annotations

import threading
import time

import pytest

from probes import Background, Recorder, SleepSpy, code_stack, expect, fail
from schedule import Schedule


def started_workers(mod, n: int, go: threading.Event, out: Recorder) -> list:
    """start_workers(n, go, out), failing once it stops starting threads without returning.

    A start_workers that joins its workers starts them all, then waits: for
    a second (and twenty looks in a row) it neither starts a thread nor is
    inside Thread.start(), and the test fails then, not at its timeout. One
    whose workers busy-wait returns late on a loaded machine (each start waits
    for the spinning threads to let go of the GIL), but it is inside
    Thread.start() all that while; that mistake belongs to the CPU test.
    """
    call = Background(mod.start_workers, n, go, out)
    started, quiet_since, looks = threading.active_count(), time.monotonic(), 0
    deadline = quiet_since + 30.0
    while not call.finished_within(0.05):
        now = time.monotonic()
        if threading.active_count() != started or _starting_a_thread(call.thread):
            started, quiet_since, looks = threading.active_count(), now, 0
        looks += 1
        if (now - quiet_since > 1.0 and looks >= 20) or now > deadline:
            go.set()
            fail(f"start_workers({n}, ...) did not return before go was set: return the "
                 "started threads at once, don't join them there.")
    return call.result()


def _starting_a_thread(thread: threading.Thread) -> bool:
    """True while ``thread`` is inside threading's Thread.start()."""
    return any(code.co_name == "start" and code.co_filename == threading.__file__
               for code in code_stack(thread))


@pytest.mark.concept("workers_start_at_once")
def test_start_workers_edge_sizes(mod):
    go = threading.Event()
    expect(started_workers(mod, 0, go, Recorder()) == [],
           "start_workers(0, ...) must return [].")
    out = Recorder()
    threads = started_workers(mod, 1, go, out)
    go.set()
    for thread in threads:
        thread.join(2.0)
    expect(out.values == [0], f"start_workers(1, ...) called out with {out.values}.")


@pytest.mark.concept("worker_gets_its_index")
@pytest.mark.points(2)
def test_twelve_workers_each_once(mod):
    go = threading.Event()
    out = Recorder()
    threads = started_workers(mod, 12, go, out)
    expect(out.wait_for(1, 0.2) is False, "a worker called out() before go was set.")
    go.set()
    # Generous: twelve busy-waiting workers on a loaded machine take a while to
    # notice go, and that mistake belongs to the CPU test, not this one.
    out.wait_for(12, 10.0)
    for thread in threads:
        thread.join(3.0)
    expect(sorted(out.values) == list(range(12)),
           f"12 workers called out with {sorted(out.values)}.")


# As in the visible tests, the players' sleeps return at once (skip=True), so
# an order kept by sleeps fails every time rather than only under load.


def game(mod, rounds: int, *out: Recorder, timeout: float = 20.0,
         first_waits: float = 0.0) -> Schedule:
    """ping_pong(rounds, *out) with watched hand-overs: a deadlock fails at once."""
    with pytest.MonkeyPatch.context() as patch:
        schedule = Schedule(patch, mod, handover=True, first_waits=first_waits)
        call = Background(schedule.call, mod.ping_pong, rounds, *out)
        if not schedule.wait_for(call, timeout):
            stuck = schedule.stuck(call.thread)
            fail(f"ping_pong({rounds}) stopped: {'; '.join(stuck)} - and nobody can set "
                 "them." if stuck else f"ping_pong({rounds}) had not finished after "
                 f"{timeout:g} s.")
        call.result()
        # The lines are complete before they are checked, even when a player was
        # not joined (a visible test says so): one mistake, one failing test.
        for thread in schedule.started:
            thread.join(5.0)
    return schedule


@pytest.mark.concept("strict_alternation")
def test_ping_pong_default_out_is_print(mod, capsys, monkeypatch):
    SleepSpy(monkeypatch, mod, skip=True)
    game(mod, 2)
    printed = capsys.readouterr().out
    expect(printed == "ping\npong\nping\npong\n", f"ping_pong(2) printed {printed!r}.")


@pytest.mark.concept("strict_alternation")
def test_one_round(mod, monkeypatch):
    # Played many times: with one Event shared by both players, which one
    # wakes first is a coin toss, and a single game would grade it at random.
    # The first player started runs only once the other waits (or has ended):
    # players that run free, their order left to start order, print in the
    # same order every time, not the right one by the machine's grace. A
    # second of that waiting, in all, for players that wait on other things.
    SleepSpy(monkeypatch, mod, skip=True)
    budget = 1.0
    for _ in range(100):
        out = Recorder()
        budget = game(mod, 1, out, timeout=5.0, first_waits=budget).first_waits
        expect(out.values == ["ping", "pong"], f"ping_pong(1) emitted {out.values}.")


@pytest.mark.concept("events_not_sleeps")
@pytest.mark.points(3)
def test_a_thousand_rounds_in_order_without_sleeps(mod, monkeypatch):
    spy = SleepSpy(monkeypatch, mod, skip=True)
    out = Recorder()
    game(mod, 1000, out, timeout=30.0)
    expect(out.values == ["ping", "pong"] * 1000,
           "ping_pong(1000) did not strictly alternate ping, pong.")
    expect(not spy.by_threads(out.threads), "the players called time.sleep: hand the "
           "turn over with Events instead.")


@pytest.mark.concept("strict_alternation")
@pytest.mark.points(2)
def test_two_games_at_once(mod, monkeypatch):
    # Events kept at module level are shared by two games played at the same
    # time: one game's player takes the other's turn. Hand-overs let the woken
    # player run at once, so the steal happens on every run.
    SleepSpy(monkeypatch, mod, skip=True)
    schedule = Schedule(monkeypatch, mod, handover=True)
    outs = [Recorder(), Recorder()]
    games = [Background(schedule.call, mod.ping_pong, 100, out) for out in outs]
    finished = all(played.finished_within(5.0) for played in games)
    expect(finished, "two ping_pong(100) games played at the same time did not both end "
           "within 5 s: do they share Events? Make each call's Events inside the call.")
    for played in games:
        played.result()
    for thread in schedule.started:         # complete lines, joined or not (as in game)
        thread.join(5.0)
    expect(all(out.values == ["ping", "pong"] * 100 for out in outs),
           "two ping_pong games played at the same time did not each alternate ping, "
           "pong: they share state (module-level Events?). Make each call's Events "
           "inside the call.")
