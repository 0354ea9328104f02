"""smartdev's pytest plugin and `smartdev test`, run for real on a small project.

A project with the demo Token and a tests/ folder using the fixtures (chain,
accounts, deploy) is compiled once for the module; `smartdev test` (and plain
`pytest`) then run in a subprocess, as a user runs them, and the outcome of
every test inside is checked: isolation by snapshot/revert, accounts, deploy,
time, balances, on the embedded chain and on a `smartdev chain start` node;
and the error cases: a failing test, no build, an unknown network, wrong
constructor arguments, a compile error.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from clitools import KEPT_ENV, TOKEN_SOURCE, run_cli

DEV0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"

# The project's own tests: each proves something about the fixtures, and fails if it is not so.
FLOW_TESTS = '''
import pytest

from bindings import Token
from smartdev.errors import NotFoundError, RevertError, UsageError
from smartdev.testing import Accounts, Chain

SUPPLY = 1000
ETHER = 10**18
FIRST_SEEN = {}  # what the first test saw of the chain; every later test must see the same


@pytest.fixture
def token(deploy):
    return deploy("Token", SUPPLY)


@pytest.mark.parametrize("run", [1, 2, 3])
def test_every_test_starts_from_the_same_state(chain, accounts, run):
    bob = accounts["bob"]
    seen = (chain.height, chain.balance(bob), chain.balance(accounts[0]))
    assert FIRST_SEEN.setdefault("state", seen) == seen  # whatever ran before was reverted
    token = Token.deploy(chain.conn, SUPPLY, env=chain.env)
    token.transfer(bob.address, 10 * run)
    chain.w3.eth.send_transaction({"from": accounts[0].address, "to": bob.address, "value": run * ETHER})
    assert token.balance_of(bob.address) == 10 * run
    assert chain.balance(bob) == seen[1] + run * ETHER
    assert chain.height == seen[0] + 3


def test_accounts_are_the_dev_accounts(accounts):
    assert isinstance(accounts, Accounts) and len(accounts) == 10
    assert accounts[0].address == "DEV0" and accounts[0].name == "alice"
    assert accounts["bob"] == accounts[1] and accounts["dev2"] == accounts[2]
    assert [a.name for a in accounts][:3] == ["alice", "bob", "carol"]
    assert accounts[1:3] == [accounts[1], accounts[2]]
    with pytest.raises(NotFoundError, match="unknown account 'nobody'"):
        accounts["nobody"]


def test_deploy_returns_the_typed_binding(chain, deploy, token, accounts):
    assert isinstance(chain, Chain) and chain.chain_id == chain.w3.eth.chain_id
    assert type(token) is Token and chain.w3.eth.get_code(token.address)
    assert token.total_supply() == SUPPLY and token.balance_of(accounts[0].address) == SUPPLY
    other = deploy("Token", "1_000", sender=accounts[2])
    assert other.address != token.address and other.balance_of(accounts[2].address) == 1000
    result = token.transfer(accounts["carol"].address, 5, signer=accounts[0])
    assert result.status == 1 and result.events[0]["event"] == "Transfer"
    assert Token.deployed(chain.conn, env=chain.env).address == other.address
    assert chain.balance("bob") == chain.balance(accounts[1]) == chain.balance(accounts[1].address) > 0
    assert chain.balance("Token") == chain.balance(token) == 0  # a contract, by name or binding
    with pytest.raises(NotFoundError, match="unknown account or contract 'zed'"):
        chain.balance("zed")


def test_deployments_of_other_tests_are_gone(chain):
    with pytest.raises(NotFoundError, match="no deployment of Token"):
        Token.deployed(chain.conn, env=chain.env)


def test_constructor_arguments_are_checked(deploy):
    with pytest.raises(UsageError, match=r"Token constructor takes 1 argument \\(initialSupply: uint256\\), got 2"):
        deploy("Token", 1, 2)
    with pytest.raises(UsageError, match=r"argument 1 \\(initialSupply: uint256\\): 'lots'"):
        deploy("Token", "lots")
    with pytest.raises(UsageError, match="not payable"):
        deploy("Token", 1, value=1)
    with pytest.raises(NotFoundError, match="run `smartdev compile` if it is new") as info:
        deploy("Tokn", 1)
    assert "Did you mean 'Token'" in info.value.hint


def test_reverts_are_smartdev_errors(token, accounts):
    with pytest.raises(RevertError, match=r"InsufficientBalance\\(available=0, required=1\\)"):
        token.transfer(accounts[2].address, 1, signer=accounts[1])


def test_time_moves_when_told(chain):
    start, height = chain.now(), chain.height
    chain.sleep(3600)
    assert chain.now() == start + 3600 and chain.height == height + 1
    chain.mine(3)
    assert chain.height == height + 4 and chain.now() > start + 3600
    with pytest.raises(UsageError, match="only moves forward"):
        chain.sleep(-1)


def test_snapshots_can_be_taken_inside_a_test(chain):
    height = chain.height
    snapshot = chain.snapshot()
    chain.mine(2)
    chain.revert(snapshot)
    assert chain.height == height


def test_last_the_state_is_still_the_first(chain, accounts):
    assert (chain.height, chain.balance(accounts["bob"]), chain.balance(accounts[0])) == FIRST_SEEN["state"]
'''.replace("DEV0", DEV0)

FLOW_OUTCOMES = {
    "test_every_test_starts_from_the_same_state[1]", "test_every_test_starts_from_the_same_state[2]",
    "test_every_test_starts_from_the_same_state[3]", "test_accounts_are_the_dev_accounts",
    "test_deploy_returns_the_typed_binding", "test_deployments_of_other_tests_are_gone",
    "test_constructor_arguments_are_checked", "test_reverts_are_smartdev_errors",
    "test_time_moves_when_told", "test_snapshots_can_be_taken_inside_a_test",
    "test_last_the_state_is_still_the_first",
}

FAILING_TESTS = '''
def test_passes(chain):
    assert chain.height >= 0


def test_unguarded_bad_constructor_call(deploy):
    deploy("Token", 1, 2)


def test_not_selected():
    assert False, "-k should have deselected this test"
'''

UNCOMPILED_TESTS = {
    "test_imports.py": "from bindings import Token\n\n\ndef test_never_collected():\n    pass\n",
    "test_deploys.py": 'def test_deploy(deploy):\n    deploy("Token", 1)\n',
}


def _environ(extra: dict[str, str] | None = None) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items()
               if (not k.startswith("SMARTDEV_") or k in KEPT_ENV) and not k.startswith("PYTEST_")}
    environ.update(extra or {})
    return environ


def smartdev_test(root: Path, *args: str, env_vars: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`smartdev test ARGS` in ``root``, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "smartdev", "test", *args], cwd=root, env=_environ(env_vars),
                          capture_output=True, text=True, timeout=180)


def plain_pytest(root: Path, *args: str) -> subprocess.CompletedProcess:
    """Plain `pytest ARGS` in ``root``: the plugin comes from its entry point."""
    return subprocess.run([sys.executable, "-m", "pytest", *args], cwd=root, env=_environ(),
                          capture_output=True, text=True, timeout=180)


def outcomes(output: str) -> dict[str, str]:
    """test name -> PASSED/FAILED/ERROR, from pytest's -v lines."""
    found = re.findall(r"^\S+::(\S+) (PASSED|FAILED|ERROR|SKIPPED)", output, re.MULTILINE)
    return dict(found)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The Token project with its tests, compiled once."""
    root = tmp_path_factory.mktemp("plugproj")
    (root / "smartdev.toml").write_text('[test]\nnetwork = "embedded"\n')
    (root / "contracts").mkdir()
    shutil.copy(TOKEN_SOURCE, root / "contracts" / "Token.sol")
    (root / "tests").mkdir()
    (root / "tests" / "test_flow.py").write_text(FLOW_TESTS)
    (root / "failing").mkdir()
    (root / "failing" / "test_failing.py").write_text(FAILING_TESTS)
    compiled = run_cli("compile", cwd=root)
    assert compiled.code == 0, compiled.output
    assert (root / "build" / "bindings" / "Token.py").is_file()
    return root


@pytest.fixture(scope="module")
def node(project: Path):
    """A `smartdev chain start` node for the project (the `local` network)."""
    from smartdev.localnode import free_port

    port = free_port()
    started = run_cli("chain", "start", "--port", str(port), cwd=project)
    assert started.code == 0, started.output
    yield f"http://127.0.0.1:{port}"
    stopped = run_cli("chain", "stop", cwd=project)
    assert stopped.code == 0, stopped.output


def test_smartdev_test_runs_the_project_tests_on_the_embedded_chain(project: Path):
    result = smartdev_test(project, "--", "-v")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Nothing to compile: 1 source(s) up to date" in result.stderr  # it compiled first
    assert "smartdev: project " in result.stdout and "network embedded" in result.stdout
    assert outcomes(result.stdout) == dict.fromkeys(FLOW_OUTCOMES, "PASSED"), output
    assert "failing" not in output  # the tests folder only
    assert not (project / "build" / "deployments").exists()


def test_smartdev_test_runs_on_a_local_node_and_leaves_it_as_it_was(project: Path, node: str):
    from smartdev.localnode import rpc_request

    head = rpc_request(node, "eth_blockNumber")
    result = smartdev_test(project, "--no-compile", "--network", "local", "--", "-v")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "network local" in result.stdout
    assert outcomes(result.stdout) == dict.fromkeys(FLOW_OUTCOMES, "PASSED"), output
    assert rpc_request(node, "eth_blockNumber") == head  # every test was reverted
    assert not (project / "build" / "deployments").exists()  # test deployments stay in memory


def test_a_failing_test_exits_1_and_shows_the_smartdev_message(project: Path):
    # pytest arguments without `--`, a path instead of the tests folder, and plugin
    # autoloading off: `smartdev test` still loads its plugin, once.
    result = smartdev_test(project, "--no-compile", "failing", "-v", "-k", "not not_selected",
                           env_vars={"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert outcomes(result.stdout) == {"test_passes": "PASSED", "test_unguarded_bad_constructor_call": "FAILED"}, output
    assert "UsageError: Token constructor takes 1 argument (initialSupply: uint256), got 2" in result.stdout
    assert "hint: Give one value per parameter" in result.stdout
    assert "smartdev/contracts/abi.py" not in result.stdout  # the test's line, not smartdev's insides
    assert "deploy(\"Token\", 1, 2)" in result.stdout


def test_plain_pytest_without_a_build_says_to_compile(tmp_path: Path):
    (tmp_path / "smartdev.toml").write_text("")
    (tmp_path / "tests").mkdir()
    for name, text in UNCOMPILED_TESTS.items():
        (tmp_path / "tests" / name).write_text(text)
    result = plain_pytest(tmp_path, "-v", "--continue-on-collection-errors")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert outcomes(result.stdout) == {"test_deploy": "FAILED"}, output
    assert "No module named 'bindings'" in result.stdout
    assert "the typed bindings (build/bindings) are missing. Run `smartdev compile`" in result.stdout
    assert re.search(r"NotFoundError: no artifact for contract 'Token': nothing is compiled in .*; "
                     r"run `smartdev compile` first", result.stdout), output


def test_an_unknown_network_is_one_line_before_any_test_runs(project: Path):
    result = run_cli("test", "--network", "nosuch", cwd=project)
    assert result.code == 4, result.output
    assert "unknown network 'nosuch' (known: embedded, local)" in result.stderr
    # plain pytest: a usage error, no traceback
    plain = plain_pytest(project, "--smartdev-network", "nosuch")
    assert plain.returncode == pytest.ExitCode.USAGE_ERROR, plain.stdout + plain.stderr
    assert "ERROR: smartdev: unknown network 'nosuch'" in plain.stderr
    assert "as --smartdev-network" in plain.stderr and "Traceback" not in plain.stderr


def test_a_compile_error_stops_before_pytest(tmp_path: Path):
    (tmp_path / "smartdev.toml").write_text("")
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts" / "Broken.sol").write_text(
        "pragma solidity ^0.8.0;\ncontract Broken { function f() public { uint x = } }\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_marker.py").write_text(
        "from pathlib import Path\nPath(__file__).with_name('collected').touch()\n\n\ndef test_x():\n    pass\n")
    result = run_cli("test", cwd=tmp_path)
    assert result.code == 9, result.output
    assert "contracts/Broken.sol:2:" in result.stderr and "compilation failed with 1 error" in result.stderr
    assert not (tmp_path / "tests" / "collected").exists()


def test_no_tests_folder_is_a_clear_error(tmp_path: Path):
    (tmp_path / "smartdev.toml").write_text("[paths]\ntests = \"spec\"\n")
    result = run_cli("test", "--no-compile", cwd=tmp_path)
    assert result.code == 4, result.output
    assert f"no tests folder {tmp_path / 'spec'}" in result.stderr


def test_importing_the_plugin_imports_nothing_heavy():
    code = ("import sys, smartdev.testing.plugin; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'web3', 'eth_account', 'eth_abi', "
            "'eth_utils', 'pydantic', 'eth_tester', 'requests', 'typer'}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_environ(), timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_typed_arguments_go_through_the_abi_conversion():
    from smartdev.accounts import dev_signers
    from smartdev.testing.chain import _cli_value

    alice = dev_signers()[0]
    assert _cli_value({"type": "address"}, alice) == alice.address
    assert _cli_value({"type": "bytes32"}, b"\x01" * 32) == "0x" + "01" * 32
    assert _cli_value({"type": "address[]"}, (alice, "0x" + "00" * 20)) == f'["{alice.address}", "0x{"00" * 20}"]'
    assert _cli_value({"type": "uint256"}, 5) == 5
