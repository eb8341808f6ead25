"""Alternative: run uses asyncio.Runner, gather_all waits with asyncio.wait(return_when=FIRST_EXCEPTION) and cancels the rest on a failure, first_or_default arms a loop.call_later timer that cancels the task, and fetch passes the value through asyncio.sleep(delay, result=...).

first_or_default awaits the task itself; when its CancelledError comes
from the timer (and the current task is not being cancelled, per
Task.cancelling()), the timeout has passed and the cancellation has
already finished, so it returns ``default``. An outer cancellation reaches
the awaitable through the await and is re-raised. gather_all raises the
exception of the earliest failed awaitable (in the given order) as soon as
any has failed, after cancelling and awaiting the ones still pending.
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
    for produce in (lambda: "one", None, lambda: "three"):
        out(await other() if produce is None else produce())


def run(coro: Awaitable) -> Any:
    """Run ``coro`` on a fresh event loop, close the loop, return the result."""
    with asyncio.Runner() as runner:
        return runner.run(coro)


async def chain(value: Any, *steps: Callable[[Any], Awaitable]) -> Any:
    """Pass ``value`` through each async step in turn."""
    todo = list(steps)
    while todo:
        value = await todo.pop(0)(value)
    return value


async def fetch(delay: float, value: Any) -> Any:
    """Wait ``delay`` seconds without blocking the loop, then return ``value``."""
    return await asyncio.sleep(delay, result=value)


async def _cancel_all(tasks) -> None:
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.wait(tasks)


async def gather_all(awaitables) -> list:
    """Await all concurrently; results in the given order."""
    tasks = [asyncio.ensure_future(aw) for aw in awaitables]
    if not tasks:
        return []
    try:
        done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    except BaseException:
        for task in tasks:              # we are being cancelled: take them along
            task.cancel()
        raise
    failed = [task for task in tasks
              if task in done and not task.cancelled() and task.exception() is not None]
    if failed:
        await _cancel_all(pending)
        raise failed[0].exception()
    return [task.result() for task in tasks]


async def first_or_default(awaitable: Awaitable, timeout: float, default: Any) -> Any:
    """Result within ``timeout`` seconds, else cancel it and return ``default``."""
    task = asyncio.ensure_future(awaitable)
    expired = False

    def expire() -> None:
        nonlocal expired
        if not task.done():
            expired = True
            task.cancel()

    timer = asyncio.get_running_loop().call_later(max(timeout, 0.0), expire)
    try:
        value = await task
    except asyncio.CancelledError:
        current = asyncio.current_task()
        if expired and not (current is not None and current.cancelling()):
            return default
        raise
    finally:
        timer.cancel()
    return default if expired else value
