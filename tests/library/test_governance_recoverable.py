"""RecoverableAccount: registration, key rotation, freezing, guardian recovery (on-chain and by signature)."""

from __future__ import annotations

import pytest
from eth_abi import encode
from eth_account import Account
from eth_account.messages import encode_defunct
from eth_utils import keccak, to_checksum_address

from smartdev.accounts import dev_signers

SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
ZERO = "0x" + "00" * 20


def err(name: str, *args) -> str:
    """The full decoded revert reason, e.g. err("NotGuardian", "id=1", "account=0x..")."""
    return f"{name}({', '.join(str(a) for a in args)})"


@pytest.fixture
def ra(lib):
    return lib.deploy("RecoverableAccount")


def a(lib, i):
    return lib.accounts[i]


def fresh(n: int) -> str:
    """A never-used key address."""
    return to_checksum_address(keccak(text=f"fresh-key-{n}")[-20:])


def register(lib, ra, key=0, guardians=(1, 2, 3), threshold=2):
    receipt = lib.send(ra.functions.register([a(lib, g) for g in guardians], threshold), sender=key)
    return lib.events(ra, receipt, "Registered")[0]["id"]


def sign(ra, lib, signer: int, account_id: int, new_key: str, nonce: int | None = None,
         contract: str | None = None, chain_id: int | None = None) -> bytes:
    if nonce is None:
        nonce = ra.functions.recoveryNonce(account_id).call()
    msg = keccak(encode(
        ["address", "uint256", "uint256", "address", "uint256"],
        [contract or ra.address, chain_id if chain_id is not None else lib.w3.eth.chain_id,
         account_id, new_key, nonce]))
    signed = Account.sign_message(encode_defunct(primitive=msg), dev_signers()[signer]._key)
    return bytes(signed.signature)


# ------------------------------------------------------------------ registration

def test_register_binds_key_and_guardians(lib, ra):
    receipt = lib.send(ra.functions.register([a(lib, 1), a(lib, 2), a(lib, 3)], 2), sender=0)
    [ev] = lib.events(ra, receipt, "Registered")
    assert ev == {"id": 1, "key": a(lib, 0), "guardians": [a(lib, 1), a(lib, 2), a(lib, 3)], "threshold": 2}
    assert ra.functions.keyOf(1).call() == a(lib, 0)
    assert ra.functions.accountOf(a(lib, 0)).call() == 1
    assert ra.functions.accountOf(a(lib, 1)).call() == 0
    assert ra.functions.guardiansOf(1).call() == [a(lib, 1), a(lib, 2), a(lib, 3)]
    assert ra.functions.thresholdOf(1).call() == 2
    assert ra.functions.isGuardian(1, a(lib, 2)).call() is True
    assert ra.functions.isGuardian(1, a(lib, 4)).call() is False
    assert ra.functions.isFrozen(1).call() is False
    assert ra.functions.pendingRecovery(1).call() == [ZERO, 0]
    assert ra.functions.recoveryNonce(1).call() == 0
    # ids are sequential
    assert register(lib, ra, key=4, guardians=(5,), threshold=1) == 2
    assert ra.functions.accountCount().call() == 2
    assert ra.functions.keyOf(2).call() == a(lib, 4)


def test_register_social_is_two_of_three(lib, ra):
    receipt = lib.send(ra.functions.registerSocial(a(lib, 1), a(lib, 2), a(lib, 3)), sender=0)
    [ev] = lib.events(ra, receipt, "Registered")
    assert ev["threshold"] == 2 and ev["guardians"] == [a(lib, 1), a(lib, 2), a(lib, 3)]
    assert ra.functions.thresholdOf(1).call() == 2
    with lib.reverts(ra, err("DuplicateGuardian", f"guardian={a(lib, 1)}")):
        ra.functions.registerSocial(a(lib, 1), a(lib, 1), a(lib, 3)).transact({"from": a(lib, 5)})


