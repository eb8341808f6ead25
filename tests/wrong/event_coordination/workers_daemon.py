"""Wrong: start_workers makes daemon threads (daemon=True), so workers still waiting for go are killed when the main thread ends.
Expect: start_workers: every worker calls out(i) once go is set (here when the main thread sets go and ends, the interpreter kills the daemon workers before they call out).
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

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(n)]
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
