"""Multicall (self-delegatecall mixin: sender kept, revert data bubbled unchanged, no ether) and BatchCaller
(aggregate / tryAggregate with exact value accounting, refunds, NoCode, block helpers)."""

from __future__ import annotations

import pytest
from eth_abi import decode, encode
from eth_utils import keccak
from web3.exceptions import ContractLogicError

ZERO = "0x" + "00" * 20


def selector(sig: str) -> bytes:
    return keccak(text=sig)[:4]


def revert_data(call) -> bytes:
    with pytest.raises(ContractLogicError) as info:
        call()
    data = info.value.data
    return bytes.fromhex(data[2:]) if isinstance(data, str) else b""


def data(contract, fn: str, *args) -> bytes:
    return bytes.fromhex(contract.encode_abi(fn, args=list(args))[2:])


# ---------------------------------------------------------------- Multicall mixin


@pytest.fixture
def mc(lib):
    return lib.deploy("PatternsMulticallMock")


def test_multicall_runs_in_order_as_the_caller(lib, mc):
    calls = [data(mc, "increment", 2), data(mc, "whoami"), data(mc, "increment", 3)]
    results = mc.functions.multicall(calls).call({"from": lib.accounts[1]})
    assert [decode(["uint256"], results[0])[0], decode(["address"], results[1])[0].lower(),
            decode(["uint256"], results[2])[0]] == [2, lib.accounts[1].lower(), 5]
    receipt = lib.send(mc.functions.multicall(calls), sender=1)
    assert lib.events(mc, receipt, "PatternsCounted") == [
        {"sender": lib.accounts[1], "counter": 2}, {"sender": lib.accounts[1], "counter": 5}]
    assert mc.functions.counter().call() == 5
    assert mc.functions.multicall([]).call() == []


def test_multicall_bubbles_revert_data_unchanged(lib, mc):
    acc = lib.accounts
    refused = selector("PatternsMulticallRefused(uint256,address)") + encode(["uint256", "address"], [7, acc[2]])
    direct = revert_data(lambda: mc.functions.refuse(7).call({"from": acc[2]}))
    assert direct == refused
    batched = revert_data(lambda: mc.functions.multicall(
        [data(mc, "increment", 1), data(mc, "refuse", 7), data(mc, "increment", 1)]).call({"from": acc[2]}))
    assert batched == refused
    reason = revert_data(lambda: mc.functions.multicall([data(mc, "refuseWithString")]).call())
    assert reason == selector("Error(string)") + encode(["string"], ["PatternsMulticallMock: refused"])
    panic = revert_data(lambda: mc.functions.multicall([data(mc, "divide", 1, 0)]).call())
    assert panic == selector("Panic(uint256)") + encode(["uint256"], [0x12])
    assert revert_data(lambda: mc.functions.multicall([data(mc, "refuseEmpty")]).call()) == b""
    unknown = revert_data(lambda: mc.functions.multicall([b"\xde\xad\xbe\xef"]).call())
    assert unknown == b""
    # the whole batch is atomic
    with lib.reverts(mc, f"PatternsMulticallRefused(code=9, sender={acc[1]})"):
        mc.functions.multicall([data(mc, "increment", 1), data(mc, "refuse", 9)]).transact({"from": acc[1]})
    assert mc.functions.counter().call() == 0


def test_multicall_rejects_ether(lib, mc):
    # web3 refuses to send value to a non-payable function, so send the raw transaction
    payload = mc.encode_abi("multicall", args=[[data(mc, "deposit"), data(mc, "deposit")]])
    with pytest.raises(ContractLogicError):
        lib.w3.eth.call({"from": lib.accounts[1], "to": mc.address, "data": payload, "value": 10})
    # without value the payable sub-calls see msg.value == 0: nothing can be credited twice
    lib.send(mc.functions.multicall([data(mc, "deposit"), data(mc, "deposit")]), sender=1)
    assert mc.functions.credits(lib.accounts[1]).call() == 0
    assert lib.w3.eth.get_balance(mc.address) == 0
    lib.send(mc.functions.deposit(), sender=1, value=10)  # payable functions are called directly
    assert mc.functions.credits(lib.accounts[1]).call() == 10


