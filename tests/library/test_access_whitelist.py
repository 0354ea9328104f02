"""Whitelist: owner-managed enumerable set and the onlyWhitelisted modifier."""

from __future__ import annotations

import pytest

ZERO = "0x" + "00" * 20


@pytest.fixture
def w(lib):
    return lib.deploy("AccessWhitelisted", lib.accounts[0])


def test_add_remove_and_gate(lib, w):
    acc = lib.accounts
    with lib.reverts(w, f"NotWhitelisted(account={acc[1]})"):
        w.functions.act().transact({"from": acc[1]})
    receipt = lib.send(w.functions.add(acc[1]), sender=0)
    assert lib.events(w, receipt, "WhitelistAdded") == [{"account": acc[1]}]
    assert w.functions.isWhitelisted(acc[1]).call() is True
    lib.send(w.functions.act(), sender=1)
    assert w.functions.calls().call() == 1
    receipt = lib.send(w.functions.remove(acc[1]), sender=0)
    assert lib.events(w, receipt, "WhitelistRemoved") == [{"account": acc[1]}]
    assert w.functions.isWhitelisted(acc[1]).call() is False
    with lib.reverts(w, f"NotWhitelisted(account={acc[1]})"):
        w.functions.act().transact({"from": acc[1]})


def test_errors(lib, w):
    acc = lib.accounts
    for fn in (w.functions.add(acc[2]), w.functions.remove(acc[2]),
               w.functions.addBatch([acc[2]]), w.functions.removeBatch([acc[2]])):
        with lib.reverts(w, f"OwnableUnauthorizedAccount(account={acc[2]})"):
            fn.transact({"from": acc[2]})
    with lib.reverts(w, "WhitelistZeroAddress()"):
        w.functions.add(ZERO).transact({"from": acc[0]})
    lib.send(w.functions.add(acc[1]), sender=0)
    with lib.reverts(w, f"AlreadyWhitelisted(account={acc[1]})"):
        w.functions.add(acc[1]).transact({"from": acc[0]})
    with lib.reverts(w, f"NotWhitelisted(account={acc[3]})"):
        w.functions.remove(acc[3]).transact({"from": acc[0]})
    with lib.reverts(w, "WhitelistIndexOutOfBounds(index=1)"):
        w.functions.memberAt(1).call()


def test_batches_are_all_or_nothing(lib, w):
    acc = lib.accounts
    receipt = lib.send(w.functions.addBatch([acc[1], acc[2], acc[3]]), sender=0)
    assert lib.events(w, receipt, "WhitelistAdded") == [{"account": acc[1]}, {"account": acc[2]}, {"account": acc[3]}]
    with lib.reverts(w, f"AlreadyWhitelisted(account={acc[2]})"):
        w.functions.addBatch([acc[4], acc[2]]).transact({"from": acc[0]})
    assert w.functions.isWhitelisted(acc[4]).call() is False
    with lib.reverts(w, f"NotWhitelisted(account={acc[5]})"):
        w.functions.removeBatch([acc[1], acc[5]]).transact({"from": acc[0]})
    assert w.functions.isWhitelisted(acc[1]).call() is True
    lib.send(w.functions.removeBatch([acc[1], acc[3]]), sender=0)
    assert w.functions.members().call() == [acc[2]]
    assert w.functions.memberCount().call() == 1
    assert w.functions.memberAt(0).call() == acc[2]


def test_enumeration_swap_and_pop(lib, w):
    acc = lib.accounts
    lib.send(w.functions.addBatch([acc[1], acc[2], acc[3], acc[4]]), sender=0)
    lib.send(w.functions.remove(acc[1]), sender=0)
    assert w.functions.members().call() == [acc[4], acc[2], acc[3]]
    lib.send(w.functions.remove(acc[3]), sender=0)
    assert w.functions.members().call() == [acc[4], acc[2]]
    lib.send(w.functions.remove(acc[4]), sender=0)
    assert w.functions.members().call() == [acc[2]]
    assert w.functions.isWhitelisted(acc[2]).call() is True


def test_standalone_whitelist_deploys(lib):
    w = lib.deploy("Whitelist", lib.accounts[3])
    assert w.functions.owner().call() == lib.accounts[3]
    lib.send(w.functions.add(lib.accounts[4]), sender=3)
    assert w.functions.isWhitelisted(lib.accounts[4]).call() is True
