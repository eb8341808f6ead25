"""Wrong: transfer takes both locks with acquire() and releases them at the end without try/finally, so InsufficientFunds leaves both locks held.
Expect: after InsufficientFunds another thread's transfer on those accounts finishes (here it hangs on a leaked lock).
"""

from __future__ import annotations

import contextlib
import threading


class InsufficientFunds(Exception):
    """Raised by ``transfer`` when ``src`` has less than ``amount``."""


class Account:
    """A named balance with a lock of its own."""

    def __init__(self, name: str, balance: int = 0) -> None:
        self.name = name
        self.balance = balance
        self.lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Account({self.name!r}, {self.balance!r})"


def transfer(src: Account, dst: Account, amount: int) -> None:
    """Move ``amount`` from ``src`` to ``dst`` holding both locks, taken in the global order."""
    if amount <= 0:
        raise ValueError(f"amount must be positive, not {amount!r}")
    if src is dst:
        raise ValueError(f"cannot transfer from {src.name!r} to itself")
    # id() is unique among living objects, and both accounts live: one global order.
    first, second = sorted((src, dst), key=id)
    first.lock.acquire()
    second.lock.acquire()
    if src.balance < amount:
        raise InsufficientFunds(f"{src.name} has {src.balance}, cannot pay {amount}")
    src.balance = src.balance - amount
    dst.balance = dst.balance + amount
    second.lock.release()
    first.lock.release()


def total(accounts: list[Account]) -> int:
    """The sum of the balances, read while every account's lock is held."""
    with contextlib.ExitStack() as held:
        for account in sorted(accounts, key=id):
            held.enter_context(account.lock)
        return sum(account.balance for account in accounts)
