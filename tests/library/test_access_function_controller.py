"""FunctionAccessController + AccessControlled: allow/deny lists per (target, selector), admin and committee governance."""

from __future__ import annotations

import pytest
from eth_utils import keccak

ZERO = "0x" + "00" * 20
OPEN, ALLOW, DENY = 0, 1, 2
TELLERS = keccak(text="TELLERS")
OTHERS = keccak(text="OTHERS")
BLOCKED = keccak(text="BLOCKED")
DEPOSITS = keccak(text="DEPOSITS")
WITHDRAWALS = keccak(text="WITHDRAWALS")
DEPOSIT = keccak(text="deposit()")[:4]
WITHDRAW = keccak(text="withdraw()")[:4]


def restricted(caller: str, selector: bytes) -> str:
    return f"AccessRestricted(caller={caller}, selector=0x{selector.hex()})"


@pytest.fixture
def fac(lib):
    return lib.deploy("FunctionAccessController", lib.accounts[0], [], 0)


@pytest.fixture
def guarded(lib, fac):
    return lib.deploy("AccessGuarded", fac.address)


def committee(lib, members=(1, 2, 3), threshold=2):
    return lib.deploy("FunctionAccessController", ZERO, [lib.accounts[m] for m in members], threshold)


def deploy_reverts(lib, name, args, expected):
    art = lib.artifact(name)
    factory = lib.w3.eth.contract(abi=art["abi"], bytecode=art["bytecode"])
    with lib.reverts(factory, expected):
        factory.constructor(*args).transact({"from": lib.accounts[0]})


def test_constructor_validation(lib):
    acc = lib.accounts
    deploy_reverts(lib, "FunctionAccessController", (ZERO, [], 0), "ZeroAddress()")
    deploy_reverts(lib, "FunctionAccessController", (acc[0], [], 1), "InvalidThreshold(threshold=1, memberCount=0)")
    deploy_reverts(lib, "FunctionAccessController", (acc[0], [acc[1]], 1), "ConflictingGovernance()")
    deploy_reverts(lib, "FunctionAccessController", (ZERO, [acc[1], acc[2]], 0),
                   "InvalidThreshold(threshold=0, memberCount=2)")
    deploy_reverts(lib, "FunctionAccessController", (ZERO, [acc[1], acc[2]], 3),
                   "InvalidThreshold(threshold=3, memberCount=2)")
    deploy_reverts(lib, "FunctionAccessController", (ZERO, [acc[1], acc[1]], 1), f"DuplicateMember(member={acc[1]})")
    deploy_reverts(lib, "FunctionAccessController", (ZERO, [acc[1], ZERO], 1), "ZeroAddress()")
    deploy_reverts(lib, "AccessGuarded", (ZERO,), "InvalidAccessController()")
    c = committee(lib)
    assert c.functions.admin().call() == ZERO
    assert c.functions.members().call() == [acc[1], acc[2], acc[3]]
    assert c.functions.threshold().call() == 2


def test_open_by_default(lib, fac, guarded):
    acc = lib.accounts
    assert fac.functions.admin().call() == acc[0]
    assert fac.functions.canCall(acc[5], guarded.address, DEPOSIT).call() is True
    assert fac.functions.modeOf(guarded.address, DEPOSIT).call() == OPEN
    lib.send(guarded.functions.deposit(), sender=5)
    assert guarded.functions.deposits().call() == 1
    assert guarded.functions.accessController().call() == fac.address


def allow_tellers_to_deposit(lib, fac, guarded):
    acc = lib.accounts
    lib.send(fac.functions.setAccountGroup(acc[1], TELLERS), sender=0)
    lib.send(fac.functions.setAccountGroup(acc[3], OTHERS), sender=0)
    lib.send(fac.functions.setFunctionGroup(guarded.address, DEPOSIT, DEPOSITS), sender=0)
    lib.send(fac.functions.setPermission(TELLERS, DEPOSITS, True), sender=0)
    lib.send(fac.functions.setFunctionMode(guarded.address, DEPOSIT, ALLOW), sender=0)