def test_register_threshold_edges(lib, ra):
    g = [a(lib, 1), a(lib, 2), a(lib, 3)]
    with lib.reverts(ra, err("InvalidThreshold", "threshold=0", "guardianCount=3")):
        ra.functions.register(g, 0).transact({"from": a(lib, 0)})
    with lib.reverts(ra, err("InvalidThreshold", "threshold=4", "guardianCount=3")):
        ra.functions.register(g, 4).transact({"from": a(lib, 0)})
    with lib.reverts(ra, err("InvalidThreshold", "threshold=1", "guardianCount=0")):
        ra.functions.register([], 1).transact({"from": a(lib, 0)})
    # 1 and N are both fine
    assert register(lib, ra, key=0, guardians=(1, 2, 3), threshold=3) == 1
    assert register(lib, ra, key=4, guardians=(1, 2, 3), threshold=1) == 2


def test_register_rejects_bad_guardians_and_bound_key(lib, ra):
    with lib.reverts(ra, err("InvalidGuardian", f"guardian={ZERO}")):
        ra.functions.register([a(lib, 1), ZERO], 1).transact({"from": a(lib, 0)})
    with lib.reverts(ra, err("InvalidGuardian", f"guardian={a(lib, 0)}")):
        ra.functions.register([a(lib, 1), a(lib, 0)], 1).transact({"from": a(lib, 0)})
    with lib.reverts(ra, err("DuplicateGuardian", f"guardian={a(lib, 2)}")):
        ra.functions.register([a(lib, 2), a(lib, 1), a(lib, 2)], 1).transact({"from": a(lib, 0)})
    many = [fresh(i) for i in range(33)]
    with lib.reverts(ra, err("TooManyGuardians", "count=33", "max=32")):
        ra.functions.register(many, 1).transact({"from": a(lib, 0)})
    register(lib, ra, key=0)
    with lib.reverts(ra, err("KeyAlreadyBound", f"key={a(lib, 0)}")):
        ra.functions.register([a(lib, 1)], 1).transact({"from": a(lib, 0)})


# ------------------------------------------------------------------ rotation

def test_rotate_key(lib, ra):
    rid = register(lib, ra)
    receipt = lib.send(ra.functions.rotateKey(rid, a(lib, 5)), sender=0)
    assert lib.events(ra, receipt, "KeyRotated") == [{"id": rid, "oldKey": a(lib, 0), "newKey": a(lib, 5)}]
    assert ra.functions.keyOf(rid).call() == a(lib, 5)
    assert ra.functions.accountOf(a(lib, 5)).call() == rid
    assert ra.functions.accountOf(a(lib, 0)).call() == 0
    assert ra.functions.recoveryNonce(rid).call() == 1
    # the old key lost control, the new one has it
    with lib.reverts(ra, err("NotKeyHolder", f"id={rid}", f"caller={a(lib, 0)}")):
        ra.functions.rotateKey(rid, a(lib, 6)).transact({"from": a(lib, 0)})
    lib.send(ra.functions.rotateKey(rid, a(lib, 0)), sender=5)
    assert ra.functions.keyOf(rid).call() == a(lib, 0)


def test_rotate_key_errors(lib, ra):
    rid = register(lib, ra)
    other = register(lib, ra, key=7, guardians=(8,), threshold=1)
    with lib.reverts(ra, err("NotKeyHolder", f"id={rid}", f"caller={a(lib, 1)}")):
        ra.functions.rotateKey(rid, a(lib, 5)).transact({"from": a(lib, 1)})
    with lib.reverts(ra, "ZeroKey()"):
        ra.functions.rotateKey(rid, ZERO).transact({"from": a(lib, 0)})
    with lib.reverts(ra, err("KeyAlreadyBound", f"key={a(lib, 7)}")):
        ra.functions.rotateKey(rid, a(lib, 7)).transact({"from": a(lib, 0)})
    with lib.reverts(ra, err("KeyAlreadyBound", f"key={a(lib, 0)}")):
        ra.functions.rotateKey(rid, a(lib, 0)).transact({"from": a(lib, 0)})
    with lib.reverts(ra, err("KeyIsGuardian", f"id={rid}", f"key={a(lib, 2)}")):
        ra.functions.rotateKey(rid, a(lib, 2)).transact({"from": a(lib, 0)})
    with lib.reverts(ra, err("UnknownAccount", "id=9")):
        ra.functions.rotateKey(9, a(lib, 5)).transact({"from": a(lib, 0)})
    assert ra.functions.keyOf(rid).call() == a(lib, 0) and ra.functions.keyOf(other).call() == a(lib, 7)


