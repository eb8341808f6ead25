"""Topic 6 - asyncio_chain: coroutines and the event loop.

Lecture: "Async" and "Async Demo".

Build:

* ``other()`` returns ``"two"``; ``first(out)`` emits ``one``, then the
  awaited result of ``other()``, then ``three`` - the lecture's demo.
* ``run(coro)`` runs one coroutine on a fresh event loop, closes the loop and
  returns the result (``asyncio.run`` does exactly this).
* ``chain(value, *steps)`` awaits the async steps one after the other:
  ``value = await step(value)``; returns the final value.
* ``fetch(delay, value)`` is simulated I/O: it waits ``delay`` seconds WITHOUT
  blocking the loop (``await asyncio.sleep``, never ``time.sleep``).
* ``gather_all(awaitables)`` awaits them all concurrently and returns their
  results in the given order.
* ``first_or_default(awaitable, timeout, default)`` returns the result if it
  arrives within ``timeout`` seconds; otherwise cancels it and returns
  ``default``.

Nothing here may block the event loop: one blocking call stops every task.
Do not start an event loop when the module is imported.

The tests check: the demo's three lines; that ``run`` uses a new loop and
closes it; that chain's steps run in turn on the chained value; that nothing
calls ``time.sleep`` inside the loop; that ``gather_all`` runs everything at
once and keeps the order; that ``first_or_default`` cancels the slow
awaitable and returns promptly.
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable


async def other() -> str:
    """Return "two"."""
    ### BEGIN SOLUTION
    return "two"
    ### END SOLUTION


async def first(out: Callable[[str], Any] = print) -> None:
    """Emit "one", the result of ``other()``, then "three"."""
    ### BEGIN SOLUTION
    out("one")
    out(await other())
    out("three")
    ### END SOLUTION


def run(coro: Awaitable) -> Any:
    """Run ``coro`` on a fresh event loop, close the loop, return the result."""
    ### BEGIN SOLUTION
    return asyncio.run(coro)
    ### END SOLUTION


async def chain(value: Any, *steps: Callable[[Any], Awaitable]) -> Any:
    """Pass ``value`` through each async step in turn."""
    ### BEGIN SOLUTION
    for step in steps:
        value = await step(value)
    return value
    ### END SOLUTION


async def fetch(delay: float, value: Any) -> Any:
    """Wait ``delay`` seconds without blocking the loop, then return ``value``."""
    ### BEGIN SOLUTION
    await asyncio.sleep(delay)
    return value
    ### END SOLUTION


async def gather_all(awaitables) -> list:
    """Await all concurrently; results in the given order."""
    ### BEGIN SOLUTION
    return list(await asyncio.gather(*awaitables))
    ### END SOLUTION


async def first_or_default(awaitable: Awaitable, timeout: float, default: Any) -> Any:
    """Result within ``timeout`` seconds, else cancel it and return ``default``."""
    ### BEGIN SOLUTION
    try:
        return await asyncio.wait_for(awaitable, timeout)
    except asyncio.TimeoutError:
        return default
    ### END SOLUTION
