"""`smartdev keys rotate` without a registry: the roles, ownerships, tokens and ether that
[keys.rotate.NAME] lists move from the old key to the new one, on a real chain, journaled
(crashes between steps resume without repeating a transfer), with the project config re-pointed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from clitools import KEPT_ENV, Result, run_cli

PASSWORD = "plan password"
# Funded dev keys of the local node (bob … frank), imported under their own names.
DEV_KEYS = {
    "ops": "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "crash": "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    "sweeper": "47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
}
MINTER = "0x9f2df0fed2c77648de5860a4cc508cd0818c85b8b8a1ab4ceeef8d981c8956a6"  # keccak256("MINTER_ROLE")
ADMIN = "0x" + "00" * 32
TREASURY = """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "@smartdev/tokens/ERC20.sol";
import "@smartdev/access/Ownable2Step.sol";

contract Treasury is Ownable2Step {
    constructor(address initialOwner) Ownable2Step(initialOwner) {}
}
"""
BASE_CONFIG = 'default_network = "local"\n[keys]\nwork_factor = 16\n'


@pytest.fixture(scope="module")
def chain(local_node: Path, tmp_path_factory):
    store = tmp_path_factory.mktemp("plan-keys")
    root = local_node
    (root / "smartdev.toml").write_text(BASE_CONFIG)
    (root / "contracts").mkdir(exist_ok=True)
    (root / "contracts" / "Treasury.sol").write_text(TREASURY)

    def run(*args: str, password: str = PASSWORD) -> Result:
        return run_cli(*args, cwd=root, env_vars={"SMARTDEV_KEYS_DIR": str(store), "SMARTDEV_PASSWORD": password})

    compiled = run("compile")
    assert compiled.code == 0, compiled.output
    for name, key in DEV_KEYS.items():
        (root / f"{name}.hex").write_text(key)
        assert run("keys", "import", name, "--private-key-file", f"{name}.hex").code == 0
    run.store = store  # type: ignore[attr-defined]
    run.root = root  # type: ignore[attr-defined]
    yield run
    (root / "smartdev.toml").write_text('default_network = "local"\n')


def configure(chain, plan: str) -> None:
    (chain.root / "smartdev.toml").write_text(BASE_CONFIG + plan)


def address(chain, name: str) -> str:
    return json.loads(chain("keys", "show", name, "--json").stdout)["address"]


def deploy(chain, owner: str) -> dict[str, str]:
    """A capped token whose admin (all roles) is ``owner``, holding 1000 of it, and a Treasury it owns."""
    token = chain("deploy", "FungibleToken", "Rot", "ROT", "18", "1000000", owner, "--from", owner, "--json")
    assert token.code == 0, token.output
    minted = chain("send", "FungibleToken.mint", owner, "1000", "--from", owner)
    assert minted.code == 0, minted.output
    treasury = chain("deploy", "Treasury", owner, "--from", owner, "--json")
    assert treasury.code == 0, treasury.output
    return {"token": json.loads(token.stdout)["contract_address"],
            "treasury": json.loads(treasury.stdout)["contract_address"]}


def view(chain, fn: str, *args: str) -> str:
    called = chain("call", fn, *args, "--json")
    assert called.code == 0, called.output
    outputs = json.loads(called.stdout)["outputs"]
    return str(outputs[0]["value"] if isinstance(outputs, list) else outputs)


def ether(chain, who: str) -> int:
    from smartdev.context import Environment
    from smartdev.network import connect

    env = Environment(cwd=chain.root, environ={k: v for k, v in os.environ.items() if not k.startswith("SMARTDEV_")})
    with connect(env, "local") as conn:
        return conn.w3.eth.get_balance(who)


def crash(chain, *args: str, fail_at: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTDEV_") or k in KEPT_ENV}
    env.update(SMARTDEV_KEYS_DIR=str(chain.store), SMARTDEV_PASSWORD=PASSWORD, SMARTDEV_KEYS_FAIL_AT=fail_at)
    return subprocess.run([sys.executable, "-m", "smartdev", *args], cwd=chain.root, env=env,
                          capture_output=True, text=True, timeout=120)


def full_plan(name: str, old: str) -> str:
    return """
[networks.local]
default_account = "OLD"  # re-pointed by the rotation

