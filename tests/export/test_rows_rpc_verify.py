"""smartdev.export.rpc, rows and verify against real nodes.

The embedded chain (served over HTTP by smartdev.chain.server) and anvil each run a
workload: a deployment, calls that emit logs (no, two and four topics), legacy
(EIP-155 and unprotected), access-list and EIP-1559 transactions, a reverted call, a
failed deployment, a plain transfer; on anvil also several transactions in one block
and an EIP-7702 set-code transaction. Rows fetched from each node verify clean, and
changing any single stored field of any table is detected. RPC failures (refused
connections, 5xx, timeouts, errors in a batch, a node without eth_getBlockReceipts)
go through a small proxy in front of the embedded chain.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartdev.errors import ExitStatus, NetworkError, NotFoundError
from smartdev.export import verify
from smartdev.export.rows import rows_for
from smartdev.export.rpc import BlockNotFound, ChainChanged, RpcClient, RpcError
from smartdev.export.sinks.schema import CORE_TABLES
from smartdev.export.verify import verify_block, verify_rows

CORE = {spec.name: spec for spec in CORE_TABLES if spec.name in ("blocks", "transactions", "receipts", "logs")}


def _assemble(*parts: str) -> str:
    return "".join(parts)


# A contract in raw EVM code: calldata starting with 0xff reverts; anything else emits
# LOG2(data=calldata, topics=[1, caller]), LOG0(data=calldata) and
# LOG4(data=empty, topics=[2, 3, 4, caller]).
LOGGER_RUNTIME = _assemble(
    "36600060003760005160f81c80",  # copy calldata to memory; selector byte, duplicated
    "60ff14602c5750",  # == 0xff -> revert (at 0x2c); pop
    "336001366000a2",  # LOG2
    "366000a0",  # LOG0
    "33600460036002600060" "00a4",  # LOG4
    "00",  # STOP
    "5b60006000fd",  # revert
)
LOGGER_INIT = "0x60" + f"{len(LOGGER_RUNTIME) // 2:02x}" + "80600b6000396000f3" + LOGGER_RUNTIME
REVERTING_INIT = "0x60006000fd"
TOPIC = "0x" + "00" * 31 + "{:02x}"
GWEI = 10**9


# ---------------------------------------------------------------- the nodes


class Driver:
    """Signs and sends the workload's transactions through an RpcClient."""

    def __init__(self, url: str) -> None:
        from smartdev.accounts import dev_signers

        self.client = RpcClient(url)
        self.chain_id = self.client.chain_id()
        self.signers = dev_signers()
        self.nonces: dict[str, int] = {}
        self.txs: dict[str, str] = {}

    def address(self, who: int) -> str:
        return self.signers[who].address

    def sign(self, who: int, tx: dict[str, Any], *, protected: bool = True) -> str:
        signer = self.signers[who]
        nonce = self.nonces.get(signer.address)
        if nonce is None:
            nonce = int(self.client.call("eth_getTransactionCount", signer.address, "latest"), 16)
        self.nonces[signer.address] = nonce + 1
        tx = {"nonce": nonce, "value": 0, **tx}
        if protected:
            tx["chainId"] = self.chain_id
        if tx.get("type", 0) >= 2:
            tx.setdefault("maxFeePerGas", 100 * GWEI)
            tx.setdefault("maxPriorityFeePerGas", GWEI)
        else:
            tx.setdefault("gasPrice", 100 * GWEI)
        return "0x" + signer.sign_transaction(tx).hex()

    def send(self, name: str, who: int, tx: dict[str, Any], **options: Any) -> str:
        raw = self.sign(who, tx, **options)
        tx_hash = self.client.call("eth_sendRawTransaction", raw)
        self.txs[name] = tx_hash
        return tx_hash

    def receipt(self, tx_hash: str) -> dict[str, Any]:
        deadline = time.monotonic() + 10
        while (receipt := self.client.call("eth_getTransactionReceipt", tx_hash)) is None:
            assert time.monotonic() < deadline, f"no receipt for {tx_hash}"
            time.sleep(0.02)
        return receipt


def _checksum(address: str) -> str:
    from eth_utils import to_checksum_address

    return to_checksum_address(address)


