"""Visible tests of topic 11, safe_transfer: run `make check T=safe_transfer`."""

from __future__ import annotations

import random

import pytest

from probes import check_silent_import, describe_exception, expect, fail
from safe_transfer_probes import (Deadlock, call, ending, finish, lab_running, raises,
                                  watched)

@pytest.mark.concept("transfer_moves_money")
@pytest.mark.points(2)
def test_transfer_moves_money(mod):
    a, b = mod.Account("a", 100), mod.Account("b")
    expect((a.name, a.balance, b.name, b.balance) == ("a", 100, "b", 0),
           f"Account('a', 100) and Account('b') have name/balance {a.name!r}/{a.balance!r} "
           f"and {b.name!r}/{b.balance!r}; expected 'a'/100 and 'b'/0 (balance defaults to 0).")
    result = call(mod.transfer, a, b, 30)
    expect(result is None, f"transfer returned {result!r}; it returns None.")
    expect((a.balance, b.balance) == (70, 30), f"after transfer(a, b, 30) from 100/0 the "
           f"balances are {a.balance}/{b.balance}, not 70/30.")
    call(mod.transfer, b, a, 30)
    expect((a.balance, b.balance) == (100, 0), "transfer(b, a, 30) with b holding exactly "
           f"30 left {a.balance}/{b.balance}, not 100/0: moving the whole balance is allowed "
           "(raise InsufficientFunds only when src.balance < amount).")
    summed = call(mod.total, [a, b])
    expect(summed == 100, f"total([a, b]) is {summed!r}, not 100.")
    expect(call(mod.total, []) == 0, "total([]) must be 0.")


@pytest.mark.concept("transfer_moves_money")
def test_bad_amounts_raise_value_error(mod):
    a, b = mod.Account("a", 50), mod.Account("b", 50)
    for amount in (0, -5):
        error = raises(mod.transfer, a, b, amount)
        expect(isinstance(error, ValueError), f"transfer(a, b, {amount}) raised "
               f"{describe_exception(error) if error else 'nothing'}; an amount <= 0 must "
               "raise ValueError.")
    expect((a.balance, b.balance) == (50, 50), f"after the refused transfers the balances "
           f"are {a.balance}/{b.balance}, not 50/50: nothing may change.")
    expect(issubclass(mod.InsufficientFunds, Exception),
           "InsufficientFunds must be a subclass of Exception.")


@pytest.mark.concept("transfer_moves_money")
@pytest.mark.points(2)
def test_transfer_to_the_same_account_raises_value_error(mod):
    with lab_running(mod) as lab:
        a = mod.Account("a", 50)
        member = lab.start("transfer(a, a, 10)", mod.transfer, a, a, 10)
        lab.finish(2.0)
    if isinstance(member.error, Deadlock) or not member.done:
        fail("transfer(a, a, 10) waited for a lock its own thread already held: a Lock "
             "taken twice in one thread blocks forever. Raise ValueError when src is dst, "
             "before taking any lock.")
    if isinstance(member.error, NotImplementedError):
        raise member.error
    expect(isinstance(member.error, ValueError), f"transfer(a, a, 10) {ending(member)}; "
           "a transfer from an account to itself must raise ValueError.")
    expect(a.balance == 50, f"a's balance is {a.balance} after the refused transfer(a, a, "
           "10), not 50.")


@pytest.mark.concept("lock_ordering")
@pytest.mark.points(3)
def test_opposite_transfers_never_deadlock(mod):
    # Each thread, having taken its first lock, waits until the other holds (or
    # waits for) one too: locks taken in argument order deadlock on every run.
    with lab_running(mod, provoke=0.5) as lab:
        account = watched(mod.Account, lab)
        a, b = account("a", 100), account("b", 100)
        members = lab.team(("transfer(a, b, 10)", mod.transfer, a, b, 10),
                           ("transfer(b, a, 25)", mod.transfer, b, a, 25))
        finish(lab, members)
    expect((a.balance, b.balance) == (115, 85), f"after transfer(a, b, 10) and transfer(b, "
           f"a, 25) from 100/100 the balances are {a.balance}/{b.balance}, not 115/85.")


@pytest.mark.concept("both_locks_held")
@pytest.mark.points(3)
def test_two_transfers_into_one_account_lose_nothing(mod):
    # The first thread to read c's balance waits until the other reads it too,
    # or is blocked on a lock: without c's lock held, both read 0.
    with lab_running(mod) as lab:
        account = watched(mod.Account, lab, meet_reads=("c",))
        a, b, c = account("a", 50), account("b", 50), account("c", 0)
        members = lab.team(("transfer(a, c, 10)", mod.transfer, a, c, 10),
                           ("transfer(b, c, 20)", mod.transfer, b, c, 20))
        finish(lab, members)
    expect(c.balance == 30, f"c ended with {c.balance} after transfer(a, c, 10) and "
           "transfer(b, c, 20) ran at once, not 30: both read c's balance before either "
           "wrote it back. Hold BOTH accounts' locks - src's and dst's - while reading and "
           "writing the balances.")
    expect((a.balance, b.balance) == (40, 30), f"a and b ended with {a.balance}/{b.balance}, "
           "not 40/30.")


