"""Alternative: each account has an RLock and a unique serial number from a guarded itertools.count; transfer and total take the locks by serial number with acquire()/release() in try/finally, and transfer rejects short funds early, then checks again inside the locks.

The early check (outside the locks) only saves taking the locks when the
money is clearly missing; the check that counts is the one inside them.
"""

from __future__ import annotations

import itertools
import threading

_serials = itertools.count(1)
_serials_lock = threading.Lock()


class InsufficientFunds(Exception):
    """Raised by ``transfer`` when ``src`` has less than ``amount``."""


class Account:
    """A named balance with a lock of its own and a unique serial number."""

    def __init__(self, name: str, balance: int = 0) -> None:
        with _serials_lock:
            self.serial = next(_serials)
        self.name = name
        self.balance = balance
        self.guard = threading.RLock()


def _acquire_in_order(accounts: list[Account]) -> list[Account]:
    """Take the locks of ``accounts`` by serial number; return them in that order."""
    taken: list[Account] = []
    try:
        for account in sorted(accounts, key=lambda acc: acc.serial):
            account.guard.acquire()
            taken.append(account)
    except BaseException:
        _release(taken)
        raise
    return taken


def _release(taken: list[Account]) -> None:
    for account in reversed(taken):
        account.guard.release()


def transfer(src: Account, dst: Account, amount: int) -> None:
    """Move ``amount`` from ``src`` to ``dst`` holding both locks, taken by serial number."""
    if amount <= 0:
        raise ValueError("amount must be positive")
    if src is dst:
        raise ValueError("source and destination are the same account")
    if src.balance < amount:                    # a cheap early answer, checked again below
        raise InsufficientFunds(f"{src.name} cannot pay {amount}")
    taken = _acquire_in_order([src, dst])
    try:
        available = src.balance
        if available < amount:
            raise InsufficientFunds(f"{src.name} has {available}, cannot pay {amount}")
        src.balance = available - amount
        dst.balance = dst.balance + amount
    finally:
        _release(taken)


def total(accounts: list[Account]) -> int:
    """The sum of the balances, read while every account's lock is held."""
    taken = _acquire_in_order(list(accounts))
    try:
        result = 0
        for account in taken:
            result += account.balance
        return result
    finally:
        _release(taken)
