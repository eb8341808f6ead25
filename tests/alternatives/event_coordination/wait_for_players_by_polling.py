"""Alternative: ping_pong waits for its players by polling is_alive() with sleep (from time import sleep), and start_workers builds its threads with a generator.

The order comes from the two Events alone; the calling thread only sleeps
while it waits for both players to end, which is slower than join() but
right. Tests that make the players' sleeps no-ops must leave this caller's
sleeps alone.
"""

from __future__ import annotations

import threading
from time import sleep
from typing import Any, Callable


def start_workers(n: int, go: threading.Event,
                  out: Callable[[int], Any]) -> list[threading.Thread]:
    """Start ``n`` workers that each wait for ``go``, then call ``out(i)``."""
    def worker(index: int) -> None:
        if go.wait():
            out(index)

    threads = list(threading.Thread(target=worker, args=(i,), daemon=False)
                   for i in range(n))
    for thread in threads:
        thread.start()
    return threads


def ping_pong(rounds: int, out: Callable[[str], Any] = print) -> None:
    """Print ping/pong alternately from two threads, coordinated by Events."""
    turn = {"ping": threading.Event(), "pong": threading.Event()}
    other = {"ping": "pong", "pong": "ping"}

    def player(word: str) -> None:
        for _ in range(rounds):
            turn[word].wait()
            turn[word].clear()
            out(word)
            turn[other[word]].set()

    players = [threading.Thread(target=player, args=(word,)) for word in ("ping", "pong")]
    turn["ping"].set()
    for thread in players:
        thread.start()
    while any(thread.is_alive() for thread in players):
        sleep(0.002)
