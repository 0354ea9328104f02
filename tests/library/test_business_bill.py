"""Bill: issue / accept / reject / cancel, two-step endorsement, split, settlement in ether or off-chain, history."""

from __future__ import annotations

import pytest
from eth_utils import keccak

ZERO = "0x" + "00" * 20
Z32 = b"\x00" * 32
DAY = 86400
DOC = keccak(text="invoice 42")
# Status
ISSUED, ACCEPTED, REJECTED, CANCELLED, SPLIT, SETTLED = range(1, 7)
# Action
(A_ISSUED, A_ACCEPTED, A_REJECTED, A_CANCELLED, A_OFFERED, A_END_CANCELLED, A_DECLINED, A_ENDORSED,
 A_SPLIT, A_SPLIT_FROM, A_ON_CHAIN, A_OFF_CHAIN) = range(12)
DRAWER, PAYER, HOLDER, ENDORSEE, OUTSIDER = 1, 2, 3, 4, 5


def ts(lib, receipt) -> int:
    return lib.w3.eth.get_block(receipt["blockNumber"])["timestamp"]


@pytest.fixture
def bill(lib):
    return lib.deploy("Bill", lib.accounts[0])


def issue(lib, bill, amount=1000, due=None):
    due = due or lib.now() + 30 * DAY
    r = lib.send(bill.functions.issue(lib.accounts[PAYER], lib.accounts[HOLDER], amount, due, DOC), sender=DRAWER)
    return lib.events(bill, r, "BillIssued")[0]["id"], due, r


def accepted(lib, bill, amount=1000, due=None):
    bid, due, _ = issue(lib, bill, amount, due)
    lib.send(bill.functions.accept(bid), sender=PAYER)
    return bid, due


def info(bill, bid):
    return tuple(bill.functions.getBill(bid).call())


def hist(bill, bid):
    return [tuple(e) for e in bill.functions.history(bid).call()]


def test_issue(lib, bill):
    acc = lib.accounts
    t = lib.now() + 10
    lib.at(t)
    fn = bill.functions.issue
    with lib.reverts(bill, "ZeroAddress()"):
        fn(ZERO, acc[HOLDER], 1, t + DAY, DOC).transact({"from": acc[DRAWER]})
    with lib.reverts(bill, "ZeroAddress()"):
        fn(acc[PAYER], ZERO, 1, t + DAY, DOC).transact({"from": acc[DRAWER]})
    with lib.reverts(bill, "ZeroAmount()"):
        fn(acc[PAYER], acc[HOLDER], 0, t + DAY, DOC).transact({"from": acc[DRAWER]})
    with lib.reverts(bill, f"InvalidDueDate(dueDate={t})"):
        fn(acc[PAYER], acc[HOLDER], 1, t, DOC).transact({"from": acc[DRAWER]})
    bid, due, r = issue(lib, bill, amount=2**256 - 1, due=t + DAY)
    assert bid == 1
    assert lib.events(bill, r, "BillIssued") == [{
        "id": 1, "drawer": acc[DRAWER], "payer": acc[PAYER], "holder": acc[HOLDER], "amount": 2**256 - 1,
        "dueDate": due, "documentHash": DOC}]
    t1 = ts(lib, r)
    assert info(bill, 1) == (acc[DRAWER], acc[PAYER], acc[HOLDER], ZERO, ISSUED, t1, due, 2**256 - 1, 0, DOC, Z32)
    assert hist(bill, 1) == [(A_ISSUED, acc[DRAWER], acc[HOLDER], t1, 2**256 - 1, DOC)]
    assert bill.functions.statusOf(1).call() == ISSUED
    assert bill.functions.billCount().call() == 1
    for who in (DRAWER, PAYER, HOLDER):
        assert bill.functions.billsOf(acc[who], 0, 10).call() == [1]
        assert bill.functions.billCountOf(acc[who]).call() == 1
    assert bill.functions.billsOf(acc[OUTSIDER], 0, 10).call() == []
    # drawer == holder (own bill) is fine and listed once
    lib.send(fn(acc[PAYER], acc[DRAWER], 5, t + DAY, Z32), sender=DRAWER)
    assert bill.functions.billsOf(acc[DRAWER], 0, 10).call() == [1, 2]
    assert bill.functions.billsOf(acc[DRAWER], 1, 10).call() == [2]
    assert bill.functions.billsOf(acc[DRAWER], 2, 10).call() == []
    for view in (bill.functions.getBill(0), bill.functions.statusOf(3), bill.functions.history(3)):
        with lib.reverts(bill, "UnknownBill(id="):
            view.call()