# ------------------------------------------------------------------ freezing

def test_freeze_by_key_and_guardian(lib, ra):
    rid = register(lib, ra)
    receipt = lib.send(ra.functions.freeze(rid), sender=0)
    assert lib.events(ra, receipt, "Frozen") == [{"id": rid, "by": a(lib, 0)}]
    assert ra.functions.isFrozen(rid).call() is True
    with lib.reverts(ra, err("AlreadyFrozen", f"id={rid}")):
        ra.functions.freeze(rid).transact({"from": a(lib, 2)})
    with lib.reverts(ra, err("NotKeyHolder", f"id={rid}", f"caller={a(lib, 2)}")):
        ra.functions.unfreeze(rid).transact({"from": a(lib, 2)})
    receipt = lib.send(ra.functions.unfreeze(rid), sender=0)
    assert lib.events(ra, receipt, "Unfrozen") == [{"id": rid, "by": a(lib, 0)}]
    assert ra.functions.isFrozen(rid).call() is False
    with lib.reverts(ra, err("NotFrozen", f"id={rid}")):
        ra.functions.unfreeze(rid).transact({"from": a(lib, 0)})
    receipt = lib.send(ra.functions.freeze(rid), sender=3)  # guardian, lost-key emergency
    assert lib.events(ra, receipt, "Frozen") == [{"id": rid, "by": a(lib, 3)}]
    with lib.reverts(ra, err("NotGuardian", f"id={rid}", f"account={a(lib, 6)}")):
        ra.functions.freeze(rid).transact({"from": a(lib, 6)})
    with lib.reverts(ra, err("UnknownAccount", "id=5")):
        ra.functions.freeze(5).transact({"from": a(lib, 0)})


def test_frozen_account_blocks_key_operations(lib, ra):
    rid = register(lib, ra)
    lib.send(ra.functions.proposeRecovery(rid, a(lib, 5)), sender=1)
    lib.send(ra.functions.freeze(rid), sender=2)
    with lib.reverts(ra, err("AccountFrozen", f"id={rid}")):
        ra.functions.rotateKey(rid, a(lib, 6)).transact({"from": a(lib, 0)})
    with lib.reverts(ra, err("AccountFrozen", f"id={rid}")):
        ra.functions.setGuardians(rid, [a(lib, 6)], 1).transact({"from": a(lib, 0)})
    with lib.reverts(ra, err("AccountFrozen", f"id={rid}")):
        ra.functions.cancelRecovery(rid).transact({"from": a(lib, 0)})
    # after unfreezing, the key holder may rotate again
    lib.send(ra.functions.unfreeze(rid), sender=0)
    lib.send(ra.functions.rotateKey(rid, a(lib, 6)), sender=0)
    assert ra.functions.keyOf(rid).call() == a(lib, 6)


# ------------------------------------------------------------------ on-chain recovery

def test_recovery_two_of_three(lib, ra):
    rid = register(lib, ra)
    new = fresh(1)
    receipt = lib.send(ra.functions.proposeRecovery(rid, new), sender=1)
    assert lib.events(ra, receipt, "RecoveryProposed") == [{"id": rid, "guardian": a(lib, 1), "newKey": new}]
    assert lib.events(ra, receipt, "RecoveryApproved") == [
        {"id": rid, "guardian": a(lib, 1), "newKey": new, "approvals": 1}]
    assert lib.events(ra, receipt, "Recovered") == []
    assert ra.functions.pendingRecovery(rid).call() == [new, 1]
    assert ra.functions.hasApproved(rid, a(lib, 1)).call() is True
    assert ra.functions.hasApproved(rid, a(lib, 2)).call() is False
    assert ra.functions.keyOf(rid).call() == a(lib, 0)

    receipt = lib.send(ra.functions.approveRecovery(rid, new), sender=3)
    assert lib.events(ra, receipt, "RecoveryApproved") == [
        {"id": rid, "guardian": a(lib, 3), "newKey": new, "approvals": 2}]
    assert lib.events(ra, receipt, "Recovered") == [{"id": rid, "oldKey": a(lib, 0), "newKey": new}]
    assert lib.events(ra, receipt, "KeyRotated") == [{"id": rid, "oldKey": a(lib, 0), "newKey": new}]
    assert lib.events(ra, receipt, "Unfrozen") == []
    assert ra.functions.keyOf(rid).call() == new
    assert ra.functions.accountOf(new).call() == rid
    assert ra.functions.accountOf(a(lib, 0)).call() == 0
    assert ra.functions.pendingRecovery(rid).call() == [ZERO, 0]
    assert ra.functions.hasApproved(rid, a(lib, 1)).call() is False
    assert ra.functions.recoveryNonce(rid).call() == 1
    # the old key is locked out
    with lib.reverts(ra, err("NotKeyHolder", f"id={rid}", f"caller={a(lib, 0)}")):
        ra.functions.cancelRecovery(rid).transact({"from": a(lib, 0)})


