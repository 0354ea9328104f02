"""contract_library/base/Bits.sol through tests/library/harness/base/BitsHarness.sol."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

MAX = 2**256 - 1
SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
u256 = st.one_of(st.integers(0, MAX), st.integers(0, 256).flatmap(lambda b: st.integers(0, 2**b - 1)),
                 st.integers(0, 255).map(lambda i: 1 << i))


def lsb(w: int) -> int:
    return (w & -w).bit_length() - 1


@pytest.fixture
def b(lib):
    return lib.deploy("BitsHarness")


def test_get_set_clear_toggle(lib, b):
    for w in (0, 1, MAX, 0xA5, 2**255, 2**200 + 7):
        for i in (0, 1, 7, 128, 254, 255):
            bit = (w >> i) & 1
            assert b.functions.get(w, i).call() is bool(bit)
            assert b.functions.set(w, i).call() == w | (1 << i)
            assert b.functions.clear(w, i).call() == w & ~(1 << i) & MAX
            assert b.functions.toggle(w, i).call() == w ^ (1 << i)
    for fn in (b.functions.get, b.functions.set, b.functions.clear, b.functions.toggle):
        for i in (256, MAX):
            with lib.reverts(b, f"BitsIndexOutOfRange(index={i})"):
                fn(1, i).call()


def test_pop_count_msb_lsb(lib, b):
    for w in (1, 2, 3, MAX, 2**255, 2**255 + 1, 0xF0, 0x5555 << 100, MAX - 1, MAX >> 1):
        assert b.functions.popCount(w).call() == bin(w).count("1")
        assert b.functions.msb(w).call() == w.bit_length() - 1
        assert b.functions.lsb(w).call() == lsb(w)
    assert b.functions.popCount(0).call() == 0
    assert b.functions.popCount(MAX).call() == 256
    for fn in (b.functions.msb, b.functions.lsb):
        with lib.reverts(b, "BitsZeroValue("):
            fn(0).call()


@given(st.lists(u256, min_size=1, max_size=10))
@SETTINGS
def test_count_property(b, words):
    pops, msbs, lsbs = b.functions.analyze(words).call()
    assert pops == [bin(w).count("1") for w in words]
    assert msbs == [max(w.bit_length() - 1, 0) for w in words]
    assert lsbs == [lsb(w) if w else 0 for w in words]


@given(u256, st.lists(st.integers(0, 255), min_size=1, max_size=10))
@SETTINGS
def test_ops_property(b, w, idx):
    got, sets, clears, toggles = b.functions.ops(w, idx).call()
    assert got == [bool((w >> i) & 1) for i in idx]
    assert sets == [w | (1 << i) for i in idx]
    assert clears == [w & ~(1 << i) & MAX for i in idx]
    assert toggles == [w ^ (1 << i) for i in idx]
