"""Alternative: workers and players are threading.Thread subclasses that wait in slices (`while not go.wait(0.5)`, `while not mine.wait(0.05)`), and ping_pong adds a third, abort Event so a failing player never leaves the other waiting forever.

A worker never asks is_set(): it loops on go.wait(0.5), whose False only
means "not yet", and never touches go. A player's timed wait returning
False is not its turn: it looks at the abort flag and waits again. If out()
raises in a player, that player sets abort, the other one returns at its
next slice, and ping_pong re-raises the error after joining both. The order
of the lines comes from the turn Events alone; nobody sleeps.
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
        while not self.go.wait(0.5):
            pass
        self.out(self.index)


def start_workers(n: int, go: threading.Event,
                  out: Callable[[int], Any]) -> list[threading.Thread]:
    """Start ``n`` workers that each wait for ``go``, then call ``out(i)``."""
    workers: list[threading.Thread] = [_Worker(i, go, out) for i in range(n)]
    for worker in workers:
        worker.start()
    return workers


class _Player(threading.Thread):
    """Says ``word`` ``rounds`` times, each time on its turn."""

    def __init__(self, word: str, rounds: int, out: Callable[[str], Any],
                 mine: threading.Event, theirs: threading.Event,
                 abort: threading.Event) -> None:
        super().__init__(name=f"player-{word}")
        self.word = word
        self.rounds = rounds
        self.out = out
        self.mine = mine
        self.theirs = theirs
        self.abort = abort
        self.error: BaseException | None = None

    def _my_turn(self) -> bool:
        """Wait for the turn; False when the game was aborted."""
        while not self.mine.wait(0.05):
            if self.abort.is_set():
                return False
        return not self.abort.is_set()

    def run(self) -> None:
        try:
            for _ in range(self.rounds):
                if not self._my_turn():
                    return
                self.mine.clear()
                self.out(self.word)
                self.theirs.set()
        except BaseException as exc:  # pylint: disable=broad-exception-caught
            self.error = exc
            self.abort.set()


def ping_pong(rounds: int, out: Callable[[str], Any] = print) -> None:
    """Print ping/pong alternately from two threads, coordinated by Events."""
    ping_turn, pong_turn, abort = threading.Event(), threading.Event(), threading.Event()
    players = [_Player("ping", rounds, out, ping_turn, pong_turn, abort),
               _Player("pong", rounds, out, pong_turn, ping_turn, abort)]
    for player in players:
        player.start()
    ping_turn.set()
    for player in players:
        player.join()
    for player in players:
        if player.error is not None:
            raise player.error
