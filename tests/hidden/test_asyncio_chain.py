"""Hidden tests of topic 6, asyncio_chain: graded, never shipped to students."""

from __future__ import annotations

import asyncio
import time

import pytest

from probes import AsyncRendezvous, SleepSpy, describe_exception, expect, fail, on_time


def fetches_at_once(mod, n: int, delay: float) -> tuple[list, float]:
    """fetch(delay, i) for i in range(n), gathered: the values and the seconds it took."""
    async def scenario():
        started = time.monotonic()
        values = await asyncio.gather(*(mod.fetch(delay, i) for i in range(n)))
        return values, time.monotonic() - started

    return asyncio.run(scenario())


@pytest.mark.concept("run_on_fresh_loop")
def test_run_returns_and_raises(mod):
    async def answer():
        await asyncio.sleep(0)
        return 42

    async def boom():
        raise KeyError("inside")

    expect(mod.run(answer()) == 42, "run(coro) must return the coroutine's result.")
    with pytest.raises(KeyError):
        mod.run(boom())


@pytest.mark.concept("await_in_sequence")
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


@pytest.mark.concept("no_blocking_calls")
@pytest.mark.points(2)
def test_ten_fetches_overlap(mod, monkeypatch):
    spy = SleepSpy(monkeypatch, mod)
    values, elapsed = on_time(lambda: fetches_at_once(mod, 10, 0.1), lambda got: got[1] < 0.7)
    expect(not spy.in_loop(), "fetch called time.sleep inside the event loop.")
    expect(values == list(range(10)), f"fetch returned {values!r}.")
    expect(elapsed < 0.7, f"ten fetch(0.1) together took {elapsed:.2f} s.")
    expect(asyncio.run(mod.fetch(0, "now")) == "now", "fetch(0, 'now') must return 'now'.")


@pytest.mark.concept("gather_together_in_order")
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


@pytest.mark.concept("result_within_timeout")
def test_first_or_default_keeps_falsy_results(mod):
    async def zero():
        return 0

    value = asyncio.run(mod.first_or_default(zero(), 1.0, "default"))
    expect(value == 0, f"a result of 0 arrived in time, yet first_or_default returned "
           f"{value!r}: return the result, even when it is falsy.")


@pytest.mark.concept("cancel_on_timeout")
@pytest.mark.points(2)
def test_first_or_default_cancels_a_task(mod):
    async def scenario():
        task = asyncio.ensure_future(asyncio.sleep(3.0, result="late"))
        started = time.monotonic()
        value = await mod.first_or_default(task, 0.1, None)
        elapsed = time.monotonic() - started
        await asyncio.sleep(0.05)
        return value, elapsed, task.cancelled()

    value, elapsed, cancelled = on_time(lambda: asyncio.run(scenario()),
                                       lambda got: got[1] < 1.0, unless_over=2.0)
    expect(value is None and elapsed < 1.0, f"first_or_default(task, 0.1, None) returned "
           f"{value!r} after {elapsed:.2f} s.")
    expect(cancelled, "the slow task was not cancelled after the timeout.")


@pytest.mark.concept("run_on_fresh_loop")
def test_run_closes_its_loop_when_the_coroutine_raises(mod):
    seen = []

    async def boom():
        seen.append(asyncio.get_running_loop())
        raise KeyError("inside")

    try:
        mod.run(boom())
    except KeyError:
        pass
    else:
        fail("the coroutine raised KeyError, yet run() returned: let it propagate.")
    expect(seen and seen[0].is_closed(), "run() left its event loop open when the coroutine "
           "raised: close the loop in a `finally:` (asyncio.run does).")


@pytest.mark.concept("result_within_timeout")
def test_first_or_default_lets_an_early_error_through(mod):
    async def broken():
        await asyncio.sleep(0.01)
        raise ValueError("broken before the timeout")

    try:
        value = asyncio.run(mod.first_or_default(broken(), 2.0, "default"))
    except ValueError:
        return
    except Exception as exc:  # pylint: disable=broad-exception-caught
        fail(f"the awaitable raised ValueError and first_or_default raised "
             f"{describe_exception(exc)}.")
    fail(f"the awaitable raised ValueError long before the timeout, and first_or_default "
         f"returned {value!r}: only the timeout gives the default - an error propagates.")


@pytest.mark.concept("cancel_on_timeout")
@pytest.mark.points(2)
def test_first_or_default_waits_for_the_cancellation_to_finish(mod):
    state = {"cleaned": False}

    async def slow_to_cancel():
        try:
            await asyncio.sleep(5.0)
        except asyncio.CancelledError:
            await asyncio.sleep(0.1)        # cleaning up takes a while
            state["cleaned"] = True
            raise

    async def scenario():
        value = await mod.first_or_default(slow_to_cancel(), 0.05, "default")
        return value, state["cleaned"]

    value, cleaned = asyncio.run(scenario())
    expect(value == "default", f"first_or_default returned {value!r}, expected 'default'.")
    expect(cleaned, "first_or_default returned before the cancelled awaitable had finished "
           "cancelling: after cancel(), await the task (asyncio.wait_for does) so its "
           "clean-up is over when you return.")


