"""Alternative: run uses asyncio.Runner, gather_all uses asyncio.wait(ALL_COMPLETED) over indexed tasks, first_or_default uses the asyncio.timeout() context manager (3.11+).

fetch passes the value through asyncio.sleep(delay, result=value); chain is
a reduce-like loop over the steps with a running accumulator.
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable


async def other() -> str:
    """Return "two"."""
    await asyncio.sleep(0)
    return "two"


async def first(out: Callable[[str], Any] = print) -> None:
    """Emit "one", the result of ``other()``, then "three"."""
    for line in ("one", None, "three"):
        out(line if line is not None else await other())


def run(coro: Awaitable) -> Any:
    """Run ``coro`` on a fresh event loop, close the loop, return the result."""
    with asyncio.Runner() as runner:
        return runner.run(coro)


async def chain(value: Any, *steps: Callable[[Any], Awaitable]) -> Any:
    """Pass ``value`` through each async step in turn."""
    accumulator = value
    index = 0
    while index < len(steps):
        accumulator = await steps[index](accumulator)
        index += 1
    return accumulator


async def fetch(delay: float, value: Any) -> Any:
    """Wait ``delay`` seconds without blocking the loop, then return ``value``."""
    return await asyncio.sleep(delay, result=value)


async def gather_all(awaitables) -> list:
    """Await all concurrently; results in the given order."""
    indexed = [(position, asyncio.ensure_future(aw))
               for position, aw in enumerate(awaitables)]
    if not indexed:
        return []
    await asyncio.wait({task for _, task in indexed},
                       return_when=asyncio.ALL_COMPLETED)
    results: list[Any] = [None] * len(indexed)
    for position, task in indexed:
        results[position] = task.result()   # earliest failure (in order) raises
    return results


async def first_or_default(awaitable: Awaitable, timeout: float, default: Any) -> Any:
    """Result within ``timeout`` seconds, else cancel it and return ``default``."""
    try:
        async with asyncio.timeout(timeout):
            return await awaitable
    except TimeoutError:
        return default
