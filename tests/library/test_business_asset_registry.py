"""AssetRegistry: M-of-N member admission, assets with two-step transfers, admin freeze, ownership history."""

from __future__ import annotations

import random

import pytest
from eth_utils import keccak

ZERO = "0x" + "00" * 20
Z32 = b"\x00" * 32
ADMIN = b"\x00" * 32


def aid(label: str) -> bytes:
    return keccak(text=label)


def hx(b: bytes) -> str:
    return "0x" + b.hex()


def ts(lib, receipt) -> int:
    return lib.w3.eth.get_block(receipt["blockNumber"])["timestamp"]


def deploy_reverts(lib, args, expected):
    art = lib.artifact("AssetRegistry")
    factory = lib.w3.eth.contract(abi=art["abi"], bytecode=art["bytecode"])
    with lib.reverts(factory, expected):
        factory.constructor(*args).transact({"from": lib.accounts[0]})


@pytest.fixture
def reg(lib):
    """Admin 0; founders 1 (A), 2 (B), 3 (C); threshold 2."""
    acc = lib.accounts
    return lib.deploy("AssetRegistry", acc[0], [acc[1], acc[2], acc[3]], ["A", "B", "C"], 2)


def register(lib, reg, label, sender, uri=None):
    return lib.send(reg.functions.registerAsset(aid(label), uri or f"ipfs://{label}", keccak(text=label + "!")),
                    sender=sender)


def test_constructor(lib, reg):
    acc = lib.accounts
    deploy_reverts(lib, (ZERO, [acc[1]], ["A"], 1), "ZeroAddress()")
    deploy_reverts(lib, (acc[0], [acc[1], acc[2]], ["A"], 1), "LengthMismatch(accounts=2, names=1)")
    deploy_reverts(lib, (acc[0], [acc[1], acc[2]], ["A", "B"], 0), "InvalidThreshold(threshold=0, memberCount=2)")
    deploy_reverts(lib, (acc[0], [acc[1], acc[2]], ["A", "B"], 3), "InvalidThreshold(threshold=3, memberCount=2)")
    deploy_reverts(lib, (acc[0], [], [], 0), "InvalidThreshold(threshold=0, memberCount=0)")
    deploy_reverts(lib, (acc[0], [acc[1], ZERO], ["A", "B"], 1), "ZeroAddress()")
    deploy_reverts(lib, (acc[0], [acc[1], acc[1]], ["A", "B"], 1), f"AlreadyMember(account={acc[1]})")
    many = [lib.w3.to_checksum_address(f"0x{i + 1:040x}") for i in range(51)]
    deploy_reverts(lib, (acc[0], many, ["x"] * 51, 1), "TooManyMembers()")
    assert reg.functions.members(0, 10).call() == [acc[1], acc[2], acc[3]]
    assert reg.functions.members(2, 10).call() == [acc[3]]
    assert reg.functions.members(3, 10).call() == []
    assert reg.functions.memberCount().call() == 3
    assert reg.functions.memberName(acc[2]).call() == "B"
    assert reg.functions.memberName(acc[5]).call() == ""
    assert reg.functions.threshold().call() == 2
    assert reg.functions.hasRole(ADMIN, acc[0]).call() is True
    assert reg.functions.isMember(acc[0]).call() is False  # the admin is not a member
    logs = reg.events.MemberAdmitted().get_logs(from_block=0)
    assert [dict(e["args"]) for e in logs] == [
        {"account": acc[i], "name": n, "admissionId": 0} for i, n in ((1, "A"), (2, "B"), (3, "C"))]


