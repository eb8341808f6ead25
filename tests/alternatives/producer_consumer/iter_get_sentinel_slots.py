"""Alternative: consumers loop `for job in iter(work.get, STOP)`; the producer is started among them; after joining (in reverse), the complete results queue fills a list of slots.

The producer's last message carries its count and any iteration error;
consumers may still send after it, so the caller joins every thread first
and only then takes every message off the results queue.
"""

from __future__ import annotations

import queue
import threading
from typing import Any, Callable, Iterable


def run_pipeline(items: Iterable[Any], handle: Callable[[Any], Any],
                 consumers: int = 3, maxsize: int = 2) -> list:
    """Handle every item on ``consumers`` threads fed by one producer; results in order."""
    if consumers < 1:
        raise ValueError(f"consumers={consumers}: need at least one")
    stop = object()
    work: queue.Queue = queue.Queue(maxsize)
    outbox: queue.Queue = queue.Queue()

    def producer() -> None:
        it = iter(items)
        position = 0
        problem = None
        while True:
            try:
                item = next(it)
            except StopIteration:
                break
            except BaseException as exc:  # pylint: disable=broad-exception-caught
                problem = exc
                break
            work.put((position, item))
            position += 1
        for _ in range(consumers):
            work.put(stop)
        outbox.put((-1, position, problem))

    def consumer() -> None:
        for position, item in iter(work.get, stop):
            try:
                outbox.put((position, "ok", handle(item)))
            except BaseException as exc:  # pylint: disable=broad-exception-caught
                outbox.put((position, "err", exc))

    threads = [threading.Thread(target=consumer, daemon=False) for _ in range(consumers)]
    threads.insert(consumers // 2, threading.Thread(target=producer))
    for thread in threads:
        thread.start()
    for thread in reversed(threads):
        thread.join()

    messages = [outbox.get() for _ in range(outbox.qsize())]
    total, problem = next((second, third) for first, second, third in messages if first == -1)
    slots: list[Any] = [None] * total
    for position, kind, value in messages:
        if position >= 0:
            slots[position] = (kind, value)
    for kind, value in slots:
        if kind == "err":
            raise value
    if problem is not None:
        raise problem
    return [value for _, value in slots]
