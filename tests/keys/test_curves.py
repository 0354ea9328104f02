"""smartdev.keys.curves: secp256k1 and SM2 key pairs, addresses, message and EIP-712 signatures."""

from __future__ import annotations

import subprocess
import sys

import pytest

from smartdev.errors import UsageError
from smartdev.keys import curves
from smartdev.keys.curves import CURVES, SECP256K1_N, SM2_N, KeyPair

# Hardhat / anvil dev account 0 (mnemonic "test test ... junk", m/44'/60'/0'/0/0).
HARDHAT_KEY = bytes.fromhex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")
HARDHAT_ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"

# GM/T 0003.5-2012 (GB/T 32918.5) example on the recommended SM2 curve: key, public
# key, Z_A for the default id, and the signature of "message digest" with nonce k.
SM2_D = bytes.fromhex("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8")
SM2_PUB = bytes.fromhex("09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"
                        "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13")
SM2_ZA = bytes.fromhex("B2E14C5C79C6DF5B85F4FE7ED8DB7A262B9DA7E07CCB0EA9F4747B8CCDA8A4F3")
SM2_K = 0x59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21
SM2_SIG = bytes.fromhex("F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3"
                        "B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA")

# EIP-712's own example (the "Ether Mail" message, signed by keccak256("cow")).
COW_KEY = bytes.fromhex("c85ef7d79691fe79573b1a7064c19c1a9819ebdbd1faaab1a8ec92344438aaf4")
COW_ADDRESS = "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"
MAIL_SIG = bytes.fromhex("4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d"
                         "07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b915621c")


