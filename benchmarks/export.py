"""`smartdev export` against ethereum-etl, side by side on the same anvil chain.

The chain: an anvil node (npm) with BLOCKS blocks, each holding TXS_PER_BLOCK token
transfers (a log each) — built once per run from a fixed dev key. Both tools export
blocks, transactions, receipts and logs of the whole chain to files on this machine
(ethereum-etl: its two commands `export_blocks_and_transactions` and
`export_receipts_and_logs`, CSV; smartdev: `csv:DIR`, and SQLite), with the same number
of workers. Figures: wall time, blocks/s, and the ratio to ethereum-etl; smartdev also
with `--verify` (every block's transactions root, receipts root and hash recomputed).

Targets: >= 1.0x ethereum-etl without verification, >= 0.8x with it.

    python benchmarks/export.py [--blocks 3000] [--txs 2] [--workers 4] [--runs 3]

ethereum-etl 2.4.2 is installed on first use into its own venv under
$SMARTDEV_CACHE_DIR/bench-export (it pins web3 5; `parsimonious==0.9.0` makes it
import on Python 3.11).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ETL = "ethereum-etl==2.4.2"
ALICE_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
REPO = Path(__file__).resolve().parents[1]
# A minimal token: transfer(address,uint256) emits Transfer. Runtime compiled from
# examples/token/contracts/Token.sol by `smartdev compile` at benchmark start.


def cache_dir() -> Path:
    return Path(os.environ.get("SMARTDEV_CACHE_DIR") or Path.home() / ".cache" / "smartdev")


def etl_venv() -> Path:
    venv = cache_dir() / "bench-export" / "etl-venv"
    exe = venv / "bin" / "ethereumetl"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", ETL], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "parsimonious==0.9.0"], check=True)
    return exe


def start_anvil(port: int) -> subprocess.Popen:
    from smartdev.localnode import find_anvil, install_anvil, wait_for_rpc

    anvil = find_anvil() or install_anvil()
    process = subprocess.Popen([str(anvil), "--port", str(port), "--silent", "--gas-limit", "30000000"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_rpc(f"http://127.0.0.1:{port}", process, timeout=30)
    return process


def rpc(url: str, payload):
    import requests

    response = requests.post(url, json=payload, timeout=60)
    response.raise_for_status()
    return response.json()


def build_chain(url: str, blocks: int, txs_per_block: int, token: dict) -> int:
    """Deploy the token, then fill ``blocks`` blocks with ``txs_per_block`` transfers each."""
    from eth_account import Account

    alice = Account.from_key(ALICE_KEY)
    chain_id = int(rpc(url, {"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []})["result"], 16)
    rpc(url, {"jsonrpc": "2.0", "id": 1, "method": "evm_setAutomine", "params": [False]})
    nonce = 0
    deploy = alice.sign_transaction({"nonce": nonce, "gas": 1_000_000, "maxFeePerGas": 10**10,
                                     "maxPriorityFeePerGas": 10**9, "chainId": chain_id,
                                     "data": token["bytecode"] + (10**30).to_bytes(32, "big").hex(), "value": 0})
    rpc(url, {"jsonrpc": "2.0", "id": 1, "method": "eth_sendRawTransaction", "params": ["0x" + deploy.raw_transaction.hex()]})
    rpc(url, {"jsonrpc": "2.0", "id": 1, "method": "evm_mine", "params": []})
    nonce += 1
    receipt = rpc(url, {"jsonrpc": "2.0", "id": 1, "method": "eth_getTransactionReceipt",
                        "params": ["0x" + deploy.hash.hex()]})["result"]
    from eth_utils import to_checksum_address

    address = to_checksum_address(receipt["contractAddress"])
    selector = "a9059cbb"
    for block in range(blocks):
        batch = []
        for i in range(txs_per_block):
            to = (0x1000 + block * txs_per_block + i).to_bytes(20, "big").hex()
            data = "0x" + selector + to.rjust(64, "0") + (1 + i).to_bytes(32, "big").hex()
            kind = (block + i) % 3  # legacy, access list and EIP-1559 transactions
            tx = {"nonce": nonce, "gas": 60_000, "to": address, "data": data, "value": 0, "chainId": chain_id}
            if kind == 0:
                tx["gasPrice"] = 10**10
            elif kind == 1:
                tx.update(gasPrice=10**10, accessList=[{"address": address, "storageKeys": []}])
            else:
                tx.update(maxFeePerGas=10**10, maxPriorityFeePerGas=10**9)
            signed = alice.sign_transaction(tx)
            batch.append({"jsonrpc": "2.0", "id": i, "method": "eth_sendRawTransaction",
                          "params": ["0x" + signed.raw_transaction.hex()]})
            nonce += 1
        if batch:
            rpc(url, batch)
        rpc(url, {"jsonrpc": "2.0", "id": 1, "method": "evm_mine", "params": []})
    return int(rpc(url, {"jsonrpc": "2.0", "id": 1, "method": "eth_blockNumber", "params": []})["result"], 16)


def run_etl(exe: Path, url: str, head: int, out: Path, workers: int) -> float:
    out.mkdir(parents=True)
    began = time.perf_counter()
    common = ["-p", url, "-w", str(workers), "-b", "100"]
    subprocess.run([str(exe), "export_blocks_and_transactions", "-s", "0", "-e", str(head), *common,
                    "--blocks-output", str(out / "blocks.csv"), "--transactions-output", str(out / "transactions.csv")],
                   check=True, capture_output=True)
    subprocess.run([str(exe), "extract_csv_column", "-i", str(out / "transactions.csv"), "-c", "hash",
                    "-o", str(out / "hashes.txt")], check=True, capture_output=True)
    subprocess.run([str(exe), "export_receipts_and_logs", "--transaction-hashes", str(out / "hashes.txt"), *common,
                    "--receipts-output", str(out / "receipts.csv"), "--logs-output", str(out / "logs.csv")],
                   check=True, capture_output=True)
    return time.perf_counter() - began


def run_smartdev(url: str, sink: str, workers: int, *extra: str) -> float:
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "smartdev", "export", "--rpc", url, "--to", sink,
                           "--workers", str(workers), "--no-decode", "--json", *extra],
                          check=False, capture_output=True, text=True)
    elapsed = time.perf_counter() - began
    if done.returncode != 0:
        sys.exit(f"smartdev export failed: {done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=3000)
    parser.add_argument("--txs", type=int, default=2, help="transactions (each with a log) per block")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from smartdev.localnode import free_port

    exe = etl_venv()
    project = Path(tempfile.mkdtemp(prefix="bench-export-"))
    (project / "contracts").mkdir()
    shutil.copy(REPO / "examples" / "token" / "contracts" / "Token.sol", project / "contracts" / "Token.sol")
    (project / "smartdev.toml").write_text("")
    subprocess.run([sys.executable, "-m", "smartdev", "compile"], cwd=project, check=True, capture_output=True)
    token = json.loads((project / "build" / "contracts" / "Token.json").read_text())

    port = free_port()
    node = start_anvil(port)
    url = f"http://127.0.0.1:{port}"
    try:
        began = time.perf_counter()
        head = build_chain(url, args.blocks, args.txs, token)
        print(f"chain: anvil, {head + 1} blocks, {args.blocks * args.txs} transfers with a log each "
              f"(built in {time.perf_counter() - began:.1f} s); {args.workers} workers each; median of {args.runs}")
        figures: dict[str, list[float]] = {"ethereum-etl (CSV)": [], "smartdev (CSV)": [], "smartdev (SQLite)": [],
                                           "smartdev --verify (CSV)": []}
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as work:
                w = Path(work)
                figures["ethereum-etl (CSV)"].append(run_etl(exe, url, head, w / "etl", args.workers))
                figures["smartdev (CSV)"].append(run_smartdev(url, f"csv:{w / 'csv'}", args.workers))
                figures["smartdev (SQLite)"].append(run_smartdev(url, f"sqlite:///{w / 'chain.db'}", args.workers))
                figures["smartdev --verify (CSV)"].append(
                    run_smartdev(url, f"csv:{w / 'csv-verified'}", args.workers, "--verify"))
        etl = statistics.median(figures["ethereum-etl (CSV)"])
        print(f"{'tool':<26} {'seconds':>8} {'blocks/s':>9} {'vs ethereum-etl':>16}")
        for name, times in figures.items():
            seconds = statistics.median(times)
            print(f"{name:<26} {seconds:>8.2f} {(head + 1) / seconds:>9.0f} {etl / seconds:>15.2f}x")
        print("targets: smartdev >= 1.00x without verification, >= 0.80x with --verify "
              "(each figure includes process start-up)")
    finally:
        node.terminate()
        node.wait(10)
        shutil.rmtree(project, ignore_errors=True)


if __name__ == "__main__":
    main()