def test_admission_m_of_n(lib, reg):
    acc = lib.accounts
    f = reg.functions
    with lib.reverts(reg, f"NotMember(account={acc[5]})"):
        f.proposeMember(acc[4], "D").transact({"from": acc[5]})
    with lib.reverts(reg, "ZeroAddress()"):
        f.proposeMember(ZERO, "D").transact({"from": acc[1]})
    with lib.reverts(reg, f"AlreadyMember(account={acc[2]})"):
        f.proposeMember(acc[2], "B").transact({"from": acc[1]})
    r = lib.send(f.proposeMember(acc[4], "D"), sender=1)
    assert lib.events(reg, r, "AdmissionProposed") == [{"id": 1, "candidate": acc[4], "proposer": acc[1], "name": "D"}]
    assert lib.events(reg, r, "AdmissionApproved") == [{"id": 1, "member": acc[1]}]
    assert lib.events(reg, r, "MemberAdmitted") == []
    assert f.approvalCount(1).call() == 1 and f.hasApproved(1, acc[1]).call() is True
    with lib.reverts(reg, f"AlreadyApproved(id=1, member={acc[1]})"):
        f.approveMember(1).transact({"from": acc[1]})
    with lib.reverts(reg, f"NotMember(account={acc[4]})"):
        f.approveMember(1).transact({"from": acc[4]})
    with lib.reverts(reg, "UnknownAdmission(id=2)"):
        f.approveMember(2).transact({"from": acc[2]})
    r = lib.send(f.approveMember(1), sender=3)
    assert lib.events(reg, r, "AdmissionApproved") == [{"id": 1, "member": acc[3]}]
    assert lib.events(reg, r, "MemberAdmitted") == [{"account": acc[4], "name": "D", "admissionId": 1}]
    assert f.isMember(acc[4]).call() is True and f.memberName(acc[4]).call() == "D"
    adm = tuple(f.getAdmission(1).call())
    assert adm[:4] == (acc[4], acc[1], True, False) and adm[5:] == ("D", [acc[1], acc[3]])
    assert f.admissionCount().call() == 1
    with lib.reverts(reg, "AdmissionClosed(id=1)"):
        f.approveMember(1).transact({"from": acc[2]})
    with lib.reverts(reg, "AdmissionClosed(id=1)"):
        f.cancelAdmission(1).transact({"from": acc[1]})

    # cancelling: proposer or admin only
    lib.send(f.proposeMember(acc[5], "E"), sender=2)
    with lib.reverts(reg, f"NotProposer(id=2, account={acc[1]})"):
        f.cancelAdmission(2).transact({"from": acc[1]})
    r = lib.send(f.cancelAdmission(2), sender=0)
    assert lib.events(reg, r, "AdmissionCancelled") == [{"id": 2, "by": acc[0]}]
    with lib.reverts(reg, "AdmissionClosed(id=2)"):
        f.approveMember(2).transact({"from": acc[1]})
    lib.send(f.proposeMember(acc[5], "E"), sender=2)
    r = lib.send(f.cancelAdmission(3), sender=2)
    assert lib.events(reg, r, "AdmissionCancelled") == [{"id": 3, "by": acc[2]}]
    assert f.isMember(acc[5]).call() is False

    # two open admissions of one candidate: the second cannot execute once the first did
    lib.send(f.proposeMember(acc[6], "F"), sender=1)
    lib.send(f.proposeMember(acc[6], "F2"), sender=2)
    lib.send(f.approveMember(4), sender=3)
    with lib.reverts(reg, f"AlreadyMember(account={acc[6]})"):
        f.approveMember(5).transact({"from": acc[3]})


def test_removed_members_approvals_stop_counting(lib, reg):
    acc = lib.accounts
    f = reg.functions
    lib.send(f.proposeMember(acc[4], "D"), sender=1)
    r = lib.send(f.removeMember(acc[1]), sender=0)
    assert lib.events(reg, r, "MemberRemoved") == [{"account": acc[1]}]
    assert lib.events(reg, r, "ThresholdChanged") == []  # 2 <= 2 members
    assert f.approvalCount(1).call() == 0
    assert f.memberName(acc[1]).call() == ""
    lib.send(f.approveMember(1), sender=2)
    assert f.isMember(acc[4]).call() is False
    lib.send(f.approveMember(1), sender=3)
    assert f.isMember(acc[4]).call() is True
    assert f.getAdmission(1).call()[6] == [acc[1], acc[2], acc[3]]  # the record keeps every approver


