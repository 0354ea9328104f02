"""PointsLedger: grants with reason codes, redemptions at merchants, transfers toggle, clawbacks, inactivity expiry,
pause, every error, and a hypothesis run against a Python model checking that the totals reconcile."""

from __future__ import annotations

import pytest
from eth_utils import keccak
from hypothesis import example, given, settings
from hypothesis import strategies as st

ZERO = "0x" + "00" * 20
ADMIN_ROLE = "0x" + "00" * 32
ISSUER = keccak(text="ISSUER_ROLE")
MERCHANT = keccak(text="MERCHANT_ROLE")
WELCOME = keccak(text="welcome-bonus")
ORDER = keccak(text="order-42")
PERIOD = 1000


def ts(lib, receipt) -> int:
    return lib.w3.eth.get_block(receipt["blockNumber"])["timestamp"]


def deploy(lib, period=0, transfers=False):
    """Admin 0, issuer 8, merchants 9 and 7."""
    acc = lib.accounts
    p = lib.deploy("PointsLedger", acc[0], period, transfers)
    lib.send(p.functions.grantRole(ISSUER, acc[8]))
    lib.send(p.functions.grantRole(MERCHANT, acc[9]))
    lib.send(p.functions.grantRole(MERCHANT, acc[7]))
    return p


def totals(p):
    issued, redeemed, expired, clawed, outstanding = p.functions.totals().call()
    assert issued == redeemed + expired + clawed + outstanding
    return issued, redeemed, expired, clawed, outstanding


@pytest.fixture
def ledger(lib):
    return deploy(lib)


def test_constructor(lib):
    acc = lib.accounts
    p = lib.deploy("PointsLedger", acc[0], 3600, True)
    receipt = lib.w3.eth.get_transaction_receipt(lib.w3.eth.get_block("latest")["transactions"][0])
    assert lib.events(p, receipt, "ExpiryPeriodChanged") == [{"previous": 0, "current": 3600}]
    assert lib.events(p, receipt, "TransfersEnabled") == [{"enabled": True}]
    assert lib.events(p, receipt, "RoleGranted") == [{"role": bytes(32), "account": acc[0], "sender": acc[0]}]
    assert (p.functions.expiryPeriod().call(), p.functions.transfersEnabled().call()) == (3600, True)
    assert p.functions.MAX_BATCH().call() == 100
    assert p.functions.ISSUER_ROLE().call() == ISSUER and p.functions.MERCHANT_ROLE().call() == MERCHANT
    assert p.functions.totals().call() == [0, 0, 0, 0, 0]
    art = lib.artifact("PointsLedger")
    factory = lib.w3.eth.contract(abi=art["abi"], bytecode=art["bytecode"])
    with lib.reverts(factory, f"PointsInvalidMember(member={ZERO})"):
        factory.constructor(ZERO, 0, False).transact({"from": acc[0]})


def test_grant(lib, ledger):
    acc = lib.accounts
    p = ledger
    receipt = lib.send(p.functions.grant(acc[1], 500, WELCOME), sender=8)
    assert lib.events(p, receipt, "Granted") == [{"issuer": acc[8], "member": acc[1], "amount": 500, "reason": WELCOME}]
    assert p.functions.balanceOf(acc[1]).call() == 500
    assert p.functions.accountOf(acc[1]).call() == [500, ts(lib, receipt), 0, False]  # expiry off
    assert p.functions.expiresAt(acc[1]).call() == 0
    assert p.functions.issuedBy(acc[8]).call() == 500
    assert totals(p) == (500, 0, 0, 0, 500)
    with lib.reverts(p, f"AccessControlUnauthorizedAccount(account={acc[0]}, neededRole=0x{ISSUER.hex()})"):
        p.functions.grant(acc[1], 1, WELCOME).transact({"from": acc[0]})
    with lib.reverts(p, "PointsZeroAmount()"):
        p.functions.grant(acc[1], 0, WELCOME).transact({"from": acc[8]})
    with lib.reverts(p, f"PointsInvalidMember(member={ZERO})"):
        p.functions.grant(ZERO, 1, WELCOME).transact({"from": acc[8]})
    # a second issuer keeps its own tally
    lib.send(p.functions.grantRole(ISSUER, acc[6]))
    lib.send(p.functions.grant(acc[1], 25, b"\x00" * 32), sender=6)
    assert (p.functions.issuedBy(acc[6]).call(), p.functions.issuedBy(acc[8]).call()) == (25, 500)
    assert p.functions.balanceOf(acc[1]).call() == 525


