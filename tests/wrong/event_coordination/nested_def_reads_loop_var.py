"""Wrong: start_workers defines a nested worker inside the loop that copies the loop variable i on its first line, then starts it at once: it relies on the thread running before the loop advances.
Expect: start_workers: worker i calls out(i) for i = 0..n-1 (here a worker scheduled late reads a later i: indexes repeat or are missing).
"""

from __future__ import annotations

import threading
from typing import Any, Callable


def start_workers(n: int, go: threading.Event,
                  out: Callable[[int], Any]) -> list[threading.Thread]:
    """Start ``n`` workers that each wait for ``go``, then call ``out(i)``."""
    threads = []
    for i in range(n):
        def worker() -> None:
            index = i               # this worker's number
            go.wait()
            out(index)

        thread = threading.Thread(target=worker)
        thread.start()
        threads.append(thread)
    return threads


def ping_pong(rounds: int, out: Callable[[str], Any] = print) -> None:
    """Print ping/pong alternately from two threads, coordinated by Events."""
    ping_turn = threading.Event()
    pong_turn = threading.Event()

    def player(word: str, mine: threading.Event, theirs: threading.Event) -> None:
        for _ in range(rounds):
            mine.wait()
            mine.clear()
            out(word)
            theirs.set()

    ping = threading.Thread(target=player, args=("ping", ping_turn, pong_turn))
    pong = threading.Thread(target=player, args=("pong", pong_turn, ping_turn))
    ping.start()
    pong.start()
    ping_turn.set()                 # ping goes first
    ping.join()
    pong.join()
