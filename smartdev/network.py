"""Chain access: networks by name, and a connected web3 for each.

Kinds of network:
- ``embedded``: py-evm in this process (eth-tester); the default; state lives
  as long as the process.
- ``rpc``: any HTTP(S) or WebSocket JSON-RPC URL (geth, anvil, Hardhat, Besu,
  FISCO BCOS 3 web3-RPC, ``smartdev chain start``). The built-in ``local``
  network is the node ``smartdev chain start`` runs.
- ``anvil``: an anvil process smartdev starts for the command and stops after.

``--network`` also accepts an RPC URL directly.
"""

from __future__ import annotations

import json
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator
from urllib.parse import urlparse

from smartdev.config import DEFAULT_LOCAL_URL, NetworkConfig
from smartdev.errors import NetworkError

if TYPE_CHECKING:  # pragma: no cover
    from web3 import Web3

    from smartdev.context import Environment

NODE_FILE = "node.json"  # in the project's state dir, written by `smartdev chain start`
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


@dataclass
class ResolvedNetwork:
    name: str
    kind: str
    url: str | None
    config: NetworkConfig
    dev_accounts: bool
    persistent: bool  # state outlives the command: deployments are recorded on disk

    @property
    def deployments_name(self) -> str:
        return self.name


def node_state_file(env: Environment) -> Path:
    return env.config.state_dir / NODE_FILE


