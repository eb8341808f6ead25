"""Topic 6 - asyncio_chain: coroutines and the event loop.

Lecture: "Async" and "Async Demo".

Build:

* ``other()`` returns ``"two"``; ``first(out)`` emits ``one``, then the
  awaited result of ``other()``, then ``three`` - the lecture's demo.
* ``run(coro)`` makes a new event loop, runs the coroutine on it, closes the
  loop even when the coroutine raises, and returns the result. Nothing more
  of ``asyncio.run`` is required (``asyncio.run`` does all this).
* ``chain(value, *steps)`` awaits the async steps one after the other:
  ``value = await step(value)``; returns the final value.
* ``fetch(delay, value)`` is simulated I/O: it waits ``delay`` seconds WITHOUT
  blocking the loop (``await asyncio.sleep``, never ``time.sleep``).
* ``gather_all(awaitables)`` awaits them all concurrently and returns their
  results in the given order; the total time is that of the slowest, not the
  sum. If an awaitable raises, propagating the first exception or an
  ``ExceptionGroup`` are both fine, and so is cancelling the others or not.
* ``first_or_default(awaitable, timeout, default)`` returns the result if it
  arrives within ``timeout`` seconds; otherwise cancels it, waits for the
  cancellation to finish, and returns ``default`` promptly after
  ``timeout``. An exception the awaitable raises before the timeout
  propagates, except its own ``TimeoutError``, which you may take for the
  timeout, as ``asyncio.wait_for`` does. When ``first_or_default`` itself is
  cancelled from outside, the cancellation propagates (and the awaitable is
  cancelled too): never catch ``CancelledError`` to return ``default``.

Nothing here may block the event loop: one blocking call stops every task.
Importing this module must be silent and start nothing: no output, no
thread, no process, no event loop. Validating arguments is fine: the tests
check behaviour, not how it is written.

The tests check: the demo's three lines; that ``run`` uses a new loop and
closes it, also when the coroutine raises; that chain's steps run in turn on
the chained value; that nothing calls ``time.sleep`` inside the loop; that
``gather_all`` runs everything at once and keeps the order; that
``first_or_default`` cancels the slow awaitable, waits for the cancellation
to finish and returns promptly, and that an exception raised before the
timeout propagates; that importing the module starts nothing.
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable


async def other() -> str:
    """Return "two"."""
    raise NotImplementedError


async def first(out: Callable[[str], Any] = print) -> None:
    """Emit "one", the result of ``other()``, then "three"."""
    raise NotImplementedError


def run(coro: Awaitable) -> Any:
    """Run ``coro`` on a fresh event loop, close the loop, return the result.

    The loop is closed even when the coroutine raises.
    """
    raise NotImplementedError


async def chain(value: Any, *steps: Callable[[Any], Awaitable]) -> Any:
    """Pass ``value`` through each async step in turn."""
    raise NotImplementedError


async def fetch(delay: float, value: Any) -> Any:
    """Wait ``delay`` seconds without blocking the loop, then return ``value``."""
    raise NotImplementedError


async def gather_all(awaitables) -> list:
    """Await all concurrently; results in the given order.

    On a failure, raising the first exception or an ExceptionGroup are both fine.
    """
    raise NotImplementedError


async def first_or_default(awaitable: Awaitable, timeout: float, default: Any) -> Any:
    """Result within ``timeout`` seconds, else cancel it and return ``default``.

    Wait for the cancellation to finish before returning ``default``. An
    exception raised before the timeout propagates.
    """
    raise NotImplementedError