def test_allow_list(lib, fac, guarded):
    acc = lib.accounts
    allow_tellers_to_deposit(lib, fac, guarded)
    lib.send(guarded.functions.deposit(), sender=1)
    assert guarded.functions.deposits().call() == 1
    for i in (2, 3, 0):  # no group, unlisted group, even the admin
        assert fac.functions.canCall(acc[i], guarded.address, DEPOSIT).call() is False
        with lib.reverts(guarded, restricted(acc[i], DEPOSIT)):
            guarded.functions.deposit().transact({"from": acc[i]})
    # other selectors of the same target are unaffected
    lib.send(guarded.functions.withdraw(), sender=2)
    lib.send(guarded.functions.ping(), sender=2)
    # unlisting the group closes it again
    lib.send(fac.functions.setPermission(TELLERS, DEPOSITS, False), sender=0)
    with lib.reverts(guarded, restricted(acc[1], DEPOSIT)):
        guarded.functions.deposit().transact({"from": acc[1]})
    lib.send(fac.functions.setPermission(TELLERS, DEPOSITS, True), sender=0)
    # a function without a group under AllowList is closed to everybody
    lib.send(fac.functions.setFunctionGroup(guarded.address, DEPOSIT, b"\x00" * 32), sender=0)
    assert fac.functions.canCall(acc[1], guarded.address, DEPOSIT).call() is False
    # back to Open
    lib.send(fac.functions.setFunctionMode(guarded.address, DEPOSIT, OPEN), sender=0)
    lib.send(guarded.functions.deposit(), sender=2)
    assert guarded.functions.deposits().call() == 2


def test_rules_are_per_target(lib, fac, guarded):
    other = lib.deploy("AccessGuarded", fac.address)
    allow_tellers_to_deposit(lib, fac, guarded)
    lib.send(other.functions.deposit(), sender=2)
    assert fac.functions.canCall(lib.accounts[2], other.address, DEPOSIT).call() is True
    assert fac.functions.canCall(lib.accounts[2], guarded.address, DEPOSIT).call() is False


def test_deny_list(lib, fac, guarded):
    acc = lib.accounts
    lib.send(fac.functions.setAccountGroup(acc[4], BLOCKED), sender=0)
    lib.send(fac.functions.setAccountGroup(acc[5], OTHERS), sender=0)
    lib.send(fac.functions.setFunctionGroup(guarded.address, WITHDRAW, WITHDRAWALS), sender=0)
    lib.send(fac.functions.setPermission(BLOCKED, WITHDRAWALS, True), sender=0)
    lib.send(fac.functions.setFunctionMode(guarded.address, WITHDRAW, DENY), sender=0)
    with lib.reverts(guarded, restricted(acc[4], WITHDRAW)):
        guarded.functions.withdraw().transact({"from": acc[4]})
    lib.send(guarded.functions.withdraw(), sender=5)
    lib.send(guarded.functions.withdraw(), sender=6)
    lib.send(guarded.functions.deposit(), sender=4)  # only withdraw is guarded
    # leaving the group lifts the block
    lib.send(fac.functions.setAccountGroup(acc[4], b"\x00" * 32), sender=0)
    assert fac.functions.accountGroupOf(acc[4]).call() == b"\x00" * 32
    lib.send(guarded.functions.withdraw(), sender=4)
    assert guarded.functions.withdrawals().call() == 3


def test_rule_events(lib, fac, guarded):
    acc = lib.accounts
    r = lib.send(fac.functions.setAccountGroup(acc[1], TELLERS), sender=0)
    assert lib.events(fac, r, "AccountGroupSet") == [{"account": acc[1], "group": TELLERS}]
    r = lib.send(fac.functions.setFunctionGroup(guarded.address, DEPOSIT, DEPOSITS), sender=0)
    assert lib.events(fac, r, "FunctionGroupSet") == [
        {"target": guarded.address, "selector": DEPOSIT, "group": DEPOSITS}]
    r = lib.send(fac.functions.setFunctionMode(guarded.address, DEPOSIT, DENY), sender=0)
    assert lib.events(fac, r, "FunctionModeSet") == [{"target": guarded.address, "selector": DEPOSIT, "mode": DENY}]
    r = lib.send(fac.functions.setPermission(TELLERS, DEPOSITS, True), sender=0)
    assert lib.events(fac, r, "PermissionSet") == [{"accountGroup": TELLERS, "functionGroup": DEPOSITS, "listed": True}]
    assert fac.functions.accountGroupOf(acc[1]).call() == TELLERS
    assert fac.functions.functionGroupOf(guarded.address, DEPOSIT).call() == DEPOSITS
    assert fac.functions.modeOf(guarded.address, DEPOSIT).call() == DENY
    assert fac.functions.isPermitted(TELLERS, DEPOSITS).call() is True
    with lib.reverts(fac, "ZeroAddress()"):
        fac.functions.setAccountGroup(ZERO, TELLERS).transact({"from": acc[0]})
    with lib.reverts(fac, "ZeroAddress()"):
        fac.functions.setFunctionGroup(ZERO, DEPOSIT, DEPOSITS).transact({"from": acc[0]})
    with lib.reverts(fac, "ZeroAddress()"):
        fac.functions.setFunctionMode(ZERO, DEPOSIT, ALLOW).transact({"from": acc[0]})