@pytest.mark.concept("cancel_on_timeout")
@pytest.mark.points(2)
def test_cancelling_first_or_default_cancels_it(mod):
    state = {"inner": False}

    async def slow():
        try:
            await asyncio.sleep(5.0)
        except asyncio.CancelledError:
            state["inner"] = True
            raise

    async def scenario():
        task = asyncio.ensure_future(mod.first_or_default(slow(), 3.0, "default"))
        await asyncio.sleep(0.05)
        task.cancel()
        try:
            outcome = await asyncio.wait_for(task, 2.0)
        except asyncio.CancelledError:
            return "cancelled"
        except asyncio.TimeoutError:
            return "still running"
        return f"returned {outcome!r}"

    outcome = asyncio.run(scenario())
    expect(outcome == "cancelled", f"first_or_default was cancelled from outside and "
           f"{outcome}: a cancellation that is not yours must propagate - never catch "
           "CancelledError to return the default.")
    expect(state["inner"], "first_or_default was cancelled, but the awaitable it waited for "
           "kept running.")


@pytest.mark.concept("gather_together_in_order")
def test_gather_all_raises_when_an_awaitable_raises(mod):
    async def fine():
        await asyncio.sleep(0.01)
        return 1

    async def broken():
        await asyncio.sleep(0.01)
        raise ValueError("one failed")

    try:
        values = asyncio.run(mod.gather_all([fine(), broken(), fine()]))
    except ValueError:
        return
    except BaseExceptionGroup as group:  # noqa: F821  # pylint: disable=undefined-variable
        expect(group.subgroup(ValueError) is not None,
               f"gather_all raised an ExceptionGroup without the ValueError: {group!r}.")
        return
    fail(f"an awaitable raised ValueError and gather_all returned {values!r}: raise it "
         "(or an ExceptionGroup holding it), don't hand exceptions back as results.")


@pytest.mark.concept("gather_together_in_order")
@pytest.mark.points(2)
def test_gather_all_runs_forty_at_once(mod):
    meet = AsyncRendezvous(40)
    values = asyncio.run(mod.gather_all([meet.part(i) for i in range(40)]))
    expect(not meet.alone, f"{len(meet.alone)} of 40 awaitables waited alone: gather_all "
           "ran them a few at a time, not all together on the loop.")
    expect(values == [f"result {i}" for i in range(40)], "gather_all of 40 did not keep order.")


@pytest.mark.concept("no_blocking_calls")
@pytest.mark.points(2)
def test_the_loop_keeps_ticking(mod):
    # A heartbeat beside the module's coroutines: any blocking call (not only
    # time.sleep) stalls it for the whole wait. 1 s waits; a gap of 0.6 s fails.
    async def scenario():
        beats: list[float] = []

        async def heartbeat():
            while True:
                beats.append(time.monotonic())
                await asyncio.sleep(0.01)

        ticking = asyncio.ensure_future(heartbeat())
        await asyncio.sleep(0.02)
        results = await asyncio.gather(
            mod.gather_all([mod.fetch(1.0, "a"), mod.fetch(1.0, "b")]),
            mod.first_or_default(mod.fetch(5.0, "late"), 1.0, "default"))
        ticking.cancel()
        gaps = [b - a for a, b in zip(beats, beats[1:])]
        return results, max(gaps, default=0.0)

    results, gap = on_time(lambda: asyncio.run(scenario()), lambda got: got[1] < 0.6,
                           unless_over=3.0)
    expect(results == [["a", "b"], "default"], f"gather_all of two fetches and "
           f"first_or_default of a slow fetch gave {results!r}.")
    expect(gap < 0.6, f"a heartbeat task beside fetch, gather_all and first_or_default "
           f"stopped for {gap:.2f} s: something blocked the event loop. Every wait "
           "inside async def must be awaited (asyncio.sleep), never a blocking call.")


@pytest.mark.concept("no_blocking_calls")
@pytest.mark.points(2)
def test_a_hundred_fetches_at_once(mod, monkeypatch):
    # A fetch that sleeps in a thread pool (run_in_executor) leaves the loop
    # free but waits its turn for a thread: 100 of them take several delays.
    spy = SleepSpy(monkeypatch, mod)
    values, elapsed = on_time(lambda: fetches_at_once(mod, 100, 0.2), lambda got: got[1] < 0.7,
                              unless_over=2.0)
    expect(values == list(range(100)), "100 fetches at once did not return their values.")
    threads = len(spy.calls)
    expect(elapsed < 0.7, f"100 fetch(0.2) at once took {elapsed:.2f} s: they queued up "
           f"{'for the threads of a pool (time.sleep in run_in_executor) ' if threads else ''}"
           "instead of all waiting together. `await asyncio.sleep(delay)` costs no thread.")


@pytest.mark.concept("result_within_timeout")
def test_first_or_default_with_no_time_at_all(mod):
    async def scenario():
        done = asyncio.get_running_loop().create_future()
        done.set_result("ready")
        ready = await mod.first_or_default(done, 0, "default")
        pending = asyncio.ensure_future(asyncio.sleep(3.0, result="late"))
        late = await mod.first_or_default(pending, 0, "default")
        await asyncio.sleep(0.05)
        return ready, late, pending.cancelled()

    ready, late, cancelled = asyncio.run(scenario())
    expect(ready == "ready", f"first_or_default(an already finished future, 0, 'default') "
           f"returned {ready!r}: a result that is already there arrived in time.")
    expect(late == "default" and cancelled, f"first_or_default(a pending task, 0, "
           f"'default') returned {late!r} and {'cancelled' if cancelled else 'did not cancel'} "
           "the task: with no time left, cancel it and return the default.")
