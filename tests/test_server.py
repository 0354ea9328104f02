"""The embedded chain served over JSON-RPC/HTTP, in a thread and as its own process."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web3 import HTTPProvider, Web3
from web3.exceptions import ContractCustomError, ContractLogicError, ContractPanicError

from smartdev.chain.server import RPCServer, serve
from smartdev.embedded import open_chain
from smartdev.errors import NodeError
from solc import compile_sources
from test_embedded import (
    COUNTER_SOURCE,
    DIVISION_BY_ZERO,
    ERROR_STRING,
    TOO_BIG,
    deploy_counter,
    dev_account,
    increment,
    send,
)

REPO = Path(__file__).resolve().parents[1]
LISTENING = "smartdev-node listening on "


# ------------------------------------------------------------------ helpers


def post(url: str, body: bytes | str, method: str = "POST", **headers: str) -> tuple[int, dict, Any]:
    """Send one raw HTTP request; return status, headers and the decoded JSON body."""
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(url, data=data if method == "POST" else None, method=method)
    request.add_header("Content-Type", "application/json")
    for name, value in headers.items():
        request.add_header(name.replace("_", "-"), value)
    with urllib.request.urlopen(request, timeout=10) as response:
        raw = response.read()
        return response.status, dict(response.headers), json.loads(raw) if raw else None


def call(url: str, method: str, *params: Any, request_id: int = 1) -> dict[str, Any]:
    request = {"jsonrpc": "2.0", "id": request_id, "method": method, "params": list(params)}
    return post(url, json.dumps(request))[2]


def start_node(state: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    """Run ``python -m smartdev.chain.server`` on a free port; wait for its listening line."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "smartdev.chain.server", "--port", "0", "--state", str(state), *extra],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    ready, _, _ = select.select([proc.stdout], [], [], 60)
    line = proc.stdout.readline() if ready else ""
    if not line.startswith(LISTENING):
        proc.kill()
        pytest.fail(f"node did not start: {line!r} {proc.stderr.read()}")
    url = line[len(LISTENING):].split()[0]
    assert line.rstrip().endswith("chain_id=1337")
    return proc, url


def run_failing_node(state: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "smartdev.chain.server", "--state", str(state), *extra],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def node() -> Iterator[tuple[RPCServer, Any]]:
    """An in-memory chain served on a free port from a thread."""
    chain = open_chain()
    server = serve(chain, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, chain
    server.shutdown()
    thread.join(timeout=5)
    chain.close()


@pytest.fixture(scope="module")
def counter_artifact() -> dict[str, Any]:
    return compile_sources({"Counter.sol": COUNTER_SOURCE})["Counter"]


@pytest.fixture(scope="module")
def url(node: tuple[RPCServer, Any]) -> str:
    return node[0].url


@pytest.fixture(scope="module")
def w3(url: str) -> Web3:
    return Web3(HTTPProvider(url))


# ------------------------------------------------------------------ over HTTP


def test_deploy_call_and_reverts_over_http(w3: Web3, counter_artifact: dict[str, Any]) -> None:
    assert w3.eth.chain_id == 1337
    counter = deploy_counter(w3, counter_artifact, start=5)
    receipt = increment(w3, counter, 3)
    assert receipt.status == 1
    assert counter.events.Incremented().process_receipt(receipt)[0].args.total == 8
    assert counter.functions.count().call() == 8

    with pytest.raises(ContractLogicError, match="execution reverted: x must be positive") as caught:
        counter.functions.increment(0).call()
    assert caught.value.data == "0x" + ERROR_STRING.hex()
    with pytest.raises(ContractCustomError) as custom:
        counter.functions.increment(5000).estimate_gas()
    assert custom.value.data == "0x" + TOO_BIG.hex()
    with pytest.raises(ContractPanicError) as panic:
        counter.functions.divide(0).call()
    assert panic.value.data == "0x" + DIVISION_BY_ZERO.hex()

    failed = increment(w3, counter, 0, gas=100_000)
    assert failed.status == 0 and failed.blockNumber == receipt.blockNumber + 1


def test_batch_returns_one_response_per_request(url: str) -> None:
    batch = [
        {"jsonrpc": "2.0", "id": 11, "method": "eth_chainId", "params": []},
        {"jsonrpc": "2.0", "id": 12, "method": "eth_getBalance", "params": [dev_account().address, "latest"]},
        {"jsonrpc": "2.0", "id": 13, "method": "eth_nope", "params": []},
    ]
    status, _, responses = post(url, json.dumps(batch))
    assert status == 200 and isinstance(responses, list) and len(responses) == 3
    by_id = {response["id"]: response for response in responses}
    assert by_id[11]["result"] == "0x539"
    assert by_id[12]["result"].startswith("0x")
    assert by_id[13]["error"]["code"] == -32601


def test_web3_batch_requests_over_http(w3: Web3) -> None:
    with w3.batch_requests() as batch:
        batch.add(w3.eth.get_block(0))
        batch.add(w3.eth.chain_id)
        block, chain_id = batch.execute()
    assert block.number == 0 and chain_id == 1337


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("{not json", -32700),
        ("[]", -32600),
        ("42", -32600),
        ('{"jsonrpc": "2.0", "id": 1, "method": "eth_nope", "params": []}', -32601),
        ('{"jsonrpc": "2.0", "id": 1, "method": "eth_getBalance", "params": ["0x12"]}', -32602),
    ],
    ids=["invalid-json", "empty-batch", "not-a-request", "unknown-method", "bad-params"],
)
def test_errors_are_json_rpc_errors(url: str, body: str, code: int) -> None:
    status, _, response = post(url, body)
    assert status == 200
    assert response["error"]["code"] == code and response["error"]["message"]


