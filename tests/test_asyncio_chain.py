"""Visible tests of topic 6, asyncio_chain: run `make check T=asyncio_chain`."""

from __future__ import annotations

import asyncio
import inspect
import time

import pytest

from probes import (AsyncRendezvous, AsyncSleepSpy, Recorder, SleepSpy, check_silent_import,
                    expect, fail, on_time)


def no_blocking(spy: SleepSpy, what: str) -> None:
    """Fail if ``what`` called time.sleep inside the event loop, which stalls every task."""
    blocked = spy.in_loop()
    expect(not blocked, f"{what} called time.sleep({blocked[0] if blocked else ''}) inside "
           "the event loop: that blocks every task on the loop. Use "
           "`await asyncio.sleep(...)`.")


@pytest.mark.concept("await_a_coroutine")
@pytest.mark.points(2)
def test_first_prints_the_demo_lines(mod, monkeypatch):
    spy = SleepSpy(monkeypatch, mod)
    out = Recorder()
    asyncio.run(mod.first(out))
    lines = out.values
    if len(lines) == 3 and (inspect.iscoroutine(lines[1]) or "coroutine" in str(lines[1])):
        fail("the second line was a coroutine object, not 'two': calling other() only "
             "creates a coroutine - write `await other()`.")
    expect(lines == ["one", "two", "three"], f"first(out) emitted {lines}, expected "
           "['one', 'two', 'three'].")
    no_blocking(spy, "first()")


@pytest.mark.concept("await_a_coroutine")
def test_other_returns_two(mod):
    value = asyncio.run(mod.other())
    expect(value == "two", f"await other() gave {value!r}, expected 'two'.")


@pytest.mark.concept("run_on_fresh_loop")
@pytest.mark.points(2)
def test_run_uses_a_fresh_loop_and_closes_it(mod):
    async def running_loop():
        await asyncio.sleep(0)
        return asyncio.get_running_loop()

    current = asyncio.new_event_loop()
    asyncio.set_event_loop(current)
    try:
        first_loop = mod.run(running_loop())
        second_loop = mod.run(running_loop())
    finally:
        asyncio.set_event_loop(None)
        current.close()
    expect(isinstance(first_loop, asyncio.AbstractEventLoop),
           f"run(coro) returned {first_loop!r} instead of the coroutine's result.")
    expect(first_loop is not current and first_loop is not second_loop,
           "run() reused an existing event loop: create a new one each time "
           "(asyncio.run does, or asyncio.new_event_loop()).")
    expect(first_loop.is_closed(), "run() left its event loop open: close it when the "
           "coroutine is done (asyncio.run does that for you).")


@pytest.mark.concept("await_in_sequence")
@pytest.mark.points(2)
def test_chain_runs_steps_one_after_the_other(mod):
    log: list[str] = []

    def step(name, func):
        async def run_step(value):
            log.append(f"start {name}")
            await asyncio.sleep(0.01)
            log.append(f"end {name}")
            return func(value)
        return run_step

    add_one, double = step("add_one", lambda v: v + 1), step("double", lambda v: v * 2)
    value = asyncio.run(mod.chain(3, add_one, double))
    expect(log == ["start add_one", "end add_one", "start double", "end double"],
           f"the steps ran as {log}: each step must finish before the next starts "
           "(value = await step(value), one after the other).")
    expect(value == 8, f"chain(3, add_one, double) returned {value!r}, expected 8: pass "
           "each step the value the previous one returned.")
    expect(asyncio.run(mod.chain("same")) == "same", "chain(value) with no steps must "
           "return value.")


@pytest.mark.concept("no_blocking_calls")
@pytest.mark.points(3)
def test_fetch_waits_without_blocking_the_loop(mod, monkeypatch):
    spy = SleepSpy(monkeypatch, mod)

    async def five_fetches():
        started = time.monotonic()
        values = await asyncio.gather(*(mod.fetch(0.2, i) for i in range(5)))
        return values, time.monotonic() - started

    values, elapsed = on_time(lambda: asyncio.run(five_fetches()), lambda got: got[1] < 0.8)
    no_blocking(spy, "fetch()")
    expect(values == [0, 1, 2, 3, 4], f"fetch(delay, value) returned {values!r} for "
           "values 0..4.")
    expect(elapsed < 0.8, f"five fetch(0.2, ...) run together took {elapsed:.2f} s: "
           "they should overlap (about 0.2 s). Something in fetch blocks the loop.")
    expect(elapsed >= 0.18, f"fetch(0.2, ...) returned after {elapsed:.2f} s: it must "
           "wait `delay` seconds.")


