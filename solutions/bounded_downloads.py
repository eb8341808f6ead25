"""Topic 9 - bounded_downloads: at most ``limit`` downloads at once, with threads and asyncio.

Lecture: "Threads" (thread primitives: Semaphores) and "Async" (I/O-bound
concurrency with asyncio).

A semaphore is a counter of free slots: ``acquire`` takes one (waiting while
there is none), ``release`` gives it back. ``Semaphore(limit)`` lets at most
``limit`` holders in at once - exactly what a polite downloader needs.

Build two functions:

* ``download_all(urls, fetch, limit)`` calls ``fetch(url)`` for every url in
  threads, with at most ``limit`` calls running at the same time - and
  exactly that many while enough urls are waiting: as soon as one download
  ends, the next one starts (no batches that wait for the slowest of a
  batch, no one-by-one). One thread per url guarded by a
  ``threading.Semaphore(limit)`` (or ``BoundedSemaphore``) is the lecture's
  way; a fixed set of ``limit`` worker threads is fine too. Every thread it
  started has ended (is joined) before it returns or raises. The results
  come back in the order of ``urls`` (not the order downloads finished),
  whatever they are (``None``, ``0`` and ``""`` are results too).
* ``async def download_all_async(urls, fetch, limit)``: the same with an
  async ``fetch``: at most ``limit`` awaits of ``fetch(url)`` at once,
  guarded by an ``asyncio.Semaphore(limit)``, all downloads run as tasks
  together (``asyncio.gather``). Nothing may block the event loop (no
  ``time.sleep``, no ``threading`` lock in a coroutine). Create the
  semaphore inside the call: one kept at module level (or cached between
  calls) is shared by calls that should not share it and, once used on one
  event loop, fails on the next ``asyncio.run``.

For both:

* A fetch that raises an exception (an ``Exception`` subclass) gives its
  slot back at once (``with semaphore:`` does that), and every other
  download still runs, ``limit`` at a time. When all downloads have ended,
  the exception of the earliest failing url in ``urls`` is raised (earliest
  in the list, not the first to happen in time). Nothing is cancelled.
* ``limit < 1`` raises ``ValueError`` before any download starts.
  ``limit >= len(urls)`` runs them all at once. ``[]`` returns ``[]``.
* Each call has its own semaphore: two calls at the same time (threads) or
  one after another (``asyncio.run`` twice) never share slots.

Importing this module must be silent and start nothing: no output, no
thread, no process, no event loop. ``BoundedSemaphore``, executors with
``max_workers=limit`` (shut down before returning), ``limit`` worker threads
or worker tasks taking urls from a queue, ``TaskGroup`` (when nothing is
cancelled), ``asyncio.wait`` refilling a window of tasks and validating
arguments are all fine: the tests check behaviour, not how it is written.

The tests hand in a ``fetch`` that counts the calls inside it at once and
returns only when the test lets it go. They check: that exactly ``limit``
downloads run at once, never more, never fewer; that a freed slot is taken
at once by the next url; the order of results; that a failing fetch frees
its slot, that the other downloads still run and which exception is raised;
that every thread has ended on return; that the async version never blocks
the loop, runs its downloads as concurrent tasks and works on a second
event loop and in two calls at once; the edge cases; that importing the
module starts nothing.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Awaitable, Callable


def download_all(urls: list, fetch: Callable[[Any], Any], limit: int) -> list:
    """``fetch(url)`` for every url in threads, at most ``limit`` at once; results in order.

    A fetch that raises frees its slot; after every download ended, the
    exception of the earliest failing url is raised.
    """
    ### BEGIN SOLUTION
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
    ### END SOLUTION


async def download_all_async(urls: list, fetch: Callable[[Any], Awaitable[Any]],
                             limit: int) -> list:
    """``await fetch(url)`` for every url as concurrent tasks, at most ``limit`` at once.

    Results in order; after every download ended, the exception of the
    earliest failing url is raised.
    """
    ### BEGIN SOLUTION
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit!r}")
    slots = asyncio.Semaphore(limit)        # made here, on the running loop

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
    ### END SOLUTION


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
