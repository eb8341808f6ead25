"""Wrong: first_or_default catches every Exception around wait_for and returns default, so an error raised before the timeout is hidden.
Expect: first_or_default: an exception raised by the awaitable before the timeout propagates (here a ValueError raised at once gives default).
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
    return list(await asyncio.gather(*awaitables))


async def first_or_default(awaitable: Awaitable, timeout: float, default: Any) -> Any:
    """Result within ``timeout`` seconds, else cancel it and return ``default``."""
    try:
        return await asyncio.wait_for(awaitable, timeout)
    except Exception:  # pylint: disable=broad-exception-caught
        return default
