"""The project's local node: started in the background by ``smartdev chain start``,
reached by later commands as the network ``local``, stopped by ``chain stop``.

Engines: ``embedded`` (py-evm served over JSON-RPC by ``smartdev.chain.server``,
state in an SQLite file) and ``anvil`` (state in anvil's ``--state`` JSON file).
Either way the chain survives ``stop``/``start``. What runs is recorded in
``.smartdev/node.json`` under the project root.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smartdev.chain.server import DEFAULT_PORT
from smartdev.embedded import DEFAULT_CHAIN_ID
from smartdev.errors import NodeError, UsageError
from smartdev.files import atomic_write_json
from smartdev.localnode import (
    anvil_command,
    find_anvil,
    install_anvil,
    port_in_use,
    rpc_request,
    wait_for_rpc,
)
from smartdev.network import node_state_file, read_node_state

if TYPE_CHECKING:  # pragma: no cover
    from smartdev.context import Environment

ENGINES = ("embedded", "anvil")
START_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0


@dataclass
class NodeInfo:
    engine: str
    url: str
    port: int
    pid: int
    chain_id: int
    state_file: str
    log_file: str
    started_at: str


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (reaping it first if it is our exited child)."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    except ChildProcessError:
        pass  # not our child: fine, ask the kernel below
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists():  # guard against a recycled pid
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ")
        except OSError:
            return True
        return b"smartdev.chain.server" in text or b"anvil" in text
    return True


def current(env: Environment) -> NodeInfo | None:
    """The running node of this project, or None (a stale record is removed)."""
    data = read_node_state(env)
    if data is None:
        return None
    try:
        info = NodeInfo(**data)
    except TypeError:
        info = None
    if info is None or not _alive(info.pid):
        node_state_file(env).unlink(missing_ok=True)
        return None
    return info


def default_state_file(env: Environment, engine: str) -> Path:
    name = "chain.db" if engine == "embedded" else "anvil-state.json"
    return env.config.state_dir / name


def start(
    env: Environment,
    *,
    engine: str = "embedded",
    port: int = DEFAULT_PORT,
    state: Path | None = None,
    chain_id: int | None = None,
    fresh: bool = False,
) -> NodeInfo:
    """Start the project's node in the background and wait until it answers."""
    if engine not in ENGINES:
        raise UsageError(f"unknown engine '{engine}'", hint=f"Use one of: {', '.join(ENGINES)}.")
    running = current(env)
    if running is not None:
        raise NodeError(
            f"a local node is already running ({running.engine}, {running.url}, pid {running.pid})",
            hint="Stop it first with `smartdev chain stop`.",
        )
    if port_in_use(port):
        raise NodeError(
            f"port {port} on 127.0.0.1 is already in use",
            hint="Pick another with --port, or stop whatever listens there.",
        )
    state_file = (state if state is not None else default_state_file(env, engine)).resolve()
    if fresh:
        if engine == "embedded":
            from smartdev.embedded import delete_state

            delete_state(state_file)  # with its SQLite sidecars, so nothing is replayed
        else:
            state_file.unlink(missing_ok=True)
    state_file.parent.mkdir(parents=True, exist_ok=True)
    env.config.state_dir.mkdir(parents=True, exist_ok=True)
    log_file = env.config.state_dir / f"node-{engine}.log"

    if engine == "embedded":
        cmd = [sys.executable, "-m", "smartdev.chain.server", "--host", "127.0.0.1",
               "--port", str(port), "--state", str(state_file),
               "--chain-id", str(chain_id or DEFAULT_CHAIN_ID)]
    else:
        binary = find_anvil(env.environ) or install_anvil(env.environ)
        cmd = anvil_command(binary, port=port, chain_id=chain_id, state=state_file)

    with open(log_file, "wb") as log:
        process = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,  # keeps running after this command exits
            env=dict(env.environ),
        )
    url = f"http://127.0.0.1:{port}"
    try:
        actual_chain_id = wait_for_rpc(url, process, timeout=START_TIMEOUT, log=log_file)
    except NodeError:
        if process.poll() is None:
            process.kill()
            process.wait()
        raise
    info = NodeInfo(
        engine=engine, url=url, port=port, pid=process.pid, chain_id=actual_chain_id,
        state_file=str(state_file), log_file=str(log_file),
        started_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )
    atomic_write_json(node_state_file(env), asdict(info))
    return info


def stop(env: Environment, *, timeout: float = STOP_TIMEOUT) -> NodeInfo | None:
    """Stop the project's node (SIGTERM, then SIGKILL after ``timeout``); None if none ran."""
    info = current(env)
    if info is None:
        return None
    try:
        os.kill(info.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    deadline = time.monotonic() + timeout
    while _alive(info.pid):
        if time.monotonic() > deadline:
            os.kill(info.pid, signal.SIGKILL)
            time.sleep(0.1)
            _alive(info.pid)
            break
        time.sleep(0.05)
    node_state_file(env).unlink(missing_ok=True)
    return info


def status(env: Environment) -> dict[str, Any] | None:
    """What runs, and what it answers: engine, URL, chain id, head block, pid."""
    info = current(env)
    if info is None:
        return None
    result: dict[str, Any] = asdict(info)
    try:
        result["head_block"] = int(rpc_request(info.url, "eth_blockNumber", timeout=3.0), 16)
        result["chain_id"] = int(rpc_request(info.url, "eth_chainId", timeout=3.0), 16)
        result["responding"] = True
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        result["responding"] = False
        result["error"] = str(getattr(exc, "reason", exc))
    return result