[keys.rotate.NAME]
sweep = true
calls = [
  { call = "FungibleToken.transfer", args = ["{new}", "{balance}"] },
  { call = "FungibleToken.grantRole", args = ["ADMIN", "{new}"] },
  { call = "FungibleToken.grantRole", args = ["MINTER", "{new}"] },
  { call = "FungibleToken.renounceRole", args = ["MINTER", "{old}"] },
  { call = "FungibleToken.renounceRole", args = ["ADMIN", "{old}"] },
  { call = "Treasury.transferOwnership", args = ["{new}"] },
  { call = "Treasury.acceptOwnership", by = "new" },
]
""".replace("NAME", name).replace("OLD", old).replace("ADMIN", ADMIN).replace("MINTER", MINTER)


def fund(chain, to: str, wei: int = 10**18) -> None:
    """Ether for a fresh key, from the funded dev key 'crash'."""
    from eth_account import Account

    from smartdev.context import Environment
    from smartdev.network import connect

    payer = Account.from_key(DEV_KEYS["crash"])
    env = Environment(cwd=chain.root, environ={k: v for k, v in os.environ.items() if not k.startswith("SMARTDEV_")})
    with connect(env, "local") as conn:
        w3 = conn.w3
        tx = {"to": to, "value": wei, "gas": 21000, "gasPrice": w3.eth.gas_price, "chainId": conn.chain_id,
              "nonce": w3.eth.get_transaction_count(payer.address, "pending")}
        w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(payer.sign_transaction(tx).raw_transaction))


def fresh_key(chain, name: str) -> str:
    assert chain("keys", "new", name).code == 0
    old = address(chain, name)
    fund(chain, old)
    return old


def check_moved(chain, old: str, new: str) -> None:
    assert view(chain, "FungibleToken.balanceOf", new) == "1000"
    assert view(chain, "FungibleToken.balanceOf", old) == "0"
    for role in (ADMIN, MINTER):
        assert view(chain, "FungibleToken.hasRole", role, new) == "True"
        assert view(chain, "FungibleToken.hasRole", role, old) == "False"
    assert view(chain, "Treasury.owner").lower() == new.lower()
    assert ether(chain, old) == 0  # swept to the last wei
    assert ether(chain, new) > 0


def audit_entries(chain, name: str, action: str = "rotate") -> list[dict]:
    lines = (chain.store / "audit.log").read_text().splitlines()
    return [e for e in map(json.loads, lines) if e["action"] == action and e["name"] == name]


def test_rotate_moves_tokens_roles_ownership_and_ether(chain) -> None:
    old = address(chain, "ops")
    deploy(chain, "ops")
    configure(chain, full_plan("ops", old))
    before = ether(chain, old)
    rotated = chain("keys", "rotate", "ops", "--json")
    assert rotated.code == 0, rotated.output
    result = json.loads(rotated.stdout)
    new = result["new_address"]
    assert result["old_address"] == old and address(chain, "ops") == new
    assert result["registry"] is None and result["tx"] is None
    assert [s["state"] for s in result["steps"]] == ["confirmed"] * 8
    assert result["steps"][6]["step"] == "sweep the ether to " + new
    check_moved(chain, old, new)
    assert ether(chain, new) < before  # the fees were paid out of the swept ether
    # the project config now names the new address; comments and the plan's placeholders are kept
    text = (chain.root / "smartdev.toml").read_text()
    assert f'default_account = "{new}"  # re-pointed by the rotation' in text and old not in text
    assert '"{new}", "{balance}"' in text
    assert result["repointed"] == ["smartdev.toml: networks.local.default_account"]
    entry = audit_entries(chain, "ops")[-1]
    assert entry["new"] == new and len(entry["txs"]) == 8 and entry["repointed"] == result["repointed"]
    assert not (chain.store / "journal" / "ops.json").exists()
    from eth_account import Account

    archived = json.loads(Path(result["archived"]).read_text())
    assert Account.from_key(Account.decrypt(archived, PASSWORD)).address == old


@pytest.mark.parametrize("fail_at", ["signed:3", "confirmed:2", "signed:7", "signed:8", "confirmed"])
def test_crash_between_steps_resumes_without_repeating(chain, fail_at: str) -> None:
    name = "crash-" + fail_at.replace(":", "-")
    old = fresh_key(chain, name)
    deploy(chain, name)
    configure(chain, full_plan(name, old))
    crashed = crash(chain, "keys", "rotate", name, fail_at=fail_at)
    assert crashed.returncode == 75, crashed.stderr
    journal = json.loads((chain.store / "journal" / f"{name}.json").read_text())
    assert address(chain, name) == old  # the store still holds the old key
    resumed = chain("keys", "rotate", name, "--json")
    assert resumed.code == 0, resumed.output
    result = json.loads(resumed.stdout)
    assert result["resumed"] and result["new_address"] == journal["new_address"] == address(chain, name)
    check_moved(chain, old, result["new_address"])  # each transfer happened exactly once
    assert len(audit_entries(chain, name)) == 1
    assert len(json.loads(chain("keys", "show", name, "--json").stdout)["rotations"]) == 1


def test_a_failing_step_stops_the_rotation_and_a_fixed_plan_finishes_it(chain) -> None:
    # the old key does not own this Treasury (sweeper does): step 2 reverts
    stranger = deploy(chain, "sweeper")["treasury"]
    old = fresh_key(chain, "broken")
    deploy(chain, "broken")  # the recorded FungibleToken and Treasury are now broken's
    step2 = f'  {{ call = "Treasury.transferOwnership", args = ["{{new}}"], at = "{stranger}" }},\n'
    plan = ('\n[keys.rotate.broken]\ncalls = [\n'
            '  { call = "FungibleToken.transfer", args = ["{new}", "{balance}"] },\n' + step2 + ']\n')
    configure(chain, plan)
    failed = chain("keys", "rotate", "broken")
    assert failed.code == 6, failed.output  # a revert
    assert "stopped at step 2/2 Treasury.transferOwnership" in failed.stderr
    assert "steps 1-1 are on chain" in failed.stderr and "`smartdev keys rotate broken` again" in failed.stderr
    assert address(chain, "broken") == old
    journal = json.loads((chain.store / "journal" / "broken.json").read_text())
    new = journal["new_address"]
    assert view(chain, "FungibleToken.balanceOf", new) == "1000"  # step 1 is done and stays done
    refused = chain("keys", "rotate", "broken", "--abort")
    assert refused.code == 2 and "cannot be aborted" in refused.stderr
    # drop the wrong step: the rotation goes on from where it stopped
    configure(chain, plan.replace(step2, ""))
    finished = chain("keys", "rotate", "broken", "--json")
    assert finished.code == 0, finished.output
    result = json.loads(finished.stdout)
    assert result["new_address"] == new == address(chain, "broken")
    assert [s["step"] for s in result["steps"]] == [f"FungibleToken.transfer({new}, {{balance}})"]
    assert view(chain, "FungibleToken.balanceOf", new) == "1000"


def test_sweep_only_and_skipped_steps(chain) -> None:
    old = fresh_key(chain, "sweep-only")
    configure(chain, """