def test_accept_endorse_pay_withdraw(lib, bill):
    acc = lib.accounts
    bid, due, r0 = issue(lib, bill)
    expected = [(A_ISSUED, acc[DRAWER], acc[HOLDER], ts(lib, r0), 1000, DOC)]
    r = lib.send(bill.functions.accept(bid), sender=PAYER)
    assert lib.events(bill, r, "BillAccepted") == [{"id": 1, "payer": acc[PAYER]}]
    expected.append((A_ACCEPTED, acc[PAYER], ZERO, ts(lib, r), 1000, Z32))
    r = lib.send(bill.functions.endorse(bid, acc[ENDORSEE]), sender=HOLDER)
    assert lib.events(bill, r, "EndorsementOffered") == [{"id": 1, "from": acc[HOLDER], "to": acc[ENDORSEE]}]
    assert info(bill, bid)[3] == acc[ENDORSEE]
    expected.append((A_OFFERED, acc[HOLDER], acc[ENDORSEE], ts(lib, r), 1000, Z32))
    r = lib.send(bill.functions.acceptEndorsement(bid), sender=ENDORSEE)
    assert lib.events(bill, r, "BillEndorsed") == [{"id": 1, "from": acc[HOLDER], "to": acc[ENDORSEE]}]
    expected.append((A_ENDORSED, acc[ENDORSEE], acc[HOLDER], ts(lib, r), 1000, Z32))
    assert info(bill, bid)[2:4] == (acc[ENDORSEE], ZERO)
    assert bill.functions.billsOf(acc[ENDORSEE], 0, 5).call() == [1]

    lib.at(due)
    r = lib.send(bill.functions.pay(bid), sender=PAYER, value=1000)
    assert lib.events(bill, r, "BillSettled") == [
        {"id": 1, "holder": acc[ENDORSEE], "amount": 1000, "onChain": True, "ref": Z32}]
    expected.append((A_ON_CHAIN, acc[PAYER], acc[ENDORSEE], ts(lib, r), 1000, Z32))
    assert hist(bill, bid) == expected
    assert bill.functions.statusOf(bid).call() == SETTLED
    assert bill.functions.withdrawable(acc[ENDORSEE]).call() == 1000
    assert bill.functions.withdrawable(acc[HOLDER]).call() == 0
    before = lib.w3.eth.get_balance(acc[ENDORSEE])
    r = lib.send(bill.functions.withdraw(), sender=ENDORSEE)
    assert lib.events(bill, r, "Withdrawn") == [{"account": acc[ENDORSEE], "amount": 1000}]
    assert lib.w3.eth.get_balance(acc[ENDORSEE]) == before + 1000 - r["gasUsed"] * r["effectiveGasPrice"]
    with lib.reverts(bill, f"NothingToWithdraw(account={acc[ENDORSEE]})"):
        bill.functions.withdraw().transact({"from": acc[ENDORSEE]})
    assert lib.w3.eth.get_balance(bill.address) == 0


