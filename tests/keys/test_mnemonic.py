"""smartdev.keys.mnemonic: BIP39 phrases, seeds and BIP32/BIP44 derivation."""

from __future__ import annotations

import pytest

from smartdev.errors import UsageError
from smartdev.keys import mnemonic as bip39

JUNK = "test test test test test test test test test test test junk"
# Hardhat's and anvil's funded accounts 0..4 (m/44'/60'/0'/0/i).
JUNK_ADDRESSES = [
    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
    "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
    "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
    "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
]
ABOUT = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"

# Trezor's BIP39 reference vectors (trezor/python-mnemonic vectors.json): entropy,
# mnemonic, seed with the passphrase "TREZOR".
TREZOR_VECTORS = [
    ("00000000000000000000000000000000", ABOUT,
     "c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04"),
    ("7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f",
     "legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal will",
     "f2b94508732bcbacbcc020faefecfc89feafa6649a5491b8c952cede496c214a0c7b3c392d168748f2d4a612bada0753b52a1c7ac53c1e93abd5c6320b9e95dd"),
    ("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
     "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo vote",
     "dd48c104698c30cfe2b6142103248622fb7bb0ff692eebb00089b32d22484e1613912f0a5b694407be899ffd31ed3992c456cdf60f5d4564b8ba3f05a69890ad"),
    ("9e885d952ad362caeb4efe34a8e91bd2",
     "ozone drill grab fiber curtain grace pudding thank cruise elder eight picnic",
     "274ddc525802f7c828d8ef7ddbcdc5304e87ac3535913611fbbfa986d0c9e5476c91689f9c8a54fd55bd38606aa6a8595ad213d4c9c9f9aca3fb217069a41028"),
    ("00000000000000000000000000000000", "的 的 的 的 的 的 的 的 的 的 的 在",
     "7f7c7f91ef81f0fb6a3b95b346c50e6472c1d554f8ba90637bad8afce4a4de87c322c1acafa2f6f5e9a8f9b2d2c40e9d389efdc2adbe4445c21a0939fb39e91f"),
]


@pytest.mark.parametrize("entropy,phrase,seed", TREZOR_VECTORS)
def test_trezor_vectors(entropy: str, phrase: str, seed: str) -> None:
    assert bip39.validate(phrase) == phrase
    assert bip39.to_seed(phrase, "TREZOR").hex() == seed
    assert bip39.to_seed(phrase).hex() != seed  # the passphrase matters
    # the phrase really encodes this entropy (eth-account's encoder agrees)
    from eth_account.hdaccount.mnemonic import Mnemonic
    from eth_account.types import Language

    language = Language.CHINESE_SIMPLIFIED if "的" in phrase else Language.ENGLISH
    assert Mnemonic(language).to_mnemonic(bytes.fromhex(entropy)) == phrase


def test_dev_mnemonic_gives_the_hardhat_accounts() -> None:
    derived = bip39.derive(JUNK, count=5)
    assert [pair.address for _, pair in derived] == JUNK_ADDRESSES
    assert [path for path, _ in derived] == [f"m/44'/60'/0'/0/{i}" for i in range(5)]
    assert derived[0][1].private_key.hex() == "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
    assert all(pair.curve == "secp256k1" for _, pair in derived)


def test_derivation_agrees_with_the_dev_accounts_module() -> None:
    from smartdev.accounts import dev_signers

    assert [p.address for _, p in bip39.derive(JUNK, count=3)] == [s.address for s in dev_signers()[:3]]


def test_abandon_about_first_account() -> None:
    # the widely published address of the all-zero-entropy phrase (MetaMask, ethers tests)
    ((path, pair),) = bip39.derive(ABOUT)
    assert path == "m/44'/60'/0'/0/0"
    assert pair.address == "0x9858EfFD232B4033E47d90003D41EC34EcaEda94"


def test_index_count_and_templates() -> None:
    assert [p.address for _, p in bip39.derive(JUNK, index=3, count=2)] == JUNK_ADDRESSES[3:5]
    ((path, pair),) = bip39.derive(JUNK, path="m/44'/60'/0'/0/2")
    assert path == "m/44'/60'/0'/0/2" and pair.address == JUNK_ADDRESSES[2]
    # Ledger Live style template: account number in the third level
    ledger = bip39.derive(JUNK, path="m/44'/60'/{index}'/0/0", count=2)
    assert ledger[0] == ("m/44'/60'/0'/0/0", bip39.derive(JUNK)[0][1])
    assert ledger[1][0] == "m/44'/60'/1'/0/0" and ledger[1][1].address not in JUNK_ADDRESSES
    # H marks hardened levels too
    assert bip39.derive(JUNK, path="m/44H/60H/0H/0/1")[0][1].address == JUNK_ADDRESSES[1]


