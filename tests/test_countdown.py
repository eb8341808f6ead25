"""Visible tests of topic 1, countdown: run `make check T=countdown`."""

from __future__ import annotations

import re
import threading
import time

import pytest

from probes import (Background, CountingEvent, Recorder, SleepSpy, check_silent_import,
                    expect, fail, outcome, plural, run_script)
from schedule import Schedule

LINES = ["Counting down 3", "Counting down 2", "Counting down 1"]


def lines_for(count: int) -> list[str]:
    """The lines a countdown from ``count`` must print."""
    return [f"Counting down {n}" for n in range(count, 0, -1)]


def check_lines(got: list, want: list) -> None:
    """Fail unless ``got`` is ``want``, naming an off-by-one when it looks like one."""
    if got == want:
        return
    if len(got) == len(want) + 1 or len(got) == len(want) - 1:
        fail(f"expected {want}, got {got}: an off-by-one in the loop? "
             "n goes from count down to 1.")
    fail(f"expected the lines {want}, got {got}: check the text "
         "(f\"Counting down {n}\") and the order.")


@pytest.mark.concept("lines_and_count")
@pytest.mark.points(2)
def test_lines_and_return_value(mod):
    out = Recorder()
    returned = mod.countdown(3, 0.01, out)
    check_lines(out.values, LINES)
    expect(returned == 3, f"countdown(3, ...) emitted 3 lines but returned {returned!r}: "
           "it must return how many lines it emitted.")


@pytest.mark.concept("lines_and_count")
def test_nothing_for_zero_or_negative_count(mod):
    for count in (0, -2):
        out = Recorder()
        returned = mod.countdown(count, 0.01, out)
        expect(out.values == [], f"countdown({count}, ...) emitted {out.values}: "
               "a count of 0 or less emits nothing.")
        expect(returned == 0, f"countdown({count}, ...) returned {returned!r}, not 0.")


def smallest_gap(mod, interval: float) -> float:
    """countdown(3, interval): check the lines, return the shortest time between two."""
    out = Recorder()
    mod.countdown(3, interval, out)
    check_lines(out.values, LINES)
    return min(b.at - a.at for a, b in zip(out.calls, out.calls[1:]))


@pytest.mark.concept("wait_after_each_line")
def test_waits_between_lines(mod):
    gap = smallest_gap(mod, 0.1)
    expect(gap >= 0.08, f"lines came {gap:.3f} s apart with interval=0.1: "
           "countdown must wait `interval` seconds after each line.")


@pytest.mark.concept("wait_on_stop")
@pytest.mark.points(2)
def test_stop_ends_a_long_wait_at_once(mod):
    stop = threading.Event()
    out = Recorder()
    call = Background(mod.countdown, 5, 5.0, out, stop)
    if not out.wait_for(1, 3.0, call):
        fail(f"countdown(5, 5.0, out, stop) emitted no line: it {outcome(call)}.")
    time.sleep(0.05)                      # let it settle into its 5 s wait
    stop.set()
    if not call.finished_within(1.0):
        fail("countdown was still waiting 1 s after stop was set (interval=5 s): "
             "time.sleep(interval) can't be interrupted - wait with "
             "stop.wait(interval), which returns as soon as stop is set.")
    call.result()
    check_lines(out.values, ["Counting down 5"])
    expect(call.value == 1, f"countdown emitted 1 line before stop but returned {call.value!r}.")


@pytest.mark.concept("no_line_after_stop")
@pytest.mark.points(2)
def test_no_line_after_stop_is_set(mod):
    stop = threading.Event()

    def on_call(index, _line):
        if index == 1:                    # stop while the 2nd line is being emitted
            stop.set()

    out = Recorder(on_call)
    call = Background(mod.countdown, 5, 0.01, out, stop)
    expect(call.finished_within(3.0), "countdown did not return within 3 s of stop being set.")
    call.result()
    extra = len(out.values) - 2
    expect(extra <= 0, f"stop was set during line 2, yet {plural(extra, 'more line')} "
           "followed: check stop after each wait, before emitting the next line "
           "(`if stop.wait(interval): break`).")
    check_lines(out.values, lines_for(5)[:2])
    expect(call.value == 2, f"countdown emitted 2 lines but returned {call.value!r}.")


@pytest.mark.concept("no_line_after_stop")
def test_stop_set_before_start_emits_nothing(mod):
    stop = threading.Event()
    stop.set()
    out = Recorder()
    returned = mod.countdown(3, 0.01, out, stop)
    expect(out.values == [], f"stop was already set, yet countdown emitted {out.values}: "
           "check stop before the first line too.")
    expect(returned == 0, f"countdown emitted nothing but returned {returned!r}.")


