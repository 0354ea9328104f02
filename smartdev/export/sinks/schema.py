"""Table specs of `smartdev export`: the core tables and the types every sink maps.

A :class:`TableSpec` names a table, its columns in order, its primary key and its
secondary indexes. Each :class:`Column` has a *kind* that sinks map to a storage
type (see ``SQL_TYPES`` in :mod:`smartdev.export.sinks.sql` and the README):

=========  ==========================================================
kind       Python value in a row
=========  ==========================================================
int64      int that fits in a signed 64-bit integer (block numbers, gas)
uint256    int, 0 .. 2**256-1 (values, prices, fees, signatures)
int256     int, -2**255 .. 2**255-1 (decoded signed ABI integers)
hex        lowercase 0x-prefixed hex string of any length
address    lowercase 0x + 40 hex
bool       bool
text       str
json       JSON-serialisable list or dict
=========  ==========================================================

Every row a sink stores is read back as the same dict (same keys, same types).
Importing this module is cheap: no database library is loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The version of the tables below and of the sinks' bookkeeping tables. Bump it when
# either changes, and give sinks a migration from the previous version (or none:
# opening an older sink then says what to do).
SCHEMA_VERSION = 1

KINDS = frozenset({"int64", "uint256", "int256", "hex", "address", "bool", "text", "json"})
MAX_NAME = 63  # PostgreSQL truncates identifiers past 63 bytes; MySQL allows 64
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    nullable: bool = False

    def __post_init__(self) -> None:
        _check_name(self.name, "column")
        if self.kind not in KINDS:
            raise ValueError(f"column {self.name}: unknown kind {self.kind!r} (one of {sorted(KINDS)})")

    def to_json(self) -> dict:
        return {"name": self.name, "kind": self.kind, "nullable": self.nullable}


@dataclass(frozen=True)
class TableSpec:
    """A table: ``columns`` in order, ``primary_key`` column names, ``index``: the
    secondary indexes (each a tuple of column names). ``block_column`` holds the
    block number of each row: ranges are committed and rolled back by it."""

    name: str
    columns: list[Column]
    primary_key: tuple[str, ...]
    index: list[tuple[str, ...]] = field(default_factory=list)
    block_column: str = "block_number"

    def __post_init__(self) -> None:
        _check_name(self.name, "table")
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            dups = sorted({n for n in names if names.count(n) > 1})
            raise ValueError(f"table {self.name}: duplicate columns {dups}")
        object.__setattr__(self, "primary_key", tuple(self.primary_key))
        object.__setattr__(self, "index", [tuple(ix) for ix in self.index])
        for cols in [self.primary_key, *self.index, (self.block_column,)]:
            for col in cols:
                if col not in names:
                    raise ValueError(f"table {self.name}: no column {col!r} (key or index)")
        if not self.primary_key:
            raise ValueError(f"table {self.name}: no primary key")
        if self.column(self.block_column).kind != "int64":
            raise ValueError(f"table {self.name}: block column {self.block_column} must be int64")

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"table {self.name} has no column {name}")

    @property
    def read_order(self) -> list[str]:
        """How rows are read back: by block, then as the key or a block index orders them
        (transactions and receipts by index in the block, logs by log index)."""
        if self.primary_key[0] == self.block_column:
            return list(self.primary_key)
        for ix in self.index:
            if ix[0] == self.block_column:
                return [*ix, *[c for c in self.primary_key if c not in ix]]
        return [self.block_column, *[c for c in self.primary_key if c != self.block_column]]

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "columns": [c.to_json() for c in self.columns],
            "primary_key": list(self.primary_key),
            "index": [list(ix) for ix in self.index],
            "block_column": self.block_column,
        }

    @classmethod
    def from_json(cls, data: dict) -> TableSpec:
        return cls(
            name=data["name"],
            columns=[Column(c["name"], c["kind"], bool(c["nullable"])) for c in data["columns"]],
            primary_key=tuple(data["primary_key"]),
            index=[tuple(ix) for ix in data.get("index", [])],
            block_column=data.get("block_column", "block_number"),
        )


def _check_name(name: str, what: str) -> None:
    if not isinstance(name, str) or not _NAME.match(name) or len(name) > MAX_NAME:
        raise ValueError(
            f"{what} name {name!r} is not a lowercase SQL identifier of at most {MAX_NAME} characters"
        )


def _cols(spec: str) -> list[Column]:
    """Columns from a compact ``name kind[?]`` list (``?``: nullable)."""
    out = []
    for item in spec.split(","):
        name, kind = item.split()
        out.append(Column(name, kind.rstrip("?"), kind.endswith("?")))
    return out


BLOCKS = TableSpec(
    "blocks",
    _cols(
        "number int64, hash hex, parent_hash hex, nonce hex?, sha3_uncles hex, logs_bloom hex,"
        "transactions_root hex, state_root hex, receipts_root hex, miner address,"
        "difficulty uint256, total_difficulty uint256?, size int64, extra_data hex,"
        "gas_limit int64, gas_used int64, timestamp int64, mix_hash hex?,"
        "base_fee_per_gas uint256?, withdrawals_root hex?, blob_gas_used int64?,"
        "excess_blob_gas int64?, parent_beacon_block_root hex?, requests_hash hex?,"
        "transaction_count int64, withdrawals json?, uncles json"
    ),
    primary_key=("number",),
    index=[("hash",)],
    block_column="number",
)

TRANSACTIONS = TableSpec(
    "transactions",
    _cols(
        "hash hex, block_number int64, block_hash hex, transaction_index int64, type int64,"
        "nonce uint256, from_address address, to_address address?, value uint256, gas uint256,"
        "gas_price uint256?, max_fee_per_gas uint256?, max_priority_fee_per_gas uint256?,"
        "max_fee_per_blob_gas uint256?, input hex, chain_id uint256?, v uint256, r uint256,"
        "s uint256, y_parity int64?, access_list json?, blob_versioned_hashes json?,"
        "authorization_list json?"
    ),
    primary_key=("hash",),
    index=[("block_number", "transaction_index"), ("from_address",), ("to_address",)],
)

RECEIPTS = TableSpec(
    "receipts",
    _cols(
        "transaction_hash hex, block_number int64, transaction_index int64, type int64,"
        "status int64?, root hex?, cumulative_gas_used uint256, gas_used uint256,"
        "effective_gas_price uint256?, contract_address address?, logs_bloom hex,"
        "blob_gas_used uint256?, blob_gas_price uint256?"
    ),
    primary_key=("transaction_hash",),
    index=[("block_number", "transaction_index")],
)

LOGS = TableSpec(
    "logs",
    _cols(
        "block_number int64, log_index int64, transaction_hash hex, transaction_index int64,"
        "address address, topic0 hex?, topic1 hex?, topic2 hex?, topic3 hex?, data hex"
    ),
    primary_key=("block_number", "log_index"),
    index=[("address", "topic0"), ("transaction_hash",)],
)

# One row per receipt with a contract_address. The key includes the creating
# transaction: an address can be created again (CREATE2 after SELFDESTRUCT).
CONTRACTS = TableSpec(
    "contracts",
    _cols(
        "address address, block_number int64, transaction_hash hex, deployer address,"
        "code_hash hex?, artifact text?"
    ),
    primary_key=("address", "transaction_hash"),
    index=[("block_number",)],
)

CORE_TABLES: list[TableSpec] = [BLOCKS, TRANSACTIONS, RECEIPTS, LOGS, CONTRACTS]