def test_passphrase_changes_the_keys() -> None:
    plain = bip39.derive(JUNK)[0][1]
    salted = bip39.derive(JUNK, passphrase="TREZOR")[0][1]
    assert plain.address != salted.address
    assert bip39.derive(JUNK, passphrase="TREZOR")[0][1] == salted


def test_phrases_are_normalised() -> None:
    messy = "  Test TEST\ttest test test test\ntest test test test test   JUNK "
    assert bip39.validate(messy) == JUNK
    assert bip39.derive(messy)[0][1].address == JUNK_ADDRESSES[0]


def test_new_mnemonic() -> None:
    for words in bip39.WORD_COUNTS:
        phrase = bip39.new_mnemonic(words)
        assert len(phrase.split()) == words
        assert bip39.validate(phrase) == phrase
    assert bip39.new_mnemonic() != bip39.new_mnemonic()
    assert len(bip39.new_mnemonic().split()) == 12


@pytest.mark.parametrize("language", ["french", "japanese", "spanish", "korean", "chinese_traditional"])
def test_other_languages_round_trip(language: str) -> None:
    phrase = bip39.new_mnemonic(15, language)
    normal = bip39.validate(phrase)
    assert len(normal.split()) == 15
    assert bip39.validate(normal) == normal
    assert bip39.to_seed(phrase) == bip39.to_seed(normal)


def test_new_mnemonic_errors() -> None:
    for words in (11, 13, 0, 25, True):
        with pytest.raises(UsageError, match="12, 15, 18, 21 or 24 words"):
            bip39.new_mnemonic(words)
    with pytest.raises(UsageError, match="unknown mnemonic language 'klingon'") as info:
        bip39.new_mnemonic(12, "klingon")
    assert "english" in info.value.hint


def test_bad_checksum() -> None:
    with pytest.raises(UsageError, match="checksum does not match") as info:
        bip39.validate("abandon " * 11 + "abandon")
    assert "out of order" in info.value.hint
    words = ABOUT.split()
    swapped = " ".join([words[-1]] + words[1:-1] + [words[0]])
    with pytest.raises(UsageError, match="checksum"):
        bip39.validate(swapped)
    with pytest.raises(UsageError, match="checksum"):
        bip39.derive(JUNK.replace("junk", "jungle"))


def test_unknown_words_are_named() -> None:
    with pytest.raises(UsageError, match=r"1 unknown word: 'jnuk' \(word 12\)") as info:
        bip39.validate(JUNK.replace("junk", "jnuk"))
    assert "junk" in info.value.hint
    with pytest.raises(UsageError, match=r"2 unknown words: 'tset' \(word 1\), 'tets' \(word 3\)"):
        bip39.validate("tset test tets test test test test test test test test junk")


def test_wrong_word_count() -> None:
    with pytest.raises(UsageError, match="has 11 words"):
        bip39.validate(" ".join(JUNK.split()[:11]))
    with pytest.raises(UsageError, match="has 13 words"):
        bip39.validate(JUNK + " test")
    with pytest.raises(UsageError, match="empty"):
        bip39.validate("   ")
    with pytest.raises(UsageError, match="must be text"):
        bip39.validate(None)  # type: ignore[arg-type]


@pytest.mark.parametrize("path,message", [
    ("44'/60'/0'/0/0", "must start with m/"),
    ("m", "no level below the root"),
    ("m/44'/60'/x/0", "level 'x' is not a number"),
    ("m//0", "level '' is not a number"),
    ("m/44'/-60'/0'", "level '-60'' is not a number"),
    ("m/44'/60'/0'/0/2147483648", "above 2147483647"),
    ("m/44'/60'/{account}/0", "not a number"),
    ("", "path is empty"),
])
def test_bad_paths(path: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        bip39.derive(JUNK, path=path)


def test_fixed_path_refuses_index_and_count() -> None:
    with pytest.raises(UsageError, match="names a single key"):
        bip39.derive(JUNK, path="m/44'/60'/0'/0/0", count=2)
    with pytest.raises(UsageError, match="names a single key"):
        bip39.derive(JUNK, path="m/44'/60'/0'/0/0", index=1)


def test_bad_index_and_count() -> None:
    with pytest.raises(UsageError, match="index must be an integer >= 0"):
        bip39.derive(JUNK, index=-1)
    with pytest.raises(UsageError, match="count must be an integer >= 1"):
        bip39.derive(JUNK, count=0)
    with pytest.raises(UsageError, match="goes past it"):
        bip39.derive(JUNK, index=2**31 - 1, count=2)
    assert bip39.derive(JUNK, index=2**31 - 1)[0][0] == "m/44'/60'/0'/0/2147483647"
