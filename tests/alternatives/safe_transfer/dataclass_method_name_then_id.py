"""Alternative: Account is a dataclass whose Lock comes from field(default_factory=threading.Lock); transfer is a method ``send`` that orders the two locks by (name, id()) - names alone may tie, the pair never does - and the module-level functions call the methods.

A default_factory captured at class creation is a lock the tests cannot
instrument: every pause the tests add for such a lock is bounded, so this
module still earns every point, only a little slower.
"""

from __future__ import annotations

import dataclasses
import threading


class InsufficientFunds(Exception):
    """Raised by ``transfer`` when ``src`` has less than ``amount``."""


def _rank(account: "Account") -> tuple[str, int]:
    return (str(account.name), id(account))


@dataclasses.dataclass(eq=False)
class Account:
    """A named balance with a lock of its own."""

    name: str
    balance: int = 0
    _lock: threading.Lock = dataclasses.field(default_factory=threading.Lock, repr=False)

    def send(self, dst: "Account", amount: int) -> None:
        """Move ``amount`` from this account to ``dst`` holding both locks."""
        if amount <= 0 or dst is self:
            raise ValueError("amount must be positive and dst another account")
        low, high = (self, dst) if _rank(self) < _rank(dst) else (dst, self)
        with low._lock:                     # pylint: disable=protected-access
            with high._lock:                # pylint: disable=protected-access
                if self.balance < amount:
                    raise InsufficientFunds(self.name)
                self.balance -= amount
                dst.balance += amount


def transfer(src: Account, dst: Account, amount: int) -> None:
    """Move ``amount`` from ``src`` to ``dst``."""
    src.send(dst, amount)


def total(accounts: list[Account]) -> int:
    """The sum of the balances, read while every account's lock is held."""
    ordered = sorted(accounts, key=_rank)

    def summed(rest: list[Account]) -> int:
        if not rest:
            return sum(account.balance for account in accounts)
        with rest[0]._lock:                 # pylint: disable=protected-access
            return summed(rest[1:])

    return summed(ordered)