def test_reject_cancel_and_illegal_transitions(lib, bill):
    acc = lib.accounts
    f = bill.functions
    rejected, _, _ = issue(lib, bill)
    cancelled, _, _ = issue(lib, bill)
    settled, due = accepted(lib, bill)
    split_parent, _ = accepted(lib, bill, due=due)
    issued, _, _ = issue(lib, bill, due=due)
    with lib.reverts(bill, f"NotPayer(id={rejected}, account={acc[DRAWER]})"):
        f.reject(rejected, b"x" * 32).transact({"from": acc[DRAWER]})
    r = lib.send(f.reject(rejected, b"r" * 32), sender=PAYER)
    assert lib.events(bill, r, "BillRejected") == [{"id": rejected, "payer": acc[PAYER], "reason": b"r" * 32}]
    assert hist(bill, rejected)[-1] == (A_REJECTED, acc[PAYER], ZERO, ts(lib, r), 1000, b"r" * 32)
    with lib.reverts(bill, f"NotDrawer(id={cancelled}, account={acc[PAYER]})"):
        f.cancel(cancelled).transact({"from": acc[PAYER]})
    r = lib.send(f.cancel(cancelled), sender=DRAWER)
    assert lib.events(bill, r, "BillCancelled") == [{"id": cancelled, "drawer": acc[DRAWER]}]
    assert hist(bill, cancelled)[-1][:3] == (A_CANCELLED, acc[DRAWER], ZERO)
    lib.send(f.split(split_parent, [600, 400]), sender=HOLDER)
    lib.at(due)
    lib.send(f.pay(settled), sender=PAYER, value=1000)
    with lib.reverts(bill, f"NotPayer(id={issued}, account={acc[HOLDER]})"):
        f.accept(issued).transact({"from": acc[HOLDER]})

    # every operation in every status where it is not allowed: (call, sender, value, required status)
    def ops(bid):
        return [(f.accept(bid), PAYER, 0, ISSUED), (f.reject(bid, Z32), PAYER, 0, ISSUED),
                (f.cancel(bid), DRAWER, 0, ISSUED), (f.endorse(bid, acc[ENDORSEE]), HOLDER, 0, ACCEPTED),
                (f.split(bid, [1, 999]), HOLDER, 0, ACCEPTED), (f.pay(bid), PAYER, 1000, ACCEPTED),
                (f.confirmSettlement(bid, Z32), HOLDER, 0, ACCEPTED)]

    for bid, status in ((issued, ISSUED), (rejected, REJECTED), (cancelled, CANCELLED), (split_parent, SPLIT),
                        (settled, SETTLED)):
        assert f.statusOf(bid).call() == status
        for call, who, value, required in ops(bid):
            if required == status:
                continue
            with lib.reverts(bill, f"WrongStatus(id={bid}, current={status}, required={required})"):
                call.transact({"from": acc[who], "value": value})


def test_endorsement_rules(lib, bill):
    acc = lib.accounts
    f = bill.functions
    bid, due = accepted(lib, bill)
    with lib.reverts(bill, f"NotHolder(id=1, account={acc[DRAWER]})"):
        f.endorse(bid, acc[ENDORSEE]).transact({"from": acc[DRAWER]})
    for bad in (ZERO, acc[HOLDER]):
        with lib.reverts(bill, f"InvalidEndorsee(id=1, account={bad})"):
            f.endorse(bid, bad).transact({"from": acc[HOLDER]})
    with lib.reverts(bill, "NoPendingEndorsement(id=1)"):
        f.cancelEndorsement(bid).transact({"from": acc[HOLDER]})
    for fn in (f.acceptEndorsement, f.declineEndorsement):
        with lib.reverts(bill, f"NotPendingHolder(id=1, account={acc[ENDORSEE]})"):
            fn(bid).transact({"from": acc[ENDORSEE]})
    lib.send(f.endorse(bid, acc[ENDORSEE]), sender=HOLDER)
    with lib.reverts(bill, f"EndorsementPending(id=1, pendingHolder={acc[ENDORSEE]})"):
        f.endorse(bid, acc[OUTSIDER]).transact({"from": acc[HOLDER]})
    with lib.reverts(bill, f"EndorsementPending(id=1, pendingHolder={acc[ENDORSEE]})"):
        f.split(bid, [500, 500]).transact({"from": acc[HOLDER]})
    with lib.reverts(bill, f"NotHolder(id=1, account={acc[ENDORSEE]})"):
        f.cancelEndorsement(bid).transact({"from": acc[ENDORSEE]})
    with lib.reverts(bill, f"NotPendingHolder(id=1, account={acc[OUTSIDER]})"):
        f.acceptEndorsement(bid).transact({"from": acc[OUTSIDER]})
    r = lib.send(f.cancelEndorsement(bid), sender=HOLDER)
    assert lib.events(bill, r, "EndorsementCancelled") == [{"id": 1, "from": acc[HOLDER], "to": acc[ENDORSEE]}]
    lib.send(f.endorse(bid, acc[ENDORSEE]), sender=HOLDER)
    r = lib.send(f.declineEndorsement(bid), sender=ENDORSEE)
    assert lib.events(bill, r, "EndorsementDeclined") == [{"id": 1, "from": acc[HOLDER], "to": acc[ENDORSEE]}]
    assert [e[0] for e in hist(bill, bid)] == [A_ISSUED, A_ACCEPTED, A_OFFERED, A_END_CANCELLED, A_OFFERED, A_DECLINED]
    assert info(bill, bid)[2:4] == (acc[HOLDER], ZERO)
    # chain of endorsements, then settlement withdraws a pending one
    lib.send(f.endorse(bid, acc[ENDORSEE]), sender=HOLDER)
    lib.send(f.acceptEndorsement(bid), sender=ENDORSEE)
    lib.send(f.endorse(bid, acc[OUTSIDER]), sender=ENDORSEE)
    lib.at(due)
    r = lib.send(f.pay(bid), sender=PAYER, value=1000)
    assert lib.events(bill, r, "EndorsementCancelled") == [{"id": 1, "from": acc[ENDORSEE], "to": acc[OUTSIDER]}]
    assert lib.events(bill, r, "BillSettled")[0]["holder"] == acc[ENDORSEE]
    assert info(bill, bid)[3] == ZERO
    assert [e[0] for e in hist(bill, bid)][-2:] == [A_END_CANCELLED, A_ON_CHAIN]
    with lib.reverts(bill, f"NotPendingHolder(id=1, account={acc[OUTSIDER]})"):
        f.acceptEndorsement(bid).transact({"from": acc[OUTSIDER]})


