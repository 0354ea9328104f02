"""Rows of the core tables (blocks, transactions, receipts, logs) from JSON-RPC answers.

:func:`rows_for` turns what :class:`smartdev.export.rpc.RpcClient` fetched (blocks
with full transactions, and each block's receipts) into plain dicts in the row
format every sink stores and :mod:`smartdev.export.verify` re-checks: ints for
quantities (any size), lowercase ``0x`` hex strings for hashes, data and
addresses, ``None`` for what a block or transaction does not have, and lists or
dicts for JSON columns. Each row's keys are its table's columns in order
(:data:`smartdev.export.sinks.schema.CORE_TABLES`).

Node differences are smoothed out so that every node gives the same rows for
the same chain:

* ``transactions.chain_id`` of a legacy transaction comes from its ``v``
  (EIP-155: ``(v - 35) // 2``; ``None`` when unprotected) and its ``y_parity``
  is ``None``; typed transactions take ``chainId`` and ``yParity`` (``v`` when a
  node gives no ``yParity``).
* Columns a transaction's type does not have (:data:`TYPE_COLUMNS`) are
  ``None`` whatever the node sends (e.g. no fee caps on legacy transactions);
  typed transactions always have an ``access_list`` (``[]`` if empty).
* ``access_list`` entries are ``{"address", "storage_keys"}`` whichever spelling
  the node uses; ``authorization_list`` entries (EIP-7702) are ``{"chain_id",
  "address", "nonce", "y_parity", "r", "s"}`` with ``r``/``s`` as hex.
* ``logs.log_index`` is the log's position in its block (what geth's
  ``logIndex`` is), not what the node numbered it.
"""

from __future__ import annotations

from typing import Any

Row = dict[str, Any]

# The optional columns of ``transactions`` that each known type has; a row of
# that type has None in the others (whatever extra fields a node sends).
_DYNAMIC_FEE = ("gas_price", "chain_id", "y_parity", "access_list", "max_fee_per_gas",
                "max_priority_fee_per_gas")
TYPE_COLUMNS: dict[int, frozenset[str]] = {
    0: frozenset({"gas_price", "chain_id"}),
    1: frozenset({"gas_price", "chain_id", "y_parity", "access_list"}),
    2: frozenset(_DYNAMIC_FEE),
    3: frozenset({*_DYNAMIC_FEE, "max_fee_per_blob_gas", "blob_versioned_hashes"}),
    4: frozenset({*_DYNAMIC_FEE, "authorization_list"}),
}
OPTIONAL_COLUMNS = (
    "gas_price", "max_fee_per_gas", "max_priority_fee_per_gas", "max_fee_per_blob_gas", "chain_id",
    "y_parity", "access_list", "blob_versioned_hashes", "authorization_list",
)


def rows_for(blocks: list[dict[str, Any]], receipts: list[list[dict[str, Any]]]) -> dict[str, list[Row]]:
    """The core tables' rows for ``blocks`` (``eth_getBlockByNumber(n, true)`` answers)
    and ``receipts`` (one list per block, in transaction order, as
    :meth:`RpcClient.receipts` returns them).

    Raises ValueError if the receipts do not belong to the blocks.
    """
    if len(blocks) != len(receipts):
        raise ValueError(f"{len(blocks)} blocks but receipts for {len(receipts)}")
    block_rows: list[Row] = []
    tx_rows: list[Row] = []
    receipt_rows: list[Row] = []
    log_rows: list[Row] = []
    for block, block_receipts in zip(blocks, receipts):
        row = block_row(block)
        block_rows.append(row)
        number = row["number"]
        transactions = block["transactions"]
        if len(block_receipts) != len(transactions):
            raise ValueError(
                f"block {number}: {len(transactions)} transactions but {len(block_receipts)} receipts"
            )
        block_hash = row["hash"]
        for tx in transactions:
            tx_rows.append(transaction_row(tx, number, block_hash))
        log_index = 0
        for receipt in block_receipts:
            receipt_rows.append(receipt_row(receipt, number))
            tx_hash = receipt["transactionHash"].lower()
            tx_index = int(receipt["transactionIndex"], 16)
            for log in receipt["logs"]:
                log_rows.append(log_row(log, number, log_index, tx_hash, tx_index))
                log_index += 1
    return {"blocks": block_rows, "transactions": tx_rows, "receipts": receipt_rows, "logs": log_rows}