def run_workload(url: str, *, anvil: bool) -> dict[str, Any]:
    """Drive the node; the rows of all its blocks and what was sent."""
    driver = Driver(url)
    deploy = driver.send("deploy", 0, {"type": 2, "data": LOGGER_INIT, "gas": 200_000})
    logger = _checksum(driver.receipt(deploy)["contractAddress"])
    driver.send("legacy", 0, {"to": logger, "data": "0x0102", "gas": 100_000})
    driver.send("unprotected", 1, {"to": logger, "data": "0x0a0b0c", "gas": 100_000}, protected=False)
    driver.send("access list", 0, {"type": 1, "to": logger, "data": "0x0304", "gas": 100_000,
                                   "accessList": [{"address": logger, "storageKeys": [TOPIC.format(1)]}]})
    driver.send("1559", 1, {"type": 2, "to": logger, "data": "0x05", "gas": 100_000, "value": 7})
    driver.send("reverted", 0, {"type": 2, "to": logger, "data": "0xff01", "gas": 100_000})
    driver.send("failed deploy", 2, {"type": 2, "data": REVERTING_INIT, "gas": 100_000})
    driver.send("legacy deploy", 2, {"data": LOGGER_INIT, "gas": 200_000})
    last = driver.send("transfer", 0, {"type": 2, "to": driver.address(1), "gas": 21_000, "value": 12345})
    if anvil:
        from eth_account import Account

        driver.receipt(last)
        driver.client.call("evm_setAutomine", False)
        for i, who in enumerate((0, 1, 2)):
            driver.send(f"batched {i}", who, {"type": 2, "to": logger, "data": f"0x0{i + 6}", "gas": 100_000})
        driver.client.call("evm_mine")
        driver.client.call("evm_setAutomine", True)
        authority = Account.from_key(b"\x42" * 32)
        authorization = Account.sign_authorization(
            {"chainId": driver.chain_id, "address": logger, "nonce": 0}, authority.key)
        last = driver.send("set code", 3, {"type": 4, "to": authority.address, "data": "0x09", "gas": 200_000,
                                           "authorizationList": [authorization]})
        driver.authority = authority.address.lower()  # type: ignore[attr-defined]
    driver.receipt(last)
    head = driver.client.head()
    blocks = driver.client.blocks(0, head)
    receipts = driver.client.receipts(blocks)
    return {
        "url": url,
        "client": driver.client,
        "chain_id": driver.chain_id,
        "txs": driver.txs,
        "logger": logger.lower(),
        "senders": [driver.address(i).lower() for i in range(4)],
        "authority": getattr(driver, "authority", None),
        "head": head,
        "blocks": blocks,
        "receipts": receipts,
        "rows": rows_for(blocks, receipts),
    }


class EmbeddedNode:
    """An embedded chain behind smartdev's HTTP server, in this process."""

    def __init__(self) -> None:
        from smartdev.chain.server import serve
        from smartdev.embedded import open_chain

        self.chain = open_chain()
        self.server = serve(self.chain, port=0)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = self.server.url

    def close(self) -> None:
        self.server.shutdown()
        self.thread.join()
        self.chain.close()


@pytest.fixture(scope="module")
def embedded():
    node = EmbeddedNode()
    info = run_workload(node.url, anvil=False)
    info["chain"] = node.chain
    yield info
    info["client"].close()
    node.close()


@pytest.fixture(scope="module")
def anvil():
    from smartdev.localnode import find_anvil, free_port, wait_for_rpc

    binary = find_anvil()
    if binary is None:
        pytest.skip("anvil not installed (make anvil)")
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--silent"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_rpc(url, process, timeout=30)
        info = run_workload(url, anvil=True)
        yield info
        info["client"].close()
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(params=["embedded", "anvil"])
def node(request) -> dict[str, Any]:
    return request.getfixturevalue(request.param)


def _tx(node: dict[str, Any], name: str) -> dict[str, Any]:
    tx_hash = node["txs"][name]
    return next(row for row in node["rows"]["transactions"] if row["hash"] == tx_hash)


def _receipt(node: dict[str, Any], name: str) -> dict[str, Any]:
    tx_hash = node["txs"][name]
    return next(row for row in node["rows"]["receipts"] if row["transaction_hash"] == tx_hash)


def _logs(node: dict[str, Any], name: str) -> list[dict[str, Any]]:
    tx_hash = node["txs"][name]
    return [row for row in node["rows"]["logs"] if row["transaction_hash"] == tx_hash]


# ---------------------------------------------------------------- rows from real nodes


def test_rows_from_the_node_verify_clean(node: dict[str, Any]) -> None:
    rows = node["rows"]
    assert len(rows["blocks"]) == node["head"] + 1
    assert len(rows["transactions"]) == len(rows["receipts"]) == len(node["txs"])
    assert verify_rows(rows) == []
    for block in rows["blocks"]:
        number = block["number"]
        assert verify_block(
            block,
            [r for r in rows["transactions"] if r["block_number"] == number],
            [r for r in rows["receipts"] if r["block_number"] == number],
            [r for r in rows["logs"] if r["block_number"] == number],
        ) == []


def test_rows_follow_the_schema(node: dict[str, Any]) -> None:
    """Keys in table order; every value of the Python type its column kind says."""
    def fits(value: Any, kind: str) -> bool:
        if kind in ("int64", "uint256"):
            return type(value) is int and value >= 0 and (kind == "uint256" or value < 2**63)
        if kind == "hex":
            return isinstance(value, str) and value.startswith("0x") and value == value.lower() \
                and all(c in "0123456789abcdef" for c in value[2:])
        if kind == "address":
            return fits(value, "hex") and len(value) == 42
        if kind == "json":
            return isinstance(value, (list, dict)) and json.loads(json.dumps(value)) == value
        raise AssertionError(kind)

    for table, spec in CORE.items():
        assert node["rows"][table], table
        for row in node["rows"][table]:
            assert list(row) == spec.column_names, table
            for column in spec.columns:
                value = row[column.name]
                if value is None:
                    assert column.nullable, f"{table}.{column.name} is None"
                else:
                    assert fits(value, column.kind), f"{table}.{column.name} = {value!r}"


