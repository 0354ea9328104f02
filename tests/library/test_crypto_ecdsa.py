"""ECDSA: recovery of 65-byte, compact (EIP-2098, as (r, vs) fields only) and v/r/s signatures,
one byte encoding per signature (64-byte compact bytes rejected), malleability and malformed-input
rejection, EIP-191 / EIP-712 digests — checked against eth_account."""

from __future__ import annotations

import pytest
from eth_account import Account
from eth_account.messages import _hash_eip191_message, encode_defunct, encode_intended_validator
from eth_utils import keccak
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
HALF = N // 2
ZERO = "0x" + "00" * 20
NO_ERROR, INVALID, BAD_LENGTH, BAD_S, BAD_V = range(5)

ACCOUNTS = [Account.from_key(keccak(text=f"crypto-ecdsa-{i}")) for i in range(3)]
HASH = keccak(text="a message hash")


def h32(x: int) -> str:
    return "0x" + x.to_bytes(32, "big").hex()


def sign(acct, digest: bytes) -> bytes:
    return bytes(acct.unsafe_sign_hash(digest).signature)


def parts(sig: bytes) -> tuple[bytes, int, int]:
    """(r, s, v) of a 65-byte signature."""
    return sig[:32], int.from_bytes(sig[32:64], "big"), sig[64]


def compact(sig: bytes) -> bytes:
    """The EIP-2098 form r ‖ vs of a 65-byte signature."""
    r, s, v = parts(sig)
    return r + (((v - 27) << 255) | s).to_bytes(32, "big")


def rvs(sig: bytes) -> tuple[bytes, bytes]:
    """The EIP-2098 fields (r, vs) of a 65-byte signature."""
    c = compact(sig)
    return c[:32], c[32:]


LENGTH_64 = "ECDSAInvalidSignatureLength(length=64)"
REJECTED_64 = [ZERO, BAD_LENGTH, (64).to_bytes(32, "big")]


def twin(sig: bytes) -> bytes:
    """The malleable twin (r, n - s, flipped v): valid for plain ecrecover, non-canonical."""
    r, s, v = parts(sig)
    return r + (N - s).to_bytes(32, "big") + bytes([55 - v])


@pytest.fixture
def ecdsa(lib):
    return lib.deploy("ECDSAHarness")


# ------------------------------------------------------------------ valid signatures

def test_recover_all_forms(ecdsa):
    for acct in ACCOUNTS:
        sig = sign(acct, HASH)
        r, s, v = parts(sig)
        vs = compact(sig)[32:]
        assert ecdsa.functions.recover(HASH, sig).call() == acct.address
        assert ecdsa.functions.recoverRVs(HASH, r, vs).call() == acct.address
        assert ecdsa.functions.recoverVRS(HASH, v, r, s.to_bytes(32, "big")).call() == acct.address
        ok = [acct.address, NO_ERROR, b"\x00" * 32]
        assert ecdsa.functions.tryRecover(HASH, sig).call() == ok
        assert ecdsa.functions.tryRecoverRVs(HASH, r, vs).call() == ok
        assert ecdsa.functions.tryRecoverVRS(HASH, v, r, s.to_bytes(32, "big")).call() == ok


def test_compact_bytes_rejected_but_rvs_recovers(lib, ecdsa):
    """The bytes overloads take one encoding only: the 64-byte EIP-2098 form r ‖ vs of a valid
    signature is a length error (not a second accepted byte string), while the same compact
    signature given as (r, vs) fields still recovers the signer."""
    for acct in ACCOUNTS:
        sig = sign(acct, HASH)
        r, vs = rvs(sig)
        assert len(r + vs) == 64
        with lib.reverts(ecdsa, LENGTH_64):
            ecdsa.functions.recover(HASH, r + vs).call()
        assert ecdsa.functions.tryRecover(HASH, r + vs).call() == REJECTED_64
        assert ecdsa.functions.recoverRVs(HASH, r, vs).call() == acct.address
        assert ecdsa.functions.tryRecoverRVs(HASH, r, vs).call() == [acct.address, NO_ERROR, b"\x00" * 32]


