"""Wrong: gather_all runs each awaitable on a loop of its own with loop.run_in_executor(ThreadPoolExecutor(4), asyncio.run, aw), so at most four run at a time.
Expect: gather_all: the total time is that of the slowest, not the sum (here ten awaitables of d seconds take 3 * d; awaitables tied to the caller's loop fail).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from typing import Any, Awaitable, Callable


async def other() -> str:
    """Return "two"."""
    return "two"


async def first(out: Callable[[str], Any] = print) -> None:
    """Emit "one", the result of ``other()``, then "three"."""
    out("one")
    out(await other())
    out("three")


def run(coro: Awaitable) -> Any:
    """Run ``coro`` on a fresh event loop, close the loop, return the result."""
    return asyncio.run(coro)


async def chain(value: Any, *steps: Callable[[Any], Awaitable]) -> Any:
    """Pass ``value`` through each async step in turn."""
    for step in steps:
        value = await step(value)
    return value


async def fetch(delay: float, value: Any) -> Any:
    """Wait ``delay`` seconds without blocking the loop, then return ``value``."""
    await asyncio.sleep(delay)
    return value


async def gather_all(awaitables) -> list:
    """Await all concurrently; results in the given order."""
    loop = asyncio.get_running_loop()
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        futures = [loop.run_in_executor(pool, asyncio.run, aw) for aw in awaitables]
        return list(await asyncio.gather(*futures))


async def first_or_default(awaitable: Awaitable, timeout: float, default: Any) -> Any:
    """Result within ``timeout`` seconds, else cancel it and return ``default``."""
    try:
        return await asyncio.wait_for(awaitable, timeout)
    except asyncio.TimeoutError:
        return default