def test_recovery_threshold_one_executes_on_proposal(lib, ra):
    rid = register(lib, ra, guardians=(1, 2), threshold=1)
    receipt = lib.send(ra.functions.proposeRecovery(rid, a(lib, 6)), sender=2)
    assert lib.events(ra, receipt, "Recovered") == [{"id": rid, "oldKey": a(lib, 0), "newKey": a(lib, 6)}]
    assert ra.functions.keyOf(rid).call() == a(lib, 6)


def test_recovery_threshold_n_needs_every_guardian(lib, ra):
    rid = register(lib, ra, guardians=(1, 2, 3), threshold=3)
    lib.send(ra.functions.proposeRecovery(rid, a(lib, 6)), sender=1)
    receipt = lib.send(ra.functions.approveRecovery(rid, a(lib, 6)), sender=2)
    assert lib.events(ra, receipt, "Recovered") == []
    assert ra.functions.keyOf(rid).call() == a(lib, 0)
    assert ra.functions.pendingRecovery(rid).call() == [a(lib, 6), 2]
    receipt = lib.send(ra.functions.approveRecovery(rid, a(lib, 6)), sender=3)
    assert lib.events(ra, receipt, "Recovered") == [{"id": rid, "oldKey": a(lib, 0), "newKey": a(lib, 6)}]


def test_each_guardian_counts_once(lib, ra):
    rid = register(lib, ra, threshold=3)
    lib.send(ra.functions.proposeRecovery(rid, a(lib, 6)), sender=1)
    with lib.reverts(ra, err("AlreadyApproved", f"id={rid}", f"guardian={a(lib, 1)}")):
        ra.functions.approveRecovery(rid, a(lib, 6)).transact({"from": a(lib, 1)})
    with lib.reverts(ra, err("AlreadyApproved", f"id={rid}", f"guardian={a(lib, 1)}")):
        ra.functions.proposeRecovery(rid, a(lib, 6)).transact({"from": a(lib, 1)})
    lib.send(ra.functions.approveRecovery(rid, a(lib, 6)), sender=2)
    with lib.reverts(ra, err("AlreadyApproved", f"id={rid}", f"guardian={a(lib, 2)}")):
        ra.functions.approveRecovery(rid, a(lib, 6)).transact({"from": a(lib, 2)})
    # re-proposing the same key keeps the approvals and counts the new guardian
    receipt = lib.send(ra.functions.proposeRecovery(rid, a(lib, 6)), sender=3)
    assert lib.events(ra, receipt, "RecoveryProposed") == []
    assert lib.events(ra, receipt, "Recovered") == [{"id": rid, "oldKey": a(lib, 0), "newKey": a(lib, 6)}]


