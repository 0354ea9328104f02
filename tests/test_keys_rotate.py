"""`smartdev keys rotate` and guardian recovery on a real chain (a `smartdev chain start` node):
the registry, a full rotation, crashes between every step (resume and abort), and recovery."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from clitools import KEPT_ENV, Result, run_cli

PASSWORD = "rotation password"
ALICE_KEY = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
# Funded dev keys (bob … judy), imported under their own names: k1-k6 are rotated, g1-g3 guard.
DEV_KEYS = {
    "k1": "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "k2": "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    "k3": "7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
    "k4": "47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
    "k5": "8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
    "k6": "2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
    "g1": "92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
    "g2": "4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
    "g3": "dbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
}


@pytest.fixture(scope="module")
def chain(local_node: Path, tmp_path_factory):
    """The local node's project with a key store of imported dev keys and a deployed registry."""
    store = tmp_path_factory.mktemp("rotation-keys")
    (local_node / "smartdev.toml").write_text('default_network = "local"\n[keys]\nwork_factor = 16\n')

    def run(*args: str, password: str = PASSWORD, extra: dict[str, str] | None = None) -> Result:
        return run_cli(*args, cwd=local_node, env_vars={"SMARTDEV_KEYS_DIR": str(store),
                                                         "SMARTDEV_PASSWORD": password, **(extra or {})})

    for name, key in DEV_KEYS.items():
        (local_node / f"{name}.hex").write_text(key)
        imported = run("keys", "import", name, "--private-key-file", f"{name}.hex")
        assert imported.code == 0, imported.output
    deployed = run("keys", "registry", "deploy", "--from", "alice")
    assert deployed.code == 0, deployed.output
    run.store = store  # type: ignore[attr-defined]
    run.root = local_node  # type: ignore[attr-defined]
    yield run
    (local_node / "smartdev.toml").write_text('default_network = "local"\n')


