"""Notary's contract tests (through the typed binding); tests/test_api.py drives the same
contract through the generated REST service. Each test starts from a fresh chain state."""

import hashlib

import pytest

from smartdev.errors import RevertError

DIGEST = hashlib.sha256(b"contract v1").digest()


@pytest.fixture
def notary(deploy):
    return deploy("Notary")


def test_a_digest_is_notarized_once(notary, accounts, chain):
    result = notary.notarize(DIGEST, "supply contract v1", signer=accounts[1])
    [event] = result.events
    assert event["event"] == "Notarized" and event["args"]["note"] == "supply contract v1"
    recorder, recorded_at, revoked, note = notary.proof_of(DIGEST)
    assert (recorder, revoked, note) == (accounts[1].address, False, "supply contract v1")
    assert recorded_at == chain.now()
    assert notary.is_valid(DIGEST) and notary.count() == 1
    with pytest.raises(RevertError, match="AlreadyNotarized"):
        notary.notarize(DIGEST, "again", signer=accounts[2])


def test_only_the_recorder_revokes(notary, accounts):
    notary.notarize(DIGEST, "v1", signer=accounts[1])
    with pytest.raises(RevertError, match="NotRecorder"):
        notary.revoke(DIGEST, signer=accounts[2])
    notary.revoke(DIGEST, signer=accounts[1])
    assert not notary.is_valid(DIGEST)
    assert notary.proof_of(DIGEST)[2] is True


def test_unknown_digests(notary):
    assert not notary.is_valid(b"\x01" * 32)
    with pytest.raises(RevertError, match="NotNotarized"):
        notary.proof_of(b"\x01" * 32)
