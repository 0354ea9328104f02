"""Gas of the contract library's main operations, side by side with OpenZeppelin.

Each probe contract under ``benchmarks/gas/smartdev/`` measures one operation with
``gasleft()`` (called with ``eth_call``, so nothing it writes is kept), or a whole
transaction's ``gasUsed`` where that is what a user pays (token transfers, wallet
steps). ``benchmarks/gas/openzeppelin/`` has the same probes over OpenZeppelin
Contracts, the library most users would otherwise reach for, so each figure is
printed with its ratio to the peer (< 1.00 = smartdev is cheaper). Both sides are
compiled by ``smartdev compile`` with the same solc and optimizer settings and run on
the embedded py-evm chain.

Gas is deterministic, so a saved baseline catches regressions exactly:

    python benchmarks/gas.py                 # print the table (and deltas to the baseline)
    python benchmarks/gas.py --save          # write benchmarks/gas-baseline.json
    python benchmarks/gas.py --check         # exit 1 if any figure grew > 2 % over the baseline
    python benchmarks/gas.py --no-peer       # smartdev only (no npm install)

The first run installs @openzeppelin/contracts with npm into the work directory
(default: $SMARTDEV_CACHE_DIR/bench-gas, else ~/.cache/smartdev/bench-gas).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
PROBES = HERE / "gas"
BASELINE = HERE / "gas-baseline.json"
OZ_VERSION = "5.7.0"
SOLC_VERSION = "0.8.28"
TOLERANCE = 0.02  # --check: a figure may grow this much over the baseline
CONFIG = f"""[compiler]
version = "{SOLC_VERSION}"
optimize = true
runs = 200
bindings = false
"""


@dataclass
class Probe:
    """One figure: ``function(*args)`` of a suite's contract, after its setup."""

    label: str
    function: str
    args: Callable[[Any, Any], list[Any]] = lambda chain, contract: []
    kind: str = "call"  # "call": the function returns its own gas as the first value; "tx": receipt gasUsed
    sender: int = 0  # dev account index


@dataclass
class Suite:
    ours: str  # contract name in benchmarks/gas/smartdev
    peer: str | None  # contract name in benchmarks/gas/openzeppelin (None: no equivalent)
    probes: list[Probe]
    constructor: Callable[[Any], list[Any]] = lambda chain: []
    setup: list[tuple[str, Callable[[Any], list[Any]]]] = field(default_factory=list)


# -- inputs (fixed seed: the same values for both sides and every run) -------------------
RNG = random.Random(20261124)
HUNDRED = [RNG.getrandbits(64) for _ in range(100)]
MIDDLE = sorted(HUNDRED)[50] + 1
SORT_INPUT = [RNG.getrandbits(256) for _ in range(100)]


def merkle_case(n: int = 1024) -> tuple[list[bytes], bytes, bytes]:
    """A proof for leaf 337 of a sorted-pair keccak tree over n leaves (both libraries' scheme)."""
    from eth_utils import keccak

    def pair(a: bytes, b: bytes) -> bytes:
        return keccak(min(a, b) + max(a, b))

    leaves = [keccak(keccak(i.to_bytes(32, "big"))) for i in range(n)]
    index, proof, level = 337, [], leaves
    while len(level) > 1:
        sibling = index ^ 1
        if sibling < len(level):
            proof.append(level[sibling])
        level = [pair(level[i], level[i + 1]) if i + 1 < len(level) else level[i]
                 for i in range(0, len(level), 2)]
        index //= 2
    return proof, level[0], leaves[337]


MERKLE = merkle_case()


def signature_case() -> tuple[bytes, bytes]:
    """A fixed digest and its 65-byte signature by a fixed key."""
    from eth_account import Account
    from eth_utils import keccak

    digest = keccak(text="smartdev gas benchmark")
    signed = Account.from_key(b"\x11" * 32).unsafe_sign_hash(digest)
    return digest, signed.signature


SIGNATURE = signature_case()

