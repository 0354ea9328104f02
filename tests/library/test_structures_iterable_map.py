"""IterableMap (address => uint256, bytes32 => bytes32) against a Python swap-and-pop model."""

from __future__ import annotations

import pytest
from eth_utils import to_checksum_address
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

MAX = 2**256 - 1
ZERO_ADDR = "0x" + "0" * 40
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


class MapModel:
    def __init__(self) -> None:
        self.keys: list = []
        self.pos: dict = {}
        self.values: dict = {}

    def set(self, k, v) -> bool:
        self.values[k] = v
        if k in self.pos:
            return False
        self.keys.append(k)
        self.pos[k] = len(self.keys)
        return True

    def remove(self, k) -> bool:
        if k not in self.pos:
            return False
        i = self.pos.pop(k) - 1
        del self.values[k]
        last = self.keys.pop()
        if i < len(self.keys):
            self.keys[i] = last
            self.pos[last] = i + 1
        return True


ADDR_KEYS = [ZERO_ADDR] + [to_checksum_address("0x" + f"{k:x}" * 40) for k in range(1, 6)]
B32_KEYS = [bytes([k]) * 32 for k in range(6)]
UINT_VALUES = [0, 1, 42, MAX]
B32_VALUES = [b"\0" * 32, b"\xff" * 32, bytes(range(32))]


# -- edges ------------------------------------------------------------------------------

def test_empty_map(lib):
    h = lib.deploy("IterableMapHarness")
    f = h.functions
    assert f.lengthA().call() == 0 and f.lengthB().call() == 0
    assert f.keysA().call() == [] and f.keysB().call() == []
    assert f.tryGetA(ZERO_ADDR).call() == [False, 0]
    assert f.tryGetB(b"\0" * 32).call() == [False, b"\0" * 32]
    assert f.containsA(ZERO_ADDR).call() is False
    assert f.removeA(ZERO_ADDR).call() is False
    assert f.removeB(b"\1" * 32).call() is False
    with lib.reverts(h, f"IterableMapAddressKeyNotFound(key={ZERO_ADDR})"):
        f.getA(ZERO_ADDR).call()
    with lib.reverts(h, "IterableMapBytes32KeyNotFound(key=0x" + "ab" * 32 + ")"):
        f.getB(b"\xab" * 32).call()
    with lib.reverts(h, "IterableMapIndexOutOfBounds(index=0, length=0)"):
        f.atA(0).call()
    with lib.reverts(h, "IterableMapIndexOutOfBounds(index=0, length=0)"):
        f.atB(0).call()


def test_set_get_overwrite(lib):
    h = lib.deploy("IterableMapHarness")
    f = h.functions
    k = lib.accounts[3]
    assert f.setA(k, MAX).call() is True
    lib.send(f.setA(k, MAX))
    assert f.getA(k).call() == MAX
    assert f.tryGetA(k).call() == [True, MAX]
    assert f.setA(k, 7).call() is False  # overwrite: not a new key
    lib.send(f.setA(k, 7))
    assert f.getA(k).call() == 7
    assert f.lengthA().call() == 1
    assert f.atA(0).call() == [k, 7]
    with lib.reverts(h, "IterableMapIndexOutOfBounds(index=1, length=1)"):
        f.atA(1).call()


def test_zero_value_is_present(lib):
    """A key set to 0 exists: get returns 0 without reverting; tryGet says found."""
    h = lib.deploy("IterableMapHarness")
    f = h.functions
    lib.send(f.setB(b"\0" * 32, b"\0" * 32))
    assert f.containsB(b"\0" * 32).call() is True
    assert f.getB(b"\0" * 32).call() == b"\0" * 32
    assert f.tryGetB(b"\0" * 32).call() == [True, b"\0" * 32]


def test_remove_deletes_value_and_swaps(lib):
    h = lib.deploy("IterableMapHarness")
    f = h.functions
    ks = ADDR_KEYS[1:5]
    lib.send(f.applyA(ks, [10, 20, 30, 40], [True] * 4))
    lib.send(f.removeA(ks[0]))
    assert f.keysA().call() == [ks[3], ks[1], ks[2]]
    assert f.atA(0).call() == [ks[3], 40]
    with lib.reverts(h, f"IterableMapAddressKeyNotFound(key={ks[0].lower()})"):
        f.getA(ks[0]).call()
    # re-adding the removed key starts from a fresh value, at the end
    lib.send(f.applyA([ks[0]], [0], [True]))
    assert f.tryGetA(ks[0]).call() == [True, 0]
    assert f.keysA().call() == [ks[3], ks[1], ks[2], ks[0]]


def test_clear(lib):
    h = lib.deploy("IterableMapHarness")
    f = h.functions
    lib.send(f.applyB(B32_KEYS[:3], B32_VALUES, [True] * 3))
    lib.send(f.clearB())
    assert f.lengthB().call() == 0
    for k in B32_KEYS[:3]:
        assert f.tryGetB(k).call() == [False, b"\0" * 32]
    assert f.setB(B32_KEYS[1], B32_VALUES[1]).call() is True


def test_maps_are_independent(lib):
    h = lib.deploy("IterableMapHarness")
    f = h.functions
    lib.send(f.setA(ADDR_KEYS[1], 5))
    assert f.lengthB().call() == 0


# -- properties -------------------------------------------------------------------------

@pytest.fixture
def map_harness(lib):
    return lib.deploy("IterableMapHarness")


def _check(got, model: MapModel, expected_results, probe, zero) -> None:
    results, key_list, at_keys, at_values, found, probe_values, contained = got
    assert results == expected_results
    assert list(key_list) == model.keys
    assert list(at_keys) == model.keys
    assert list(at_values) == [model.values[k] for k in model.keys]
    assert found == [k in model.values for k in probe]
    assert contained == found
    assert list(probe_values) == [model.values.get(k, zero) for k in probe]


@SETTINGS
@given(ops=st.lists(st.tuples(st.booleans(), st.integers(0, 5), st.sampled_from(UINT_VALUES)), max_size=20))
def test_address_map_matches_model(map_harness, ops):
    model = MapModel()
    ks = [ADDR_KEYS[i] for _, i, _ in ops]
    vs = [v for _, _, v in ops]
    flags = [s for s, _, _ in ops]
    expected = [model.set(k, v) if s else model.remove(k) for s, k, v in zip(flags, ks, vs)]
    got = map_harness.functions.runA(ks, vs, flags, ADDR_KEYS).call()
    got[1] = [to_checksum_address(a) for a in got[1]]
    got[2] = [to_checksum_address(a) for a in got[2]]
    _check(got, model, expected, ADDR_KEYS, 0)


@SETTINGS
@given(ops=st.lists(st.tuples(st.booleans(), st.integers(0, 5), st.sampled_from(B32_VALUES)), max_size=20))
def test_bytes32_map_matches_model(map_harness, ops):
    model = MapModel()
    ks = [B32_KEYS[i] for _, i, _ in ops]
    vs = [v for _, _, v in ops]
    flags = [s for s, _, _ in ops]
    expected = [model.set(k, v) if s else model.remove(k) for s, k, v in zip(flags, ks, vs)]
    got = map_harness.functions.runB(ks, vs, flags, B32_KEYS).call()
    _check(got, model, expected, B32_KEYS, b"\0" * 32)