def mail() -> dict:
    return {
        "types": {
            "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                             {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
            "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
            "Mail": [{"name": "from", "type": "Person"}, {"name": "to", "type": "Person"},
                     {"name": "contents", "type": "string"}],
        },
        "primaryType": "Mail",
        "domain": {"name": "Ether Mail", "version": "1", "chainId": 1,
                   "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
        "message": {"from": {"name": "Cow", "wallet": COW_ADDRESS},
                    "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},
                    "contents": "Hello, Bob!"},
    }


def flip(data: bytes, index: int = 10) -> bytes:
    return data[:index] + bytes([data[index] ^ 1]) + data[index + 1:]


# -- key pairs --------------------------------------------------------------------------
def test_secp256k1_pair_from_known_key() -> None:
    pair = curves.from_private_key("secp256k1", HARDHAT_KEY)
    assert pair.address == HARDHAT_ADDRESS
    assert len(pair.public_key) == 64
    from eth_keys import keys

    assert pair.public_key == keys.PrivateKey(HARDHAT_KEY).public_key.to_bytes()


def test_sm2_public_key_matches_the_standard_example() -> None:
    pair = curves.from_private_key("sm2", SM2_D)
    assert pair.curve == "sm2"
    assert pair.public_key == SM2_PUB
    assert pair.address == curves.address_from_public_key("sm2", SM2_PUB)
    assert pair.address != curves.address_from_public_key("secp256k1", SM2_PUB)


def test_sm3_published_vectors() -> None:
    # GB/T 32905-2016 appendix A, examples 1 and 2.
    assert curves.sm3(b"abc").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert curves.sm3(b"abcd" * 16).hex() == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"


def test_addresses_match_fisco_bcos_java_sdk_vectors() -> None:
    # FISCO-BCOS/java-sdk SignatureTest.testValidGetAddressForSM / ...ForECDSA.
    pub = bytes.fromhex("77a8f8d2f786f079bd661e774da3a9f430c76b9acbcd71f9976bff7456bb136a"
                        "80cb97335cc929a531791970f8ce10c0ca6ffb391e9ef241a48cbd8f3db1a82e")
    assert curves.address_from_public_key("sm2", pub).lower() == "0x4b99a949a24f3dc8dc54b02d51ec0ae4c8bb7018"
    assert curves.address_from_public_key("secp256k1", pub).lower() == "0xdeaa5343178c2be2cb5e9b13000ed951e302c15d"
    assert curves.address_from_public_key("sm2", bytes(64)).lower() == "0x0ec7f82b659cc8c6b753f26d4e9ec85bc91c231e"
    # the SEC1 04 prefix is accepted and ignored, as in the java-sdk
    assert curves.address_from_public_key("sm2", b"\x04" + pub) == curves.address_from_public_key("sm2", pub)
    # EIP-55 checksummed
    assert curves.address_from_public_key("sm2", pub) == "0x4B99A949a24f3DC8DC54b02d51ec0AE4C8Bb7018"


@pytest.mark.parametrize("curve", CURVES)
def test_generate_gives_distinct_consistent_pairs(curve: str) -> None:
    a, b = curves.generate(curve), curves.generate(curve)
    assert a.private_key != b.private_key and a.address != b.address
    assert a.curve == curve and len(a.private_key) == 32 and len(a.public_key) == 64
    assert curves.from_private_key(curve, a.private_key) == a


def test_generate_defaults_to_secp256k1_and_curve_names_are_case_insensitive() -> None:
    assert curves.generate().curve == "secp256k1"
    assert curves.from_private_key("SM2", SM2_D).public_key == SM2_PUB


def test_repr_hides_the_private_key() -> None:
    pair = curves.from_private_key("secp256k1", HARDHAT_KEY)
    for text in (repr(pair), str(pair), repr([pair])):
        assert HARDHAT_KEY.hex() not in text.lower()
        assert HARDHAT_ADDRESS in text


def test_unknown_curve_lists_the_curves() -> None:
    for call in (lambda: curves.generate("ed25519"), lambda: curves.from_private_key("p256", HARDHAT_KEY),
                 lambda: curves.verify_message("rsa", HARDHAT_ADDRESS, b"m", bytes(65))):
        with pytest.raises(UsageError, match="unknown curve") as info:
            call()
        assert "secp256k1" in info.value.hint and "sm2" in info.value.hint


@pytest.mark.parametrize("curve,value", [
    ("secp256k1", 0), ("secp256k1", SECP256K1_N), ("secp256k1", 2**256 - 1),
    ("sm2", 0), ("sm2", SM2_N - 1), ("sm2", SM2_N),
])
def test_out_of_range_private_keys_are_refused(curve: str, value: int) -> None:
    with pytest.raises(UsageError, match="out of range"):
        curves.from_private_key(curve, value.to_bytes(32, "big"))


def test_the_largest_valid_keys_are_accepted() -> None:
    assert curves.from_private_key("secp256k1", (SECP256K1_N - 1).to_bytes(32, "big")).curve == "secp256k1"
    assert curves.from_private_key("sm2", (SM2_N - 2).to_bytes(32, "big")).curve == "sm2"
    assert curves.from_private_key("sm2", (1).to_bytes(32, "big")).address


def test_malformed_private_keys_are_refused() -> None:
    with pytest.raises(UsageError, match="32 bytes"):
        curves.from_private_key("secp256k1", HARDHAT_KEY[:31])
    with pytest.raises(UsageError, match="must be bytes"):
        curves.from_private_key("secp256k1", HARDHAT_KEY.hex())  # type: ignore[arg-type]


def test_private_key_from_hex() -> None:
    assert curves.private_key_from_hex("0x" + HARDHAT_KEY.hex()) == HARDHAT_KEY
    assert curves.private_key_from_hex("  " + HARDHAT_KEY.hex().upper() + "\n") == HARDHAT_KEY
    with pytest.raises(UsageError, match="not hexadecimal"):
        curves.private_key_from_hex("zz" * 32)
    with pytest.raises(UsageError, match="32 bytes"):
        curves.private_key_from_hex("ab" * 20)


# -- secp256k1 messages -------------------------------------------------------------------
def test_personal_sign_matches_the_eth_account_documentation_vector() -> None:
    key = bytes.fromhex("b25c7db31feed9122727bf0939dc769a96564b2de4c4726d035b36ecf1e5b364")
    pair = curves.from_private_key("secp256k1", key)
    assert pair.address == "0x5ce9454909639D2D17A3F753ce7d93fa0b9aB12E"
    signature = curves.sign_message(pair, "I♥SF".encode())
    assert signature.hex() == ("e6ca9bba58c88611fad66a6ce8f996908195593807c4b38bd528d2cff09d4eb3"
                               "3e5bfbbf4d3e39b1a2fd816a7680c19ebebaf3a141b239934ad43cb33fcec8ce1c")
    assert curves.verify_message("secp256k1", pair.address, "I♥SF".encode(), signature)


def test_secp256k1_signature_is_eth_account_personal_sign() -> None:
    from eth_account import Account
    from eth_account.messages import encode_defunct

    pair = curves.generate("secp256k1")
    signature = curves.sign_message(pair, b"hello")
    assert len(signature) == 65 and signature[64] in (27, 28)
    assert signature == bytes(Account.sign_message(encode_defunct(primitive=b"hello"), pair.private_key).signature)


def test_secp256k1_verification_fails_on_changes() -> None:
    pair, other = curves.generate(), curves.generate()
    signature = curves.sign_message(pair, b"hello")
    assert curves.verify_message("secp256k1", pair.address, b"hello", signature)
    assert curves.verify_message("secp256k1", pair.address.lower(), b"hello", signature)
    assert not curves.verify_message("secp256k1", pair.address, b"hellO", signature)
    assert not curves.verify_message("secp256k1", other.address, b"hello", signature)
    assert not curves.verify_message("secp256k1", pair.address, b"hello", flip(signature))
    assert not curves.verify_message("secp256k1", pair.address, b"hello", bytes(65))  # unrecoverable


def test_secp256k1_verification_checks_a_given_public_key() -> None:
    pair, other = curves.generate(), curves.generate()
    signature = curves.sign_message(pair, b"m")
    assert curves.verify_message("secp256k1", pair.address, b"m", signature, public_key=pair.public_key)
    with pytest.raises(UsageError, match="belongs to"):
        curves.verify_message("secp256k1", pair.address, b"m", signature, public_key=other.public_key)


def test_bad_signature_and_signer_inputs_are_usage_errors() -> None:
    pair = curves.from_private_key("secp256k1", HARDHAT_KEY)
    signature = curves.sign_message(pair, b"m")
    with pytest.raises(UsageError, match="65 bytes"):
        curves.verify_message("secp256k1", pair.address, b"m", signature[:64])
    with pytest.raises(UsageError, match="not an address"):
        curves.verify_message("secp256k1", "0x1234", b"m", signature)
    with pytest.raises(UsageError, match="checksum"):
        curves.verify_message("secp256k1", HARDHAT_ADDRESS.replace("f39F", "F39f"), b"m", signature)
    with pytest.raises(UsageError, match="must be bytes"):
        curves.verify_message("secp256k1", pair.address, b"m", signature.hex())  # type: ignore[arg-type]


# -- SM2 messages ----------------------------------------------------------------------
def test_sm2_z_and_signature_match_the_standard_example() -> None:
    assert curves.sm2_z(SM2_PUB) == SM2_ZA
    assert curves._sm2_sign(SM2_D, SM2_PUB, b"message digest", k=SM2_K) == SM2_SIG
    address = curves.address_from_public_key("sm2", SM2_PUB)
    assert curves.verify_message("sm2", address, b"message digest", SM2_SIG, public_key=SM2_PUB)
    assert not curves.verify_message("sm2", address, b"message digesT", SM2_SIG, public_key=SM2_PUB)


def test_sm2_sign_verify_round_trip_and_failures() -> None:
    pair, other = curves.generate("sm2"), curves.generate("sm2")
    signature = curves.sign_message(pair, b"hello")
    assert len(signature) == 64
    assert curves.sign_message(pair, b"hello") != signature  # random nonce
    assert curves.verify_message("sm2", pair.address, b"hello", signature, public_key=pair.public_key)
    assert not curves.verify_message("sm2", pair.address, b"hello!", signature, public_key=pair.public_key)
    assert not curves.verify_message("sm2", pair.address, b"hello", flip(signature), public_key=pair.public_key)
    assert not curves.verify_message("sm2", pair.address, b"hello", flip(signature, 40), public_key=pair.public_key)
    # the signature does not verify under another key (given with its own address)
    assert not curves.verify_message("sm2", other.address, b"hello", signature, public_key=other.public_key)
    # r = 0 and s = n are out of range
    assert not curves.verify_message("sm2", pair.address, b"hello", bytes(32) + signature[32:],
                                     public_key=pair.public_key)
    assert not curves.verify_message("sm2", pair.address, b"hello", signature[:32] + SM2_N.to_bytes(32, "big"),
                                     public_key=pair.public_key)


def test_sm2_public_keys_with_leading_zero_or_four_digits_work() -> None:
    # gmssl's constructor strips leading "0"/"4" hex digits; smartdev must not be affected.
    for _ in range(200):
        pair = curves.generate("sm2")
        if pair.public_key.hex()[0] in "04":
            break
    else:  # pragma: no cover - 1 - (14/16)**200 is about 1
        pytest.skip("no key with a leading 0/4 digit")
    signature = curves.sign_message(pair, b"x")
    assert curves.verify_message("sm2", pair.address, b"x", signature, public_key=pair.public_key)


def test_sm2_verification_input_errors() -> None:
    pair, other = curves.generate("sm2"), curves.generate("sm2")
    signature = curves.sign_message(pair, b"m")
    with pytest.raises(UsageError, match="needs the signer's public key") as info:
        curves.verify_message("sm2", pair.address, b"m", signature)
    assert "recoverable" in info.value.hint
    with pytest.raises(UsageError, match="belongs to"):
        curves.verify_message("sm2", pair.address, b"m", signature, public_key=other.public_key)
    with pytest.raises(UsageError, match="64 bytes"):
        curves.verify_message("sm2", pair.address, b"m", signature + b"\x00", public_key=pair.public_key)
    with pytest.raises(UsageError, match="64 bytes"):
        curves.verify_message("sm2", pair.address, b"m", signature, public_key=pair.public_key[:63])
    off_curve = bytes(63) + b"\x01"
    with pytest.raises(UsageError, match="not a point on the SM2 curve"):
        curves.verify_message("sm2", curves.address_from_public_key("sm2", off_curve), b"m", signature,
                              public_key=off_curve)


# -- EIP-712 ----------------------------------------------------------------------------------
def test_typed_data_matches_the_eip712_example() -> None:
    pair = curves.from_private_key("secp256k1", COW_KEY)
    assert pair.address == COW_ADDRESS
    assert curves.sign_typed_data(pair, mail()) == MAIL_SIG
    assert curves.verify_typed_data(COW_ADDRESS, mail(), MAIL_SIG)


def test_typed_data_verification_fails_on_changes() -> None:
    changed = mail()
    changed["message"]["contents"] = "Hello, Alice!"
    assert not curves.verify_typed_data(COW_ADDRESS, changed, MAIL_SIG)
    other_domain = mail()
    other_domain["domain"]["chainId"] = 5
    assert not curves.verify_typed_data(COW_ADDRESS, other_domain, MAIL_SIG)
    assert not curves.verify_typed_data(HARDHAT_ADDRESS, mail(), MAIL_SIG)
    assert not curves.verify_typed_data(COW_ADDRESS, mail(), flip(MAIL_SIG))


def test_typed_data_errors() -> None:
    cow = curves.from_private_key("secp256k1", COW_KEY)
    with pytest.raises(UsageError, match="secp256k1 keys only"):
        curves.sign_typed_data(curves.generate("sm2"), mail())
    with pytest.raises(UsageError, match="JSON object"):
        curves.sign_typed_data(cow, ["not", "a", "dict"])  # type: ignore[arg-type]
    broken = mail()
    del broken["types"]
    with pytest.raises(UsageError, match="not valid EIP-712 typed data: missing 'types'"):
        curves.sign_typed_data(cow, broken)
    wrong_primary = mail()
    wrong_primary["primaryType"] = "Letter"
    with pytest.raises(UsageError, match="not valid EIP-712 typed data"):
        curves.sign_typed_data(cow, wrong_primary)
    unknown_type = mail()
    unknown_type["types"]["Mail"][2]["type"] = "strin"
    with pytest.raises(UsageError, match="strin"):
        curves.sign_typed_data(cow, unknown_type)
    bad_value = mail()
    bad_value["message"]["to"]["wallet"] = "not an address"
    with pytest.raises(UsageError, match="not valid EIP-712 typed data"):
        curves.sign_typed_data(cow, bad_value)
    with pytest.raises(UsageError, match="not valid EIP-712 typed data"):
        curves.verify_typed_data(COW_ADDRESS, broken, MAIL_SIG)
    with pytest.raises(UsageError, match="65 bytes"):
        curves.verify_typed_data(COW_ADDRESS, mail(), MAIL_SIG[:64])


# -- import cost --------------------------------------------------------------------------------
def test_importing_the_key_modules_loads_no_crypto_library() -> None:
    code = (
        "import sys\n"
        "import smartdev.keys, smartdev.keys.curves, smartdev.keys.keystore, smartdev.keys.mnemonic,"
        " smartdev.keys.shamir, smartdev.keys.export\n"
        "heavy = [m for m in ('eth_account', 'eth_keyfile', 'eth_keys', 'cryptography', 'gmssl',"
        " 'shamir_mnemonic', 'coincurve', 'Crypto') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_keypair_is_immutable() -> None:
    pair = curves.generate()
    with pytest.raises(AttributeError):
        pair.address = "0x0"  # type: ignore[misc]
    assert isinstance(pair, KeyPair)