@pytest.mark.concept("returns_at_once")
@pytest.mark.points(3)
def test_start_countdown_returns_a_started_thread_at_once(mod):
    caller = threading.get_ident()
    release = threading.Event()
    held_too_long = threading.Event()

    def on_call(_index, _line):
        # The countdown's thread is held on its first line until start_countdown
        # has returned: a start_countdown that waits for it waits 1.5 s.
        if threading.get_ident() != caller and not release.wait(1.5):
            held_too_long.set()

    out = Recorder(on_call)
    thread = mod.start_countdown(2, 0.01, out)
    release.set()
    if caller in out.threads:
        fail("the countdown ran in the calling thread, not in a new one: "
             "Thread(target=countdown(...)) calls countdown right away, and "
             "thread.run() runs it in your thread - pass target=countdown, "
             "args=(...), then call thread.start().")
    expect(isinstance(thread, threading.Thread),
           f"start_countdown returned {thread!r}: it must return the Thread it started.")
    expect(not held_too_long.is_set(),
           "start_countdown did not return while the countdown was running: "
           "it must return the started thread at once - don't join() it there.")
    expect(thread.ident is not None, "the returned thread was never started: "
           "call thread.start() before returning it.")
    thread.join(3.0)
    expect(not thread.is_alive(), "the countdown thread was still running 3 s "
           "after a 2-line countdown with interval 0.01 started.")
    check_lines(out.values, lines_for(2))
    expect(out.threads == {thread.ident}, "the lines were emitted by a thread other "
           "than the one start_countdown returned.")


@pytest.mark.concept("function_as_thread")
def test_start_countdown_passes_stop_on(mod):
    stop = threading.Event()
    out = Recorder()
    call = Background(mod.start_countdown, 4, 5.0, out, stop)
    if not call.finished_within(3.0):
        stop.set()
        fail("start_countdown(4, 5.0, out, stop) had not returned after 3 s: it must "
             "start the thread and return it at once - no join() there, and "
             "target=countdown, args=(...) rather than target=countdown(...).")
    thread = call.result()
    expect(out.wait_for(1, 3.0), "start_countdown(4, 5.0, out, stop): no line within 3 s: "
           "did you start the thread?")
    stop.set()
    thread.join(1.0)
    expect(not thread.is_alive(), "the countdown thread kept running 1 s after stop "
           "was set: pass stop on to countdown (args=(count, interval, out, stop)).")
    check_lines(out.values, ["Counting down 4"])


@pytest.mark.concept("wait_after_each_line")
def test_waits_after_the_last_line_too(mod):
    out = Recorder()
    started = time.monotonic()
    mod.countdown(2, 0.15, out)
    elapsed = time.monotonic() - started
    check_lines(out.values, lines_for(2))
    expect(elapsed >= 0.28, f"countdown(2, 0.15) returned after {elapsed:.2f} s: the wait "
           "follows every line, the last one too (countdown(3, 1.0) takes about 3 s).")


@pytest.mark.concept("wait_after_each_line")
def test_an_interval_shorter_than_any_step(mod):
    gap = smallest_gap(mod, 0.03)
    expect(gap >= 0.025, f"with interval=0.03 the lines came {gap:.3f} s apart: "
           "wait exactly `interval` - a wait made of fixed steps (0.1 s each, say) "
           "waits nothing, or too long, when interval is not a multiple of the step.")


@pytest.mark.concept("wait_on_stop")
@pytest.mark.points(2)
def test_never_deaf_to_stop_for_more_than_a_fifth_of_a_second(mod, monkeypatch):
    # "Promptly" must hold at every moment of a wait, not on average: record
    # every sleep (and every timed wait on an Event of its own) the countdown
    # makes while stop could be set.
    spy = SleepSpy(monkeypatch, mod)
    schedule = Schedule(monkeypatch, mod)
    stop = CountingEvent()
    out = Recorder()
    call = Background(mod.countdown, 1, 0.3, out, stop)
    expect(call.finished_within(5.0), "countdown(1, 0.3, out, stop) did not return in 5 s.")
    call.result()
    deaf = [s for s in spy.by_threads({call.thread.ident}) if s > 0.2]
    deaf += [t for thread, t in schedule.timed_waits if thread is call.thread and t > 0.2]
    expect(not deaf, f"countdown slept {max(deaf, default=0):g} s at a stretch while stop "
           "could be set: stop would then go unnoticed that long. Nothing may sleep "
           "longer than 0.2 s - wait on stop itself (stop.wait(interval)), which "
           "returns the moment it is set.")
    expect(not stop.cleared_by, "countdown called stop.clear(): stop belongs to the caller; "
           "only look at it.")
    check_lines(out.values, lines_for(1))


@pytest.mark.concept("import_is_silent")
def test_importing_the_module_is_silent(mod, target_dir):
    check_silent_import(target_dir, "countdown", lambda: mod.countdown(0, 0.0, Recorder()))


LIFETIME = """
import os, sys
sys.stdout = open(os.devnull, "w")       # what the import prints is another test's business
import countdown
sys.stdout = sys.__stdout__
countdown.start_countdown(2, 0.1, lambda line: print(f"<{line}>", flush=True))
"""


@pytest.mark.concept("runs_independently")
def test_the_countdown_outlives_the_main_thread(target_dir):
    stdout, _, _ = run_script(target_dir, LIFETIME, timeout=5.0)
    lines = re.findall(r"<(Counting down \d+)>", stdout)
    expect(lines == lines_for(2),
           f"a program that calls start_countdown(2, 0.1, ...) and then ends printed "
           f"{lines}: a daemon thread is killed when the main thread ends, "
           "mid-countdown. Leave daemon at its default (False).")