def test_both_recovery_ids_covered(ecdsa):
    """Signatures with v = 27 and v = 28 (top bit of vs 0 and 1) both recover, as 65 bytes and as
    (r, vs) fields; their 64-byte compact bytes are rejected for the length whatever the parity."""
    seen = set()
    hashes, sigs, rs, vss = [], [], [], []
    for i in range(16):
        digest = keccak(text=f"v-parity-{i}")
        sig = sign(ACCOUNTS[0], digest)
        seen.add(sig[64])
        hashes.append(digest)
        sigs.append(sig)
        r, vs = rvs(sig)
        rs.append(r)
        vss.append(vs)
    assert seen == {27, 28}
    assert {vs[0] >> 7 for vs in vss} == {0, 1}
    n = len(hashes)
    signers, errs, details = ecdsa.functions.tryRecoverMany(hashes, sigs).call()
    assert signers == [ACCOUNTS[0].address] * n and errs == [NO_ERROR] * n and details == [b"\x00" * 32] * n
    signers, errs, details = ecdsa.functions.tryRecoverManyRVs(hashes, rs, vss).call()
    assert signers == [ACCOUNTS[0].address] * n and errs == [NO_ERROR] * n and details == [b"\x00" * 32] * n
    compacts = [r + vs for r, vs in zip(rs, vss)]
    signers, errs, details = ecdsa.functions.tryRecoverMany(hashes, compacts).call()
    assert signers == [ZERO] * n and errs == [BAD_LENGTH] * n and details == [(64).to_bytes(32, "big")] * n


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.integers(min_value=1, max_value=N - 1), digest=st.binary(min_size=32, max_size=32))
def test_recover_matches_eth_account(ecdsa, key, digest):
    acct = Account.from_key(key.to_bytes(32, "big"))
    sig = sign(acct, digest)
    assert parts(sig)[1] <= HALF  # eth_account produces canonical signatures
    # 65 bytes recover; the 64-byte compact bytes of the same signature are a length error
    signers, errs, details = ecdsa.functions.tryRecoverMany([digest, digest], [sig, compact(sig)]).call()
    assert signers == [acct.address, ZERO] and errs == [NO_ERROR, BAD_LENGTH]
    assert details[1] == (64).to_bytes(32, "big")
    # the compact signature as (r, vs) fields recovers the signer
    r, vs = rvs(sig)
    signers, errs, _ = ecdsa.functions.tryRecoverManyRVs([digest], [r], [vs]).call()
    assert signers == [acct.address] and errs == [NO_ERROR]
    # another digest yields someone else (never the signer, never a revert for a well-formed signature)
    other = bytes([digest[0] ^ 1]) + digest[1:]
    recovered = ecdsa.functions.recover(other, sig).call()
    assert recovered not in (acct.address, ZERO)


def test_s_at_half_order_is_accepted(ecdsa):
    """s == n/2 is the largest canonical value: it passes the check (and recovers someone)."""
    r = sign(ACCOUNTS[0], HASH)[:32]
    signer, err, _ = ecdsa.functions.tryRecoverVRS(HASH, 27, r, HALF.to_bytes(32, "big")).call()
    assert err == NO_ERROR and signer != ZERO
    assert ecdsa.functions.recoverVRS(HASH, 27, r, HALF.to_bytes(32, "big")).call() == signer


# ------------------------------------------------------------------ rejected signatures

def test_malleable_twin_rejected(lib, ecdsa):
    from eth_keys import keys

    sig = sign(ACCOUNTS[1], HASH)
    bad = twin(sig)
    r, s2, v2 = parts(bad)
    # the twin is a valid signature for raw ecrecover, so the check really matters
    raw = keys.Signature(vrs=(v2 - 27, int.from_bytes(r, "big"), s2))
    assert raw.recover_public_key_from_msg_hash(HASH).to_checksum_address() == ACCOUNTS[1].address
    expected = f"ECDSAInvalidSignatureS(s={h32(s2)})"
    with lib.reverts(ecdsa, expected):
        ecdsa.functions.recover(HASH, bad).call()
    with lib.reverts(ecdsa, expected):
        ecdsa.functions.recoverVRS(HASH, v2, r, s2.to_bytes(32, "big")).call()
    assert ecdsa.functions.tryRecover(HASH, bad).call() == [ZERO, BAD_S, s2.to_bytes(32, "big")]
    # compact: any s > n/2 that fits in 255 bits is rejected, whatever the parity bit
    for s in (HALF + 1, (1 << 255) - 1):
        for parity in (0, 1):
            vs = ((parity << 255) | s).to_bytes(32, "big")
            with lib.reverts(ecdsa, f"ECDSAInvalidSignatureS(s={h32(s)})"):
                ecdsa.functions.recoverRVs(HASH, r, vs).call()
            with lib.reverts(ecdsa, LENGTH_64):  # as bytes, the length is checked first
                ecdsa.functions.recover(HASH, r + vs).call()
            assert ecdsa.functions.tryRecoverRVs(HASH, r, vs).call() == [ZERO, BAD_S, s.to_bytes(32, "big")]
    # max uint s
    top = (1 << 256) - 1
    with lib.reverts(ecdsa, f"ECDSAInvalidSignatureS(s={h32(top)})"):
        ecdsa.functions.recoverVRS(HASH, 27, r, top.to_bytes(32, "big")).call()


