"""Evidence: multi-party proof of existence — submit, sign until final, revoke, cancel, pause, pagination."""

from __future__ import annotations

import pytest
from eth_utils import keccak

ZERO = "0x" + "00" * 20
SUBMITTER = keccak(text="SUBMITTER_ROLE")
ADMIN = b"\x00" * 32
PENDING, FINAL, CANCELLED = 1, 2, 3


def h(label: str) -> bytes:
    return keccak(text=label)


def hx(b: bytes) -> str:
    return "0x" + b.hex()


def block_time(lib, receipt) -> int:
    return lib.w3.eth.get_block(receipt["blockNumber"])["timestamp"]


@pytest.fixture
def ev(lib):
    return lib.deploy("Evidence", lib.accounts[0])


def submit(lib, ev, label="doc", signers=(1, 2, 3), threshold=2, uri="ipfs://doc", sender=0):
    return lib.send(ev.functions.submit(h(label), uri, [lib.accounts[i] for i in signers], threshold), sender=sender)


def test_constructor_roles_and_access(lib, ev):
    acc = lib.accounts
    art = lib.artifact("Evidence")
    factory = lib.w3.eth.contract(abi=art["abi"], bytecode=art["bytecode"])
    with lib.reverts(factory, "ZeroAddress()"):
        factory.constructor(ZERO).transact({"from": acc[0]})
    assert ev.functions.SUBMITTER_ROLE().call() == SUBMITTER
    assert ev.functions.hasRole(ADMIN, acc[0]).call() is True
    assert ev.functions.hasRole(SUBMITTER, acc[0]).call() is True
    assert ev.functions.MAX_SIGNERS().call() == 32
    with lib.reverts(ev, f"AccessControlUnauthorizedAccount(account={acc[5]}, neededRole={hx(SUBMITTER)})"):
        ev.functions.submit(h("x"), "", [acc[1]], 1).transact({"from": acc[5]})
    lib.send(ev.functions.grantRole(SUBMITTER, acc[5]), sender=0)
    submit(lib, ev, "x", signers=(1,), threshold=1, sender=5)
    assert ev.functions.getEvidence(h("x")).call()[1] == acc[5]
    with lib.reverts(ev, f"AccessControlUnauthorizedAccount(account={acc[5]}, neededRole={hx(ADMIN)})"):
        ev.functions.pause().transact({"from": acc[5]})


def test_happy_path_to_final(lib, ev):
    acc = lib.accounts
    doc = h("doc")
    receipt = submit(lib, ev)
    t0 = block_time(lib, receipt)
    assert lib.events(ev, receipt, "EvidenceSubmitted") == [{
        "hash": doc, "submitter": acc[0], "uri": "ipfs://doc", "signers": [acc[1], acc[2], acc[3]], "threshold": 2}]
    assert list(ev.functions.getEvidence(doc).call()) == [
        doc, acc[0], PENDING, 2, 0, t0, 0, "ipfs://doc", [acc[1], acc[2], acc[3]]]
    assert ev.functions.statusOf(doc).call() == PENDING and ev.functions.isFinal(doc).call() is False
    assert ev.functions.isSigner(doc, acc[2]).call() is True and ev.functions.isSigner(doc, acc[4]).call() is False

    r1 = lib.send(ev.functions.sign(doc), sender=3)
    t1 = block_time(lib, r1)
    assert lib.events(ev, r1, "EvidenceSigned") == [{"hash": doc, "signer": acc[3], "signatureCount": 1}]
    assert lib.events(ev, r1, "EvidenceFinalized") == []
    r2 = lib.send(ev.functions.sign(doc), sender=1)
    t2 = block_time(lib, r2)
    assert lib.events(ev, r2, "EvidenceSigned") == [{"hash": doc, "signer": acc[1], "signatureCount": 2}]
    assert lib.events(ev, r2, "EvidenceFinalized") == [{"hash": doc, "timestamp": t2}]

    assert ev.functions.isFinal(doc).call() is True
    assert list(ev.functions.getEvidence(doc).call())[2:7] == [FINAL, 2, 2, t0, t2]
    assert ev.functions.signatures(doc).call() == [[acc[1], acc[2], acc[3]], [t2, 0, t1]]
    assert ev.functions.signedAt(doc, acc[3]).call() == t1
    assert ev.functions.signersOf(doc).call() == [acc[1], acc[2], acc[3]]
    # a final record is frozen: no more signing, revoking or cancelling
    with lib.reverts(ev, f"NotPending(hash={hx(doc)}, status={FINAL})"):
        ev.functions.sign(doc).transact({"from": acc[2]})
    with lib.reverts(ev, f"NotPending(hash={hx(doc)}, status={FINAL})"):
        ev.functions.revoke(doc).transact({"from": acc[1]})
    with lib.reverts(ev, f"NotPending(hash={hx(doc)}, status={FINAL})"):
        ev.functions.cancel(doc).transact({"from": acc[0]})
    with lib.reverts(ev, f"EvidenceExists(hash={hx(doc)})"):
        ev.functions.submit(doc, "", [acc[1]], 1).transact({"from": acc[0]})