def test_wire_format_over_http(url: str) -> None:
    block = call(url, "eth_getBlockByNumber", "latest", False)["result"]
    for key in ("number", "gasLimit", "gasUsed", "timestamp", "baseFeePerGas", "size"):
        assert isinstance(block[key], str) and block[key].startswith("0x"), key
    assert len(block["logsBloom"]) == 2 + 512
    assert all(isinstance(value, (str, list, type(None))) for value in block.values())


def test_cors_preflight_and_status(url: str) -> None:
    status, headers, body = post(url, b"", method="OPTIONS", Origin="http://localhost:3000",
                                 Access_Control_Request_Method="POST")
    assert status == 204 and body is None
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    status, headers, body = post(url, b"", method="GET")
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    assert body["chainId"] == 1337 and body["client"].startswith("smartdev-embedded/")
    assert isinstance(body["blockNumber"], int) and body["stateFile"] is None


def test_port_in_use_is_a_node_error(node: tuple[RPCServer, Any]) -> None:
    server, chain = node
    port = int(server.url.rsplit(":", 1)[1])
    with pytest.raises(NodeError, match=f"port {port} on 127.0.0.1 is already in use") as caught:
        serve(chain, "127.0.0.1", port)
    assert caught.value.hint


# ------------------------------------------------------------------ as a process


def test_process_restarts_from_its_state_file(tmp_path: Path) -> None:
    state = tmp_path / "chain.db"
    proc, url = start_node(state)
    try:
        w3 = Web3(HTTPProvider(url))
        receipt = send(w3, dev_account(), {"to": dev_account(3).address, "value": 777})
        busy = run_failing_node(state, "--port", "0")
        assert busy.returncode == 8 and busy.stdout == ""
        assert f"in use by another node (pid {proc.pid})" in busy.stderr
        assert busy.stderr.startswith("error: ") and busy.stderr.count("\n") == 1
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
    finally:
        proc.kill()
        proc.wait()

    proc, url = start_node(state)
    try:
        w3 = Web3(HTTPProvider(url))
        assert w3.eth.block_number == receipt.blockNumber
        assert w3.eth.get_transaction_receipt(receipt.transactionHash).blockHash == receipt.blockHash
        assert w3.eth.get_balance(dev_account(3).address) == 10_000 * 10**18 + 777
        port = url.rsplit(":", 1)[1]
        taken = run_failing_node(tmp_path / "other.db", "--port", port)
        assert taken.returncode == 8
        assert taken.stderr.startswith(f"error: port {port} on 127.0.0.1 is already in use")
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0


def test_process_keeps_answered_transactions_after_sigkill(tmp_path: Path) -> None:
    state = tmp_path / "chain.db"
    proc, url = start_node(state)
    try:
        w3 = Web3(HTTPProvider(url))
        first = send(w3, dev_account(), {"to": dev_account(4).address, "value": 1})
        second = send(w3, dev_account(), {"to": dev_account(4).address, "value": 2})
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL

    started = time.monotonic()
    proc, url = start_node(state)
    try:
        w3 = Web3(HTTPProvider(url))
        assert w3.eth.block_number == second.blockNumber == first.blockNumber + 1
        assert w3.eth.get_transaction(second.transactionHash).blockNumber == second.blockNumber
        assert w3.eth.get_transaction_count(dev_account().address) == 2
        assert time.monotonic() - started < 30
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