def test_rows_hold_what_was_sent(node: dict[str, Any]) -> None:
    chain_id, logger, senders = node["chain_id"], node["logger"], node["senders"]
    deploy = _tx(node, "deploy")
    assert deploy["to_address"] is None and deploy["type"] == 2 and deploy["from_address"] == senders[0]
    assert _receipt(node, "deploy")["contract_address"] == logger
    legacy = _tx(node, "legacy")
    assert (legacy["type"], legacy["chain_id"], legacy["y_parity"], legacy["access_list"]) == (0, chain_id, None, None)
    assert legacy["v"] in (chain_id * 2 + 35, chain_id * 2 + 36) and legacy["max_fee_per_gas"] is None
    unprotected = _tx(node, "unprotected")
    assert unprotected["chain_id"] is None and unprotected["v"] in (27, 28)
    access = _tx(node, "access list")
    assert access["type"] == 1 and access["access_list"] == [{"address": logger, "storage_keys": [TOPIC.format(1)]}]
    dynamic = _tx(node, "1559")
    assert (dynamic["value"], dynamic["max_fee_per_gas"], dynamic["max_priority_fee_per_gas"]) == (7, 100 * GWEI, GWEI)
    assert dynamic["y_parity"] == dynamic["v"] and dynamic["chain_id"] == chain_id and dynamic["access_list"] == []
    assert _tx(node, "transfer")["value"] == 12345 and _receipt(node, "transfer")["status"] == 1
    reverted = _receipt(node, "reverted")
    assert reverted["status"] == 0 and _logs(node, "reverted") == []
    assert _receipt(node, "failed deploy")["status"] == 0
    assert _receipt(node, "legacy deploy")["contract_address"] not in (None, logger)

    logs = _logs(node, "legacy")
    sender_topic = "0x" + "00" * 12 + senders[0][2:]
    assert [(log["address"], log["topic0"], log["topic1"], log["topic2"], log["topic3"], log["data"]) for log in logs] == [
        (logger, TOPIC.format(1), sender_topic, None, None, "0x0102"),
        (logger, None, None, None, None, "0x0102"),
        (logger, TOPIC.format(2), TOPIC.format(3), TOPIC.format(4), sender_topic, "0x"),
    ]
    assert [log["log_index"] for log in logs] == [0, 1, 2]


def test_anvil_rows_of_a_block_with_several_transactions_and_set_code(anvil: dict[str, Any]) -> None:
    batched = [_tx(anvil, f"batched {i}") for i in range(3)]
    number = batched[0]["block_number"]
    assert {tx["block_number"] for tx in batched} == {number}
    assert sorted(tx["transaction_index"] for tx in batched) == [0, 1, 2]
    logs = [log for log in anvil["rows"]["logs"] if log["block_number"] == number]
    assert [log["log_index"] for log in logs] == list(range(9))
    assert [log["transaction_index"] for log in logs] == [0, 0, 0, 1, 1, 1, 2, 2, 2]
    receipts = sorted((r for r in anvil["rows"]["receipts"] if r["block_number"] == number),
                      key=lambda r: r["transaction_index"])
    assert receipts[2]["cumulative_gas_used"] == sum(r["gas_used"] for r in receipts)
    set_code = _tx(anvil, "set code")
    assert set_code["type"] == 4
    [authorization] = set_code["authorization_list"]
    assert (authorization["chain_id"], authorization["address"], authorization["nonce"]) == \
        (anvil["chain_id"], anvil["logger"], 0)
    assert anvil["client"].receipts_method == "eth_getBlockReceipts"

    # Log indexes are positions in the block, also from a node that numbers them per
    # transaction (as eth-tester does).
    receipts = [[{**receipt, "logs": [{**log, "logIndex": hex(i)} for i, log in enumerate(receipt["logs"])]}
                 for receipt in block_receipts] for block_receipts in anvil["receipts"]]
    assert rows_for(anvil["blocks"], receipts) == anvil["rows"]


# ---------------------------------------------------------------- tampering


_JSON_EXTRA = {
    "withdrawals": {"index": 0, "validator_index": 0, "address": "0x" + "00" * 20, "amount": 1},
    "uncles": "0x" + "11" * 32,
    "access_list": {"address": "0x" + "22" * 20, "storage_keys": []},
    "blob_versioned_hashes": "0x01" + "33" * 31,
    "authorization_list": {"chain_id": 1, "address": "0x" + "44" * 20, "nonce": 0, "y_parity": 0,
                           "r": "0x1", "s": "0x1"},
}