def test_new_proposal_for_other_key_resets_approvals(lib, ra):
    rid = register(lib, ra, threshold=3)
    lib.send(ra.functions.proposeRecovery(rid, a(lib, 6)), sender=1)
    lib.send(ra.functions.approveRecovery(rid, a(lib, 6)), sender=2)
    receipt = lib.send(ra.functions.proposeRecovery(rid, a(lib, 7)), sender=3)
    assert lib.events(ra, receipt, "RecoveryProposed") == [{"id": rid, "guardian": a(lib, 3), "newKey": a(lib, 7)}]
    assert ra.functions.pendingRecovery(rid).call() == [a(lib, 7), 1]
    assert ra.functions.hasApproved(rid, a(lib, 1)).call() is False
    with lib.reverts(ra, err("RecoveryKeyMismatch", f"id={rid}", f"pendingKey={a(lib, 7)}", f"givenKey={a(lib, 6)}")):
        ra.functions.approveRecovery(rid, a(lib, 6)).transact({"from": a(lib, 1)})
    lib.send(ra.functions.approveRecovery(rid, a(lib, 7)), sender=1)
    assert ra.functions.keyOf(rid).call() == a(lib, 0)  # only 2 of 3 in the new round
    receipt = lib.send(ra.functions.approveRecovery(rid, a(lib, 7)), sender=2)
    assert lib.events(ra, receipt, "Recovered") == [{"id": rid, "oldKey": a(lib, 0), "newKey": a(lib, 7)}]


def test_recovery_access_and_key_errors(lib, ra):
    rid = register(lib, ra)
    register(lib, ra, key=8, guardians=(9,), threshold=1)
    with lib.reverts(ra, err("NotGuardian", f"id={rid}", f"account={a(lib, 5)}")):
        ra.functions.proposeRecovery(rid, a(lib, 6)).transact({"from": a(lib, 5)})
    with lib.reverts(ra, err("NotGuardian", f"id={rid}", f"account={a(lib, 0)}")):
        ra.functions.proposeRecovery(rid, a(lib, 6)).transact({"from": a(lib, 0)})
    with lib.reverts(ra, err("NoPendingRecovery", f"id={rid}")):
        ra.functions.approveRecovery(rid, a(lib, 6)).transact({"from": a(lib, 1)})
    with lib.reverts(ra, "ZeroKey()"):
        ra.functions.proposeRecovery(rid, ZERO).transact({"from": a(lib, 1)})
    with lib.reverts(ra, err("KeyAlreadyBound", f"key={a(lib, 8)}")):
        ra.functions.proposeRecovery(rid, a(lib, 8)).transact({"from": a(lib, 1)})
    with lib.reverts(ra, err("KeyIsGuardian", f"id={rid}", f"key={a(lib, 2)}")):
        ra.functions.proposeRecovery(rid, a(lib, 2)).transact({"from": a(lib, 1)})
    with lib.reverts(ra, err("UnknownAccount", "id=7")):
        ra.functions.proposeRecovery(7, a(lib, 6)).transact({"from": a(lib, 1)})
    lib.send(ra.functions.proposeRecovery(rid, a(lib, 6)), sender=1)
    with lib.reverts(ra, err("NotGuardian", f"id={rid}", f"account={a(lib, 9)}")):
        ra.functions.approveRecovery(rid, a(lib, 6)).transact({"from": a(lib, 9)})


def test_key_bound_after_proposal_blocks_execution(lib, ra):
    rid = register(lib, ra)
    lib.send(ra.functions.proposeRecovery(rid, a(lib, 6)), sender=1)
    register(lib, ra, key=6, guardians=(7,), threshold=1)  # someone binds the key meanwhile
    with lib.reverts(ra, err("KeyAlreadyBound", f"key={a(lib, 6)}")):
        ra.functions.approveRecovery(rid, a(lib, 6)).transact({"from": a(lib, 2)})
    assert ra.functions.keyOf(rid).call() == a(lib, 0)


def test_cancel_recovery(lib, ra):
    rid = register(lib, ra)
    with lib.reverts(ra, err("NoPendingRecovery", f"id={rid}")):
        ra.functions.cancelRecovery(rid).transact({"from": a(lib, 0)})
    lib.send(ra.functions.proposeRecovery(rid, a(lib, 6)), sender=1)
    with lib.reverts(ra, err("NotKeyHolder", f"id={rid}", f"caller={a(lib, 1)}")):
        ra.functions.cancelRecovery(rid).transact({"from": a(lib, 1)})
    receipt = lib.send(ra.functions.cancelRecovery(rid), sender=0)
    assert lib.events(ra, receipt, "RecoveryCancelled") == [{"id": rid, "newKey": a(lib, 6)}]
    assert ra.functions.pendingRecovery(rid).call() == [ZERO, 0]
    assert ra.functions.recoveryNonce(rid).call() == 1
    with lib.reverts(ra, err("NoPendingRecovery", f"id={rid}")):
        ra.functions.approveRecovery(rid, a(lib, 6)).transact({"from": a(lib, 2)})
    # a fresh proposal starts from zero: guardian 1's earlier approval does not count
    lib.send(ra.functions.proposeRecovery(rid, a(lib, 6)), sender=2)
    assert ra.functions.pendingRecovery(rid).call() == [a(lib, 6), 1]
    assert ra.functions.hasApproved(rid, a(lib, 1)).call() is False


