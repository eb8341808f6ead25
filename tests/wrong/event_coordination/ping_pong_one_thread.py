"""Wrong: ping_pong prints both words from one thread.
Expect: ping_pong: 'ping' and 'pong' come from two different threads (here the same one).
"""

from __future__ import annotations

import threading
from typing import Any, Callable


def start_workers(n: int, go: threading.Event,
                  out: Callable[[int], Any]) -> list[threading.Thread]:
    """Start ``n`` workers that each wait for ``go``, then call ``out(i)``."""
    def worker(index: int) -> None:
        go.wait()
        out(index)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    return threads


def ping_pong(rounds: int, out: Callable[[str], Any] = print) -> None:
    """Print ping/pong alternately from two threads, coordinated by Events."""
    def player() -> None:
        for _ in range(rounds):
            out("ping")
            out("pong")

    thread = threading.Thread(target=player)
    thread.start()
    thread.join()
