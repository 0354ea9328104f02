"""AccessControl: roles, role admins, renounce, enumeration (AccessRoles harness)."""

from __future__ import annotations

import pytest
from eth_utils import keccak

DEFAULT_ADMIN = b"\x00" * 32
MINTER = keccak(text="MINTER")
MINTER_ADMIN = keccak(text="MINTER_ADMIN")


def unauthorized(account: str, role: bytes) -> str:
    return f"AccessControlUnauthorizedAccount(account={account}, neededRole=0x{role.hex()})"


@pytest.fixture
def c(lib):
    return lib.deploy("AccessRoles", lib.accounts[0])


def test_initial_admin(lib, c):
    acc = lib.accounts
    assert c.functions.DEFAULT_ADMIN_ROLE().call() == DEFAULT_ADMIN
    assert c.functions.hasRole(DEFAULT_ADMIN, acc[0]).call() is True
    assert c.functions.hasRole(DEFAULT_ADMIN, acc[1]).call() is False
    assert c.functions.getRoleAdmin(MINTER).call() == DEFAULT_ADMIN
    assert c.functions.getRoleAdmin(DEFAULT_ADMIN).call() == DEFAULT_ADMIN
    assert c.functions.getRoleMembers(DEFAULT_ADMIN).call() == [acc[0]]


def test_grant_and_revoke(lib, c):
    acc = lib.accounts
    with lib.reverts(c, unauthorized(acc[1], MINTER)):
        c.functions.mint().transact({"from": acc[1]})
    receipt = lib.send(c.functions.grantRole(MINTER, acc[1]), sender=0)
    assert lib.events(c, receipt, "RoleGranted") == [{"role": MINTER, "account": acc[1], "sender": acc[0]}]
    assert c.functions.hasRole(MINTER, acc[1]).call() is True
    lib.send(c.functions.mint(), sender=1)
    assert c.functions.minted().call() == 1
    # granting again is a silent no-op
    receipt = lib.send(c.functions.grantRole(MINTER, acc[1]), sender=0)
    assert lib.events(c, receipt, "RoleGranted") == []
    assert c.functions.getRoleMemberCount(MINTER).call() == 1
    receipt = lib.send(c.functions.revokeRole(MINTER, acc[1]), sender=0)
    assert lib.events(c, receipt, "RoleRevoked") == [{"role": MINTER, "account": acc[1], "sender": acc[0]}]
    assert c.functions.hasRole(MINTER, acc[1]).call() is False
    with lib.reverts(c, unauthorized(acc[1], MINTER)):
        c.functions.mint().transact({"from": acc[1]})
    receipt = lib.send(c.functions.revokeRole(MINTER, acc[1]), sender=0)
    assert lib.events(c, receipt, "RoleRevoked") == []


def test_non_admin_cannot_grant_or_revoke(lib, c):
    acc = lib.accounts
    lib.send(c.functions.grantRole(MINTER, acc[1]), sender=0)
    # a minter is not the minter admin
    with lib.reverts(c, unauthorized(acc[1], DEFAULT_ADMIN)):
        c.functions.grantRole(MINTER, acc[2]).transact({"from": acc[1]})
    with lib.reverts(c, unauthorized(acc[2], DEFAULT_ADMIN)):
        c.functions.revokeRole(MINTER, acc[1]).transact({"from": acc[2]})
    with lib.reverts(c, unauthorized(acc[2], DEFAULT_ADMIN)):
        c.functions.setRoleAdmin(MINTER, MINTER_ADMIN).transact({"from": acc[2]})
    assert c.functions.hasRole(MINTER, acc[1]).call() is True


def test_role_admin_hierarchy(lib, c):
    acc = lib.accounts
    receipt = lib.send(c.functions.setRoleAdmin(MINTER, MINTER_ADMIN), sender=0)
    assert lib.events(c, receipt, "RoleAdminChanged") == [
        {"role": MINTER, "previousAdminRole": DEFAULT_ADMIN, "newAdminRole": MINTER_ADMIN}]
    assert c.functions.getRoleAdmin(MINTER).call() == MINTER_ADMIN
    # the default admin no longer administers MINTER
    with lib.reverts(c, unauthorized(acc[0], MINTER_ADMIN)):
        c.functions.grantRole(MINTER, acc[2]).transact({"from": acc[0]})
    lib.send(c.functions.grantRole(MINTER_ADMIN, acc[1]), sender=0)
    receipt = lib.send(c.functions.grantRole(MINTER, acc[2]), sender=1)
    assert lib.events(c, receipt, "RoleGranted") == [{"role": MINTER, "account": acc[2], "sender": acc[1]}]
    lib.send(c.functions.mint(), sender=2)
    lib.send(c.functions.revokeRole(MINTER, acc[2]), sender=1)
    assert c.functions.hasRole(MINTER, acc[2]).call() is False


def test_renounce_role(lib, c):
    acc = lib.accounts
    lib.send(c.functions.grantRole(MINTER, acc[1]), sender=0)
    with lib.reverts(c, "AccessControlBadConfirmation()"):
        c.functions.renounceRole(MINTER, acc[1]).transact({"from": acc[0]})
    receipt = lib.send(c.functions.renounceRole(MINTER, acc[1]), sender=1)
    assert lib.events(c, receipt, "RoleRevoked") == [{"role": MINTER, "account": acc[1], "sender": acc[1]}]
    assert c.functions.hasRole(MINTER, acc[1]).call() is False
    # the last admin may renounce too; then nobody can grant
    lib.send(c.functions.renounceRole(DEFAULT_ADMIN, acc[0]), sender=0)
    with lib.reverts(c, unauthorized(acc[0], DEFAULT_ADMIN)):
        c.functions.grantRole(MINTER, acc[1]).transact({"from": acc[0]})


def test_enumeration(lib, c):
    acc = lib.accounts
    for i in (1, 2, 3, 4):
        lib.send(c.functions.grantRole(MINTER, acc[i]), sender=0)
    assert c.functions.getRoleMembers(MINTER).call() == [acc[1], acc[2], acc[3], acc[4]]
    assert c.functions.getRoleMemberCount(MINTER).call() == 4
    assert c.functions.getRoleMember(MINTER, 2).call() == acc[3]
    lib.send(c.functions.revokeRole(MINTER, acc[2]), sender=0)  # last member fills the hole
    assert c.functions.getRoleMembers(MINTER).call() == [acc[1], acc[4], acc[3]]
    lib.send(c.functions.revokeRole(MINTER, acc[3]), sender=0)  # removing the last one
    assert c.functions.getRoleMembers(MINTER).call() == [acc[1], acc[4]]
    assert c.functions.hasRole(MINTER, acc[4]).call() is True
    lib.send(c.functions.revokeRole(MINTER, acc[4]), sender=0)
    lib.send(c.functions.revokeRole(MINTER, acc[1]), sender=0)
    assert c.functions.getRoleMembers(MINTER).call() == []
    lib.send(c.functions.grantRole(MINTER, acc[4]), sender=0)
    assert c.functions.getRoleMembers(MINTER).call() == [acc[4]]
    with lib.reverts(c, f"AccessControlMemberIndexOutOfBounds(role=0x{MINTER.hex()}, index=1)"):
        c.functions.getRoleMember(MINTER, 1).call()
