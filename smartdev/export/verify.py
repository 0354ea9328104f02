"""Re-check exported rows against what the chain committed to.

:func:`verify_block` takes one block's rows (as :mod:`smartdev.export.rows`
makes them and the sinks give them back) and recomputes, from the stored
fields alone:

* the block hash: keccak of the RLP header with the fields the block's fork
  has (base fee, withdrawals root, blob gas, parent beacon root, requests
  hash), so every header column is covered;
* each transaction's hash (keccak of its typed encoding: legacy, 0x01 access
  list, 0x02 EIP-1559, 0x03 blob, 0x04 set-code) and its sender (recovered from
  the signature), and the transactions root: a Merkle-Patricia trie
  (:class:`trie.HexaryTrie`) of ``rlp(index) -> encoding``;
* the receipts root, from each receipt's typed encoding (status or pre-Byzantium
  root, cumulative gas, bloom and the logs of the ``logs`` table);
* the withdrawals root, whether the uncles hash says the block has uncles, and
  the total difficulty of the genesis block;
* what the roots do not commit to but follows from what they do: each
  receipt's gas used, effective gas price, contract address and blob gas; the
  links between tables (block hash and number, transaction hashes and indexes,
  log indexes); the transaction count; the block's gas used.

:func:`verify_rows` checks many blocks at once (as a range's rows come from a
sink or from :func:`smartdev.export.rows.rows_for`) and also each block's link
to the previous one (parent hash, total difficulty).

Not checked: ``blocks.size`` (nodes disagree: anvil leaves the withdrawals out),
the hashes in ``blocks.uncles`` (the uncles' headers are not exported; only
whether there are any), ``total_difficulty`` of a range's first block (but
genesis), and a receipt's ``blob_gas_price`` when the block's excess blob gas
is not zero (the price curve differs between forks).

Problems are sentences naming the block and the table, e.g. ``block 17:
transactions root mismatch (transactions table)``; no problems means the rows
are what the chain committed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from smartdev.export.rows import OPTIONAL_COLUMNS, TYPE_COLUMNS

Row = dict[str, Any]

BLANK_ROOT = bytes.fromhex("56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421")
EMPTY_UNCLES_HASH = "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347"
GAS_PER_BLOB = 2**17
_HEADER_FIELDS = (
    "parent_hash", "sha3_uncles", "miner", "state_root", "transactions_root", "receipts_root",
    "logs_bloom", "difficulty", "number", "gas_limit", "gas_used", "timestamp", "extra_data",
    "mix_hash", "nonce",
)
# Header fields added by later forks, in order; a header has a prefix of them.
_FORK_FIELDS = (
    "base_fee_per_gas", "withdrawals_root", "blob_gas_used", "excess_blob_gas",
    "parent_beacon_block_root", "requests_hash",
)
# What a stored value of the wrong type or shape raises while it is checked.
_MALFORMED = (KeyError, TypeError, ValueError, AttributeError, OverflowError, IndexError)


class _Problems(list):
    """The problems of one block, each sentence prefixed with the block number."""

    def __init__(self, number: Any) -> None:
        super().__init__()
        self.number = number

    def add(self, what: str, table: str) -> None:
        self.append(f"block {self.number}: {what} ({table} table)")


def verify_rows(rows: Mapping[str, Iterable[Row]], previous: Row | None = None) -> list[str]:
    """Check every block in ``rows`` (table -> rows, the core tables) and the
    links between consecutive blocks; ``previous`` is the block row just before
    the first one, if known. Returns the problems, empty if none.
    """
    by_block: dict[str, dict[int, list[Row]]] = {}
    for table in ("transactions", "receipts", "logs"):
        grouped: dict[int, list[Row]] = defaultdict(list)
        for row in rows.get(table, ()):
            grouped[row["block_number"]].append(row)
        by_block[table] = grouped
    blocks = sorted(rows.get("blocks", ()), key=lambda row: row["number"])
    problems: list[str] = []
    numbers = set()
    for block in blocks:
        number = block["number"]
        numbers.add(number)
        problems += verify_block(
            block,
            by_block["transactions"].get(number, []),
            by_block["receipts"].get(number, []),
            by_block["logs"].get(number, []),
        )
        if previous is not None and previous["number"] == number - 1:
            problems += _link_problems(previous, block)
        previous = block
    for table, grouped in by_block.items():
        for number in sorted(set(grouped) - numbers):
            problems.append(
                f"block {number}: {len(grouped[number])} rows of a block not in the blocks table "
                f"({table} table)"
            )
    return problems


def verify_block(block: Row, transactions: list[Row], receipts: list[Row], logs: list[Row]) -> list[str]:
    """The problems of one block's rows (empty if they are what the chain committed)."""
    from eth_hash.auto import keccak

    problems = _Problems(block.get("number"))
    try:
        transactions = sorted(transactions, key=lambda row: row["transaction_index"])
        receipts = sorted(receipts, key=lambda row: row["transaction_index"])
        logs = sorted(logs, key=lambda row: row["log_index"])
    except (KeyError, TypeError) as exc:
        problems.add(f"malformed index ({type(exc).__name__}: {exc})", "transactions, receipts or logs")
        return list(problems)
    checks = (
        ("blocks", _check_header, (block,)),
        ("transactions, receipts or logs", _check_membership, (block, transactions, receipts, logs)),
        ("transactions", _check_transactions, (block, transactions)),
        ("receipts or logs", _check_receipts, (block, transactions, receipts, logs)),
    )
    for table, check, args in checks:
        try:
            check(*args, problems, keccak)
        except _MALFORMED as exc:
            problems.add(f"malformed value ({type(exc).__name__}: {exc})", table)
    return list(problems)


