"""contract_library/base/Math.sol through tests/library/harness/base/MathHarness.sol."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

MAX = 2**256 - 1
MAX_INT = 2**255 - 1
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# uint256 values spread over all magnitudes (uniform integers would almost all be ~2**255).
u256 = st.one_of(
    st.integers(0, MAX),
    st.integers(0, 256).flatmap(lambda bits: st.integers(0, 2**bits - 1)),
    st.integers(0, 256).map(lambda bits: 2**bits - 1),
    st.integers(0, 255).map(lambda bits: 2**bits),
)


@pytest.fixture
def m(lib):
    return lib.deploy("MathHarness")


def test_min_max(m):
    for a, b in [(0, 0), (1, 2), (2, 1), (0, MAX), (MAX, 0), (MAX, MAX), (5, 5)]:
        assert m.functions.min(a, b).call() == min(a, b)
        assert m.functions.max(a, b).call() == max(a, b)


def test_average_no_overflow(m):
    cases = [(0, 0), (1, 0), (1, 2), (3, 4), (MAX, MAX), (MAX, MAX - 1), (MAX, 0), (MAX, 1), (2**255, 2**255)]
    a, b = zip(*cases)
    assert m.functions.averageMany(list(a), list(b)).call() == [(x + y) // 2 for x, y in cases]


@given(st.lists(st.tuples(u256, u256), min_size=1, max_size=20))
@SETTINGS
def test_average_property(m, pairs):
    a, b = zip(*pairs)
    assert m.functions.averageMany(list(a), list(b)).call() == [(x + y) // 2 for x, y in pairs]


def test_ceil_div(lib, m):
    for a, b in [(0, 1), (1, 1), (1, 2), (7, 2), (8, 2), (9, 2), (MAX, 1), (MAX, 2), (MAX, MAX), (MAX - 1, MAX), (0, MAX)]:
        assert m.functions.ceilDiv(a, b).call() == -(-a // b), (a, b)
    for a in (0, 1, MAX):
        with lib.reverts(m, "MathDivisionByZero("):
            m.functions.ceilDiv(a, 0).call()


def test_pow(lib, m):
    cases = [(0, 0, 1), (0, 1, 0), (0, MAX, 0), (1, MAX, 1), (2, 0, 1), (2, 255, 2**255), (3, 161, 3**161),
             (10, 77, 10**77), (MAX, 1, MAX), (2**128 - 1, 2, (2**128 - 1) ** 2), (7, 5, 7**5)]
    for base, exp, expected in cases:
        assert m.functions.pow(base, exp).call() == expected, (base, exp)
    for base, exp in [(2, 256), (3, 162), (10, 78), (MAX, 2), (2**128, 2), (2, MAX), (MAX, MAX), (2**64, 5)]:
        with lib.reverts(m, "MathOverflow("):
            m.functions.pow(base, exp).call()


@given(st.integers(0, 2**20), st.integers(0, 300))
@SETTINGS
def test_pow_property(lib, m, base, exp):
    expected = base**exp
    if expected <= MAX:
        assert m.functions.pow(base, exp).call() == expected
    else:
        with lib.reverts(m, "MathOverflow("):
            m.functions.pow(base, exp).call()


def test_sqrt_edges(m):
    values = [0, 1, 2, 3, 4, 5, 8, 9, 15, 16, 17, MAX, MAX - 1, 2**255, 2**254, (2**128 - 1) ** 2,
              (2**128 - 1) ** 2 - 1, (2**128 - 1) ** 2 + 1, 2**128, 2**128 - 1]
    values += [k * k + d for k in (10**9, 2**64, 2**100 + 3) for d in (-1, 0, 1)]
    assert m.functions.sqrtMany(values).call() == [math.isqrt(v) for v in values]
    assert m.functions.sqrt(MAX).call() == 2**128 - 1


@given(st.lists(u256, min_size=1, max_size=30))
@SETTINGS
def test_sqrt_property(m, values):
    assert m.functions.sqrtMany(values).call() == [math.isqrt(v) for v in values]


def _log10(v: int) -> int:
    return len(str(v)) - 1


def test_logs_edges(lib, m):
    values = [1, 2, 3, 4, 7, 8, 9, 10, 11, 99, 100, 101, MAX, 2**255, 2**255 - 1]
    values += [10**k + d for k in range(1, 78) for d in (-1, 0)]
    assert m.functions.log2Many(values).call() == [v.bit_length() - 1 for v in values]
    assert m.functions.log10Many(values).call() == [_log10(v) for v in values]
    assert m.functions.log2(MAX).call() == 255
    assert m.functions.log10(MAX).call() == 77
    for fn in (m.functions.log2, m.functions.log10):
        with lib.reverts(m, "MathLogOfZero("):
            fn(0).call()


@given(st.lists(u256.filter(lambda v: v > 0), min_size=1, max_size=30))
@SETTINGS
def test_logs_property(m, values):
    assert m.functions.log2Many(values).call() == [v.bit_length() - 1 for v in values]
    assert m.functions.log10Many(values).call() == [_log10(v) for v in values]


def test_mul_div_edges(lib, m):
    cases = [(0, 0, 1), (1, 1, 1), (MAX, MAX, MAX), (MAX, 2, 2), (MAX, MAX - 1, MAX), (MAX - 1, MAX, MAX),
             (2**255, 2, 4), (3, 5, 2), (MAX, 3, 5), (2**200, 2**200, 2**150), (MAX, MAX - 2, MAX - 1),
             (10**60, 10**60, 10**45), (MAX, 1, MAX), (7, 11, 13), (0, MAX, 1), (MAX, 0, 7)]
    for x, y, d in cases:
        q, r = divmod(x * y, d)
        assert q <= MAX
        assert m.functions.mulDiv(x, y, d).call() == q, (x, y, d)
        assert m.functions.mulDivUp(x, y, d).call() == q + (r > 0), (x, y, d)
    for fn in (m.functions.mulDiv, m.functions.mulDivUp):
        with lib.reverts(m, "MathDivisionByZero("):
            fn(1, 1, 0).call()
        with lib.reverts(m, "MathDivisionByZero("):
            fn(0, 0, 0).call()
        for x, y, d in [(MAX, MAX, 1), (MAX, 2, 1), (2**128, 2**128, 1), (MAX, MAX, MAX - 2), (MAX, 5, 4)]:
            with lib.reverts(m, "MathOverflow("):
                fn(x, y, d).call()


def test_mul_div_up_rounding_overflow(lib, m):
    # Search a case whose floor is exactly MAX with a non-zero remainder.
    found = None
    for d in range(2, 200):
        for y in range(d, d + 50):
            x = (MAX * d) // y + 1
            if x <= MAX:
                q, r = divmod(x * y, d)
                if q == MAX and r:
                    found = (x, y, d)
                    break
        if found:
            break
    assert found, "no boundary case"
    x, y, d = found
    assert m.functions.mulDiv(x, y, d).call() == MAX
    with lib.reverts(m, "MathOverflow("):
        m.functions.mulDivUp(x, y, d).call()


@given(u256, u256, u256.filter(lambda v: v > 0))
@SETTINGS
def test_mul_div_property(lib, m, x, y, d):
    q, r = divmod(x * y, d)
    up = q + (r > 0)
    if q <= MAX:
        assert m.functions.mulDiv(x, y, d).call() == q
    else:
        with lib.reverts(m, "MathOverflow("):
            m.functions.mulDiv(x, y, d).call()
    if up <= MAX:
        assert m.functions.mulDivUp(x, y, d).call() == up
    else:
        with lib.reverts(m, "MathOverflow("):
            m.functions.mulDivUp(x, y, d).call()


@given(u256, u256)
@SETTINGS
def test_mul_div_large_product_property(m, x, y):
    # Force the 512-bit path: choose d so that the quotient fits but the product does not.
    if x * y <= MAX:
        return
    d = min(x * y // MAX + 1 + (x % 1000), MAX)  # the quotient fits; d stays a uint256
    q, r = divmod(x * y, d)
    assert m.functions.mulDiv(x, y, d).call() == q
    assert m.functions.mulDivUp(x, y, d).call() == q + (r > 0)


@pytest.mark.parametrize("bits", [8, 16, 32, 64, 96, 128])
def test_safe_casts(lib, m, bits):
    fn = getattr(m.functions, f"toUint{bits}")
    top = 2**bits - 1
    for v in (0, 1, top - 1, top):
        assert fn(v).call() == v
    for v in (top + 1, MAX):
        with lib.reverts(m, f"SafeCastOverflow(bits={bits}, value={v})"):
            fn(v).call()


def test_int_casts(lib, m):
    for v in (0, 1, MAX_INT):
        assert m.functions.toInt256(v).call() == v
    for v in (MAX_INT + 1, MAX):
        with lib.reverts(m, f"SafeCastIntOverflow(value={v})"):
            m.functions.toInt256(v).call()
    for v in (0, 1, MAX_INT):
        assert m.functions.toUint256(v).call() == v
    for v in (-1, -(2**255)):
        with lib.reverts(m, f"SafeCastNegative(value={v})"):
            m.functions.toUint256(v).call()