def cli_subprocess(chain, *args: str, fail_at: str | None = None) -> subprocess.CompletedProcess:
    """The CLI in its own process (a simulated crash exits it hard)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTDEV_") or k in KEPT_ENV}
    env.update(SMARTDEV_KEYS_DIR=str(chain.store), SMARTDEV_PASSWORD=PASSWORD)
    if fail_at:
        env["SMARTDEV_KEYS_FAIL_AT"] = fail_at
    return subprocess.run([sys.executable, "-m", "smartdev", *args], cwd=chain.root, env=env,
                          capture_output=True, text=True, timeout=120)


@contextmanager
def web3(chain):
    from smartdev.context import Environment
    from smartdev.network import connect

    env = Environment(cwd=chain.root, environ={k: v for k, v in os.environ.items() if not k.startswith("SMARTDEV_")})
    with connect(env, "local") as conn:
        yield conn


def registry_key(chain, account_id: int) -> str:
    from smartdev.keys.rotate import registry_artifact

    deployments = json.loads((chain.root / "build" / "deployments" / "local.json").read_text())
    with web3(chain) as conn:
        registry = conn.w3.eth.contract(address=deployments["contracts"]["RecoverableAccount"]["address"],
                                        abi=registry_artifact()["abi"])
        return registry.functions.keyOf(account_id).call()


def address(chain, name: str) -> str:
    return json.loads(chain("keys", "show", name, "--json").stdout)["address"]


def register(chain, name: str) -> int:
    done = chain("keys", "register", name, "--guardians", "g1,g2,g3", "--threshold", "2", "--json")
    assert done.code == 0, done.output
    return json.loads(done.stdout)["account_id"]


def fund(chain, name: str) -> None:
    from eth_account import Account

    alice = Account.from_key(ALICE_KEY)
    with web3(chain) as conn:
        w3 = conn.w3
        tx = {"to": address(chain, name), "value": 10**18, "gas": 21000, "gasPrice": w3.eth.gas_price,
              "nonce": w3.eth.get_transaction_count(alice.address, "pending"), "chainId": conn.chain_id}
        w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(alice.sign_transaction(tx).raw_transaction))


def test_rotate_moves_the_account_and_archives_the_old_key(chain) -> None:
    account_id = register(chain, "k1")
    old = address(chain, "k1")
    rotated = chain("keys", "rotate", "k1", "--json")
    assert rotated.code == 0, rotated.output
    result = json.loads(rotated.stdout)
    assert result["old_address"] == old and result["account_id"] == account_id and not result["resumed"]
    new = address(chain, "k1")
    assert new == result["new_address"] != old
    assert registry_key(chain, account_id) == new
    # the old keystore is archived, still opens with the password, and holds the old key
    from eth_account import Account

    archived = json.loads(Path(result["archived"]).read_text())
    assert Account.from_key(Account.decrypt(archived, PASSWORD)).address == old
    info = json.loads(chain("keys", "show", "k1", "--json").stdout)
    assert len(info["rotations"]) == 1 and info["rotations"][0]["tx"] == result["tx"]
    audit = [json.loads(line) for line in (chain.store / "audit.log").read_text().splitlines()]
    assert [e for e in audit if e["action"] == "rotate"][-1]["tx"] == result["tx"]
    assert not (chain.store / "journal" / "k1.json").exists()
    # the new key acts for the account: it can rotate again (once it has ether for gas)
    fund(chain, "k1")
    again = chain("keys", "rotate", "k1", "--sweep", "--json")  # and take its ether along
    assert again.code == 0, again.output
    newer = address(chain, "k1")
    assert registry_key(chain, account_id) == newer != new
    steps = json.loads(again.stdout)["steps"]
    assert [(s["step"].split("(")[0], s["state"]) for s in steps] == [
        ("RecoverableAccount.rotateKey", "confirmed"), ("sweep the ether to " + newer, "confirmed")]
    with web3(chain) as conn:
        assert conn.w3.eth.get_balance(new) == 0 and conn.w3.eth.get_balance(newer) > 0


@pytest.mark.parametrize("crash_at", ["prepared", "signed", "confirmed", "swapped"])
def test_crash_at_every_step_then_resume(chain, crash_at: str) -> None:
    name = {"prepared": "k2", "signed": "k3", "confirmed": "k4", "swapped": "k5"}[crash_at]
    account_id = register(chain, name)
    old = address(chain, name)
    crashed = cli_subprocess(chain, "keys", "rotate", name, fail_at=crash_at)
    assert crashed.returncode == 75, crashed.stderr
    journal = json.loads((chain.store / "journal" / f"{name}.json").read_text())
    assert journal["old_address"] == old
    assert journal["state"] == ("sending" if crash_at == "signed" else crash_at)
    assert [a["state"] for a in journal["actions"]] == [
        {"prepared": "pending", "signed": "signed"}.get(crash_at, "confirmed")]
    on_chain = registry_key(chain, account_id)
    assert on_chain == (old if crash_at in ("prepared", "signed") else journal["new_address"])
    resumed = chain("keys", "rotate", name, "--json")
    assert resumed.code == 0, resumed.output
    result = json.loads(resumed.stdout)
    assert result["resumed"] and result["new_address"] == journal["new_address"]
    assert registry_key(chain, account_id) == address(chain, name) == journal["new_address"]
    info = json.loads(chain("keys", "show", name, "--json").stdout)
    assert len(info["rotations"]) == 1  # not recorded twice
    audit = [json.loads(line) for line in (chain.store / "audit.log").read_text().splitlines()]
    assert len([e for e in audit if e["action"] == "rotate" and e["name"] == name]) == 1
    archives = list((chain.store / "archive").glob(f"{name}-rotated-*.json"))
    assert archives  # the old key survives
    from eth_account import Account

    assert old in {Account.from_key(Account.decrypt(json.loads(a.read_text()), PASSWORD)).address for a in archives}


def test_abort_before_the_transaction_keeps_everything(chain) -> None:
    account_id = register(chain, "k6")
    old = address(chain, "k6")
    crashed = cli_subprocess(chain, "keys", "rotate", "k6", fail_at="signed")
    assert crashed.returncode == 75
    new = json.loads((chain.store / "journal" / "k6.json").read_text())["new_address"]
    aborted = chain("keys", "rotate", "k6", "--abort")
    assert aborted.code == 0, aborted.output
    assert address(chain, "k6") == old and registry_key(chain, account_id) == old
    assert not (chain.store / "journal" / "k6.json").exists()
    kept = list((chain.store / "archive").glob("k6-aborted-*.json"))
    from eth_account import Account

    assert [Account.from_key(Account.decrypt(json.loads(k.read_text()), PASSWORD)).address for k in kept] == [new]
    nothing = chain("keys", "rotate", "k6", "--abort")
    assert nothing.code == 4 and "no rotation in progress" in nothing.stderr


def test_rotation_errors(chain) -> None:
    assert chain("keys", "new", "stranger").code == 0
    unbound = chain("keys", "rotate", "stranger")
    assert unbound.code == 4 and "not bound to an account" in unbound.stderr and "keys register" in unbound.stderr
    assert not (chain.store / "journal" / "stranger.json").exists()
    wrong = chain("keys", "rotate", "stranger", password="wrong")
    assert wrong.code == 2 and "wrong password" in wrong.stderr
    no_registry = chain("keys", "rotate", "stranger", "--account-registry", "0x" + "11" * 20)
    assert no_registry.code == 4 and "no contract at" in no_registry.stderr


def test_guardian_recovery(chain) -> None:
    assert chain("keys", "new", "lost").code == 0
    fund(chain, "lost")
    account_id = register(chain, "lost")
    lost = address(chain, "lost")
    assert chain("keys", "new", "rescue").code == 0
    new = address(chain, "rescue")
    for guardian, out in (("g1", "a1.json"), ("g2", "a2.json")):
        approved = chain("keys", "approve-recovery", guardian, "--account-id", str(account_id),
                         "--new-key", "rescue", "--out", out)
        assert approved.code == 0, approved.output
    not_guardian = chain("keys", "approve-recovery", "rescue", "--account-id", str(account_id),
                         "--new-key", "rescue", "--out", "a3.json")
    assert not_guardian.code == 2 and "not a guardian" in not_guardian.stderr
    one = chain("keys", "recover", "lost", "--new-key", "rescue", "--approval", "a1.json", "--from", "alice")
    assert one.code != 0 and registry_key(chain, account_id) == lost  # below the threshold: nothing moves
    assert address(chain, "lost") == lost
    done = chain("keys", "recover", "lost", "--new-key", "rescue", "--approval", "a1.json",
                 "--approval", "a2.json", "--from", "alice", "--json")
    assert done.code == 0, done.output
    assert registry_key(chain, account_id) == new
    assert address(chain, "lost") == new  # the recovered key now carries the account's name
    assert chain("keys", "show", "rescue").code == 4
    archived = list((chain.store / "archive").glob("lost-recovered-*.json"))
    from eth_account import Account

    assert [Account.from_key(Account.decrypt(json.loads(a.read_text()), PASSWORD)).address for a in archived] == [lost]