def test_grant_batch(lib, ledger):
    acc = lib.accounts
    p = ledger
    receipt = lib.send(p.functions.grantBatch([acc[1], acc[2], acc[1]], [10, 20, 30], WELCOME), sender=8)
    assert lib.events(p, receipt, "Granted") == [
        {"issuer": acc[8], "member": m, "amount": a, "reason": WELCOME}
        for m, a in [(acc[1], 10), (acc[2], 20), (acc[1], 30)]]
    assert (p.functions.balanceOf(acc[1]).call(), p.functions.balanceOf(acc[2]).call()) == (40, 20)
    assert totals(p) == (60, 0, 0, 0, 60)
    lib.send(p.functions.grantBatch([], [], WELCOME), sender=8)  # empty is fine
    with lib.reverts(p, "PointsBatchLengthMismatch(members=2, amounts=1)"):
        p.functions.grantBatch([acc[1], acc[2]], [1], WELCOME).transact({"from": acc[8]})
    with lib.reverts(p, "PointsBatchTooLarge(length=101, max=100)"):
        p.functions.grantBatch([acc[1]] * 101, [1] * 101, WELCOME).transact({"from": acc[8]})
    with lib.reverts(p, "PointsZeroAmount()"):
        p.functions.grantBatch([acc[1], acc[2]], [1, 0], WELCOME).transact({"from": acc[8]})
    with lib.reverts(p, f"AccessControlUnauthorizedAccount(account={acc[1]}, neededRole=0x{ISSUER.hex()})"):
        p.functions.grantBatch([acc[1]], [1], WELCOME).transact({"from": acc[1]})


def test_redeem(lib, ledger):
    acc = lib.accounts
    p = ledger
    lib.send(p.functions.grant(acc[1], 300, WELCOME), sender=8)
    receipt = lib.send(p.functions.redeem(acc[9], 120, ORDER), sender=1)
    assert lib.events(p, receipt, "Redeemed") == [{"member": acc[1], "merchant": acc[9], "amount": 120, "orderRef": ORDER}]
    lib.send(p.functions.redeem(acc[7], 80, ORDER), sender=1)
    assert p.functions.balanceOf(acc[1]).call() == 100
    assert (p.functions.redeemedAt(acc[9]).call(), p.functions.redeemedAt(acc[7]).call()) == (120, 80)
    assert totals(p) == (300, 200, 0, 0, 100)
    with lib.reverts(p, f"PointsNotMerchant(merchant={acc[2]})"):
        p.functions.redeem(acc[2], 1, ORDER).transact({"from": acc[1]})
    with lib.reverts(p, f"PointsInsufficient(member={acc[1]}, balance=100, needed=101)"):
        p.functions.redeem(acc[9], 101, ORDER).transact({"from": acc[1]})
    with lib.reverts(p, f"PointsInsufficient(member={acc[3]}, balance=0, needed=1)"):
        p.functions.redeem(acc[9], 1, ORDER).transact({"from": acc[3]})
    with lib.reverts(p, "PointsZeroAmount()"):
        p.functions.redeem(acc[9], 0, ORDER).transact({"from": acc[1]})
    # a merchant that loses its role no longer accepts points
    lib.send(p.functions.revokeRole(MERCHANT, acc[7]))
    with lib.reverts(p, f"PointsNotMerchant(merchant={acc[7]})"):
        p.functions.redeem(acc[7], 1, ORDER).transact({"from": acc[1]})
    lib.send(p.functions.redeem(acc[9], 100, ORDER), sender=1)
    assert totals(p) == (300, 300, 0, 0, 0)


