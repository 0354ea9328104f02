"""MultiSigWallet: constructor threshold validation, submit/confirm/revoke/execute, wallet-only owner management."""

from __future__ import annotations

import pytest
from eth_abi import encode
from eth_utils import keccak

ZERO = "0x" + "00" * 20


def deploy_reverts(lib, args, expected):
    art = lib.artifact("MultiSigWallet")
    factory = lib.w3.eth.contract(abi=art["abi"], bytecode=art["bytecode"])
    with lib.reverts(factory, expected):
        factory.constructor(*args).transact({"from": lib.accounts[0]})


@pytest.fixture
def target(lib):
    return lib.deploy("GovTarget")


def wallet(lib, owners=(1, 2, 3), threshold=2):
    return lib.deploy("MultiSigWallet", [lib.accounts[i] for i in owners], threshold)


def submit(lib, w, to, data=b"", value=0, sender=1):
    receipt = lib.send(w.functions.submit(to, value, data), sender=sender)
    return lib.events(w, receipt, "Submitted")[0]["id"]


def test_constructor_validates_threshold(lib):
    acc = lib.accounts
    deploy_reverts(lib, ([acc[1], acc[2]], 0), "InvalidThreshold(threshold=0, ownerCount=2)")
    deploy_reverts(lib, ([acc[1], acc[2]], 3), "InvalidThreshold(threshold=3, ownerCount=2)")
    deploy_reverts(lib, ([], 0), "InvalidThreshold(threshold=0, ownerCount=0)")
    deploy_reverts(lib, ([acc[1], acc[1]], 1), f"DuplicateOwner(owner={acc[1]})")
    deploy_reverts(lib, ([acc[1], ZERO], 1), "ZeroAddress()")
    w = wallet(lib)
    assert w.functions.threshold().call() == 2
    assert w.functions.owners().call() == [acc[1], acc[2], acc[3]]
    assert w.functions.isOwner(acc[2]).call() is True and w.functions.isOwner(acc[0]).call() is False


def test_submit_confirm_execute(lib, target):
    acc = lib.accounts
    w = wallet(lib)
    lib.w3.eth.send_transaction({"from": acc[0], "to": w.address, "value": 10**18})
    data = target.encode_abi("store", args=[42])
    receipt = lib.send(w.functions.submit(target.address, 1000, data), sender=1)
    assert lib.events(w, receipt, "Submitted") == [
        {"id": 0, "owner": acc[1], "to": target.address, "value": 1000, "data": bytes.fromhex(data[2:])}]
    assert lib.events(w, receipt, "Confirmed") == [{"id": 0, "owner": acc[1]}]
    assert w.functions.confirmationCount(0).call() == 1
    with lib.reverts(w, "ThresholdNotReached(id=0, confirmations=1, threshold=2)"):
        w.functions.execute(0).transact({"from": acc[1]})
    receipt = lib.send(w.functions.confirm(0), sender=3)
    assert lib.events(w, receipt, "Confirmed") == [{"id": 0, "owner": acc[3]}]
    assert target.functions.calls().call() == 0  # confirming does not execute
    receipt = lib.send(w.functions.execute(0), sender=2)
    assert lib.events(w, receipt, "Executed") == [{"id": 0, "executor": acc[2]}]
    assert target.functions.stored().call() == 42
    assert target.functions.lastCaller().call() == w.address
    assert target.functions.lastValue().call() == 1000
    assert w.functions.getTransaction(0).call()[3] is True
    with lib.reverts(w, "AlreadyExecuted(id=0)"):
        w.functions.execute(0).transact({"from": acc[2]})
    with lib.reverts(w, "AlreadyExecuted(id=0)"):
        w.functions.confirm(0).transact({"from": acc[2]})
    with lib.reverts(w, "AlreadyExecuted(id=0)"):
        w.functions.revoke(0).transact({"from": acc[1]})


