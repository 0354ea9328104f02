"""Batched JSON-RPC over HTTP for the export: blocks with their transactions, and receipts.

:class:`RpcClient` keeps one keep-alive HTTP session (``requests``) and sends
JSON-RPC batches as single POSTs, decoding the answers with :mod:`json`: no web3
and none of its per-call formatting. Connection failures, timeouts and HTTP
5xx/429 answers are retried with exponential backoff, then raise
:class:`~smartdev.errors.NetworkError` naming the URL; an error in a batch's
answer raises :class:`RpcError` naming the method and its params.

A client is for one thread at a time (give each worker its own).
"""

from __future__ import annotations

import json
import time
from types import TracebackType
from typing import Any

from smartdev.errors import NetworkError, NotFoundError

DEFAULT_TIMEOUT = 60.0
DEFAULT_BATCH_SIZE = 200
_METHOD_MISSING = -32601
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_CONNECTION_FAILURES = (
    "Connection refused", "Name or service not known", "No route to host", "Connection reset",
    "Remote end closed connection", "Temporary failure in name resolution",
)
_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


class RpcError(NetworkError):
    """The node answered a call with a JSON-RPC error."""

    def __init__(self, message: str, *, method: str, params: list[Any], code: int | None,
                 hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.method = method
        self.params = params
        self.code = code


class BlockNotFound(NotFoundError):
    """A block the export asked for is not on the node (beyond its head, or pruned)."""

    def __init__(self, number: int, url: str) -> None:
        super().__init__(
            f"block {number} is not on the node at {url}",
            hint="Export blocks up to the node's head (smartdev export status shows where the export is).",
        )
        self.number = number


class ChainChanged(NetworkError):
    """The node's answers for a block did not fit together: the chain was
    reorganised while the block was fetched. Fetch the block again."""

    def __init__(self, number: int, why: str) -> None:
        super().__init__(
            f"block {number} changed while it was fetched ({why}); the chain was reorganised",
            hint="Fetch the range again.",
        )
        self.number = number


class RpcClient:
    """JSON-RPC over HTTP(S) to ``url`` with batching, keep-alive and retries.

    ``timeout`` is seconds per HTTP request; a failed request is tried again
    ``retries`` times, after ``backoff``, 2x``backoff``, 4x``backoff``...
    seconds. :meth:`blocks` and :meth:`receipts` send ``batch_size`` calls per
    POST.
    """

    def __init__(self, url: str, *, timeout: float = DEFAULT_TIMEOUT, retries: int = 5,
                 backoff: float = 0.2, batch_size: int = DEFAULT_BATCH_SIZE) -> None:
        import requests

        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.url = url
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.batch_size = batch_size
        self._session = requests.Session()
        self._session.headers.update(_HEADERS)
        self._block_receipts: bool | None = None  # eth_getBlockReceipts: unknown, yes, no

    # ------------------------------------------------------------ plumbing

    def batch(self, calls: list[tuple[str, list[Any]]]) -> list[Any]:
        """The results of ``calls`` (method, params), in order, from ONE HTTP POST.

        Raises :class:`RpcError` if the node answers any call with an error.
        """
        results = []
        for (method, params), answer in zip(calls, self._answers(calls)):
            if "error" in answer:
                raise self._error(answer["error"], method, params)
            results.append(answer.get("result"))
        return results

    def _answers(self, calls: list[tuple[str, list[Any]]]) -> list[dict[str, Any]]:
        """The JSON-RPC response objects for ``calls``, in order (errors included)."""
        if not calls:
            return []
        payload = [
            {"jsonrpc": "2.0", "id": index, "method": method, "params": params}
            for index, (method, params) in enumerate(calls)
        ]
        answer = self._post(payload)
        if isinstance(answer, dict) and len(calls) == 1 and "error" not in answer:
            answer = [answer]  # some nodes answer a batch of one with a plain response
        if isinstance(answer, dict):  # the whole batch was refused
            method, params = calls[0]
            raise self._error(answer.get("error"), method, params, batch=len(calls))
        if not isinstance(answer, list):
            raise NetworkError(f"{self.url} answered a JSON-RPC batch with {type(answer).__name__}")
        by_id = {item.get("id"): item for item in answer if isinstance(item, dict)}
        ordered = []
        for index, (method, params) in enumerate(calls):
            item = by_id.get(index)
            if item is None:
                raise NetworkError(f"{self.url} left {method}{_show(params)} out of its batch answer")
            ordered.append(item)
        return ordered

    def call(self, method: str, *params: Any) -> Any:
        """One call's result, in a plain (not batched) request."""
        answer = self._post({"jsonrpc": "2.0", "id": 0, "method": method, "params": list(params)})
        if not isinstance(answer, dict):
            raise NetworkError(f"{self.url} answered {method} with {type(answer).__name__}")
        if "error" in answer:
            raise self._error(answer["error"], method, list(params))
        return answer.get("result")

    def _post(self, payload: Any) -> Any:
        """POST ``payload`` as JSON; the decoded answer. Retries what may pass later."""
        import requests

        body = json.dumps(payload, separators=(",", ":")).encode()
        attempt = 0
        while True:
            try:
                response = self._session.post(self.url, data=body, timeout=self.timeout)
                if response.status_code not in _RETRY_STATUSES:
                    break
                reason = f"HTTP {response.status_code} {response.reason}"
            except requests.Timeout:
                reason = f"no answer within {self.timeout:g} s"
            except requests.RequestException as exc:
                reason = _connection_reason(exc)
            if attempt >= self.retries:
                raise NetworkError(
                    f"cannot reach {self.url}: {reason} (tried {attempt + 1} times)",
                    hint="Check that the node is running and the URL is right.",
                )
            time.sleep(self.backoff * 2**attempt)
            attempt += 1
        if response.status_code != 200:
            raise NetworkError(
                f"{self.url} answered HTTP {response.status_code} {response.reason}: "
                f"{response.text[:200].strip()}"
            )
        try:
            return json.loads(response.content)
        except ValueError:
            raise NetworkError(
                f"{self.url} answered something that is not JSON: {response.text[:100]!r}"
            ) from None

    def _error(self, error: Any, method: str, params: list[Any], *, batch: int = 0) -> RpcError:
        code = error.get("code") if isinstance(error, dict) else None
        message = error.get("message") if isinstance(error, dict) else str(error)
        if batch:
            return RpcError(
                f"{self.url} refused a batch of {batch} calls: {message} (code {code})",
                method=method, params=params, code=code,
                hint="Lower the batch size.",
            )
        return RpcError(
            f"{method}{_show(params)} failed at {self.url}: {message} (code {code})",
            method=method, params=params, code=code,
        )

    def close(self) -> None:
        """Close the HTTP session."""
        self._session.close()

    def __enter__(self) -> RpcClient:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    # ------------------------------------------------------------ chain data

    def head(self) -> int:
        """The number of the node's latest block."""
        return int(self.call("eth_blockNumber"), 16)

    def chain_id(self) -> int:
        return int(self.call("eth_chainId"), 16)

    def block_hash(self, number: int) -> str | None:
        """Block ``number``'s hash (lowercase hex), None if the node has no such block."""
        block = self.call("eth_getBlockByNumber", hex(number), False)
        return None if block is None else block["hash"].lower()

    def block_hashes(self, start: int, end: int) -> dict[int, str]:
        """``{number: hash}`` of blocks ``start``..``end`` (inclusive) the node has."""
        hashes: dict[int, str] = {}
        for first in range(start, end + 1, self.batch_size):
            last = min(end, first + self.batch_size - 1)
            calls = [("eth_getBlockByNumber", [hex(n), False]) for n in range(first, last + 1)]
            for number, block in zip(range(first, last + 1), self.batch(calls)):
                if block is not None:
                    hashes[number] = block["hash"].lower()
        return hashes

    def code(self, address: str, block: int) -> str | None:
        """The runtime code at ``address`` after ``block`` (hex), None if the node
        cannot say (e.g. it pruned that block's state)."""
        return self.codes([(address, block)])[0]

    def codes(self, pairs: list[tuple[str, int]]) -> list[str | None]:
        """:meth:`code` for many ``(address, block)`` pairs, batched."""
        codes: list[str | None] = []
        for first in range(0, len(pairs), self.batch_size):
            chunk = pairs[first:first + self.batch_size]
            calls = [("eth_getCode", [address, hex(block)]) for address, block in chunk]
            codes += [None if "error" in answer else answer.get("result") for answer in self._answers(calls)]
        return codes

    @property
    def receipts_method(self) -> str | None:
        """How :meth:`receipts` fetches: ``eth_getBlockReceipts``, or
        ``eth_getTransactionReceipt`` on a node without it; None until it has asked."""
        if self._block_receipts is None:
            return None
        return "eth_getBlockReceipts" if self._block_receipts else "eth_getTransactionReceipt"

    def blocks(self, start: int, end: int) -> list[dict[str, Any]]:
        """Blocks ``start``..``end`` (inclusive) with full transactions, as the node answers.

        Raises :class:`BlockNotFound` for a block the node does not have and
        :class:`ChainChanged` if the blocks do not link up (a reorganisation
        between two batches).
        """
        blocks: list[dict[str, Any]] = []
        for first in range(start, end + 1, self.batch_size):
            last = min(end, first + self.batch_size - 1)
            calls = [("eth_getBlockByNumber", [hex(n), True]) for n in range(first, last + 1)]
            blocks += self.batch(calls)
        previous = None
        for number, block in enumerate(blocks, start):
            if block is None:
                raise BlockNotFound(number, self.url)
            if int(block["number"], 16) != number:
                raise NetworkError(f"{self.url} answered block {int(block['number'], 16)} for block {number}")
            if previous is not None and block["parentHash"].lower() != previous["hash"].lower():
                raise ChainChanged(number, "its parent is not the block fetched before it")
            previous = block
        return blocks

    def receipts(self, blocks: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
        """Each block's receipts, in transaction order: ``eth_getBlockReceipts``, or
        ``eth_getTransactionReceipt`` per transaction on a node without it.

        Raises :class:`ChainChanged` if a receipt is not for the block's transaction.
        """
        if self._block_receipts is not False:
            try:
                receipts = self._block_receipts_of(blocks)
            except RpcError as exc:
                if self._block_receipts or not _method_missing(exc):
                    raise
                self._block_receipts = False
            else:
                self._block_receipts = True
                return receipts
        return self._transaction_receipts_of(blocks)

    def _block_receipts_of(self, blocks: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
        wanted = [block for block in blocks if block["transactions"]]
        answers: list[Any] = []
        for first in range(0, len(wanted), self.batch_size):
            chunk = wanted[first:first + self.batch_size]
            answers += self.batch([("eth_getBlockReceipts", [block["number"]]) for block in chunk])
        found = {id(block): answer for block, answer in zip(wanted, answers)}
        receipts = []
        for block in blocks:
            answer = found.get(id(block), [])
            if answer is None:
                raise ChainChanged(int(block["number"], 16), "the node has no receipts for it")
            _check_receipts(block, answer)
            receipts.append(answer)
        return receipts

    def _transaction_receipts_of(self, blocks: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
        hashes = [tx["hash"] for block in blocks for tx in block["transactions"]]
        answers: list[Any] = []
        for first in range(0, len(hashes), self.batch_size):
            chunk = hashes[first:first + self.batch_size]
            answers += self.batch([("eth_getTransactionReceipt", [tx_hash]) for tx_hash in chunk])
        receipts = []
        position = 0
        for block in blocks:
            count = len(block["transactions"])
            block_receipts = answers[position:position + count]
            position += count
            if any(receipt is None for receipt in block_receipts):
                raise ChainChanged(int(block["number"], 16), "a transaction has no receipt")
            _check_receipts(block, block_receipts)
            receipts.append(block_receipts)
        return receipts


def _check_receipts(block: dict[str, Any], receipts: list[dict[str, Any]]) -> None:
    """Raise :class:`ChainChanged` unless ``receipts`` are those of ``block``'s transactions."""
    transactions = block["transactions"]
    number = int(block["number"], 16)
    if len(receipts) != len(transactions):
        raise ChainChanged(number, f"{len(receipts)} receipts for {len(transactions)} transactions")
    block_hash = block["hash"].lower()
    for tx, receipt in zip(transactions, receipts):
        if receipt["transactionHash"].lower() != tx["hash"].lower():
            raise ChainChanged(number, "the receipts are not in transaction order")
        if receipt.get("blockHash", block_hash).lower() != block_hash:
            raise ChainChanged(number, "the receipts are from another block")


def _method_missing(exc: RpcError) -> bool:
    """True if the node does not have the method (code -32601, or says so)."""
    if exc.code == _METHOD_MISSING:
        return True
    text = str(exc).lower()
    return "method" in text and any(
        words in text for words in ("not found", "does not exist", "not available", "not supported")
    )


def _connection_reason(exc: Exception) -> str:
    """A short reason for a failed connection (requests' messages are long)."""
    text = str(exc)
    for marker in _CONNECTION_FAILURES:
        if marker in text:
            return marker.lower()
    return type(exc).__name__ + (f": {text[:120]}" if text else "")


def _show(params: list[Any]) -> str:
    """Params for a message: ``(0x1a, true)``, cut short if long."""
    text = json.dumps(params, separators=(", ", ":"))[1:-1]
    return f"({text[:120]}{'...' if len(text) > 120 else ''})"