def test_transfers_toggle(lib, ledger):
    acc = lib.accounts
    p = ledger
    lib.send(p.functions.grant(acc[1], 100, WELCOME), sender=8)
    with lib.reverts(p, "PointsTransfersDisabled()"):
        p.functions.transfer(acc[2], 1).transact({"from": acc[1]})
    with lib.reverts(p, f"AccessControlUnauthorizedAccount(account={acc[1]}, neededRole={ADMIN_ROLE})"):
        p.functions.setTransfersEnabled(True).transact({"from": acc[1]})
    receipt = lib.send(p.functions.setTransfersEnabled(True))
    assert lib.events(p, receipt, "TransfersEnabled") == [{"enabled": True}]
    receipt = lib.send(p.functions.transfer(acc[2], 40), sender=1)
    assert lib.events(p, receipt, "Transferred") == [{"from": acc[1], "to": acc[2], "amount": 40}]
    assert (p.functions.balanceOf(acc[1]).call(), p.functions.balanceOf(acc[2]).call()) == (60, 40)
    assert totals(p) == (100, 0, 0, 0, 100)  # transfers move points, totals unchanged
    with lib.reverts(p, f"PointsInsufficient(member={acc[1]}, balance=60, needed=61)"):
        p.functions.transfer(acc[2], 61).transact({"from": acc[1]})
    with lib.reverts(p, f"PointsInvalidMember(member={ZERO})"):
        p.functions.transfer(ZERO, 1).transact({"from": acc[1]})
    with lib.reverts(p, "PointsZeroAmount()"):
        p.functions.transfer(acc[2], 0).transact({"from": acc[1]})
    lib.send(p.functions.transfer(acc[1], 60), sender=1)  # to oneself: allowed, nothing changes
    assert p.functions.balanceOf(acc[1]).call() == 60
    lib.send(p.functions.setTransfersEnabled(False))
    with lib.reverts(p, "PointsTransfersDisabled()"):
        p.functions.transfer(acc[2], 1).transact({"from": acc[1]})


def test_claw_back(lib, ledger):
    acc = lib.accounts
    p = ledger
    lib.send(p.functions.grant(acc[1], 100, WELCOME), sender=8)
    reason = keccak(text="refund")
    receipt = lib.send(p.functions.clawBack(acc[1], 30, reason), sender=8)
    assert lib.events(p, receipt, "ClawedBack") == [{"issuer": acc[8], "member": acc[1], "amount": 30, "reason": reason}]
    assert p.functions.balanceOf(acc[1]).call() == 70
    assert totals(p) == (100, 0, 0, 30, 70)
    with lib.reverts(p, f"PointsInsufficient(member={acc[1]}, balance=70, needed=71)"):
        p.functions.clawBack(acc[1], 71, reason).transact({"from": acc[8]})
    with lib.reverts(p, "PointsZeroAmount()"):
        p.functions.clawBack(acc[1], 0, reason).transact({"from": acc[8]})
    with lib.reverts(p, f"AccessControlUnauthorizedAccount(account={acc[9]}, neededRole=0x{ISSUER.hex()})"):
        p.functions.clawBack(acc[1], 1, reason).transact({"from": acc[9]})


def test_expiry(lib):
    acc = lib.accounts
    p = deploy(lib, period=PERIOD, transfers=True)
    t0 = ts(lib, lib.send(p.functions.grant(acc[1], 100, WELCOME), sender=8))
    assert p.functions.accountOf(acc[1]).call() == [100, t0, t0 + PERIOD, False]
    assert p.functions.accountOf(acc[2]).call() == [0, 0, 0, False]  # nothing to expire
    with lib.reverts(p, f"PointsNotExpired(member={acc[1]}, expiresAt={t0 + PERIOD})"):
        p.functions.expire(acc[1]).transact({"from": acc[5]})
    with lib.reverts(p, f"PointsNotExpired(member={acc[2]}, expiresAt=0)"):
        p.functions.expire(acc[2]).transact({"from": acc[5]})
    # one second before the deadline the points are still there; at the deadline they are gone
    lib.mine(t0 + PERIOD - 1)
    assert p.functions.balanceOf(acc[1]).call() == 100
    lib.mine(t0 + PERIOD)
    assert p.functions.balanceOf(acc[1]).call() == 0
    assert p.functions.accountOf(acc[1]).call() == [100, t0, t0 + PERIOD, True]
    assert totals(p) == (100, 0, 0, 0, 100)  # not swept yet
    with lib.reverts(p, f"PointsInsufficient(member={acc[1]}, balance=0, needed=1)"):
        p.functions.redeem(acc[9], 1, ORDER).transact({"from": acc[1]})
    receipt = lib.send(p.functions.expire(acc[1]), sender=5)  # anyone may sweep
    assert lib.events(p, receipt, "Expired") == [{"member": acc[1], "amount": 100}]
    assert p.functions.accountOf(acc[1]).call() == [0, t0, 0, False]
    assert totals(p) == (100, 0, 100, 0, 0)
    with lib.reverts(p, f"PointsNotExpired(member={acc[1]}, expiresAt=0)"):
        p.functions.expire(acc[1]).transact({"from": acc[5]})