def test_deposit_event(lib):
    w = wallet(lib)
    tx = lib.w3.eth.send_transaction({"from": lib.accounts[4], "to": w.address, "value": 123})
    receipt = lib.w3.eth.wait_for_transaction_receipt(tx)
    assert lib.events(w, receipt, "Deposit") == [{"sender": lib.accounts[4], "amount": 123}]
    assert lib.w3.eth.get_balance(w.address) == 123


def test_non_owner_denied(lib, target):
    acc = lib.accounts
    w = wallet(lib)
    submit(lib, w, target.address)
    for fn in (w.functions.submit(target.address, 0, b""), w.functions.confirm(0),
               w.functions.revoke(0), w.functions.execute(0)):
        with lib.reverts(w, f"NotOwner(account={acc[5]})"):
            fn.transact({"from": acc[5]})
    with lib.reverts(w, "UnknownTransaction(id=7)"):
        w.functions.confirm(7).transact({"from": acc[1]})
    with lib.reverts(w, "UnknownTransaction(id=7)"):
        w.functions.getTransaction(7).call()


def test_duplicate_confirm_and_revoke(lib, target):
    acc = lib.accounts
    w = wallet(lib)
    submit(lib, w, target.address, target.encode_abi("store", args=[1]))
    with lib.reverts(w, f"AlreadyConfirmed(id=0, owner={acc[1]})"):
        w.functions.confirm(0).transact({"from": acc[1]})
    with lib.reverts(w, f"NotConfirmed(id=0, owner={acc[2]})"):
        w.functions.revoke(0).transact({"from": acc[2]})
    lib.send(w.functions.confirm(0), sender=2)
    receipt = lib.send(w.functions.revoke(0), sender=2)
    assert lib.events(w, receipt, "Revoked") == [{"id": 0, "owner": acc[2]}]
    assert w.functions.isConfirmed(0, acc[2]).call() is False
    assert w.functions.confirmationCount(0).call() == 1
    with lib.reverts(w, "ThresholdNotReached(id=0, confirmations=1, threshold=2)"):
        w.functions.execute(0).transact({"from": acc[2]})
    lib.send(w.functions.confirm(0), sender=2)  # confirm again after revoking
    lib.send(w.functions.execute(0), sender=3)
    assert target.functions.stored().call() == 1


def test_threshold_one_and_n(lib, target):
    acc = lib.accounts
    one = wallet(lib, threshold=1)
    submit(lib, one, target.address, target.encode_abi("store", args=[5]), sender=2)
    lib.send(one.functions.execute(0), sender=2)
    assert target.functions.stored().call() == 5
    n = wallet(lib, threshold=3)
    submit(lib, n, target.address, target.encode_abi("store", args=[6]))
    lib.send(n.functions.confirm(0), sender=2)
    with lib.reverts(n, "ThresholdNotReached(id=0, confirmations=2, threshold=3)"):
        n.functions.execute(0).transact({"from": acc[1]})
    lib.send(n.functions.confirm(0), sender=3)
    lib.send(n.functions.execute(0), sender=1)
    assert target.functions.stored().call() == 6


def test_failed_call_reverts_with_reason_and_stays_pending(lib, target):
    acc = lib.accounts
    w = wallet(lib, threshold=1)
    submit(lib, w, target.address, target.encode_abi("refuse", args=[7]))
    inner = keccak(text="GovTargetRefused(uint256)")[:4] + encode(["uint256"], [7])
    with lib.reverts(w, f"ExecutionFailed(id=0, reason=0x{inner.hex()})"):
        w.functions.execute(0).transact({"from": acc[1]})
    assert w.functions.getTransaction(0).call()[3] is False
    # value without funds also fails
    submit(lib, w, target.address, target.encode_abi("store", args=[1]), value=1)
    with lib.reverts(w, "ExecutionFailed(id=1, reason=0x)"):
        w.functions.execute(1).transact({"from": acc[1]})


