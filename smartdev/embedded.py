"""The embedded EVM: a py-evm chain (via eth-tester) that speaks geth's JSON-RPC.

:func:`open_chain` returns an :class:`EmbeddedChain`. Every block is mined as
soon as a transaction arrives (eth-tester's auto-mining), and the ten dev
accounts of :mod:`smartdev.accounts` are funded at genesis, derived from the
same mnemonic and path as Hardhat and anvil (account 0 is
``0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266``).

Requests go through :meth:`EmbeddedChain.handle`, one JSON-RPC request dict in
wire format (hex quantities) to one JSON-serialisable response dict; the
in-process web3 provider (:meth:`EmbeddedChain.provider`) and the HTTP server
(:mod:`smartdev.chain.server`) both use it, so they behave identically. The
methods are web3's eth-tester endpoints (``web3.providers.eth_tester``) with
these changes, to match what geth and anvil answer:

* Chain id: configurable (default 1337). It is set on the chain class that
  eth-tester creates for each backend, so ``eth_chainId``, the ``CHAINID``
  opcode and the transactions eth-tester signs all use it; ``net_version`` is
  its decimal string. ``eth_sendRawTransaction`` rejects a transaction signed
  for another chain ("invalid chain id for signer"), which py-evm would
  accept; unprotected (pre-EIP-155) transactions are accepted, as by anvil.
* Reverts: ``eth_call`` and ``eth_estimateGas`` answer geth's revert error
  ``{"code": 3, "message": "execution reverted[: reason]", "data": "0x…"}``
  with the raw revert data, so web3 raises ``ContractLogicError`` (or its
  custom-error and panic subclasses) with ``.data``. eth-tester's own
  ``call`` keeps only a decoded reason, so ``eth_call`` runs the call here.
* Reverting transactions: eth-tester already mines a reverting transaction
  sent with ``eth_sendRawTransaction``/``eth_sendTransaction``; the hash is
  returned and the receipt has status ``0x0``, as with geth and anvil.
  Transactions that are invalid (bad nonce, insufficient funds, bad
  signature, wrong chain id) are not mined and answer error -32000, in
  geth's words where it has some ("nonce too low: …", "insufficient funds
  for gas * price + value: …"). A future nonce is rejected, not queued.
* Calls and estimates that name no fee pay none (gas price and base fee 0),
  so any address can call; a missing ``from`` is dev account 0, and
  ``eth_sendTransaction`` signs for the dev accounts, estimating ``gas``.
* Results are in geth's wire format: quantities are hex, ``logsBloom`` is 256
  bytes of data, receipts carry a ``logsBloom`` and no ``root``, logs carry
  ``removed``, transactions use camelCase keys (``yParity``, ``input``), and
  ``eth_feeHistory`` follows geth (oldest block, n+1 base fees, rewards).
* ``evm_snapshot``/``evm_revert``/``evm_mine`` work as in Hardhat and anvil;
  ``evm_revert`` answers ``false`` for an unknown snapshot id. Snapshot ids
  live in memory and are forgotten when the chain is reopened.
* Failures never raise out of :meth:`EmbeddedChain.handle`: unknown methods
  answer -32601, malformed requests -32600, bad params -32602, rejected
  transactions -32000 and anything unexpected -32603.

Persistence: with ``state_file`` the chain's key/value database lives in an
SQLite file (tables ``meta`` and ``kv``) mirrored in a dict for reads. Writes
go into an open SQLite transaction that :meth:`EmbeddedChain.commit` commits;
the server commits after every request, so a crash (even ``kill -9``) loses at
most the request in flight. The file uses WAL journaling with
``synchronous=NORMAL``: safe against process crashes, while a power loss may
drop the last commits without corrupting the file. The chain id is stored in
``meta``; an exclusive ``flock`` on ``<state_file>.lock`` (which holds the
owner's pid) keeps a second node off the same file. Remove a state file with
:func:`delete_state`, which also removes its SQLite sidecars.
"""

from __future__ import annotations

import copy
import fcntl
import functools
import json
import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from smartdev import __version__
from smartdev.accounts import DEV_ACCOUNT_COUNT, DEV_BALANCE_WEI, DEV_HD_PATH, DEV_MNEMONIC
from smartdev.errors import NodeError

if TYPE_CHECKING:
    from eth_tester import EthereumTester, PyEVMBackend
    from web3.providers.base import JSONBaseProvider

DEFAULT_CHAIN_ID = 1337
CLIENT_VERSION = f"smartdev-embedded/{__version__}/py-evm"
STATE_SCHEMA = "smartdev-chain-state/1"

