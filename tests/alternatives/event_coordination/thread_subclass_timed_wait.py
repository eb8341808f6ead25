"""Alternative: Thread-subclass workers that wait with `while not go.wait(0.05): pass`, and a ping_pong driven by a list of two Events indexed by turn.

The timed wait sleeps inside Event.wait and only wakes every 50 ms to loop
again, so it does not burn CPU. In ping_pong, player k waits on turns[k],
clears it, speaks, and sets turns[1 - k]; the pong thread is started first.
"""

from __future__ import annotations

import threading
from typing import Any, Callable


class _Worker(threading.Thread):
    def __init__(self, index: int, go: threading.Event,
                 out: Callable[[int], Any]) -> None:
        super().__init__(name=f"worker-{index}")
        self.index = index
        self.go = go
        self.out = out

    def run(self) -> None:
        while not self.go.wait(0.05):
            pass
        self.out(self.index)


def start_workers(n: int, go: threading.Event,
                  out: Callable[[int], Any]) -> list[threading.Thread]:
    """Start ``n`` workers that each wait for ``go``, then call ``out(i)``."""
    workers: list[threading.Thread] = []
    for index in range(n):
        worker = _Worker(index, go, out)
        worker.start()
        workers.append(worker)
    return workers


def ping_pong(rounds: int, out: Callable[[str], Any] = print) -> None:
    """Print ping/pong alternately from two threads, coordinated by Events."""
    turns = [threading.Event(), threading.Event()]
    words = ("ping", "pong")

    def player(k: int) -> None:
        for _ in range(rounds):
            turns[k].wait()
            turns[k].clear()
            out(words[k])
            turns[1 - k].set()

    players = [threading.Thread(target=player, args=(k,)) for k in (0, 1)]
    turns[0].set()                      # ping's turn before anyone runs
    for thread in reversed(players):   # pong starts first and must wait
        thread.start()
    for thread in players:
        thread.join()
