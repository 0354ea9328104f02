"""contract_library/base/Base64.sol through tests/library/harness/base/Base64Harness.sol, against Python's base64."""

from __future__ import annotations

import base64

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartdev.contracts.abi import decode_revert

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_"
TO_STD = bytes.maketrans(b"-_", b"+/")

RFC4648 = [  # RFC 4648 section 10 test vectors
    (b"", "", ""),
    (b"f", "Zg==", "Zg"),
    (b"fo", "Zm8=", "Zm8"),
    (b"foo", "Zm9v", "Zm9v"),
    (b"foob", "Zm9vYg==", "Zm9vYg"),
    (b"fooba", "Zm9vYmE=", "Zm9vYmE"),
    (b"foobar", "Zm9vYmFy", "Zm9vYmFy"),
]


def std(data: bytes) -> str:
    return base64.b64encode(data).decode()


def url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def reference_decode(s: bytes) -> bytes | str:
    """The documented decoding rules: the decoded bytes, or the expected revert reason."""
    n = len(s)
    if n % 4 == 1:
        return f"Base64InvalidLength(length={n})"
    data = s
    if n and n % 4 == 0 and s.endswith(b"="):
        data = s[:-2] if s[-2:-1] == b"=" else s[:-1]
    for i, c in enumerate(data):
        if c == ord("="):
            return f"Base64InvalidPadding(position={i})"
        if c not in ALPHABET:
            return f"Base64InvalidCharacter(position={i}, character=0x{c:02x})"
    data = data.translate(TO_STD)
    decoded = base64.b64decode(data + b"=" * (-len(data) % 4), validate=True)
    if base64.b64encode(decoded).rstrip(b"=") != data:
        return f"Base64NonCanonical(position={len(data) - 1})"
    return decoded


@pytest.fixture
def b64(lib):
    return lib.deploy("Base64Harness")


def results(b64, inputs: list[bytes]) -> list[bytes | str]:
    """decode of each raw input: the bytes, or the decoded revert reason."""
    ok, out = b64.functions.decodeResults(inputs).call()
    return [o if k else decode_revert(o, b64.abi) for k, o in zip(ok, out)]


def test_rfc4648_vectors(b64):
    for data, padded, unpadded in RFC4648:
        assert b64.functions.encode(data).call() == padded
        assert b64.functions.encodeURL(data).call() == unpadded
        assert b64.functions.decode(padded).call() == data
        assert b64.functions.decode(unpadded).call() == data


def test_every_byte_value_and_both_alphabets(b64):
    data = bytes(range(256)) + bytes(range(255, -1, -1))
    assert b64.functions.encode(data).call() == std(data)
    assert b64.functions.encodeURL(data).call() == url(data)
    # 0xfbff uses sextets 62 and 63: "+/8=" / "-_8"
    assert b64.functions.encode(b"\xfb\xff").call() == "+/8="
    assert b64.functions.encodeURL(b"\xfb\xff").call() == "-_8"
    # padded URL-safe, unpadded standard and mixed alphabets all decode
    for s in ("+/8=", "-_8", "-_8=", "+/8", "+_8", "-/8="):
        assert b64.functions.decode(s).call() == b"\xfb\xff"
    assert b64.functions.decode(std(data)).call() == data
    assert b64.functions.decode(url(data)).call() == data


def test_encoder_ignores_memory_after_its_input(b64):
    for n in range(8):
        data = bytes(range(100, 100 + n))
        assert b64.functions.encodeDirtyTail(data).call() == [std(data), url(data)]


@SETTINGS
@given(st.lists(st.binary(min_size=0, max_size=200), min_size=1, max_size=8))
def test_round_trip_matches_python(b64, inputs):
    got_std, got_url, from_std, from_url = b64.functions.roundTrip(inputs).call()
    assert got_std == [std(x) for x in inputs]
    assert got_url == [url(x) for x in inputs]
    assert from_std == inputs
    assert from_url == inputs


def test_length_errors(lib, b64):
    for s in ("A", "AAAAA", "Zm9v=", "Zg===", "=", "Zm9vYmFy="):
        with lib.reverts(b64, f"Base64InvalidLength(length={len(s)})"):
            b64.functions.decode(s).call()


