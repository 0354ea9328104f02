"""Treasury's tests: spending rights belong to recoverable accounts, so they survive a key
rotation and a guardian recovery. Each test starts from a fresh chain state."""

import pytest

from smartdev.errors import RevertError

ETHER = 10**18


@pytest.fixture
def registry(deploy):
    return deploy("RecoverableAccount")


@pytest.fixture
def treasury(deploy, registry, accounts):
    treasury = deploy("Treasury", registry.address, accounts[0].address, sender=accounts[0])
    treasury.deposit(signer=accounts[0], value_wei=5 * ETHER)
    return treasury


@pytest.fixture
def spender(registry, treasury, accounts):
    """accounts[1]'s account, guarded by accounts[2..4] (2 of 3), allowed 2 ether."""
    key, guardians = accounts[1], [a.address for a in accounts[2:5]]
    registry.register(guardians, 2, signer=key)
    account = registry.account_of(key.address)
    treasury.set_allowance(account, 2 * ETHER, signer=accounts[0])
    return account


def test_a_spender_pays_within_its_allowance(treasury, spender, accounts, chain):
    payee = accounts[7].address
    before = chain.balance(payee)
    result = treasury.spend(payee, ETHER, signer=accounts[1])
    assert [e["event"] for e in result.events] == ["Spent"]
    assert chain.balance(payee) - before == ETHER
    assert treasury.allowance_of(spender) == ETHER
    with pytest.raises(RevertError, match="OverAllowance"):
        treasury.spend(payee, 2 * ETHER, signer=accounts[1])


def test_keys_without_an_account_cannot_spend(treasury, spender, accounts):
    with pytest.raises(RevertError, match="NotAnAccount"):
        treasury.spend(accounts[7].address, 1, signer=accounts[6])


def test_the_allowance_follows_a_key_rotation(registry, treasury, spender, accounts):
    old, new = accounts[1], accounts[5]
    registry.rotate_key(spender, new.address, signer=old)
    assert registry.key_of(spender) == new.address
    with pytest.raises(RevertError, match="NotAnAccount"):
        treasury.spend(accounts[7].address, 1, signer=old)
    treasury.spend(accounts[7].address, ETHER, signer=new)
    assert treasury.allowance_of(spender) == ETHER


def test_guardians_recover_a_lost_key_and_the_allowance_with_it(registry, treasury, spender, accounts):
    rescue = accounts[6]
    registry.propose_recovery(spender, rescue.address, signer=accounts[2])
    assert registry.key_of(spender) == accounts[1].address  # 1 of 2 approvals: not yet
    registry.approve_recovery(spender, rescue.address, signer=accounts[3])
    assert registry.key_of(spender) == rescue.address
    treasury.spend(accounts[7].address, 2 * ETHER, signer=rescue)
    assert treasury.allowance_of(spender) == 0


def test_a_frozen_account_cannot_spend(registry, treasury, spender, accounts):
    registry.freeze(spender, signer=accounts[2])  # a guardian suspects the key leaked
    with pytest.raises(RevertError, match="NotAnAccount"):
        treasury.spend(accounts[7].address, 1, signer=accounts[1])


def test_only_treasurers_set_allowances(treasury, spender, accounts):
    with pytest.raises(RevertError, match="AccessControlUnauthorizedAccount"):
        treasury.set_allowance(spender, 100 * ETHER, signer=accounts[1])
    treasury.grant_role(treasury.treasurer_role(), accounts[8].address, signer=accounts[0])
    treasury.set_allowance(spender, 3 * ETHER, signer=accounts[8])
    assert treasury.allowance_of(spender) == 3 * ETHER
