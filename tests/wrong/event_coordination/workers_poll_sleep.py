"""Wrong: the workers poll go with `while not go.is_set(): time.sleep(0.01)` instead of go.wait().
Expect: start_workers: a worker waits with go.wait() and never asks is_set() in a loop, with or without a sleep (here is_set() is called every 10 ms and wait() never).
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable


def start_workers(n: int, go: threading.Event,
                  out: Callable[[int], Any]) -> list[threading.Thread]:
    """Start ``n`` workers that each wait for ``go``, then call ``out(i)``."""
    def worker(index: int) -> None:
        while not go.is_set():
            time.sleep(0.01)
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
