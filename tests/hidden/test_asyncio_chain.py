"""Hidden tests of topic 6, asyncio_chain: graded, never shipped to students."""

from __future__ import annotations

import asyncio
import time

import pytest

from probes import AsyncRendezvous, SleepSpy, expect


def test_run_returns_and_raises(mod):
    async def answer():
        await asyncio.sleep(0)
        return 42

    async def boom():
        raise KeyError("inside")

    expect(mod.run(answer()) == 42, "run(coro) must return the coroutine's result.")
    with pytest.raises(KeyError):
        mod.run(boom())


def test_chain_of_three_steps(mod):
    async def upper(s):
        return s.upper()

    async def exclaim(s):
        await asyncio.sleep(0)
        return s + "!"

    async def twice(s):
        return s * 2

    value = asyncio.run(mod.chain("hi", upper, exclaim, twice))
    expect(value == "HI!HI!", f"chain('hi', upper, exclaim, twice) returned {value!r}.")


@pytest.mark.points(2)
def test_ten_fetches_overlap(mod, monkeypatch):
    spy = SleepSpy(monkeypatch, mod)

    async def scenario():
        started = time.monotonic()
        values = await asyncio.gather(*(mod.fetch(0.1, f"v{i}") for i in range(10)))
        return values, time.monotonic() - started

    values, elapsed = asyncio.run(scenario())
    expect(not spy.in_loop(), "fetch called time.sleep inside the event loop.")
    expect(values == [f"v{i}" for i in range(10)], f"fetch returned {values!r}.")
    expect(elapsed < 0.7, f"ten fetch(0.1) together took {elapsed:.2f} s.")
    expect(asyncio.run(mod.fetch(0, "now")) == "now", "fetch(0, 'now') must return 'now'.")


@pytest.mark.points(2)
def test_gather_all_with_tasks_and_coroutines(mod):
    meet = AsyncRendezvous(6)

    async def scenario():
        tasks = [asyncio.ensure_future(meet.part(i)) for i in range(3)]
        return await mod.gather_all(tasks + [meet.part(i) for i in range(3, 6)])

    values = asyncio.run(scenario())
    expect(not meet.alone, "gather_all did not run all six awaitables together.")
    expect(values == [f"result {i}" for i in range(6)], f"gather_all returned {values!r}.")
    expect(asyncio.run(mod.gather_all([])) == [], "gather_all([]) must return [].")


def test_first_or_default_keeps_falsy_results(mod):
    async def zero():
        return 0

    value = asyncio.run(mod.first_or_default(zero(), 1.0, "default"))
    expect(value == 0, f"a result of 0 arrived in time, yet first_or_default returned "
           f"{value!r}: return the result, even when it is falsy.")


@pytest.mark.points(2)
def test_first_or_default_cancels_a_task(mod):
    async def scenario():
        task = asyncio.ensure_future(asyncio.sleep(3.0, result="late"))
        started = time.monotonic()
        value = await mod.first_or_default(task, 0.1, None)
        elapsed = time.monotonic() - started
        await asyncio.sleep(0.05)
        return value, elapsed, task.cancelled()

    value, elapsed, cancelled = asyncio.run(scenario())
    expect(value is None and elapsed < 1.0, f"first_or_default(task, 0.1, None) returned "
           f"{value!r} after {elapsed:.2f} s.")
    expect(cancelled, "the slow task was not cancelled after the timeout.")
