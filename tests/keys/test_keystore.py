"""smartdev.keys.keystore: Web3 Secret Storage v3 files, interop with eth-account, and
clear errors for every way a keystore can be wrong."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from smartdev.errors import NotFoundError, UsageError
from smartdev.keys import curves, keystore
from smartdev.keys.keystore import WrongPasswordError

FAST = 1024  # scrypt n for tests; one test uses geth's default

# The two test vectors of the Web3 Secret Storage Definition (Ethereum wiki, now
# ethereum.org "Web3 secret storage definition"): password "testpassword".
VECTOR_KEY = "7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d"
VECTOR_ADDRESS = "0x008aeeda4d805471df9b2a5b0f38a0c3bcba786b"
PBKDF2_VECTOR = {
    "crypto": {
        "cipher": "aes-128-ctr",
        "cipherparams": {"iv": "6087dab2f9fdbbfaddc31a909735c1e6"},
        "ciphertext": "5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46",
        "kdf": "pbkdf2",
        "kdfparams": {"c": 262144, "dklen": 32, "prf": "hmac-sha256",
                      "salt": "ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd"},
        "mac": "517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2",
    },
    "id": "3198bc9c-6672-5ab3-d995-4942343ae5b6",
    "version": 3,
}
SCRYPT_VECTOR = {
    "crypto": {
        "cipher": "aes-128-ctr",
        "cipherparams": {"iv": "83dbcc02d8ccb40e466191a123791e0e"},
        "ciphertext": "d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c",
        "kdf": "scrypt",
        "kdfparams": {"dklen": 32, "n": 262144, "p": 8, "r": 1,
                      "salt": "ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19"},
        "mac": "2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097",
    },
    "id": "3198bc9c-6672-5ab3-d995-4942343ae5b6",
    "version": 3,
}


@pytest.fixture(scope="module")
def pair() -> curves.KeyPair:
    return curves.generate("secp256k1")


@pytest.fixture(scope="module")
def sample(pair: curves.KeyPair) -> dict:
    return keystore.encrypt(pair, "pw", work_factor=FAST)


# -- the published vectors ----------------------------------------------------------------
def test_wiki_pbkdf2_vector() -> None:
    got = keystore.decrypt(copy.deepcopy(PBKDF2_VECTOR), "testpassword")
    assert got.private_key.hex() == VECTOR_KEY
    assert got.address.lower() == VECTOR_ADDRESS


def test_wiki_scrypt_vector() -> None:
    got = keystore.decrypt(copy.deepcopy(SCRYPT_VECTOR), "testpassword")
    assert got.private_key.hex() == VECTOR_KEY
    assert got.address.lower() == VECTOR_ADDRESS


def test_capitalised_crypto_section_is_read() -> None:
    data = copy.deepcopy(PBKDF2_VECTOR)
    data["Crypto"] = data.pop("crypto")
    data["Crypto"]["kdfparams"]["c"] = 262144
    assert keystore.decrypt(data, "testpassword").private_key.hex() == VECTOR_KEY


# -- what encrypt writes ----------------------------------------------------------------
def test_encrypt_writes_geth_style_v3(pair: curves.KeyPair, sample: dict) -> None:
    assert sample["version"] == 3
    assert sample["address"] == pair.address[2:].lower()
    assert "curve" not in sample
    crypto = sample["crypto"]
    assert crypto["cipher"] == "aes-128-ctr" and crypto["kdf"] == "scrypt"
    assert crypto["kdfparams"]["n"] == FAST and crypto["kdfparams"]["r"] == 8 and crypto["kdfparams"]["p"] == 1
    assert pair.private_key.hex() not in json.dumps(sample)
    assert keystore.decrypt(sample, "pw") == pair


def test_default_is_geths_standard_scrypt(pair: curves.KeyPair) -> None:
    data = keystore.encrypt(pair, "pw")
    params = data["crypto"]["kdfparams"]
    assert (params["n"], params["r"], params["p"], params["dklen"]) == (262144, 8, 1, 32)
    assert keystore.decrypt(data, "pw") == pair


def test_pbkdf2_round_trip(pair: curves.KeyPair) -> None:
    data = keystore.encrypt(pair, "pässwörd", kdf="pbkdf2", work_factor=1000)
    assert data["crypto"]["kdf"] == "pbkdf2" and data["crypto"]["kdfparams"]["c"] == 1000
    assert data["crypto"]["kdfparams"]["prf"] == "hmac-sha256"
    assert keystore.decrypt(data, "pässwörd") == pair


def test_sm2_keystore_carries_its_curve() -> None:
    sm2 = curves.generate("sm2")
    data = keystore.encrypt(sm2, "pw", work_factor=FAST)
    assert data["curve"] == "sm2"
    assert data["address"] == sm2.address[2:].lower()
    got = keystore.decrypt(data, "pw")
    assert got == sm2 and got.curve == "sm2"


def test_two_encryptions_differ(pair: curves.KeyPair) -> None:
    a = keystore.encrypt(pair, "pw", work_factor=FAST)
    b = keystore.encrypt(pair, "pw", work_factor=FAST)
    assert a["crypto"]["ciphertext"] != b["crypto"]["ciphertext"] and a["id"] != b["id"]


# -- interop with eth-account ---------------------------------------------------------------
def test_eth_account_reads_what_smartdev_writes(pair: curves.KeyPair, sample: dict) -> None:
    from eth_account import Account

    assert bytes(Account.decrypt(sample, "pw")) == pair.private_key
    pbkdf2 = keystore.encrypt(pair, "pw", kdf="pbkdf2", work_factor=1000)
    assert bytes(Account.decrypt(pbkdf2, "pw")) == pair.private_key


@pytest.mark.parametrize("kdf,iterations", [("scrypt", FAST), ("pbkdf2", 1000)])
def test_smartdev_reads_what_eth_account_writes(pair: curves.KeyPair, kdf: str, iterations: int) -> None:
    from eth_account import Account

    data = Account.encrypt(pair.private_key, "pw", kdf=kdf, iterations=iterations)
    assert keystore.decrypt(data, "pw") == pair


# -- wrong password and broken files ------------------------------------------------------------
def test_wrong_password(sample: dict) -> None:
    with pytest.raises(WrongPasswordError, match="wrong password"):
        keystore.decrypt(sample, "PW")
    assert issubclass(WrongPasswordError, UsageError)


def test_password_must_be_text(sample: dict) -> None:
    with pytest.raises(UsageError, match="password must be text"):
        keystore.decrypt(sample, b"pw")  # type: ignore[arg-type]


def broken(sample: dict, edit) -> dict:
    data = copy.deepcopy(sample)
    edit(data)
    return data


@pytest.mark.parametrize("edit,message", [
    (lambda d: d.pop("crypto"), "no 'crypto' section"),
    (lambda d: d.pop("version"), r"not a v3 keystore \(no version\)"),
    (lambda d: d.update(version=1), r"not a v3 keystore \(version 1\)"),
    (lambda d: d.update(version="3"), "not a v3 keystore"),
    (lambda d: d.update(crypto="x"), "'crypto' is not an object"),
    (lambda d: d["crypto"].update(cipher="aes-128-cbc"), "unsupported keystore cipher 'aes-128-cbc'"),
    (lambda d: d["crypto"].update(kdf="argon2id"), "unsupported key derivation function 'argon2id'"),
    (lambda d: d["crypto"].pop("mac"), "crypto.mac is missing"),
    (lambda d: d["crypto"].update(mac="zz" * 32), "crypto.mac is not valid hex"),
    (lambda d: d["crypto"].update(ciphertext=d["crypto"]["ciphertext"][:40]), "ciphertext is 20 bytes, expected 32"),
    (lambda d: d["crypto"].update(ciphertext=d["crypto"]["ciphertext"][:-1]), "ciphertext is not valid hex"),
    (lambda d: d["crypto"]["cipherparams"].update(iv="00"), "iv is 1 bytes, expected 16"),
    (lambda d: d["crypto"].pop("cipherparams"), "cipherparams is missing"),
    (lambda d: d["crypto"]["kdfparams"].pop("salt"), "kdfparams.salt is missing"),
    (lambda d: d["crypto"]["kdfparams"].update(n=1000), "not a power of two"),
    (lambda d: d["crypto"]["kdfparams"].update(n="1024"), "kdfparams.n must be an integer"),
    (lambda d: d["crypto"]["kdfparams"].update(n=2**24), "need too much memory or time"),
    (lambda d: d["crypto"]["kdfparams"].update(dklen=16), "dklen must be at least 32"),
    (lambda d: d.update(address="xyz"), "address 'xyz' is not 40 hex digits"),
    (lambda d: d.update(curve="ed25519"), "curve 'ed25519' is not supported"),
])
def test_broken_keystores_give_clear_errors(sample: dict, edit, message: str) -> None:
    with pytest.raises(UsageError, match=message) as info:
        keystore.decrypt(broken(sample, edit), "pw")
    assert not isinstance(info.value, WrongPasswordError)
    assert "\n" not in info.value.one_line()


def test_broken_pbkdf2_parameters(pair: curves.KeyPair) -> None:
    data = keystore.encrypt(pair, "pw", kdf="pbkdf2", work_factor=1000)
    with pytest.raises(UsageError, match="unsupported pbkdf2 function 'hmac-sha512'"):
        keystore.decrypt(broken(data, lambda d: d["crypto"]["kdfparams"].update(prf="hmac-sha512")), "pw")
    with pytest.raises(UsageError, match="iteration count .* too large"):
        keystore.decrypt(broken(data, lambda d: d["crypto"]["kdfparams"].update(c=10**9)), "pw")
    with pytest.raises(UsageError, match="kdfparams.c must be an integer >= 1"):
        keystore.decrypt(broken(data, lambda d: d["crypto"]["kdfparams"].update(c=0)), "pw")


def test_version_4_is_named_as_a_validator_keystore(sample: dict) -> None:
    with pytest.raises(UsageError, match="version 4") as info:
        keystore.decrypt(broken(sample, lambda d: d.update(version=4)), "pw")
    assert "EIP-2335" in info.value.hint


def test_not_an_object() -> None:
    for data in ([], "x", None, 3):
        with pytest.raises(UsageError, match="expected a JSON object"):
            keystore.decrypt(data, "pw")  # type: ignore[arg-type]


def test_tampered_ciphertext_fails_the_mac(sample: dict) -> None:
    text = sample["crypto"]["ciphertext"]
    tampered = broken(sample, lambda d: d["crypto"].update(ciphertext=("0" if text[0] != "0" else "1") + text[1:]))
    with pytest.raises(WrongPasswordError):
        keystore.decrypt(tampered, "pw")


def test_address_mismatch(sample: dict) -> None:
    other = curves.generate().address[2:].lower()
    with pytest.raises(UsageError, match="does not match its key") as info:
        keystore.decrypt(broken(sample, lambda d: d.update(address=other)), "pw")
    assert "damaged or was edited" in info.value.hint


def test_sm2_keystore_without_curve_field_says_so() -> None:
    sm2 = curves.generate("sm2")
    data = keystore.encrypt(sm2, "pw", work_factor=FAST)
    del data["curve"]
    with pytest.raises(UsageError, match="does not match its key") as info:
        keystore.decrypt(data, "pw")
    assert '"curve": "sm2"' in info.value.hint


def test_keystore_without_address_still_decrypts(pair: curves.KeyPair, sample: dict) -> None:
    assert keystore.decrypt(broken(sample, lambda d: d.pop("address")), "pw") == pair
    prefixed = broken(sample, lambda d: d.update(address="0x" + d["address"].upper()))
    assert keystore.decrypt(prefixed, "pw") == pair


def test_encrypt_errors(pair: curves.KeyPair) -> None:
    with pytest.raises(UsageError, match="unknown key derivation function 'bcrypt'"):
        keystore.encrypt(pair, "pw", kdf="bcrypt")
    with pytest.raises(UsageError, match="power of two"):
        keystore.encrypt(pair, "pw", work_factor=1000)
    with pytest.raises(UsageError, match="positive integer"):
        keystore.encrypt(pair, "pw", work_factor=0)
    with pytest.raises(UsageError, match="positive integer"):
        keystore.encrypt(pair, "pw", work_factor=True)
    with pytest.raises(UsageError, match="more than 1 GiB"):
        keystore.encrypt(pair, "pw", work_factor=2**21)
    with pytest.raises(UsageError, match="too large"):
        keystore.encrypt(pair, "pw", kdf="pbkdf2", work_factor=10**9)
    with pytest.raises(UsageError, match="password must be text"):
        keystore.encrypt(pair, None, work_factor=FAST)  # type: ignore[arg-type]


def test_declared_address(pair: curves.KeyPair, sample: dict) -> None:
    assert keystore.declared_address(sample) == pair.address
    assert keystore.declared_address({"address": "0x" + pair.address[2:].upper()}) == pair.address
    assert keystore.declared_address({"Address": pair.address}) == pair.address
    assert keystore.declared_address({"address": "nope"}) is None
    assert keystore.declared_address({}) is None and keystore.declared_address([]) is None


# -- load -------------------------------------------------------------------------------------
def test_load_reads_json(tmp_path: Path, sample: dict) -> None:
    path = tmp_path / "k.json"
    path.write_text(json.dumps(sample))
    assert keystore.load(path) == sample
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + json.dumps(sample).encode())
    assert keystore.load(bom) == sample


def test_load_errors(tmp_path: Path, sample: dict) -> None:
    with pytest.raises(NotFoundError, match="does not exist"):
        keystore.load(tmp_path / "missing.json")
    with pytest.raises(UsageError, match="is a directory"):
        keystore.load(tmp_path)
    empty = tmp_path / "empty.json"
    empty.write_text("  \n")
    with pytest.raises(UsageError, match="is empty"):
        keystore.load(empty)
    truncated = tmp_path / "truncated.json"
    text = json.dumps(sample, indent=2)
    for cut in (1, 30, 120, len(text) // 2, len(text) - 1):
        truncated.write_text(text[:cut])
        with pytest.raises(UsageError, match="is truncated"):
            keystore.load(truncated)
    garbage = tmp_path / "garbage.json"
    garbage.write_text("address = 'x'\n[crypto]\n")
    with pytest.raises(UsageError, match="is not valid JSON"):
        keystore.load(garbage)
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(UsageError, match="not UTF-8"):
        keystore.load(binary)
    array = tmp_path / "array.json"
    array.write_text("[1, 2]")
    with pytest.raises(UsageError, match="JSON list, not an object"):
        keystore.load(array)
