"""`smartdev export` end to end, on a real anvil node with a workload (deployments, transfers,
events, a reverted transaction, legacy/access-list/EIP-1559 transactions): every sink, exactly
once across a kill -9, a reorganisation rolled back, stored data verified (and tampering
caught), several processes sharing PostgreSQL, and bad input."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clitools import KEPT_ENV, TOKEN_SOURCE, run_cli

ALICE_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
CORE = ("blocks", "transactions", "receipts", "logs")


class Node:
    """An anvil process and a raw JSON-RPC helper with a nonce-tracking signer."""

    def __init__(self, url: str, process: subprocess.Popen) -> None:
        import requests

        from eth_account import Account

        self.url = url
        self.process = process
        self.session = requests.Session()
        self.alice = Account.from_key(ALICE_KEY)
        self.chain_id = int(self.rpc("eth_chainId"), 16)

    def rpc(self, method: str, *params):
        answer = self.session.post(self.url, json={"jsonrpc": "2.0", "id": 1, "method": method,
                                                   "params": list(params)}, timeout=30).json()
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer["result"]

    def head(self) -> int:
        return int(self.rpc("eth_blockNumber"), 16)

    def send(self, kind: int = 2, **tx) -> str:
        from eth_utils import to_checksum_address

        if tx.get("to"):
            tx["to"] = to_checksum_address(tx["to"])
        tx.setdefault("value", 0)
        tx.setdefault("gas", 200_000)
        tx.update(nonce=int(self.rpc("eth_getTransactionCount", self.alice.address, "pending"), 16),
                  chainId=self.chain_id)
        if kind == 0:
            tx["gasPrice"] = 2 * 10**9
        elif kind == 1:
            tx.update(gasPrice=2 * 10**9, accessList=[{"address": tx.get("to") or self.alice.address,
                                                       "storageKeys": ["0x" + "00" * 32]}])
        else:
            tx.update(maxFeePerGas=3 * 10**9, maxPriorityFeePerGas=10**9)
        signed = self.alice.sign_transaction(tx)
        return self.rpc("eth_sendRawTransaction", "0x" + signed.raw_transaction.hex())

    def receipt(self, tx_hash: str) -> dict:
        deadline = time.monotonic() + 10
        while (receipt := self.rpc("eth_getTransactionReceipt", tx_hash)) is None:
            assert time.monotonic() < deadline, f"{tx_hash} was not mined"
            time.sleep(0.02)
        return receipt


@pytest.fixture(scope="module")
def token_artifact(tmp_path_factory) -> tuple[Path, dict]:
    project = tmp_path_factory.mktemp("export-project")
    (project / "smartdev.toml").write_text("")
    (project / "contracts").mkdir()
    (project / "contracts" / "Token.sol").write_text(TOKEN_SOURCE.read_text())
    assert run_cli("compile", cwd=project).code == 0
    return project, json.loads((project / "build" / "contracts" / "Token.json").read_text())


def start_anvil() -> Node:
    from smartdev.localnode import find_anvil, free_port, wait_for_rpc

    anvil = find_anvil()
    if anvil is None:
        pytest.skip("anvil is not installed (make anvil)")
    port = free_port()
    process = subprocess.Popen([anvil, "--port", str(port), "--silent"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_for_rpc(url, process, timeout=30)
    return Node(url, process)


def workload(node: Node, token: dict, transfers: int = 12) -> str:
    """Deploy the token, transfer with all three transaction types, one reverted transfer."""
    from eth_abi import encode

    created = node.receipt(node.send(data=token["bytecode"] + encode(["uint256"], [10**24]).hex(), gas=2_000_000))
    address = created["contractAddress"]
    selector = "0xa9059cbb"
    for i in range(transfers):
        to = "0x" + f"{0x1000 + i:040x}"
        node.send(kind=i % 3, to=address, data=selector + encode(["address", "uint256"], [to, 10 + i]).hex())
    too_much = encode(["address", "uint256"], ["0x" + "22" * 20, 10**30]).hex()
    reverted = node.receipt(node.send(to=address, data=selector + too_much))
    assert reverted["status"] == "0x0"
    node.send(to="0x" + "33" * 20, value=10**15, gas=21_000)  # a plain transfer, no log
    return address


@pytest.fixture(scope="module")
def node(token_artifact):
    node = start_anvil()
    node.token = workload(node, token_artifact[1])
    yield node
    node.process.terminate()
    node.process.wait(10)


def export(project: Path, *args: str):
    return run_cli("export", *args, cwd=project)


def dump(url: str, project: Path, tables=CORE) -> dict[str, list[dict]]:
    """Every row of the core tables (and the named others), in a comparable order."""
    from smartdev.context import Environment
    from smartdev.export.sinks import open_sink

    sink = open_sink(url, env=Environment(cwd=project))
    try:
        last = sink.status().last_block
        return {t: sorted(sink.read(t, 0, last), key=lambda r: json.dumps(r, sort_keys=True, default=str))
                for t in tables}
    finally:
        sink.close()


def test_export_to_sqlite_with_decoded_tables(node: Node, token_artifact, tmp_path: Path) -> None:
    project, _ = token_artifact
    db = tmp_path / "chain.db"
    done = export(project, "--rpc", node.url, "--to", f"sqlite:///{db}", "--json", "--verify")
    assert done.code == 0, done.output
    summary = json.loads(done.stdout)
    head = node.head()
    assert (summary["from"], summary["to"], summary["blocks"]) == (0, head, head + 1)
    assert summary["rows"]["blocks"] == head + 1
    assert summary["rows"]["transactions"] == summary["rows"]["receipts"] == 15
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from logs").fetchone()[0] == 13  # mint + 12 transfers
    assert con.execute("select count(*), sum(status) from receipts").fetchone() == (15, 14)
    assert con.execute("select type, count(*) from transactions group by type").fetchall() == [(0, 4), (1, 4), (2, 7)]
    assert con.execute("select artifact, deployer from contracts").fetchall() == [("Token", node.alice.address.lower())]
    events = [t for (t,) in con.execute("select name from sqlite_master where type='table' and name like 'event_%'")]
    assert events == ["event_token_transfer"]
    assert con.execute("select count(*) from event_token_transfer").fetchone()[0] == 13
    calls = dict(con.execute("select status, count(*) from call_token_transfer group by status").fetchall())
    assert calls == {0: 1, 1: 12}  # the reverted call is a row too, with status 0
    again = export(project, "--rpc", node.url, "--to", f"sqlite:///{db}", "--json")
    assert again.code == 0 and json.loads(again.stdout)["blocks"] == 0  # exactly once: nothing new
    assert con.execute("select count(*) from transactions").fetchone()[0] == 15
    status = run_cli("export", "status", "--to", f"sqlite:///{db}", "--json", cwd=project)
    assert status.code == 0 and json.loads(status.stdout)["gaps"] == []
    verified = run_cli("export", "verify", "--to", f"sqlite:///{db}", cwd=project)
    assert verified.code == 0 and f"verified {head + 1} block(s)" in verified.stderr


@pytest.mark.parametrize("kind", ["jsonl", "csv"])
def test_file_sinks_hold_the_same_rows(node: Node, token_artifact, tmp_path: Path, kind: str) -> None:
    project, _ = token_artifact
    reference = f"sqlite:///{tmp_path / 'ref.db'}"
    assert export(project, "--rpc", node.url, "--to", reference, "--no-decode").code == 0
    files = f"{kind}:{tmp_path / kind}"
    done = export(project, "--rpc", node.url, "--to", files, "--no-decode", "--chunk", "7")
    assert done.code == 0, done.output
    assert dump(files, project) == dump(reference, project)
    assert list((tmp_path / kind / "blocks").iterdir())  # one file per table per range


@pytest.mark.parametrize("server", ["postgresql_url", "mysql_url"])
def test_database_servers(node: Node, token_artifact, tmp_path: Path, server: str, request) -> None:
    project, _ = token_artifact
    url = request.getfixturevalue(server)
    done = export(project, "--rpc", node.url, "--to", url, "--json")
    assert done.code == 0, done.output
    reference = f"sqlite:///{tmp_path / 'ref.db'}"
    assert export(project, "--rpc", node.url, "--to", reference).code == 0
    assert dump(url, project, CORE + ("event_token_transfer", "contracts")) == \
        dump(reference, project, CORE + ("event_token_transfer", "contracts"))
    assert run_cli("export", "verify", "--to", url, cwd=project).code == 0


def test_tampering_is_caught_by_verify(node: Node, token_artifact, tmp_path: Path) -> None:
    project, _ = token_artifact
    db = tmp_path / "chain.db"
    assert export(project, "--rpc", node.url, "--to", f"sqlite:///{db}").code == 0
    con = sqlite3.connect(db)
    block, index = con.execute("select block_number, log_index from logs order by block_number limit 1").fetchone()
    con.execute("update logs set data = '0x' || substr(data, 3, length(data) - 4) || 'ff' "
                "where block_number = ? and log_index = ?", (block, index))
    con.commit()
    caught = run_cli("export", "verify", "--to", f"sqlite:///{db}", cwd=project)
    assert caught.code == 10, caught.output
    assert f"block {block}" in caught.stderr and "receipts root" in caught.stderr


def test_a_killed_export_resumes_to_identical_rows(token_artifact, tmp_path: Path) -> None:
    """kill -9 in the middle of an export of ~300 blocks, then run again: same rows as one clean run."""
    project, token = token_artifact
    node = start_anvil()
    try:
        workload(node, token, transfers=30)
        node.rpc("anvil_mine", hex(300))
        db = tmp_path / "killed.db"
        env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTDEV_") or k in KEPT_ENV}
        process = subprocess.Popen([sys.executable, "-m", "smartdev", "export", "--rpc", node.url, "--to",
                                    f"sqlite:///{db}", "--chunk", "3", "--workers", "2"], cwd=project, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # kill once some, but not all, ranges are committed
            time.sleep(0.05)
            try:
                con = sqlite3.connect(db, timeout=5)
                count = con.execute("select count(*) from blocks").fetchone()[0]
                con.close()
            except sqlite3.Error:
                continue
            if count >= 30:
                break
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        partial = sqlite3.connect(db).execute("select count(*) from blocks").fetchone()[0]
        assert 0 < partial < node.head() + 1, "the kill came too late to test anything"
        resumed = export(project, "--rpc", node.url, "--to", f"sqlite:///{db}", "--json", "--chunk", "3")
        assert resumed.code == 0, resumed.output
        clean = f"sqlite:///{tmp_path / 'clean.db'}"
        assert export(project, "--rpc", node.url, "--to", clean).code == 0
        tables = CORE + ("event_token_transfer", "call_token_transfer", "contracts")
        got, want = dump(f"sqlite:///{db}", project, tables), dump(clean, project, tables)
        for table in tables:
            assert len(got[table]) == len(want[table]), table
            for a, b in zip(got[table], want[table]):
                assert a == b, (table, {k: (a[k], b.get(k)) for k in a if a[k] != b.get(k)})
    finally:
        node.process.terminate()
        node.process.wait(10)


def test_a_reorganisation_is_rolled_back(token_artifact, tmp_path: Path) -> None:
    project, token = token_artifact
    node = start_anvil()
    try:
        workload(node, token, transfers=3)
        fork = node.head()
        snapshot = node.rpc("evm_snapshot")
        for i in range(5):  # the branch that will be orphaned: transfers with logs
            node.send(to="0x" + "44" * 20, value=i + 1, gas=21_000)
        db = f"sqlite:///{tmp_path / 'reorg.db'}"
        assert export(project, "--rpc", node.url, "--to", db).code == 0
        orphaned = {b["number"]: b["hash"] for b in dump(db, project)["blocks"] if b["number"] > fork}
        assert len(orphaned) == 5
        node.rpc("evm_revert", snapshot)
        node.send(to="0x" + "55" * 20, value=7, gas=21_000)
        node.rpc("anvil_mine", hex(6))  # the new branch is longer
        followed = export(project, "--rpc", node.url, "--to", db, "--json")
        assert followed.code == 0, followed.output
        result = json.loads(followed.stdout)
        assert result["reorgs"] and result["reorgs"][0]["from_block"] == fork + 1
        rows = dump(db, project)
        hashes = {b["number"]: b["hash"] for b in rows["blocks"]}
        assert hashes[fork + 1] != orphaned[fork + 1] and len(hashes) == node.head() + 1
        assert all(t["to_address"] != "0x" + "44" * 20 for t in rows["transactions"])  # orphaned txs gone
        clean = f"sqlite:///{tmp_path / 'clean.db'}"
        assert export(project, "--rpc", node.url, "--to", clean).code == 0
        assert rows == dump(clean, project)
    finally:
        node.process.terminate()
        node.process.wait(10)


def test_several_processes_share_one_postgresql(node: Node, token_artifact, postgresql_url: str) -> None:
    project, _ = token_artifact
    url = postgresql_url
    node.rpc("anvil_mine", hex(200))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTDEV_") or k in KEPT_ENV}
    processes = [subprocess.Popen([sys.executable, "-m", "smartdev", "export", "--rpc", node.url, "--to", url,
                                   "--chunk", "5", "--workers", "2", "--to-block", str(node.head()), "--json"],
                                  cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(3)]
    outputs = [p.communicate(timeout=240) for p in processes]
    assert all(p.returncode == 0 for p in processes), [o[1] for o in outputs]
    done = [json.loads(out)["blocks"] for out, _ in outputs]
    assert sum(done) == node.head() + 1 and sum(1 for d in done if d) >= 2  # split, no double work
    rows = dump(url, project)
    numbers = [b["number"] for b in rows["blocks"]]
    assert sorted(numbers) == list(range(node.head() + 1))  # no duplicates, no gaps
    assert len({t["hash"] for t in rows["transactions"]}) == len(rows["transactions"])


@pytest.mark.parametrize(("args", "code", "words"), [
    (["--rpc", "http://127.0.0.1:1"], 5, "127.0.0.1:1"),
    (["--to", "oracle://db"], 2, "oracle"),
    (["--to", "sqlite://"], 2, "sqlite"),
    (["--from", "999999"], 2, "beyond the chain's head"),
    (["--network", "embedded"], 2, "in-process embedded chain"),
    (["--rpc", "ftp://x"], 2, "not an http(s) URL"),
    (["--from", "5", "--to-block", "2"], 2, "before --from 5"),
])
def test_bad_input(node: Node, token_artifact, tmp_path: Path, args, code, words) -> None:
    project, _ = token_artifact
    if "--rpc" not in args and "--network" not in args:
        args = ["--rpc", node.url, *args]
    if "--to" not in args:
        args = [*args, "--to", f"sqlite:///{tmp_path / 'bad.db'}"]
    refused = run_cli("export", *args, cwd=project)
    assert refused.code == code, refused.output
    assert words in refused.stderr and "Traceback" not in refused.stderr
    assert not (tmp_path / "bad.db").exists()


def test_follow_keeps_up_with_the_head_behind_confirmations(token_artifact, tmp_path: Path) -> None:
    """--follow: rounds export what is new, staying `confirmations` blocks behind the head."""
    import threading

    from smartdev.context import Environment
    from smartdev.export import pipeline

    project, token = token_artifact
    node = start_anvil()
    try:
        workload(node, token, transfers=2)
        stop = threading.Event()

        def miner() -> None:  # new blocks while the export follows
            while not stop.wait(0.1):
                node.send(to="0x" + "66" * 20, value=1, gas=21_000)

        thread = threading.Thread(target=miner, daemon=True)
        thread.start()
        db = f"sqlite:///{tmp_path / 'follow.db'}"
        said: list[str] = []
        options = pipeline.Options(rpc_url=node.url, sink_url=db, follow=True, confirmations=2, poll=0.3,
                                   max_rounds=6, chunk=2)
        summary = pipeline.run(Environment(cwd=project), options, on_info=said.append)
        stop.set()
        thread.join()
        head = node.head()
        rows = dump(db, project)
        numbers = sorted(b["number"] for b in rows["blocks"])
        assert numbers == list(range(summary.end + 1)) and summary.end <= head - 2
        assert summary.end > 8  # it kept going: blocks mined during the rounds were exported
        assert any("up to block" in line for line in said)
    finally:
        node.process.terminate()
        node.process.wait(10)


def test_status_and_verify_of_a_sink_without_an_export_create_nothing(token_artifact, tmp_path: Path) -> None:
    project, _ = token_artifact
    for url in (f"sqlite:///{tmp_path / 'none.db'}", f"jsonl:{tmp_path / 'none'}", f"csv:{tmp_path / 'none'}"):
        for command in ("status", "verify"):
            refused = run_cli("export", command, "--to", url, cwd=project)
            assert refused.code == 4 and "no export at" in refused.stderr, refused.output
    assert list(tmp_path.iterdir()) == []
