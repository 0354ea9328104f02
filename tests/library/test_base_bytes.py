"""contract_library/base/Bytes.sol and Conversion.sol through tests/library/harness/base/BytesHarness.sol."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from web3 import Web3

MAX = 2**256 - 1
SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def b(lib):
    return lib.deploy("BytesHarness")


def test_slice(lib, b):
    data = bytes(range(100))
    for start, length in [(0, 0), (0, 1), (0, 100), (1, 99), (99, 1), (100, 0), (31, 33), (32, 32), (5, 64), (50, 0)]:
        assert b.functions.slice(data, start, length).call() == data[start:start + length], (start, length)
    assert b.functions.slice(b"", 0, 0).call() == b""
    for start, length in [(0, 101), (1, 100), (100, 1), (101, 0), (MAX, 1), (1, MAX), (MAX, MAX), (MAX, 0)]:
        with lib.reverts(b, f"BytesOutOfRange(start={start}, len={length}, length=100)"):
            b.functions.slice(data, start, length).call()
    with lib.reverts(b, "BytesOutOfRange(start=0, len=1, length=0)"):
        b.functions.slice(b"", 0, 1).call()


def test_slice_from(lib, b):
    data = bytes(range(40))
    for start in (0, 1, 31, 32, 39, 40):
        assert b.functions.sliceFrom(data, start).call() == data[start:]
    for start in (41, MAX):
        with lib.reverts(b, f"BytesOutOfRange(start={start}, len=0, length=40)"):
            b.functions.sliceFrom(data, start).call()


def test_slice_leaves_clean_memory(b):
    # Non-zero bytes right after the sliced range must not leak into later allocations or encodings.
    data = b"\xff" * 96
    s, joined, fresh = b.functions.sliceThenAllocate(data, 3, 5, b"\x01\x02").call()
    assert s == b"\xff" * 5
    assert joined == b"\xff" * 5 + b"\x01\x02"
    assert fresh == b"\x00" * 64


@given(st.binary(max_size=90), st.data())
@SETTINGS
def test_slice_property(lib, b, data, draw):
    start = draw.draw(st.integers(0, len(data) + 3))
    length = draw.draw(st.integers(0, len(data) + 3))
    if start + length <= len(data):
        assert b.functions.slice(data, start, length).call() == data[start:start + length]
    else:
        with lib.reverts(b, f"BytesOutOfRange(start={start}, len={length}, length={len(data)})"):
            b.functions.slice(data, start, length).call()


def test_equal(b):
    assert b.functions.equal(b"", b"").call() is True
    assert b.functions.equal(b"\x00", b"").call() is False
    assert b.functions.equal(b"abc", b"abc").call() is True
    assert b.functions.equal(b"abc", b"abd").call() is False
    assert b.functions.equal(b"\x00" * 33, b"\x00" * 32).call() is False


def test_bytes32_conversions(lib, b):
    word = bytes(range(1, 33))
    assert b.functions.toBytes(word).call() == word
    assert b.functions.toBytes(b"\x00" * 32).call() == b"\x00" * 32
    assert b.functions.toBytes32(word).call() == word
    assert b.functions.toBytes32(b"").call() == b"\x00" * 32
    assert b.functions.toBytes32(b"\xab\xcd").call() == b"\xab\xcd" + b"\x00" * 30
    assert b.functions.toBytes32(b"\xff" * 31).call() == b"\xff" * 31 + b"\x00"
    for n in (33, 64):
        with lib.reverts(b, f"ConversionBytesTooLong(length={n})"):
            b.functions.toBytes32(b"\x01" * n).call()


def test_address_conversions(lib, b):
    for n in (0, 1, 2**160 - 1, 0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED):
        a = Web3.to_checksum_address(n.to_bytes(20, "big"))
        word = n.to_bytes(32, "big")
        assert b.functions.addressToBytes32(a).call() == word
        assert b.functions.toAddress(word).call() == a
    for n in (2**160, MAX, 2**255 + 1):
        word = n.to_bytes(32, "big")
        with lib.reverts(b, f"ConversionInvalidAddress(value=0x{word.hex()})"):
            b.functions.toAddress(word).call()
