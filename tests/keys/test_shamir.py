"""smartdev.keys.shamir: SLIP-39 split and combine, against Trezor's reference vectors."""

from __future__ import annotations

import itertools
import os

import pytest

from smartdev.errors import UsageError
from smartdev.keys import shamir

# From trezor/python-shamir-mnemonic vectors.json (passphrase "TREZOR").
VECTORS = [
    # 1. valid single 128-bit share (1-of-1)
    (["duckling enlarge academic academic agency result length solution fridge kidney coal piece "
      "deal husband erode duke ajar critical decision keyboard"],
     "bb54aac4b89dc868ba37d9cc21b2cece"),
    # 4. basic sharing 2-of-3, 128 bits
    (["shadow pistol academic always adequate wildlife fancy gross oasis cylinder mustang wrist "
      "rescue view short owner flip making coding armed",
      "shadow pistol academic acid actress prayer class unknown daughter sweater depict flip "
      "twice unkind craft early superior advocate guest smoking"],
     "b43ceb7e57a0ea8766221624d01b0864"),
    # 17. groups: 2 of 4 groups, extra shares given, 128 bits
    (["eraser senior decision roster beard treat identify grumpy salt index fake aviation theater "
      "cubic bike cause research dragon emphasis counter",
      "eraser senior ceramic snake clay various huge numb argue hesitate auction category timber "
      "browser greatest hanger petition script leaf pickup",
      "eraser senior ceramic shaft dynamic become junior wrist silver peasant force math alto coal "
      "amazing segment yelp velvet image paces",
      "eraser senior ceramic round column hawk trust auction smug shame alive greatest sheriff "
      "living perfect corner chest sled fumes adequate",
      "eraser senior decision smug corner ruin rescue cubic angel tackle skin skunk program roster "
      "trash rumor slush angel flea amazing"],
     "7c3397a292a5941682d7a4ae2d898d11"),
    # 20. valid single 256-bit share
    (["theory painting academic academic armed sweater year military elder discuss acne wildlife "
      "boring employer fused large satoshi bundle carbon diagnose anatomy hamster leaves tracks "
      "paces beyond phantom capital marvel lips brave detect luck"],
     "989baf9dcaad5b10ca33dfd8cc75e42477025dce88ae83e75a230086a0e00e92"),
    # 23. basic sharing 2-of-3, 256 bits
    (["humidity disease academic always aluminum jewelry energy woman receiver strategy amuse "
      "duckling lying evidence network walnut tactics forget hairy rebound impulse brother survive "
      "clothes stadium mailman rival ocean reward venture always armed unwrap",
      "humidity disease academic agency actress jacket gross physics cylinder solution fake mortgage "
      "benefit public busy prepare sharp friar change work slow purchase ruler again tricycle "
      "involve viral wireless mixture anatomy desert cargo upgrade"],
     "c938b319067687e990e05e0da0ecce1278f75ff58d9853f19dcaeed5de104aae"),
]


@pytest.mark.parametrize("mnemonics,secret", VECTORS)
def test_reference_vectors(mnemonics: list[str], secret: str) -> None:
    assert shamir.combine(mnemonics, b"TREZOR").hex() == secret


def test_reference_vectors_that_must_fail() -> None:
    # 2. invalid checksum
    bad_checksum = ("duckling enlarge academic academic agency result length solution fridge kidney coal "
                    "piece deal husband erode duke ajar critical decision kidney")
    with pytest.raises(UsageError, match="share 1 is not a valid SLIP-39 mnemonic.*checksum"):
        shamir.combine([bad_checksum], b"TREZOR")
    # 5. basic sharing 2-of-3, one share only
    with pytest.raises(UsageError, match="needs 2, 1 given"):
        shamir.combine([VECTORS[1][0][0]], b"TREZOR")
    # 6. mnemonics with different identifiers
    with pytest.raises(UsageError, match="different SLIP-39 backup"):
        shamir.combine([
            "adequate smoking academic acid debut wine petition glen cluster slow rhyme slow simple epidemic "
            "rumor junk tracks treat olympic tolerate",
            "adequate stay academic agency agency formal party ting frequent learn upstairs remember smear "
            "leaf damage anatomy ladle market hush corner",
        ], b"TREZOR")


@pytest.fixture(scope="module")
def key() -> bytes:
    return os.urandom(32)


@pytest.fixture(scope="module")
def three_of_five(key: bytes) -> list[str]:
    return shamir.split(key, shares=5, threshold=3)


def test_every_three_of_five_combine(key: bytes, three_of_five: list[str]) -> None:
    assert len(three_of_five) == 5 and len(set(three_of_five)) == 5
    assert all(len(m.split()) == 33 for m in three_of_five)  # 256-bit secret: 33 words
    for subset in itertools.combinations(three_of_five, 3):
        assert shamir.combine(list(subset)) == key
    assert shamir.combine(list(reversed(three_of_five))) == key  # extra shares are fine