def test_activity_refreshes_and_auto_sweep(lib):
    acc = lib.accounts
    p = deploy(lib, period=PERIOD, transfers=True)
    t0 = ts(lib, lib.send(p.functions.grant(acc[1], 100, WELCOME), sender=8))
    lib.mine(t0 + PERIOD - 2)
    t1 = ts(lib, lib.send(p.functions.redeem(acc[9], 10, ORDER), sender=1))  # spending counts as activity
    assert p.functions.expiresAt(acc[1]).call() == t1 + PERIOD
    t2 = ts(lib, lib.send(p.functions.transfer(acc[2], 20), sender=1))  # so do transfers, on both sides
    assert (p.functions.expiresAt(acc[1]).call(), p.functions.expiresAt(acc[2]).call()) == (t2 + PERIOD,) * 2
    # a grant to an expired account sweeps the old points first
    lib.mine(t2 + PERIOD)
    receipt = lib.send(p.functions.grant(acc[1], 5, WELCOME), sender=8)
    assert lib.events(p, receipt, "Expired") == [{"member": acc[1], "amount": 70}]
    assert lib.events(p, receipt, "Granted")[0]["amount"] == 5
    assert p.functions.accountOf(acc[1]).call() == [5, ts(lib, receipt), ts(lib, receipt) + PERIOD, False]
    # acc[2] (last active at t2) has expired as well; a transfer into it sweeps it
    with lib.reverts(p, f"PointsInsufficient(member={acc[2]}, balance=0, needed=1)"):
        p.functions.transfer(acc[1], 1).transact({"from": acc[2]})
    receipt = lib.send(p.functions.transfer(acc[2], 5), sender=1)
    assert lib.events(p, receipt, "Expired") == [{"member": acc[2], "amount": 20}]
    assert (p.functions.balanceOf(acc[1]).call(), p.functions.balanceOf(acc[2]).call()) == (0, 5)
    assert totals(p) == (105, 10, 90, 0, 5)
    # the period applies to every account at once; 0 turns expiry off (unswept balances are spendable again)
    lib.mine(ts(lib, receipt) + PERIOD)
    assert p.functions.balanceOf(acc[2]).call() == 0
    receipt = lib.send(p.functions.setExpiryPeriod(0))
    assert lib.events(p, receipt, "ExpiryPeriodChanged") == [{"previous": PERIOD, "current": 0}]
    assert p.functions.expiresAt(acc[2]).call() == 0
    assert p.functions.balanceOf(acc[2]).call() == 5
    assert totals(p) == (105, 10, 90, 0, 5)
    with lib.reverts(p, f"AccessControlUnauthorizedAccount(account={acc[1]}, neededRole={ADMIN_ROLE})"):
        p.functions.setExpiryPeriod(1).transact({"from": acc[1]})


def test_pause(lib):
    acc = lib.accounts
    p = deploy(lib, period=PERIOD, transfers=True)
    lib.send(p.functions.grant(acc[1], 100, WELCOME), sender=8)
    with lib.reverts(p, f"AccessControlUnauthorizedAccount(account={acc[8]}, neededRole={ADMIN_ROLE})"):
        p.functions.pause().transact({"from": acc[8]})
    receipt = lib.send(p.functions.pause())
    assert lib.events(p, receipt, "Paused") == [{"account": acc[0]}]
    for fn, sender in [
        (p.functions.grant(acc[1], 1, WELCOME), 8),
        (p.functions.grantBatch([acc[1]], [1], WELCOME), 8),
        (p.functions.clawBack(acc[1], 1, WELCOME), 8),
        (p.functions.redeem(acc[9], 1, ORDER), 1),
        (p.functions.transfer(acc[2], 1), 1),
        (p.functions.expire(acc[1]), 1),
    ]:
        with lib.reverts(p, "EnforcedPause()"):
            fn.transact({"from": acc[sender]})
    with lib.reverts(p, f"AccessControlUnauthorizedAccount(account={acc[8]}, neededRole={ADMIN_ROLE})"):
        p.functions.unpause().transact({"from": acc[8]})
    lib.send(p.functions.unpause())
    lib.send(p.functions.redeem(acc[9], 1, ORDER), sender=1)
    assert p.functions.balanceOf(acc[1]).call() == 99