def test_admin_threshold_and_removal(lib, reg):
    acc = lib.accounts
    f = reg.functions
    denied = f"AccessControlUnauthorizedAccount(account={acc[1]}, neededRole={hx(ADMIN)})"
    for call in (f.setThreshold(1), f.removeMember(acc[2]), f.freeze(aid("x"), Z32), f.unfreeze(aid("x")), f.pause()):
        with lib.reverts(reg, denied):
            call.transact({"from": acc[1]})
    with lib.reverts(reg, "InvalidThreshold(threshold=0, memberCount=3)"):
        f.setThreshold(0).transact({"from": acc[0]})
    with lib.reverts(reg, "InvalidThreshold(threshold=4, memberCount=3)"):
        f.setThreshold(4).transact({"from": acc[0]})
    r = lib.send(f.setThreshold(3), sender=0)
    assert lib.events(reg, r, "ThresholdChanged") == [{"threshold": 3}]
    with lib.reverts(reg, f"NotMember(account={acc[5]})"):
        f.removeMember(acc[5]).transact({"from": acc[0]})
    r = lib.send(f.removeMember(acc[3]), sender=0)
    assert lib.events(reg, r, "ThresholdChanged") == [{"threshold": 2}]
    lib.send(f.removeMember(acc[2]), sender=0)
    assert f.threshold().call() == 1 and f.members(0, 9).call() == [acc[1]]
    with lib.reverts(reg, "LastMember()"):
        f.removeMember(acc[1]).transact({"from": acc[0]})
    # threshold 1: a proposal admits at once
    r = lib.send(f.proposeMember(acc[4], "D"), sender=1)
    assert lib.events(reg, r, "MemberAdmitted") == [{"account": acc[4], "name": "D", "admissionId": 1}]


def test_assets_and_transfers(lib, reg):
    acc = lib.accounts
    f = reg.functions
    a = aid("tractor")
    r0 = register(lib, reg, "tractor", 1)
    assert lib.events(reg, r0, "AssetRegistered") == [
        {"assetId": a, "owner": acc[1], "uri": "ipfs://tractor", "metadataHash": keccak(text="tractor!")}]
    t0 = ts(lib, r0)
    assert tuple(f.getAsset(a).call()) == (acc[1], ZERO, False, t0, keccak(text="tractor!"), "ipfs://tractor")
    r = lib.send(f.updateMetadata(a, "ipfs://v2", keccak(text="v2")), sender=1)
    assert lib.events(reg, r, "MetadataUpdated") == [{"assetId": a, "uri": "ipfs://v2", "metadataHash": keccak(text="v2")}]
    r = lib.send(f.offerTransfer(a, acc[2]), sender=1)
    assert lib.events(reg, r, "TransferOffered") == [{"assetId": a, "from": acc[1], "to": acc[2]}]
    assert f.getAsset(a).call()[1] == acc[2]
    assert f.assetsOf(acc[2], 0, 9).call() == []  # not before acceptance
    r = lib.send(f.acceptTransfer(a), sender=2)
    assert lib.events(reg, r, "AssetTransferred") == [{"assetId": a, "from": acc[1], "to": acc[2]}]
    t1 = ts(lib, r)
    assert tuple(f.getAsset(a).call())[:3] == (acc[2], ZERO, False)
    assert [tuple(x) for x in f.ownershipHistory(a).call()] == [(acc[1], t0), (acc[2], t1)]
    assert f.assetsOf(acc[1], 0, 9).call() == [] and f.assetsOf(acc[2], 0, 9).call() == [a]

    # cancel and reject
    lib.send(f.offerTransfer(a, acc[3]), sender=2)
    r = lib.send(f.cancelTransfer(a), sender=2)
    assert lib.events(reg, r, "TransferCancelled") == [{"assetId": a, "from": acc[2], "to": acc[3]}]
    lib.send(f.offerTransfer(a, acc[3]), sender=2)
    r = lib.send(f.rejectTransfer(a), sender=3)
    assert lib.events(reg, r, "TransferRejected") == [{"assetId": a, "from": acc[2], "to": acc[3]}]
    assert tuple(f.getAsset(a).call())[:2] == (acc[2], ZERO)
    assert len(f.ownershipHistory(a).call()) == 2


