"""Wrong: the players count their lines in a do-while loop that stops when `said == rounds`, checked after each line, so ping_pong(0) never stops.
Expect: ping_pong(0) emits nothing and returns after both threads finish (here the players alternate forever and it never returns).
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
    ping_turn = threading.Event()
    pong_turn = threading.Event()

    def player(word: str, mine: threading.Event, theirs: threading.Event) -> None:
        said = 0
        while True:
            mine.wait()
            mine.clear()
            out(word)
            theirs.set()
            said += 1
            if said == rounds:
                break

    ping = threading.Thread(target=player, args=("ping", ping_turn, pong_turn))
    pong = threading.Thread(target=player, args=("pong", pong_turn, ping_turn))
    ping.start()
    pong.start()
    ping_turn.set()                 # ping goes first
    ping.join()
    pong.join()