@pytest.mark.concept("funds_checked_inside_locks")
@pytest.mark.points(2)
def test_two_transfers_out_of_one_account_never_overdraw(mod):
    # The first thread to read a's balance waits until the other reads it too,
    # or is blocked on a lock: a check made before locking passes twice.
    with lab_running(mod) as lab:
        account = watched(mod.Account, lab, meet_reads=("a",))
        a, b, c = account("a", 100), account("b", 0), account("c", 0)
        members = lab.team(("transfer(a, b, 60)", mod.transfer, a, b, 60),
                           ("transfer(a, c, 60)", mod.transfer, a, c, 60))
        finish(lab, members, allowed=(mod.InsufficientFunds,))
    refused = [m for m in members if isinstance(m.error, mod.InsufficientFunds)]
    expect(a.balance >= 0, f"a, holding 100, ended at {a.balance} after two transfers of 60 "
           "at once: both checked the funds before either took the money (check-then-act). "
           "Check src.balance inside the locks, in the same critical section as the debit.")
    expect(len(refused) == 1, f"of two transfers of 60 out of 100, {len(refused)} raised "
           "InsufficientFunds; exactly one must.")
    expect((a.balance, b.balance + c.balance) == (40, 60), f"a, b, c ended with {a.balance}, "
           f"{b.balance}, {c.balance}: expected 40 left in a and 60 moved to b or c.")


@pytest.mark.concept("error_releases_locks")
@pytest.mark.points(2)
def test_insufficient_funds_changes_nothing_and_releases_both_locks(mod):
    with lab_running(mod) as lab:
        account = watched(mod.Account, lab)
        a, b = account("a", 10), account("b", 5)
        failed = lab.start("transfer(a, b, 50)", mod.transfer, a, b, 50)
        lab.finish(2.0)
        if isinstance(failed.error, NotImplementedError):
            raise failed.error
        expect(isinstance(failed.error, mod.InsufficientFunds), "transfer(a, b, 50) with a "
               f"holding 10 {ending(failed)}; it must raise InsufficientFunds.")
        expect((a.balance, b.balance) == (10, 5), f"after the refused transfer(a, b, 50) the "
               f"balances are {a.balance}/{b.balance}, not 10/5: check the funds before "
               "changing any balance.")
        later = lab.start("transfer(b, a, 5) after the error", mod.transfer, b, a, 5)
        if lab.finish(1.0):
            fail("after transfer(a, b, 50) raised InsufficientFunds, transfer(b, a, 5) from "
                 "another thread hung: a lock was left held. `with` releases both locks "
                 "when the error leaves; acquire() without release() in `finally:` does not.")
        finish(lab, [later])
    expect((a.balance, b.balance) == (15, 0), f"after the later transfer(b, a, 5) the "
           f"balances are {a.balance}/{b.balance}, not 15/0.")


@pytest.mark.concept("consistent_total")
@pytest.mark.points(2)
def test_total_never_sees_a_half_done_transfer(mod):
    # The transfer stops after its first write of a balance until total() is
    # blocked on a lock (or has finished): total() must see 100 or wait. Both
    # directions, on the same two accounts: whichever lock comes first.
    with lab_running(mod, meeting=0.5) as lab:
        account = watched(mod.Account, lab, meet_writes=True)
        a, b = account("a", 50), account("b", 50)
        for src, dst, label in ((a, b, "transfer(a, b, 30)"), (b, a, "transfer(b, a, 30)")):
            lab.someone_met.clear()
            summing = lab.start("total([a, b])", mod.total, [a, b], begin=False)
            moving = lab.start(label, mod.transfer, src, dst, 30)
            expect(lab.someone_met.wait(2.0) or moving.done,
                   f"{label} never wrote a balance within 2 s.")
            lab.begin(summing)
            finish(lab, [summing, moving])
            expect(summing.value == 100, f"total([a, b]) returned {summing.value!r} while "
                   f"{label} had changed one balance and not yet the other: total() must "
                   "hold every account's lock while it sums, so a transfer is seen either "
                   "not at all or completely.")


@pytest.mark.concept("both_locks_held")
@pytest.mark.points(2)
def test_many_transfers_around_a_circle_conserve_money(mod):
    # Each worker moves money back and forth between its two accounts, first
    # one way: a -> b, b -> c, c -> d, d -> a (a circle), and c -> b. Each
    # stops after its first lock until the others hold or wait for one too;
    # the first reads of b meet: without b's lock, a -> b and c -> b both read
    # the same balance and one deposit is lost.
    with lab_running(mod, provoke=0.3, meeting=1.0) as lab:
        account = watched(mod.Account, lab, slow=True, meet_reads=("b",))
        accounts = dict(zip("abcd", (account(name, 5000) for name in "abcd")))

        def work(pair: str, seed: int) -> None:
            rng = random.Random(seed)
            there = (accounts[pair[0]], accounts[pair[1]])
            for step in range(30):
                src, dst = there if step % 2 == 0 else there[::-1]
                mod.transfer(src, dst, rng.randint(1, 20))

        members = lab.team(*[(f"worker {pair[0]} <-> {pair[1]}", work, pair, seed)
                             for seed, pair in enumerate(("ab", "bc", "cd", "da", "cb"))])
        finish(lab, members, timeout=15.0, deadlock=(
            "the workers deadlocked, each holding one lock and waiting for the next one's: "
            "every transfer must take its two locks in one global order of all accounts "
            "(id() of the account, or a number given at creation), not in argument order."))
    balances = [acc.balance for acc in accounts.values()]
    expect(not lab.stale, f"an update was lost: {lab.stale[0] if lab.stale else ''}. Hold "
           "both accounts' locks while reading and writing both balances.")
    expect(sum(balances) == 20000, f"5 threads moved money among 4 accounts of 5000; the "
           f"balances now add up to {sum(balances)}, not 20000: updates were lost. Hold both "
           "locks while reading and writing both balances.")
    expect(call(mod.total, list(accounts.values())) == 20000, "total(accounts) after the "
           "transfers is not the sum of the balances.")


@pytest.mark.concept("import_is_silent")
def test_importing_the_module_is_silent(mod, target_dir):
    check_silent_import(target_dir, "safe_transfer", lambda: mod.Account("a", 1))
