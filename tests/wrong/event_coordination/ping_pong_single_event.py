"""Wrong: ping_pong uses one shared Event for both players, so whichever thread wakes first prints.
Expect: ping_pong: the lines strictly alternate ping, pong, ... (here one word repeats).
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
    turn = threading.Event()

    def player(word: str, mine: threading.Event, theirs: threading.Event) -> None:
        for _ in range(rounds):
            mine.wait()
            mine.clear()
            out(word)
            theirs.set()

    ping = threading.Thread(target=player, args=("ping", turn, turn))
    pong = threading.Thread(target=player, args=("pong", turn, turn))
    ping.start()
    pong.start()
    turn.set()                      # ping goes first
    ping.join()
    pong.join()
