"""Wrong: the async version counts running downloads itself and waits for a free slot with `while running >= limit: time.sleep(0.01)`, which blocks the event loop, so no running download can ever finish.
Expect: download_all_async: never calls time.sleep inside the event loop; waits on an asyncio.Semaphore.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any, Awaitable, Callable


def download_all(urls: list, fetch: Callable[[Any], Any], limit: int) -> list:
    """``fetch(url)`` for every url in threads, at most ``limit`` at once; results in order.

    A fetch that raises frees its slot; after every download ended, the
    exception of the earliest failing url is raised.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit!r}")
    urls = list(urls)
    slots = threading.Semaphore(limit)
    results: list = [None] * len(urls)
    errors: list = [None] * len(urls)

    def download(index: int, url: Any) -> None:
        with slots:                         # released even when fetch raises
            try:
                results[index] = fetch(url)
            except Exception as exc:  # pylint: disable=broad-exception-caught
                errors[index] = exc

    threads = [threading.Thread(target=download, args=(i, url))
               for i, url in enumerate(urls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for error in errors:
        if error is not None:
            raise error
    return results


async def download_all_async(urls: list, fetch: Callable[[Any], Awaitable[Any]],
                             limit: int) -> list:
    """``await fetch(url)`` for every url as concurrent tasks, at most ``limit`` at once.

    Results in order; after every download ended, the exception of the
    earliest failing url is raised.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit!r}")
    running = 0

    async def download(url: Any) -> tuple[bool, Any]:
        nonlocal running
        while running >= limit:
            time.sleep(0.01)
        running += 1
        try:
            return True, await fetch(url)
        except Exception as exc:  # pylint: disable=broad-exception-caught
            return False, exc
        finally:
            running -= 1

    outcomes = await asyncio.gather(*(download(url) for url in urls))
    for ok, value in outcomes:
        if not ok:
            raise value
    return [value for _, value in outcomes]


if __name__ == "__main__":
    import time

    def slow_fetch(url: str) -> str:
        """A pretend download."""
        time.sleep(0.2)
        return f"<{url}>"

    async def slow_fetch_async(url: str) -> str:
        """A pretend download that lets the loop run meanwhile."""
        await asyncio.sleep(0.2)
        return f"<{url}>"

    pages = [f"page{i}" for i in range(6)]
    print(download_all(pages, slow_fetch, 2))
    print(asyncio.run(download_all_async(pages, slow_fetch_async, 3)))
