"""Alternative: each account guards its balance with a threading.Condition used as a mutex, and a contextmanager ``locked(*accounts)`` takes the guards in id() order with an ExitStack; transfer credits dst before it debits src.

Nobody waits on or notifies the Conditions: ``with condition:`` only takes
its underlying lock. The order of the two writes does not matter, since
both happen while both guards are held.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Iterator


class InsufficientFunds(Exception):
    """Raised by ``transfer`` when ``src`` has less than ``amount``."""


class Account:
    """A named balance whose Condition is its lock."""

    def __init__(self, name: str, balance: int = 0) -> None:
        self.name = name
        self.balance = balance
        self._cond = threading.Condition()

    @property
    def guard(self) -> threading.Condition:
        """The Condition whose lock protects ``balance``."""
        return self._cond


@contextlib.contextmanager
def locked(*accounts: Account) -> Iterator[None]:
    """Hold the guards of ``accounts`` (distinct), taken in id() order."""
    with contextlib.ExitStack() as stack:
        for account in sorted(accounts, key=id):
            stack.enter_context(account.guard)
        yield


def transfer(src: Account, dst: Account, amount: int) -> None:
    """Move ``amount`` from ``src`` to ``dst`` holding both guards."""
    if src is dst:
        raise ValueError("cannot transfer to the same account")
    if not amount > 0:
        raise ValueError(f"bad amount {amount!r}")
    with locked(src, dst):
        before = src.balance
        if before < amount:
            raise InsufficientFunds(f"{src.name}: {before} < {amount}")
        dst.balance = dst.balance + amount
        src.balance = before - amount


def total(accounts: list[Account]) -> int:
    """The sum of the balances, read while every guard is held."""
    with locked(*accounts):
        return sum(account.balance for account in accounts)
