"""Wrong: no sentinels: the producer sets a `finished` Event after the last item, and consumers loop `while not finished.is_set()` with get(timeout=...).
Expect: every item is handled exactly once (here items still waiting in the queue when the producer finishes are never handled: KeyError).
"""

from __future__ import annotations

import queue
import threading
from typing import Any, Callable, Iterable


def run_pipeline(items: Iterable[Any], handle: Callable[[Any], Any],
                 consumers: int = 3, maxsize: int = 2) -> list:
    """Handle every item on ``consumers`` threads fed by one producer; results in order.

    The producer puts one unique sentinel per consumer after the last item.
    Every thread ends before this returns or raises; if ``handle`` raised,
    the exception of the earliest such item is raised then.
    """
    if consumers < 1:
        raise ValueError(f"consumers must be at least 1, not {consumers!r}")
    work: queue.Queue = queue.Queue(maxsize)
    results: queue.Queue = queue.Queue()       # (position, (ok, value)), ("end", (count, error))
    finished = threading.Event()               # set by the producer after the last item

    def produce() -> None:
        count, error = 0, None
        try:
            for item in items:
                work.put((count, item))
                count += 1
        except BaseException as exc:  # pylint: disable=broad-exception-caught
            error = exc
        finally:
            finished.set()
            results.put(("end", (count, error)))

    def consume() -> None:
        while not finished.is_set():
            try:
                position, item = work.get(timeout=0.01)
            except queue.Empty:
                continue
            try:
                results.put((position, (True, handle(item))))
            except BaseException as exc:  # pylint: disable=broad-exception-caught
                results.put((position, (False, exc)))

    threads = [threading.Thread(target=produce)]
    threads += [threading.Thread(target=consume) for _ in range(consumers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    outcomes = dict(results.get() for _ in range(results.qsize()))
    count, error = outcomes.pop("end")
    failed = [value for ok, value in map(outcomes.get, range(count)) if not ok]
    if failed or error is not None:
        raise failed[0] if failed else error
    return [outcomes[position][1] for position in range(count)]
