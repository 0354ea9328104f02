"""EnumerableSet (AddressSet, Bytes32Set, UintSet) against a Python swap-and-pop model."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

MAX = 2**256 - 1
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


class SetModel:
    """The library's exact semantics: append on add, swap-last-into-hole on remove."""

    def __init__(self) -> None:
        self.values: list = []
        self.pos: dict = {}

    def add(self, v) -> bool:
        if v in self.pos:
            return False
        self.values.append(v)
        self.pos[v] = len(self.values)
        return True

    def remove(self, v) -> bool:
        if v not in self.pos:
            return False
        i = self.pos.pop(v) - 1
        last = self.values.pop()
        if i < len(self.values):
            self.values[i] = last
            self.pos[last] = i + 1
        return True


KINDS = {
    # suffix: (value of index k in a small universe)
    "Uint": lambda k: [0, 1, 2, 3, 7, 2**128, MAX - 1, MAX][k],
    "Address": lambda k: "0x" + (f"{k:x}" * 40)[:40] if k else "0x" + "0" * 40,
    "Bytes32": lambda k: bytes([k]) * 32,
}


def _norm(kind: str, v):
    if kind == "Address":
        from eth_utils import to_checksum_address
        return to_checksum_address(v)
    return v


def _universe(kind: str) -> list:
    return [_norm(kind, KINDS[kind](k)) for k in range(8)]


def _check_state(h, kind: str, model: SetModel) -> None:
    f = h.functions
    values = getattr(f, f"values{kind}")().call()
    assert [_norm(kind, v) for v in values] == model.values
    assert getattr(f, f"length{kind}")().call() == len(model.values)
    for i, v in enumerate(model.values):
        assert _norm(kind, getattr(f, f"at{kind}")(i).call()) == v
    universe = _universe(kind)
    got = getattr(f, f"containsMany{kind}")(universe).call()
    assert got == [u in model.pos for u in universe]


# -- edges ------------------------------------------------------------------------------

def test_empty_set(lib):
    h = lib.deploy("EnumerableSetHarness")
    f = h.functions
    for kind, zero in (("Uint", 0), ("Address", "0x" + "0" * 40), ("Bytes32", b"\0" * 32)):
        assert getattr(f, f"length{kind}")().call() == 0
        assert getattr(f, f"values{kind}")().call() == []
        assert getattr(f, f"contains{kind}")(zero).call() is False
        assert getattr(f, f"remove{kind}")(zero).call() is False
        with lib.reverts(h, "EnumerableSetIndexOutOfBounds(index=0, length=0)"):
            getattr(f, f"at{kind}")(0).call()


def test_single_element_and_out_of_range(lib):
    h = lib.deploy("EnumerableSetHarness")
    f = h.functions
    assert f.addUint(MAX).call() is True
    lib.send(f.addUint(MAX))
    assert f.containsUint(MAX).call() is True
    assert f.containsUint(MAX - 1).call() is False
    assert f.atUint(0).call() == MAX
    assert f.lengthUint().call() == 1
    with lib.reverts(h, "EnumerableSetIndexOutOfBounds(index=1, length=1)"):
        f.atUint(1).call()
    with lib.reverts(h, f"EnumerableSetIndexOutOfBounds(index={MAX}, length=1)"):
        f.atUint(MAX).call()


def test_duplicates_rejected(lib):
    h = lib.deploy("EnumerableSetHarness")
    f = h.functions
    lib.send(f.addAddress(lib.accounts[1]))
    assert f.addAddress(lib.accounts[1]).call() is False
    lib.send(f.addAddress(lib.accounts[1]))
    assert f.lengthAddress().call() == 1
    assert f.valuesAddress().call() == [lib.accounts[1]]


def test_zero_values_are_members(lib):
    """0 / address(0) / bytes32(0) are ordinary members (position 0 means absent, not value 0)."""
    h = lib.deploy("EnumerableSetHarness")
    f = h.functions
    zero_addr = "0x" + "0" * 40
    lib.send(f.addUint(0))
    lib.send(f.addAddress(zero_addr))
    lib.send(f.addBytes32(b"\0" * 32))
    assert f.containsUint(0).call() and f.containsAddress(zero_addr).call()
    assert f.containsBytes32(b"\0" * 32).call()
    assert f.addUint(0).call() is False
    assert f.removeUint(0).call() is True