def _changed(value: Any, kind: str, column: str) -> Any:
    """A different value of the same kind."""
    if value is None:
        return {"int64": 7, "uint256": 7, "hex": "0x01", "address": "0x" + "11" * 20}.get(kind, [])
    if kind in ("int64", "uint256"):
        return value + 1
    if kind in ("hex", "address"):
        if value == "0x":
            return "0x00"
        return value[:-1] + ("1" if value[-1] != "1" else "2")
    if kind == "json":
        if not value:
            return [_JSON_EXTRA[column]]
        first = value[0]
        if isinstance(first, str):
            return [_changed(first, "hex", column), *value[1:]]
        key = next(k for k in first if k != "address") if len(first) > 1 else "address"
        if isinstance(first[key], list):
            changed = first[key] + ["0x" + "55" * 32]
        else:
            changed = _changed(first[key], "int64" if isinstance(first[key], int) else "hex", column)
        return [{**first, key: changed}, *value[1:]]
    raise AssertionError(kind)


# Columns no commitment covers (see smartdev.export.verify's docstring).
UNCHECKED = {("blocks", "size")}


def test_tampering_any_field_of_any_table_is_detected(node: dict[str, Any]) -> None:
    rows = node["rows"]
    checked = 0
    for table, spec in CORE.items():
        for index, row in enumerate(rows[table]):
            number = row["number"] if table == "blocks" else row["block_number"]
            for column in spec.columns:
                if (table, column.name) in UNCHECKED:
                    continue
                bad = dict(row)
                bad[column.name] = _changed(row[column.name], column.kind, column.name)
                assert bad[column.name] != row[column.name]
                tampered = {**rows, table: [*rows[table][:index], bad, *rows[table][index + 1:]]}
                problems = verify_rows(tampered)
                where = f"{table}.{column.name} of block {number}: {row[column.name]!r} -> {bad[column.name]!r}"
                assert problems, f"not detected: {where}"
                named = {number, bad[column.name]} if column.name in ("number", "block_number") else {number}
                assert any(p.startswith(tuple(f"block {n}:" for n in named)) for p in problems), (where, problems)
                checked += 1
    assert checked > 300


def test_tampering_reports_block_and_table(node: dict[str, Any]) -> None:
    rows = node["rows"]

    def problems_after(table: str, match: Callable[[dict], bool], **changes: Any) -> tuple[int, list[str]]:
        index = next(i for i, row in enumerate(rows[table]) if match(row))
        row = {**rows[table][index], **changes}
        number = row.get("block_number", row.get("number"))
        return number, verify_rows({**rows, table: [*rows[table][:index], row, *rows[table][index + 1:]]})

    legacy_hash = node["txs"]["legacy"]
    number, problems = problems_after("logs", lambda r: r["transaction_hash"] == legacy_hash, data="0x0103")
    assert problems == [f"block {number}: receipts root mismatch (receipts or logs table)"]

    transfer = _tx(node, "transfer")
    number, problems = problems_after("transactions", lambda r: r is transfer, value=12346)
    assert f"block {number}: transactions root mismatch (transactions table)" in problems
    assert f"block {number}: transaction {transfer['hash']}: hash does not match its fields (transactions table)" in problems
    assert f"block {number}: transaction {transfer['hash']}: sender does not match the signature (transactions table)" in problems

    number, problems = problems_after("receipts", lambda r: r["transaction_hash"] == node["txs"]["reverted"], status=1)
    assert problems == [f"block {number}: receipts root mismatch (receipts or logs table)"]

    number, problems = problems_after("transactions", lambda r: r is transfer, from_address=node["senders"][3])
    assert problems == [f"block {number}: transaction {transfer['hash']}: sender does not match the signature (transactions table)"]

    number, problems = problems_after("blocks", lambda r: r["number"] == 1, state_root="0x" + "00" * 32)
    assert problems == ["block 1: block hash mismatch (blocks table)"]

    number, problems = problems_after("blocks", lambda r: r["number"] == 2, parent_hash="0x" + "00" * 32)
    assert "block 2: parent hash is not block 1's hash (blocks table)" in problems

    # A transaction left out: the block's count, its root and its receipt all say so.
    number = transfer["block_number"]
    problems = verify_rows({**rows, "transactions": [r for r in rows["transactions"] if r is not transfer]})
    assert f"block {number}: 0 transactions stored, the block has 1 (transactions table)" in problems
    assert f"block {number}: transactions root mismatch (transactions table)" in problems


def test_rows_of_a_block_not_exported_and_links_to_the_previous_block(embedded: dict[str, Any]) -> None:
    rows = embedded["rows"]
    without_block_1 = {**rows, "blocks": [b for b in rows["blocks"] if b["number"] != 1]}
    problems = verify_rows(without_block_1)
    assert "block 1: 1 rows of a block not in the blocks table (transactions table)" in problems
    assert "block 1: 1 rows of a block not in the blocks table (receipts table)" in problems

    later = {table: [r for r in table_rows if r.get("block_number", r.get("number")) >= 3]
             for table, table_rows in rows.items()}
    block_2 = next(b for b in rows["blocks"] if b["number"] == 2)
    assert verify_rows(later, previous=block_2) == []
    wrong_parent = {**block_2, "hash": "0x" + "99" * 32}
    assert verify_rows(later, previous=wrong_parent) == ["block 3: parent hash is not block 2's hash (blocks table)"]
    heavier = {**block_2, "total_difficulty": block_2["total_difficulty"] + 1}
    assert verify_rows(later, previous=heavier) == \
        ["block 3: total difficulty is not block 2's plus the difficulty (blocks table)"]