def test_bad_v_rejected(lib, ecdsa):
    sig = sign(ACCOUNTS[0], HASH)
    r, s, v = parts(sig)
    for bad_v in (0, 1, 26, 29, 255, v - 27):
        bad = sig[:64] + bytes([bad_v])
        with lib.reverts(ecdsa, f"ECDSAInvalidSignatureV(v={bad_v})"):
            ecdsa.functions.recover(HASH, bad).call()
        with lib.reverts(ecdsa, f"ECDSAInvalidSignatureV(v={bad_v})"):
            ecdsa.functions.recoverVRS(HASH, bad_v, r, s.to_bytes(32, "big")).call()
        assert ecdsa.functions.tryRecover(HASH, bad).call() == [ZERO, BAD_V, bad_v.to_bytes(32, "big")]


def test_bad_length_rejected(lib, ecdsa):
    sig = sign(ACCOUNTS[0], HASH)
    bad_lengths = (b"", b"\x01", sig[:63], sig[:64], compact(sig), sig + b"\x00", sig[:64] + b"\x00\x00", sig + sig)
    for bad in bad_lengths:
        with lib.reverts(ecdsa, f"ECDSAInvalidSignatureLength(length={len(bad)})"):
            ecdsa.functions.recover(HASH, bad).call()
        assert ecdsa.functions.tryRecover(HASH, bad).call() == [ZERO, BAD_LENGTH, len(bad).to_bytes(32, "big")]


def test_unrecoverable_signature_rejected(lib, ecdsa):
    """ecrecover failures (r = 0, r >= n, s = 0, r not an x coordinate) revert instead of returning address(0)."""
    sig = sign(ACCOUNTS[0], HASH)
    r, s, v = parts(sig)
    cases = [
        (b"\x00" * 32, s), (N.to_bytes(32, "big"), s), (((1 << 256) - 1).to_bytes(32, "big"), s), (r, 0),
        ((5).to_bytes(32, "big"), s),  # x = 5: 5**3 + 7 = 132 is not a square mod p
    ]
    for rr, ss in cases:
        bad = rr + ss.to_bytes(32, "big") + bytes([v])
        with lib.reverts(ecdsa, "ECDSAInvalidSignature()"):
            ecdsa.functions.recover(HASH, bad).call()
        with lib.reverts(ecdsa, "ECDSAInvalidSignature()"):
            ecdsa.functions.recoverRVs(HASH, *rvs(bad)).call()
        with lib.reverts(ecdsa, LENGTH_64):
            ecdsa.functions.recover(HASH, compact(bad)).call()
        assert ecdsa.functions.tryRecover(HASH, bad).call() == [ZERO, INVALID, b"\x00" * 32]
        assert ecdsa.functions.tryRecoverRVs(HASH, *rvs(bad)).call() == [ZERO, INVALID, b"\x00" * 32]


def test_batch_mixed_results(ecdsa):
    good = sign(ACCOUNTS[2], HASH)
    sigs = [good, compact(good), twin(good), good[:64] + b"\x1d", good[:10], b"\x00" * 64 + b"\x1b"]
    signers, errs, details = ecdsa.functions.tryRecoverMany([HASH] * len(sigs), sigs).call()
    assert signers == [ACCOUNTS[2].address] + [ZERO] * 5
    assert errs == [NO_ERROR, BAD_LENGTH, BAD_S, BAD_V, BAD_LENGTH, INVALID]
    assert details[0] == b"\x00" * 32 and details[1] == (64).to_bytes(32, "big")
    assert details[2] == twin(good)[32:64] and details[3] == (29).to_bytes(32, "big")
    assert details[4] == (10).to_bytes(32, "big") and details[5] == b"\x00" * 32