def block_row(block: dict[str, Any]) -> Row:
    """A ``blocks`` row from an ``eth_getBlockByNumber`` answer."""
    get = block.get
    withdrawals = get("withdrawals")
    return {
        "number": int(block["number"], 16),
        "hash": block["hash"].lower(),
        "parent_hash": block["parentHash"].lower(),
        "nonce": _hex_or_none(get("nonce")),
        "sha3_uncles": block["sha3Uncles"].lower(),
        "logs_bloom": block["logsBloom"].lower(),
        "transactions_root": block["transactionsRoot"].lower(),
        "state_root": block["stateRoot"].lower(),
        "receipts_root": block["receiptsRoot"].lower(),
        "miner": block["miner"].lower(),
        "difficulty": int(block["difficulty"], 16),
        "total_difficulty": _int_or_none(get("totalDifficulty")),
        "size": int(block["size"], 16),
        "extra_data": block["extraData"].lower(),
        "gas_limit": int(block["gasLimit"], 16),
        "gas_used": int(block["gasUsed"], 16),
        "timestamp": int(block["timestamp"], 16),
        "mix_hash": _hex_or_none(get("mixHash")),
        "base_fee_per_gas": _int_or_none(get("baseFeePerGas")),
        "withdrawals_root": _hex_or_none(get("withdrawalsRoot")),
        "blob_gas_used": _int_or_none(get("blobGasUsed")),
        "excess_blob_gas": _int_or_none(get("excessBlobGas")),
        "parent_beacon_block_root": _hex_or_none(get("parentBeaconBlockRoot")),
        "requests_hash": _hex_or_none(get("requestsHash")),
        "transaction_count": len(block["transactions"]),
        "withdrawals": None if withdrawals is None else [_withdrawal(w) for w in withdrawals],
        "uncles": [uncle.lower() for uncle in get("uncles") or ()],
    }


def transaction_row(tx: dict[str, Any], block_number: int, block_hash: str) -> Row:
    """A ``transactions`` row from a full transaction object of a block."""
    get = tx.get
    tx_type = int(get("type") or "0x0", 16)
    v = int(tx["v"], 16)
    if tx_type == 0:
        chain_id = (v - 35) // 2 if v >= 35 else None
        y_parity = None
    else:
        chain_id = _int_or_none(get("chainId"))
        y_parity = int(get("yParity") or tx["v"], 16)
    access_list = get("accessList")
    blob_hashes = get("blobVersionedHashes")
    authorizations = get("authorizationList")
    to = get("to")
    row = {
        "hash": tx["hash"].lower(),
        "block_number": block_number,
        "block_hash": block_hash,
        "transaction_index": int(tx["transactionIndex"], 16),
        "type": tx_type,
        "nonce": int(tx["nonce"], 16),
        "from_address": tx["from"].lower(),
        "to_address": to.lower() if to else None,
        "value": int(tx["value"], 16),
        "gas": int(tx["gas"], 16),
        "gas_price": _int_or_none(get("gasPrice")),
        "max_fee_per_gas": _int_or_none(get("maxFeePerGas")),
        "max_priority_fee_per_gas": _int_or_none(get("maxPriorityFeePerGas")),
        "max_fee_per_blob_gas": _int_or_none(get("maxFeePerBlobGas")),
        "input": (tx["input"] if "input" in tx else tx["data"]).lower(),
        "chain_id": chain_id,
        "v": v,
        "r": int(tx["r"], 16),
        "s": int(tx["s"], 16),
        "y_parity": y_parity,
        "access_list": None if access_list is None else [_access(entry) for entry in access_list],
        "blob_versioned_hashes": None if blob_hashes is None else [h.lower() for h in blob_hashes],
        "authorization_list": (
            None if authorizations is None else [_authorization(a) for a in authorizations]
        ),
    }
    allowed = TYPE_COLUMNS.get(tx_type)
    if allowed is not None:
        for column in OPTIONAL_COLUMNS:
            if column not in allowed:
                row[column] = None
        if tx_type and row["access_list"] is None:
            row["access_list"] = []
    return row


