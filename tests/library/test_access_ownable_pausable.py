"""Ownable2Step and Pausable, through the AccessOwnedPausable harness."""

from __future__ import annotations

import pytest

ZERO = "0x" + "00" * 20


@pytest.fixture
def c(lib):
    return lib.deploy("AccessOwnedPausable", lib.accounts[0])


def test_constructor_sets_owner_and_emits(lib, c):
    assert c.functions.owner().call() == lib.accounts[0]
    assert c.functions.pendingOwner().call() == ZERO
    deploy_receipt = lib.w3.eth.get_transaction_receipt(
        lib.w3.eth.get_block("latest")["transactions"][0])
    assert lib.events(c, deploy_receipt, "OwnershipTransferred") == [
        {"previousOwner": ZERO, "newOwner": lib.accounts[0]}]


def test_zero_initial_owner_rejected(lib):
    art = lib.artifact("AccessOwnedPausable")
    factory = lib.w3.eth.contract(abi=art["abi"], bytecode=art["bytecode"])
    with lib.reverts(factory, f"OwnableInvalidOwner(owner={ZERO})"):
        factory.constructor(ZERO).transact({"from": lib.accounts[0]})


def test_two_step_transfer(lib, c):
    acc = lib.accounts
    receipt = lib.send(c.functions.transferOwnership(acc[1]), sender=0)
    assert lib.events(c, receipt, "OwnershipTransferStarted") == [{"previousOwner": acc[0], "newOwner": acc[1]}]
    assert c.functions.owner().call() == acc[0]  # nothing moved yet
    assert c.functions.pendingOwner().call() == acc[1]
    with lib.reverts(c, f"OwnableUnauthorizedAccount(account={acc[2]})"):
        c.functions.acceptOwnership().transact({"from": acc[2]})
    with lib.reverts(c, f"OwnableUnauthorizedAccount(account={acc[0]})"):
        c.functions.acceptOwnership().transact({"from": acc[0]})
    # re-nominating replaces the pending owner
    lib.send(c.functions.transferOwnership(acc[2]), sender=0)
    with lib.reverts(c, f"OwnableUnauthorizedAccount(account={acc[1]})"):
        c.functions.acceptOwnership().transact({"from": acc[1]})
    receipt = lib.send(c.functions.acceptOwnership(), sender=2)
    assert lib.events(c, receipt, "OwnershipTransferred") == [{"previousOwner": acc[0], "newOwner": acc[2]}]
    assert c.functions.owner().call() == acc[2]
    assert c.functions.pendingOwner().call() == ZERO
    with lib.reverts(c, f"OwnableUnauthorizedAccount(account={acc[0]})"):
        c.functions.bump().transact({"from": acc[0]})
    lib.send(c.functions.bump(), sender=2)
    assert c.functions.counter().call() == 1


def test_transfer_errors_and_cancel(lib, c):
    acc = lib.accounts
    with lib.reverts(c, f"OwnableUnauthorizedAccount(account={acc[1]})"):
        c.functions.transferOwnership(acc[1]).transact({"from": acc[1]})
    with lib.reverts(c, f"OwnableInvalidOwner(owner={ZERO})"):
        c.functions.transferOwnership(ZERO).transact({"from": acc[0]})
    with lib.reverts(c, f"OwnableInvalidOwner(owner={acc[0]})"):
        c.functions.transferOwnership(acc[0]).transact({"from": acc[0]})
    with lib.reverts(c, "OwnableNoPendingTransfer()"):
        c.functions.cancelOwnershipTransfer().transact({"from": acc[0]})
    lib.send(c.functions.transferOwnership(acc[1]), sender=0)
    with lib.reverts(c, f"OwnableUnauthorizedAccount(account={acc[1]})"):
        c.functions.cancelOwnershipTransfer().transact({"from": acc[1]})
    receipt = lib.send(c.functions.cancelOwnershipTransfer(), sender=0)
    assert lib.events(c, receipt, "OwnershipTransferCancelled") == [{"owner": acc[0], "pendingOwner": acc[1]}]
    assert c.functions.pendingOwner().call() == ZERO
    with lib.reverts(c, f"OwnableUnauthorizedAccount(account={acc[1]})"):
        c.functions.acceptOwnership().transact({"from": acc[1]})


def test_renounce(lib, c):
    acc = lib.accounts
    lib.send(c.functions.transferOwnership(acc[1]), sender=0)
    with lib.reverts(c, f"OwnableUnauthorizedAccount(account={acc[1]})"):
        c.functions.renounceOwnership().transact({"from": acc[1]})
    receipt = lib.send(c.functions.renounceOwnership(), sender=0)
    assert lib.events(c, receipt, "OwnershipTransferred") == [{"previousOwner": acc[0], "newOwner": ZERO}]
    assert c.functions.owner().call() == ZERO
    assert c.functions.pendingOwner().call() == ZERO  # the nomination died with the ownership
    with lib.reverts(c, f"OwnableUnauthorizedAccount(account={acc[1]})"):
        c.functions.acceptOwnership().transact({"from": acc[1]})
    with lib.reverts(c, f"OwnableUnauthorizedAccount(account={acc[0]})"):
        c.functions.bump().transact({"from": acc[0]})


def test_pause_cycle(lib, c):
    acc = lib.accounts
    assert c.functions.paused().call() is False
    with lib.reverts(c, "ExpectedPause()"):
        c.functions.rescue().transact({"from": acc[3]})
    with lib.reverts(c, "ExpectedPause()"):
        c.functions.unpause().transact({"from": acc[0]})
    with lib.reverts(c, f"OwnableUnauthorizedAccount(account={acc[3]})"):
        c.functions.pause().transact({"from": acc[3]})
    receipt = lib.send(c.functions.pause(), sender=0)
    assert lib.events(c, receipt, "Paused") == [{"account": acc[0]}]
    assert c.functions.paused().call() is True
    with lib.reverts(c, "EnforcedPause()"):
        c.functions.bump().transact({"from": acc[0]})
    with lib.reverts(c, "EnforcedPause()"):
        c.functions.pause().transact({"from": acc[0]})
    lib.send(c.functions.rescue(), sender=3)
    assert c.functions.rescued().call() == 1
    receipt = lib.send(c.functions.unpause(), sender=0)
    assert lib.events(c, receipt, "Unpaused") == [{"account": acc[0]}]
    assert c.functions.paused().call() is False
    lib.send(c.functions.bump(), sender=0)
    assert c.functions.counter().call() == 1