def test_remove_swaps_last_into_hole(lib):
    h = lib.deploy("EnumerableSetHarness")
    f = h.functions
    lib.send(f.applyUint([10, 20, 30, 40], [True] * 4))
    assert f.removeUint(20).call() is True
    lib.send(f.removeUint(20))
    assert f.valuesUint().call() == [10, 40, 30]
    # the moved element's position was updated: removing it again works and keeps the rest
    lib.send(f.removeUint(40))
    assert f.valuesUint().call() == [10, 30]
    assert f.containsUint(40).call() is False
    lib.send(f.removeUint(30))  # removing the last element: no swap
    lib.send(f.removeUint(10))
    assert f.valuesUint().call() == []
    assert f.removeUint(10).call() is False


def test_clear_resets_positions(lib):
    h = lib.deploy("EnumerableSetHarness")
    f = h.functions
    b = [bytes([i]) * 32 for i in (1, 2, 3)]
    lib.send(f.applyBytes32(b, [True] * 3))
    lib.send(f.clearBytes32())
    assert f.lengthBytes32().call() == 0
    assert f.containsManyBytes32(b).call() == [False, False, False]
    # re-adding works only if clear() deleted the position entries
    assert f.addBytes32(b[2]).call() is True
    lib.send(f.addBytes32(b[2]))
    assert f.valuesBytes32().call() == [b[2]]
    with lib.reverts(h, "EnumerableSetIndexOutOfBounds(index=1, length=1)"):
        f.atBytes32(1).call()


def test_sets_are_independent(lib):
    h = lib.deploy("EnumerableSetHarness")
    f = h.functions
    lib.send(f.addUint(1))
    assert f.lengthAddress().call() == 0
    assert f.lengthBytes32().call() == 0
    assert f.containsBytes32((1).to_bytes(32, "big")).call() is False


# -- properties -------------------------------------------------------------------------
# One harness per test; each example is a single eth_call (run<Kind>: apply the ops, then
# observe), so every example starts from the deployed, empty state.

OPS = st.lists(st.tuples(st.booleans(), st.integers(0, 7)), min_size=4, max_size=24)


def _run_property(h, kind: str, ops) -> None:
    model = SetModel()
    values = [_norm(kind, KINDS[kind](k)) for _, k in ops]
    flags = [add for add, _ in ops]
    expected = [model.add(v) if add else model.remove(v) for add, v in zip(flags, values)]
    universe = _universe(kind)
    results, vals, via_at, length, contained = getattr(h.functions, f"run{kind}")(
        values, flags, universe).call()
    assert results == expected
    assert [_norm(kind, v) for v in vals] == model.values
    assert [_norm(kind, v) for v in via_at] == model.values
    assert length == len(model.values)
    assert contained == [u in model.pos for u in universe]


@pytest.fixture
def set_harness(lib):
    return lib.deploy("EnumerableSetHarness")


@SETTINGS
@given(ops=OPS)
def test_uint_set_matches_model(set_harness, ops):
    _run_property(set_harness, "Uint", ops)


@SETTINGS
@given(ops=OPS)
def test_address_set_matches_model(set_harness, ops):
    _run_property(set_harness, "Address", ops)


@SETTINGS
@given(ops=OPS)
def test_bytes32_set_matches_model(set_harness, ops):
    _run_property(set_harness, "Bytes32", ops)


def test_persisted_state_matches_model(lib):
    """The same observation across transactions: ops sent, then read back with views."""
    h = lib.deploy("EnumerableSetHarness")
    model = SetModel()
    batches = [([3, 1, 4, 1, 5, 9, 2, 6], [True] * 8), ([1, 9, 7, 3], [False, False, True, False]),
               ([MAX, 0, 6], [True, True, False])]
    for vals, flags in batches:
        for add, v in zip(flags, vals):
            model.add(v) if add else model.remove(v)
        lib.send(h.functions.applyUint(vals, flags))
    _check_state(h, "Uint", model)