SUITES = [
    Suite("HeapBench", "OzHeapBench", setup=[("fill", lambda c: [HUNDRED])], probes=[
        Probe("Heap: push into 100", "gasPush", lambda c, k: [MIDDLE]),
        Probe("Heap: pop from 100", "gasPop"),
    ]),
    Suite("SetBench", "OzSetBench", setup=[("fill", lambda c: [HUNDRED])], probes=[
        Probe("EnumerableSet: add to 100", "gasAdd", lambda c, k: [MIDDLE]),
        Probe("EnumerableSet: remove from 100", "gasRemove", lambda c, k: [HUNDRED[50]]),
        Probe("EnumerableSet: contains", "gasContains", lambda c, k: [HUNDRED[7]]),
    ]),
    Suite("MerkleBench", "OzMerkleBench", probes=[
        Probe("Merkle: verify (1024 leaves)", "gasVerify", lambda c, k: list(MERKLE)),
    ]),
    Suite("BaseBench", "OzBaseBench", probes=[
        Probe("Arrays: sort 100 uint256", "gasSort", lambda c, k: [SORT_INPUT]),
        Probe("Math: sqrt(2**255)", "gasSqrt", lambda c, k: [2**255]),
        Probe("Math: mulDiv (512-bit)", "gasMulDiv", lambda c, k: [2**255 - 19, 2**254 + 7, 2**255 - 1]),
        Probe("Math: log2", "gasLog2", lambda c, k: [2**200 + 12345]),
        Probe("Strings: toString(max)", "gasToString", lambda c, k: [2**256 - 1]),
        Probe("Strings: checksum address", "gasToChecksumHex", lambda c, k: [c.accounts[3]]),
        Probe("Base64: encode 100 bytes", "gasBase64", lambda c, k: [bytes(range(100))]),
    ]),
    Suite("CryptoBench", "OzCryptoBench", probes=[
        Probe("ECDSA: recover (65-byte signature)", "gasRecover", lambda c, k: list(SIGNATURE)),
        Probe("ECDSA: toEthSignedMessageHash", "gasEthSignedMessageHash", lambda c, k: [SIGNATURE[0]]),
    ]),
    Suite("PatternsBench", "OzPatternsBench", setup=[("fill", lambda c: [100])], probes=[
        Probe("SnapshotHistory: push after 100", "gasPush", lambda c, k: [1010, 7]),
        Probe("SnapshotHistory: upperLookup in 100", "gasUpperLookup", lambda c, k: [333]),
        Probe("Clones: clone (EIP-1167)", "gasClone", lambda c, k: [k.address]),
    ]),
    # Whole transactions (what the sender pays), in order on one deployment.
    Suite("FungibleToken", "OzFungibleToken", constructor=lambda c: ["Bench", "BNC", 18, 0, c.accounts[0]], probes=[
        Probe("ERC20: mint", "mint", lambda c, k: [c.accounts[1], 10**21], "tx", 0),
        Probe("ERC20: transfer to a new holder", "transfer", lambda c, k: [c.accounts[2], 10**18], "tx", 1),
        Probe("ERC20: transfer to a holder", "transfer", lambda c, k: [c.accounts[2], 10**18], "tx", 1),
        Probe("ERC20: approve", "approve", lambda c, k: [c.accounts[3], 10**19], "tx", 1),
        Probe("ERC20: transferFrom", "transferFrom", lambda c, k: [c.accounts[1], c.accounts[4], 10**18], "tx", 3),
    ]),
    Suite("NonFungibleToken", "OzNonFungibleToken", constructor=lambda c: ["Bench", "BNF", "ipfs://x/", c.accounts[0]],
          probes=[
        Probe("ERC721: mint", "mint", lambda c, k: [c.accounts[1], 1], "tx", 0),
        Probe("ERC721: transferFrom", "transferFrom", lambda c, k: [c.accounts[1], c.accounts[2], 1], "tx", 1),
        Probe("ERC721: safeTransferFrom to an EOA", "safeTransferFrom(address,address,uint256)",
              lambda c, k: [c.accounts[2], c.accounts[3], 1], "tx", 2),
    ]),
    Suite("MultiToken", "OzMultiToken", constructor=lambda c: ["ipfs://x/{id}.json", c.accounts[0]], probes=[
        Probe("ERC1155: mint", "mint", lambda c, k: [c.accounts[1], 7, 100, b""], "tx", 0),
        Probe("ERC1155: safeTransferFrom", "safeTransferFrom", lambda c, k: [c.accounts[1], c.accounts[2], 7, 10, b""],
              "tx", 1),
        Probe("ERC1155: safeBatchTransferFrom (1 id)", "safeBatchTransferFrom",
              lambda c, k: [c.accounts[1], c.accounts[2], [7], [5], b""], "tx", 1),
    ]),
    # Whole transactions, smartdev only: OpenZeppelin has no equivalent.
    Suite("MultiSigWallet", None, constructor=lambda c: [c.accounts[1:4], 2], probes=[
        Probe("MultiSigWallet: submit (2-of-3)", "submit", lambda c, k: [c.accounts[5], 0, b""], "tx", 1),
        Probe("MultiSigWallet: confirm", "confirm", lambda c, k: [0], "tx", 2),
        Probe("MultiSigWallet: execute", "execute", lambda c, k: [0], "tx", 3),
    ]),
    Suite("RecoverableAccount", None, setup=[("registerSocial", lambda c: c.accounts[1:4])], probes=[
        Probe("RecoverableAccount: rotateKey", "rotateKey",
              lambda c, k: [k.functions.accountOf(c.accounts[0]).call(), c.accounts[9]], "tx", 0),
        Probe("RecoverableAccount: proposeRecovery", "proposeRecovery",
              lambda c, k: [k.functions.accountOf(c.accounts[9]).call(), c.accounts[8]], "tx", 1),
        Probe("RecoverableAccount: approveRecovery (completes 2-of-3)", "approveRecovery",
              lambda c, k: [k.functions.accountOf(c.accounts[9]).call(), c.accounts[8]], "tx", 2),
    ]),
]


