"""Heap (MinHeap, MaxHeap of uint256): pop order against sorted() / heapq."""

from __future__ import annotations

import heapq

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

MAX = 2**256 - 1
SETTINGS = settings(max_examples=50, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
KINDS = ("Min", "Max")


def fn(h, name: str, kind: str):
    return getattr(h.functions, f"{name}{kind}")


@pytest.mark.parametrize("kind", KINDS)
def test_empty_heap_errors(lib, kind):
    h = lib.deploy("HeapHarness")
    assert fn(h, "size", kind)().call() == 0
    assert fn(h, "isEmpty", kind)().call() is True
    with lib.reverts(h, "HeapEmpty()"):
        fn(h, "peek", kind)().call()
    with lib.reverts(h, "HeapEmpty()"):
        fn(h, "pop", kind)().call()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("value", [0, 1, MAX])
def test_single_element(lib, kind, value):
    h = lib.deploy("HeapHarness")
    lib.send(fn(h, "push", kind)(value))
    assert fn(h, "peek", kind)().call() == value
    assert fn(h, "size", kind)().call() == 1
    assert fn(h, "isEmpty", kind)().call() is False
    receipt = lib.send(fn(h, "pop", kind)())
    assert lib.events(h, receipt, "Popped") == [{"value": value}]
    assert fn(h, "size", kind)().call() == 0
    with lib.reverts(h, "HeapEmpty()"):
        fn(h, "pop", kind)().call()


def test_duplicates_and_extremes_persisted(lib):
    h = lib.deploy("HeapHarness")
    values = [5, MAX, 0, 5, 1, MAX, 0, 5, 3]
    lib.send(h.functions.pushManyMin(values))
    lib.send(h.functions.pushManyMax(values))
    assert h.functions.peekMin().call() == 0
    assert h.functions.peekMax().call() == MAX
    assert h.functions.popAllMin().call() == sorted(values)
    assert h.functions.popAllMax().call() == sorted(values, reverse=True)
    # pops committed across transactions follow the same order
    r1 = lib.send(h.functions.popMin())
    r2 = lib.send(h.functions.popMin())
    assert [lib.events(h, r, "Popped")[0]["value"] for r in (r1, r2)] == [0, 0]
    assert h.functions.sizeMin().call() == len(values) - 2
    lib.send(h.functions.popAllMax())
    assert h.functions.sizeMax().call() == 0
    assert h.functions.sizeMin().call() == len(values) - 2  # heaps are independent


@pytest.mark.parametrize("kind", KINDS)
def test_clear(lib, kind):
    h = lib.deploy("HeapHarness")
    lib.send(fn(h, "pushMany", kind)([4, 2, 9]))
    lib.send(fn(h, "clear", kind)())
    assert fn(h, "size", kind)().call() == 0
    with lib.reverts(h, "HeapEmpty()"):
        fn(h, "peek", kind)().call()
    lib.send(fn(h, "push", kind)(7))
    assert fn(h, "popAll", kind)().call() == [7]


@pytest.fixture
def heap_harness(lib):
    return lib.deploy("HeapHarness")


VALUES = st.one_of(st.integers(0, 20), st.sampled_from([MAX, MAX - 1, 2**255]), st.integers(0, MAX))
OPS = st.lists(st.one_of(VALUES.map(lambda v: ("push", v)), st.just(("pop", None))), min_size=4, max_size=40)


def _check(h, kind: str, ops) -> None:
    sign = 1 if kind == "Min" else -1
    model: list[int] = []
    vs, flags, pops = [], [], []
    for op, v in ops:
        if op == "push":
            heapq.heappush(model, sign * v)
            vs.append(v)
            flags.append(True)
        elif model:  # pops on an empty heap are covered by the error tests
            pops.append(sign * heapq.heappop(model))
            vs.append(0)
            flags.append(False)
    peeks, got_pops, size, drained = fn(h, "run", kind)(vs, flags).call()
    assert got_pops == pops
    assert peeks == pops
    assert size == len(model)
    assert drained == sorted((sign * x for x in model), reverse=(kind == "Max"))


@SETTINGS
@given(ops=OPS)
def test_min_heap_matches_heapq(heap_harness, ops):
    _check(heap_harness, "Min", ops)


@SETTINGS
@given(ops=OPS)
def test_max_heap_matches_heapq(heap_harness, ops):
    _check(heap_harness, "Max", ops)


@SETTINGS
@given(values=st.lists(st.integers(0, MAX), max_size=40))
def test_heapsort(heap_harness, values):
    flags = [True] * len(values)
    assert heap_harness.functions.runMin(values, flags).call()[3] == sorted(values)
    assert heap_harness.functions.runMax(values, flags).call()[3] == sorted(values, reverse=True)
