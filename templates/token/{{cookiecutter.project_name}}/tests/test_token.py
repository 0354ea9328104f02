"""Token's tests, on a fresh chain state each (smartdev's pytest plugin snapshots and reverts)."""

import pytest

from smartdev.errors import RevertError

UNIT = 10 ** {{ cookiecutter.decimals }}
CAP = {{ cookiecutter.cap }} * UNIT


@pytest.fixture
def admin(accounts):
    return accounts[0]


@pytest.fixture
def token(deploy, admin):
    return deploy("Token", admin.address, sender=admin)


def test_metadata(token):
    assert token.name() == "{{ cookiecutter.token_name }}"
    assert token.symbol() == "{{ cookiecutter.token_symbol }}"
    assert token.decimals() == {{ cookiecutter.decimals }}
    assert token.cap() == CAP
    assert token.total_supply() == 0


def test_admin_mints_and_holders_transfer(token, admin, accounts):
    alice, bob = accounts[1], accounts[2]
    token.mint(alice.address, 100 * UNIT, signer=admin)
    result = token.transfer(bob.address, 40 * UNIT, signer=alice)
    [event] = result.events
    assert event["event"] == "Transfer" and event["args"]["value"] == 40 * UNIT
    assert token.balance_of(alice.address) == 60 * UNIT
    assert token.balance_of(bob.address) == 40 * UNIT


def test_only_minters_mint(token, accounts):
    with pytest.raises(RevertError, match="AccessControlUnauthorizedAccount"):
        token.mint(accounts[1].address, 1, signer=accounts[1])


def test_the_cap_holds(token, admin):
    token.mint(admin.address, CAP, signer=admin)
    with pytest.raises(RevertError, match="FungibleTokenCapExceeded"):
        token.mint(admin.address, 1, signer=admin)


def test_pause_stops_transfers(token, admin, accounts):
    token.mint(admin.address, 10, signer=admin)
    token.pause(signer=admin)
    with pytest.raises(RevertError, match="EnforcedPause"):
        token.transfer(accounts[1].address, 1, signer=admin)
    token.unpause(signer=admin)
    token.transfer(accounts[1].address, 1, signer=admin)
    assert token.balance_of(accounts[1].address) == 1


def test_transfers_beyond_the_balance_fail(token, accounts):
    with pytest.raises(RevertError, match="ERC20InsufficientBalance"):
        token.transfer(accounts[2].address, 1, signer=accounts[1])
