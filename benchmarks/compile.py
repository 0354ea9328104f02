"""`smartdev compile` against raw solc-js (the floor) and Hardhat 2, side by side.

Two projects: (a) one small contract; (b) 34 files importing OpenZeppelin 5
from npm, with one shared file many import. Steps: cold (no cache), no-op,
after editing a leaf file, after editing the shared file. Hardhat's compiler
is pointed at the same local soljson.js, so nothing is downloaded while timing.

Targets (2-core machine): never slower than Hardhat at any step; (a) cold
<= 0.9 s; no-op <= 0.2 s; leaf edit <= 0.5x Hardhat; (b) cold <= 0.8x Hardhat.
"cold" stops smartdev's warm compiler daemons first; the later steps use the
daemon the cold build left running, as a user's next build would.

    python benchmarks/compile.py [--runs 3] [--workdir DIR]

The first run installs hardhat@2 and @openzeppelin/contracts@5 with npm into
the work directory (default: $SMARTDEV_CACHE_DIR/bench-compile).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

SOLC_VERSION = "0.8.28"
SOLC_LONG = "0.8.28+commit.7893614a"
HARDHAT = "hardhat@2"
OZ = "@openzeppelin/contracts@5"
N_CONTRACTS = 32


def cache_dir() -> Path:
    base = os.environ.get("SMARTDEV_CACHE_DIR") or str(Path.home() / ".cache" / "smartdev")
    return Path(base)


def soljson() -> Path:
    path = cache_dir() / "solcjs" / SOLC_VERSION / "node_modules" / "solc" / "soljson.js"
    if not path.exists():
        sys.exit(f"solc-js {SOLC_VERSION} missing at {path}: run `make solcjs`")
    return path


def npm_setup(work: Path) -> None:
    if (work / "node_modules" / "hardhat").exists() and (work / "node_modules" / "@openzeppelin").exists():
        return
    work.mkdir(parents=True, exist_ok=True)
    (work / "package.json").write_text('{"name": "bench-compile", "private": true}\n')
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", HARDHAT, OZ],
                   cwd=work, check=True)


HARDHAT_CONFIG = """
const {{ subtask }} = require("hardhat/config");
const {{ TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD }} = require("hardhat/builtin-tasks/task-names");
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async () => ({{
  compilerPath: {soljson}, isSolcJs: true, version: "{version}", longVersion: "{long}",
}}));
module.exports = {{ solidity: {{ version: "{version}", settings: {{ evmVersion: "cancun" }} }} }};
"""

SMALL = """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Small {
    uint256 public value;
    event Set(uint256 value);
    function set(uint256 v) external { value = v; emit Set(v); }
}
"""

SHARED = """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

library Shared {
    uint256 internal constant VERSION = 1;
    function double(uint256 x) internal pure returns (uint256) { return x * 2 + VERSION - 1; }
}
"""

OZ_IMPORTS = [
    ("@openzeppelin/contracts/token/ERC20/ERC20.sol", "ERC20", 'ERC20("T{i}", "T{i}")'),
    ("@openzeppelin/contracts/token/ERC721/ERC721.sol", "ERC721", 'ERC721("N{i}", "N{i}")'),
    ("@openzeppelin/contracts/access/AccessControl.sol", "AccessControl", "AccessControl()"),
    ("@openzeppelin/contracts/token/ERC1155/ERC1155.sol", "ERC1155", 'ERC1155("uri{i}")'),
]


def large_contract(i: int) -> str:
    path, base, ctor = OZ_IMPORTS[i % len(OZ_IMPORTS)]
    return f"""// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "{path}";
import "./lib/Shared.sol";