def read_node_state(env: Environment) -> dict[str, Any] | None:
    try:
        return json.loads(node_state_file(env).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _is_url(text: str) -> bool:
    return urlparse(text).scheme in ("http", "https", "ws", "wss") and "://" in text


def resolve_network(env: Environment, name: str | None = None) -> ResolvedNetwork:
    """Look up ``name`` (default: the configured default network)."""
    config = env.config
    name = name or config.default_network
    if _is_url(name):
        host = urlparse(name).hostname or ""
        net = NetworkConfig(kind="rpc", url=name)
        return ResolvedNetwork(
            name=name, kind="rpc", url=name, config=net,
            dev_accounts=host in LOOPBACK_HOSTS, persistent=True,
        )
    net = config.network(name)
    url = net.url
    if name == "local" and not url:
        state = read_node_state(env)
        url = state["url"] if state and state.get("url") else DEFAULT_LOCAL_URL
    dev = net.dev_accounts if net.dev_accounts is not None else net.kind in ("embedded", "anvil")
    persistent = net.kind == "rpc" or (net.kind == "anvil" and bool(net.state))
    return ResolvedNetwork(name=name, kind=net.kind, url=url, config=net,
                           dev_accounts=dev, persistent=persistent)


@dataclass
class Connection:
    """A connected web3 for one network. Close it (or use :func:`connect`)."""

    network: ResolvedNetwork
    w3: Web3
    chain_id: int
    _closers: list[Any] = field(default_factory=list, repr=False)
    # Per-connection state for plugins (e.g. the deployments of an ephemeral chain).
    state: dict[str, Any] = field(default_factory=dict, repr=False)

    def close(self) -> None:
        while self._closers:
            self._closers.pop()()

    @property
    def description(self) -> str:
        where = f" at {self.network.url}" if self.network.url else ""
        return f"{self.network.name} (chain {self.chain_id}{where})"


@contextmanager
def connect(env: Environment, name: str | None = None) -> Iterator[Connection]:
    """Connect to network ``name``; the connection is closed on exit."""
    network = resolve_network(env, name)
    conn = open_connection(env, network)
    try:
        yield conn
    finally:
        conn.close()


def open_connection(env: Environment, network: ResolvedNetwork) -> Connection:
    if network.kind == "embedded":
        return _connect_embedded(network)
    if network.kind == "anvil":
        return _connect_anvil(env, network)
    return _connect_rpc(network, network.url or DEFAULT_LOCAL_URL)


def _connect_embedded(network: ResolvedNetwork) -> Connection:
    from web3 import Web3

    from smartdev.embedded import DEFAULT_CHAIN_ID, open_chain

    chain = open_chain(chain_id=network.config.chain_id or DEFAULT_CHAIN_ID)
    w3 = Web3(chain.provider())
    return Connection(network, w3, chain.chain_id, [chain.close])


def make_provider(url: str, timeout: float):
    """A web3 provider for an HTTP(S) or WebSocket URL, failing fast (no retries)."""
    if url.startswith(("ws://", "wss://")):
        from smartdev.wsprovider import SyncWebSocketProvider

        return SyncWebSocketProvider(url, timeout=timeout)
    from web3 import HTTPProvider

    return HTTPProvider(url, request_kwargs={"timeout": timeout}, exception_retry_configuration=None)


def _connect_rpc(network: ResolvedNetwork, url: str) -> Connection:
    from web3 import Web3

    w3 = Web3(make_provider(url, network.config.timeout))
    with rpc_errors(network.name, url):
        chain_id = w3.eth.chain_id
    expected = network.config.chain_id
    if expected is not None and expected != chain_id:
        raise NetworkError(
            f"network '{network.name}' at {url} is chain {chain_id}, but the config expects {expected}",
            hint="Check the url, or fix chain_id in the network's config.",
        )
    from smartdev.wsprovider import SyncWebSocketProvider

    closers = [w3.provider.close] if isinstance(w3.provider, SyncWebSocketProvider) else []
    return Connection(network, w3, chain_id, closers)


def _connect_anvil(env: Environment, network: ResolvedNetwork) -> Connection:
    from smartdev.localnode import anvil_command, find_anvil, free_port, install_anvil, wait_for_rpc

    net = network.config
    binary = find_anvil(env.environ) or install_anvil(env.environ)
    port = net.port or free_port()
    state = (env.config.root / net.state) if net.state else None
    log = env.config.state_dir / f"anvil-{network.name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    cmd = anvil_command(binary, port=port, chain_id=net.chain_id, state=state,
                        fork_url=net.fork_url, block_time=net.block_time, mnemonic=net.mnemonic)
    with open(log, "wb") as log_fh:
        process = subprocess.Popen(cmd, stdout=log_fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_rpc(url, process, timeout=30, log=log)
        network.url = url
        conn = _connect_rpc(network, url)
    except BaseException:
        _stop(process)
        raise
    conn._closers.insert(0, lambda: _stop(process))
    return conn


def _stop(process: subprocess.Popen) -> None:
    """Stop a node politely (anvil writes --state on SIGTERM), then firmly."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def rpc_errors(name: str, url: str | None) -> Iterator[None]:
    """Turn transport failures (refused, timeout, DNS, HTTP errors) into NetworkError."""
    import requests
    from web3.exceptions import ProviderConnectionError, TimeExhausted, Web3RPCError

    where = f"network '{name}'" + (f" at {url}" if url and url != name else "")
    hint = "Is the node running? Start one with `smartdev chain start`." if name == "local" else (
        "Check the URL and that the node is up (`smartdev networks` shows what is reachable).")
    try:
        yield
    except requests.exceptions.Timeout:
        raise NetworkError(f"{where} did not answer in time", hint=hint) from None
    except requests.exceptions.ConnectionError as exc:
        reason = "connection refused" if "refused" in str(exc).lower() else "cannot connect"
        raise NetworkError(f"cannot reach {where}: {reason}", hint=hint) from None
    except requests.exceptions.HTTPError as exc:
        raise NetworkError(f"{where} answered HTTP {exc.response.status_code if exc.response is not None else '?'}",
                           hint="Check the URL (path, API key).") from None
    except (ProviderConnectionError, OSError, TimeoutError) as exc:
        raise NetworkError(f"cannot reach {where}: {exc}", hint=hint) from None
    except TimeExhausted as exc:
        raise NetworkError(f"{where}: {exc}") from None
    except Web3RPCError as exc:
        message = exc.rpc_response.get("error", {}).get("message") if exc.rpc_response else str(exc)
        raise NetworkError(f"{where} returned an error: {message}") from None


def probe(env: Environment, network: ResolvedNetwork, timeout: float = 2.0) -> dict[str, Any]:
    """Whether a network answers, without web3 (used by `smartdev networks`)."""
    from smartdev.localnode import rpc_request

    if network.kind == "embedded":
        return {"reachable": True, "detail": "in-process py-evm"}
    if network.kind == "anvil":
        from smartdev.localnode import find_anvil

        found = find_anvil(env.environ)
        return {"reachable": found is not None,
                "detail": f"started on demand ({found})" if found else "anvil not installed yet (installed on first use)"}
    url = network.url or DEFAULT_LOCAL_URL
    if url.startswith(("ws://", "wss://")):
        try:
            provider = make_provider(url, timeout)
            reply = provider.make_request("eth_chainId", [])
            provider.close()
            return {"reachable": True, "chain_id": int(reply["result"], 16), "detail": url}
        except Exception as exc:  # noqa: BLE001 - any failure means unreachable
            return {"reachable": False, "detail": str(exc)}
    try:
        chain_id = int(rpc_request(url, "eth_chainId", timeout=timeout), 16)
        head = int(rpc_request(url, "eth_blockNumber", timeout=timeout), 16)
    except Exception as exc:  # noqa: BLE001
        reason = getattr(exc, "reason", exc)
        reason = getattr(reason, "strerror", None) or str(reason)
        return {"reachable": False, "detail": reason.lower()}
    return {"reachable": True, "chain_id": chain_id, "head": head, "detail": url}


