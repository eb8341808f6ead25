"""Alternative: ping_pong uses three Events and no Condition or lock of its own (two turn flags plus a `finished` flag the caller waits on before joining), and workers are functools.partial targets that wait in a `go.wait(timeout=0.5)` loop.

The pong player sets ``finished`` after its last line (at once for zero
rounds); the caller waits on it in 0.1 s slices, giving
up early only if both players have ended, then joins both players.
Workers are built by a generator and wait with go.wait(timeout), whose
False return just means "wait again": go is never polled with is_set()
and never changed.
"""

from __future__ import annotations

import functools
import threading
from typing import Any, Callable, Iterator


def _worker(index: int, go: threading.Event, out: Callable[[int], Any]) -> None:
    while True:
        if go.wait(timeout=0.5):
            break
    out(index)


def _make_workers(n: int, go: threading.Event,
                  out: Callable[[int], Any]) -> Iterator[threading.Thread]:
    for index in range(n):
        yield threading.Thread(target=functools.partial(_worker, index, go, out),
                               name=f"worker-{index}")


def start_workers(n: int, go: threading.Event,
                  out: Callable[[int], Any]) -> list[threading.Thread]:
    """Start ``n`` workers that each wait for ``go``, then call ``out(i)``."""
    threads = list(_make_workers(n, go, out))
    for thread in threads:
        thread.start()
    return threads


def _play(word: str, rounds: int, out: Callable[[str], Any],
          mine: threading.Event, theirs: threading.Event,
          last: threading.Event | None) -> None:
    for _ in range(rounds):
        mine.wait()
        mine.clear()
        out(word)
        theirs.set()
    if last is not None:
        last.set()


def ping_pong(rounds: int, out: Callable[[str], Any] = print) -> None:
    """Print ping/pong alternately from two threads, coordinated by Events."""
    ping_turn = threading.Event()
    pong_turn = threading.Event()
    finished = threading.Event()
    ping = threading.Thread(target=_play, args=("ping", rounds, out, ping_turn, pong_turn, None))
    pong = threading.Thread(target=_play, args=("pong", rounds, out, pong_turn, ping_turn, finished))
    ping.start()
    pong.start()
    ping_turn.set()
    while not finished.wait(0.1):
        if not ping.is_alive() and not pong.is_alive():
            break                       # a player died before finishing
    ping.join()
    pong.join()