contract C{i} is {base} {{
    uint256 public counter;
    constructor() {ctor.format(i=i)} {{}}
    function bump(uint256 by) external {{ counter += Shared.double(by); }}
}}
"""


LEAF = """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Leaf {{
    uint256 public constant SEED = {seed};
    function seed() external pure returns (uint256) {{ return SEED; }}
}}
"""


def make_projects(work: Path) -> dict[str, Path]:
    projects = {}
    for tool in ("smartdev", "hardhat"):
        for name in ("small", "large"):
            root = work / f"{name}-{tool}"
            if root.exists():
                shutil.rmtree(root)
            contracts = root / "contracts"
            (contracts / "lib").mkdir(parents=True)
            if name == "small":
                (contracts / "Small.sol").write_text(SMALL)
            else:
                (contracts / "lib" / "Shared.sol").write_text(SHARED)
                (contracts / "Leaf.sol").write_text(LEAF.format(seed=0))
                for i in range(N_CONTRACTS):
                    (contracts / f"C{i}.sol").write_text(large_contract(i))
            (root / "node_modules").symlink_to(work / "node_modules")
            if tool == "hardhat":
                (root / "hardhat.config.js").write_text(HARDHAT_CONFIG.format(
                    soljson=json.dumps(str(soljson())), version=SOLC_VERSION, long=SOLC_LONG))
            else:
                (root / "smartdev.toml").write_text("")
            projects[f"{name}-{tool}"] = root
    return projects


# What a user's shell has: bytecode caching on (some CI images turn it off,
# which makes every Python import compile from source).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=CHILD_ENV)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed in {cwd}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return elapsed


def tool_command(tool: str, work: Path) -> list[str]:
    if tool == "hardhat":
        return [str(work / "node_modules" / ".bin" / "hardhat"), "compile", "--quiet"]
    exe = shutil.which("smartdev", path=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    return [exe or "smartdev", "compile"]


def clean(tool: str, root: Path) -> None:
    """No build output, no cache, and for smartdev no warm compiler daemon: truly cold."""
    for name in ("build", "artifacts", "cache"):
        shutil.rmtree(root / name, ignore_errors=True)
    if tool == "smartdev":
        subprocess.run(tool_command(tool, root)[:1] + ["compilers", "stop"], capture_output=True, env=CHILD_ENV)


def edit(root: Path, which: str, n: int) -> None:
    if which == "leaf":
        path = root / "contracts" / ("Leaf.sol" if (root / "contracts" / "Leaf.sol").exists() else "Small.sol")
        text = path.read_text()
        if "SEED" in text:
            path.write_text(LEAF.format(seed=n + 1))
        else:
            path.write_text(text.replace("value = v;", f"value = v + {n + 1};"))
    else:
        path = root / "contracts" / "lib" / "Shared.sol"
        path.write_text(SHARED.replace("VERSION = 1", f"VERSION = {n + 2}"))


def floor_cold(root: Path) -> float:
    """Raw solc-js on the whole project: load the compiler, compile everything, once."""
    sources = {}
    for path in sorted((root / "contracts").rglob("*.sol")):
        sources[path.relative_to(root).as_posix()] = {"content": path.read_text()}
    input_json = {"language": "Solidity", "sources": sources, "settings": {
        "outputSelection": {"*": {"*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"]}}}}
    script = (
        "const solc = require(process.argv[1]); const fs = require('fs'); const path = require('path');"
        "const input = fs.readFileSync(0, 'utf8');"
        "const find = (p) => { for (const base of [process.cwd(), path.join(process.cwd(), 'node_modules')]) {"
        " const f = path.join(base, p); if (fs.existsSync(f)) return {contents: fs.readFileSync(f, 'utf8')}; }"
        " return {error: 'not found ' + p}; };"
        "const out = JSON.parse(solc.compile(input, {import: find}));"
        "if ((out.errors || []).some(e => e.severity === 'error')) { console.error(JSON.stringify(out.errors)); process.exit(1); }"
    )
    start = time.perf_counter()
    subprocess.run(["node", "-e", script, str(soljson().parent)], input=json.dumps(input_json), text=True,
                   cwd=root, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    work = (args.workdir or cache_dir() / "bench-compile").resolve()
    npm_setup(work)

    steps = ("cold", "no-op", "leaf edit", "shared edit")
    results: dict[tuple[str, str, str], float] = {}
    floors = {}
    for run in range(args.runs):
        projects = make_projects(work)
        for name in ("small", "large"):
            floors.setdefault(name, []).append(floor_cold(projects[f"{name}-smartdev"]))
            for tool in ("smartdev", "hardhat"):
                root = projects[f"{name}-{tool}"]
                cmd = tool_command(tool, work)
                clean(tool, root)
                measured = {"cold": timed(cmd, root), "no-op": timed(cmd, root)}
                edit(root, "leaf", run)
                measured["leaf edit"] = timed(cmd, root)
                if name == "large":
                    edit(root, "shared", run)
                    measured["shared edit"] = timed(cmd, root)
                for step, seconds in measured.items():
                    results.setdefault((name, tool, step), []).append(seconds)

    med = {k: statistics.median(v) for k, v in results.items()}
    print(f"median of {args.runs} runs, seconds (2 cores: {os.cpu_count()} CPUs seen)")
    print(f"{'project':<8} {'step':<12} {'solcjs floor':>12} {'hardhat':>9} {'smartdev':>9} {'ratio':>7}  target")
    failures = 0
    for name in ("small", "large"):
        for step in steps:
            if (name, "smartdev", step) not in med:
                continue
            s, h = med[(name, "smartdev", step)], med[(name, "hardhat", step)]
            floor = f"{statistics.median(floors[name]):12.2f}" if step == "cold" else f"{'':>12}"
            target, ok = "<= hardhat", s <= h
            if name == "small" and step == "cold":
                target, ok = "<= 0.9 s and <= hardhat", s <= 0.9 and s <= h
            elif step == "no-op":
                target, ok = "<= 0.2 s and <= hardhat", s <= 0.2 and s <= h
            elif step == "leaf edit":
                target, ok = "<= 0.5x hardhat", s <= 0.5 * h
            elif name == "large" and step == "cold":
                target, ok = "<= 0.8x hardhat", s <= 0.8 * h
            failures += not ok
            print(f"{name:<8} {step:<12} {floor} {h:9.2f} {s:9.2f} {s / h:7.2f}  {target}: {'met' if ok else 'MISSED'}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