def test_malformed_rows_are_problems_not_crashes(embedded: dict[str, Any]) -> None:
    rows = embedded["rows"]
    tx = _tx(embedded, "legacy")
    number = tx["block_number"]
    parts = {table: [r for r in rows[table] if r.get("block_number", r.get("number")) == number]
             for table in CORE}
    [block] = parts["blocks"]

    bad_tx = {**tx, "input": "0xzz"}
    problems = verify_block(block, [bad_tx], parts["receipts"], parts["logs"])
    assert any(p.startswith(f"block {number}: malformed value (ValueError") and p.endswith("(transactions table)")
               for p in problems), problems

    receipt = dict(parts["receipts"][0])
    del receipt["cumulative_gas_used"]
    problems = verify_block(block, parts["transactions"], [receipt], parts["logs"])
    assert f"block {number}: malformed value (KeyError: 'cumulative_gas_used') (receipts or logs table)" in problems

    problems = verify_block(block, [{**tx, "transaction_index": "0"}, {**tx, "transaction_index": 1}], [], [])
    assert len(problems) == 1
    assert problems[0].startswith(f"block {number}: malformed index (TypeError: '<' not supported between")
    assert problems[0].endswith("(transactions, receipts or logs table)")

    problems = verify_block({**block, "hash": None}, parts["transactions"], parts["receipts"], parts["logs"])
    assert f"block {number}: block hash mismatch (blocks table)" in problems

    problems = verify_block(block, [{**tx, "type": 0x7E}], parts["receipts"], parts["logs"])
    assert f"block {number}: transaction {tx['hash']}: type 126 is unknown, cannot check it (transactions table)" in problems


def test_rows_for_refuses_receipts_of_other_blocks(embedded: dict[str, Any]) -> None:
    blocks, receipts = embedded["blocks"], embedded["receipts"]
    with pytest.raises(ValueError, match="3 blocks but receipts for 2"):
        rows_for(blocks[:3], receipts[:2])
    with pytest.raises(ValueError, match="block 1: 1 transactions but 0 receipts"):
        rows_for(blocks[1:2], [[]])


# ---------------------------------------------------------------- encodings


@settings(max_examples=300, deadline=None)
@given(st.recursive(st.binary(max_size=80), lambda children: st.lists(children, max_size=6), max_leaves=40))
def test_rlp_encoding_matches_the_rlp_library(item: Any) -> None:
    from rlp.codec import encode_raw

    assert verify.rlp_encode(item) == encode_raw(item)


def test_trie_root_of_nothing_and_of_a_list() -> None:
    import rlp
    from trie import HexaryTrie

    assert verify.trie_root([]) == verify.BLANK_ROOT == HexaryTrie({}).root_hash
    items = [bytes([i]) * (i + 1) for i in range(130)]  # keys past rlp(127) change length
    trie = HexaryTrie({})
    for i, item in enumerate(items):
        trie[rlp.encode(i)] = item
    assert verify.trie_root(items) == trie.root_hash


SIGNED_CASES = {
    "legacy": {"to": "0x" + "12" * 20, "gasPrice": 5, "chainId": 7},
    "unprotected": {"to": None, "gasPrice": 5},
    "access list": {"type": 1, "to": "0x" + "12" * 20, "gasPrice": 5, "chainId": 7,
                    "accessList": [{"address": "0x" + "34" * 20, "storageKeys": ["0x" + "56" * 32, "0x" + "00" * 32]}]},
    "1559": {"type": 2, "to": None, "maxFeePerGas": 9, "maxPriorityFeePerGas": 2, "chainId": 2**64},
    "blob": {"type": 3, "to": "0x" + "12" * 20, "maxFeePerGas": 9, "maxPriorityFeePerGas": 2,
             "maxFeePerBlobGas": 3, "chainId": 7, "blobVersionedHashes": ["0x01" + "33" * 31, "0x01" + "44" * 31]},
    "set code": {"type": 4, "to": "0x" + "12" * 20, "maxFeePerGas": 9, "maxPriorityFeePerGas": 2, "chainId": 7},
}


