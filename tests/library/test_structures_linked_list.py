"""LinkedList (SinglyLinkedList, DoublyLinkedList of distinct uint256) against a Python list."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

MAX = 2**256 - 1
UNIVERSE = [0, 1, 2, 3, 4, 5, MAX - 1, MAX]
SETTINGS = settings(max_examples=50, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
KINDS = ["S", "D"]


def f(h, name: str, kind: str):
    return getattr(h.functions, f"{name}{kind}")


@pytest.mark.parametrize("kind", KINDS)
def test_empty_list_errors(lib, kind):
    h = lib.deploy("LinkedListHarness")
    assert f(h, "length", kind)().call() == 0
    assert f(h, "values", kind)().call() == []
    assert f(h, "contains", kind)(0).call() is False
    for name in ["head", "tail", "popFront"] + (["popBack"] if kind == "D" else []):
        with lib.reverts(h, "LinkedListEmpty()"):
            f(h, name, kind)().call()
    with lib.reverts(h, "LinkedListNotFound(value=5)"):
        f(h, "next", kind)(5).call()
    with lib.reverts(h, "LinkedListNotFound(value=0)"):
        f(h, "remove", kind)(0).call()
    with lib.reverts(h, "LinkedListNotFound(value=5)"):
        f(h, "insertAfter", kind)(5, 1).call()
    with lib.reverts(h, "LinkedListNotFound(value=5)"):
        f(h, "insertBefore", kind)(5, 1).call()
    if kind == "D":
        with lib.reverts(h, f"LinkedListNotFound(value={MAX})"):
            h.functions.prevD(MAX).call()


@pytest.mark.parametrize("kind", KINDS)
def test_duplicates_rejected(lib, kind):
    h = lib.deploy("LinkedListHarness")
    lib.send(f(h, "pushBack", kind)(0))
    lib.send(f(h, "pushBack", kind)(MAX))
    for call in (f(h, "pushBack", kind)(0), f(h, "pushFront", kind)(MAX),
                 f(h, "insertAfter", kind)(0, MAX), f(h, "insertBefore", kind)(MAX, 0),
                 f(h, "insertAfter", kind)(MAX, MAX), f(h, "insertBefore", kind)(0, 0)):
        with lib.reverts(h, "LinkedListDuplicate(value="):
            call.call()
    # a missing anchor is reported before a duplicate value
    with lib.reverts(h, "LinkedListNotFound(value=7)"):
        f(h, "insertAfter", kind)(7, 0).call()
    assert f(h, "values", kind)().call() == [0, MAX]


@pytest.mark.parametrize("kind", KINDS)
def test_single_element(lib, kind):
    h = lib.deploy("LinkedListHarness")
    lib.send(f(h, "pushFront", kind)(MAX))
    assert f(h, "head", kind)().call() == MAX
    assert f(h, "tail", kind)().call() == MAX
    assert f(h, "next", kind)(MAX).call() == [False, 0]
    if kind == "D":
        assert h.functions.prevD(MAX).call() == [False, 0]
    r = lib.send(f(h, "popFront", kind)())
    assert lib.events(h, r, "Popped") == [{"value": MAX}]
    assert f(h, "length", kind)().call() == 0
    assert f(h, "contains", kind)(MAX).call() is False
    with lib.reverts(h, "LinkedListEmpty()"):
        f(h, "tail", kind)().call()


@pytest.mark.parametrize("kind", KINDS)
def test_insert_remove_across_transactions(lib, kind):
    h = lib.deploy("LinkedListHarness")
    lib.send(f(h, "pushBack", kind)(1))
    lib.send(f(h, "pushBack", kind)(3))
    lib.send(f(h, "insertAfter", kind)(1, 2))    # middle
    lib.send(f(h, "insertBefore", kind)(1, 0))   # before head
    lib.send(f(h, "insertBefore", kind)(3, 5))   # before tail
    lib.send(f(h, "insertAfter", kind)(3, 9))    # after tail
    assert f(h, "values", kind)().call() == [0, 1, 2, 5, 3, 9]
    assert (f(h, "head", kind)().call(), f(h, "tail", kind)().call()) == (0, 9)
    assert f(h, "next", kind)(5).call() == [True, 3]
    lib.send(f(h, "remove", kind)(9))            # tail
    assert f(h, "tail", kind)().call() == 3
    assert f(h, "next", kind)(3).call() == [False, 0]
    lib.send(f(h, "remove", kind)(0))            # head
    assert f(h, "head", kind)().call() == 1
    lib.send(f(h, "remove", kind)(2))            # middle
    assert f(h, "values", kind)().call() == [1, 5, 3]
    assert f(h, "next", kind)(1).call() == [True, 5]
    lib.send(f(h, "insertAfter", kind)(3, 9))    # appending after the new tail
    lib.send(f(h, "insertBefore", kind)(1, 0))   # prepending before the new head
    assert f(h, "values", kind)().call() == [0, 1, 5, 3, 9]
    assert f(h, "length", kind)().call() == 5
    if kind == "D":
        assert h.functions.prevD(5).call() == [True, 1]
        assert h.functions.prevD(0).call() == [False, 0]
        assert h.functions.prevD(9).call() == [True, 3]
        r = lib.send(h.functions.popBackD())
        assert lib.events(h, r, "Popped") == [{"value": 9}]
        assert h.functions.tailD().call() == 3


@pytest.mark.parametrize("kind", KINDS)
def test_clear_allows_reinsertion(lib, kind):
    h = lib.deploy("LinkedListHarness")
    for v in (4, 0, MAX):
        lib.send(f(h, "pushBack", kind)(v))
    lib.send(f(h, "clear", kind)())
    assert f(h, "length", kind)().call() == 0
    assert [f(h, "contains", kind)(v).call() for v in (4, 0, MAX)] == [False] * 3
    lib.send(f(h, "pushFront", kind)(MAX))  # would be a duplicate if clear() kept nodes
    assert f(h, "values", kind)().call() == [MAX]
    assert f(h, "next", kind)(MAX).call() == [False, 0]


@pytest.fixture
def list_harness(lib):
    return lib.deploy("LinkedListHarness")


def _model(raw_ops, doubly: bool):
    """Turn raw (op, a, v) draws into valid ops on a Python list; returns calldata and the model."""
    items: list[int] = []
    ops, anchors, vs, popped = [], [], [], []
    kinds = [0, 1, 2, 3, 4, 5, 7] if doubly else [0, 1, 2, 3, 4, 5]
    for op, a, v in raw_ops:
        op = 6 if op is None else kinds[op % len(kinds)]  # None: clear (6)
        absent = [u for u in UNIVERSE if u not in items]
        anchor = value = out = 0
        if op in (0, 1, 2, 3):
            if not absent or (op in (2, 3) and not items):
                continue
            value = absent[v % len(absent)]
            if op == 0:
                items.insert(0, value)
            elif op == 1:
                items.append(value)
            else:
                anchor = items[a % len(items)]
                items.insert(items.index(anchor) + (1 if op == 2 else 0), value)
        elif op == 4:
            if not items:
                continue
            value = items[v % len(items)]
            items.remove(value)
        elif op in (5, 7):
            if not items:
                continue
            out = items.pop(0 if op == 5 else -1)
        else:
            items.clear()
        ops.append(op)
        anchors.append(anchor)
        vs.append(value)
        popped.append(out)
    return ops, anchors, vs, popped, items


# Random ops plus, in some examples, one clear at a random position (op None).
RAW = st.tuples(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 7), st.integers(0, 7)), min_size=8, max_size=40),
    st.one_of(st.none(), st.integers(0, 40)),
).map(lambda t: t[0] if t[1] is None else t[0][:t[1]] + [(None, 0, 0)] + t[0][t[1]:])


@SETTINGS
@given(raw=RAW)
def test_singly_matches_model(list_harness, raw):
    ops, anchors, vs, popped, items = _model(raw, doubly=False)
    got_popped, vals, walk, contained = list_harness.functions.runS(ops, anchors, vs, UNIVERSE).call()
    assert got_popped == popped
    assert vals == items
    assert walk == items
    assert contained == [u in items for u in UNIVERSE]


@SETTINGS
@given(raw=RAW)
def test_doubly_matches_model(list_harness, raw):
    ops, anchors, vs, popped, items = _model(raw, doubly=True)
    got_popped, vals, walk, back, contained = list_harness.functions.runD(ops, anchors, vs, UNIVERSE).call()
    assert got_popped == popped
    assert vals == items
    assert walk == items
    assert back == items[::-1]
    assert contained == [u in items for u in UNIVERSE]