def test_owner_management_only_through_wallet(lib):
    acc = lib.accounts
    w = wallet(lib)
    for fn in (w.functions.addOwner(acc[4]), w.functions.removeOwner(acc[1]), w.functions.changeThreshold(1)):
        with lib.reverts(w, f"OnlyWallet(caller={acc[1]})"):
            fn.transact({"from": acc[1]})

    def run(data, confirmers=(2,)):
        tid = submit(lib, w, w.address, data)
        for c in confirmers:
            lib.send(w.functions.confirm(tid), sender=c)
        return lib.send(w.functions.execute(tid), sender=1)

    receipt = run(w.encode_abi("addOwner", args=[acc[4]]))
    assert lib.events(w, receipt, "OwnerAdded") == [{"owner": acc[4]}]
    assert w.functions.owners().call() == [acc[1], acc[2], acc[3], acc[4]]
    receipt = run(w.encode_abi("changeThreshold", args=[3]))
    assert lib.events(w, receipt, "ThresholdChanged") == [{"threshold": 3}]
    assert w.functions.threshold().call() == 3
    receipt = run(w.encode_abi("removeOwner", args=[acc[2]]), confirmers=(2, 3))
    assert lib.events(w, receipt, "OwnerRemoved") == [{"owner": acc[2]}]
    assert w.functions.isOwner(acc[2]).call() is False
    assert sorted(w.functions.owners().call()) == sorted([acc[1], acc[3], acc[4]])
    # invalid changes fail inside the wallet call
    bad = submit(lib, w, w.address, w.encode_abi("changeThreshold", args=[4]))
    lib.send(w.functions.confirm(bad), sender=3)
    lib.send(w.functions.confirm(bad), sender=4)
    sel = keccak(text="InvalidThreshold(uint256,uint256)")[:4] + encode(["uint256", "uint256"], [4, 3])
    with lib.reverts(w, f"ExecutionFailed(id={bad}, reason=0x{sel.hex()})"):
        w.functions.execute(bad).transact({"from": acc[1]})


def test_removing_owner_lowers_threshold_and_drops_confirmations(lib, target):
    acc = lib.accounts
    w = wallet(lib, owners=(1, 2), threshold=2)
    pending = submit(lib, w, target.address, target.encode_abi("store", args=[9]), sender=2)
    rm = submit(lib, w, w.address, w.encode_abi("removeOwner", args=[acc[2]]))
    lib.send(w.functions.confirm(rm), sender=2)
    receipt = lib.send(w.functions.execute(rm), sender=1)
    assert lib.events(w, receipt, "ThresholdChanged") == [{"threshold": 1}]
    assert w.functions.threshold().call() == 1
    # the removed owner's confirmation of `pending` no longer counts
    assert w.functions.confirmationCount(pending).call() == 0
    with lib.reverts(w, f"ThresholdNotReached(id={pending}, confirmations=0, threshold=1)"):
        w.functions.execute(pending).transact({"from": acc[1]})
    # ... not even after re-adding the owner
    add = submit(lib, w, w.address, w.encode_abi("addOwner", args=[acc[2]]))
    lib.send(w.functions.execute(add), sender=1)
    assert w.functions.isConfirmed(pending, acc[2]).call() is False
    assert w.functions.confirmationCount(pending).call() == 0
    lib.send(w.functions.confirm(pending), sender=2)
    lib.send(w.functions.execute(pending), sender=2)
    assert target.functions.stored().call() == 9
    # the last owner cannot be removed
    last = lib.deploy("MultiSigWallet", [acc[1]], 1)
    tid = submit(lib, last, last.address, last.encode_abi("removeOwner", args=[acc[1]]))
    sel = keccak(text="InvalidThreshold(uint256,uint256)")[:4] + encode(["uint256", "uint256"], [1, 0])
    with lib.reverts(last, f"ExecutionFailed(id={tid}, reason=0x{sel.hex()})"):
        last.functions.execute(tid).transact({"from": acc[1]})
