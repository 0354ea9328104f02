"""RedPacket: fixed and random ether packets, allow-list and password, expiry refund, pull payments, money conservation."""

from __future__ import annotations

import pytest
from eth_utils import keccak
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ZERO = "0x" + "00" * 20
NO_PW = b"\x00" * 32
DAY = 86400


@pytest.fixture
def rp(lib):
    return lib.deploy("RedPacket")


def create(lib, rp, shares, value, random=False, expiry=None, pw=NO_PW, allow=(), sender=0):
    expiry = expiry or lib.now() + DAY
    receipt = lib.send(rp.functions.create(shares, random, expiry, pw, list(allow)), sender=sender, value=value)
    return lib.events(rp, receipt, "PacketCreated")[0]["id"], receipt, expiry


def claim(lib, rp, pid, sender, pw=b""):
    receipt = lib.send(rp.functions.claim(pid, pw), sender=sender)
    return lib.events(rp, receipt, "Claimed")[0]["amount"]


def test_create_validation(lib, rp):
    acc = lib.accounts
    t = lib.now() + 10
    lib.at(t)

    def bad(expected, shares=2, value=10, expiry=t + DAY, allow=()):
        with lib.reverts(rp, expected):
            rp.functions.create(shares, False, expiry, NO_PW, list(allow)).transact({"from": acc[0], "value": value})

    bad("InvalidShares(shares=0)", shares=0)
    bad("InvalidShares(shares=1001)", shares=1001, value=10**6)
    bad("InsufficientFunding(value=2, shares=3)", shares=3, value=2)
    bad("InsufficientFunding(value=0, shares=1)", shares=1, value=0)
    bad(f"InvalidExpiry(expiry={t - 5})", expiry=t - 5)
    bad(f"InvalidExpiry(expiry={t + 365 * DAY + 20})", expiry=t + 365 * DAY + 20)
    many = [lib.w3.to_checksum_address(f"0x{i + 1:040x}") for i in range(501)]
    bad("AllowListTooLong(length=501)", allow=many)
    bad("ZeroAddress()", allow=[acc[1], ZERO])
    assert rp.functions.MAX_SHARES().call() == 1000
    assert rp.functions.MAX_ALLOW_LIST().call() == 500
    # the edges are fine: one share of one wei; 1000 shares of one wei each
    create(lib, rp, 1, 1)
    pid, _, _ = create(lib, rp, 1000, 1000, random=True)
    assert pid == 2 and rp.functions.packetCount().call() == 2


def test_fixed_packet_happy_path(lib, rp):
    acc = lib.accounts
    pid, receipt, expiry = create(lib, rp, 3, 10)
    t0 = lib.w3.eth.get_block(receipt["blockNumber"])["timestamp"]
    assert lib.events(rp, receipt, "PacketCreated") == [{
        "id": 1, "creator": acc[0], "total": 10, "shares": 3, "random": False, "expiry": expiry,
        "hasPassword": False, "allowList": []}]
    assert tuple(rp.functions.getPacket(1).call()) == (acc[0], False, False, 3, 0, 0, t0, expiry, NO_PW, 10, 10, 0)
    amounts = []
    for i, who in enumerate((4, 2, 0)):  # the creator may claim too
        r = lib.send(rp.functions.claim(1, b""), sender=who)
        ev = lib.events(rp, r, "Claimed")
        amounts.append(ev[0]["amount"])
        assert ev == [{"id": 1, "claimer": acc[who], "amount": amounts[-1], "sharesLeft": 2 - i}]
    assert amounts == [3, 3, 4]  # the last claimer takes the remainder
    with lib.reverts(rp, "PacketEmpty(id=1)"):
        rp.functions.claim(1, b"").transact({"from": acc[5]})
    assert rp.functions.claimers(1, 0, 10).call() == [[acc[4], acc[2], acc[0]], [3, 3, 4]]
    assert rp.functions.claimers(1, 1, 1).call() == [[acc[2]], [3]]
    assert rp.functions.claimers(1, 3, 1).call() == [[], []]
    assert rp.functions.claimedAmount(1, acc[2]).call() == 3
    assert rp.functions.claimedAmount(1, acc[3]).call() == 0
    assert rp.functions.withdrawable(acc[4]).call() == 3
    assert rp.functions.getPacket(1).call()[4] == 3 and rp.functions.getPacket(1).call()[10] == 0

    before = lib.w3.eth.get_balance(acc[4])
    r = lib.send(rp.functions.withdraw(), sender=4)
    assert lib.events(rp, r, "Withdrawn") == [{"account": acc[4], "amount": 3}]
    assert lib.w3.eth.get_balance(acc[4]) == before + 3 - r["gasUsed"] * r["effectiveGasPrice"]
    assert rp.functions.withdrawable(acc[4]).call() == 0
    with lib.reverts(rp, f"NothingToWithdraw(account={acc[4]})"):
        rp.functions.withdraw().transact({"from": acc[4]})
    assert lib.w3.eth.get_balance(rp.address) == 7
    # nothing left to refund after expiry
    lib.at(expiry)
    with lib.reverts(rp, "NothingToRefund(id=1)"):
        rp.functions.refund(1).transact({"from": acc[0]})


