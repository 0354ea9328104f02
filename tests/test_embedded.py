"""The embedded EVM: real py-evm, contracts compiled with real solc-js."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from eth_abi import encode
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3 import Web3
from web3.contract import Contract
from web3.exceptions import ContractLogicError, Web3RPCError

from smartdev.accounts import DEV_ACCOUNT_COUNT, DEV_BALANCE_WEI, DEV_HD_PATH, DEV_MNEMONIC
from smartdev.embedded import EmbeddedChain, delete_state, open_chain
from smartdev.errors import NodeError
from solc import compile_sources

HARDHAT_ACCOUNT_0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"

COUNTER_SOURCE = """
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Counter {
    error TooBig(uint256 given, uint256 max);
    event Incremented(address indexed by, uint256 amount, uint256 total);

    uint256 public count;
    uint256 public constant MAX = 1000;

    constructor(uint256 start) { count = start; }

    function increment(uint256 x) external {
        require(x > 0, "x must be positive");
        if (x > MAX) revert TooBig(x, MAX);
        count += x;
        emit Incremented(msg.sender, x, count);
    }

    function divide(uint256 d) external view returns (uint256) { return count / d; }

    function chainId() external view returns (uint256) { return block.chainid; }
}
"""

ERROR_STRING = bytes.fromhex("08c379a0") + encode(["string"], ["x must be positive"])
TOO_BIG = keccak(text="TooBig(uint256,uint256)")[:4] + encode(["uint256", "uint256"], [5000, 1000])
DIVISION_BY_ZERO = bytes.fromhex("4e487b71") + encode(["uint256"], [0x12])


# ------------------------------------------------------------------ helpers


def dev_account(index: int = 0) -> LocalAccount:
    """Dev account ``index``, derived like Hardhat and anvil do."""
    Account.enable_unaudited_hdwallet_features()
    return Account.from_mnemonic(DEV_MNEMONIC, account_path=f"{DEV_HD_PATH}/{index}")


def rpc(chain: EmbeddedChain, method: str, *params: Any) -> dict[str, Any]:
    """One wire-format request through ``chain.handle``."""
    return chain.handle({"jsonrpc": "2.0", "id": 7, "method": method, "params": list(params)})


def sign(w3: Web3, account: LocalAccount, tx: dict[str, Any]) -> bytes:
    """Fill nonce, chain id, gas and fees of ``tx`` and sign it with ``account``."""
    filled = {
        "nonce": w3.eth.get_transaction_count(account.address),
        "chainId": w3.eth.chain_id,
        "maxFeePerGas": 10 * 10**9,
        "maxPriorityFeePerGas": 10**9,
        "value": 0,
        **tx,
    }
    if "gas" not in filled:
        filled["gas"] = w3.eth.estimate_gas({**filled, "from": account.address})
    return account.sign_transaction(filled).raw_transaction


def send(w3: Web3, account: LocalAccount, tx: dict[str, Any]) -> Any:
    """Sign ``tx``, send it raw and return its receipt."""
    tx_hash = w3.eth.send_raw_transaction(sign(w3, account, tx))
    return w3.eth.wait_for_transaction_receipt(tx_hash, timeout=10)


def deploy_counter(w3: Web3, artifact: dict[str, Any], start: int = 5) -> Contract:
    """Deploy Counter(start) from dev account 0 with a signed raw transaction."""
    factory = w3.eth.contract(abi=artifact["abi"], bytecode=artifact["bytecode"])
    receipt = send(w3, dev_account(), {"data": factory.constructor(start).data_in_transaction})
    assert receipt.status == 1
    return w3.eth.contract(address=receipt.contractAddress, abi=artifact["abi"])


def increment(w3: Web3, counter: Contract, amount: int, **tx: Any) -> Any:
    """Send ``counter.increment(amount)`` from dev account 0; return the receipt."""
    data = counter.encode_abi("increment", [amount])
    return send(w3, dev_account(), {"to": counter.address, "data": data, **tx})


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="session")
def counter_artifact() -> dict[str, Any]:
    return compile_sources({"Counter.sol": COUNTER_SOURCE})["Counter"]


@pytest.fixture
def chain():
    with open_chain() as chain:
        yield chain


@pytest.fixture
def w3(chain: EmbeddedChain) -> Web3:
    return Web3(chain.provider())


@pytest.fixture
def counter(w3: Web3, counter_artifact: dict[str, Any]) -> Contract:
    return deploy_counter(w3, counter_artifact)


# ------------------------------------------------------------------ accounts and chain id


def test_dev_accounts_are_hardhat_accounts_and_funded(chain: EmbeddedChain, w3: Web3) -> None:
    assert dev_account(0).address == HARDHAT_ACCOUNT_0
    assert w3.eth.accounts[0] == HARDHAT_ACCOUNT_0
    assert w3.eth.accounts == [dev_account(i).address for i in range(DEV_ACCOUNT_COUNT)]
    assert w3.eth.get_balance(HARDHAT_ACCOUNT_0) == DEV_BALANCE_WEI
    assert rpc(chain, "eth_getBalance", HARDHAT_ACCOUNT_0)["result"] == hex(DEV_BALANCE_WEI)


def test_chain_id_defaults_to_1337(chain: EmbeddedChain) -> None:
    assert rpc(chain, "eth_chainId") == {"jsonrpc": "2.0", "id": 7, "result": "0x539"}
    assert rpc(chain, "net_version")["result"] == "1337"
    assert rpc(chain, "web3_clientVersion")["result"].startswith("smartdev-embedded/")


def test_configured_chain_id_is_used_everywhere(counter_artifact: dict[str, Any]) -> None:
    with open_chain(chain_id=31337) as chain:
        w3 = Web3(chain.provider())
        assert w3.eth.chain_id == 31337
        assert w3.net.version == "31337"
        counter = deploy_counter(w3, counter_artifact)  # EIP-155 signed for 31337
        assert counter.functions.chainId().call() == 31337
        other_chain = dev_account().sign_transaction(
            {"nonce": 1, "chainId": 1337, "to": HARDHAT_ACCOUNT_0, "value": 1, "gas": 21000,
             "maxFeePerGas": 10**10, "maxPriorityFeePerGas": 10**9}
        )
        with pytest.raises(Web3RPCError, match="invalid chain id for signer: have 1337 want 31337"):
            w3.eth.send_raw_transaction(other_chain.raw_transaction)
        assert w3.eth.get_transaction_count(HARDHAT_ACCOUNT_0) == 1


def test_legacy_eip155_transaction_is_accepted(w3: Web3) -> None:
    tx = {"nonce": 0, "chainId": 1337, "to": dev_account(1).address, "value": 12345,
          "gas": 21000, "gasPrice": w3.eth.gas_price}
    tx_hash = w3.eth.send_raw_transaction(dev_account().sign_transaction(tx).raw_transaction)
    receipt = w3.eth.get_transaction_receipt(tx_hash)
    assert receipt.status == 1 and receipt.type == 0
    assert w3.eth.get_transaction(tx_hash)["v"] in (1337 * 2 + 35, 1337 * 2 + 36)
    assert w3.eth.get_balance(dev_account(1).address) == DEV_BALANCE_WEI + 12345


# ------------------------------------------------------------------ contracts


def test_deploy_call_transact_and_events(w3: Web3, counter: Contract) -> None:
    assert w3.eth.get_code(counter.address) == bytes.fromhex(
        compile_sources({"Counter.sol": COUNTER_SOURCE})["Counter"]["deployedBytecode"][2:]
    )
    assert counter.functions.count().call() == 5
    receipt = increment(w3, counter, 3)
    assert receipt.status == 1
    assert receipt.to == counter.address and receipt.contractAddress is None
    (event,) = counter.events.Incremented().process_receipt(receipt)
    assert event.args == {"by": HARDHAT_ACCOUNT_0, "amount": 3, "total": 8}
    assert counter.functions.count().call() == 8
    assert w3.eth.get_storage_at(counter.address, 0) == (8).to_bytes(32, "big")
    assert w3.eth.block_number == receipt.blockNumber == 2


def test_sendtransaction_from_unlocked_dev_account(chain: EmbeddedChain, w3: Web3, counter: Contract) -> None:
    tx_hash = counter.functions.increment(2).transact({"from": w3.eth.accounts[1]})
    receipt = w3.eth.get_transaction_receipt(tx_hash)
    assert receipt.status == 1 and receipt["from"] == w3.eth.accounts[1]
    assert counter.functions.count().call() == 7
    no_gas = {"from": w3.eth.accounts[2], "to": counter.address, "data": counter.encode_abi("increment", [1])}
    sent = rpc(chain, "eth_sendTransaction", no_gas)["result"]
    assert w3.eth.get_transaction(sent)["gas"] > 21000 and counter.functions.count().call() == 8
    reverting = {**no_gas, "data": counter.encode_abi("increment", [0])}
    assert rpc(chain, "eth_sendTransaction", reverting)["error"]["data"] == "0x" + ERROR_STRING.hex()


@pytest.mark.parametrize(
    ("function", "argument", "error_type", "data"),
    [
        ("increment", 0, "ContractLogicError", ERROR_STRING),
        ("increment", 5000, "ContractCustomError", TOO_BIG),
        ("divide", 0, "ContractPanicError", DIVISION_BY_ZERO),
    ],
    ids=["error-string", "custom-error", "panic"],
)
@pytest.mark.parametrize("how", ["call", "estimate_gas"])
def test_revert_carries_raw_data(
    counter: Contract, how: str, function: str, argument: int, error_type: str, data: bytes
) -> None:
    bound = counter.get_function_by_name(function)(argument)
    with pytest.raises(ContractLogicError) as caught:
        getattr(bound, how)({"from": HARDHAT_ACCOUNT_0})
    assert type(caught.value).__name__ == error_type
    assert caught.value.data == "0x" + data.hex()


def test_revert_errors_on_the_wire(chain: EmbeddedChain, counter: Contract) -> None:
    with pytest.raises(ContractLogicError, match="execution reverted: x must be positive"):
        counter.functions.increment(0).call()
    panic = rpc(chain, "eth_estimateGas", {"to": counter.address, "data": counter.encode_abi("divide", [0])})
    assert panic["error"] == {"code": 3, "message": "execution reverted", "data": "0x" + DIVISION_BY_ZERO.hex()}
    response = rpc(chain, "eth_call", {"to": counter.address, "data": counter.encode_abi("increment", [0])})
    assert response["error"] == {
        "code": 3,
        "message": "execution reverted: x must be positive",
        "data": "0x" + ERROR_STRING.hex(),
    }


def test_call_and_estimate_need_no_balance(w3: Web3, counter: Contract) -> None:
    pauper = Account.create().address
    assert counter.functions.count().call({"from": pauper}) == 5
    assert counter.functions.increment(1).estimate_gas({"from": pauper}) > 21000


def test_reverting_transaction_is_mined_with_status_0(w3: Web3, counter: Contract) -> None:
    before = w3.eth.block_number
    receipt = increment(w3, counter, 0, gas=100_000)
    assert receipt.status == 0
    assert receipt.blockNumber == before + 1 and receipt.logs == []
    assert w3.eth.get_transaction_count(HARDHAT_ACCOUNT_0) == 2
    assert counter.functions.count().call() == 5


def stale_tx() -> dict[str, Any]:
    """A 1-wei transfer with nonce 0 on chain 1337."""
    return {"nonce": 0, "chainId": 1337, "to": HARDHAT_ACCOUNT_0, "value": 1, "gas": 21000,
            "maxFeePerGas": 10**10, "maxPriorityFeePerGas": 10**9}


def test_invalid_transactions_are_rejected(w3: Web3, counter: Contract) -> None:
    stale = dev_account().sign_transaction(stale_tx())
    with pytest.raises(Web3RPCError, match=f"nonce too low: address {HARDHAT_ACCOUNT_0}, tx: 0 state: 1"):
        w3.eth.send_raw_transaction(stale.raw_transaction)
    future = dev_account().sign_transaction({**stale_tx(), "nonce": 5})
    with pytest.raises(Web3RPCError, match=r"nonce too high: .* tx: 5 state: 1"):
        w3.eth.send_raw_transaction(future.raw_transaction)
    pauper = Account.create()
    broke = pauper.sign_transaction(stale_tx())
    with pytest.raises(Web3RPCError, match=rf"insufficient funds .* {pauper.address} have 0 want 210000000000001"):
        w3.eth.send_raw_transaction(broke.raw_transaction)
    assert w3.eth.block_number == 1


def test_handle_never_raises(chain: EmbeddedChain) -> None:
    assert rpc(chain, "eth_nope")["error"]["code"] == -32601
    assert rpc(chain, "eth_getBalance", "0xnot-an-address")["error"]["code"] == -32602
    assert rpc(chain, "eth_sendRawTransaction", "0x1234")["error"]["code"] == -32602
    assert rpc(chain, "eth_getBlockByNumber")["error"]["code"] == -32602
    assert chain.handle([1, 2])["error"]["code"] == -32600  # type: ignore[arg-type]
    assert chain.handle({"id": 3, "method": "eth_chainId", "params": {}})["error"]["code"] == -32600
    assert chain.handle({"id": 4, "method": "eth_chainId"}) == {"jsonrpc": "2.0", "id": 4, "result": "0x539"}


# ------------------------------------------------------------------ wire format


def _is_quantity(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("0x") and (value == "0x0" or value[2] != "0")


def test_wire_format_of_blocks_receipts_and_transactions(chain: EmbeddedChain, w3: Web3, counter: Contract) -> None:
    receipt = increment(w3, counter, 4)
    tx_hash = receipt.transactionHash.to_0x_hex()

    block = rpc(chain, "eth_getBlockByNumber", "latest", True)["result"]
    for key in ("number", "gasLimit", "gasUsed", "timestamp", "baseFeePerGas", "size", "difficulty"):
        assert _is_quantity(block[key]), (key, block[key])
    assert len(block["logsBloom"]) == 2 + 512 and int(block["logsBloom"], 16) != 0
    (tx,) = block["transactions"]
    assert tx["hash"] == tx_hash and tx["blockNumber"] == block["number"]
    assert tx["input"].startswith("0x") and tx["yParity"] in ("0x0", "0x1")
    assert "y_parity" not in tx and "block_hash" not in tx and "data" not in tx

    wire_receipt = rpc(chain, "eth_getTransactionReceipt", tx_hash)["result"]
    assert wire_receipt["status"] == "0x1" and wire_receipt["type"] == "0x2"
    assert wire_receipt["logsBloom"] == block["logsBloom"]
    assert "state_root" not in wire_receipt and "root" not in wire_receipt
    (log,) = wire_receipt["logs"]
    assert log["removed"] is False and "type" not in log and _is_quantity(log["logIndex"])

    deployment = rpc(chain, "eth_getTransactionReceipt", rpc(chain, "eth_getBlockByNumber", "0x1", False)
                     ["result"]["transactions"][0])["result"]
    assert deployment["to"] is None and deployment["contractAddress"] == counter.address
    assert deployment["logsBloom"] == "0x" + "00" * 256

    by_hash = rpc(chain, "eth_getTransactionByHash", tx_hash)["result"]
    assert by_hash == tx
    assert _is_quantity(by_hash["gasPrice"]) and _is_quantity(by_hash["r"])


def test_fee_history_follows_geth(chain: EmbeddedChain, w3: Web3, counter: Contract) -> None:
    increment(w3, counter, 1)
    history = rpc(chain, "eth_feeHistory", "0x2", "latest", [50])["result"]
    assert history["oldestBlock"] == "0x1"
    assert len(history["baseFeePerGas"]) == 3 and all(_is_quantity(f) for f in history["baseFeePerGas"])
    assert history["baseFeePerGas"][-1] == hex(w3.eth.get_block("pending")["baseFeePerGas"])
    assert len(history["gasUsedRatio"]) == 2 and 0 < history["gasUsedRatio"][1] < 1
    assert history["reward"] == [["0x3b9aca00"], ["0x3b9aca00"]]
    assert w3.eth.fee_history(1, "latest")["oldestBlock"] == 2


def test_get_logs_filters(chain: EmbeddedChain, w3: Web3, counter: Contract) -> None:
    first = increment(w3, counter, 1)
    second = increment(w3, counter, 2)
    topic = counter.events.Incremented().topic
    everything = w3.eth.get_logs({"fromBlock": 0, "toBlock": "latest", "address": counter.address})
    assert [log.blockNumber for log in everything] == [first.blockNumber, second.blockNumber]
    ranged = w3.eth.get_logs({"fromBlock": second.blockNumber, "toBlock": second.blockNumber, "topics": [topic]})
    assert [log.transactionHash for log in ranged] == [second.transactionHash]
    by_sender = "0x" + bytes(12).hex() + dev_account(1).address[2:].lower()
    assert w3.eth.get_logs({"fromBlock": 0, "topics": [topic, by_sender]}) == []
    by_hash = w3.eth.get_logs({"blockHash": first.blockHash})
    assert [log.transactionHash for log in by_hash] == [first.transactionHash]
    assert rpc(chain, "eth_getLogs", {"fromBlock": "0x0", "bogus": 1})["error"]["code"] == -32602


def test_batch_through_the_provider(w3: Web3) -> None:
    with w3.batch_requests() as batch:
        batch.add(w3.eth.get_block(0))
        batch.add(w3.eth.get_balance(HARDHAT_ACCOUNT_0))
        block, balance = batch.execute()
    assert block.number == 0 and balance == DEV_BALANCE_WEI


# ------------------------------------------------------------------ snapshots


def test_snapshot_revert_and_mine(chain: EmbeddedChain, w3: Web3, counter: Contract) -> None:
    snapshot = rpc(chain, "evm_snapshot")["result"]
    head = w3.eth.block_number
    increment(w3, counter, 10)
    assert counter.functions.count().call() == 15
    assert rpc(chain, "evm_revert", snapshot)["result"] is True
    assert counter.functions.count().call() == 5
    assert w3.eth.block_number == head
    assert rpc(chain, "evm_revert", "0x99")["result"] is False
    assert rpc(chain, "evm_mine")["result"] == "0x0"
    assert w3.eth.block_number == head + 1
    later = w3.eth.get_block("latest")["timestamp"] + 1000
    rpc(chain, "evm_mine", hex(later))
    assert w3.eth.get_block("latest")["timestamp"] == later
    assert increment(w3, counter, 1).status == 1  # the chain goes on after a revert


# ------------------------------------------------------------------ persistence


def test_state_survives_close_and_reopen(tmp_path: Path, counter_artifact: dict[str, Any]) -> None:
    state = tmp_path / "chain.db"
    with open_chain(state_file=state) as chain:
        w3 = Web3(chain.provider())
        counter = deploy_counter(w3, counter_artifact, start=40)
        increment(w3, counter, 2)
        send(w3, dev_account(), {"to": dev_account(2).address, "value": 10**18})
        expected = {
            "block": w3.eth.block_number,
            "head": w3.eth.get_block("latest")["hash"],
            "balance": w3.eth.get_balance(dev_account(2).address),
            "code": w3.eth.get_code(counter.address),
        }
    with open_chain(state_file=state) as chain:
        w3 = Web3(chain.provider())
        counter = w3.eth.contract(address=counter.address, abi=counter_artifact["abi"])
        assert w3.eth.block_number == expected["block"] == 3
        assert w3.eth.get_block("latest")["hash"] == expected["head"]
        assert w3.eth.get_balance(dev_account(2).address) == expected["balance"] == DEV_BALANCE_WEI + 10**18
        assert w3.eth.get_code(counter.address) == expected["code"]
        assert counter.functions.count().call() == 42
        assert w3.eth.get_storage_at(counter.address, 0) == (42).to_bytes(32, "big")
        assert increment(w3, counter, 1).blockNumber == 4  # nonces continue


def test_snapshot_revert_is_persisted(tmp_path: Path, counter_artifact: dict[str, Any]) -> None:
    state = tmp_path / "chain.db"
    with open_chain(state_file=state) as chain:
        w3 = Web3(chain.provider())
        counter = deploy_counter(w3, counter_artifact)
        snapshot = rpc(chain, "evm_snapshot")["result"]
        increment(w3, counter, 7)
        assert rpc(chain, "evm_revert", snapshot)["result"] is True
    with open_chain(state_file=state) as chain:
        w3 = Web3(chain.provider())
        assert w3.eth.block_number == 1
        assert w3.eth.contract(address=counter.address, abi=counter_artifact["abi"]).functions.count().call() == 5


def test_uncommitted_writes_are_not_in_the_file(tmp_path: Path) -> None:
    state = tmp_path / "chain.db"
    with open_chain(state_file=state) as chain:
        rpc(chain, "evm_mine")
        chain.commit()
        rpc(chain, "evm_mine")
        with sqlite3.connect(state) as reader:  # another connection sees committed data only
            committed = reader.execute("SELECT count(*) FROM kv").fetchone()[0]
        chain.commit()
        with sqlite3.connect(state) as reader:
            assert reader.execute("SELECT count(*) FROM kv").fetchone()[0] > committed


def test_reopen_with_another_chain_id_fails(tmp_path: Path) -> None:
    state = tmp_path / "chain.db"
    open_chain(state_file=state).close()
    with pytest.raises(NodeError, match=r"belongs to chain 1337, not chain 5"):
        open_chain(chain_id=5, state_file=state)
    open_chain(state_file=state).close()  # the failed open released the lock


def test_state_file_is_locked_while_open(tmp_path: Path) -> None:
    state = tmp_path / "chain.db"
    with open_chain(state_file=state):
        with pytest.raises(NodeError, match=rf"is in use by another node \(pid {os.getpid()}\)"):
            open_chain(state_file=state)
        with pytest.raises(NodeError, match="in use"):
            delete_state(state)
    with open_chain(state_file=state) as chain:
        assert chain.state_file == state


def test_garbage_state_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.db"
    content = b"this is not sqlite at all\x00\x01" * 100
    garbage.write_bytes(content)
    with pytest.raises(NodeError, match=str(garbage)):
        open_chain(state_file=garbage)
    assert garbage.read_bytes() == content


def test_foreign_sqlite_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    content = foreign.read_bytes()
    with pytest.raises(NodeError, match="not a smartdev chain state file"):
        open_chain(state_file=foreign)
    assert foreign.read_bytes() == content


def test_delete_state_removes_the_file_and_sidecars(tmp_path: Path) -> None:
    state = tmp_path / "chain.db"
    open_chain(state_file=state).close()
    assert state.exists()
    delete_state(state)
    assert list(tmp_path.iterdir()) == []
    with open_chain(state_file=state) as chain:
        assert rpc(chain, "eth_blockNumber")["result"] == "0x0"


def test_block_receipts_are_the_transaction_receipts(chain: EmbeddedChain, w3: Web3, counter: Contract) -> None:
    """eth_getBlockReceipts (what `smartdev export` reads) answers a block's receipts at once,
    equal to eth_getTransactionReceipt's, by number, tag or hash; null for an unknown block."""
    receipt = increment(w3, counter, 5)
    number = receipt["blockNumber"]
    by_number = w3.provider.make_request("eth_getBlockReceipts", [hex(number)])["result"]
    single = w3.provider.make_request("eth_getTransactionReceipt", ["0x" + bytes(receipt["transactionHash"]).hex()])
    assert by_number == [single["result"]]
    assert by_number[0]["logs"] and by_number[0]["status"] == "0x1"
    block_hash = "0x" + bytes(receipt["blockHash"]).hex()
    assert w3.provider.make_request("eth_getBlockReceipts", [block_hash])["result"] == by_number
    assert w3.provider.make_request("eth_getBlockReceipts", ["latest"])["result"] == by_number
    assert w3.provider.make_request("eth_getBlockReceipts", [hex(number + 50)])["result"] is None