def test_asset_errors(lib, reg):
    acc = lib.accounts
    f = reg.functions
    a = aid("a")
    with lib.reverts(reg, f"NotMember(account={acc[5]})"):
        f.registerAsset(a, "", Z32).transact({"from": acc[5]})
    with lib.reverts(reg, "ZeroAssetId()"):
        f.registerAsset(Z32, "", Z32).transact({"from": acc[1]})
    for call in (f.updateMetadata(a, "", Z32), f.offerTransfer(a, acc[2]), f.cancelTransfer(a), f.rejectTransfer(a),
                 f.acceptTransfer(a), f.freeze(a, Z32), f.unfreeze(a)):
        with lib.reverts(reg, f"UnknownAsset(assetId={hx(a)})"):
            call.transact({"from": acc[1] if call.fn_name not in ("freeze", "unfreeze") else acc[0]})
    for view in (f.getAsset(a), f.ownershipHistory(a)):
        with lib.reverts(reg, f"UnknownAsset(assetId={hx(a)})"):
            view.call()
    register(lib, reg, "a", 1)
    with lib.reverts(reg, f"AssetExists(assetId={hx(a)})"):
        f.registerAsset(a, "", Z32).transact({"from": acc[2]})
    for call in (f.updateMetadata(a, "", Z32), f.offerTransfer(a, acc[3]), f.cancelTransfer(a)):
        with lib.reverts(reg, f"NotAssetOwner(assetId={hx(a)}, account={acc[2]})"):
            call.transact({"from": acc[2]})
    with lib.reverts(reg, f"InvalidRecipient(account={acc[1]})"):
        f.offerTransfer(a, acc[1]).transact({"from": acc[1]})
    with lib.reverts(reg, f"NotMember(account={acc[5]})"):
        f.offerTransfer(a, acc[5]).transact({"from": acc[1]})
    with lib.reverts(reg, f"NoPendingTransfer(assetId={hx(a)})"):
        f.cancelTransfer(a).transact({"from": acc[1]})
    lib.send(f.offerTransfer(a, acc[2]), sender=1)
    with lib.reverts(reg, f"TransferPending(assetId={hx(a)}, pendingOwner={acc[2]})"):
        f.offerTransfer(a, acc[3]).transact({"from": acc[1]})
    for fn in (f.acceptTransfer, f.rejectTransfer):
        with lib.reverts(reg, f"NotPendingOwner(assetId={hx(a)}, account={acc[3]})"):
            fn(a).transact({"from": acc[3]})
    # an offer to a member removed before accepting cannot be taken; a removed owner cannot act
    lib.send(f.removeMember(acc[2]), sender=0)
    with lib.reverts(reg, f"NotMember(account={acc[2]})"):
        f.acceptTransfer(a).transact({"from": acc[2]})
    lib.send(f.rejectTransfer(a), sender=2)  # declining needs no membership
    lib.send(f.removeMember(acc[1]), sender=0)
    with lib.reverts(reg, f"NotMember(account={acc[1]})"):
        f.offerTransfer(a, acc[3]).transact({"from": acc[1]})
    assert f.getAsset(a).call()[0] == acc[1]  # the record stays