def test_recovery_of_frozen_account_unfreezes(lib, ra):
    rid = register(lib, ra)
    lib.send(ra.functions.freeze(rid), sender=2)
    lib.send(ra.functions.proposeRecovery(rid, a(lib, 6)), sender=1)
    receipt = lib.send(ra.functions.approveRecovery(rid, a(lib, 6)), sender=2)
    assert lib.events(ra, receipt, "Unfrozen") == [{"id": rid, "by": a(lib, 2)}]
    assert lib.events(ra, receipt, "Recovered") == [{"id": rid, "oldKey": a(lib, 0), "newKey": a(lib, 6)}]
    assert ra.functions.isFrozen(rid).call() is False
    lib.send(ra.functions.rotateKey(rid, a(lib, 7)), sender=6)
    assert ra.functions.keyOf(rid).call() == a(lib, 7)


# ------------------------------------------------------------------ guardian management

def test_set_guardians(lib, ra):
    rid = register(lib, ra)
    lib.send(ra.functions.proposeRecovery(rid, a(lib, 6)), sender=1)
    with lib.reverts(ra, err("NotKeyHolder", f"id={rid}", f"caller={a(lib, 1)}")):
        ra.functions.setGuardians(rid, [a(lib, 1)], 1).transact({"from": a(lib, 1)})
    with lib.reverts(ra, err("InvalidThreshold", "threshold=3", "guardianCount=2")):
        ra.functions.setGuardians(rid, [a(lib, 4), a(lib, 5)], 3).transact({"from": a(lib, 0)})
    with lib.reverts(ra, err("InvalidGuardian", f"guardian={a(lib, 0)}")):
        ra.functions.setGuardians(rid, [a(lib, 0)], 1).transact({"from": a(lib, 0)})
    with lib.reverts(ra, err("DuplicateGuardian", f"guardian={a(lib, 4)}")):
        ra.functions.setGuardians(rid, [a(lib, 4), a(lib, 4)], 1).transact({"from": a(lib, 0)})
    receipt = lib.send(ra.functions.setGuardians(rid, [a(lib, 3), a(lib, 4)], 2), sender=0)
    assert lib.events(ra, receipt, "GuardiansChanged") == [
        {"id": rid, "guardians": [a(lib, 3), a(lib, 4)], "threshold": 2}]
    assert ra.functions.guardiansOf(rid).call() == [a(lib, 3), a(lib, 4)]
    assert ra.functions.thresholdOf(rid).call() == 2
    assert ra.functions.isGuardian(rid, a(lib, 1)).call() is False
    assert ra.functions.isGuardian(rid, a(lib, 3)).call() is True
    assert ra.functions.pendingRecovery(rid).call() == [ZERO, 0]  # pending recovery discarded
    assert ra.functions.recoveryNonce(rid).call() == 1
    with lib.reverts(ra, err("NotGuardian", f"id={rid}", f"account={a(lib, 1)}")):
        ra.functions.proposeRecovery(rid, a(lib, 6)).transact({"from": a(lib, 1)})
    with lib.reverts(ra, err("NotGuardian", f"id={rid}", f"account={a(lib, 2)}")):
        ra.functions.freeze(rid).transact({"from": a(lib, 2)})
    lib.send(ra.functions.proposeRecovery(rid, a(lib, 6)), sender=3)
    lib.send(ra.functions.approveRecovery(rid, a(lib, 6)), sender=4)
    assert ra.functions.keyOf(rid).call() == a(lib, 6)


# ------------------------------------------------------------------ recovery by signature