def test_random_packet_shares(lib, rp):
    acc = lib.accounts
    pid, _, _ = create(lib, rp, 4, 4, random=True)  # one wei each: random has no room
    assert [claim(lib, rp, pid, i) for i in (1, 2, 3, 4)] == [1, 1, 1, 1]
    total = 10**18 + 7
    pid, _, _ = create(lib, rp, 5, total, random=True)
    got = [claim(lib, rp, pid, i) for i in (5, 6, 7, 8, 9)]
    assert sum(got) == total and min(got) >= 1
    assert len(set(got)) > 1  # not an equal split
    remaining = total
    for k, amount in enumerate(got[:-1]):  # each share is within the documented cap
        left = 5 - k
        assert amount <= min(2 * remaining // left, remaining - (left - 1))
        remaining -= amount
    assert rp.functions.claimers(pid, 0, 9).call()[1] == got
    assert rp.functions.packetsOf(acc[0], 0, 9).call() == [1, 2]
    assert rp.functions.packetCountOf(acc[0]).call() == 2
    assert rp.functions.packetsOf(acc[0], 1, 9).call() == [2]


def test_claim_rules(lib, rp):
    acc = lib.accounts
    with lib.reverts(rp, "UnknownPacket(id=1)"):
        rp.functions.claim(1, b"").transact({"from": acc[1]})
    with lib.reverts(rp, "UnknownPacket(id=0)"):
        rp.functions.getPacket(0).call()
    pw = b"open sesame"
    pw_hash = keccak(pw)
    assert rp.functions.hashPassword(pw).call() == pw_hash
    pid, receipt, expiry = create(lib, rp, 5, 50, pw=pw_hash, allow=[acc[1], acc[2], acc[1], acc[3]])
    assert lib.events(rp, receipt, "PacketCreated")[0]["allowList"] == [acc[1], acc[2], acc[1], acc[3]]
    assert lib.events(rp, receipt, "PacketCreated")[0]["hasPassword"] is True
    assert rp.functions.getPacket(pid).call()[5] == 3  # distinct allow-listed accounts
    assert rp.functions.isAllowed(pid, acc[2]).call() is True
    assert rp.functions.isAllowed(pid, acc[4]).call() is False
    with lib.reverts(rp, f"NotAllowed(id=1, account={acc[4]})"):
        rp.functions.claim(pid, pw).transact({"from": acc[4]})
    with lib.reverts(rp, "WrongPassword(id=1)"):
        rp.functions.claim(pid, b"open sesame!").transact({"from": acc[1]})
    with lib.reverts(rp, "WrongPassword(id=1)"):
        rp.functions.claim(pid, b"").transact({"from": acc[1]})
    assert claim(lib, rp, pid, 1, pw) == 10
    with lib.reverts(rp, f"AlreadyClaimed(id=1, account={acc[1]})"):
        rp.functions.claim(pid, pw).transact({"from": acc[1]})
    lib.at(expiry)
    with lib.reverts(rp, f"PacketExpired(id=1, expiry={expiry})"):
        rp.functions.claim(pid, pw).transact({"from": acc[2]})
    # a packet without allow-list is open to anyone
    pid2, _, _ = create(lib, rp, 2, 2)
    assert rp.functions.isAllowed(pid2, acc[9]).call() is True
    assert claim(lib, rp, pid2, 9) == 1


def test_refund(lib, rp):
    acc = lib.accounts
    pid, _, expiry = create(lib, rp, 4, 1000, random=True, sender=3)
    a = claim(lib, rp, pid, 1)
    b = claim(lib, rp, pid, 2)
    with lib.reverts(rp, f"NotCreator(id=1, account={acc[1]})"):
        rp.functions.refund(pid).transact({"from": acc[1]})
    with lib.reverts(rp, f"NotExpired(id=1, expiry={expiry})"):
        rp.functions.refund(pid).transact({"from": acc[3]})
    lib.at(expiry)
    r = lib.send(rp.functions.refund(pid), sender=3)
    assert lib.events(rp, r, "Refunded") == [{"id": 1, "creator": acc[3], "amount": 1000 - a - b}]
    packet = rp.functions.getPacket(pid).call()
    assert (packet[2], packet[10], packet[11]) == (True, 0, 1000 - a - b)
    assert a + b + packet[11] == packet[9] == 1000
    with lib.reverts(rp, "AlreadyRefunded(id=1)"):
        rp.functions.refund(pid).transact({"from": acc[3]})
    assert rp.functions.withdrawable(acc[3]).call() == 1000 - a - b
    lib.send(rp.functions.withdraw(), sender=3)
    lib.send(rp.functions.withdraw(), sender=1)
    lib.send(rp.functions.withdraw(), sender=2)
    assert lib.w3.eth.get_balance(rp.address) == 0


def test_withdraw_reentrancy_and_refusing_receiver(lib, rp):
    payee = lib.deploy("BusinessPayee")
    pid, _, _ = create(lib, rp, 2, 100)
    lib.send(payee.functions.forward(rp.address, rp.encode_abi("claim", args=[pid, b""])), sender=1)
    assert rp.functions.withdrawable(payee.address).call() == 50
    r = lib.send(payee.functions.forward(rp.address, rp.encode_abi("withdraw", args=[])), sender=1)
    assert lib.events(rp, r, "Withdrawn") == [{"account": payee.address, "amount": 50}]
    assert payee.functions.received().call() == 50 and payee.functions.payments().call() == 1
    assert payee.functions.reentered().call() is False
    assert payee.functions.reentryError().call() == keccak(text="ReentrancyGuardReentrantCall()")[:4]
    assert lib.w3.eth.get_balance(payee.address) == 50
    # a receiver that refuses ether keeps its balance (the withdrawal reverts as a whole)
    pid2, _, _ = create(lib, rp, 1, 30)
    lib.send(payee.functions.forward(rp.address, rp.encode_abi("claim", args=[pid2, b""])), sender=1)
    lib.send(payee.functions.setRefuse(True), sender=1)
    with lib.reverts(rp, f"TransferFailed(to={payee.address}, amount=30)"):
        payee.functions.forward(rp.address, rp.encode_abi("withdraw", args=[])).transact({"from": lib.accounts[1]})
    assert rp.functions.withdrawable(payee.address).call() == 30


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    shares=st.integers(1, 6),
    extra=st.one_of(st.just(0), st.integers(1, 20), st.integers(1, 10**18)),
    random=st.booleans(),
    order=st.permutations(list(range(1, 9))),
    claims=st.integers(0, 6),
)
def test_money_is_conserved(lib, rp, shares, extra, random, order, claims):
    """sum(claims) + refund == funded amount; every share >= 1 wei; equal split is exact."""
    total = shares + extra
    owed_before = rp.functions.totalWithdrawable().call()  # examples share one deployment
    pid, _, expiry = create(lib, rp, shares, total, random=random)
    claimers = order[: min(claims, shares)]
    got = [claim(lib, rp, pid, who) for who in claimers]
    assert all(a >= 1 for a in got)
    if not random:
        per = total // shares
        assert got == [per] * len(got) if len(got) < shares else got == [per] * (shares - 1) + [total - per * (shares - 1)]
    refund = 0
    if len(got) < shares:
        lib.at(max(expiry, lib.now() + 1))
        r = lib.send(rp.functions.refund(pid), sender=0)
        refund = lib.events(rp, r, "Refunded")[0]["amount"]
    else:
        assert refund == 0
    assert sum(got) + refund == total
    # every wei funded is owed to someone, and the contract holds exactly that
    owed = rp.functions.totalWithdrawable().call()
    assert owed - owed_before == total and owed == lib.w3.eth.get_balance(rp.address)
    packet = rp.functions.getPacket(pid).call()
    assert packet[10] == 0 and packet[11] == refund and packet[4] == len(got)
    assert rp.functions.claimers(pid, 0, 10).call() == [[lib.accounts[i] for i in claimers], got]
