"""Wrong: run makes a new loop, run_until_complete, then loop.close() with no try/finally, so the loop stays open when the coroutine raises.
Expect: run closes the loop even when the coroutine raises (here the exception propagates and the loop is left open).
"""

from __future__ import annotations

import asyncio
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
    loop = asyncio.new_event_loop()
    result = loop.run_until_complete(coro)
    loop.close()
    return result


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
    return list(await asyncio.gather(*awaitables))


async def first_or_default(awaitable: Awaitable, timeout: float, default: Any) -> Any:
    """Result within ``timeout`` seconds, else cancel it and return ``default``."""
    try:
        return await asyncio.wait_for(awaitable, timeout)
    except asyncio.TimeoutError:
        return default
