"""Wrong: start_workers creates each thread with `target=lambda: worker(i)` and starts it in the same loop iteration, so i is read whenever the new thread first runs: usually before the loop moves on, but not always.
Expect: start_workers: worker i calls out(i) for i = 0..n-1 (here a thread that gets the CPU only after the loop advanced calls out with a later index, and one index repeats).
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

    threads = []
    for i in range(n):
        thread = threading.Thread(target=lambda: worker(i))
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