def test_padding_errors(lib, b64):
    cases = {
        "A===": 1,       # three '=' : only two may pad
        "====": 0,
        "AB=C": 2,       # '=' followed by data
        "AB=": 2,        # partial padding (length 3)
        "A=": 1,
        "Zg=": 2,
        "QQ==QQ==": 2,   # padding in the middle
        "=AAA": 0,
        "Zm9vY===": 5,
    }
    for s, position in cases.items():
        with lib.reverts(b64, f"Base64InvalidPadding(position={position})"):
            b64.functions.decode(s).call()


def test_character_errors(lib, b64):
    for s, position, char in (("Zm9*", 3, "*"), ("Zm 9", 2, " "), ("Zm9v\nYmF", 4, "\n"), ("*h==", 0, "*")):
        with lib.reverts(b64, f"Base64InvalidCharacter(position={position}, character=0x{ord(char):02x})"):
            b64.functions.decode(s).call()
    # every byte value in the second position of a group
    inputs = [b"A" + bytes([c]) + b"AA" for c in range(256)]
    assert results(b64, inputs) == [reference_decode(x) for x in inputs]
    for c in range(256):  # the table and the slow-path classifier agree on all 256 bytes
        expected = reference_decode(inputs[c])
        assert isinstance(expected, bytes) == (c in ALPHABET)


def test_non_canonical_errors(lib, b64):
    for s, position in (("Zh==", 1), ("Zh", 1), ("Zm9=", 2), ("Zm9", 2), ("Zm9vYh", 5), ("AB==", 1), ("AAB", 2)):
        with lib.reverts(b64, f"Base64NonCanonical(position={position})"):
            b64.functions.decode(s).call()
    # the canonical neighbours decode
    assert b64.functions.decode("Zg==").call() == b"f"
    assert b64.functions.decode("Zm8").call() == b"fo"
    assert b64.functions.decode("").call() == b""


@SETTINGS
@given(st.lists(st.binary(min_size=1, max_size=40).filter(lambda d: len(d) % 3), min_size=1, max_size=5),
       st.integers(1, 15))
def test_unused_bits_rejected(b64, inputs, noise):
    """Setting any unused low bit of the last character of a valid encoding is rejected."""
    table = ALPHABET[:64]
    bad = []
    for data in inputs:
        enc = bytearray(url(data).encode())
        unused = 0x0F if len(data) % 3 == 1 else 0x03
        enc[-1] = table[table.index(enc[-1]) | (noise & unused or 1)]
        bad.append(bytes(enc))
        bad.append(bytes(enc) + b"=" * (-len(enc) % 4))
    expected = [reference_decode(x) for x in bad]
    assert all(isinstance(e, str) and e.startswith("Base64NonCanonical") for e in expected)
    assert results(b64, bad) == expected


@SETTINGS
@given(st.lists(st.binary(min_size=0, max_size=12).map(lambda d: bytes(b"AZaz09+/-_=*\xc3"[x % 13] for x in d)),
                min_size=1, max_size=12))
def test_random_strings_match_reference(b64, inputs):
    """Arbitrary strings over the alphabets, '=', and invalid bytes: same result or same error as the reference."""
    assert results(b64, inputs) == [reference_decode(x) for x in inputs]


@SETTINGS
@given(st.lists(st.tuples(st.binary(min_size=0, max_size=60), st.integers(0, 2**32)), min_size=1, max_size=8))
def test_single_corruption_reports_its_position(b64, cases):
    """One invalid byte in a valid encoding: reported at its position (padding '=' replaced is a character error)."""
    inputs = []
    for data, r in cases:
        enc = bytearray(std(data).encode())
        if not enc:
            continue
        enc[r % len(enc)] = b"*\x00\x80\xff.:@["[r % 8]
        inputs.append(bytes(enc))
    if inputs:
        got = results(b64, inputs)
        assert got == [reference_decode(x) for x in inputs]
        assert all(g.startswith(("Base64InvalidCharacter", "Base64InvalidPadding")) for g in got)