def test_message_hash_matches_documented_encoding(lib, ra):
    rid = register(lib, ra)
    expected = keccak(encode(["address", "uint256", "uint256", "address", "uint256"],
                             [ra.address, lib.w3.eth.chain_id, rid, a(lib, 6), 0]))
    assert ra.functions.recoveryMessageHash(rid, a(lib, 6)).call() == expected
    lib.send(ra.functions.rotateKey(rid, a(lib, 5)), sender=0)
    assert ra.functions.recoveryMessageHash(rid, a(lib, 6)).call() != expected


def test_recovery_by_signatures_relayed_by_anyone(lib, ra):
    rid = register(lib, ra)
    new = fresh(2)
    sigs = [sign(ra, lib, 1, rid, new), sign(ra, lib, 3, rid, new)]
    receipt = lib.send(ra.functions.approveRecoveryBySig(rid, new, sigs), sender=9)
    assert lib.events(ra, receipt, "RecoveryProposed") == [{"id": rid, "guardian": a(lib, 1), "newKey": new}]
    assert lib.events(ra, receipt, "RecoveryApproved") == [
        {"id": rid, "guardian": a(lib, 1), "newKey": new, "approvals": 1},
        {"id": rid, "guardian": a(lib, 3), "newKey": new, "approvals": 2}]
    assert lib.events(ra, receipt, "Recovered") == [{"id": rid, "oldKey": a(lib, 0), "newKey": new}]
    assert ra.functions.keyOf(rid).call() == new
    assert ra.functions.recoveryNonce(rid).call() == 1
    # replaying the same signatures fails: the nonce moved, so they recover to strangers
    with lib.reverts(ra, f"NotGuardian(id={rid}, account="):
        ra.functions.approveRecoveryBySig(rid, new, sigs).transact({"from": a(lib, 9)})


def test_signature_mixes_with_onchain_approval(lib, ra):
    rid = register(lib, ra)
    lib.send(ra.functions.proposeRecovery(rid, a(lib, 6)), sender=2)
    # guardian 2 already approved on-chain: its signature is a duplicate
    with lib.reverts(ra, err("AlreadyApproved", f"id={rid}", f"guardian={a(lib, 2)}")):
        ra.functions.approveRecoveryBySig(rid, a(lib, 6), [sign(ra, lib, 2, rid, a(lib, 6))]).transact(
            {"from": a(lib, 9)})
    receipt = lib.send(ra.functions.approveRecoveryBySig(rid, a(lib, 6), [sign(ra, lib, 3, rid, a(lib, 6))]), sender=9)
    assert lib.events(ra, receipt, "RecoveryProposed") == []
    assert lib.events(ra, receipt, "Recovered") == [{"id": rid, "oldKey": a(lib, 0), "newKey": a(lib, 6)}]


def test_duplicate_signature_counts_once(lib, ra):
    rid = register(lib, ra, threshold=3)
    s1 = sign(ra, lib, 1, rid, a(lib, 6))
    with lib.reverts(ra, err("AlreadyApproved", f"id={rid}", f"guardian={a(lib, 1)}")):
        ra.functions.approveRecoveryBySig(rid, a(lib, 6), [s1, s1]).transact({"from": a(lib, 9)})
    lib.send(ra.functions.approveRecoveryBySig(rid, a(lib, 6), [s1]), sender=9)
    assert ra.functions.pendingRecovery(rid).call() == [a(lib, 6), 1]
    # the same signature again, in a later transaction
    with lib.reverts(ra, err("AlreadyApproved", f"id={rid}", f"guardian={a(lib, 1)}")):
        ra.functions.approveRecoveryBySig(rid, a(lib, 6), [s1]).transact({"from": a(lib, 9)})


def test_signature_for_other_key_resets_round(lib, ra):
    rid = register(lib, ra, threshold=3)
    lib.send(ra.functions.proposeRecovery(rid, a(lib, 6)), sender=1)
    lib.send(ra.functions.approveRecovery(rid, a(lib, 6)), sender=2)
    receipt = lib.send(ra.functions.approveRecoveryBySig(rid, a(lib, 7), [sign(ra, lib, 3, rid, a(lib, 7))]), sender=9)
    assert lib.events(ra, receipt, "RecoveryProposed") == [{"id": rid, "guardian": a(lib, 3), "newKey": a(lib, 7)}]
    assert ra.functions.pendingRecovery(rid).call() == [a(lib, 7), 1]