def _check_header(block: Row, problems: _Problems, keccak: Any) -> None:
    """The block hash, whether there are uncles, the withdrawals root, a genesis total difficulty."""
    header = header_rlp(block)
    if header is None:
        problems.add("no mix hash or nonce, cannot recompute the block hash", "blocks")
    elif "0x" + keccak(header).hex() != block["hash"]:
        problems.add("block hash mismatch", "blocks")
    if (block["uncles"] == []) != (block["sha3_uncles"] == EMPTY_UNCLES_HASH):
        problems.add("uncles hash mismatch", "blocks")
    total = block["total_difficulty"]
    if block["number"] == 0 and total is not None and total != block["difficulty"]:
        problems.add("the genesis block's total difficulty is not its difficulty", "blocks")
    withdrawals = block["withdrawals"]
    if withdrawals is not None and block["withdrawals_root"] is not None:
        if "0x" + trie_root([withdrawal_rlp(w) for w in withdrawals]).hex() != block["withdrawals_root"]:
            problems.add("withdrawals root mismatch", "blocks")


def _check_transactions(block: Row, transactions: list[Row], problems: _Problems, keccak: Any) -> None:
    """Each transaction's hash and sender, and the transactions root."""
    encodings = []
    for tx in transactions:
        encoding = transaction_encoding(tx)
        if encoding is None:
            problems.add(f"transaction {tx['hash']}: type {tx['type']} is unknown, cannot check it",
                         "transactions")
            return
        encodings.append(encoding)
        _check_transaction(block, tx, encoding, problems, keccak)
    if "0x" + trie_root(encodings).hex() != block["transactions_root"]:
        problems.add("transactions root mismatch", "transactions")


def _check_receipts(block: Row, transactions: list[Row], receipts: list[Row], logs: list[Row],
                    problems: _Problems, keccak: Any) -> None:
    """Each receipt against its transaction, the receipts root, the block's gas used."""
    logs_of: dict[int, list[Row]] = defaultdict(list)
    for log in logs:
        logs_of[log["transaction_index"]].append(log)
    tx_at = {tx["transaction_index"]: tx for tx in transactions}
    encodings = []
    cumulative = 0
    for receipt in receipts:
        index = receipt["transaction_index"]
        encodings.append(receipt_encoding(receipt, logs_of.get(index, [])))
        tx = tx_at.get(index)
        if tx is not None:
            _check_receipt(block, tx, receipt, cumulative, problems, keccak)
        cumulative = receipt["cumulative_gas_used"]
    if "0x" + trie_root(encodings).hex() != block["receipts_root"]:
        problems.add("receipts root mismatch", "receipts or logs")
    if cumulative != block["gas_used"] and len(receipts) == block["transaction_count"]:
        problems.add(f"the receipts use {cumulative} gas, the block {block['gas_used']}", "receipts")