# ---------------------------------------------------------------- model-based

MEMBERS = (1, 2, 3)
member = st.sampled_from(MEMBERS)
amount = st.integers(1, 60)
step = st.one_of(
    st.tuples(st.just("grant"), member, amount),
    st.tuples(st.just("redeem"), member, amount),
    st.tuples(st.just("transfer"), member, member, amount),
    st.tuples(st.just("clawBack"), member, amount),
    st.tuples(st.just("expire"), member),
    st.tuples(st.just("wait"), st.sampled_from([PERIOD // 2, PERIOD - 2, PERIOD - 1, 2 * PERIOD])),
)


def test_random_operations_reconcile(lib):
    """Random steps on one ledger (each example from a chain snapshot) against a Python model."""
    acc = lib.accounts
    p = deploy(lib, period=PERIOD, transfers=True)
    reader = lib.deploy("TokensReader")

    @settings(max_examples=12, deadline=None)
    @given(steps=st.lists(step, min_size=1, max_size=8))
    @example(steps=[("grant", 1, 50), ("wait", PERIOD - 2), ("transfer", 1, 2, 10), ("wait", PERIOD - 2),
                    ("redeem", 1, 40), ("expire", 1), ("wait", 2), ("grant", 2, 5), ("clawBack", 2, 5)])
    @example(steps=[("grant", 1, 50), ("grant", 2, 7), ("wait", PERIOD - 2), ("redeem", 1, 1), ("wait", PERIOD - 1),
                    ("redeem", 1, 1), ("expire", 2), ("transfer", 3, 1, 1)])
    def run(steps):
        snapshot = lib.w3.provider.make_request("evm_snapshot", [])["result"]
        try:
            check(steps)
        finally:
            lib.w3.provider.make_request("evm_revert", [snapshot])

    def check(steps):
        points = {m: 0 for m in MEMBERS}
        last = {m: 0 for m in MEMBERS}
        issued = redeemed = expired = clawed = 0
        latest = lib.now()

        def sweep(m, t):
            nonlocal expired
            if points[m] and t >= last[m] + PERIOD:
                expired += points[m]
                points[m] = 0
                return True
            return False

        for s in steps:
            kind, t = s[0], latest + 1  # the time the next transaction runs at
            if kind == "wait":
                latest += s[1]
                lib.mine(latest)
                continue
            m = s[1]
            error = None
            saved = (dict(points), dict(last), issued, redeemed, expired, clawed)
            if kind == "grant":
                fn, sender = p.functions.grant(acc[m], s[2], WELCOME), 8
                sweep(m, t)
                points[m] += s[2]
                last[m] = t
                issued += s[2]
            elif kind in ("redeem", "clawBack", "transfer"):
                n = s[-1]
                if kind == "redeem":
                    fn, sender = p.functions.redeem(acc[9], n, ORDER), m
                elif kind == "clawBack":
                    fn, sender = p.functions.clawBack(acc[m], n, WELCOME), 8
                else:
                    fn, sender = p.functions.transfer(acc[s[2]], n), m
                sweep(m, t)
                if points[m] < n:
                    error = f"PointsInsufficient(member={acc[m]}, balance={points[m]}, needed={n})"
                else:
                    points[m] -= n
                    last[m] = t
                    if kind == "redeem":
                        redeemed += n
                    elif kind == "clawBack":
                        clawed += n
                    else:
                        sweep(s[2], t)
                        points[s[2]] += n
                        last[s[2]] = t
            else:  # expire
                fn, sender = p.functions.expire(acc[m]), 4
                if not sweep(m, t):
                    error = "PointsNotExpired("
            if error:
                points, last, issued, redeemed, expired, clawed = saved
                with lib.reverts(p, error):
                    fn.call({"from": acc[sender]}, block_identifier="pending")
            else:
                tx = fn.transact({"from": acc[sender], "gas": 300_000})
                receipt = lib.w3.eth.wait_for_transaction_receipt(tx)
                assert receipt["status"] == 1
                latest = t
        assert reader.functions.points(p.address, [acc[m] for m in MEMBERS]).call() == [points[m] for m in MEMBERS]
        outstanding = sum(points.values())
        assert p.functions.totals().call() == [issued, redeemed, expired, clawed, outstanding]
        assert issued == redeemed + expired + clawed + outstanding

    run()