def test_multicall_nested(lib, mc):
    inner = data(mc, "multicall", [data(mc, "increment", 4), data(mc, "whoami")])
    [result] = mc.functions.multicall([inner]).call({"from": lib.accounts[3]})
    [inner_results] = decode(["bytes[]"], result)
    assert decode(["uint256"], inner_results[0])[0] == 4
    assert decode(["address"], inner_results[1])[0].lower() == lib.accounts[3].lower()


# ---------------------------------------------------------------- BatchCaller


@pytest.fixture
def batch(lib):
    return lib.deploy("BatchCaller")


@pytest.fixture
def target(lib):
    return lib.deploy("PatternsBatchTarget")


def test_aggregate(lib, batch, target):
    calls = [(target.address, 0, data(target, "store", 5)),
             (batch.address, 0, data(batch, "getBlockNumber")),
             (target.address, 0, data(target, "echo", b"xy"))]
    block, results = batch.functions.aggregate(calls).call()
    assert decode(["uint256"], results[0])[0] == 10
    assert decode(["uint256"], results[1])[0] == block
    assert decode(["bytes"], results[2])[0] == b"xy"
    receipt = lib.send(batch.functions.aggregate(calls), sender=1)
    assert lib.events(target, receipt, "PatternsBatchCalled") == [{"sender": batch.address, "value": 0, "x": 5}]
    assert target.functions.stored().call() == 5
    assert batch.functions.aggregate([]).call() == [block + 1, []]  # one block mined since


def test_aggregate_with_value_sums_exactly(lib, batch, target):
    other = lib.deploy("PatternsBatchTarget")
    eoa = lib.accounts[7]
    before = lib.w3.eth.get_balance(eoa)
    calls = [(target.address, 10, data(target, "store", 1)), (other.address, 20, data(other, "store", 2)),
             (eoa, 5, b""), (target.address, 0, data(target, "store", 3))]
    receipt = lib.send(batch.functions.aggregate(calls), sender=1, value=35)
    # (events of both targets, in call order)
    assert [(e["value"], e["x"]) for e in lib.events(target, receipt, "PatternsBatchCalled")] == [(10, 1), (20, 2), (0, 3)]
    assert target.functions.received().call() == 10 and other.functions.received().call() == 20
    assert lib.w3.eth.get_balance(eoa) == before + 5
    assert lib.w3.eth.get_balance(batch.address) == 0
    for sent in (34, 36, 0):
        with lib.reverts(batch, f"ValueMismatch(sent={sent}, required=35)"):
            batch.functions.aggregate(calls).transact({"from": lib.accounts[1], "value": sent})
    with lib.reverts(batch, "ValueMismatch(sent=1, required=0)"):
        batch.functions.aggregate([]).transact({"from": lib.accounts[1], "value": 1})
    with lib.reverts(batch, "ValueMismatch(sent=1, required=0)"):
        batch.functions.tryAggregate(False, []).transact({"from": lib.accounts[1], "value": 1})


def test_aggregate_failures(lib, batch, target):
    reason = selector("PatternsBatchRefused(uint256)") + encode(["uint256"], [4])
    calls = [(target.address, 0, data(target, "store", 1)), (target.address, 0, data(target, "refuse", 4))]
    with lib.reverts(batch, f"CallFailed(index=1, target={target.address}, reason=0x{reason.hex()})"):
        batch.functions.aggregate(calls).transact({"from": lib.accounts[0]})
    with lib.reverts(batch, f"CallFailed(index=1, target={target.address}, reason=0x{reason.hex()})"):
        batch.functions.tryAggregate(True, calls).transact({"from": lib.accounts[0]})
    assert target.functions.stored().call() == 0
    eoa = lib.accounts[6]
    nocode = [(target.address, 0, data(target, "store", 1)), (eoa, 0, b"\x01")]
    with lib.reverts(batch, f"NoCode(index=1, target={eoa})"):
        batch.functions.aggregate(nocode).transact({"from": lib.accounts[0]})
    with lib.reverts(batch, f"NoCode(index=0, target={ZERO})"):
        batch.functions.tryAggregate(True, [(ZERO, 0, b"\x01\x02\x03\x04")]).transact({"from": lib.accounts[0]})
    # an empty revert reason is kept as empty bytes
    with lib.reverts(batch, f"CallFailed(index=0, target={target.address}, reason=0x)"):
        batch.functions.aggregate([(target.address, 0, b"\xff\xff\xff\xff")]).transact({"from": lib.accounts[0]})


