"""Alternative: a ThreadPoolExecutor of limit workers for threads; limit worker tasks sharing an asyncio.Queue for asyncio (no semaphore at all).

The executor's ``with`` block shuts it down (joining its threads) before the
results are read or an error propagates; ``map`` keeps the order of urls and
raises the earliest url's error.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Awaitable, Callable


def download_all(urls: list, fetch: Callable[[Any], Any], limit: int) -> list:
    """``fetch(url)`` for every url on ``limit`` worker threads; results in order."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    urls = list(urls)
    if not urls:
        return []
    with ThreadPoolExecutor(max_workers=min(limit, len(urls))) as pool:
        futures = [pool.submit(fetch, url) for url in urls]
    return [future.result() for future in futures]


async def download_all_async(urls: list, fetch: Callable[[Any], Awaitable[Any]],
                             limit: int) -> list:
    """``await fetch(url)`` for every url on ``limit`` worker tasks; results in order."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    urls = list(urls)
    todo: asyncio.Queue = asyncio.Queue()
    for index, url in enumerate(urls):
        todo.put_nowait((index, url))
    outcomes: dict[int, tuple[bool, Any]] = {}

    async def worker() -> None:
        while True:
            try:
                index, url = todo.get_nowait()
            except asyncio.QueueEmpty:
                return
            try:
                outcomes[index] = (True, await fetch(url))
            except Exception as exc:  # pylint: disable=broad-exception-caught
                outcomes[index] = (False, exc)

    await asyncio.gather(*(worker() for _ in range(min(limit, len(urls)))))
    for index in range(len(urls)):
        ok, value = outcomes[index]
        if not ok:
            raise value
    return [outcomes[index][1] for index in range(len(urls))]
