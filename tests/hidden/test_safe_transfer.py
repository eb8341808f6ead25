"""Hidden tests of topic 11, safe_transfer: graded, never shipped to students."""

from __future__ import annotations

import random

import pytest

from probes import describe_exception, expect, fail
from safe_transfer_probes import call, finish, lab_running, raises, watched

CIRCLE = ("transfers around a circle of accounts (a to b, b to c, c to a) each hold one "
          "lock and wait for the next one's: ordering the two locks of each transfer by "
          "its own arguments is not enough; every transfer must follow one global order "
          "of all accounts (id() of the account, or a number given at creation).")
SAME_NAME = ("transfer(x, y) and transfer(y, x) between two accounts both named 'joint' "
             "deadlocked: names repeat, so they cannot order the locks. Order by id() of "
             "the account, or by a unique number given at creation.")


@pytest.mark.concept("lock_ordering")
@pytest.mark.points(2)
def test_transfers_around_a_circle_never_deadlock(mod):
    with lab_running(mod, provoke=0.5) as lab:
        account = watched(mod.Account, lab)
        a, b, c = account("a", 100), account("b", 100), account("c", 100)
        members = lab.team(("transfer(a, b, 10)", mod.transfer, a, b, 10),
                           ("transfer(b, c, 20)", mod.transfer, b, c, 20),
                           ("transfer(c, a, 30)", mod.transfer, c, a, 30))
        finish(lab, members, deadlock=CIRCLE)
    expect((a.balance, b.balance, c.balance) == (120, 90, 90), "after a->b 10, b->c 20, "
           f"c->a 30 from 100 each the balances are {a.balance}/{b.balance}/{c.balance}, "
           "not 120/90/90.")


@pytest.mark.concept("lock_ordering")
@pytest.mark.points(2)
def test_accounts_with_the_same_name_never_deadlock(mod):
    with lab_running(mod, provoke=0.5) as lab:
        account = watched(mod.Account, lab)
        x, y = account("joint", 100), account("joint", 100)
        members = lab.team(("transfer(x, y, 5)", mod.transfer, x, y, 5),
                           ("transfer(y, x, 15)", mod.transfer, y, x, 15))
        finish(lab, members, deadlock=SAME_NAME)
    expect((x.balance, y.balance) == (110, 90), f"the balances are {x.balance}/{y.balance} "
           "after transfer(x, y, 5) and transfer(y, x, 15) from 100/100, not 110/90.")


@pytest.mark.concept("lock_ordering")
def test_a_circle_of_same_named_accounts_never_deadlocks(mod):
    with lab_running(mod, provoke=0.5) as lab:
        account = watched(mod.Account, lab)
        accounts = [account(name, 50) for name in ("x", "x", "x", "y")]
        members = lab.team(*[(f"transfer(#{i}, #{(i + 1) % 4}, 7)", mod.transfer,
                              accounts[i], accounts[(i + 1) % 4], 7) for i in range(4)])
        finish(lab, members, deadlock=CIRCLE)
    expect([acc.balance for acc in accounts] == [50] * 4, "four transfers of 7 around a "
           f"circle left {[acc.balance for acc in accounts]}, not 50 each.")


@pytest.mark.concept("consistent_total")
@pytest.mark.points(2)
def test_total_never_deadlocks_with_a_transfer(mod):
    # Both orders of the list against both directions, on the same two
    # accounts (of one name): a total that follows the list, or a transfer
    # that follows its arguments, meets the other in the wrong order.
    with lab_running(mod, provoke=0.5) as lab:
        account = watched(mod.Account, lab)
        x, y = account("acct", 60), account("acct", 40)
        for listed, names in (([x, y], "x, y"), ([y, x], "y, x")):
            for src, dst, moves in ((x, y, "x, y"), (y, x, "y, x")):
                members = lab.team((f"total([{names}])", mod.total, listed),
                                   (f"transfer({moves}, 5)", mod.transfer, src, dst, 5))
                finish(lab, members, deadlock=(
                    f"total([{names}]) and transfer({moves}, 5) each held one lock and "
                    "waited for the other's: total must take the locks in the same global "
                    "order as transfer, not in the order of the list."))
    expect(x.balance + y.balance == 100, f"the balances add up to {x.balance + y.balance}, "
           "not 100.")