@pytest.mark.concept("gather_together_in_order")
@pytest.mark.points(3)
def test_gather_all_runs_together_and_keeps_order(mod, monkeypatch):
    spy = SleepSpy(monkeypatch, mod)
    meet = AsyncRendezvous(4)
    values = asyncio.run(mod.gather_all([meet.part(i) for i in range(4)]))
    no_blocking(spy, "gather_all()")
    expect(not meet.alone, f"{len(meet.alone)} of 4 awaitables started while the others "
           "had not: gather_all awaited them one by one. asyncio.gather(*awaitables) "
           "runs them together.")
    want = [f"result {i}" for i in range(4)]
    if values == list(reversed(want)):
        fail(f"gather_all returned {values}: that is the order they finished in. "
             "Return the results in the order the awaitables were given.")
    expect(values == want, f"gather_all returned {values!r}, expected {want!r}.")


@pytest.mark.concept("result_within_timeout")
def test_first_or_default_returns_a_quick_result(mod, monkeypatch):
    spy = SleepSpy(monkeypatch, mod)

    async def quick():
        await asyncio.sleep(0.01)
        return "quick"

    async def scenario():
        started = time.monotonic()
        value = await mod.first_or_default(quick(), 2.0, "default")
        return value, time.monotonic() - started

    value, elapsed = on_time(lambda: asyncio.run(scenario()), lambda got: got[1] < 1.0)
    no_blocking(spy, "first_or_default()")
    expect(value == "quick", f"first_or_default(quick(), 2.0, 'default') returned "
           f"{value!r}: the awaitable finished in time, so return its result.")
    expect(elapsed < 1.0, f"first_or_default took {elapsed:.2f} s for a 0.01 s awaitable: "
           "return as soon as the result is there, not after the full timeout.")


@pytest.mark.concept("cancel_on_timeout")
@pytest.mark.points(3)
def test_first_or_default_cancels_a_slow_awaitable(mod, monkeypatch):
    spy = SleepSpy(monkeypatch, mod)
    naps = AsyncSleepSpy(monkeypatch, mod)
    state = {"cancelled": False, "finished": False}

    async def slow():
        try:
            await asyncio.sleep(3.0)
            state["finished"] = True
            return "slow"
        except asyncio.CancelledError:
            state["cancelled"] = True
            raise

    async def scenario():
        state.update(cancelled=False, finished=False)
        started = time.monotonic()
        value = await mod.first_or_default(slow(), 0.1, "default")
        elapsed = time.monotonic() - started
        await asyncio.sleep(0.05)       # let a requested cancellation land
        return value, elapsed

    value, elapsed = on_time(lambda: asyncio.run(scenario()), lambda got: got[1] < 1.0,
                             unless_over=2.0)
    no_blocking(spy, "first_or_default()")
    expect(value == "default", f"first_or_default(slow(), 0.1, 'default') returned "
           f"{value!r}: after the timeout it must return the default.")
    expect(elapsed < 1.0, f"first_or_default(slow(), 0.1, ...) took {elapsed:.2f} s: it "
           "waited for the slow result. asyncio.wait_for(aw, timeout) gives up on time.")
    expect(state["cancelled"] and not state["finished"],
           "the slow awaitable was not cancelled when the timeout passed: it kept "
           "running in the background. Cancel it (asyncio.wait_for does).")
    long_naps = [delay for delay in naps.delays if delay > 0.2]
    expect(not long_naps, f"first_or_default(slow(), 0.1, ...) slept "
           f"{max(long_naps, default=0):g} s at a stretch (asyncio.sleep): meanwhile it "
           "notices neither the result nor the deadline, so the default comes late. Wait "
           "on the awaitable itself with the timeout (asyncio.wait_for, or "
           "asyncio.wait(..., timeout=...)).")


@pytest.mark.concept("import_is_silent")
def test_importing_the_module_is_silent(mod, target_dir):
    check_silent_import(target_dir, "asyncio_chain", lambda: asyncio.run(mod.other()))