# -- build --------------------------------------------------------------------------------
def work_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    base = os.environ.get("SMARTDEV_CACHE_DIR") or str(Path.home() / ".cache" / "smartdev")
    return Path(base) / "bench-gas"


def install_peer(work: Path) -> bool:
    package = work / "node_modules" / "@openzeppelin" / "contracts" / "package.json"
    if package.exists() and json.loads(package.read_text()).get("version") == OZ_VERSION:
        return True
    work.mkdir(parents=True, exist_ok=True)
    (work / "package.json").write_text('{"name": "bench-gas", "private": true}\n')
    done = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error",
                           f"@openzeppelin/contracts@{OZ_VERSION}"], cwd=work)
    if done.returncode != 0:
        print(f"warning: could not install @openzeppelin/contracts@{OZ_VERSION}; smartdev figures only",
              file=sys.stderr)
    return done.returncode == 0


def build(work: Path, peer: bool) -> Path:
    project = work / "project"
    if project.exists():
        shutil.rmtree(project)
    (project / "contracts").mkdir(parents=True)
    (project / "smartdev.toml").write_text(CONFIG)
    shutil.copytree(PROBES / "smartdev", project / "contracts" / "smartdev")
    if peer:
        shutil.copytree(PROBES / "openzeppelin", project / "contracts" / "openzeppelin")
        (project / "node_modules").symlink_to(work / "node_modules")
    smartdev = [sys.executable, "-m", "smartdev"]
    done = subprocess.run([*smartdev, "compile"], cwd=project, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"compile failed:\n{done.stdout}{done.stderr}")
    return project / "build" / "contracts"


# -- run ----------------------------------------------------------------------------------
class Chain:
    def __init__(self, w3: Any, artifacts: Path) -> None:
        self.w3 = w3
        self.accounts = list(w3.eth.accounts)
        self.artifacts = {p.stem: p for p in artifacts.rglob("*.json")}

    def deploy(self, name: str, args: list[Any]) -> Any:
        art = json.loads(self.artifacts[name].read_text())
        factory = self.w3.eth.contract(abi=art["abi"], bytecode=art["bytecode"])
        receipt = self.transact(factory.constructor(*args))
        return self.w3.eth.contract(address=receipt["contractAddress"], abi=art["abi"])

    def transact(self, fn: Any, sender: int = 0) -> Any:
        receipt = self.w3.eth.wait_for_transaction_receipt(fn.transact({"from": self.accounts[sender]}))
        if receipt["status"] != 1:
            raise RuntimeError(f"transaction failed: {fn}")
        return receipt