def test_signatures_invalid_after_cancel(lib, ra):
    rid = register(lib, ra, threshold=3)
    s1, s2, s3 = (sign(ra, lib, g, rid, a(lib, 6)) for g in (1, 2, 3))
    lib.send(ra.functions.approveRecoveryBySig(rid, a(lib, 6), [s1, s2]), sender=9)
    lib.send(ra.functions.cancelRecovery(rid), sender=0)
    with lib.reverts(ra, f"NotGuardian(id={rid}, account="):
        ra.functions.approveRecoveryBySig(rid, a(lib, 6), [s3]).transact({"from": a(lib, 9)})
    # fresh signatures under the new nonce work
    new_sigs = [sign(ra, lib, g, rid, a(lib, 6)) for g in (1, 2, 3)]
    receipt = lib.send(ra.functions.approveRecoveryBySig(rid, a(lib, 6), new_sigs), sender=9)
    assert lib.events(ra, receipt, "Recovered") == [{"id": rid, "oldKey": a(lib, 0), "newKey": a(lib, 6)}]


def test_signatures_bound_to_contract_chain_account_and_key(lib, ra):
    rid = register(lib, ra, guardians=(1, 2), threshold=1)
    cases = [
        sign(ra, lib, 1, rid, a(lib, 7)),                            # other key
        sign(ra, lib, 1, rid + 1, a(lib, 6)),                        # other account
        sign(ra, lib, 1, rid, a(lib, 6), nonce=1),                   # other nonce
        sign(ra, lib, 1, rid, a(lib, 6), contract=a(lib, 5)),        # other contract
        sign(ra, lib, 1, rid, a(lib, 6), chain_id=1),                # other chain
    ]
    for sig in cases:
        with lib.reverts(ra, f"NotGuardian(id={rid}, account="):
            ra.functions.approveRecoveryBySig(rid, a(lib, 6), [sig]).transact({"from": a(lib, 9)})
    # a non-guardian's correct signature names the signer
    with lib.reverts(ra, err("NotGuardian", f"id={rid}", f"account={a(lib, 4)}")):
        ra.functions.approveRecoveryBySig(rid, a(lib, 6), [sign(ra, lib, 4, rid, a(lib, 6))]).transact(
            {"from": a(lib, 9)})
    lib.send(ra.functions.approveRecoveryBySig(rid, a(lib, 6), [sign(ra, lib, 1, rid, a(lib, 6))]), sender=9)
    assert ra.functions.keyOf(rid).call() == a(lib, 6)


def test_malformed_and_malleable_signatures_rejected(lib, ra):
    rid = register(lib, ra, threshold=3)
    good = sign(ra, lib, 1, rid, a(lib, 6))
    r, s, v = good[:32], int.from_bytes(good[32:64], "big"), good[64]
    high_s = r + (SECP256K1_N - s).to_bytes(32, "big") + bytes([55 - v])  # the malleable twin
    with lib.reverts(ra, "NoSignatures()"):
        ra.functions.approveRecoveryBySig(rid, a(lib, 6), []).transact({"from": a(lib, 9)})
    for bad in (good[:64], good + b"\x00", high_s, good[:64] + bytes([v - 27]), good[:64] + bytes([29])):
        with lib.reverts(ra, err("InvalidSignature", "index=1")):
            ra.functions.approveRecoveryBySig(rid, a(lib, 6), [sign(ra, lib, 2, rid, a(lib, 6)), bad]).transact(
                {"from": a(lib, 9)})
    # the twin really is a valid signature for plain ecrecover, so the check matters
    from eth_keys import keys
    twin = keys.Signature(vrs=(1 - (v - 27), int.from_bytes(r, "big"), SECP256K1_N - s))
    digest = keccak(b"\x19Ethereum Signed Message:\n32" + ra.functions.recoveryMessageHash(rid, a(lib, 6)).call())
    assert twin.recover_public_key_from_msg_hash(digest).to_checksum_address() == a(lib, 1)
    with lib.reverts(ra, err("UnknownAccount", "id=4")):
        ra.functions.approveRecoveryBySig(4, a(lib, 6), [good]).transact({"from": a(lib, 9)})
