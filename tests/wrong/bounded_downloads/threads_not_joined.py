"""Wrong: download_all collects the pages from a queue (one get per url) and returns without joining its threads, which may still be running.
Expect: download_all: every thread it started has ended before it returns.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from typing import Any, Awaitable, Callable


def download_all(urls: list, fetch: Callable[[Any], Any], limit: int) -> list:
    """``fetch(url)`` for every url in threads, at most ``limit`` at once; results in order."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit!r}")
    urls = list(urls)
    slots = threading.Semaphore(limit)
    done: queue.Queue = queue.Queue()

    def download(index: int, url: Any) -> None:
        with slots:
            try:
                done.put((index, True, fetch(url)))
            except Exception as exc:  # pylint: disable=broad-exception-caught
                done.put((index, False, exc))

    for i, url in enumerate(urls):
        threading.Thread(target=download, args=(i, url)).start()
    outcomes = dict((index, (ok, value)) for index, ok, value in
                    (done.get() for _ in urls))
    for index in range(len(urls)):
        ok, value = outcomes[index]
        if not ok:
            raise value
    return [outcomes[index][1] for index in range(len(urls))]


async def download_all_async(urls: list, fetch: Callable[[Any], Awaitable[Any]],
                             limit: int) -> list:
    """``await fetch(url)`` for every url as concurrent tasks, at most ``limit`` at once."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit!r}")
    slots = asyncio.Semaphore(limit)

    async def download(url: Any) -> tuple[bool, Any]:
        async with slots:
            try:
                return True, await fetch(url)
            except Exception as exc:  # pylint: disable=broad-exception-caught
                return False, exc

    outcomes = await asyncio.gather(*(download(url) for url in urls))
    for ok, value in outcomes:
        if not ok:
            raise value
    return [value for _, value in outcomes]