def test_submit_validation(lib, ev):
    acc = lib.accounts
    fn = ev.functions.submit
    with lib.reverts(ev, "ZeroHash()"):
        fn(b"\x00" * 32, "", [acc[1]], 1).transact({"from": acc[0]})
    with lib.reverts(ev, "InvalidSignerCount(count=0)"):
        fn(h("a"), "", [], 0).transact({"from": acc[0]})
    many = [lib.w3.to_checksum_address(f"0x{i + 1:040x}") for i in range(33)]
    with lib.reverts(ev, "InvalidSignerCount(count=33)"):
        fn(h("a"), "", many, 1).transact({"from": acc[0]})
    with lib.reverts(ev, "InvalidThreshold(threshold=0, signerCount=2)"):
        fn(h("a"), "", [acc[1], acc[2]], 0).transact({"from": acc[0]})
    with lib.reverts(ev, "InvalidThreshold(threshold=3, signerCount=2)"):
        fn(h("a"), "", [acc[1], acc[2]], 3).transact({"from": acc[0]})
    with lib.reverts(ev, f"DuplicateSigner(signer={acc[1]})"):
        fn(h("a"), "", [acc[1], acc[2], acc[1]], 1).transact({"from": acc[0]})
    with lib.reverts(ev, "ZeroAddress()"):
        fn(h("a"), "", [acc[1], ZERO], 1).transact({"from": acc[0]})
    # the maximum signer set and threshold == signer count are fine
    lib.send(fn(h("a"), "", many[:32], 32), sender=0)
    assert ev.functions.getEvidence(h("a")).call()[3] == 32


def test_sign_revoke_rules(lib, ev):
    acc = lib.accounts
    doc = h("doc")
    with lib.reverts(ev, f"UnknownEvidence(hash={hx(doc)})"):
        ev.functions.sign(doc).transact({"from": acc[1]})
    with lib.reverts(ev, f"UnknownEvidence(hash={hx(doc)})"):
        list(ev.functions.getEvidence(doc).call())
    submit(lib, ev, threshold=3)
    with lib.reverts(ev, f"NotSigner(hash={hx(doc)}, account={acc[4]})"):
        ev.functions.sign(doc).transact({"from": acc[4]})
    with lib.reverts(ev, f"NotSigned(hash={hx(doc)}, signer={acc[1]})"):
        ev.functions.revoke(doc).transact({"from": acc[1]})
    lib.send(ev.functions.sign(doc), sender=1)
    with lib.reverts(ev, f"AlreadySigned(hash={hx(doc)}, signer={acc[1]})"):
        ev.functions.sign(doc).transact({"from": acc[1]})
    lib.send(ev.functions.sign(doc), sender=2)
    receipt = lib.send(ev.functions.revoke(doc), sender=1)
    assert lib.events(ev, receipt, "SignatureRevoked") == [{"hash": doc, "signer": acc[1], "signatureCount": 1}]
    assert ev.functions.signedAt(doc, acc[1]).call() == 0
    # signing again after revoking; the third signature finalises
    lib.send(ev.functions.sign(doc), sender=3)
    assert ev.functions.statusOf(doc).call() == PENDING
    receipt = lib.send(ev.functions.sign(doc), sender=1)
    assert lib.events(ev, receipt, "EvidenceSigned") == [{"hash": doc, "signer": acc[1], "signatureCount": 3}]
    assert ev.functions.statusOf(doc).call() == FINAL


