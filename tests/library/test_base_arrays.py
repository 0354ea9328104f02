"""contract_library/base/Arrays.sol through tests/library/harness/base/ArraysHarness.sol."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from web3 import Web3

MAX = 2**256 - 1
SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Small value ranges produce many duplicates; mixed in with full-range values.
values = st.one_of(st.integers(0, 5), st.integers(0, MAX), st.sampled_from([0, 1, MAX, MAX - 1, 2**255]))
addresses = st.integers(0, 2**160 - 1).map(lambda n: Web3.to_checksum_address(n.to_bytes(20, "big")))


def addr(n: int) -> str:
    return Web3.to_checksum_address(n.to_bytes(20, "big"))


def py_distinct(xs):
    seen, out = set(), []
    for x in xs:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


@pytest.fixture
def a(lib):
    return lib.deploy("ArraysHarness")


# ---------------------------------------------------------------- sort

def test_sort_edges(a):
    cases = [[], [0], [MAX, 0], [1, 1, 1], list(range(50)), list(range(50, 0, -1)), [3, 1, 2] * 20,
             [MAX] * 20 + [0] * 20, [5, MAX, 0, 5, 1, MAX - 1, 2**255, 7] * 5, [0, 1] * 40]
    for case in cases:
        assert a.functions.sort(case).call() == sorted(case), case
        assert a.functions.sortInPlace(case).call() == sorted(case), case


@given(st.lists(values, max_size=80))
@SETTINGS
def test_sort_property(a, xs):
    assert a.functions.sort(xs).call() == sorted(xs)


def test_sort_large_adversarial(a):
    # Sorted, reversed, organ-pipe and all-equal inputs of a few hundred elements (quicksort worst cases).
    n = 160
    for case in (list(range(n)), list(range(n, 0, -1)), list(range(n // 2)) + list(range(n // 2, 0, -1)), [7] * n):
        assert a.functions.sort(case).call() == sorted(case)


@given(st.lists(addresses, max_size=40))
@SETTINGS
def test_sort_addresses_property(a, xs):
    assert a.functions.sortAddresses(xs).call() == sorted(xs, key=lambda s: int(s, 16))


# ---------------------------------------------------------------- distinct

def test_distinct_edges(a):
    # WeBank's distinct() dropped or kept the wrong elements for repeated runs; these cover those shapes.
    cases = [[], [0], [0, 0], [1, 1, 1], [2, 1, 2, 1], [1, 2, 3], [3, 3, 1, 1, 2, 2, 3], [0, MAX, 0, MAX],
             [5, 4, 5, 4, 5, 3], [MAX] * 10, list(range(20)) + list(range(20))]
    for case in cases:
        assert a.functions.distinct(case).call() == py_distinct(case), case


def test_distinct_keeps_input(a):
    xs = [4, 4, 1, 4, 2, 1]
    out, inp = a.functions.distinctKeepsInput(xs).call()
    assert out == [4, 1, 2]
    assert inp == xs


@given(st.lists(values, max_size=60))
@SETTINGS
def test_distinct_property(a, xs):
    assert a.functions.distinct(xs).call() == py_distinct(xs)


def test_distinct_addresses(a):
    xs = [addr(3), addr(1), addr(3), addr(2**160 - 1), addr(1), addr(0)]
    assert a.functions.distinctAddresses(xs).call() == [addr(3), addr(1), addr(2**160 - 1), addr(0)]
    assert a.functions.distinctAddresses([]).call() == []


# ---------------------------------------------------------------- reverse / search

def test_reverse(a):
    for case in ([], [1], [1, 2], [1, 2, 3], list(range(17)), [MAX, 0, 5, 5]):
        assert a.functions.reverse(case).call() == case[::-1]
    xs = [addr(1), addr(2), addr(3)]
    assert a.functions.reverseAddresses(xs).call() == xs[::-1]
    assert a.functions.reverseAddresses([]).call() == []


def test_index_of_and_contains(a):
    xs = [5, 7, 5, MAX, 0]
    assert a.functions.indexOf(xs, 5).call() == [True, 0]
    assert a.functions.indexOf(xs, 7).call() == [True, 1]
    assert a.functions.indexOf(xs, MAX).call() == [True, 3]
    assert a.functions.indexOf(xs, 0).call() == [True, 4]
    assert a.functions.indexOf(xs, 6).call() == [False, 0]
    assert a.functions.indexOf([], 0).call() == [False, 0]
    assert a.functions.contains(xs, 0).call() is True
    assert a.functions.contains(xs, 1).call() is False
    assert a.functions.contains([], 0).call() is False
    ys = [addr(9), addr(2**160 - 1), addr(9)]
    assert a.functions.indexOfAddress(ys, addr(9)).call() == [True, 0]
    assert a.functions.indexOfAddress(ys, addr(2**160 - 1)).call() == [True, 1]
    assert a.functions.indexOfAddress(ys, addr(0)).call() == [False, 0]
    assert a.functions.containsAddress(ys, addr(2**160 - 1)).call() is True
    assert a.functions.containsAddress(ys, addr(8)).call() is False
    assert a.functions.containsAddress([], addr(0)).call() is False


@given(st.lists(st.integers(0, 10), max_size=30), st.integers(0, 11))
@SETTINGS
def test_index_of_property(a, xs, v):
    expected = [True, xs.index(v)] if v in xs else [False, 0]
    assert a.functions.indexOf(xs, v).call() == expected


# ---------------------------------------------------------------- aggregates

def test_sum(lib, a):
    assert a.functions.sum([]).call() == 0
    assert a.functions.sum([1, 2, 3]).call() == 6
    assert a.functions.sum([MAX]).call() == MAX
    assert a.functions.sum([MAX - 1, 1]).call() == MAX
    assert a.functions.sum([MAX, 0, 0]).call() == MAX
    for xs in ([MAX, 1], [2**255, 2**255], [1, MAX], [MAX - 5, 3, 3]):
        with lib.reverts(a, "ArraysSumOverflow("):
            a.functions.sum(xs).call()


def test_min_max(lib, a):
    for xs in ([0], [MAX], [3, 1, 2], [1, MAX, 0, 7], [5, 5], [2, 9, 9, 2]):
        assert a.functions.max(xs).call() == max(xs)
        assert a.functions.min(xs).call() == min(xs)
    with lib.reverts(a, "ArraysEmpty("):
        a.functions.max([]).call()
    with lib.reverts(a, "ArraysEmpty("):
        a.functions.min([]).call()


# ---------------------------------------------------------------- storage removal

def test_remove_swap(lib, a):
    lib.send(a.functions.setNums([10, 11, 12, 13]))
    lib.send(a.functions.removeSwap(1))
    assert a.functions.getNums().call() == [10, 13, 12]
    lib.send(a.functions.removeSwap(2))  # last element: plain pop
    assert a.functions.getNums().call() == [10, 13]
    lib.send(a.functions.removeSwap(0))
    assert a.functions.getNums().call() == [13]
    with lib.reverts(a, "ArraysIndexOutOfBounds(index=1, length=1)"):
        a.functions.removeSwap(1).call()
    lib.send(a.functions.removeSwap(0))
    assert a.functions.getNums().call() == []
    with lib.reverts(a, "ArraysIndexOutOfBounds(index=0, length=0)"):
        a.functions.removeSwap(0).call()
    with lib.reverts(a, f"ArraysIndexOutOfBounds(index={MAX}, length=0)"):
        a.functions.removeSwap(MAX).call()


def test_remove_ordered(lib, a):
    lib.send(a.functions.setNums([10, 11, 12, 13, 14]))
    lib.send(a.functions.removeOrdered(1))
    assert a.functions.getNums().call() == [10, 12, 13, 14]
    lib.send(a.functions.removeOrdered(3))
    assert a.functions.getNums().call() == [10, 12, 13]
    lib.send(a.functions.removeOrdered(0))
    assert a.functions.getNums().call() == [12, 13]
    with lib.reverts(a, "ArraysIndexOutOfBounds(index=2, length=2)"):
        a.functions.removeOrdered(2).call()
    lib.send(a.functions.removeOrdered(0))
    lib.send(a.functions.removeOrdered(0))
    assert a.functions.getNums().call() == []
    with lib.reverts(a, "ArraysIndexOutOfBounds(index=0, length=0)"):
        a.functions.removeOrdered(0).call()


def test_remove_addresses(lib, a):
    xs = [addr(i) for i in range(1, 6)]
    lib.send(a.functions.setAddrs(xs))
    lib.send(a.functions.removeSwapAddress(0))
    assert a.functions.getAddrs().call() == [xs[4], xs[1], xs[2], xs[3]]
    lib.send(a.functions.removeOrderedAddress(1))
    assert a.functions.getAddrs().call() == [xs[4], xs[2], xs[3]]
    with lib.reverts(a, "ArraysIndexOutOfBounds(index=3, length=3)"):
        a.functions.removeSwapAddress(3).call()
    with lib.reverts(a, "ArraysIndexOutOfBounds(index=5, length=3)"):
        a.functions.removeOrderedAddress(5).call()


@given(st.lists(st.integers(0, 1000), min_size=1, max_size=12), st.data())
@SETTINGS
def test_remove_property(lib, a, xs, data):
    i = data.draw(st.integers(0, len(xs) - 1))
    assert a.functions.removeOrderedFrom(xs, i).call() == xs[:i] + xs[i + 1:]
    expected = list(xs)
    expected[i] = expected[-1]
    expected.pop()
    assert a.functions.removeSwapFrom(xs, i).call() == expected
    with lib.reverts(a, f"ArraysIndexOutOfBounds(index={len(xs)}, length={len(xs)})"):
        a.functions.removeSwapFrom(xs, len(xs)).call()