@pytest.mark.concept("consistent_total")
def test_total_of_three_while_a_transfer_is_half_done(mod):
    with lab_running(mod, meeting=0.5) as lab:
        account = watched(mod.Account, lab, meet_writes=True)
        a, b, c = account("a", 10), account("b", 20), account("c", 30)
        for src, dst, label in ((c, a, "transfer(c, a, 30)"), (a, c, "transfer(a, c, 30)")):
            lab.someone_met.clear()
            summing = lab.start("total([c, a, b])", mod.total, [c, a, b], begin=False)
            moving = lab.start(label, mod.transfer, src, dst, 30)
            expect(lab.someone_met.wait(2.0) or moving.done,
                   f"{label} never wrote a balance within 2 s.")
            lab.begin(summing)
            finish(lab, [summing, moving])
            expect(summing.value == 60, f"total([c, a, b]) returned {summing.value!r} while "
                   f"{label} was half done, not 60: hold every account's lock while "
                   "summing.")
    expect(call(mod.total, [b]) == 20, "total([b]) of one account holding 20 is not 20.")


@pytest.mark.concept("lock_per_account")
@pytest.mark.points(2)
def test_transfers_between_other_accounts_go_on_meanwhile(mod):
    # transfer(a, b) stops, holding its locks, when it reads a's balance, until
    # transfer(c, d) has finished (0.6 s at most): with one lock per account
    # nothing stops c -> d; with one lock for every account it waits.
    with lab_running(mod, meeting=0.6, ready="done") as lab:
        account = watched(mod.Account, lab, meet_reads=("a",))
        a, b, c, d = (account(name, 100) for name in "abcd")
        members = lab.team(("transfer(a, b, 10)", mod.transfer, a, b, 10),
                           ("transfer(c, d, 10)", mod.transfer, c, d, 10))
        finish(lab, members)
    expect(not lab.meet_timeouts, "transfer(c, d, 10) could not finish while transfer(a, "
           "b, 10) was inside its locks, although the two share no account: give each "
           "account a lock of its own (made in __init__), not one lock for every account.")
    expect([acc.balance for acc in (a, b, c, d)] == [90, 110, 90, 110],
           f"the balances are {[acc.balance for acc in (a, b, c, d)]}, not [90, 110, 90, 110].")


@pytest.mark.concept("error_releases_locks")
@pytest.mark.points(2)
def test_after_insufficient_funds_both_directions_still_work(mod):
    with lab_running(mod) as lab:
        account = watched(mod.Account, lab)
        a, b = account("a", 0), account("b", 3)
        failed = lab.start("transfer(b, a, 4)", mod.transfer, b, a, 4)
        finish(lab, [failed], allowed=(mod.InsufficientFunds,))
        expect(isinstance(failed.error, mod.InsufficientFunds), "transfer(b, a, 4) with b "
               "holding 3 did not raise InsufficientFunds.")
        later = [lab.start("transfer(b, a, 3) after the error", mod.transfer, b, a, 3)]
        stuck = lab.finish(1.0)
        later.append(lab.start("transfer(a, b, 1) after that", mod.transfer, a, b, 1))
        stuck += lab.finish(1.0)
        if stuck:
            fail(f"after InsufficientFunds, {stuck[0].label} from another thread hung: "
                 "the failed transfer left a lock held. Release both locks on every way "
                 "out (`with`, or release() in `finally:`).")
        finish(lab, later)
    expect((a.balance, b.balance) == (2, 1), f"balances {a.balance}/{b.balance}, not 2/1.")


