"""Alternative: each ping-pong player is described by a dataclass Seat and waits for its turn in 0.2 s slices (`while not seat.turn.wait(0.2): continue`), ping_pong joins its players in slices, and workers are Thread subclasses that wait with a plain go.wait().

A timed wait that returns False is only "not yet": the player waits
again, and it only speaks once its own Event was really set. The seats are
linked in a ring (each knows the next seat's Event), so the same loop
serves both players. ping_pong returns once both players are no longer
alive, joining each in 0.1 s slices.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Any, Callable


class _Worker(threading.Thread):
    def __init__(self, index: int, go: threading.Event,
                 out: Callable[[int], Any]) -> None:
        super().__init__(name=f"worker-{index}")
        self._index = index
        self._go = go
        self._out = out

    def run(self) -> None:
        self._go.wait()
        self._out(self._index)


def start_workers(n: int, go: threading.Event,
                  out: Callable[[int], Any]) -> list[threading.Thread]:
    """Start ``n`` workers that each wait for ``go``, then call ``out(i)``."""
    workers = []
    for index in range(n):
        worker = _Worker(index, go, out)
        worker.start()
        workers.append(worker)
    return workers


@dataclasses.dataclass
class _Seat:
    word: str
    turn: threading.Event = dataclasses.field(default_factory=threading.Event)
    next_turn: threading.Event | None = None


def _play(seat: _Seat, rounds: int, out: Callable[[str], Any]) -> None:
    if seat.next_turn is None:
        raise ValueError(f"seat {seat.word!r} is not linked to a next seat")
    for _ in range(rounds):
        while not seat.turn.wait(0.2):
            continue
        seat.turn.clear()
        out(seat.word)
        seat.next_turn.set()


def ping_pong(rounds: int, out: Callable[[str], Any] = print) -> None:
    """Print ping/pong alternately from two threads, coordinated by Events."""
    ping, pong = _Seat("ping"), _Seat("pong")
    ping.next_turn, pong.next_turn = pong.turn, ping.turn
    players = [threading.Thread(target=_play, args=(seat, rounds, out), name=seat.word)
               for seat in (ping, pong)]
    for player in players:
        player.start()
    ping.turn.set()
    for player in players:
        while player.is_alive():
            player.join(0.1)