def test_cancel(lib, ev):
    acc = lib.accounts
    doc = h("doc")
    submit(lib, ev)
    lib.send(ev.functions.sign(doc), sender=1)
    with lib.reverts(ev, f"NotSubmitter(hash={hx(doc)}, account={acc[1]})"):
        ev.functions.cancel(doc).transact({"from": acc[1]})
    receipt = lib.send(ev.functions.cancel(doc), sender=0)
    assert lib.events(ev, receipt, "EvidenceCancelled") == [{"hash": doc, "submitter": acc[0]}]
    assert ev.functions.statusOf(doc).call() == CANCELLED
    with lib.reverts(ev, f"NotPending(hash={hx(doc)}, status={CANCELLED})"):
        ev.functions.sign(doc).transact({"from": acc[2]})
    with lib.reverts(ev, f"EvidenceExists(hash={hx(doc)})"):
        ev.functions.submit(doc, "", [acc[1]], 1).transact({"from": acc[0]})


def test_pause(lib, ev):
    acc = lib.accounts
    submit(lib, ev)
    receipt = lib.send(ev.functions.pause(), sender=0)
    assert lib.events(ev, receipt, "Paused") == [{"account": acc[0]}]
    for call, sender in ((ev.functions.submit(h("b"), "", [acc[1]], 1), 0), (ev.functions.sign(h("doc")), 1),
                         (ev.functions.revoke(h("doc")), 1), (ev.functions.cancel(h("doc")), 0)):
        with lib.reverts(ev, "EnforcedPause()"):
            call.transact({"from": acc[sender]})
    receipt = lib.send(ev.functions.unpause(), sender=0)
    assert lib.events(ev, receipt, "Unpaused") == [{"account": acc[0]}]
    with lib.reverts(ev, "ExpectedPause()"):
        ev.functions.unpause().transact({"from": acc[0]})
    lib.send(ev.functions.sign(h("doc")), sender=1)


def test_listing_and_signature_invariant(lib, ev):
    acc = lib.accounts
    labels = [f"doc{i}" for i in range(5)]
    for label in labels:
        submit(lib, ev, label, signers=(1, 2, 3, 4), threshold=4)
    assert ev.functions.evidenceCount().call() == 5
    assert ev.functions.evidenceHashes(0, 100).call() == [h(x) for x in labels]
    assert ev.functions.evidenceHashes(1, 2).call() == [h("doc1"), h("doc2")]
    assert ev.functions.evidenceHashes(4, 2).call() == [h("doc4")]
    assert ev.functions.evidenceHashes(5, 2).call() == []
    assert ev.functions.evidenceHashes(0, 0).call() == []
    assert ev.functions.evidenceHashes(2**256 - 1, 2**256 - 1).call() == []
    # invariant: signatureCount == number of listed signers with a signature timestamp
    doc = h("doc2")
    model: set[int] = set()
    for op, who in (("sign", 1), ("sign", 2), ("revoke", 1), ("sign", 3), ("sign", 1), ("revoke", 2), ("sign", 4)):
        lib.send(getattr(ev.functions, op)(doc), sender=who)
        (model.add if op == "sign" else model.discard)(who)
        info = list(ev.functions.getEvidence(doc).call())
        _, stamps = ev.functions.signatures(doc).call()
        assert info[4] == len(model) == sum(1 for t in stamps if t)
        assert [t != 0 for t in stamps] == [i in model for i in (1, 2, 3, 4)]
    assert ev.functions.statusOf(doc).call() == PENDING  # 3 of 4
    lib.send(ev.functions.sign(doc), sender=2)
    assert ev.functions.statusOf(doc).call() == FINAL
