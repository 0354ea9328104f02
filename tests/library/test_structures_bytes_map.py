"""BytesMap (bytes => bytes iterable map) against a Python swap-and-pop model."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

# short (one-slot) and long (multi-slot) storage encodings, the empty key, a NUL byte
KEYS = [b"", b"a", b"\x00", b"\x00" * 32, b"k" * 31, b"x" * 33, bytes(range(100))]
VALUES = [b"", b"1", b"v" * 31, b"z" * 70]


class MapModel:
    def __init__(self) -> None:
        self.keys: list[bytes] = []
        self.pos: dict[bytes, int] = {}
        self.values: dict[bytes, bytes] = {}

    def set(self, k: bytes, v: bytes) -> bool:
        self.values[k] = v
        if k in self.pos:
            return False
        self.keys.append(k)
        self.pos[k] = len(self.keys)
        return True

    def remove(self, k: bytes) -> bool:
        if k not in self.pos:
            return False
        i = self.pos.pop(k) - 1
        del self.values[k]
        last = self.keys.pop()
        if i < len(self.keys):
            self.keys[i] = last
            self.pos[last] = i + 1
        return True


def test_empty_map(lib):
    h = lib.deploy("BytesMapHarness")
    f = h.functions
    assert f.length().call() == 0
    assert f.keys().call() == []
    assert f.contains(b"").call() is False
    assert f.tryGet(b"abc").call() == [False, b""]
    assert f.remove(b"abc").call() is False
    with lib.reverts(h, "BytesMapKeyNotFound(key=0x616263)"):
        f.get(b"abc").call()
    with lib.reverts(h, "BytesMapIndexOutOfBounds(index=0, length=0)"):
        f.at(0).call()


def test_set_get_overwrite_and_empty_key(lib):
    h = lib.deploy("BytesMapHarness")
    f = h.functions
    assert f.set(b"", b"empty key").call() is True
    lib.send(f.set(b"", b"empty key"))
    assert f.get(b"").call() == b"empty key"
    assert f.contains(b"\x00").call() is False  # b"" and b"\x00" are different keys
    lib.send(f.set(b"long" * 20, b"v" * 70))
    assert f.set(b"long" * 20, b"").call() is False  # overwrite
    lib.send(f.set(b"long" * 20, b""))
    assert f.tryGet(b"long" * 20).call() == [True, b""]  # present with an empty value
    assert f.at(1).call() == [b"long" * 20, b""]
    assert f.keys().call() == [b"", b"long" * 20]
    with lib.reverts(h, "BytesMapIndexOutOfBounds(index=2, length=2)"):
        f.at(2).call()


def test_remove_swaps_long_key_into_short_slot(lib):
    h = lib.deploy("BytesMapHarness")
    f = h.functions
    long_key = bytes(range(100))
    lib.send(f.applyOps([b"a", b"b", long_key], [b"1", b"2", b"3"], [True] * 3))
    lib.send(f.remove(b"a"))
    assert f.keys().call() == [long_key, b"b"]
    assert f.at(0).call() == [long_key, b"3"]
    with lib.reverts(h, "BytesMapKeyNotFound(key=0x61)"):
        f.get(b"a").call()
    lib.send(f.remove(long_key))  # its position was updated by the swap
    assert f.keys().call() == [b"b"]
    assert f.contains(long_key).call() is False


def test_clear(lib):
    h = lib.deploy("BytesMapHarness")
    f = h.functions
    lib.send(f.applyOps(KEYS[:4], VALUES, [True] * 4))
    lib.send(f.clear())
    assert f.length().call() == 0
    assert [f.contains(k).call() for k in KEYS[:4]] == [False] * 4
    assert f.set(KEYS[2], b"again").call() is True


@pytest.fixture
def map_harness(lib):
    return lib.deploy("BytesMapHarness")


@SETTINGS
@given(ops=st.lists(st.tuples(st.booleans(), st.sampled_from(KEYS), st.sampled_from(VALUES)),
                    min_size=4, max_size=20))
def test_bytes_map_matches_model(map_harness, ops):
    model = MapModel()
    ks = [k for _, k, _ in ops]
    vs = [v for _, _, v in ops]
    flags = [s for s, _, _ in ops]
    expected = [model.set(k, v) if s else model.remove(k) for s, k, v in zip(flags, ks, vs)]
    results, key_list, at_keys, at_values, found, probe_values = map_harness.functions.run(
        ks, vs, flags, KEYS).call()
    assert results == expected
    assert key_list == model.keys
    assert at_keys == model.keys
    assert at_values == [model.values[k] for k in model.keys]
    assert found == [k in model.values for k in KEYS]
    assert probe_values == [model.values.get(k, b"") for k in KEYS]