def test_freeze_and_pause(lib, reg):
    acc = lib.accounts
    f = reg.functions
    a = aid("a")
    register(lib, reg, "a", 1)
    lib.send(f.offerTransfer(a, acc[2]), sender=1)
    with lib.reverts(reg, f"AssetNotFrozen(assetId={hx(a)})"):
        f.unfreeze(a).transact({"from": acc[0]})
    r = lib.send(f.freeze(a, b"court order".ljust(32, b"\x00")), sender=0)
    assert lib.events(reg, r, "AssetFrozen") == [{"assetId": a, "reason": b"court order".ljust(32, b"\x00")}]
    assert f.getAsset(a).call()[2] is True
    with lib.reverts(reg, f"AssetIsFrozen(assetId={hx(a)})"):
        f.freeze(a, Z32).transact({"from": acc[0]})
    with lib.reverts(reg, f"AssetIsFrozen(assetId={hx(a)})"):
        f.acceptTransfer(a).transact({"from": acc[2]})
    with lib.reverts(reg, f"AssetIsFrozen(assetId={hx(a)})"):
        f.updateMetadata(a, "", Z32).transact({"from": acc[1]})
    lib.send(f.cancelTransfer(a), sender=1)  # withdrawing an offer is allowed while frozen
    with lib.reverts(reg, f"AssetIsFrozen(assetId={hx(a)})"):
        f.offerTransfer(a, acc[2]).transact({"from": acc[1]})
    r = lib.send(f.unfreeze(a), sender=0)
    assert lib.events(reg, r, "AssetUnfrozen") == [{"assetId": a}]
    lib.send(f.offerTransfer(a, acc[2]), sender=1)

    lib.send(f.pause(), sender=0)
    for call, who in ((f.proposeMember(acc[5], ""), 1), (f.approveMember(1), 2), (f.registerAsset(aid("b"), "", Z32), 1),
                      (f.updateMetadata(a, "", Z32), 1), (f.offerTransfer(a, acc[3]), 1), (f.cancelTransfer(a), 1),
                      (f.rejectTransfer(a), 2), (f.acceptTransfer(a), 2)):
        with lib.reverts(reg, "EnforcedPause()"):
            call.transact({"from": acc[who]})
    lib.send(f.freeze(a, Z32), sender=0)  # admin actions still work
    lib.send(f.unfreeze(a), sender=0)
    lib.send(f.unpause(), sender=0)
    lib.send(f.acceptTransfer(a), sender=2)
    assert f.getAsset(a).call()[0] == acc[2]


def test_ownership_index_invariant(lib, reg):
    """After seeded random transfers: each asset is listed under exactly its owner, and its ownership
    history ends with the owner and records every accepted transfer."""
    acc = lib.accounts
    f = reg.functions
    rng = random.Random(7)
    labels = [f"asset{i}" for i in range(4)]
    owner = {}
    history = {}
    for i, label in enumerate(labels):
        register(lib, reg, label, 1 + i % 3)
        owner[label] = 1 + i % 3
        history[label] = [1 + i % 3]
    for _ in range(6):
        label = rng.choice(labels)
        to = rng.choice([m for m in (1, 2, 3) if m != owner[label]])
        lib.send(f.offerTransfer(aid(label), acc[to]), sender=owner[label])
        lib.send(f.acceptTransfer(aid(label)), sender=to)
        owner[label] = to
        history[label].append(to)
    assert f.assetCount().call() == 4
    assert f.assetIds(0, 9).call() == [aid(x) for x in labels]
    assert f.assetIds(3, 9).call() == [aid("asset3")]
    total = 0
    for m in (1, 2, 3):
        listed = f.assetsOf(acc[m], 0, 9).call()
        assert sorted(listed) == sorted(aid(x) for x in labels if owner[x] == m)
        assert f.assetCountOf(acc[m]).call() == len(listed)
        total += len(listed)
    assert total == 4
    for label in labels:
        hist = f.ownershipHistory(aid(label)).call()
        assert [h[0] for h in hist] == [acc[m] for m in history[label]]
        assert f.getAsset(aid(label)).call()[0] == hist[-1][0]
