"""Alternative: consumers are started BEFORE the producer and poll with get(timeout=0.05), going on at queue.Empty; the producer is a Thread subclass; outcomes land in a list of slots under a Lock.

A timed get() that finds the queue empty is only a reason to look again:
the consumer still ends at its own sentinel and nothing else.
"""

from __future__ import annotations

import queue
import threading
from typing import Any, Callable, Iterable

_END = object()


class _Feeder(threading.Thread):
    """The producer: iterates the items in its own thread, then one _END per consumer."""

    def __init__(self, items: Iterable[Any], work: queue.Queue, consumers: int) -> None:
        super().__init__()
        self.items, self.work, self.consumers = items, work, consumers
        self.count = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            for item in self.items:
                self.work.put((self.count, item))
                self.count += 1
        except BaseException as exc:  # pylint: disable=broad-exception-caught
            self.error = exc
        finally:
            for _ in range(self.consumers):
                self.work.put(_END)


def run_pipeline(items: Iterable[Any], handle: Callable[[Any], Any],
                 consumers: int = 3, maxsize: int = 2) -> list:
    """Handle every item on ``consumers`` threads fed by one producer; results in order."""
    if consumers < 1:
        raise ValueError("consumers must be >= 1")
    work: queue.Queue = queue.Queue(maxsize)
    lock = threading.Lock()
    slots: dict[int, tuple[bool, Any]] = {}

    def consume() -> None:
        while True:
            try:
                job = work.get(timeout=0.05)
            except queue.Empty:
                continue
            if job is _END:
                break
            position, item = job
            try:
                outcome = (True, handle(item))
            except BaseException as exc:  # pylint: disable=broad-exception-caught
                outcome = (False, exc)
            with lock:
                slots[position] = outcome

    workers = [threading.Thread(target=consume, name=f"consumer-{i}") for i in range(consumers)]
    for worker in workers:
        worker.start()
    feeder = _Feeder(items, work, consumers)
    feeder.start()
    feeder.join()
    for worker in workers:
        worker.join()
    ordered = [slots[position] for position in range(feeder.count)]
    for ok, value in ordered:
        if not ok:
            raise value
    if feeder.error is not None:
        raise feeder.error
    return [value for _, value in ordered]