def receipt_row(receipt: dict[str, Any], block_number: int) -> Row:
    """A ``receipts`` row from a receipt (its logs become ``logs`` rows separately)."""
    get = receipt.get
    contract = get("contractAddress")
    return {
        "transaction_hash": receipt["transactionHash"].lower(),
        "block_number": block_number,
        "transaction_index": int(receipt["transactionIndex"], 16),
        "type": int(get("type") or "0x0", 16),
        "status": _int_or_none(get("status")),
        "root": _hex_or_none(get("root")),
        "cumulative_gas_used": int(receipt["cumulativeGasUsed"], 16),
        "gas_used": int(receipt["gasUsed"], 16),
        "effective_gas_price": _int_or_none(get("effectiveGasPrice")),
        "contract_address": contract.lower() if contract else None,
        "logs_bloom": receipt["logsBloom"].lower(),
        "blob_gas_used": _int_or_none(get("blobGasUsed")),
        "blob_gas_price": _int_or_none(get("blobGasPrice")),
    }


def log_row(log: dict[str, Any], block_number: int, log_index: int, tx_hash: str, tx_index: int) -> Row:
    """A ``logs`` row: the ``log_index``-th log of block ``block_number``."""
    topics = [topic.lower() for topic in log["topics"]]
    if len(topics) > 4:
        raise ValueError(f"block {block_number}: a log with {len(topics)} topics (at most 4)")
    topics += [None] * (4 - len(topics))
    return {
        "block_number": block_number,
        "log_index": log_index,
        "transaction_hash": tx_hash,
        "transaction_index": tx_index,
        "address": log["address"].lower(),
        "topic0": topics[0],
        "topic1": topics[1],
        "topic2": topics[2],
        "topic3": topics[3],
        "data": log["data"].lower(),
    }


def _withdrawal(withdrawal: dict[str, Any]) -> dict[str, Any]:
    return {
        "index": int(withdrawal["index"], 16),
        "validator_index": int(withdrawal["validatorIndex"], 16),
        "address": withdrawal["address"].lower(),
        "amount": int(withdrawal["amount"], 16),
    }


def _access(entry: dict[str, Any]) -> dict[str, Any]:
    keys = entry["storageKeys"] if "storageKeys" in entry else entry.get("storage_keys") or ()
    return {"address": entry["address"].lower(), "storage_keys": [key.lower() for key in keys]}


def _authorization(authorization: dict[str, Any]) -> dict[str, Any]:
    get = authorization.get
    return {
        "chain_id": int(authorization["chainId"], 16),
        "address": authorization["address"].lower(),
        "nonce": int(authorization["nonce"], 16),
        "y_parity": int(get("yParity") or get("v"), 16),
        "r": _quantity_hex(authorization["r"]),
        "s": _quantity_hex(authorization["s"]),
    }


def _quantity_hex(value: str) -> str:
    """A quantity as minimal lowercase hex (``0x0`` for zero), however the node padded it."""
    return hex(int(value, 16))


def _int_or_none(value: str | None) -> int | None:
    return None if value is None else int(value, 16)


def _hex_or_none(value: str | None) -> str | None:
    return None if value is None else value.lower()