def measure(chain: Chain, suite: Suite, name: str) -> dict[str, int]:
    contract = chain.deploy(name, suite.constructor(chain))
    for function, args in suite.setup:
        chain.transact(getattr(contract.functions, function)(*args(chain)))
    figures = {}
    for probe in suite.probes:
        if "(" in probe.function:  # an overload, by signature
            fn = contract.get_function_by_signature(probe.function)(*probe.args(chain, contract))
        else:
            fn = getattr(contract.functions, probe.function)(*probe.args(chain, contract))
        if probe.kind == "tx":
            figures[probe.label] = chain.transact(fn, probe.sender)["gasUsed"]
        else:
            result = fn.call({"from": chain.accounts[probe.sender]})
            figures[probe.label] = result[0] if isinstance(result, (list, tuple)) else result
    return figures


def run(artifacts: Path, peer: bool) -> dict[str, dict[str, int | None]]:
    from smartdev.context import Environment
    from smartdev.network import connect

    results: dict[str, dict[str, int | None]] = {}
    with connect(Environment(environ={}), "embedded") as conn:
        chain = Chain(conn.w3, artifacts)
        for suite in SUITES:
            ours = measure(chain, suite, suite.ours)
            theirs = measure(chain, suite, suite.peer) if peer and suite.peer else {}
            for label, gas in ours.items():
                results[label] = {"smartdev": gas, "openzeppelin": theirs.get(label)}
    return results


def report(results: dict[str, dict[str, int | None]], baseline: dict[str, int]) -> list[str]:
    """Print the table; return the labels that regressed beyond TOLERANCE."""
    regressed = []
    width = max(len(label) for label in results)
    print(f"{'operation':<{width}}  {'smartdev':>9}  {'OZ ' + OZ_VERSION:>9}  {'ratio':>6}  {'vs baseline':>11}")
    for label, row in results.items():
        ours, theirs = row["smartdev"], row["openzeppelin"]
        ratio = f"{ours / theirs:6.2f}" if theirs else f"{'-':>6}"
        before = baseline.get(label)
        if before is None:
            delta = "new"
        else:
            change = (ours - before) / before
            delta = f"{change:+.1%}"
            if change > TOLERANCE:
                regressed.append(label)
                delta += " !"
        print(f"{label:<{width}}  {ours:>9}  {theirs if theirs is not None else '-':>9}  {ratio}  {delta:>11}")
    ratios = [r["smartdev"] / r["openzeppelin"] for r in results.values() if r["openzeppelin"]]
    if ratios:
        geo = 1.0
        for r in ratios:
            geo *= r
        print(f"geometric mean ratio to OpenZeppelin over {len(ratios)} operations: {geo ** (1 / len(ratios)):.2f}")
    return regressed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", help="where OpenZeppelin and the probe project go")
    parser.add_argument("--no-peer", action="store_true", help="skip OpenZeppelin")
    parser.add_argument("--save", action="store_true", help=f"write the figures to {BASELINE.name}")
    parser.add_argument("--check", action="store_true", help="exit 1 on a regression over the baseline")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    opts = parser.parse_args()

    work = work_dir(opts.workdir)
    work.mkdir(parents=True, exist_ok=True)
    peer = not opts.no_peer and install_peer(work)
    results = run(build(work, peer), peer)
    if opts.json:
        print(json.dumps(results, indent=2))
        return 0
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    regressed = report(results, baseline)
    if opts.save:
        BASELINE.write_text(json.dumps({k: v["smartdev"] for k, v in results.items()}, indent=2) + "\n")
        print(f"baseline written to {BASELINE}")
    if opts.check and regressed:
        print(f"gas regressions over {TOLERANCE:.0%}: {', '.join(regressed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
