"""Hidden tests of topic 1, countdown: graded, never shipped to students."""

from __future__ import annotations

import threading

import pytest

from probes import Background, Recorder, expect, fail


def lines_for(count: int) -> list[str]:
    """The lines a countdown from ``count`` must print."""
    return [f"Counting down {n}" for n in range(count, 0, -1)]


@pytest.mark.concept("lines_and_count")
@pytest.mark.points(2)
def test_other_counts(mod):
    for count in (1, 7):
        out = Recorder()
        returned = mod.countdown(count, 0.001, out)
        expect(out.values == lines_for(count), f"countdown({count}, ...) emitted {out.values}.")
        expect(returned == count, f"countdown({count}, ...) returned {returned!r}.")


@pytest.mark.concept("lines_and_count")
def test_default_out_is_print(mod, capsys):
    mod.countdown(2, 0.001)
    printed = capsys.readouterr().out
    expect(printed == "Counting down 2\nCounting down 1\n",
           f"countdown(2, 0.001) printed {printed!r}: out must default to print.")


@pytest.mark.concept("lines_and_count")
def test_stop_never_set_gives_full_count(mod):
    out = Recorder()
    returned = mod.countdown(4, 0.001, out, threading.Event())
    expect(out.values == lines_for(4) and returned == 4,
           f"with a stop that is never set, countdown(4, ...) emitted {out.values} and "
           f"returned {returned!r}.")


@pytest.mark.concept("no_line_after_stop")
@pytest.mark.points(2)
def test_stop_during_third_line(mod):
    stop = threading.Event()

    def on_call(index, _line):
        if index == 2:
            stop.set()

    out = Recorder(on_call)
    call = Background(mod.countdown, 6, 0.02, out, stop)
    expect(call.finished_within(3.0), "countdown did not return within 3 s of stop.")
    returned = call.result()
    expect(out.values == lines_for(6)[:3], f"stop was set during line 3, yet the lines "
           f"were {out.values}.")
    expect(returned == 3, f"countdown emitted 3 lines but returned {returned!r}.")


@pytest.mark.concept("function_as_thread")
def test_start_countdown_with_stop_already_set(mod):
    stop = threading.Event()
    stop.set()
    out = Recorder()
    thread = mod.start_countdown(3, 0.5, out, stop)
    thread.join(1.0)
    expect(not thread.is_alive(), "with stop already set, the countdown thread was "
           "still running after 1 s.")
    expect(out.values == [], f"with stop already set, the thread emitted {out.values}.")


@pytest.mark.concept("function_as_thread")
def test_start_countdown_gives_a_new_thread_each_call(mod):
    # The emitting Thread objects themselves are kept: a countdown that ends at
    # once (no wait) would let the second thread reuse the first one's ident.
    emitters: list[threading.Thread] = []
    out = Recorder(lambda _index, _line: emitters.append(threading.current_thread()))
    stop = threading.Event()
    calls = []
    for _ in range(2):
        call = Background(mod.start_countdown, 1, 5.0, out, stop)
        if not call.finished_within(3.0):
            stop.set()
            fail("start_countdown(1, 5.0, out, stop) had not returned after 3 s: it must "
                 "return the started thread at once.")
        calls.append(call.result())
    # pylint sees only the empty list: the loop above appended exactly two.
    first, second = calls  # pylint: disable=unbalanced-tuple-unpacking
    both = out.wait_for(2, 3.0)
    stop.set()
    first.join(2.0)
    second.join(2.0)
    expect(first is not second, "two calls of start_countdown returned the same thread.")
    expect(both and out.values == ["Counting down 1"] * 2
           and len({id(thread) for thread in emitters}) == 2,
           "two countdowns of one line each did not emit one line each from two threads.")


@pytest.mark.concept("wait_after_each_line")
def test_the_default_interval_is_one_second(mod):
    # countdown and start_countdown side by side, neither given an interval:
    # each second line comes about 1 s after the first (then stop ends both).
    stop = threading.Event()
    outs = [Recorder(), Recorder()]
    call = Background(mod.countdown, 2, out=outs[0], stop=stop)
    started = Background(mod.start_countdown, 2, out=outs[1], stop=stop)
    try:
        both = all(out.wait_for(2, 2.5) for out in outs)
    finally:
        stop.set()
    call.finished_within(2.0)
    if started.finished_within(2.0) and started.error is None:
        started.value.join(2.0)
    gaps = [out.calls[1].at - out.calls[0].at for out in outs if len(out.calls) >= 2]
    expect(both and all(0.8 <= gap <= 1.6 for gap in gaps),
           f"countdown(2, out=..., stop=...) and start_countdown(2, out=..., stop=...) "
           f"gave lines {[round(g, 2) for g in gaps]} s apart: interval defaults to 1.0 "
           "seconds in both.")
