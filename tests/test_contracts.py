"""deploy / call / send against real chains: in-process py-evm and a `chain start` node."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from clitools import run_cli
from smartdev.errors import ExitStatus

ALICE = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
BOB = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


@pytest.fixture(scope="module")
def deployed(local_node: Path) -> Path:
    result = run_cli("deploy", "Token", "1000000", "--from", "alice", "--json", cwd=local_node)
    assert result.code == 0, result.output
    return local_node


def test_deploy_records_address(deployed: Path) -> None:
    record = json.loads((deployed / "build" / "deployments" / "local.json").read_text())
    entry = record["contracts"]["Token"]
    assert entry["address"].startswith("0x") and len(entry["address"]) == 42
    assert entry["deployer"] == ALICE
    assert entry["args"] == ["1000000"]
    assert record["chainId"] == 1337


def test_call_by_name_and_address(deployed: Path) -> None:
    by_name = run_cli("call", "Token.balanceOf", "alice", cwd=deployed)
    assert by_name.code == 0, by_name.output
    assert by_name.stdout.strip().isdigit()
    by_address = run_cli("call", "Token.balanceOf", ALICE, "--json", cwd=deployed)
    data = json.loads(by_address.stdout)
    assert data["function"] == "balanceOf(address)"
    assert data["outputs"][0]["value"] == int(by_name.stdout)
    name = run_cli("call", "Token.name", cwd=deployed)
    assert name.stdout.strip() == "Demo Token"


def test_send_changes_state_and_shows_events(deployed: Path) -> None:
    before = int(run_cli("call", "Token.balanceOf", "bob", cwd=deployed).stdout)
    sent = run_cli("send", "Token.transfer", "bob", "7", "--from", "alice", "--json", cwd=deployed)
    assert sent.code == 0, sent.output
    data = json.loads(sent.stdout)
    assert data["status"] == 1 and data["from"] == ALICE
    assert data["events"] == [{"address": data["address"], "event": "Transfer",
                               "args": {"from": ALICE, "to": BOB, "value": 7}}]
    after = int(run_cli("call", "Token.balanceOf", "bob", cwd=deployed).stdout)
    assert after == before + 7
    human = run_cli("send", "Token.transfer", "bob", "1", "--from", "alice", cwd=deployed)
    assert human.code == 0
    assert "event Transfer(from=" in human.stdout and "gas used:" in human.stdout


def test_custom_error_revert_is_decoded(deployed: Path) -> None:
    result = run_cli("send", "Token.transfer", "alice", "999999999", "--from", "carol", cwd=deployed)
    assert result.code == ExitStatus.REVERTED
    assert "Token.transfer reverted: InsufficientBalance(available=0, required=999999999)" in result.stderr
    assert "Traceback" not in result.stderr


def test_require_reason_is_decoded(deployed: Path) -> None:
    zero = "0x" + "0" * 40
    result = run_cli("send", "Token.transfer", zero, "1", "--from", "alice", cwd=deployed)
    assert result.code == ExitStatus.REVERTED
    assert "reverted: transfer to the zero address" in result.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["call", "Token.balanceOf"], ExitStatus.USAGE, "takes 1 argument"),
        (["call", "Token.balanceOf", "nobody"], ExitStatus.USAGE, "'nobody' is not an address"),
        (["send", "Token.transfer", "bob", "-x", "--from", "alice"], ExitStatus.USAGE, ""),
        (["send", "Token.transfer", "bob", "lots", "--from", "alice"], ExitStatus.USAGE, "'lots'"),
        (["call", "Token.balanceOff", "alice"], ExitStatus.USAGE, "balanceOf"),
        (["call", "Tokn.balanceOf", "alice"], ExitStatus.NOT_FOUND, "Did you mean 'Token'?"),
        (["deploy", "Nope"], ExitStatus.NOT_FOUND, "no artifact for contract 'Nope'"),
        (["call", "Token", "alice"], ExitStatus.USAGE, "Contract.function"),
        (["call", "Token.balanceOf", "alice", "--network", "nowhere"], ExitStatus.NOT_FOUND, "unknown network 'nowhere'"),
        (["send", "Token.transfer", "bob", "1", "--from", "mallory"], ExitStatus.NOT_FOUND, "unknown account 'mallory'"),
        (["send", "Token.transfer", "bob", "1", "--value", "1ether"], ExitStatus.USAGE, "not payable"),
        (["call", "Token.balanceOf", "alice", "--at", "0x" + "12" * 20], ExitStatus.NOT_FOUND, "no contract code"),
    ],
)
def test_bad_input_gives_one_clear_line(deployed: Path, args: list[str], code: int, message: str) -> None:
    result = run_cli(*args, cwd=deployed)
    assert result.code == code, result.output
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_rpc_fails_fast(token_project: Path) -> None:
    from smartdev.localnode import free_port

    url = f"http://127.0.0.1:{free_port()}"
    result = run_cli("call", "Token.balanceOf", "alice", "--network", url, cwd=token_project)
    assert result.code == ExitStatus.NETWORK
    assert "connection refused" in result.stderr


def test_silent_rpc_times_out(token_project: Path) -> None:
    """A server that accepts connections and never answers: a timeout, not a hang."""
    import socket
    import time

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    port = listener.getsockname()[1]
    (token_project / "smartdev.toml").write_text(f'[networks.silent]\nurl = "http://127.0.0.1:{port}"\ntimeout = 1\n')
    try:
        start = time.monotonic()
        result = run_cli("call", "Token.balanceOf", "alice", "--network", "silent", cwd=token_project)
        assert time.monotonic() - start < 10
    finally:
        listener.close()
    assert result.code == ExitStatus.NETWORK
    assert "did not answer in time" in result.stderr


def test_stale_deployment_after_chain_reset(local_node: Path, tmp_path: Path) -> None:
    """A deployments file from another chain id is not trusted."""
    copy = tmp_path / "proj"
    shutil.copytree(local_node / "build", copy / "build")
    (copy / "smartdev.toml").write_text("")
    record_path = copy / "build" / "deployments" / "local.json"
    if not record_path.exists():
        pytest.skip("no deployment recorded yet")
    record = json.loads(record_path.read_text())
    record["chainId"] = 999
    record_path.write_text(json.dumps(record))
    node = json.loads((local_node / ".smartdev" / "node.json").read_text())
    result = run_cli("call", "Token.balanceOf", "alice", "--network", "local", cwd=copy,
                     env_vars={"SMARTDEV_NETWORKS__LOCAL__URL": node["url"]})
    assert result.code == ExitStatus.NOT_FOUND
    assert "when it was another chain" in result.stderr


def test_embedded_network_python_api(token_project: Path) -> None:
    """The library API on the in-process chain: deploy, call, send in one connection."""
    from smartdev.accounts import dev_signers
    from smartdev.context import Environment
    from smartdev.contracts import ops
    from smartdev.errors import RevertError
    from smartdev.network import connect

    env = Environment(cwd=token_project, environ={})
    alice, bob = dev_signers()[:2]
    with connect(env, "embedded") as conn:
        assert conn.chain_id == 1337
        artifact, result = ops.deploy(env, conn, "Token", ["500"], signer=alice)
        assert result.status == 1 and result.contract_address
        ops.send(env, conn, "Token.transfer", ["bob", "200"], signer=alice)
        assert ops.call(env, conn, "Token.balanceOf", [bob.address])["outputs"][0]["value"] == 200
        with pytest.raises(RevertError) as info:
            ops.send(env, conn, "Token.transfer", ["alice", "201"], signer=bob)
        assert info.value.reason == "InsufficientBalance(available=200, required=201)"
    assert not (token_project / "build" / "deployments").exists()  # ephemeral: nothing recorded


def test_keystore_signer(token_project: Path, tmp_path: Path) -> None:
    """--from with a keystore file, password from SMARTDEV_PASSWORD; wrong password is a clear error."""
    from eth_account import Account

    from smartdev.accounts import dev_signers

    key = dev_signers()[3]._key  # dave: funded on dev chains
    keystore = tmp_path / "dave.json"
    keystore.write_text(json.dumps(Account.encrypt(key, "s3cret", kdf="pbkdf2", iterations=1000)))
    ok = run_cli("deploy", "Token", "1", "--network", "embedded", "--from", str(keystore), "--json",
                 cwd=token_project, env_vars={"SMARTDEV_PASSWORD": "s3cret"})
    assert ok.code == 0, ok.output
    assert json.loads(ok.stdout)["from"] == dev_signers()[3].address
    wrong = run_cli("deploy", "Token", "1", "--network", "embedded", "--from", str(keystore),
                    cwd=token_project, env_vars={"SMARTDEV_PASSWORD": "nope"})
    assert wrong.code == ExitStatus.USAGE
    assert "wrong password for keystore dave.json" in wrong.stderr
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json")
    bad = run_cli("deploy", "Token", "1", "--network", "embedded", "--from", str(garbage),
                  cwd=token_project, env_vars={"SMARTDEV_PASSWORD": "x"})
    assert bad.code == ExitStatus.USAGE and "not a readable keystore" in bad.stderr


def test_dev_account_refused_on_non_dev_network(local_node: Path, tmp_path: Path) -> None:
    node = json.loads((local_node / ".smartdev" / "node.json").read_text())
    (tmp_path / "smartdev.toml").write_text(f'[networks.prod]\nurl = "{node["url"]}"\n')
    shutil.copytree(local_node / "build", tmp_path / "build")
    result = run_cli("deploy", "Token", "1", "--network", "prod", "--from", "alice", cwd=tmp_path)
    assert result.code == ExitStatus.USAGE
    assert "'alice' is a dev account" in result.stderr
    no_from = run_cli("deploy", "Token", "1", "--network", "prod", cwd=tmp_path)
    assert no_from.code == ExitStatus.USAGE and "no dev accounts" in no_from.stderr


def test_mined_revert_with_explicit_gas(deployed: Path) -> None:
    """With --gas there is no estimate: the transaction is mined, fails, and is explained."""
    result = run_cli("send", "Token.transfer", "alice", "5", "--from", "judy", "--gas", "100000", cwd=deployed)
    assert result.code == ExitStatus.REVERTED
    assert "Token.transfer reverted in transaction 0x" in result.stderr
    assert "InsufficientBalance(available=0, required=5)" in result.stderr


def test_bad_block_option(deployed: Path) -> None:
    result = run_cli("call", "Token.totalSupply", "--block", "yesterday", cwd=deployed)
    assert result.code == ExitStatus.USAGE and "--block 'yesterday'" in result.stderr
    genesis = run_cli("call", "Token.totalSupply", "--block", "0", cwd=deployed)
    assert genesis.code == ExitStatus.USAGE  # the contract did not exist at block 0
    assert "does not match its ABI" in genesis.stderr