def test_split(lib, bill):
    acc = lib.accounts
    f = bill.functions
    bid, due = accepted(lib, bill)
    with lib.reverts(bill, f"NotHolder(id=1, account={acc[PAYER]})"):
        f.split(bid, [500, 500]).transact({"from": acc[PAYER]})
    for bad in ([1000], [], [500, 499], [500, 501], [1000, 0], [100] * 10 + [0], [90] * 11):
        with lib.reverts(bill, "InvalidSplit(id=1)"):
            f.split(bid, bad).transact({"from": acc[HOLDER]})
    r = lib.send(f.split(bid, [600, 300, 100]), sender=HOLDER)
    assert lib.events(bill, r, "BillSplit") == [{"id": 1, "childIds": [2, 3, 4], "amounts": [600, 300, 100]}]
    t = ts(lib, r)
    assert f.statusOf(bid).call() == SPLIT
    assert hist(bill, bid)[-1] == (A_SPLIT, acc[HOLDER], ZERO, t, 1000, Z32)
    children = [info(bill, c) for c in (2, 3, 4)]
    for child, amount in zip(children, (600, 300, 100)):
        assert child == (acc[DRAWER], acc[PAYER], acc[HOLDER], ZERO, ACCEPTED, t, due, amount, 1, DOC, Z32)
    assert sum(c[7] for c in children) == info(bill, bid)[7]  # value is conserved by a split
    assert hist(bill, 3) == [(A_SPLIT_FROM, acc[HOLDER], acc[HOLDER], t, 300, (1).to_bytes(32, "big"))]
    assert f.billsOf(acc[PAYER], 0, 10).call() == [1, 2, 3, 4]
    # children live on their own: endorse one, split another again, settle them separately
    lib.send(f.endorse(2, acc[ENDORSEE]), sender=HOLDER)
    lib.send(f.acceptEndorsement(2), sender=ENDORSEE)
    r = lib.send(f.split(3, [150, 150]), sender=HOLDER)
    assert lib.events(bill, r, "BillSplit")[0]["childIds"] == [5, 6]
    lib.at(due)
    for child in (2, 4, 5, 6):
        lib.send(f.pay(child), sender=PAYER, value=info(bill, child)[7])
    assert f.withdrawable(acc[ENDORSEE]).call() == 600
    assert f.withdrawable(acc[HOLDER]).call() == 400
    assert lib.w3.eth.get_balance(bill.address) == 1000