def test_try_aggregate_reports_and_refunds(lib, batch, target):
    acc = lib.accounts
    reason = selector("PatternsBatchRefused(uint256)") + encode(["uint256"], [8])
    calls = [(target.address, 3, data(target, "store", 6)),
             (target.address, 50, data(target, "refuse", 8)),
             (acc[6], 0, b"\x01"),
             (acc[6], 7, b""),
             (target.address, 11, data(target, "echo", b""))]  # echo is not payable -> fails, refunded
    results = batch.functions.tryAggregate(False, calls).call({"from": acc[1], "value": 71})
    assert [tuple(r) for r in results] == [
        (True, encode(["uint256"], [12])), (False, reason), (False, b""), (True, b""), (False, b"")]
    sender_before, eoa_before = lib.w3.eth.get_balance(acc[1]), lib.w3.eth.get_balance(acc[6])
    receipt = lib.send(batch.functions.tryAggregate(False, calls), sender=1, value=71)
    assert lib.events(batch, receipt, "Refunded") == [{"to": acc[1], "amount": 61}]
    fee = receipt["gasUsed"] * receipt["effectiveGasPrice"]
    assert lib.w3.eth.get_balance(acc[1]) == sender_before - fee - 10
    assert lib.w3.eth.get_balance(acc[6]) == eoa_before + 7
    assert target.functions.received().call() == 3
    assert lib.w3.eth.get_balance(batch.address) == 0
    # nothing fails: no refund, no event
    receipt = lib.send(batch.functions.tryAggregate(False, calls[:1]), sender=1, value=3)
    assert lib.events(batch, receipt, "Refunded") == []


def test_refund_to_a_contract_that_cannot_receive(lib, batch, target):
    user = lib.deploy("PatternsBatchUser")
    calls = [(target.address, 5, data(target, "refuse", 1)), (target.address, 2, data(target, "store", 1))]
    with lib.reverts(batch, f"RefundFailed(to={user.address}, amount=5)"):
        user.functions.tryAll(batch.address, calls).transact({"from": lib.accounts[0], "value": 7})
    # without a failed value call there is nothing to refund
    lib.send(user.functions.tryAll(batch.address, calls[1:]), value=2)
    assert target.functions.received().call() == 2


def test_try_block_and_aggregate_and_helpers(lib, batch, target):
    acc = lib.accounts
    lib.send(target.functions.store(1))
    lib.send(target.functions.store(2))
    calls = [(batch.address, 0, data(batch, "getBlockNumber")), (batch.address, 0, data(batch, "getLastBlockHash")),
             (batch.address, 0, data(batch, "getEthBalance", acc[2])),
             (batch.address, 0, data(batch, "getChainId"))]
    number, parent, results = batch.functions.tryBlockAndAggregate(True, calls).call()
    assert all(ok for ok, _ in results)
    assert decode(["uint256"], results[0][1])[0] == number
    assert results[1][1] == parent
    assert decode(["uint256"], results[2][1])[0] == lib.w3.eth.get_balance(acc[2])
    assert decode(["uint256"], results[3][1])[0] == lib.w3.eth.chain_id == batch.functions.getChainId().call()
    latest = lib.w3.eth.get_block("latest")
    assert number == batch.functions.getBlockNumber().call()
    assert number in (latest["number"], latest["number"] + 1)
    assert parent == lib.w3.eth.get_block(number - 1)["hash"]
    assert batch.functions.getBlockHash(latest["number"] - 1).call() == lib.w3.eth.get_block(latest["number"] - 1)["hash"]
    assert batch.functions.getBlockHash(number + 10).call() == b"\x00" * 32  # future block
    assert batch.functions.getEthBalance(acc[3]).call() == lib.w3.eth.get_balance(acc[3])
    assert batch.functions.getEthBalance(batch.address).call() == 0
    assert batch.functions.getCurrentBlockTimestamp().call() >= latest["timestamp"]
    assert batch.functions.getCurrentBlockGasLimit().call() > 0
    assert batch.functions.getCurrentBlockCoinbase().call() == latest["miner"]
    assert batch.functions.getBasefee().call() >= 0
    batch.functions.getCurrentBlockPrevrandao().call()
