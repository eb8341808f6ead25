"""Alternative: a Thread subclass per url with a BoundedSemaphore taken by acquire() and given back in finally, results through a queue.Queue; asyncio.TaskGroup with an asyncio.BoundedSemaphore for asyncio.

Each download catches its own exception, so the TaskGroup cancels nothing.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from typing import Any, Awaitable, Callable


class Download(threading.Thread):
    """One url's download, waiting for a slot of the shared semaphore."""

    def __init__(self, index: int, url: Any, fetch: Callable[[Any], Any],
                 slots: threading.BoundedSemaphore, done: queue.Queue) -> None:
        super().__init__(name=f"download-{index}")
        self.index, self.url, self.fetch = index, url, fetch
        self.slots, self.done = slots, done

    def run(self) -> None:
        self.slots.acquire()
        try:
            self.done.put((self.index, True, self.fetch(self.url)))
        except Exception as exc:  # pylint: disable=broad-exception-caught
            self.done.put((self.index, False, exc))
        finally:
            self.slots.release()


def check_limit(limit: int) -> None:
    """Refuse a limit that lets nothing run."""
    if not isinstance(limit, int) or limit < 1:
        raise ValueError(f"limit must be a positive int, not {limit!r}")


def in_order(outcomes: dict[int, tuple[bool, Any]], count: int) -> list:
    """The values by index; raises the error of the lowest failing index."""
    failed = sorted(index for index, (ok, _) in outcomes.items() if not ok)
    if failed:
        raise outcomes[failed[0]][1]
    return [outcomes[index][1] for index in range(count)]


def download_all(urls: list, fetch: Callable[[Any], Any], limit: int) -> list:
    """``fetch(url)`` for every url in threads, at most ``limit`` at once; results in order."""
    check_limit(limit)
    done: queue.Queue = queue.Queue()
    slots = threading.BoundedSemaphore(limit)
    threads = [Download(i, url, fetch, slots, done) for i, url in enumerate(urls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcomes = {}
    while not done.empty():
        index, ok, value = done.get_nowait()
        outcomes[index] = (ok, value)
    return in_order(outcomes, len(threads))


async def download_all_async(urls: list, fetch: Callable[[Any], Awaitable[Any]],
                             limit: int) -> list:
    """``await fetch(url)`` for every url as tasks, at most ``limit`` at once."""
    check_limit(limit)
    slots = asyncio.BoundedSemaphore(limit)
    outcomes: dict[int, tuple[bool, Any]] = {}

    async def download(index: int, url: Any) -> None:
        await slots.acquire()
        try:
            outcomes[index] = (True, await fetch(url))
        except Exception as exc:  # pylint: disable=broad-exception-caught
            outcomes[index] = (False, exc)
        finally:
            slots.release()

    urls = list(urls)
    async with asyncio.TaskGroup() as group:
        for index, url in enumerate(urls):
            group.create_task(download(index, url))
    return in_order(outcomes, len(urls))
