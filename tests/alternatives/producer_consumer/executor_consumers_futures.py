"""Alternative: a ThreadPoolExecutor runs the consumer loops and their futures carry the outcomes; the producer is a plain Thread.

Each consumer loop returns the list of (position, ok, value) it handled;
leaving the `with` block shuts the executor down and joins its threads.
The sentinel is a module-level constant (immutable, shared by design),
one per consumer, tested with `is`.
"""

from __future__ import annotations

import concurrent.futures
import queue
import threading
from typing import Any, Callable, Iterable

_SENTINEL = object()


def _consume(work: queue.Queue, handle: Callable[[Any], Any]) -> list[tuple[int, bool, Any]]:
    done = []
    while (job := work.get()) is not _SENTINEL:
        position, item = job
        try:
            done.append((position, True, handle(item)))
        except BaseException as exc:  # pylint: disable=broad-exception-caught
            done.append((position, False, exc))
    return done


def run_pipeline(items: Iterable[Any], handle: Callable[[Any], Any],
                 consumers: int = 3, maxsize: int = 2) -> list:
    """Handle every item on ``consumers`` threads fed by one producer; results in order."""
    if consumers < 1:
        raise ValueError("need at least one consumer")
    work: queue.Queue = queue.Queue(maxsize=maxsize)
    produced: dict[str, Any] = {"count": 0, "error": None}   # written by the producer only

    def produce() -> None:
        try:
            for position, item in enumerate(items):
                work.put((position, item))
                produced["count"] = position + 1
        except BaseException as exc:  # pylint: disable=broad-exception-caught
            produced["error"] = exc
        finally:
            for _ in range(consumers):
                work.put(_SENTINEL)

    with concurrent.futures.ThreadPoolExecutor(max_workers=consumers) as pool:
        futures = [pool.submit(_consume, work, handle) for _ in range(consumers)]
        producer = threading.Thread(target=produce)
        producer.start()
        producer.join()
        outcomes = sorted((entry for future in futures for entry in future.result()),
                          key=lambda entry: entry[0])
    for _, ok, value in outcomes:
        if not ok:
            raise value
    if produced["error"] is not None:
        raise produced["error"]
    return [value for _, _, value in outcomes]
