"""Alternative: Thread subclasses as actors, ONE sentinel that each consumer puts back for the next, results read while the threads run.

The producer and the consumers are classes with their own inbox/outbox;
the only shared things are the two queues. The caller reads outcomes off
the results queue with blocking get() as they come, until the producer's
count and that many outcomes have arrived, then joins every actor.
"""

from __future__ import annotations

import queue
import threading
from typing import Any, Callable, Iterable


class _Stop:  # pylint: disable=too-few-public-methods
    """The sentinel's class: nothing else is ever an instance of it."""


class _Producer(threading.Thread):
    def __init__(self, items: Iterable[Any], outbox: queue.Queue, report: queue.Queue) -> None:
        super().__init__(name="producer")
        self.items, self.outbox, self.report = items, outbox, report

    def run(self) -> None:
        count = 0
        problem: BaseException | None = None
        try:
            for item in self.items:
                self.outbox.put((count, item))
                count += 1
        except BaseException as exc:  # pylint: disable=broad-exception-caught
            problem = exc
        finally:
            self.outbox.put(_Stop())              # one sentinel, passed along
            self.report.put(("count", count, problem))


class _Consumer(threading.Thread):
    def __init__(self, handle: Callable[[Any], Any], inbox: queue.Queue,
                 report: queue.Queue) -> None:
        super().__init__(name="consumer")
        self.handle, self.inbox, self.report = handle, inbox, report

    def run(self) -> None:
        while True:
            job = self.inbox.get()
            if isinstance(job, _Stop):
                self.inbox.put(job)               # for the next consumer
                return
            position, item = job
            try:
                value = self.handle(item)
            except BaseException as exc:  # pylint: disable=broad-exception-caught
                self.report.put(("error", position, exc))
            else:
                self.report.put(("value", position, value))


def run_pipeline(items: Iterable[Any], handle: Callable[[Any], Any],
                 consumers: int = 3, maxsize: int = 2) -> list:
    """Handle every item on ``consumers`` threads fed by one producer; results in order."""
    if not isinstance(consumers, int) or consumers < 1:
        raise ValueError("consumers must be a positive int")
    work: queue.Queue = queue.Queue(maxsize)
    report: queue.Queue = queue.Queue()
    actors: list[threading.Thread] = [_Producer(items, work, report)]
    actors.extend(_Consumer(handle, work, report) for _ in range(consumers))
    for actor in actors:
        actor.start()
    values: dict[int, Any] = {}
    errors: dict[int, BaseException] = {}
    expected: int | None = None
    problem: BaseException | None = None
    try:
        while expected is None or len(values) + len(errors) < expected:
            kind, first, second = report.get()
            if kind == "count":
                expected, problem = first, second
            elif kind == "error":
                errors[first] = second
            else:
                values[first] = second
    finally:
        for actor in actors:
            actor.join()
    if errors:
        raise errors[min(errors)]
    if problem is not None:
        raise problem
    return [values[position] for position in range(len(values))]
