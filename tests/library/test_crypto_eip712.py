"""EIP712: domain separator, _hashTypedDataV4 against eth_account's encode_typed_data /
sign_typed_data, EIP-5267 eip712Domain(), name/version storage, rebuild behind a clone."""

from __future__ import annotations

import pytest
from eth_abi import encode
from eth_account import Account
from eth_account.messages import _hash_eip191_message, encode_typed_data
from eth_utils import keccak

SIGNER = Account.from_key(keccak(text="crypto-eip712-signer"))
DOMAIN_TYPE = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]
MAIL_TYPE = [
    {"name": "from", "type": "address"},
    {"name": "to", "type": "address"},
    {"name": "contents", "type": "string"},
    {"name": "nonce", "type": "uint256"},
]


def typed_mail(name, version, chain_id, contract, frm, to, contents, nonce) -> dict:
    return {
        "types": {"EIP712Domain": DOMAIN_TYPE, "Mail": MAIL_TYPE},
        "primaryType": "Mail",
        "domain": {"name": name, "version": version, "chainId": chain_id, "verifyingContract": contract},
        "message": {"from": frm, "to": to, "contents": contents, "nonce": nonce},
    }


def domain_separator(name: str, version: str, chain_id: int, contract: str) -> bytes:
    type_hash = keccak(text="EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
    return keccak(encode(["bytes32", "bytes32", "bytes32", "uint256", "address"],
                         [type_hash, keccak(text=name), keccak(text=version), chain_id, contract]))


@pytest.fixture
def eip(lib):
    return lib.deploy("EIP712Harness", "Mail App", "1")


def test_domain_separator_and_eip5267(lib, eip):
    chain_id = lib.w3.eth.chain_id
    expected = domain_separator("Mail App", "1", chain_id, eip.address)
    assert eip.functions.domainSeparator().call() == expected
    signable = encode_typed_data(full_message=typed_mail("Mail App", "1", chain_id, eip.address,
                                                         SIGNER.address, SIGNER.address, "", 0))
    assert signable.header == expected  # eth_account's domain hash
    assert eip.functions.eip712Domain().call() == [b"\x0f", "Mail App", "1", chain_id, eip.address, b"\x00" * 32, []]
    assert eip.functions.names().call() == ["Mail App", "1"]


def test_typed_data_digest_and_signature_match_eth_account(lib, eip):
    chain_id = lib.w3.eth.chain_id
    a = lib.accounts
    cases = [
        (SIGNER.address, a[1], "Hello, Bob!", 0),
        (a[2], a[3], "", 2**256 - 1),
        (a[4], SIGNER.address, "ünïcødé ✓ " * 20, 7),
    ]
    for frm, to, contents, nonce in cases:
        full = typed_mail("Mail App", "1", chain_id, eip.address, frm, to, contents, nonce)
        digest = _hash_eip191_message(encode_typed_data(full_message=full))
        assert eip.functions.mailDigest(frm, to, contents, nonce).call() == digest
        signed = Account.sign_typed_data(SIGNER.key, full_message=full)
        assert eip.functions.mailSigner(frm, to, contents, nonce, bytes(signed.signature)).call() == SIGNER.address
        # any field change gives another digest, so the signature recovers someone else
        assert eip.functions.mailSigner(frm, to, contents, nonce ^ 1, bytes(signed.signature)).call() != SIGNER.address
    struct_hash = keccak(text="any struct")
    assert eip.functions.hashTypedData(struct_hash).call() == keccak(
        b"\x19\x01" + eip.functions.domainSeparator().call() + struct_hash)


def test_domain_differs_per_contract_name_and_version(lib, eip):
    other = lib.deploy("EIP712Harness", "Mail App", "1")
    v2 = lib.deploy("EIP712Harness", "Mail App", "2")
    named = lib.deploy("EIP712Harness", "Mail Ap", "1")
    seps = {c.functions.domainSeparator().call() for c in (eip, other, v2, named)}
    assert len(seps) == 4
    # a signature for one contract does not verify on its twin
    full = typed_mail("Mail App", "1", lib.w3.eth.chain_id, eip.address, SIGNER.address, SIGNER.address, "x", 1)
    sig = bytes(Account.sign_typed_data(SIGNER.key, full_message=full).signature)
    assert eip.functions.mailSigner(SIGNER.address, SIGNER.address, "x", 1, sig).call() == SIGNER.address
    assert other.functions.mailSigner(SIGNER.address, SIGNER.address, "x", 1, sig).call() != SIGNER.address


@pytest.mark.parametrize("name, version", [
    ("", ""),
    ("a" * 31, "v" * 31),                 # longest kept in immutables
    ("b" * 32, "w" * 32),                 # shortest kept in storage
    ("A rather long signing domain name for the test", "1.0.0-beta+build.20240101"),
    ("ü✓", "\x00"),                       # multi-byte UTF-8 and a NUL byte
])
def test_names_of_any_length_roundtrip(lib, name, version):
    c = lib.deploy("EIP712Harness", name, version)
    chain_id = lib.w3.eth.chain_id
    assert c.functions.names().call() == [name, version]
    assert c.functions.eip712Domain().call()[1:3] == [name, version]
    assert c.functions.domainSeparator().call() == domain_separator(name, version, chain_id, c.address)


def test_clone_rebuilds_domain_for_its_own_address(lib, eip):
    factory = lib.deploy("EIP712CloneFactory")
    receipt = lib.send(factory.functions.clone(eip.address))
    [ev] = lib.events(factory, receipt, "CloneCreated")
    clone = lib.w3.eth.contract(address=ev["clone"], abi=eip.abi)
    chain_id = lib.w3.eth.chain_id
    # the clone runs the implementation's code (same immutables) but is a different verifying contract
    assert clone.functions.domainSeparator().call() == domain_separator("Mail App", "1", chain_id, clone.address)
    assert clone.functions.domainSeparator().call() != eip.functions.domainSeparator().call()
    assert clone.functions.eip712Domain().call() == [b"\x0f", "Mail App", "1", chain_id, clone.address,
                                                     b"\x00" * 32, []]
    full = typed_mail("Mail App", "1", chain_id, clone.address, SIGNER.address, SIGNER.address, "hi", 3)
    sig = bytes(Account.sign_typed_data(SIGNER.key, full_message=full).signature)
    assert clone.functions.mailSigner(SIGNER.address, SIGNER.address, "hi", 3, sig).call() == SIGNER.address
    assert eip.functions.mailSigner(SIGNER.address, SIGNER.address, "hi", 3, sig).call() != SIGNER.address


def test_clone_of_long_name_keeps_hash_but_not_string(lib):
    """Names over 31 bytes live in the implementation's storage: a clone still hashes them
    correctly (immutable hash) but reports an empty string in eip712Domain() (documented)."""
    long_name = "n" * 40
    impl = lib.deploy("EIP712Harness", long_name, "1")
    factory = lib.deploy("EIP712CloneFactory")
    [ev] = lib.events(factory, lib.send(factory.functions.clone(impl.address)), "CloneCreated")
    clone = lib.w3.eth.contract(address=ev["clone"], abi=impl.abi)
    chain_id = lib.w3.eth.chain_id
    assert clone.functions.domainSeparator().call() == domain_separator(long_name, "1", chain_id, clone.address)
    assert clone.functions.names().call() == ["", "1"]