def test_only_admin_changes_rules(lib, fac, guarded):
    acc = lib.accounts
    calls = [
        fac.functions.setAccountGroup(acc[1], TELLERS),
        fac.functions.setFunctionGroup(guarded.address, DEPOSIT, DEPOSITS),
        fac.functions.setFunctionMode(guarded.address, DEPOSIT, ALLOW),
        fac.functions.setPermission(TELLERS, DEPOSITS, True),
        fac.functions.setAdmin(acc[1]),
        fac.functions.setCommittee([acc[1]], 1),
    ]
    for fn in calls:
        with lib.reverts(fac, f"NotGovernance(caller={acc[1]})"):
            fn.transact({"from": acc[1]})
    with lib.reverts(fac, f"NotCommitteeMember(caller={acc[0]})"):
        fac.functions.propose(b"\x00" * 4).transact({"from": acc[0]})


def test_admin_handover(lib, fac):
    acc = lib.accounts
    with lib.reverts(fac, "ZeroAddress()"):
        fac.functions.setAdmin(ZERO).transact({"from": acc[0]})
    r = lib.send(fac.functions.setAdmin(acc[1]), sender=0)
    assert lib.events(fac, r, "AdminChanged") == [{"previousAdmin": acc[0], "newAdmin": acc[1]}]
    assert lib.events(fac, r, "CommitteeChanged") == []
    with lib.reverts(fac, f"NotGovernance(caller={acc[0]})"):
        fac.functions.setAccountGroup(acc[2], TELLERS).transact({"from": acc[0]})
    lib.send(fac.functions.setAccountGroup(acc[2], TELLERS), sender=1)
    # admin -> committee
    r = lib.send(fac.functions.setCommittee([acc[2], acc[3]], 2), sender=1)
    assert lib.events(fac, r, "AdminChanged") == [{"previousAdmin": acc[1], "newAdmin": ZERO}]
    [ev] = lib.events(fac, r, "CommitteeChanged")
    assert ev["members"] == [acc[2], acc[3]] and ev["threshold"] == 2
    assert fac.functions.admin().call() == ZERO
    with lib.reverts(fac, f"NotGovernance(caller={acc[1]})"):
        fac.functions.setAccountGroup(acc[2], OTHERS).transact({"from": acc[1]})


# ------------------------------------------------------------------ committee mode

def test_committee_proposal_flow(lib):
    acc = lib.accounts
    c = committee(lib)
    guarded = lib.deploy("AccessGuarded", c.address)
    data = c.encode_abi("setFunctionMode", args=[guarded.address, DEPOSIT, ALLOW])
    with lib.reverts(c, f"NotCommitteeMember(caller={acc[5]})"):
        c.functions.propose(data).transact({"from": acc[5]})
    with lib.reverts(c, "InvalidProposalData()"):
        c.functions.propose(b"\x01\x02").transact({"from": acc[1]})
    with lib.reverts(c, f"NotGovernance(caller={acc[1]})"):  # members cannot bypass the vote
        c.functions.setFunctionMode(guarded.address, DEPOSIT, ALLOW).transact({"from": acc[1]})
    r = lib.send(c.functions.propose(data), sender=1)
    assert lib.events(c, r, "ProposalCreated") == [{"id": 0, "proposer": acc[1], "data": bytes.fromhex(data[2:])}]
    assert lib.events(c, r, "ProposalApproved") == [{"id": 0, "member": acc[1], "approvals": 1}]
    assert lib.events(c, r, "ProposalExecuted") == []
    assert c.functions.modeOf(guarded.address, DEPOSIT).call() == OPEN
    with lib.reverts(c, f"AlreadyApproved(id=0, member={acc[1]})"):
        c.functions.approve(0).transact({"from": acc[1]})
    with lib.reverts(c, f"NotCommitteeMember(caller={acc[5]})"):
        c.functions.approve(0).transact({"from": acc[5]})
    with lib.reverts(c, "UnknownProposal(id=1)"):
        c.functions.approve(1).transact({"from": acc[2]})
    r = lib.send(c.functions.approve(0), sender=3)
    assert lib.events(c, r, "ProposalApproved") == [{"id": 0, "member": acc[3], "approvals": 2}]
    assert lib.events(c, r, "ProposalExecuted") == [{"id": 0}]
    assert lib.events(c, r, "FunctionModeSet") == [{"target": guarded.address, "selector": DEPOSIT, "mode": ALLOW}]
    assert c.functions.modeOf(guarded.address, DEPOSIT).call() == ALLOW
    assert c.functions.getProposal(0).call()[:4] == [acc[1], True, 2, 1]
    assert c.functions.hasApproved(0, acc[3]).call() is True
    with lib.reverts(guarded, restricted(acc[1], DEPOSIT)):
        guarded.functions.deposit().transact({"from": acc[1]})
    with lib.reverts(c, "ProposalAlreadyExecuted(id=0)"):
        c.functions.approve(0).transact({"from": acc[2]})