def _check_membership(block: Row, transactions: list[Row], receipts: list[Row], logs: list[Row],
                      problems: _Problems, _keccak: Any) -> None:
    """Counts, indexes and the references between the tables' rows."""
    count = block["transaction_count"]
    if len(transactions) != count:
        problems.add(f"{len(transactions)} transactions stored, the block has {count}", "transactions")
    if len(receipts) != len(transactions):
        problems.add(f"{len(receipts)} receipts for {len(transactions)} transactions", "receipts")
    for table, rows in (("transactions", transactions), ("receipts", receipts)):
        indexes = [row["transaction_index"] for row in rows]
        if indexes != list(range(len(rows))):
            problems.add(f"transaction indexes {_ranges(indexes)} are not 0..{len(rows) - 1}", table)
    for tx in transactions:
        if tx["block_hash"] != block["hash"]:
            problems.add(f"transaction {tx['hash']}: block hash is not the block's", "transactions")
    tx_at = {tx["transaction_index"]: tx for tx in transactions}
    for receipt in receipts:
        tx = tx_at.get(receipt["transaction_index"])
        if tx is not None and receipt["transaction_hash"] != tx["hash"]:
            problems.add(f"receipt {receipt['transaction_hash']}: not the receipt of transaction "
                         f"{receipt['transaction_index']}", "receipts")
    last_tx = -1
    for position, log in enumerate(logs):
        if log["log_index"] != position:
            problems.add(f"log indexes are not 0..{len(logs) - 1}", "logs")
            break
        tx = tx_at.get(log["transaction_index"])
        if tx is None or log["transaction_hash"] != tx["hash"]:
            problems.add(f"log {position}: not a log of transaction {log['transaction_hash']}", "logs")
        elif log["transaction_index"] < last_tx:
            problems.add(f"log {log['log_index']}: out of transaction order", "logs")
        last_tx = log["transaction_index"]
    number = block["number"]
    for table, rows in (("transactions", transactions), ("receipts", receipts), ("logs", logs)):
        if any(row["block_number"] != number for row in rows):
            problems.add("a row names another block number", table)


