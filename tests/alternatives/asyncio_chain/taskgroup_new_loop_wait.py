"""Alternative: gather_all runs the awaitables in an asyncio.TaskGroup (3.11+), first_or_default uses asyncio.ensure_future + asyncio.wait(timeout=...) then cancels the task and awaits it until the cancellation has finished, and run uses asyncio.new_event_loop() + run_until_complete + close() in finally.

gather_all wraps each awaitable (coroutine or Task) in a small coroutine so
the TaskGroup can own it; when one raises, the group cancels the others
and raises an ExceptionGroup. first_or_default awaits the cancelled task
and takes its CancelledError as the expected end of the cancellation -
unless the current task is itself being cancelled (Task.cancelling()),
which is always re-raised; an outer cancellation also cancels the
awaitable. chain is a reduce-like loop over an accumulator. run does not
install its loop as the current one, and closes it whatever happened.
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
    second = await other()
    out(second)
    out("three")


def run(coro: Awaitable) -> Any:
    """Run ``coro`` on a fresh event loop, close the loop, return the result."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coro)
    finally:
        try:
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            loop.close()


async def chain(value: Any, *steps: Callable[[Any], Awaitable]) -> Any:
    """Pass ``value`` through each async step in turn."""
    accumulator = value
    for step in steps:
        accumulator = await step(accumulator)
    return accumulator


async def fetch(delay: float, value: Any) -> Any:
    """Wait ``delay`` seconds without blocking the loop, then return ``value``."""
    await asyncio.sleep(delay)
    return value


async def _settle(awaitable: Awaitable) -> Any:
    return await awaitable


async def gather_all(awaitables) -> list:
    """Await all concurrently; results in the given order."""
    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(_settle(aw)) for aw in awaitables]
    return [task.result() for task in tasks]


async def first_or_default(awaitable: Awaitable, timeout: float, default: Any) -> Any:
    """Result within ``timeout`` seconds, else cancel it and return ``default``."""
    task = asyncio.ensure_future(awaitable)
    try:
        done, _pending = await asyncio.wait({task}, timeout=timeout)
    except BaseException:
        task.cancel()                   # we are being cancelled: take it along
        raise
    if task in done:
        return task.result()            # its value, or the exception it raised
    task.cancel()
    try:
        await task                      # until the cancellation has finished
    except asyncio.CancelledError:
        current = asyncio.current_task()
        if current is not None and current.cancelling():
            raise                       # an outer cancellation: never swallow it
    return default
