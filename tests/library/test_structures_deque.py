"""Deque (Uint256Deque, Bytes32Deque) against collections.deque."""

from __future__ import annotations

from collections import deque

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

MAX = 2**256 - 1
SETTINGS = settings(max_examples=50, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
ZERO32 = b"\0" * 32


def f(h, name: str, kind: str):
    return getattr(h.functions, f"{name}{kind}")


@pytest.mark.parametrize("kind", ["Uint", "Bytes32"])
def test_empty_deque_errors(lib, kind):
    h = lib.deploy("DequeHarness")
    assert f(h, "length", kind)().call() == 0
    assert f(h, "empty", kind)().call() is True
    for name in ("popFront", "popBack", "front", "back"):
        with lib.reverts(h, "DequeEmpty()"):
            f(h, name, kind)().call()
    with lib.reverts(h, "DequeIndexOutOfBounds(index=0, length=0)"):
        f(h, "at", kind)(0).call()


def test_single_element(lib):
    h = lib.deploy("DequeHarness")
    lib.send(h.functions.pushFrontUint(MAX))
    assert h.functions.frontUint().call() == MAX
    assert h.functions.backUint().call() == MAX
    assert h.functions.atUint(0).call() == MAX
    assert h.functions.lengthUint().call() == 1
    assert h.functions.emptyUint().call() is False
    with lib.reverts(h, "DequeIndexOutOfBounds(index=1, length=1)"):
        h.functions.atUint(1).call()
    with lib.reverts(h, f"DequeIndexOutOfBounds(index={MAX}, length=1)"):
        h.functions.atUint(MAX).call()
    receipt = lib.send(h.functions.popBackUint())
    assert lib.events(h, receipt, "PoppedUint") == [{"value": MAX}]
    assert h.functions.emptyUint().call() is True
    with lib.reverts(h, "DequeEmpty()"):
        h.functions.popFrontUint().call()


def test_both_ends_across_transactions(lib):
    h = lib.deploy("DequeHarness")
    a, b, c = (bytes([i]) * 32 for i in (1, 2, 3))
    lib.send(h.functions.pushFrontBytes32(b))
    lib.send(h.functions.pushBackBytes32(c))
    lib.send(h.functions.pushFrontBytes32(a))
    assert h.functions.itemsBytes32().call() == [a, b, c]
    assert h.functions.frontBytes32().call() == a
    assert h.functions.backBytes32().call() == c
    r = lib.send(h.functions.popFrontBytes32())
    assert lib.events(h, r, "PoppedBytes32") == [{"value": a}]
    r = lib.send(h.functions.popBackBytes32())
    assert lib.events(h, r, "PoppedBytes32") == [{"value": c}]
    assert h.functions.itemsBytes32().call() == [b]
    assert h.functions.lengthUint().call() == 0  # the uint deque is untouched


def test_clear_hides_old_elements(lib):
    h = lib.deploy("DequeHarness")
    for v in (1, 2, 3):
        lib.send(h.functions.pushFrontUint(v))
    lib.send(h.functions.clearUint())
    assert h.functions.emptyUint().call() is True
    with lib.reverts(h, "DequeEmpty()"):
        h.functions.backUint().call()
    lib.send(h.functions.pushBackUint(0))
    assert h.functions.itemsUint().call() == [0]
    with lib.reverts(h, "DequeIndexOutOfBounds(index=1, length=1)"):
        h.functions.atUint(1).call()
    assert h.functions.frontUint().call() == 0
    assert h.functions.backUint().call() == 0


@pytest.fixture
def deque_harness(lib):
    return lib.deploy("DequeHarness")


UINTS = st.one_of(st.integers(0, 9), st.just(MAX), st.integers(0, MAX))


def with_clear(ops, clear_op: int):
    """Lists of ops plus, in some examples, one (clear_op, 0) at a random position."""
    return st.tuples(ops, st.one_of(st.none(), st.integers(0, 40))).map(
        lambda t: t[0] if t[1] is None else t[0][:t[1]] + [(clear_op, 0)] + t[0][t[1]:])


OPS = with_clear(st.lists(st.tuples(st.integers(0, 5), UINTS), min_size=8, max_size=40), 6)


def _model(ops, zero):
    """Apply ops to a collections.deque; drops reads on an empty deque (covered above)."""
    d: deque = deque()
    kept_ops, kept_vs, outs = [], [], []
    for op, v in ops:
        if op in (2, 3, 4, 5) and not d:
            continue
        out = zero
        if op == 0:
            d.appendleft(v)
        elif op == 1:
            d.append(v)
        elif op == 2:
            out = d.popleft()
        elif op == 3:
            out = d.pop()
        elif op == 4:
            out = d[0]
        elif op == 5:
            out = d[-1]
        else:
            d.clear()
        kept_ops.append(op)
        kept_vs.append(v if op in (0, 1) else zero)
        outs.append(out)
    return kept_ops, kept_vs, outs, list(d)


@SETTINGS
@given(ops=OPS)
def test_uint_deque_matches_collections_deque(deque_harness, ops):
    kept_ops, vs, outs, items = _model(ops, 0)
    got_outs, length, is_empty, got_items = deque_harness.functions.runUint(kept_ops, vs).call()
    assert got_outs == outs
    assert got_items == items
    assert length == len(items)
    assert is_empty == (not items)


@SETTINGS
@given(ops=with_clear(st.lists(st.tuples(st.integers(0, 5), st.binary(min_size=32, max_size=32)), min_size=8, max_size=30), 6))
def test_bytes32_deque_matches_collections_deque(deque_harness, ops):
    kept_ops, vs, outs, items = _model(ops, ZERO32)
    got_outs, length, is_empty, got_items = deque_harness.functions.runBytes32(kept_ops, vs).call()
    assert got_outs == outs
    assert got_items == items
    assert length == len(items)
    assert is_empty == (not items)
