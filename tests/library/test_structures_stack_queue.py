"""Stack (LIFO) and Queue (FIFO) of uint256 / bytes32 against Python lists and deques."""

from __future__ import annotations

from collections import deque

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

MAX = 2**256 - 1
ZERO32 = b"\0" * 32
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
KINDS = ["Uint", "Bytes32"]


def f(h, name: str, kind: str):
    return getattr(h.functions, f"{name}{kind}")


def sample(kind: str, i: int):
    return i if kind == "Uint" else i.to_bytes(32, "big")


# -- Stack ------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_stack_empty_errors(lib, kind):
    h = lib.deploy("StackHarness")
    assert f(h, "length", kind)().call() == 0
    assert f(h, "isEmpty", kind)().call() is True
    assert f(h, "values", kind)().call() == []
    with lib.reverts(h, "StackEmpty()"):
        f(h, "pop", kind)().call()
    with lib.reverts(h, "StackEmpty()"):
        f(h, "peek", kind)().call()
    with lib.reverts(h, "StackIndexOutOfBounds(index=0, length=0)"):
        f(h, "at", kind)(0).call()


def test_stack_lifo_across_transactions(lib):
    h = lib.deploy("StackHarness")
    lib.send(h.functions.pushManyUint([0, MAX, 7, 7]))
    assert h.functions.peekUint().call() == 7
    assert h.functions.atUint(1).call() == MAX
    with lib.reverts(h, "StackIndexOutOfBounds(index=4, length=4)"):
        h.functions.atUint(4).call()
    r = lib.send(h.functions.popUint())
    assert lib.events(h, r, "PoppedUint") == [{"value": 7}]
    assert h.functions.valuesUint().call() == [0, MAX, 7]
    assert h.functions.popAllUint().call() == [7, MAX, 0]
    lib.send(h.functions.popAllUint())
    assert h.functions.isEmptyUint().call() is True
    assert h.functions.lengthBytes32().call() == 0


def test_stack_single_and_clear(lib):
    h = lib.deploy("StackHarness")
    lib.send(h.functions.pushBytes32(b"\xff" * 32))
    assert h.functions.peekBytes32().call() == b"\xff" * 32
    assert h.functions.lengthBytes32().call() == 1
    lib.send(h.functions.clearBytes32())
    with lib.reverts(h, "StackEmpty()"):
        h.functions.peekBytes32().call()
    lib.send(h.functions.pushBytes32(ZERO32))
    assert h.functions.valuesBytes32().call() == [ZERO32]


def _stack_model(ops, kind):
    zero = sample(kind, 0)
    s: list = []
    kept, vs, outs = [], [], []
    for op, v in ops:
        if op in (1, 2) and not s:
            continue
        out = zero
        if op == 0:
            s.append(v)
        elif op == 1:
            out = s.pop()
        elif op == 2:
            out = s[-1]
        else:
            s.clear()
        kept.append(op)
        vs.append(v if op == 0 else zero)
        outs.append(out)
    return kept, vs, outs, s


@pytest.fixture
def stack_harness(lib):
    return lib.deploy("StackHarness")


@pytest.fixture
def queue_harness(lib):
    return lib.deploy("QueueHarness")


# push (0) as often as pop/peek (1, 2) together; in some examples one clear (3) at a random position
OP = st.sampled_from([0, 0, 1, 2])
OPS = st.tuples(
    st.lists(st.tuples(OP, st.one_of(st.integers(0, 9), st.just(MAX))), min_size=8, max_size=40),
    st.one_of(st.none(), st.integers(0, 40)),
).map(lambda t: t[0] if t[1] is None else t[0][:t[1]] + [(3, 0)] + t[0][t[1]:])


@SETTINGS
@given(ops=OPS, kind=st.sampled_from(KINDS))
def test_stack_matches_list(stack_harness, ops, kind):
    ops = [(op, sample(kind, v)) for op, v in ops]
    kept, vs, outs, items = _stack_model(ops, kind)
    got_outs, length, empty, vals, via_at = f(stack_harness, "run", kind)(kept, vs).call()
    assert got_outs == outs
    assert vals == items
    assert via_at == items
    assert length == len(items)
    assert empty == (not items)


# -- Queue ------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_queue_empty_errors(lib, kind):
    h = lib.deploy("QueueHarness")
    assert f(h, "length", kind)().call() == 0
    assert f(h, "isEmpty", kind)().call() is True
    with lib.reverts(h, "QueueEmpty()"):
        f(h, "dequeue", kind)().call()
    with lib.reverts(h, "QueueEmpty()"):
        f(h, "peek", kind)().call()
    with lib.reverts(h, "QueueIndexOutOfBounds(index=0, length=0)"):
        f(h, "at", kind)(0).call()


def test_queue_fifo_across_transactions(lib):
    h = lib.deploy("QueueHarness")
    lib.send(h.functions.enqueueManyUint([MAX, 0, 5, 5]))
    assert h.functions.peekUint().call() == MAX
    r = lib.send(h.functions.dequeueUint())
    assert lib.events(h, r, "DequeuedUint") == [{"value": MAX}]
    # indices are relative to the head after dequeues
    assert h.functions.atUint(0).call() == 0
    assert h.functions.atUint(2).call() == 5
    with lib.reverts(h, "QueueIndexOutOfBounds(index=3, length=3)"):
        h.functions.atUint(3).call()
    lib.send(h.functions.enqueueUint(1))
    assert h.functions.itemsUint().call() == [0, 5, 5, 1]
    assert h.functions.dequeueAllUint().call() == [0, 5, 5, 1]
    lib.send(h.functions.dequeueAllUint())
    assert h.functions.isEmptyUint().call() is True
    with lib.reverts(h, "QueueEmpty()"):
        h.functions.dequeueUint().call()


def test_queue_single_and_clear(lib):
    h = lib.deploy("QueueHarness")
    b = [bytes([i]) * 32 for i in (1, 2, 3)]
    lib.send(h.functions.enqueueManyBytes32(b))
    lib.send(h.functions.dequeueBytes32())
    lib.send(h.functions.clearBytes32())
    assert h.functions.lengthBytes32().call() == 0
    with lib.reverts(h, "QueueEmpty()"):
        h.functions.peekBytes32().call()
    lib.send(h.functions.enqueueBytes32(ZERO32))
    assert h.functions.itemsBytes32().call() == [ZERO32]
    assert h.functions.peekBytes32().call() == ZERO32
    with lib.reverts(h, "QueueIndexOutOfBounds(index=1, length=1)"):
        h.functions.atBytes32(1).call()
    assert h.functions.lengthUint().call() == 0


def _queue_model(ops, kind):
    zero = sample(kind, 0)
    q: deque = deque()
    kept, vs, outs = [], [], []
    for op, v in ops:
        if op in (1, 2) and not q:
            continue
        out = zero
        if op == 0:
            q.append(v)
        elif op == 1:
            out = q.popleft()
        elif op == 2:
            out = q[0]
        else:
            q.clear()
        kept.append(op)
        vs.append(v if op == 0 else zero)
        outs.append(out)
    return kept, vs, outs, list(q)


@SETTINGS
@given(ops=OPS, kind=st.sampled_from(KINDS))
def test_queue_matches_deque(queue_harness, ops, kind):
    ops = [(op, sample(kind, v)) for op, v in ops]
    kept, vs, outs, items = _queue_model(ops, kind)
    got_outs, length, empty, got_items = f(queue_harness, "run", kind)(kept, vs).call()
    assert got_outs == outs
    assert got_items == items
    assert length == len(items)
    assert empty == (not items)