def test_settlement_rules(lib, bill):
    acc = lib.accounts
    f = bill.functions
    a, due = accepted(lib, bill)
    b, _ = accepted(lib, bill, due=due)
    lib.at(due - 1)
    with lib.reverts(bill, f"NotDue(id=1, dueDate={due})"):
        f.pay(a).transact({"from": acc[PAYER], "value": 1000})
    with lib.reverts(bill, f"NotDue(id=2, dueDate={due})"):
        f.confirmSettlement(b, Z32).transact({"from": acc[HOLDER]})
    lib.at(due)
    with lib.reverts(bill, f"NotPayer(id=1, account={acc[OUTSIDER]})"):
        f.pay(a).transact({"from": acc[OUTSIDER], "value": 1000})
    for wrong in (0, 999, 1001):
        with lib.reverts(bill, f"WrongPayment(id=1, sent={wrong}, required=1000)"):
            f.pay(a).transact({"from": acc[PAYER], "value": wrong})
    with lib.reverts(bill, f"NotHolder(id=2, account={acc[PAYER]})"):
        f.confirmSettlement(b, Z32).transact({"from": acc[PAYER]})
    ref = keccak(text="bank transfer 991")
    r = lib.send(f.confirmSettlement(b, ref), sender=HOLDER)
    assert lib.events(bill, r, "BillSettled") == [
        {"id": 2, "holder": acc[HOLDER], "amount": 1000, "onChain": False, "ref": ref}]
    assert info(bill, b)[4] == SETTLED and info(bill, b)[10] == ref
    assert hist(bill, b)[-1] == (A_OFF_CHAIN, acc[HOLDER], acc[HOLDER], ts(lib, r), 1000, ref)
    assert f.withdrawable(acc[HOLDER]).call() == 0  # nothing on-chain
    lib.send(f.pay(a), sender=PAYER, value=1000)  # long after the due date is fine too
    assert lib.w3.eth.get_balance(bill.address) == 1000 == f.withdrawable(acc[HOLDER]).call()


def test_pause_and_reentrancy(lib, bill):
    acc = lib.accounts
    f = bill.functions
    payee = lib.deploy("BusinessPayee")
    due = lib.now() + DAY
    lib.send(f.issue(acc[PAYER], payee.address, 70, due, Z32), sender=DRAWER)
    lib.send(f.accept(1), sender=PAYER)
    lib.at(due)
    lib.send(f.pay(1), sender=PAYER, value=70)
    with lib.reverts(bill, f"OwnableUnauthorizedAccount(account={acc[1]})"):
        f.pause().transact({"from": acc[1]})
    lib.send(f.pause(), sender=0)
    for call, who in ((f.issue(acc[PAYER], acc[HOLDER], 1, due + DAY, Z32), DRAWER), (f.accept(1), PAYER),
                      (f.reject(1, Z32), PAYER), (f.cancel(1), DRAWER), (f.endorse(1, acc[4]), HOLDER),
                      (f.cancelEndorsement(1), HOLDER), (f.declineEndorsement(1), HOLDER),
                      (f.acceptEndorsement(1), HOLDER), (f.split(1, [1, 69]), HOLDER), (f.pay(1), PAYER),
                      (f.confirmSettlement(1, Z32), HOLDER)):
        with lib.reverts(bill, "EnforcedPause()"):
            call.transact({"from": acc[who]})
    # withdrawals work while paused; a re-entering receiver is paid exactly once
    r = lib.send(payee.functions.forward(bill.address, bill.encode_abi("withdraw", args=[])), sender=1)
    assert lib.events(bill, r, "Withdrawn") == [{"account": payee.address, "amount": 70}]
    assert payee.functions.received().call() == 70 and payee.functions.reentered().call() is False
    assert payee.functions.reentryError().call() == keccak(text="ReentrancyGuardReentrantCall()")[:4]
    assert lib.w3.eth.get_balance(bill.address) == 0
    lib.send(f.unpause(), sender=0)
    # a refusing receiver keeps its balance
    lib.send(f.issue(acc[PAYER], payee.address, 5, lib.now() + DAY, Z32), sender=DRAWER)
    lib.send(f.accept(2), sender=PAYER)
    lib.at(lib.now() + DAY + 1)
    lib.send(f.pay(2), sender=PAYER, value=5)
    lib.send(payee.functions.setRefuse(True), sender=1)
    with lib.reverts(bill, f"TransferFailed(to={payee.address}, amount=5)"):
        payee.functions.forward(bill.address, bill.encode_abi("withdraw", args=[])).transact({"from": acc[1]})
    assert f.withdrawable(payee.address).call() == 5
