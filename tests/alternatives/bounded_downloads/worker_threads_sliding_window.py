"""Alternative: a fixed set of min(limit, len(urls)) worker threads taking urls from a queue.Queue; for asyncio a sliding window of tasks refilled with asyncio.wait(FIRST_COMPLETED).

Neither uses a semaphore: the number of workers (or of pending tasks) is the limit.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from typing import Any, Awaitable, Callable


def download_all(urls: list, fetch: Callable[[Any], Any], limit: int) -> list:
    """``fetch(url)`` for every url on at most ``limit`` worker threads; results in order."""
    if limit < 1:
        raise ValueError("limit < 1")
    urls = list(urls)
    todo: queue.Queue = queue.Queue()
    for item in enumerate(urls):
        todo.put(item)
    results: list = [None] * len(urls)
    errors: dict[int, Exception] = {}
    lock = threading.Lock()

    def worker() -> None:
        while True:
            try:
                index, url = todo.get_nowait()
            except queue.Empty:
                return
            try:
                page = fetch(url)
            except Exception as exc:  # pylint: disable=broad-exception-caught
                with lock:
                    errors[index] = exc
            else:
                results[index] = page

    workers = [threading.Thread(target=worker, daemon=True)
               for _ in range(min(limit, len(urls)))]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    if errors:
        raise errors[min(errors)]
    return results


async def download_all_async(urls: list, fetch: Callable[[Any], Awaitable[Any]],
                             limit: int) -> list:
    """``await fetch(url)`` for every url, never more than ``limit`` tasks pending."""
    if limit < 1:
        raise ValueError("limit < 1")
    urls = list(urls)
    pending: dict[asyncio.Task, int] = {}
    finished: dict[int, asyncio.Task] = {}
    following = iter(enumerate(urls))
    while True:
        for index, url in following:
            pending[asyncio.ensure_future(fetch(url))] = index
            if len(pending) >= limit:
                break
        if not pending:
            break
        done, _ = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            finished[pending.pop(task)] = task
    errors = [finished[index].exception() for index in range(len(urls))]  # all retrieved
    for error in errors:
        if error is not None:
            raise error
    return [finished[index].result() for index in range(len(urls))]