def _check_transaction(block: Row, tx: Row, encoding: bytes, problems: _Problems, keccak: Any) -> None:
    """A transaction's hash, sender and the fields its encoding does not hold."""
    name = f"transaction {tx['hash']}"
    if "0x" + keccak(encoding).hex() != tx["hash"]:
        problems.add(f"{name}: hash does not match its fields", "transactions")
    tx_type = tx["type"]
    extra = [column for column in OPTIONAL_COLUMNS
             if column not in TYPE_COLUMNS[tx_type] and tx[column] is not None]
    if extra:
        problems.add(f"{name}: a type {tx_type} transaction has no {', '.join(extra)}", "transactions")
    if tx_type == 0:
        v = tx["v"]
        if tx["chain_id"] != ((v - 35) // 2 if v >= 35 else None):
            problems.add(f"{name}: chain id does not match v", "transactions")
    elif tx["v"] != tx["y_parity"]:
        problems.add(f"{name}: v does not match y parity", "transactions")
    if tx_type >= 2 and tx["gas_price"] is not None:
        if tx["gas_price"] != _effective_price(block, tx):
            problems.add(f"{name}: gas price is not what the fees and the base fee make", "transactions")
    sender = recover_sender(tx, keccak)
    if sender != tx["from_address"]:
        problems.add(f"{name}: sender does not match the signature", "transactions")


def _check_receipt(block: Row, tx: Row, receipt: Row, previous_cumulative: int,
                   problems: _Problems, keccak: Any) -> None:
    """What a receipt holds besides its encoding, from its transaction and the block."""
    name = f"receipt {receipt['transaction_hash']}"
    if (receipt["status"] is None) == (receipt["root"] is None):
        problems.add(f"{name}: has both or neither of a status and a state root", "receipts")
    if receipt["type"] != tx["type"]:
        problems.add(f"{name}: type is not its transaction's", "receipts")
    if receipt["gas_used"] != receipt["cumulative_gas_used"] - previous_cumulative:
        problems.add(f"{name}: gas used does not match the cumulative gas", "receipts")
    price = receipt["effective_gas_price"]
    if price is not None:
        expected = tx["gas_price"] if tx["type"] < 2 else _effective_price(block, tx)
        if price != expected:
            problems.add(f"{name}: effective gas price does not match the transaction", "receipts")
    created = receipt["contract_address"]
    if tx["to_address"] is not None:
        if created is not None:
            problems.add(f"{name}: a contract address for a call", "receipts")
    elif created is not None or receipt["status"] == 1:
        expected_address = create_address(tx["from_address"], tx["nonce"], keccak)
        if created != expected_address:
            problems.add(f"{name}: contract address is not the one its sender and nonce make", "receipts")
    blob_gas = receipt["blob_gas_used"]
    if blob_gas is not None:
        expected_blob_gas = GAS_PER_BLOB * len(tx["blob_versioned_hashes"] or ()) if tx["type"] == 3 else 0
        if blob_gas != expected_blob_gas:
            problems.add(f"{name}: blob gas used does not match the transaction's blobs", "receipts")
    blob_price = receipt["blob_gas_price"]
    if blob_price is not None and block["excess_blob_gas"] == 0 and blob_price != 1:
        problems.add(f"{name}: blob gas price is not 1 with no excess blob gas", "receipts")


def _link_problems(previous: Row, block: Row) -> list[str]:
    """Problems linking ``block`` to the block before it."""
    problems = _Problems(block["number"])
    if block["parent_hash"] != previous["hash"]:
        problems.add(f"parent hash is not block {previous['number']}'s hash", "blocks")
    before, total = previous["total_difficulty"], block["total_difficulty"]
    if before is not None and total is not None and total != before + block["difficulty"]:
        problems.add(f"total difficulty is not block {previous['number']}'s plus the difficulty", "blocks")
    return list(problems)


def _effective_price(block: Row, tx: Row) -> int:
    """What a dynamic-fee transaction paid per gas in ``block``."""
    base_fee = block["base_fee_per_gas"] or 0
    return min(tx["max_fee_per_gas"], base_fee + tx["max_priority_fee_per_gas"])


# ----------------------------------------------------------------- encodings


def header_rlp(block: Row) -> bytes | None:
    """The RLP header of a ``blocks`` row (None without mix hash or nonce)."""
    if block["mix_hash"] is None or block["nonce"] is None:
        return None
    fields = [_field_bytes(block[name]) for name in _HEADER_FIELDS]
    for name in _FORK_FIELDS:
        value = block[name]
        if value is None:
            break
        fields.append(_field_bytes(value))
    return rlp_encode(fields)


def transaction_encoding(tx: Row) -> bytes | None:
    """A ``transactions`` row's network encoding (what its hash is the keccak of);
    None for a type this module does not know."""
    unsigned = _unsigned_fields(tx)
    if unsigned is None:
        return None
    signature = [_int(tx["v"] if tx["type"] == 0 else tx["y_parity"]), _int(tx["r"]), _int(tx["s"])]
    encoded = rlp_encode(unsigned + signature)
    return encoded if tx["type"] == 0 else bytes((tx["type"],)) + encoded


def signing_hash(tx: Row, keccak: Any) -> bytes | None:
    """What the sender of a ``transactions`` row signed (EIP-155 for protected legacy ones)."""
    unsigned = _unsigned_fields(tx)
    if unsigned is None:
        return None
    if tx["type"] == 0:
        if tx["v"] >= 35:
            unsigned += [_int((tx["v"] - 35) // 2), b"", b""]
        return keccak(rlp_encode(unsigned))
    return keccak(bytes((tx["type"],)) + rlp_encode(unsigned))


def recover_sender(tx: Row, keccak: Any) -> str | None:
    """The address that signed a ``transactions`` row, or None if the signature is invalid."""
    import coincurve

    message = signing_hash(tx, keccak)
    if message is None:
        return None
    if tx["type"] == 0:
        v = tx["v"]
        parity = v - 27 if v in (27, 28) else (v - 35) % 2
    else:
        parity = tx["y_parity"]
    if parity not in (0, 1) or not (0 < tx["r"] < 2**256 and 0 < tx["s"] < 2**256):
        return None
    signature = tx["r"].to_bytes(32, "big") + tx["s"].to_bytes(32, "big") + bytes((parity,))
    try:
        public = coincurve.PublicKey.from_signature_and_message(signature, message, hasher=None)
    except Exception:  # noqa: BLE001 - coincurve raises plain Exception for bad signatures
        return None
    return "0x" + keccak(public.format(compressed=False)[1:])[12:].hex()


def receipt_encoding(receipt: Row, logs: list[Row]) -> bytes:
    """A ``receipts`` row's consensus encoding with its ``logs`` rows (in order)."""
    outcome = _int(receipt["status"]) if receipt["status"] is not None else _hex(receipt["root"])
    encoded_logs = [
        [
            _hex(log["address"]),
            [_hex(topic) for topic in (log["topic0"], log["topic1"], log["topic2"], log["topic3"])
             if topic is not None],
            _hex(log["data"]),
        ]
        for log in logs
    ]
    encoded = rlp_encode(
        [outcome, _int(receipt["cumulative_gas_used"]), _hex(receipt["logs_bloom"]), encoded_logs]
    )
    return encoded if receipt["type"] == 0 else bytes((receipt["type"],)) + encoded


def withdrawal_rlp(withdrawal: dict[str, Any]) -> bytes:
    """One withdrawal of a ``blocks`` row, as the withdrawals trie holds it."""
    return rlp_encode([
        _int(withdrawal["index"]), _int(withdrawal["validator_index"]),
        _hex(withdrawal["address"]), _int(withdrawal["amount"]),
    ])


def create_address(sender: str, nonce: int, keccak: Any) -> str:
    """The address of a contract that ``sender`` creates with a transaction of ``nonce``."""
    return "0x" + keccak(rlp_encode([_hex(sender), _int(nonce)]))[12:].hex()


def trie_root(items: list[bytes]) -> bytes:
    """The root of the Merkle-Patricia trie of ``rlp(index) -> item``."""
    if not items:
        return BLANK_ROOT
    from trie import HexaryTrie

    trie = HexaryTrie({})
    for index, item in enumerate(items):
        trie[rlp_encode(_int(index))] = item
    return trie.root_hash


def _unsigned_fields(tx: Row) -> list[Any] | None:
    """The signed fields of a transaction of a known type, as RLP items."""
    tx_type = tx["type"]
    if tx_type not in TYPE_COLUMNS:
        return None
    to = _hex(tx["to_address"]) if tx["to_address"] is not None else b""
    common = [to, _int(tx["value"]), _hex(tx["input"])]
    if tx_type == 0:
        return [_int(tx["nonce"]), _int(tx["gas_price"]), _int(tx["gas"]), *common]
    access_list = [
        [_hex(entry["address"]), [_hex(key) for key in entry["storage_keys"]]]
        for entry in tx["access_list"]
    ]
    if tx_type == 1:
        return [_int(tx["chain_id"]), _int(tx["nonce"]), _int(tx["gas_price"]), _int(tx["gas"]),
                *common, access_list]
    fields = [_int(tx["chain_id"]), _int(tx["nonce"]), _int(tx["max_priority_fee_per_gas"]),
              _int(tx["max_fee_per_gas"]), _int(tx["gas"]), *common, access_list]
    if tx_type == 3:
        fields += [_int(tx["max_fee_per_blob_gas"]), [_hex(h) for h in tx["blob_versioned_hashes"]]]
    elif tx_type == 4:
        fields.append([
            [_int(a["chain_id"]), _hex(a["address"]), _int(a["nonce"]), _int(a["y_parity"]),
             _int(int(a["r"], 16)), _int(int(a["s"], 16))]
            for a in tx["authorization_list"]
        ])
    return fields


def rlp_encode(item: bytes | list[Any]) -> bytes:
    """RLP of bytes and (nested) lists of bytes: what :func:`rlp.codec.encode_raw` gives,
    without its generic type checks, which dominate the time of verifying small blocks."""
    if isinstance(item, bytes):
        if len(item) == 1 and item[0] < 0x80:
            return item
        return _length_prefix(len(item), 0x80) + item
    payload = b"".join([rlp_encode(element) for element in item])
    return _length_prefix(len(payload), 0xC0) + payload


def _length_prefix(length: int, offset: int) -> bytes:
    if length < 56:
        return bytes((offset + length,))
    size = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes((offset + 55 + len(size),)) + size


def _field_bytes(value: int | str) -> bytes:
    return _int(value) if isinstance(value, int) else _hex(value)


def _int(value: int) -> bytes:
    """An integer as RLP wants it: big-endian, no leading zero bytes (zero is empty)."""
    if value < 0:
        raise ValueError(f"negative quantity {value}")
    return value.to_bytes((value.bit_length() + 7) // 8, "big")


def _hex(value: str) -> bytes:
    if not value.startswith("0x"):
        raise ValueError(f"{value[:20]!r} is not 0x-prefixed hex")
    return bytes.fromhex(value[2:])


def _ranges(indexes: list[int]) -> str:
    shown = ", ".join(str(i) for i in indexes[:8])
    return f"[{shown}{', ...' if len(indexes) > 8 else ''}]"