[keys.rotate.sweep-only]
calls = [{ call = "FungibleToken.transfer", args = ["{new}", "{balance}"] }]
""")
    funds = ether(chain, old)
    rotated = chain("keys", "rotate", "sweep-only", "--sweep", "--json")
    assert rotated.code == 0, rotated.output
    result = json.loads(rotated.stdout)
    transfer, sweep = result["steps"]
    assert transfer["state"] == "skipped" and "balance is 0" in transfer["note"] and transfer["tx"] is None
    assert sweep["state"] == "confirmed"
    assert ether(chain, old) == 0 and 0 < ether(chain, result["new_address"]) < funds


def test_a_plan_that_does_not_make_sense_writes_nothing(chain) -> None:
    deploy(chain, "sweeper")
    old = fresh_key(chain, "typo")
    journal = chain.store / "journal"
    cases = [
        ('{ call = "Nope.transfer", args = ["{new}", "1"] }', 4, "Nope"),
        ('{ call = "FungibleToken.transferr", args = ["{new}", "1"] }', 2, "transferr"),
        ('{ call = "FungibleToken.transfer", args = ["{new}"] }', 2, "argument"),
        ('{ call = "FungibleToken.transfer", args = ["{new}", "lots"] }', 2, "lots"),
        ('{ call = "Treasury.transferOwnership", args = ["{balance}"] }', 2, "balanceOf(address)"),
        ('{ call = "FungibleToken.transfer", args = ["{new}", "1"], by = "someone" }', 3, "by"),
    ]
    for step, code, words in cases:
        configure(chain, f"[keys.rotate.typo]\ncalls = [{step}]\n")
        refused = chain("keys", "rotate", "typo")
        assert refused.code == code, (step, refused.output)
        assert words in refused.stderr, (step, refused.stderr)
        assert "Traceback" not in refused.stderr
        assert not (journal / "typo.json").exists() and not (journal / "typo.next.json").exists()
    # nothing configured and no registry: nothing to rotate on chain
    configure(chain, "")
    assert address(chain, "typo") == old
    nothing = chain("keys", "rotate", "typo")
    assert nothing.code == 4 and "no recoverable account registry" in nothing.stderr, nothing.output
    assert not (journal / "typo.json").exists()


def test_rotation_warns_about_an_account_entry_using_the_old_keystore(chain) -> None:
    old = fresh_key(chain, "listed")
    copy = chain.root / "listed-copy.json"
    copy.write_text((chain.store / "listed.json").read_text())
    configure(chain, '[accounts.deployer]\nkeystore = "listed-copy.json"\n')
    rotated = chain("keys", "rotate", "listed", "--sweep")
    assert rotated.code == 0, rotated.output
    assert "[accounts.deployer]" in rotated.stderr and "listed-copy.json" in rotated.stderr
    assert json.loads(copy.read_text())["address"].lower() == old[2:].lower()  # never touched