@pytest.mark.parametrize("case", list(SIGNED_CASES))
def test_transaction_encodings_match_eth_account(case: str) -> None:
    """Every transaction type, signed by eth-account (an independent encoder): the row's
    encoding hashes to the signed hash and its signature recovers the sender. Blob
    transactions are checked here only: anvil 1.7.1 computes a block's transactions root
    over a blob transaction's network form (with its blobs, commitments and proofs), so
    blocks with blobs do not verify on it."""
    from eth_account import Account
    from eth_hash.auto import keccak
    from eth_utils import to_checksum_address

    key = b"\x07" * 32
    sender = Account.from_key(key).address.lower()
    fields = dict(SIGNED_CASES[case])
    tx: dict[str, Any] = {"nonce": 3, "gas": 90_000, "value": 10**20, "data": "0x" + "ab" * 40, **fields}
    if tx["to"] is None:
        del tx["to"]
    else:
        tx["to"] = to_checksum_address(tx["to"])
    if case == "set code":
        tx["authorizationList"] = [Account.sign_authorization(
            {"chainId": 7, "address": "0x" + "9a" * 20, "nonce": 1}, b"\x08" * 32)]
    if case == "1559":
        tx["accessList"] = []
    signed = Account.sign_transaction(tx, key)
    tx_type = tx.get("type", 0)
    row = {
        "hash": "0x" + bytes(signed.hash).hex(), "type": tx_type, "nonce": 3, "from_address": sender,
        "to_address": fields["to"], "value": 10**20, "gas": 90_000, "input": "0x" + "ab" * 40,
        "gas_price": fields.get("gasPrice"), "max_fee_per_gas": fields.get("maxFeePerGas"),
        "max_priority_fee_per_gas": fields.get("maxPriorityFeePerGas"),
        "max_fee_per_blob_gas": fields.get("maxFeePerBlobGas"),
        "chain_id": fields.get("chainId"), "v": signed.v, "r": signed.r, "s": signed.s,
        "y_parity": signed.v if tx_type else None,
        "access_list": None if tx_type == 0 else [
            {"address": e["address"], "storage_keys": e["storageKeys"]} for e in fields.get("accessList", [])],
        "blob_versioned_hashes": fields.get("blobVersionedHashes"), "authorization_list": None,
    }
    if case == "set code":
        row["authorization_list"] = [
            {"chain_id": a.chain_id, "address": "0x" + bytes(a.address).hex(), "nonce": a.nonce,
             "y_parity": a.y_parity, "r": hex(a.r), "s": hex(a.s)}
            for a in tx["authorizationList"]
        ]
    encoding = verify.transaction_encoding(row)
    assert encoding == bytes(signed.raw_transaction)
    assert "0x" + keccak(encoding).hex() == row["hash"]
    assert verify.recover_sender(row, keccak) == sender
    assert verify.recover_sender({**row, "r": row["r"] ^ 1}, keccak) != sender


# ---------------------------------------------------------------- RPC client