Endpoint = Callable[["EthereumTester", list[Any]], Any]

_ERROR_STRING_SELECTOR = bytes.fromhex("08c379a0")
_BLOOM_BYTES = 256
_DEFAULT_TIP_WEI = 10**9
_NAMED_BLOCKS = ("latest", "earliest", "pending", "safe", "finalized")
# Methods whose block parameter geth lets callers leave out: its position.
_OPTIONAL_BLOCK_PARAM = {
    "eth_call": 1,
    "eth_getBalance": 1,
    "eth_getCode": 1,
    "eth_getTransactionCount": 1,
    "eth_getStorageAt": 2,
}
_FEE_FIELDS = ("gas_price", "max_fee_per_gas", "max_priority_fee_per_gas")
_DEFAULT_FROM_METHODS = ("eth_call", "eth_estimateGas", "eth_sendTransaction")
_BLOCK_METHODS = ("eth_getBlockByNumber", "eth_getBlockByHash")
_TRANSACTION_METHODS = (
    "eth_getTransactionByHash",
    "eth_getTransactionByBlockHashAndIndex",
    "eth_getTransactionByBlockNumberAndIndex",
)
_LOG_LIST_METHODS = ("eth_getLogs", "eth_getFilterLogs", "eth_getFilterChanges")


class _RPCError(Exception):
    """A JSON-RPC error to answer with: ``code``, ``message`` and optional ``data``."""

    def __init__(self, code: int, message: str, data: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data

    def as_dict(self) -> dict[str, Any]:
        """The ``error`` member of a JSON-RPC response."""
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.data is not None:
            error["data"] = self.data
        return error


# --------------------------------------------------------------------------- API


def open_chain(*, chain_id: int = DEFAULT_CHAIN_ID, state_file: Path | None = None) -> EmbeddedChain:
    """Start an embedded chain, in memory or persisted in ``state_file``.

    Raises :class:`NodeError` if the state file is in use by another node,
    is not a smartdev state file, or belongs to another chain id.
    """
    from eth_tester import EthereumTester

    backend = _new_backend(chain_id)
    store = None
    if state_file is not None:
        store = _StateStore.open(Path(state_file), chain_id)
        try:
            _install_persistent_chain(backend, store)
        except BaseException:
            store.close()
            raise
    return EmbeddedChain(EthereumTester(backend), chain_id, store)


class EmbeddedChain:
    """A running embedded chain; see the module docstring for its behaviour."""

    def __init__(self, tester: EthereumTester, chain_id: int, store: _StateStore | None) -> None:
        self.tester = tester
        self.chain_id = chain_id
        self.state_file = store.path if store is not None else None
        self._store = store
        self._endpoints = _endpoints(chain_id)
        self._lock = threading.RLock()

    def provider(self) -> JSONBaseProvider:
        """A web3 provider for this chain: ``Web3(chain.provider())`` works in-process."""
        return _provider_class()(self)

    def handle(self, request: Any) -> dict[str, Any]:
        """Answer one JSON-RPC request (wire format); never raises."""
        request_id = request.get("id") if isinstance(request, dict) else None
        try:
            method, params = _parse_request(request)
            with self._lock:
                result = self._dispatch(method, params)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a JSON-RPC error
            return {"jsonrpc": "2.0", "id": request_id, "error": _rpc_error(exc).as_dict()}
        return {"jsonrpc": "2.0", "id": request_id, "result": result}

    def commit(self) -> None:
        """Make everything done so far durable (no-op without a state file)."""
        with self._lock:
            if self._store is not None:
                self._store.commit()

    def close(self) -> None:
        """Commit and release the state file; the chain must not be used afterwards."""
        with self._lock:
            if self._store is not None:
                self._store.commit()
                self._store.close()
                self._store = None

    def __enter__(self) -> EmbeddedChain:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _dispatch(self, method: str, params: list[Any]) -> Any:
        """Run ``method`` through web3's eth-tester formatters; return the wire result."""
        from web3.providers.eth_tester.middleware import request_formatters, result_formatters

        endpoint = self._endpoints.get(method)
        if endpoint is None:
            raise _RPCError(-32601, f"the method {method} does not exist/is not available")
        params = self._with_defaults(method, params)
        try:
            formatted = request_formatters[method](params) if method in request_formatters else params
        except Exception as exc:
            raise _RPCError(-32602, f"invalid params: {exc}") from exc
        result = endpoint(self.tester, formatted)
        if method in result_formatters:
            result = result_formatters[method](result)
        if method in _BLOCK_METHODS and isinstance(result, dict):
            result = self._with_header_extra_data(result)
        return _to_wire(method, result)

    def _with_header_extra_data(self, block: dict[str, Any]) -> dict[str, Any]:
        """``block`` with the header's own ``extraData`` (eth-tester pads it to 32
        bytes, so the block hash could not be recomputed from the answer)."""
        block_hash = block["hash"]
        if isinstance(block_hash, str):
            block_hash = bytes.fromhex(block_hash.removeprefix("0x"))
        try:
            header = self.tester.backend.chain.get_block_header_by_hash(block_hash)
        except Exception:  # noqa: BLE001 - a pending block is not stored yet: leave it
            return block
        return {**block, "extraData": header.extra_data}

    def _with_defaults(self, method: str, params: list[Any]) -> list[Any]:
        """Fill what geth lets callers leave out: the block tag and ``from``."""
        params = list(params)
        position = _OPTIONAL_BLOCK_PARAM.get(method)
        if position is not None and len(params) == position:
            params.append("latest")
        first = params[0] if params else None
        if method in _DEFAULT_FROM_METHODS and isinstance(first, dict) and first.get("from") is None:
            params[0] = {**first, "from": self.tester.get_accounts()[0]}
        return params


def _parse_request(request: Any) -> tuple[str, list[Any]]:
    """Check the JSON-RPC envelope; return the method and the params list."""
    if not isinstance(request, dict) or not isinstance(request.get("method"), str):
        raise _RPCError(-32600, "invalid request: expected an object with a string 'method'")
    params = request.get("params", [])
    if params is None:
        params = []
    if not isinstance(params, list):
        raise _RPCError(-32600, "invalid request: 'params' must be an array")
    return request["method"], params


def delete_state(state_file: Path) -> None:
    """Delete a state file with its SQLite sidecars (``-wal``, ``-shm``, ``.lock``).

    Deleting only the database would let SQLite replay a leftover ``-wal``
    into the next file of that name. Raises :class:`NodeError` while a node
    has the file open.
    """
    path = Path(state_file)
    if not path.parent.is_dir():
        return
    lock_fd = _lock_state_file(path)
    try:
        for suffix in ("", "-wal", "-shm", "-journal"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        path.with_name(path.name + ".lock").unlink(missing_ok=True)
    finally:
        os.close(lock_fd)


# ---------------------------------------------------------------- the chain


def _new_backend(chain_id: int) -> PyEVMBackend:
    """An in-memory eth-tester backend with the dev accounts and ``chain_id``."""
    from eth_tester import PyEVMBackend

    backend = PyEVMBackend(
        genesis_state=_genesis_state(),
        mnemonic=DEV_MNEMONIC,
        hd_path=DEV_HD_PATH,
    )
    # eth-tester makes a new chain class per backend, so this is ours alone.
    type(backend.chain).chain_id = chain_id
    return backend


def _genesis_state() -> dict[bytes, dict[str, Any]]:
    """Genesis allocations: every dev account funded with DEV_BALANCE_WEI."""
    return copy.deepcopy(_dev_genesis_state())


@functools.cache
def _dev_genesis_state() -> dict[bytes, dict[str, Any]]:
    """The genesis allocations, derived once per process (key derivation is slow)."""
    from eth_tester import PyEVMBackend

    return PyEVMBackend.generate_genesis_state(
        mnemonic=DEV_MNEMONIC,
        num_accounts=DEV_ACCOUNT_COUNT,
        hd_path=DEV_HD_PATH,
        overrides={"balance": DEV_BALANCE_WEI},
    )


def _install_persistent_chain(backend: PyEVMBackend, store: _StateStore) -> None:
    """Point ``backend`` at a chain in ``store``: reopened if present, else a new genesis."""
    from eth.db.atomic import AtomicDB
    from eth.db.schema import SchemaV1
    from eth_tester import PyEVMBackend

    chain_class = type(backend.chain)
    db = _sqlite_db_class()(store)
    if SchemaV1.make_canonical_head_hash_lookup_key() in db:
        backend.chain = chain_class(AtomicDB(db))
    else:
        backend.chain = chain_class.from_genesis(
            AtomicDB(db), PyEVMBackend.generate_genesis_params(), _genesis_state()
        )


# ------------------------------------------------------------------ state file


class _StateStore:
    """The SQLite file behind a persistent chain, locked for one process."""

    def __init__(self, path: Path, conn: sqlite3.Connection, lock_fd: int) -> None:
        self.path = path
        self._conn = conn
        self._lock_fd = lock_fd

    @classmethod
    def open(cls, path: Path, chain_id: int) -> _StateStore:
        """Lock and open ``path`` (created if missing) for ``chain_id``."""
        path.parent.mkdir(parents=True, exist_ok=True)
        lock_fd = _lock_state_file(path)
        try:
            conn = _connect_state_db(path, chain_id)
        except BaseException:
            os.close(lock_fd)
            raise
        return cls(path, conn, lock_fd)

    def items(self) -> list[tuple[bytes, bytes]]:
        """Every stored key/value pair."""
        return self._conn.execute("SELECT k, v FROM kv").fetchall()

    def put(self, key: bytes, value: bytes) -> None:
        """Store ``key`` (uncommitted until :meth:`commit`)."""
        self._conn.execute("INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)", (key, value))

    def delete(self, key: bytes) -> None:
        """Remove ``key`` (uncommitted until :meth:`commit`)."""
        self._conn.execute("DELETE FROM kv WHERE k = ?", (key,))

    def commit(self) -> None:
        """Commit the open transaction."""
        self._conn.commit()

    def close(self) -> None:
        """Close the database (dropping uncommitted writes) and release the lock."""
        self._conn.close()
        os.close(self._lock_fd)


def _lock_state_file(path: Path) -> int:
    """Take the exclusive lock of ``path`` and record our pid; return the lock fd."""
    lock_path = path.with_name(path.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        owner = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
        os.close(fd)
        raise NodeError(
            f"state file {path} is in use by another node (pid {owner})",
            hint="Stop that node first, or use another state file.",
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
    return fd


def _connect_state_db(path: Path, chain_id: int) -> sqlite3.Connection:
    """Open the SQLite state file, creating the schema in a new or empty file.

    Anything else than a smartdev state file of ``chain_id`` raises
    :class:`NodeError`, with the file left untouched.
    """
    conn = sqlite3.connect(path, check_same_thread=False)
    try:
        tables = _table_names(conn, path)
        if tables:
            _check_state_db(conn, path, tables, chain_id)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        if not tables:
            _create_state_db(conn, chain_id)
    except BaseException:
        conn.close()
        raise
    return conn


def _table_names(conn: sqlite3.Connection, path: Path) -> set[str]:
    """The tables in the database; NodeError if the file is not an SQLite database."""
    try:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    except sqlite3.DatabaseError as exc:
        raise _not_a_state_file(path, str(exc)) from None
    return {row[0] for row in rows}


def _check_state_db(conn: sqlite3.Connection, path: Path, tables: set[str], chain_id: int) -> None:
    """Check that an existing database is a state file of ``chain_id``."""
    if tables != {"meta", "kv"}:
        raise _not_a_state_file(path, "it holds other tables")
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    if meta.get("schema") != STATE_SCHEMA:
        raise _not_a_state_file(path, f"unknown schema {meta.get('schema')!r}")
    stored = int(meta["chain_id"])
    if stored != chain_id:
        raise NodeError(
            f"state file {path} belongs to chain {stored}, not chain {chain_id}",
            hint=f"Use chain id {stored}, or another state file.",
        )


def _create_state_db(conn: sqlite3.Connection, chain_id: int) -> None:
    """Create the schema of a new state file."""
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute("CREATE TABLE kv (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID")
    conn.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?)",
        [("schema", STATE_SCHEMA), ("chain_id", str(chain_id))],
    )
    conn.commit()


def _not_a_state_file(path: Path, why: str) -> NodeError:
    return NodeError(
        f"{path} is not a smartdev chain state file ({why})",
        hint="Pass another --state file; this one was left untouched.",
    )


@functools.cache
def _sqlite_db_class() -> type:
    """py-evm's database interface over a :class:`_StateStore` (built on first use)."""
    from eth.db.backends.base import BaseDB

    class SQLiteDB(BaseDB):
        """Key/value store: reads from a dict mirror, writes also to SQLite."""

        def __init__(self, store: _StateStore) -> None:
            self._store = store
            self._mirror: dict[bytes, bytes] = dict(store.items())

        def __getitem__(self, key: bytes) -> bytes:
            return self._mirror[key]

        def __setitem__(self, key: bytes, value: bytes) -> None:
            self._mirror[key] = value
            self._store.put(key, value)

        def __delitem__(self, key: bytes) -> None:
            del self._mirror[key]
            self._store.delete(key)

        def _exists(self, key: bytes) -> bool:
            return key in self._mirror

    return SQLiteDB


# ------------------------------------------------------------------ endpoints


def _endpoints(chain_id: int) -> dict[str, Endpoint]:
    """The JSON-RPC methods: web3's eth-tester table with geth's behaviour where it differs."""
    from web3.providers.eth_tester.defaults import API_ENDPOINTS, not_implemented

    table: dict[str, Endpoint] = {
        f"{namespace}_{name}": endpoint
        for namespace, endpoints in API_ENDPOINTS.items()
        for name, endpoint in endpoints.items()
        if endpoint is not not_implemented
    }
    table.update(
        {
            "web3_clientVersion": lambda tester, params: CLIENT_VERSION,
            "net_version": lambda tester, params: str(chain_id),
            "net_listening": lambda tester, params: True,
            "eth_chainId": lambda tester, params: chain_id,
            "eth_gasPrice": _gas_price,
            "eth_call": _call,
            "eth_estimateGas": _estimate_gas,
            "eth_sendTransaction": _send_transaction,
            "eth_sendRawTransaction": functools.partial(_send_raw_transaction, chain_id),
            "eth_feeHistory": _fee_history,
            "eth_getLogs": _get_logs,
            "eth_getBlockReceipts": _get_block_receipts,
            "eth_getStorageAt": _get_storage_at,
            "evm_mine": _evm_mine,
            "evm_revert": _evm_revert,
        }
    )
    return table


def _gas_price(tester: EthereumTester, params: list[Any]) -> int:
    """The next block's base fee plus the default tip, like geth's suggestion."""
    return tester.backend.chain.header.base_fee_per_gas + _DEFAULT_TIP_WEI


def _call(tester: EthereumTester, params: list[Any]) -> bytes:
    """``eth_call`` that keeps the raw revert data (eth-tester's ``call`` drops it)."""
    from eth.exceptions import Revert

    header, transaction = _prepare_call(tester, params, "call")
    state = tester.backend.chain.get_vm(at_header=header).state
    snapshot = state.snapshot()
    try:
        computation = state.apply_transaction(transaction)
    finally:
        state.revert(snapshot)
    if computation.is_error:
        if isinstance(computation.error, Revert):
            raise _revert_error(computation.output)
        raise _RPCError(-32000, str(computation.error))
    return computation.output


def _estimate_gas(tester: EthereumTester, params: list[Any]) -> int:
    """``eth_estimateGas``; a revert answers geth's revert error with its data."""
    from eth.exceptions import Revert, VMError

    header, transaction = _prepare_call(tester, params, "estimate")
    try:
        return tester.backend.chain.estimate_gas(transaction, header)
    except Revert as exc:
        raise _revert_error(exc.args[0] if exc.args else b"") from None
    except VMError as exc:
        raise _RPCError(-32000, str(exc)) from None


def _prepare_call(tester: EthereumTester, params: list[Any], kind: str) -> tuple[Any, Any]:
    """The header to run a call or estimate on, and the spoofed transaction.

    Like geth, a request that names no fee pays none: it runs with gas price 0
    against a base fee of 0, so any sender can call without a balance.
    """
    from eth.vm.spoof import SpoofTransaction
    from eth_tester.backends.pyevm.main import _get_block_by_number

    request, block = params[0], params[1] if len(params) > 1 else "latest"
    tester.validator.validate_inbound_transaction(request, txn_internal_type=kind)
    tester.validator.validate_inbound_block_number(block)
    transaction = tester.normalizer.normalize_inbound_transaction(request)
    raw_block = tester.normalizer.normalize_inbound_block_number(block)
    backend = tester.backend
    header = _get_block_by_number(backend.chain, raw_block).header
    if not any(key in transaction for key in _FEE_FIELDS):
        transaction = {**transaction, "gas_price": 0}
        header = header.copy(base_fee_per_gas=0)
    transaction = {"gas": backend._max_available_gas(), **transaction}
    unsigned = backend._get_normalized_and_unsigned_evm_transaction(transaction, raw_block)
    return header, SpoofTransaction(unsigned, from_=transaction["from"])


def _send_transaction(tester: EthereumTester, params: list[Any]) -> str:
    """``eth_sendTransaction`` from a dev account; a missing ``gas`` is estimated."""
    transaction = params[0]
    if transaction.get("gas") is None:
        transaction = {**transaction, "gas": _estimate_gas(tester, [transaction])}
    return tester.send_transaction(transaction)


def _send_raw_transaction(chain_id: int, tester: EthereumTester, params: list[Any]) -> str:
    """``eth_sendRawTransaction``: rejects other chains' transactions, explains rejections."""
    from eth_utils import ValidationError as EVMValidationError

    transaction = _decode_raw_transaction(tester, params)
    signed_for = transaction.chain_id if transaction is not None else None
    if signed_for is not None and signed_for != chain_id:
        raise _RPCError(-32000, f"invalid chain id for signer: have {signed_for} want {chain_id}")
    try:
        return tester.send_raw_transaction(params[0])
    except EVMValidationError as exc:
        if transaction is None:
            raise
        raise _RPCError(-32000, _rejection(tester, transaction, exc)) from None


def _decode_raw_transaction(tester: EthereumTester, params: list[Any]) -> Any:
    """The signed transaction in ``params[0]``; None for a blob transaction.

    Blob transactions arrive wrapped with their blobs; eth-tester unwraps them.
    """
    from eth_utils import decode_hex

    try:
        raw = decode_hex(params[0])
        if raw[:1] == b"\x03":
            return None
        return tester.backend.chain.get_vm().get_transaction_builder().decode(raw)
    except Exception as exc:
        raise _RPCError(-32602, f"invalid raw transaction: {exc}") from exc


def _rejection(tester: EthereumTester, transaction: Any, error: Exception) -> str:
    """geth's words for why ``transaction`` was rejected (nonce or funds), else py-evm's."""
    from eth_utils import to_checksum_address

    state = tester.backend.chain.get_vm().state
    sender = transaction.sender
    address = to_checksum_address(sender)
    expected = state.get_nonce(sender)
    if transaction.nonce != expected:
        too = "low" if transaction.nonce < expected else "high"
        return f"nonce too {too}: address {address}, tx: {transaction.nonce} state: {expected}"
    cost = transaction.gas * transaction.max_fee_per_gas + transaction.value
    balance = state.get_balance(sender)
    if balance < cost:
        return f"insufficient funds for gas * price + value: address {address} have {balance} want {cost}"
    return str(error)


def _fee_history(tester: EthereumTester, params: list[Any]) -> dict[str, Any]:
    """``eth_feeHistory`` as geth answers it (eth-tester's oldest block is wrong)."""
    count, newest = int(params[0]), params[1]
    percentiles = [float(p) for p in params[2]] if len(params) > 2 and params[2] else []
    chain = tester.backend.chain
    head = chain.get_canonical_head().block_number
    last = 0 if newest == "earliest" else head if newest in _NAMED_BLOCKS else int(newest)
    if not 1 <= count <= 1024:
        raise _RPCError(-32602, f"invalid params: block count {count} is not between 1 and 1024")
    if last > head:
        raise _RPCError(-32602, f"request beyond head block: requested {last}, head {head}")
    first = max(0, last - count + 1)
    headers = [chain.get_canonical_block_header_by_number(n) for n in range(first, last + 1)]
    following = chain.header if last == head else chain.get_canonical_block_header_by_number(last + 1)
    history: dict[str, Any] = {
        "oldestBlock": first,
        "baseFeePerGas": [h.base_fee_per_gas for h in headers] + [following.base_fee_per_gas],
        "gasUsedRatio": [h.gas_used / h.gas_limit for h in headers],
    }
    if percentiles:
        history["reward"] = [_block_rewards(chain, h, percentiles) for h in headers]
    return history


def _block_rewards(chain: Any, header: Any, percentiles: list[float]) -> list[int]:
    """The tips paid at each gas-weighted percentile of a block, as geth computes them."""
    block = chain.get_block_by_header(header)
    if not block.transactions:
        return [0] * len(percentiles)
    receipts = block.get_receipts(chain.chaindb)
    cumulative = [0] + [r.gas_used for r in receipts]
    paid = sorted(
        (
            min(tx.max_priority_fee_per_gas, tx.max_fee_per_gas - header.base_fee_per_gas),
            cumulative[i + 1] - cumulative[i],
        )
        for i, tx in enumerate(block.transactions)
    )
    rewards, index, spent = [], 0, paid[0][1]
    for percentile in percentiles:
        threshold = header.gas_used * percentile / 100
        while spent < threshold and index < len(paid) - 1:
            index += 1
            spent += paid[index][1]
        rewards.append(paid[index][0])
    return rewards


def _get_logs(tester: EthereumTester, params: list[Any]) -> tuple[dict[str, Any], ...]:
    """``eth_getLogs``, also by ``blockHash`` (which eth-tester lacks)."""
    query = dict(params[0])
    block_hash = query.pop("blockHash", None)
    if block_hash is not None:
        number = tester.get_block_by_hash(block_hash)["number"]
        query["from_block"] = query["to_block"] = number
    return tester.get_logs(**query)


def _get_block_receipts(tester: EthereumTester, params: list[Any]) -> list[dict[str, Any]] | None:
    """``eth_getBlockReceipts`` by block number, tag or hash: all of a block's receipts
    at once (eth-tester finds each receipt by scanning the chain back from the head)."""
    from eth.exceptions import BlockNotFound, HeaderNotFound
    from eth_tester.backends.pyevm.main import _get_block_by_number
    from eth_tester.backends.pyevm.serializers import serialize_transaction_receipt
    from eth_tester.exceptions import BlockNotFound as TesterBlockNotFound
    from web3.providers.eth_tester.middleware import result_formatters

    chain = tester.backend.chain
    block_id = params[0]
    try:
        if isinstance(block_id, str) and len(block_id) == 66:
            block = chain.get_block_by_hash(bytes.fromhex(block_id[2:]))
        else:
            if isinstance(block_id, str) and block_id not in _NAMED_BLOCKS:
                block_id = int(block_id, 16)
            block = _get_block_by_number(chain, block_id)
    except (BlockNotFound, HeaderNotFound, TesterBlockNotFound):
        return None
    receipts = block.get_receipts(chain.chaindb)
    pending = block.number == chain.get_block().number
    vm = chain.get_vm()
    formatter = result_formatters["eth_getTransactionReceipt"]
    return [
        _wire_receipt(formatter(tester.normalizer.normalize_outbound_receipt(
            serialize_transaction_receipt(block, receipts, transaction, index, pending, vm)
        )))
        for index, transaction in enumerate(block.transactions)
    ]


def _get_storage_at(tester: EthereumTester, params: list[Any]) -> str:
    """``eth_getStorageAt`` with a hex block number allowed."""
    account, slot, block = params
    if isinstance(block, str) and block not in _NAMED_BLOCKS:
        block = int(block, 16)
    return tester.get_storage_at(account, slot, block)


def _evm_mine(tester: EthereumTester, params: list[Any]) -> str:
    """``evm_mine [timestamp]``: mine one block, at ``timestamp`` if given."""
    timestamp = params[0] if params else None
    if timestamp is not None:
        chain = tester.backend.chain
        seconds = int(timestamp, 16) if isinstance(timestamp, str) else int(timestamp)
        chain.header = chain.header.copy(timestamp=seconds)
    tester.mine_blocks(1)
    return "0x0"


def _evm_revert(tester: EthereumTester, params: list[Any]) -> bool:
    """``evm_revert id``: true if the chain went back to that snapshot."""
    from eth_tester.exceptions import SnapshotNotFound

    try:
        tester.revert_to_snapshot(params[0])
    except SnapshotNotFound:
        return False
    return True


# --------------------------------------------------------------------- errors


def _revert_error(data: bytes) -> _RPCError:
    """geth's error for a revert: code 3, the decoded reason and the raw data."""
    reason = _error_string(data)
    message = "execution reverted" if reason is None else f"execution reverted: {reason}"
    return _RPCError(3, message, "0x" + bytes(data).hex())


def _error_string(data: bytes) -> str | None:
    """The reason of an ``Error(string)`` revert, or None for other revert data."""
    from eth_abi import decode

    if data[:4] != _ERROR_STRING_SELECTOR:
        return None
    try:
        return decode(["string"], data[4:])[0]
    except Exception:  # noqa: BLE001 - malformed data just has no reason
        return None


def _rpc_error(exc: Exception) -> _RPCError:
    """The JSON-RPC error that answers ``exc``."""
    from eth_tester import exceptions as tester_errors
    from eth_utils import ValidationError as EVMValidationError

    if isinstance(exc, _RPCError):
        return exc
    if isinstance(exc, tester_errors.ValidationError):
        return _RPCError(-32602, f"invalid params: {exc}")
    if isinstance(exc, EVMValidationError):
        return _RPCError(-32000, str(exc))
    if isinstance(exc, tester_errors.TransactionFailed):
        return _RPCError(-32000, str(exc.args[0] if exc.args else "transaction failed"))
    if isinstance(exc, (tester_errors.BlockNotFound, tester_errors.TransactionNotFound)):
        return _RPCError(-32000, str(exc))
    if isinstance(exc, (TypeError, ValueError, KeyError, IndexError, NotImplementedError)):
        return _RPCError(-32602, f"invalid params: {type(exc).__name__}: {exc}")
    return _RPCError(-32603, f"internal error: {type(exc).__name__}: {exc}")


# ---------------------------------------------------------------- wire format


def _to_wire(method: str, result: Any) -> Any:
    """``result`` in geth's wire format: hex quantities and data, camelCase keys."""
    if isinstance(result, dict):
        if method in _BLOCK_METHODS:
            result = _wire_block(result)
        elif method in _TRANSACTION_METHODS:
            result = _wire_transaction(result)
        elif method == "eth_getTransactionReceipt":
            result = _wire_receipt(result)
    elif method in _LOG_LIST_METHODS and isinstance(result, (list, tuple)):
        result = [_wire_log(item) if isinstance(item, dict) else item for item in result]
    return _hexify(result)


def _wire_block(block: dict[str, Any]) -> dict[str, Any]:
    """A block with ``logsBloom`` as data and full transactions in wire keys."""
    block = dict(block)
    block["logsBloom"] = _bloom_bytes(block["logsBloom"])
    block["transactions"] = [
        _wire_transaction(tx) if isinstance(tx, dict) else tx for tx in block["transactions"]
    ]
    return block


def _wire_transaction(transaction: dict[str, Any]) -> dict[str, Any]:
    """A transaction with geth's keys (``input``, ``yParity``, ``to`` null for creation)."""
    from web3.providers.eth_tester.middleware import (
        transaction_result_formatter,
        transaction_result_remapper,
    )

    transaction = dict(transaction_result_formatter(transaction_result_remapper(transaction)))
    if "y_parity" in transaction:
        transaction["yParity"] = transaction.pop("y_parity")
    transaction["to"] = transaction.get("to") or None
    return transaction


def _wire_receipt(receipt: dict[str, Any]) -> dict[str, Any]:
    """A receipt with wire logs, its own ``logsBloom`` and no pre-Byzantium ``root``."""
    receipt = dict(receipt)
    receipt.pop("state_root", None)
    receipt["to"] = receipt.get("to") or None
    receipt["logs"] = [_wire_log(log) for log in receipt["logs"]]
    receipt["logsBloom"] = _logs_bloom(receipt["logs"])
    return receipt


def _wire_log(log: dict[str, Any]) -> dict[str, Any]:
    """A log with camelCase keys and ``removed`` instead of eth-tester's ``type``."""
    from web3.providers.eth_tester.middleware import log_result_remapper

    log = dict(log_result_remapper(log))
    log.pop("type", None)
    log["removed"] = False
    return log


def _logs_bloom(logs: list[dict[str, Any]]) -> bytes:
    """The bloom filter of ``logs`` (addresses and topics), as 256 bytes."""
    from eth_bloom import BloomFilter
    from eth_utils import to_bytes

    bloom = BloomFilter()
    for log in logs:
        bloom.add(to_bytes(hexstr=log["address"]))
        for topic in log["topics"]:
            bloom.add(to_bytes(hexstr=topic) if isinstance(topic, str) else bytes(topic))
    return _bloom_bytes(int(bloom))


def _bloom_bytes(bloom: int | bytes | str) -> bytes:
    """A logs bloom (int, bytes or hex) as exactly 256 bytes."""
    if isinstance(bloom, int):
        return bloom.to_bytes(_BLOOM_BYTES, "big")
    raw = bytes.fromhex(bloom[2:]) if isinstance(bloom, str) else bytes(bloom)
    return raw.rjust(_BLOOM_BYTES, b"\x00")


def _hexify(value: Any) -> Any:
    """Ints to hex quantities and bytes to hex data, recursively; the rest unchanged."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, float)):
        return value
    if isinstance(value, int):
        return hex(value)
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    if isinstance(value, dict):
        return {key: _hexify(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_hexify(item) for item in value]
    return value


# ------------------------------------------------------------------ provider


@functools.cache
def _provider_class() -> type[JSONBaseProvider]:
    """The web3 provider class for embedded chains (built on first use)."""
    from web3.providers.base import JSONBaseProvider
    from web3.types import RPCEndpoint, RPCResponse

    class EmbeddedProvider(JSONBaseProvider):
        """A web3 provider that hands wire-format requests to an :class:`EmbeddedChain`."""

        def __init__(self, chain: EmbeddedChain) -> None:
            super().__init__()
            self.chain = chain

        def make_request(self, method: RPCEndpoint, params: Any) -> RPCResponse:
            request = json.loads(self.encode_rpc_request(method, params))
            return self.chain.handle(request)  # type: ignore[return-value]

        def make_batch_request(self, requests: list[tuple[RPCEndpoint, Any]]) -> list[RPCResponse]:
            batch = json.loads(self.encode_batch_rpc_request(requests))
            return [self.chain.handle(request) for request in batch]  # type: ignore[misc]

        def is_connected(self, show_traceback: bool = False) -> bool:
            return True

    return EmbeddedProvider
