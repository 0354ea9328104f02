"""contract_library/base/Strings.sol through tests/library/harness/base/StringsHarness.sol."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from web3 import Web3

MAX = 2**256 - 1
MIN_INT, MAX_INT = -(2**255), 2**255 - 1
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

u256 = st.one_of(st.integers(0, MAX), st.integers(0, 256).flatmap(lambda b: st.integers(0, 2**b - 1)))
i256 = st.one_of(st.integers(MIN_INT, MAX_INT), st.integers(-(10**6), 10**6))
ascii_text = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40)


def addr(n: int) -> str:
    return Web3.to_checksum_address(n.to_bytes(20, "big"))


def py_hex(v: int) -> str:
    nbytes = max(1, (v.bit_length() + 7) // 8)
    return "0x" + v.to_bytes(nbytes, "big").hex()


@pytest.fixture
def s(lib):
    return lib.deploy("StringsHarness")


def test_to_string_uint(s):
    values = [0, 1, 9, 10, 11, 99, 100, 12345, MAX, MAX - 1, 10**77, 10**77 - 1, 2**255]
    assert s.functions.toStringUintMany(values).call() == [str(v) for v in values]


@given(st.lists(u256, max_size=6))
@SETTINGS
def test_to_string_uint_property(s, values):
    assert s.functions.toStringUintMany(values).call() == [str(v) for v in values]


def test_to_string_int(s):
    values = [0, 1, -1, 9, -9, 10, -10, MAX_INT, MIN_INT, MIN_INT + 1, -(10**20)]
    assert s.functions.toStringIntMany(values).call() == [str(v) for v in values]


@given(st.lists(i256, max_size=6))
@SETTINGS
def test_to_string_int_property(s, values):
    assert s.functions.toStringIntMany(values).call() == [str(v) for v in values]


def test_to_hex_string(s):
    values = [0, 1, 0xF, 0x10, 0xFF, 0x100, 0xABCDEF, 2**255, MAX]
    assert s.functions.toHexStringMany(values).call() == [py_hex(v) for v in values]
    assert s.functions.toHexString(0).call() == "0x00"
    assert s.functions.toHexString(0x100).call() == "0x0100"
    assert s.functions.toHexString(MAX).call() == "0x" + "f" * 64


@given(st.lists(u256, max_size=6))
@SETTINGS
def test_to_hex_string_property(s, values):
    assert s.functions.toHexStringMany(values).call() == [py_hex(v) for v in values]


def test_to_hex_string_fixed(lib, s):
    assert s.functions.toHexStringFixed(0, 0).call() == "0x"
    assert s.functions.toHexStringFixed(0, 2).call() == "0x0000"
    assert s.functions.toHexStringFixed(0xAB, 1).call() == "0xab"
    assert s.functions.toHexStringFixed(0xAB, 4).call() == "0x000000ab"
    assert s.functions.toHexStringFixed(MAX, 32).call() == "0x" + "f" * 64
    assert s.functions.toHexStringFixed(1, 33).call() == "0x" + "0" * 64 + "01"
    with lib.reverts(s, "StringsInsufficientHexLength(value=256, length=1)"):
        s.functions.toHexStringFixed(0x100, 1).call()
    with lib.reverts(s, "StringsInsufficientHexLength(value=1, length=0)"):
        s.functions.toHexStringFixed(1, 0).call()
    with lib.reverts(s, f"StringsInsufficientHexLength(value={MAX}, length=31)"):
        s.functions.toHexStringFixed(MAX, 31).call()


def test_address_hex_and_checksum(s):
    samples = [0, 1, 2**160 - 1, 0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED, 0xFB6916095CA1DF60BB79CE92CE3EA74C37C5D359,
               0xDBF03B407C01E7CD3CBEA99509D93F8DDDC8C6FB, 0xD1220A0CF47C7B9BE7A2E6BA89F429762E7B9ADB]
    for n in samples:
        a = addr(n)
        assert s.functions.toHexStringAddress(a).call() == a.lower()
        assert s.functions.toChecksumHexString(a).call() == a
    # EIP-55 test vectors.
    for vector in ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
                   "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"):
        assert s.functions.toChecksumHexString(vector).call() == vector


@given(st.lists(st.integers(0, 2**160 - 1), max_size=3))
@SETTINGS
def test_checksum_property(s, ns):
    addrs = [addr(n) for n in ns]
    assert s.functions.toChecksumMany(addrs).call() == addrs


def test_equal_concat_length(s):
    assert s.functions.equal("", "").call() is True
    assert s.functions.equal("abc", "abc").call() is True
    assert s.functions.equal("abc", "abd").call() is False
    assert s.functions.equal("abc", "ab").call() is False
    assert s.functions.equal("a", "A").call() is False
    long = "x" * 100
    assert s.functions.equal(long, long).call() is True
    assert s.functions.equal(long, long[:-1] + "y").call() is False
    assert s.functions.concat("", "").call() == ""
    assert s.functions.concat("foo", "").call() == "foo"
    assert s.functions.concat("", "bar").call() == "bar"
    assert s.functions.concat("foo", "bar").call() == "foobar"
    assert s.functions.concat(long, "é").call() == long + "é"
    assert s.functions.length("").call() == 0
    assert s.functions.length("abc").call() == 3
    assert s.functions.length("é€").call() == 5  # bytes, not characters
    assert s.functions.length(long).call() == 100


@given(st.text(max_size=30), st.text(max_size=30))
@SETTINGS
def test_equal_concat_length_property(s, a, b):
    assert s.functions.equal(a, b).call() == (a == b)
    assert s.functions.concat(a, b).call() == a + b
    assert s.functions.length(a + b).call() == len((a + b).encode())


def test_parse_uint(lib, s):
    good = ["0", "1", "00", "007", "42", "1234567890", str(MAX), str(MAX - 1), "0" * 80 + "5", str(10**77)]
    assert s.functions.parseUintMany(good).call() == [int(g) for g in good]
    for text, pos in [("", 0), ("a", 0), ("12a", 2), (" 1", 0), ("1 ", 1), ("-1", 0), ("+1", 0), ("0x10", 1),
                      ("1.5", 1), ("/", 0), (":", 0), ("٣", 0)]:
        with lib.reverts(s, f"StringsInvalidUint(value={json.dumps(text)}, position={pos})"):
            s.functions.parseUint(text).call()
    for text in (str(MAX + 1), str(MAX * 10), "9" * 78, "1" + "0" * 78):
        with lib.reverts(s, "StringsUintOverflow("):
            s.functions.parseUint(text).call()


@given(st.lists(u256, max_size=4))
@SETTINGS
def test_parse_uint_roundtrip(s, values):
    strings = s.functions.toStringUintMany(values).call()
    assert s.functions.parseUintMany(strings).call() == values


def test_lower_upper(s):
    assert s.functions.lower("").call() == ""
    assert s.functions.upper("").call() == ""
    text = "Hello, World! @[`{ AZaz 09 é"
    assert s.functions.lower(text).call() == "hello, world! @[`{ azaz 09 é"
    assert s.functions.upper(text).call() == "HELLO, WORLD! @[`{ AZAZ 09 é"


@given(st.text(max_size=40))
@SETTINGS
def test_lower_upper_property(s, text):
    def ascii_map(t, f):
        return "".join(f(c) if c.isascii() else c for c in t)
    assert s.functions.lower(text).call() == ascii_map(text, str.lower)
    assert s.functions.upper(text).call() == ascii_map(text, str.upper)
