"""Topic 11 - safe_transfer: two locks without deadlock, transfers between accounts.

Lecture: "Race Conditions" and "Mutex Locks".

A transfer reads and writes two balances. Each account has a lock of its
own, so a transfer must hold BOTH locks while it checks and moves the money,
and two locks bring a new danger: ``transfer(a, b)`` takes a's lock and
waits for b's while ``transfer(b, a)`` takes b's and waits for a's - a
deadlock, both threads blocked for good. The cure is to take the locks in
one fixed, global order, whatever the direction of the transfer.

Build:

* ``class InsufficientFunds(Exception)``.
* ``Account(name, balance=0)`` with plain instance attributes ``name`` and
  ``balance`` (``transfer`` and ``total`` read and write ``balance`` as an
  attribute: the tests replace it with a slow property to widen every race
  window) and one lock of its own, a ``Lock`` or an ``RLock`` (or a
  ``Condition`` used as one) made in ``__init__``, any attribute name.
  Names may repeat: two accounts may both be called "savings".
* ``transfer(src, dst, amount) -> None`` moves ``amount`` from ``src`` to
  ``dst`` while holding both accounts' locks, so nobody ever sees (or
  changes) the money half moved. Take the two locks in one global order -
  for instance by a unique number each account gets at creation, or by
  ``id()`` - never in argument order, and never by ``name`` (names repeat).
  Check the funds inside the locks: checking first and locking afterwards
  lets two transfers both spend the same money. Errors, all raised with no
  balance changed and no lock left held:

  - ``amount <= 0`` -> ``ValueError``;
  - ``src is dst`` -> ``ValueError`` (taking a plain Lock twice in one
    thread would block forever);
  - ``src.balance < amount`` -> ``InsufficientFunds``. Moving the whole
    balance is allowed. ``with`` releases both locks as the error leaves;
    ``acquire()`` without ``release()`` in ``finally`` does not, and the
    next transfer on those accounts, from any thread, hangs.

* ``total(accounts) -> int``: the sum of the balances of a list of distinct
  accounts (0 for an empty list), read while holding every one of their
  locks, taken in the same global order as ``transfer``'s, so a transfer
  running at the same time is seen either not at all or completely.

Transfers that share no account must not wait for each other: one lock per
account, not one lock for every account. Importing this module must be
silent and start nothing.

The tests check: that money moves and the errors above are raised with
nothing changed; that transfers in opposite directions (and around a circle
of accounts, and between accounts of the same name) never deadlock, with
the test making each thread take its first lock before the other takes its
second; that two transfers into (or out of) one account at the same time
lose nothing and overdraw nothing; that after InsufficientFunds other
threads can still use both accounts; that ``total`` never sees a transfer
half done; that transfers between other accounts go on meanwhile; that
importing the module starts nothing. ``with`` or ``acquire``/``release`` in
``try``/``finally``, ``Lock`` or ``RLock``, ``contextlib.ExitStack``, a
helper that orders the locks: all fine, the tests check behaviour.
"""

from __future__ import annotations

import contextlib
import threading


class InsufficientFunds(Exception):
    """Raised by ``transfer`` when ``src`` has less than ``amount``."""


class Account:
    """A named balance with a lock of its own."""

    def __init__(self, name: str, balance: int = 0) -> None:
        ### BEGIN SOLUTION
        self.name = name
        self.balance = balance
        self.lock = threading.Lock()
        ### END SOLUTION

    def __repr__(self) -> str:
        return f"Account({self.name!r}, {self.balance!r})"


def transfer(src: Account, dst: Account, amount: int) -> None:
    """Move ``amount`` from ``src`` to ``dst`` holding both locks, taken in the global order."""
    ### BEGIN SOLUTION
    if amount <= 0:
        raise ValueError(f"amount must be positive, not {amount!r}")
    if src is dst:
        raise ValueError(f"cannot transfer from {src.name!r} to itself")
    # id() is unique among living objects, and both accounts live: one global order.
    first, second = sorted((src, dst), key=id)
    with first.lock, second.lock:
        if src.balance < amount:
            raise InsufficientFunds(f"{src.name} has {src.balance}, cannot pay {amount}")
        src.balance = src.balance - amount
        dst.balance = dst.balance + amount
    ### END SOLUTION


def total(accounts: list[Account]) -> int:
    """The sum of the balances, read while every account's lock is held."""
    ### BEGIN SOLUTION
    with contextlib.ExitStack() as held:
        for account in sorted(accounts, key=id):
            held.enter_context(account.lock)
        return sum(account.balance for account in accounts)
    ### END SOLUTION