def test_shares_are_standard_slip39(key: bytes, three_of_five: list[str]) -> None:
    from shamir_mnemonic import combine_mnemonics

    assert combine_mnemonics(three_of_five[1:4]) == key


def test_two_of_three_of_five_is_not_enough(three_of_five: list[str]) -> None:
    for subset in itertools.combinations(three_of_five, 2):
        with pytest.raises(UsageError, match="not enough shares: this backup needs 3, 2 given") as info:
            shamir.combine(list(subset))
        assert "1 more" in info.value.hint


def test_mixing_two_splits_fails(key: bytes, three_of_five: list[str]) -> None:
    other = shamir.split(key, shares=5, threshold=3)
    with pytest.raises(UsageError, match="different SLIP-39 backup|do not recover a secret"):
        shamir.combine([three_of_five[0], three_of_five[1], other[2]])


def test_a_corrupted_word_fails(three_of_five: list[str]) -> None:
    words = three_of_five[1].split()
    words[10] = "academic" if words[10] != "academic" else "acid"
    with pytest.raises(UsageError, match="share 2 is not a valid SLIP-39 mnemonic.*checksum"):
        shamir.combine([three_of_five[0], " ".join(words), three_of_five[2]])
    words = three_of_five[2].split()
    words[5] = "bitcoin"  # not in the SLIP-39 word list
    with pytest.raises(UsageError, match="share 3 .*Invalid mnemonic word 'bitcoin'"):
        shamir.combine([three_of_five[0], three_of_five[1], " ".join(words)])
    with pytest.raises(UsageError, match="share 1 .*length"):
        shamir.combine([" ".join(three_of_five[0].split()[:12]), three_of_five[1], three_of_five[2]])


def test_duplicates_fail(three_of_five: list[str]) -> None:
    with pytest.raises(UsageError, match="share 3 repeats share 1"):
        shamir.combine([three_of_five[0], three_of_five[1], three_of_five[0]])
    with pytest.raises(UsageError, match="share 2 repeats share 1"):
        shamir.combine([three_of_five[0], "  " + three_of_five[0].upper() + " ", three_of_five[2]])


def test_case_and_spacing_are_forgiven(key: bytes, three_of_five: list[str]) -> None:
    shares = [three_of_five[0].upper(), "\t".join(three_of_five[1].split()), three_of_five[2] + "\n"]
    assert shamir.combine(shares) == key


def test_passphrase(key: bytes) -> None:
    shares = shamir.split(key, shares=3, threshold=2, passphrase=b"correct horse")
    assert shamir.combine(shares[:2], b"correct horse") == key
    # SLIP-39 does not detect a wrong passphrase: it yields a different secret
    assert shamir.combine(shares[:2], b"wrong") != key
    assert shamir.combine(shares[:2]) != key


def test_threshold_one_any_single_share(key: bytes) -> None:
    shares = shamir.split(key, shares=3, threshold=1)
    assert len(set(shares)) == 3
    for share in shares:
        assert shamir.combine([share]) == key
    assert shamir.combine(shares) == key
    from shamir_mnemonic import combine_mnemonics

    assert combine_mnemonics([shares[1]]) == key
    assert shamir.combine(shamir.split(key, shares=1, threshold=1)) == key


def test_sixteen_shares_and_sixteen_byte_secrets() -> None:
    secret = os.urandom(16)
    shares = shamir.split(secret, shares=16, threshold=16)
    assert len(shares) == 16 and all(len(s.split()) == 20 for s in shares)
    assert shamir.combine(shares) == secret


@pytest.mark.parametrize("shares,threshold", [(5, 6), (17, 3), (0, 0), (3, 0), (-1, 1)])
def test_bad_split_parameters(key: bytes, shares: int, threshold: int) -> None:
    with pytest.raises(UsageError, match="cannot split") as info:
        shamir.split(key, shares=shares, threshold=threshold)
    assert "16" in info.value.hint


def test_bad_split_inputs(key: bytes) -> None:
    for secret in (b"", os.urandom(15), os.urandom(17), os.urandom(33)[:31]):
        with pytest.raises(UsageError, match="at least 16 bytes and an even length"):
            shamir.split(secret, shares=3, threshold=2)
    with pytest.raises(UsageError, match="must be bytes"):
        shamir.split(key.hex(), shares=3, threshold=2)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="must be an integer"):
        shamir.split(key, shares=3.0, threshold=2)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="printable ASCII"):
        shamir.split(key, shares=3, threshold=2, passphrase="pässword".encode())


def test_bad_combine_inputs(three_of_five: list[str]) -> None:
    with pytest.raises(UsageError, match="no SLIP-39 shares"):
        shamir.combine([])
    with pytest.raises(UsageError, match="list of mnemonics"):
        shamir.combine(three_of_five[0])  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="share 2 is not text"):
        shamir.combine([three_of_five[0], None])  # type: ignore[list-item]
    with pytest.raises(UsageError, match="printable ASCII"):
        shamir.combine(three_of_five[:3], b"\x00")