def test_committee_thresholds_one_and_n(lib):
    acc = lib.accounts
    one = committee(lib, threshold=1)
    r = lib.send(one.functions.propose(one.encode_abi("setAccountGroup", args=[acc[7], TELLERS])), sender=2)
    assert lib.events(one, r, "ProposalExecuted") == [{"id": 0}]
    assert one.functions.accountGroupOf(acc[7]).call() == TELLERS
    n = committee(lib, threshold=3)
    lib.send(n.functions.propose(n.encode_abi("setAccountGroup", args=[acc[7], TELLERS])), sender=1)
    lib.send(n.functions.approve(0), sender=2)
    assert n.functions.accountGroupOf(acc[7]).call() == b"\x00" * 32
    r = lib.send(n.functions.approve(0), sender=3)
    assert lib.events(n, r, "ProposalExecuted") == [{"id": 0}]
    assert n.functions.accountGroupOf(acc[7]).call() == TELLERS


def test_failed_execution_reverts_and_keeps_proposal_open(lib):
    acc = lib.accounts
    c = committee(lib)
    lib.send(c.functions.propose(c.encode_abi("setAccountGroup", args=[ZERO, TELLERS])), sender=1)
    with lib.reverts(c, "ZeroAddress()"):  # inner custom error bubbles up
        c.functions.approve(0).transact({"from": acc[2]})
    assert c.functions.getProposal(0).call()[1:3] == [False, 1]
    assert c.functions.hasApproved(0, acc[2]).call() is False


def test_committee_change_makes_pending_proposals_stale(lib):
    acc = lib.accounts
    c = committee(lib)
    lib.send(c.functions.propose(c.encode_abi("setAccountGroup", args=[acc[7], TELLERS])), sender=1)
    lib.send(c.functions.propose(c.encode_abi("setCommittee", args=[[acc[1], acc[2], acc[4]], 2])), sender=1)
    r = lib.send(c.functions.approve(1), sender=2)
    [ev] = lib.events(c, r, "CommitteeChanged")
    assert ev["members"] == [acc[1], acc[2], acc[4]] and ev["threshold"] == 2
    assert c.functions.isMember(acc[3]).call() is False and c.functions.isMember(acc[4]).call() is True
    with lib.reverts(c, "ProposalStale(id=0)"):
        c.functions.approve(0).transact({"from": acc[4]})
    with lib.reverts(c, f"NotCommitteeMember(caller={acc[3]})"):
        c.functions.propose(b"\x00" * 4).transact({"from": acc[3]})


def test_committee_hands_over_to_admin(lib):
    acc = lib.accounts
    c = committee(lib)
    lib.send(c.functions.propose(c.encode_abi("setAdmin", args=[acc[6]])), sender=1)
    r = lib.send(c.functions.approve(0), sender=2)
    assert lib.events(c, r, "AdminChanged") == [{"previousAdmin": ZERO, "newAdmin": acc[6]}]
    assert lib.events(c, r, "CommitteeChanged")[0]["members"] == []
    assert c.functions.members().call() == [] and c.functions.threshold().call() == 0
    with lib.reverts(c, f"NotCommitteeMember(caller={acc[1]})"):
        c.functions.propose(b"\x00" * 4).transact({"from": acc[1]})
    lib.send(c.functions.setAccountGroup(acc[7], OTHERS), sender=6)
    assert c.functions.accountGroupOf(acc[7]).call() == OTHERS
