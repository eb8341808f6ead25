"""Wrong: ping_pong orders the lines with time.sleep (pong starts 1 ms late, each player sleeps 2 ms per line) instead of Events.
Expect: ping_pong: no sleep decides the order; 1000 rounds finish well under a second (here at least 2 s).
"""

from __future__ import annotations

import threading
import time
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
    def player(word: str, head_start: float) -> None:
        time.sleep(head_start)      # pong starts half a beat after ping
        for _ in range(rounds):
            out(word)
            time.sleep(0.002)

    ping = threading.Thread(target=player, args=("ping", 0.0))
    pong = threading.Thread(target=player, args=("pong", 0.001))
    ping.start()
    pong.start()
    ping.join()
    pong.join()