class _QuietServer(ThreadingHTTPServer):
    """Says nothing about clients that hung up (the timeout test does)."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class Proxy:
    """An HTTP JSON-RPC endpoint in front of an embedded chain. ``script(payload)`` may
    answer a POST itself: a (status, body bytes) pair, or None to let the chain answer;
    ``posts`` records every payload."""

    def __init__(self, chain: Any) -> None:
        self.chain = chain
        self.posts: list[Any] = []
        self.script: Callable[[Any], tuple[int, bytes] | None] = lambda payload: None
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                proxy.posts.append(payload)
                scripted = proxy.script(payload)
                if scripted is None:
                    if isinstance(payload, list):
                        answer: Any = [proxy.chain.handle(request) for request in payload]
                    else:
                        answer = proxy.chain.handle(payload)
                    scripted = (200, json.dumps(answer).encode())
                status, body = scripted
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def methods(self) -> list[str]:
        return [call["method"] for post in self.posts for call in (post if isinstance(post, list) else [post])]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def proxy(embedded: dict[str, Any]):
    proxy = Proxy(embedded["chain"])
    yield proxy
    proxy.close()


def _answer_each(payload: list[dict], answer: Callable[[dict], dict | None], chain: Any) -> tuple[int, bytes]:
    """A batch answered by ``answer(request)`` (a response dict), or by the chain where it gives None."""
    return 200, json.dumps([answer(request) or chain.handle(request) for request in payload]).encode()


def test_batch_answers_in_order_in_one_post(proxy: Proxy, embedded: dict[str, Any]) -> None:
    client = RpcClient(proxy.url)
    results = client.batch([("eth_chainId", []), ("eth_blockNumber", []), ("net_version", []),
                            ("eth_getBlockByNumber", ["0x1", False])])
    assert results[:3] == [hex(embedded["chain_id"]), hex(embedded["head"]), str(embedded["chain_id"])]
    assert results[3]["hash"] == embedded["rows"]["blocks"][1]["hash"]
    assert len(proxy.posts) == 1 and isinstance(proxy.posts[0], list) and len(proxy.posts[0]) == 4
    assert client.batch([]) == [] and len(proxy.posts) == 1
    # Answers in another order than asked still come back in the asked order.
    proxy.script = lambda payload: (200, json.dumps(
        [proxy.chain.handle(request) for request in reversed(payload)]).encode())
    assert client.batch([("eth_chainId", []), ("eth_blockNumber", [])]) == \
        [hex(embedded["chain_id"]), hex(embedded["head"])]
    client.close()


def test_block_hashes_and_code(embedded: dict[str, Any]) -> None:
    client = RpcClient(embedded["url"], batch_size=3)
    head = embedded["head"]
    hashes = client.block_hashes(0, head + 2)
    assert hashes == {b["number"]: b["hash"] for b in embedded["rows"]["blocks"]}
    assert client.block_hash(head) == hashes[head] and client.block_hash(head + 1) is None
    assert client.code(embedded["logger"], head) == "0x" + LOGGER_RUNTIME
    assert client.codes([(embedded["logger"], 0), (embedded["senders"][0], head)]) == ["0x", "0x"]
    client.close()


def test_codes_the_node_cannot_give_are_none(proxy: Proxy, embedded: dict[str, Any]) -> None:
    def pruned(request: dict) -> dict | None:
        if request["params"][1] == "0x1":
            return {"jsonrpc": "2.0", "id": request["id"], "error": {"code": -32000, "message": "missing trie node"}}
        return None

    proxy.script = lambda payload: _answer_each(payload, pruned, proxy.chain)
    client = RpcClient(proxy.url)
    head = embedded["head"]
    assert client.codes([(embedded["logger"], 1), (embedded["logger"], head)]) == [None, "0x" + LOGGER_RUNTIME]
    assert client.code(embedded["logger"], 1) is None
    client.close()


def test_an_error_in_a_batch_names_the_method_and_params(embedded: dict[str, Any]) -> None:
    client = RpcClient(embedded["url"])
    with pytest.raises(RpcError) as caught:
        client.batch([("eth_chainId", []), ("eth_getBlockByNumber", ["nope", False])])
    error = caught.value
    assert isinstance(error, NetworkError) and error.exit_status == ExitStatus.NETWORK
    assert (error.method, error.params) == ("eth_getBlockByNumber", ["nope", False])
    assert str(error).startswith(f'eth_getBlockByNumber("nope", false) failed at {embedded["url"]}: ')
    with pytest.raises(RpcError, match=r"eth_noSuchMethod\(\) failed .* \(code -32601\)") as caught:
        client.call("eth_noSuchMethod")
    assert caught.value.code == -32601
    client.close()


def test_blocks_beyond_the_head(embedded: dict[str, Any]) -> None:
    client = RpcClient(embedded["url"])
    head = embedded["head"]
    with pytest.raises(BlockNotFound) as caught:
        client.blocks(head - 1, head + 1)
    assert isinstance(caught.value, NotFoundError) and caught.value.number == head + 1
    assert str(caught.value) == f"block {head + 1} is not on the node at {embedded['url']}"
    client.close()


@pytest.mark.parametrize("batch_size", [1, 2, 500])
def test_blocks_and_receipts_in_batches(embedded: dict[str, Any], batch_size: int) -> None:
    client = RpcClient(embedded["url"], batch_size=batch_size)
    blocks = client.blocks(0, embedded["head"])
    assert blocks == embedded["blocks"]
    assert client.receipts(blocks) == embedded["receipts"]
    assert client.receipts([]) == [] and client.blocks(3, 2) == []
    client.close()


def test_receipts_fall_back_to_transaction_receipts_once(proxy: Proxy, embedded: dict[str, Any]) -> None:
    def no_block_receipts(request: dict) -> dict | None:
        if request["method"] == "eth_getBlockReceipts":
            return {"jsonrpc": "2.0", "id": request["id"],
                    "error": {"code": -32601, "message": "the method eth_getBlockReceipts does not exist"}}
        return None

    proxy.script = lambda payload: _answer_each(payload, no_block_receipts, proxy.chain)
    client = RpcClient(proxy.url, batch_size=4)
    assert client.receipts_method is None
    blocks = embedded["blocks"]
    assert client.receipts(blocks) == embedded["receipts"]
    assert client.receipts_method == "eth_getTransactionReceipt"
    assert client.receipts(blocks[2:5]) == embedded["receipts"][2:5]
    methods = proxy.methods()
    assert methods.count("eth_getBlockReceipts") == 4  # one batch, then never again
    assert methods.count("eth_getTransactionReceipt") == len(embedded["txs"]) + 3
    client.close()


def test_block_receipts_used_where_the_node_has_them(proxy: Proxy, embedded: dict[str, Any]) -> None:
    receipts_of = {block["number"]: receipts for block, receipts in zip(embedded["blocks"], embedded["receipts"])}

    def block_receipts(request: dict) -> dict | None:
        if request["method"] == "eth_getBlockReceipts":
            return {"jsonrpc": "2.0", "id": request["id"], "result": receipts_of[request["params"][0]]}
        return None

    proxy.script = lambda payload: _answer_each(payload, block_receipts, proxy.chain)
    client = RpcClient(proxy.url)
    assert client.receipts(embedded["blocks"]) == embedded["receipts"]
    assert client.receipts_method == "eth_getBlockReceipts"
    assert set(proxy.methods()) == {"eth_getBlockReceipts"}
    assert len(proxy.methods()) == sum(1 for block in embedded["blocks"] if block["transactions"])
    client.close()


def test_other_receipt_errors_are_not_a_fallback(proxy: Proxy, embedded: dict[str, Any]) -> None:
    def failing(request: dict) -> dict | None:
        return {"jsonrpc": "2.0", "id": request["id"], "error": {"code": -32000, "message": "header not found"}}

    proxy.script = lambda payload: _answer_each(payload, failing, proxy.chain)
    client = RpcClient(proxy.url)
    with pytest.raises(RpcError, match="eth_getBlockReceipts.*header not found"):
        client.receipts(embedded["blocks"][1:2])
    assert client.receipts_method is None
    client.close()


def test_answers_that_do_not_fit_the_blocks_mean_the_chain_changed(proxy: Proxy, embedded: dict[str, Any]) -> None:
    client = RpcClient(embedded["url"])
    blocks = [dict(block) for block in embedded["blocks"][1:3]]
    blocks[1]["transactions"] = [{**blocks[1]["transactions"][0], "hash": "0x" + "12" * 32}]
    # (eth_getBlockReceipts sees receipts out of order; the per-transaction fallback, a missing one)
    with pytest.raises(ChainChanged, match=r"block 2 changed while it was fetched \((a transaction has no receipt|"
                       r"the receipts are not in transaction order)\)"):
        client.receipts(blocks)

    def other_parent(payload: list[dict]) -> tuple[int, bytes]:
        answers = [proxy.chain.handle(request) for request in payload]
        answers[-1]["result"]["parentHash"] = "0x" + "00" * 32
        return 200, json.dumps(answers).encode()

    proxy.script = other_parent
    other = RpcClient(proxy.url)
    with pytest.raises(ChainChanged, match="block 3 changed .*its parent is not the block fetched before it") as caught:
        other.blocks(2, 3)
    assert caught.value.number == 3 and caught.value.exit_status == ExitStatus.NETWORK
    client.close()
    other.close()


def test_unreachable_node_retries_with_backoff_then_fails() -> None:
    from smartdev.localnode import free_port

    url = f"http://127.0.0.1:{free_port()}"
    client = RpcClient(url, retries=3, backoff=0.05)
    started = time.monotonic()
    with pytest.raises(NetworkError) as caught:
        client.head()
    elapsed = time.monotonic() - started
    assert 0.05 + 0.1 + 0.2 <= elapsed < 5
    assert str(caught.value) == f"cannot reach {url}: connection refused (tried 4 times)"
    assert caught.value.hint == "Check that the node is running and the URL is right."
    assert caught.value.exit_status == ExitStatus.NETWORK


def test_server_errors_are_retried(proxy: Proxy, embedded: dict[str, Any]) -> None:
    failures = iter([(503, b"busy"), (502, b"bad gateway")])
    proxy.script = lambda payload: next(failures, None)
    client = RpcClient(proxy.url, retries=2, backoff=0.01)
    assert client.head() == embedded["head"]
    assert len(proxy.posts) == 3

    proxy.script = lambda payload: (503, b"busy")
    with pytest.raises(NetworkError, match=r"cannot reach .*: HTTP 503 Service Unavailable \(tried 3 times\)"):
        client.head()
    assert len(proxy.posts) == 6
    client.close()


def test_a_batch_of_one_answered_plainly(proxy: Proxy, embedded: dict[str, Any]) -> None:
    proxy.script = lambda payload: (200, json.dumps(proxy.chain.handle(payload[0])).encode())
    client = RpcClient(proxy.url)
    assert client.batch([("eth_chainId", [])]) == [hex(embedded["chain_id"])]
    with pytest.raises(RpcError, match=r"refused a batch of 1 calls: .* \(code -32601\)") as caught:
        client.batch([("eth_nothing", [])])
    assert caught.value.code == -32601
    proxy.script = lambda payload: (200, b"[]")
    with pytest.raises(NetworkError, match=f"{proxy.url} answered eth_chainId with list"):
        client.chain_id()
    client.close()


def test_client_errors_and_garbage_are_not_retried(proxy: Proxy) -> None:
    client = RpcClient(proxy.url, retries=3, backoff=0.01)
    proxy.script = lambda payload: (403, b"forbidden: no key")
    with pytest.raises(NetworkError, match=r"answered HTTP 403 Forbidden: forbidden: no key"):
        client.head()
    proxy.script = lambda payload: (200, b"<html>a login page</html>")
    with pytest.raises(NetworkError, match="answered something that is not JSON: '<html>a login"):
        client.head()
    proxy.script = lambda payload: (200, b'{"jsonrpc": "2.0", "id": null, "error": {"code": -32600, "message": "batch too large"}}')
    with pytest.raises(RpcError, match=r"refused a batch of 2 calls: batch too large \(code -32600\)") as caught:
        client.batch([("eth_chainId", []), ("eth_blockNumber", [])])
    assert caught.value.hint == "Lower the batch size."
    proxy.script = lambda payload: (200, json.dumps([{"jsonrpc": "2.0", "id": 0, "result": "0x1"}]).encode())
    with pytest.raises(NetworkError, match=r"left eth_blockNumber\(\) out of its batch answer"):
        client.batch([("eth_chainId", []), ("eth_blockNumber", [])])
    assert len(proxy.posts) == 4
    client.close()


def test_a_node_that_does_not_answer_in_time(proxy: Proxy) -> None:
    def slow(payload: Any) -> None:
        time.sleep(0.5)

    proxy.script = slow
    client = RpcClient(proxy.url, timeout=0.1, retries=1, backoff=0.01)
    with pytest.raises(NetworkError, match=r"cannot reach .*: no answer within 0.1 s \(tried 2 times\)"):
        client.head()
    client.close()
