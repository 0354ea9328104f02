"""SnapshotHistory against a bisect model (random push sequences and lookups in one eth_call each) and the
SnapshotBalances example (balances and total supply per finished block)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

MAX_KEY = 2**32 - 1
MAX_VALUE = 2**224 - 1
MAX = 2**256 - 1
ZERO = "0x" + "00" * 20
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


class Model:
    """Checkpoints as two parallel lists; same key overwrites."""

    def __init__(self) -> None:
        self.keys: list[int] = []
        self.values: list[int] = []

    def push(self, key: int, value: int) -> int:
        previous = self.values[-1] if self.values else 0
        if self.keys and self.keys[-1] == key:
            self.values[-1] = value
        else:
            self.keys.append(key)
            self.values.append(value)
        return previous

    def upper(self, key: int) -> int:
        i = bisect_right(self.keys, key)
        return self.values[i - 1] if i else 0

    def lower(self, key: int) -> int:
        i = bisect_left(self.keys, key)
        return self.values[i] if i < len(self.keys) else 0


@pytest.fixture
def h(lib):
    return lib.deploy("PatternsSnapshotHarness")


# ---------------------------------------------------------------- SnapshotHistory


def test_empty_history(lib, h):
    assert h.functions.latest().call() == 0
    assert h.functions.latestCheckpoint().call() == [False, 0, 0]
    assert h.functions.length().call() == 0
    for key in (0, 1, MAX_KEY, MAX):
        assert h.functions.upperLookup(key).call() == 0
        assert h.functions.upperLookupRecent(key).call() == 0
        assert h.functions.lowerLookup(key).call() == 0
    with lib.reverts(h, "SnapshotHistoryIndexOutOfBounds(index=0, length=0)"):
        h.functions.at(0).call()


def test_push_overwrite_and_errors(lib, h):
    receipt = lib.send(h.functions.push(5, 100))
    assert lib.events(h, receipt, "PatternsPushed") == [{"previous": 0, "current": 100}]
    receipt = lib.send(h.functions.push(5, 70))  # same key: overwrite
    assert lib.events(h, receipt, "PatternsPushed") == [{"previous": 100, "current": 70}]
    assert h.functions.length().call() == 1
    assert h.functions.at(0).call() == [5, 70]
    receipt = lib.send(h.functions.push(9, 0))
    assert lib.events(h, receipt, "PatternsPushed") == [{"previous": 70, "current": 0}]
    assert h.functions.latestCheckpoint().call() == [True, 9, 0]
    with lib.reverts(h, "SnapshotHistoryUnorderedKey(lastKey=9, key=8)"):
        h.functions.push(8, 1).transact({"from": lib.accounts[0]})
    with lib.reverts(h, "SnapshotHistoryUnorderedKey(lastKey=9, key=0)"):
        h.functions.push(0, 1).transact({"from": lib.accounts[0]})
    with lib.reverts(h, f"SnapshotHistoryKeyTooLarge(key={MAX_KEY + 1})"):
        h.functions.push(MAX_KEY + 1, 1).transact({"from": lib.accounts[0]})
    with lib.reverts(h, f"SnapshotHistoryKeyTooLarge(key={MAX})"):
        h.functions.push(MAX, 1).transact({"from": lib.accounts[0]})
    with lib.reverts(h, f"SnapshotHistoryValueTooLarge(value={MAX_VALUE + 1})"):
        h.functions.push(10, MAX_VALUE + 1).transact({"from": lib.accounts[0]})
    with lib.reverts(h, "SnapshotHistoryIndexOutOfBounds(index=2, length=2)"):
        h.functions.at(2).call()
    lib.send(h.functions.push(MAX_KEY, MAX_VALUE))  # the largest key and value fit
    assert h.functions.at(2).call() == [MAX_KEY, MAX_VALUE]
    assert h.functions.latest().call() == MAX_VALUE
    # lookups between and beyond the keys
    expected = {0: 0, 4: 0, 5: 70, 8: 70, 9: 0, MAX_KEY - 1: 0, MAX_KEY: MAX_VALUE, MAX_KEY + 1: MAX_VALUE,
                MAX: MAX_VALUE}
    for key, value in expected.items():
        assert h.functions.upperLookup(key).call() == value
        assert h.functions.upperLookupRecent(key).call() == value
    for key, value in {0: 70, 5: 70, 6: 0, 9: 0, 10: MAX_VALUE, MAX_KEY: MAX_VALUE, MAX_KEY + 1: 0}.items():
        assert h.functions.lowerLookup(key).call() == value


def _check(h, pushes, queries):
    model = Model()
    previous = [model.push(k, v) for k, v in pushes]
    r = h.functions.run([k for k, _ in pushes], [v for _, v in pushes], queries).call()
    got_previous, upper, recent, lower, keys, values, latest, exists, latest_key, latest_value = r
    assert got_previous == previous
    assert keys == model.keys and values == model.values
    assert upper == [model.upper(q) for q in queries]
    assert recent == upper
    assert lower == [model.lower(q) for q in queries]
    assert latest == (model.values[-1] if model.values else 0)
    assert (exists, latest_key, latest_value) == (
        (True, model.keys[-1], model.values[-1]) if model.keys else (False, 0, 0))


@st.composite
def histories(draw):
    """Non-decreasing keys (with repeats) and values, plus queries around and between the keys."""
    n = draw(st.integers(0, 40))
    gaps = draw(st.lists(st.integers(0, 3) | st.integers(0, 1000), min_size=n, max_size=n))
    start = draw(st.integers(0, 50) | st.just(MAX_KEY - 5000))
    keys, k = [], start
    for g in gaps:
        k = min(k + g, MAX_KEY)
        keys.append(k)
    values = draw(st.lists(st.integers(0, 1000) | st.just(MAX_VALUE), min_size=n, max_size=n))
    around = [x + d for x in keys for d in (-1, 0, 1) if x + d >= 0]
    queries = draw(st.lists(st.sampled_from(around) if around else st.integers(0, 10), max_size=20))
    queries += draw(st.lists(st.integers(0, MAX_KEY + 10) | st.sampled_from([0, MAX_KEY, MAX]), max_size=5))
    return list(zip(keys, values)), queries


@SETTINGS
@given(case=histories())
def test_history_matches_bisect_model(h, case):
    pushes, queries = case
    _check(h, pushes, queries)


def test_long_history_recent_lookup(h):
    # enough checkpoints for the sqrt probe to split the search both ways
    pushes = [(3 * i + 1, i * i) for i in range(64)]
    queries = [k + d for k, _ in pushes for d in (-1, 0)] + [3 * 64 + 1, MAX_KEY, MAX]
    _check(h, pushes, queries)


# ---------------------------------------------------------------- SnapshotBalances


@pytest.fixture
def bal(lib):
    return lib.deploy("SnapshotBalances", lib.accounts[0])


def block_of(receipt) -> int:
    return receipt["blockNumber"]


def mine(lib) -> None:
    lib.w3.eth.wait_for_transaction_receipt(
        lib.w3.eth.send_transaction({"from": lib.accounts[9], "to": lib.accounts[9], "value": 0}))


def test_balances_per_block(lib, bal):
    acc = lib.accounts
    a, b, c = acc[1], acc[2], acc[3]
    model: dict[int, tuple[dict[str, int], int]] = {}  # block -> (balances, supply) at its end
    balances = {a: 0, b: 0, c: 0}
    supply = 0
    start = lib.w3.eth.block_number

    def record(receipt):
        model[block_of(receipt)] = (dict(balances), supply)

    receipt = lib.send(bal.functions.mint(a, 100))
    assert lib.events(bal, receipt, "Transfer") == [{"from": ZERO, "to": a, "amount": 100}]
    balances[a] += 100; supply += 100; record(receipt)
    receipt = lib.send(bal.functions.transfer(b, 30), sender=1)
    assert lib.events(bal, receipt, "Transfer") == [{"from": a, "to": b, "amount": 30}]
    balances[a] -= 30; balances[b] += 30; record(receipt)
    receipt = lib.send(bal.functions.mint(c, 5))
    balances[c] += 5; supply += 5; record(receipt)
    receipt = lib.send(bal.functions.burn(a, 70))
    assert lib.events(bal, receipt, "Transfer") == [{"from": a, "to": ZERO, "amount": 70}]
    balances[a] -= 70; supply -= 70; record(receipt)
    receipt = lib.send(bal.functions.transfer(b, 0), sender=3)  # zero transfers are allowed
    record(receipt)
    receipt = lib.send(bal.functions.transfer(b, 5), sender=2)  # to oneself: unchanged
    record(receipt)
    receipt = lib.send(bal.functions.mint(a, 1))
    balances[a] += 1; supply += 1; record(receipt)
    last = block_of(receipt)
    mine(lib)  # eth_call runs in the latest block, which is not finished yet
    assert (bal.functions.balanceOf(a).call(), bal.functions.totalSupply().call()) == (balances[a], supply)

    expected_b, expected_s = {acc: 0 for acc in (a, b, c)}, 0
    for block in range(start - 1, last + 1):
        if block in model:
            expected_b, expected_s = model[block]
        for account in (a, b, c):
            assert bal.functions.balanceOfAt(account, block).call() == expected_b[account], (account, block)
        assert bal.functions.totalSupplyAt(block).call() == expected_s
    assert bal.functions.balanceOfAt(acc[4], last - 1).call() == 0
    assert bal.functions.checkpointCount(a).call() == 4
    assert bal.functions.checkpointAt(a, 0).call() == [min(model), 100]
    assert bal.functions.checkpointAt(b, 1).call()[1] == 30
    with lib.reverts(bal, "SnapshotHistoryIndexOutOfBounds(index=4, length=4)"):
        bal.functions.checkpointAt(a, 4).call()


def test_future_lookups_rejected(lib, bal):
    minted = block_of(lib.send(bal.functions.mint(lib.accounts[1], 1)))
    # eth_call runs in the context of the latest block: that block is not finished (queryable) yet
    current = lib.w3.eth.block_number
    assert current == minted
    assert bal.functions.balanceOfAt(lib.accounts[1], current - 1).call() == 0
    for block in (current, current + 1, MAX):
        with lib.reverts(bal, f"FutureLookup(blockNumber={block}, currentBlock={current})"):
            bal.functions.balanceOfAt(lib.accounts[1], block).call()
        with lib.reverts(bal, f"FutureLookup(blockNumber={block}, currentBlock={current})"):
            bal.functions.totalSupplyAt(block).call()
    assert bal.functions.totalSupplyAt(0).call() == 0
    mine(lib)
    assert bal.functions.balanceOfAt(lib.accounts[1], minted).call() == 1
    assert bal.functions.totalSupplyAt(minted).call() == 1


def test_balance_errors_and_access(lib, bal):
    acc = lib.accounts
    lib.send(bal.functions.mint(acc[1], 10))
    with lib.reverts(bal, f"InsufficientBalance(account={acc[1]}, balance=10, needed=11)"):
        bal.functions.transfer(acc[2], 11).transact({"from": acc[1]})
    with lib.reverts(bal, f"InsufficientBalance(account={acc[2]}, balance=0, needed=1)"):
        bal.functions.burn(acc[2], 1).transact({"from": acc[0]})
    with lib.reverts(bal, f"InvalidAccount(account={ZERO})"):
        bal.functions.transfer(ZERO, 1).transact({"from": acc[1]})
    with lib.reverts(bal, f"InvalidAccount(account={ZERO})"):
        bal.functions.mint(ZERO, 1).transact({"from": acc[0]})
    with lib.reverts(bal, f"InvalidAccount(account={ZERO})"):
        bal.functions.burn(ZERO, 0).transact({"from": acc[0]})
    with lib.reverts(bal, f"OwnableUnauthorizedAccount(account={acc[1]})"):
        bal.functions.mint(acc[1], 1).transact({"from": acc[1]})
    with lib.reverts(bal, f"OwnableUnauthorizedAccount(account={acc[1]})"):
        bal.functions.burn(acc[1], 1).transact({"from": acc[1]})
    with lib.reverts(bal, f"SnapshotHistoryValueTooLarge(value={MAX_VALUE + 10})"):
        bal.functions.mint(acc[2], MAX_VALUE).transact({"from": acc[0]})
    with lib.reverts(bal, "panic 0x11"):  # a supply beyond uint256 overflows before the size check
        bal.functions.mint(acc[2], MAX).transact({"from": acc[0]})
    assert bal.functions.totalSupply().call() == 10


def test_several_changes_in_one_block_share_a_checkpoint(lib):
    driver = lib.deploy("PatternsSnapshotDriver")
    bal = lib.deploy("SnapshotBalances", driver.address)
    a = lib.accounts[1]
    receipt = lib.send(driver.functions.mintTwice(bal.address, a, 4, 6))
    assert [e["amount"] for e in lib.events(bal, receipt, "Transfer")] == [4, 6]
    mine(lib)
    assert bal.functions.checkpointCount(a).call() == 1
    assert bal.functions.checkpointAt(a, 0).call() == [receipt["blockNumber"], 10]
    assert bal.functions.balanceOfAt(a, receipt["blockNumber"]).call() == 10
    assert bal.functions.balanceOfAt(a, receipt["blockNumber"] - 1).call() == 0
    assert bal.functions.totalSupplyAt(receipt["blockNumber"]).call() == 10
