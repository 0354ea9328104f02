"""SignatureChecker: ECDSA for EOAs (65-byte signatures only), ERC-1271 for contracts, robust to
misbehaving wallets."""

from __future__ import annotations

import pytest
from eth_account import Account
from eth_utils import keccak

N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
ZERO = "0x" + "00" * 20
OWNER = Account.from_key(keccak(text="crypto-checker-owner"))
STRANGER = Account.from_key(keccak(text="crypto-checker-stranger"))
HASH = keccak(text="checked hash")
# ERC1271WalletMock modes
OWNER_SIG, WRONG_MAGIC, REVERTS, SHORT, DIRTY_PADDING, EMPTY, LONG, BURNS_GAS = range(8)


def sign(acct, digest=HASH) -> bytes:
    return bytes(acct.unsafe_sign_hash(digest).signature)


def compact(sig: bytes) -> bytes:
    s = int.from_bytes(sig[32:64], "big")
    return sig[:32] + (((sig[64] - 27) << 255) | s).to_bytes(32, "big")


def twin(sig: bytes) -> bytes:
    s = int.from_bytes(sig[32:64], "big")
    return sig[:32] + (N - s).to_bytes(32, "big") + bytes([55 - sig[64]])


@pytest.fixture
def checker(lib):
    return lib.deploy("SignatureCheckerHarness")


@pytest.fixture
def wallet(lib):
    return lib.deploy("ERC1271WalletMock", OWNER.address)


def test_eoa_signatures(checker):
    good = sign(OWNER)
    cases = [
        (OWNER.address, good, True),
        (OWNER.address, compact(good), False),        # 64-byte EIP-2098 bytes: one encoding only
        (STRANGER.address, good, False),              # someone else's key
        (OWNER.address, sign(STRANGER), False),       # signed by someone else
        (OWNER.address, sign(OWNER, keccak(text="other")), False),  # other hash
        (OWNER.address, twin(good), False),           # malleable twin
        (OWNER.address, good[:64] + b"\x00", False),  # bad v
        (OWNER.address, good[:63], False),            # bad length
        (OWNER.address, b"", False),
        (ZERO, b"\x00" * 64 + b"\x1b", False),        # unrecoverable never "matches" address(0)
        (ZERO, b"", False),
    ]
    signers = [c[0] for c in cases]
    sigs = [c[1] for c in cases]
    valid, erc1271 = checker.functions.checkMany(signers, HASH, sigs).call()
    assert valid == [c[2] for c in cases]
    assert erc1271 == [False] * len(cases)  # EOAs have no code: the ERC-1271 path never accepts
    assert checker.functions.isValidSignatureNow(OWNER.address, HASH, good).call() is True
    assert checker.functions.isValidERC1271SignatureNow(OWNER.address, HASH, good).call() is False


def test_compact_signature_bytes_rejected(lib, checker):
    """A 64-byte EIP-2098 compact signature is not accepted as bytes (a second encoding of the same
    signature), although it is a valid signature: its (r, vs) fields recover the owner through ECDSA."""
    ecdsa = lib.deploy("ECDSAHarness")
    for digest in (HASH, keccak(text="parity-a"), keccak(text="parity-b"), keccak(text="parity-c")):
        good = sign(OWNER, digest)
        short = compact(good)
        assert len(short) == 64
        assert checker.functions.isValidSignatureNow(OWNER.address, digest, good).call() is True
        assert checker.functions.isValidSignatureNow(OWNER.address, digest, short).call() is False
        assert ecdsa.functions.recoverRVs(digest, short[:32], short[32:]).call() == OWNER.address


def test_precompiles_are_not_wallets(checker):
    """The identity precompile (0x04) echoes its input — starting with the magic selector — but
    has no code, so it is never asked."""
    identity = "0x" + "00" * 19 + "04"
    zero_prefixed_hash = b"\x00" * 28 + b"\x01\x02\x03\x04"
    for h in (HASH, zero_prefixed_hash):
        assert checker.functions.isValidERC1271SignatureNow(identity, h, b"").call() is False
        assert checker.functions.isValidSignatureNow(identity, h, b"").call() is False


def test_erc1271_wallet_valid_and_invalid(lib, checker, wallet):
    good = sign(OWNER)
    signers = [wallet.address] * 5
    # the mock wallet checks its owner's key with ECDSA.tryRecover(bytes): compact bytes are refused too
    sigs = [good, compact(good), sign(STRANGER), twin(good), b"junk"]
    valid, erc1271 = checker.functions.checkMany(signers, HASH, sigs).call()
    assert valid == [True, False, False, False, False]
    assert erc1271 == [True, False, False, False, False]
    # the wallet's answer is what counts, not who the signature recovers to
    assert checker.functions.isValidSignatureNow(OWNER.address, HASH, good).call() is True
    assert wallet.functions.isValidSignature(HASH, good).call() == bytes.fromhex("1626ba7e")


@pytest.mark.parametrize("mode, expected", [
    (WRONG_MAGIC, False),     # returns 0xffffffff
    (REVERTS, False),         # reverts with a reason
    (SHORT, False),           # returns only the 4 magic bytes (not ABI-encoded)
    (DIRTY_PADDING, False),   # magic with a non-zero padding byte
    (EMPTY, False),           # returns nothing
    (LONG, True),             # magic word followed by more return data: the first word decides
])
def test_erc1271_misbehaving_wallets(lib, checker, wallet, mode, expected):
    lib.send(wallet.functions.setMode(mode))
    good = sign(OWNER)
    assert checker.functions.isValidERC1271SignatureNow(wallet.address, HASH, good).call() is expected
    assert checker.functions.isValidSignatureNow(wallet.address, HASH, good).call() is expected


def test_erc1271_wallet_decides_any_length(lib, checker, wallet):
    """The 65-byte rule is the ECDSA path's: a wallet gets the signature bytes as they are, so one
    that accepts everything (LONG mode) accepts a 64-byte compact signature too."""
    lib.send(wallet.functions.setMode(LONG))
    short = compact(sign(OWNER))
    assert checker.functions.isValidSignatureNow(wallet.address, HASH, short).call() is True
    assert checker.functions.isValidSignatureNow(OWNER.address, HASH, short).call() is False


def test_erc1271_wallet_burning_gas_yields_false(lib, checker, wallet):
    lib.send(wallet.functions.setMode(BURNS_GAS))
    good = sign(OWNER)
    # the wallet uses up the forwarded 63/64 of the gas; the checker still returns false with the rest
    assert checker.functions.isValidERC1271SignatureNow(wallet.address, HASH, good).call({"gas": 300_000}) is False


def test_wallet_answer_is_checked_now(lib, checker, wallet):
    """The same signature is valid or not depending on the wallet's current state."""
    good = sign(OWNER)
    assert checker.functions.isValidSignatureNow(wallet.address, HASH, good).call() is True
    lib.send(wallet.functions.setMode(WRONG_MAGIC))
    assert checker.functions.isValidSignatureNow(wallet.address, HASH, good).call() is False
    lib.send(wallet.functions.setMode(OWNER_SIG))
    assert checker.functions.isValidSignatureNow(wallet.address, HASH, good).call() is True