def test_throw_error_maps_every_code(lib, ecdsa):
    ecdsa.functions.throwError(NO_ERROR, b"\x00" * 32).call()  # no revert
    with lib.reverts(ecdsa, "ECDSAInvalidSignature()"):
        ecdsa.functions.throwError(INVALID, b"\x00" * 32).call()
    with lib.reverts(ecdsa, "ECDSAInvalidSignatureLength(length=7)"):
        ecdsa.functions.throwError(BAD_LENGTH, (7).to_bytes(32, "big")).call()
    with lib.reverts(ecdsa, f"ECDSAInvalidSignatureS(s={h32(HALF + 1)})"):
        ecdsa.functions.throwError(BAD_S, (HALF + 1).to_bytes(32, "big")).call()
    with lib.reverts(ecdsa, "ECDSAInvalidSignatureV(v=30)"):
        ecdsa.functions.throwError(BAD_V, (30).to_bytes(32, "big")).call()


# ------------------------------------------------------------------ digests

def test_eth_signed_message_hash_of_bytes32(ecdsa):
    digest = ecdsa.functions.ethSignedHash(HASH).call()
    assert digest == keccak(b"\x19Ethereum Signed Message:\n32" + HASH)
    assert digest == _hash_eip191_message(encode_defunct(primitive=HASH))
    signed = Account.sign_message(encode_defunct(primitive=HASH), ACCOUNTS[0].key)
    assert ecdsa.functions.recover(digest, bytes(signed.signature)).call() == ACCOUNTS[0].address


def test_eth_signed_message_hash_of_bytes_uses_decimal_length(ecdsa):
    messages = [b"", b"a", b"x" * 9, b"y" * 10, b"z" * 99, b"q" * 100, bytes(range(256)) * 4, "héllo ✓".encode()]
    got = ecdsa.functions.ethSignedHashesOfBytes(messages).call()
    for message, digest in zip(messages, got):
        assert digest == keccak(b"\x19Ethereum Signed Message:\n" + str(len(message)).encode() + message)
        assert digest == _hash_eip191_message(encode_defunct(primitive=message))
    # a 32-byte message hashes the same way through both overloads
    assert ecdsa.functions.ethSignedHashOfBytes(HASH).call() == ecdsa.functions.ethSignedHash(HASH).call()
    for message in (b"hello world", b"m" * 1000):
        signed = Account.sign_message(encode_defunct(primitive=message), ACCOUNTS[1].key)
        assert ecdsa.functions.recoverPersonal(message, bytes(signed.signature)).call() == ACCOUNTS[1].address


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(messages=st.lists(st.binary(max_size=300), min_size=1, max_size=8))
def test_eth_signed_message_hash_fuzz(ecdsa, messages):
    got = ecdsa.functions.ethSignedHashesOfBytes(messages).call()
    assert got == [_hash_eip191_message(encode_defunct(primitive=m)) for m in messages]


def test_typed_data_and_intended_validator_hashes(ecdsa):
    ds, sh = keccak(text="domain"), keccak(text="struct")
    assert ecdsa.functions.typedDataHash(ds, sh).call() == keccak(b"\x19\x01" + ds + sh)
    validator = ACCOUNTS[0].address
    for data in (b"", b"payload", bytes(100)):
        expected = _hash_eip191_message(encode_intended_validator(validator, primitive=data))
        assert ecdsa.functions.intendedValidatorHash(validator, data).call() == expected
        assert expected == keccak(b"\x19\x00" + bytes.fromhex(validator[2:]) + data)


def test_assembly_digests_keep_memory_intact(ecdsa):
    a, b = keccak(text="a"), keccak(text="b")
    before_hash, later_hash, both = ecdsa.functions.digestsKeepMemory(a, b).call()
    d1 = keccak(b"\x19Ethereum Signed Message:\n32" + a)
    d2 = keccak(b"\x19\x01" + a + b)
    assert both == a + b + d1 + d2
    assert before_hash == keccak(a + b) and later_hash == keccak(d1 + d2)
