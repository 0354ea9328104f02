"""`smartdev chain start|status|stop` with real node processes, and `smartdev networks`."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from clitools import run_cli
from smartdev.errors import ExitStatus
from smartdev.localnode import find_anvil, free_port


def status(root: Path) -> dict:
    result = run_cli("chain", "status", "--json", cwd=root)
    assert result.code == 0, result.output
    return json.loads(result.stdout)


def test_start_status_stop_and_state_survives(token_project: Path) -> None:
    root = token_project
    port = free_port()
    started = run_cli("chain", "start", "--port", str(port), "--json", cwd=root)
    assert started.code == 0, started.output
    info = json.loads(started.stdout)
    assert info["engine"] == "embedded" and info["chain_id"] == 1337
    assert info["url"] == f"http://127.0.0.1:{port}"
    try:
        again = run_cli("chain", "start", "--port", str(free_port()), cwd=root)
        assert again.code == ExitStatus.NODE and "already running" in again.stderr
        st = status(root)
        assert st["running"] and st["responding"] and st["head_block"] == 0 and st["pid"] == info["pid"]
        human = run_cli("chain", "status", cwd=root)
        assert "head block:" in human.stdout and str(port) in human.stdout
        deployed = run_cli("deploy", "Token", "42", "--network", "local", cwd=root)
        assert deployed.code == 0, deployed.output
        sent = run_cli("send", "Token.transfer", "bob", "2", "--network", "local", cwd=root)
        assert sent.code == 0, sent.output
        assert status(root)["head_block"] == 2
    finally:
        stopped = run_cli("chain", "stop", cwd=root)
    assert stopped.code == 0 and "stopped embedded node" in stopped.stderr
    assert status(root) == {"running": False}
    down = run_cli("call", "Token.balanceOf", "bob", "--network", "local", cwd=root)
    assert down.code == ExitStatus.NETWORK and "smartdev chain start" in down.stderr

    restarted = run_cli("chain", "start", "--port", str(port), cwd=root)
    assert restarted.code == 0, restarted.output
    try:
        assert status(root)["head_block"] == 2
        balance = run_cli("call", "Token.balanceOf", "bob", "--network", "local", cwd=root)
        assert balance.stdout.strip() == "2"
    finally:
        run_cli("chain", "stop", cwd=root)
    fresh = run_cli("chain", "start", "--port", str(port), "--fresh", cwd=root)
    assert fresh.code == 0
    try:
        assert status(root)["head_block"] == 0
        gone = run_cli("call", "Token.balanceOf", "bob", "--network", "local", cwd=root)
        assert gone.code == ExitStatus.NOT_FOUND and "no contract code" in gone.stderr
    finally:
        run_cli("chain", "stop", cwd=root)


def test_port_in_use(project: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = run_cli("chain", "start", "--port", str(port), cwd=project)
    assert result.code == ExitStatus.NODE
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert not (project / ".smartdev" / "node.json").exists()


def test_stop_and_status_without_node(project: Path) -> None:
    assert run_cli("chain", "stop", cwd=project).code == 0
    result = run_cli("chain", "status", cwd=project)
    assert result.code == ExitStatus.NOT_FOUND and "no local node is running" in result.stderr


def test_stale_node_record_is_ignored(project: Path) -> None:
    state = project / ".smartdev"
    state.mkdir()
    (state / "node.json").write_text(json.dumps({
        "engine": "embedded", "url": "http://127.0.0.1:1", "port": 1, "pid": 2**22 + 7,
        "chain_id": 1337, "state_file": "x", "log_file": "y", "started_at": "z"}))
    assert status(project) == {"running": False}
    assert not (state / "node.json").exists()


def test_unknown_engine(project: Path) -> None:
    result = run_cli("chain", "start", "--engine", "geth", cwd=project)
    assert result.code == ExitStatus.USAGE and "unknown engine 'geth'" in result.stderr


def test_networks_reports_reachability(local_node: Path) -> None:
    (local_node / "smartdev.toml").write_text(
        'default_network = "local"\n[networks.down]\nurl = "http://127.0.0.1:1"\n')
    result = run_cli("networks", "--json", "--timeout", "1", cwd=local_node)
    assert result.code == 0, result.output
    rows = {r["name"]: r for r in json.loads(result.stdout)}
    assert rows["local"]["reachable"] is True and rows["local"]["chain_id"] == 1337
    assert rows["local"]["default"] is True
    assert rows["down"]["reachable"] is False and "refused" in rows["down"]["detail"]
    table = run_cli("networks", cwd=local_node)
    assert "local (default)" in table.stdout


anvil = pytest.mark.skipif(find_anvil() is None, reason="anvil not installed (make anvil)")


@anvil
def test_anvil_engine_with_state(token_project: Path) -> None:
    root = token_project
    port = free_port()
    state_file = root / "anvil.json"
    started = run_cli("chain", "start", "--engine", "anvil", "--port", str(port), "--state", str(state_file),
                      "--json", cwd=root)
    assert started.code == 0, started.output
    assert json.loads(started.stdout)["chain_id"] == 31337
    try:
        assert run_cli("deploy", "Token", "9", "--network", "local", cwd=root).code == 0
        assert run_cli("send", "Token.transfer", "bob", "4", "--network", "local", cwd=root).code == 0
    finally:
        assert run_cli("chain", "stop", cwd=root).code == 0
    assert state_file.exists()
    assert run_cli("chain", "start", "--engine", "anvil", "--port", str(port), "--state", str(state_file),
                   cwd=root).code == 0
    try:
        balance = run_cli("call", "Token.balanceOf", "bob", "--network", "local", cwd=root)
        assert balance.stdout.strip() == "4", balance.output
    finally:
        run_cli("chain", "stop", cwd=root)


@anvil
def test_anvil_network_kind_runs_per_command(token_project: Path) -> None:
    (token_project / "smartdev.toml").write_text('[networks.tmp]\nkind = "anvil"\nchain_id = 4242\n')
    result = run_cli("deploy", "Token", "5", "--network", "tmp", "--json", cwd=token_project)
    assert result.code == 0, result.output
    data = json.loads(result.stdout)
    assert data["chain_id"] == 4242 and data["status"] == 1
    assert "lives only as long as this command" not in result.stdout


@anvil
def test_websocket_rpc_url(token_project: Path) -> None:
    """An rpc network over WebSocket (anvil serves ws:// on its HTTP port)."""
    port = free_port()
    started = run_cli("chain", "start", "--engine", "anvil", "--port", str(port), cwd=token_project)
    assert started.code == 0, started.output
    try:
        url = f"ws://127.0.0.1:{port}"
        deployed = run_cli("deploy", "Token", "77", "--network", url, "--json", cwd=token_project)
        assert deployed.code == 0, deployed.output
        address = json.loads(deployed.stdout)["address"]
        called = run_cli("call", "Token.totalSupply", "--network", url, "--at", address, cwd=token_project)
        assert called.code == 0, called.output
        assert called.stdout.strip() == "77"
        (token_project / "smartdev.toml").write_text(f'[networks.ws]\nurl = "{url}"\n')
        listed = json.loads(run_cli("networks", "--json", cwd=token_project).stdout)
        ws_row = next(r for r in listed if r["name"] == "ws")
        assert ws_row["reachable"] is True and ws_row["chain_id"] == 31337
    finally:
        run_cli("chain", "stop", cwd=token_project)
    refused = run_cli("call", "Token.totalSupply", "--network", f"ws://127.0.0.1:{port}", "--at", "0x" + "1" * 40,
                      cwd=token_project)
    assert refused.code == ExitStatus.NETWORK
