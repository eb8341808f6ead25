"""Alternative: workers are closures made by a factory, and ping_pong is a relay of one fresh Event per line (2*rounds+1 Events, none ever cleared).

Line k waits for batons[k], is emitted, then sets batons[k + 1]; ping owns
the even lines and pong the odd ones, so the order is forced by the Events
alone. The main thread hands over the first baton after both have started.
"""

from __future__ import annotations

import threading
from typing import Any, Callable


def _make_worker(index: int, go: threading.Event,
                 out: Callable[[int], Any]) -> Callable[[], None]:
    def worker() -> None:
        go.wait()
        out(index)
    return worker


def start_workers(n: int, go: threading.Event,
                  out: Callable[[int], Any]) -> list[threading.Thread]:
    """Start ``n`` workers that each wait for ``go``, then call ``out(i)``."""
    threads = [threading.Thread(target=_make_worker(i, go, out))
               for i in range(n)]
    for thread in threads:
        thread.start()
    return threads


def ping_pong(rounds: int, out: Callable[[str], Any] = print) -> None:
    """Print ping/pong alternately from two threads, coordinated by Events."""
    batons = [threading.Event() for _ in range(2 * max(rounds, 0) + 1)]

    def runner(word: str, first_line: int) -> None:
        for line in range(first_line, 2 * rounds, 2):
            batons[line].wait()
            out(word)
            batons[line + 1].set()

    ping = threading.Thread(target=runner, args=("ping", 0), name="ping")
    pong = threading.Thread(target=runner, args=("pong", 1), name="pong")
    pong.start()
    ping.start()
    batons[0].set()
    pong.join()
    ping.join()