@pytest.mark.concept("error_releases_locks")
def test_insufficient_funds_on_an_empty_account(mod):
    a, b = mod.Account("a"), mod.Account("b", 7)
    error = raises(mod.transfer, a, b, 1)
    expect(isinstance(error, mod.InsufficientFunds), "transfer(a, b, 1) with a holding 0 "
           f"raised {describe_exception(error) if error else 'nothing'}, not "
           "InsufficientFunds.")
    expect((a.balance, b.balance) == (0, 7), f"after the refused transfer the balances are "
           f"{a.balance}/{b.balance}, not 0/7.")
    call(mod.transfer, b, a, 7)
    expect((a.balance, b.balance) == (7, 0), "transfer(b, a, 7) after the refused one did "
           f"not move the money: {a.balance}/{b.balance}.")


@pytest.mark.concept("transfer_moves_money")
def test_accounts_are_independent(mod):
    a, b, c = mod.Account("a", 5), mod.Account("b", 5), mod.Account("c", 5)
    call(mod.transfer, a, b, 2)
    expect((a.balance, b.balance, c.balance) == (3, 7, 5), "transfer(a, b, 2) changed "
           f"balances to {a.balance}/{b.balance}/{c.balance}, not 3/7/5.")
    error = raises(mod.transfer, c, c, 1)
    expect(isinstance(error, ValueError), f"transfer(c, c, 1) raised "
           f"{describe_exception(error) if error else 'nothing'}; expected ValueError.")
    expect(call(mod.total, [a, b, c]) == 15, "total of 3, 7 and 5 is not 15.")


def back_and_forth(mod, pair: tuple, seed: int, rounds: int) -> None:
    """``rounds`` transfers between the two accounts of ``pair``, first one way, then back."""
    rng = random.Random(seed)
    for step in range(rounds):
        src, dst = pair if step % 2 == 0 else pair[::-1]
        mod.transfer(src, dst, rng.randint(1, 40))


@pytest.mark.concept("both_locks_held")
@pytest.mark.points(2)
def test_eight_threads_on_five_accounts_of_one_name(mod):
    # Workers 0-4 make a circle of five (i -> i+1 first), workers 5-7 run three
    # of its links the other way first (2 -> 1, 3 -> 2, 4 -> 3); all accounts
    # share one name. The first reads of account 1 by workers 0, 1 and 5 meet:
    # 0 -> 1 and 2 -> 1 both read its balance to add to it.
    meeting: list = []
    with lab_running(mod, provoke=0.3, meeting=1.0) as lab:
        account = watched(mod.Account, lab, slow=True, meet_reads=meeting)
        accounts = [account("shared", 5000) for _ in range(5)]
        meeting.append(accounts[1])
        pairs = [(i, (i + 1) % 5) for i in range(5)] + [(2, 1), (3, 2), (4, 3)]
        members = lab.team(*[(f"worker {i}: #{src} <-> #{dst}", back_and_forth, mod,
                              (accounts[src], accounts[dst]), i, 16)
                             for i, (src, dst) in enumerate(pairs)])
        finish(lab, members, deadlock=SAME_NAME, timeout=15.0)
    balances = [acc.balance for acc in accounts]
    expect(not lab.stale, f"an update was lost: {lab.stale[0] if lab.stale else ''}. Hold "
           "both accounts' locks while reading and writing both balances.")
    expect(sum(balances) == 25000, f"8 threads moving money among 5 accounts of 5000 left "
           f"{balances} (sum {sum(balances)}), not a sum of 25000: updates were lost.")


@pytest.mark.concept("both_locks_held")
def test_deposits_into_one_account_from_three_threads(mod):
    with lab_running(mod) as lab:
        account = watched(mod.Account, lab, meet_reads=("pot",))
        pot = account("pot", 1)
        payers = [account(f"payer {i}", 10) for i in range(3)]
        members = lab.team(*[(f"transfer(payer {i}, pot, {i + 1})", mod.transfer,
                              payers[i], pot, i + 1) for i in range(3)])
        finish(lab, members)
    expect(pot.balance == 7, f"pot ended with {pot.balance} after deposits of 1, 2 and 3 "
           "into 1 at once, not 7: a deposit was lost.")
