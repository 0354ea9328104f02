"""Local node processes: finding or installing anvil, free ports, waiting for an
RPC endpoint to answer. Used by ``smartdev chain start`` and by networks of
kind ``anvil`` (a node started for one command and stopped after it).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Mapping

from smartdev.context import user_dir
from smartdev.errors import NodeError

ANVIL_NPM_PACKAGE = "@foundry-rs/anvil"
ANVIL_NPM_VERSION = "1.7.1"


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def rpc_request(url: str, method: str, params: list | None = None, timeout: float = 2.0):
    """One JSON-RPC call with the standard library (no web3 import); returns the result."""
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []})
    request = urllib.request.Request(
        url, data=body.encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - loopback URL
        reply = json.loads(response.read())
    if "error" in reply:
        raise RuntimeError(reply["error"].get("message", reply["error"]))
    return reply["result"]


def wait_for_rpc(
    url: str, process: subprocess.Popen | None, *, timeout: float, log: Path | None = None
) -> int:
    """Poll ``url`` until it answers eth_chainId; return the chain id.

    Fails fast if ``process`` exits first, quoting the end of its log."""
    deadline = time.monotonic() + timeout
    while True:
        if process is not None and process.poll() is not None:
            raise NodeError(
                f"the node exited with code {process.returncode} before it was ready"
                + _log_tail(log),
            )
        try:
            return int(rpc_request(url, "eth_chainId", timeout=1.0), 16)
        except (OSError, urllib.error.URLError, ValueError, RuntimeError):
            if time.monotonic() > deadline:
                raise NodeError(
                    f"the node did not answer at {url} within {timeout:.0f} s" + _log_tail(log)
                ) from None
            time.sleep(0.05)


def _log_tail(log: Path | None, lines: int = 5) -> str:
    if log is None or not log.exists():
        return ""
    tail = [line for line in log.read_text(errors="replace").splitlines() if line.strip()][-lines:]
    return (": " + " | ".join(tail)) if tail else ""


# -- anvil ----------------------------------------------------------------
def anvil_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    return user_dir("cache", environ) / "anvil" / ANVIL_NPM_VERSION


def find_anvil(environ: Mapping[str, str] | None = None) -> str | None:
    """anvil from $SMARTDEV_ANVIL, PATH, or smartdev's cache (in that order)."""
    environ = os.environ if environ is None else environ
    explicit = environ.get("SMARTDEV_ANVIL")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    on_path = shutil.which("anvil", path=environ.get("PATH"))
    if on_path:
        return on_path
    cached = anvil_cache_dir(environ) / "node_modules" / ".bin" / "anvil"
    return str(cached) if cached.exists() else None


def install_anvil(environ: Mapping[str, str] | None = None) -> str:
    """Install anvil from npm into smartdev's cache; return its path."""
    npm = shutil.which("npm")
    if npm is None:
        raise NodeError(
            "anvil is not installed and npm is not available to install it",
            hint="Install Node.js/npm, or put an `anvil` binary on PATH (foundryup).",
        )
    target = anvil_cache_dir(environ)
    target.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", str(target),
         f"{ANVIL_NPM_PACKAGE}@{ANVIL_NPM_VERSION}"],
        capture_output=True,
        text=True,
        check=False,
    )
    binary = target / "node_modules" / ".bin" / "anvil"
    if result.returncode != 0 or not binary.exists():
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        raise NodeError(
            f"installing anvil with npm failed: {detail[0]}",
            hint="Check npm's access to its registry, or put `anvil` on PATH.",
        )
    return str(binary)


def anvil_command(
    binary: str,
    *,
    port: int,
    chain_id: int | None = None,
    state: Path | None = None,
    fork_url: str | None = None,
    block_time: float | None = None,
    mnemonic: str | None = None,
) -> list[str]:
    from smartdev.accounts import DEV_ACCOUNT_COUNT, DEV_BALANCE_WEI, DEV_MNEMONIC

    cmd = [
        binary,
        "--host", "127.0.0.1",
        "--port", str(port),
        "--mnemonic", mnemonic or DEV_MNEMONIC,
        "--accounts", str(DEV_ACCOUNT_COUNT),
        "--balance", str(DEV_BALANCE_WEI // 10**18),
    ]
    if chain_id is not None:
        cmd += ["--chain-id", str(chain_id)]
    if state is not None:
        cmd += ["--state", str(state)]
    if fork_url:
        cmd += ["--fork-url", fork_url]
    if block_time:
        cmd += ["--block-time", str(block_time)]
    return cmd
