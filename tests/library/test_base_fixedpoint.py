"""contract_library/base/FixedPoint.sol through tests/library/harness/base/FixedPointHarness.sol."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

MAX = 2**256 - 1
ONE = 10**18
SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
u256 = st.one_of(st.integers(0, MAX), st.integers(0, 256).flatmap(lambda b: st.integers(0, 2**b - 1)))


@pytest.fixture
def f(lib):
    return lib.deploy("FixedPointHarness")


def test_one_and_conversions(lib, f):
    assert f.functions.one().call() == ONE
    limit = MAX // ONE
    for v in (0, 1, 42, limit):
        assert f.functions.fromUint(v).call() == v * ONE
    for v in (limit + 1, MAX):
        with lib.reverts(f, f"FixedPointOverflow(value={v})"):
            f.functions.fromUint(v).call()
    for v, expected in [(0, 0), (ONE - 1, 0), (ONE, 1), (ONE + 1, 1), (2 * ONE - 1, 1), (MAX, MAX // ONE)]:
        assert f.functions.toUint(v).call() == expected


def test_mul_div(lib, f):
    half, three_halves = ONE // 2, 3 * ONE // 2
    assert f.functions.mul(three_halves, 2 * ONE).call() == 3 * ONE
    assert f.functions.mul(half, half).call() == ONE // 4
    assert f.functions.mul(1, 1).call() == 0          # 1e-36 rounds down
    assert f.functions.mulUp(1, 1).call() == 1        # ...and up to 1e-18
    assert f.functions.mul(MAX, ONE).call() == MAX    # a*b exceeds 2**256 internally; the result fits
    assert f.functions.mulUp(MAX, ONE).call() == MAX
    assert f.functions.mul(0, MAX).call() == 0
    assert f.functions.div(3 * ONE, 2 * ONE).call() == three_halves
    assert f.functions.div(ONE, 3 * ONE).call() == 333333333333333333
    assert f.functions.divUp(ONE, 3 * ONE).call() == 333333333333333334
    assert f.functions.div(MAX, ONE).call() == MAX
    assert f.functions.div(0, 1).call() == 0
    for fn in (f.functions.mul, f.functions.mulUp):
        with lib.reverts(f, "MathOverflow("):
            fn(MAX, ONE + 1).call()
        with lib.reverts(f, "MathOverflow("):
            fn(MAX, MAX).call()
    for fn in (f.functions.div, f.functions.divUp):
        with lib.reverts(f, "MathDivisionByZero("):
            fn(ONE, 0).call()
        with lib.reverts(f, "MathOverflow("):
            fn(MAX, ONE - 1).call()


@given(u256, u256)
@SETTINGS
def test_mul_div_property(lib, f, a, b):
    for fn, num, den in ((f.functions.mul, a * b, ONE), (f.functions.div, a * ONE, b)):
        if den == 0:
            with lib.reverts(f, "MathDivisionByZero("):
                fn(a, b).call()
            continue
        q = num // den
        if q <= MAX:
            assert fn(a, b).call() == q
        else:
            with lib.reverts(f, "MathOverflow("):
                fn(a, b).call()
    if b and (a * b + ONE - 1) // ONE <= MAX:
        assert f.functions.mulUp(a, b).call() == -(-(a * b) // ONE)
    if b and -(-(a * ONE) // b) <= MAX:
        assert f.functions.divUp(a, b).call() == -(-(a * ONE) // b)
