"""Alternative: run drives asyncio.new_event_loop() with run_until_complete and closes it in finally; gather_all creates every task first and then awaits them in order; first_or_default uses asyncio.wait + cancel.

fetch parks on a loop future resolved by call_later instead of
asyncio.sleep; chain walks the steps with an explicit iterator.
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable


async def other() -> str:
    """Return "two"."""
    return "tw" + "o"


async def first(out: Callable[[str], Any] = print) -> None:
    """Emit "one", the result of ``other()``, then "three"."""
    middle = other()
    out("one")
    out(await middle)
    out("three")


def run(coro: Awaitable) -> Any:
    """Run ``coro`` on a fresh event loop, close the loop, return the result."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coro)
    finally:
        try:
            leftovers = asyncio.all_tasks(loop)
            for task in leftovers:
                task.cancel()
            if leftovers:
                loop.run_until_complete(
                    asyncio.gather(*leftovers, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
        finally:
            loop.close()


async def chain(value: Any, *steps: Callable[[Any], Awaitable]) -> Any:
    """Pass ``value`` through each async step in turn."""
    remaining = iter(steps)
    while True:
        step = next(remaining, None)
        if step is None:
            return value
        value = await step(value)


async def fetch(delay: float, value: Any) -> Any:
    """Wait ``delay`` seconds without blocking the loop, then return ``value``."""
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    handle = loop.call_later(max(delay, 0.0), done.set_result, value)
    try:
        return await done
    finally:
        handle.cancel()


async def gather_all(awaitables) -> list:
    """Await all concurrently; results in the given order."""
    tasks = [asyncio.ensure_future(aw) for aw in awaitables]   # all start now
    results = []
    for task in tasks:
        results.append(await task)
    return results


async def first_or_default(awaitable: Awaitable, timeout: float, default: Any) -> Any:
    """Result within ``timeout`` seconds, else cancel it and return ``default``."""
    task = asyncio.ensure_future(awaitable)
    try:
        done, _ = await asyncio.wait({task}, timeout=max(timeout, 0.0))
    except asyncio.CancelledError:
        task.cancel()                   # we were cancelled: don't leave it running
        raise
    if task in done:
        return task.result()
    task.cancel()
    await asyncio.wait({task})          # let the cancellation finish; never raises
    return default
