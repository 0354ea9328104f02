"""`smartdev compile` end to end with the real compiler (solc-js), incremental cases,
bad input, and the output format."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from clitools import TOKEN_SOURCE, run_cli
from smartdev.errors import ExitStatus

HEADER = "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.20;\n"


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    # Stat-based change detection must see the edit even within one mtime tick.
    stamp = time.time_ns() + 1_000_000
    os.utime(path, ns=(stamp, stamp))
    return path


def compile_json(root: Path, *args: str):
    result = run_cli("compile", "--json", *args, cwd=root)
    data = json.loads(result.stdout) if result.stdout.strip() else None
    return result, data


@pytest.fixture
def proj(project: Path) -> Path:
    write(project, "contracts/lib/Math.sol", HEADER + "library Math { function twice(uint256 x) internal pure returns (uint256) { return 2 * x; } }\n")
    write(project, "contracts/A.sol", HEADER + 'import "./lib/Math.sol";\ncontract A { function f(uint256 x) external pure returns (uint256) { return Math.twice(x); } }\n')
    write(project, "contracts/B.sol", HEADER + 'import "./lib/Math.sol";\ncontract B { function g() external pure returns (uint256) { return Math.twice(21); } }\n')
    write(project, "contracts/Leaf.sol", HEADER + "contract Leaf { uint256 public constant SEED = 1; }\n")
    return project


def test_compile_writes_artifacts_build_info_and_bindings(proj: Path) -> None:
    result, data = compile_json(proj)
    assert result.code == 0, result.output
    assert sorted(data["compiled"]) == ["contracts/A.sol", "contracts/B.sol", "contracts/Leaf.sol", "contracts/lib/Math.sol"]
    artifact = json.loads((proj / "build/contracts/A.json").read_text())
    assert artifact["contractName"] == "A" and artifact["sourceName"] == "contracts/A.sol"
    assert artifact["bytecode"].startswith("0x6080") and artifact["deployedBytecode"].startswith("0x6080")
    assert artifact["abi"][0]["name"] == "f"
    assert artifact["methodIdentifiers"] == {"f(uint256)": "b3de648b"}
    assert artifact["compiler"]["version"] == "0.8.28"
    assert "storageLayout" in artifact and artifact["metadata"].startswith("{")
    assert artifact["deployedSourceMap"]
    info = json.loads((proj / "build" / artifact["buildInfo"]).read_text())
    assert "contracts/A.sol" in info["input"]["sources"] and info["output"]["contracts"]["contracts/A.sol"]["A"]
    binding = (proj / "build/bindings/A.py").read_text()
    assert "class A(ContractBinding):" in binding and "def f(self, x: int, *, block" in binding


def test_noop_then_leaf_then_shared_edit(proj: Path) -> None:
    assert compile_json(proj)[0].code == 0
    result, data = compile_json(proj)
    assert data["nothing_to_do"] is True and data["compiled"] == []
    human = run_cli("compile", cwd=proj)
    assert "Nothing to compile" in human.stderr

    write(proj, "contracts/Leaf.sol", HEADER + "contract Leaf { uint256 public constant SEED = 2; }\n")
    _, data = compile_json(proj)
    assert data["compiled"] == ["contracts/Leaf.sol"]
    assert data["unchanged"] == 3

    write(proj, "contracts/lib/Math.sol", HEADER + "library Math { function twice(uint256 x) internal pure returns (uint256) { return x + x; } }\n")
    _, data = compile_json(proj)
    assert sorted(data["compiled"]) == ["contracts/A.sol", "contracts/B.sol", "contracts/lib/Math.sol"]


def test_touch_without_change_rebuilds_nothing(proj: Path) -> None:
    compile_json(proj)
    path = proj / "contracts/A.sol"
    write(proj, "contracts/A.sol", path.read_text())  # new mtime, same content
    _, data = compile_json(proj)
    assert data["compiled"] == [] and data["nothing_to_do"] is False


def test_settings_change_rebuilds_everything(proj: Path) -> None:
    compile_json(proj)
    _, data = compile_json(proj, "--optimize", "--runs", "50")
    assert len(data["compiled"]) == 4
    assert json.loads((proj / "build/contracts/A.json").read_text())["settings"]["optimizer"] == {"enabled": True, "runs": 50}
    _, data = compile_json(proj, "--optimize", "--runs", "50")
    assert data["nothing_to_do"] is True
    _, data = compile_json(proj, "--evm-version", "paris")
    assert len(data["compiled"]) == 4


def test_force_and_single_file(proj: Path) -> None:
    compile_json(proj)
    _, data = compile_json(proj, "contracts/Leaf.sol", "--force")
    assert data["compiled"] == ["contracts/Leaf.sol"]
    assert (proj / "build/contracts/A.json").exists()  # other artifacts kept


def test_delete_and_rename(proj: Path) -> None:
    compile_json(proj)
    (proj / "contracts/B.sol").unlink()
    write(proj, "contracts/Leaf.sol", HEADER + "contract Leaf2 { uint256 public constant SEED = 1; }\n")
    _, data = compile_json(proj)
    assert data["compiled"] == ["contracts/Leaf.sol"]
    assert not (proj / "build/contracts/B.json").exists()
    assert not (proj / "build/contracts/Leaf.json").exists()
    assert (proj / "build/contracts/Leaf2.json").exists()
    assert not (proj / "build/bindings/B.py").exists()
    assert sorted(p.name for p in (proj / "build/contracts").rglob("*.json")) == ["A.json", "Leaf2.json", "Math.json"]


def test_duplicate_contract_names_do_not_clobber(proj: Path) -> None:
    write(proj, "contracts/other/A.sol", HEADER + "contract A { function h() external {} }\n")
    result, _ = compile_json(proj)
    assert result.code == 0, result.output
    first = json.loads((proj / "build/contracts/contracts/A.sol/A.json").read_text())
    second = json.loads((proj / "build/contracts/contracts/other/A.sol/A.json").read_text())
    assert first["abi"][0]["name"] == "f" and second["abi"][0]["name"] == "h"
    assert not (proj / "build/contracts/A.json").exists()
    # deploy by qualified name works with this layout
    deploy = run_cli("deploy", "contracts/other/A.sol:A", "--json", cwd=proj)
    assert deploy.code == 0, deploy.output
    ambiguous = run_cli("deploy", "A", cwd=proj)
    assert ambiguous.code == ExitStatus.USAGE and "ambiguous" in ambiguous.stderr
    # removing the duplicate moves A back to build/contracts/A.json without recompiling it
    (proj / "contracts/other/A.sol").unlink()
    _, data = compile_json(proj)
    assert data["compiled"] == []
    assert (proj / "build/contracts/A.json").exists()


def test_corrupt_cache_means_full_rebuild(proj: Path) -> None:
    compile_json(proj)
    (proj / "build/.cache/compile.json").write_text("{not json")
    result, data = compile_json(proj)
    assert result.code == 0 and len(data["compiled"]) == 4
    (proj / "build/contracts/A.json").unlink()
    _, data = compile_json(proj)
    assert data["compiled"] == ["contracts/A.sol"]


def test_a_copied_project_builds_on_its_own_and_leaves_the_original_alone(proj: Path, tmp_path: Path) -> None:
    import shutil

    compile_json(proj)
    before = {p.relative_to(proj): p.read_bytes() for p in (proj / "build").rglob("*") if p.is_file()}
    copy = tmp_path / "copy"
    shutil.copytree(proj, copy)  # build/.cache included, naming the original's files
    write(copy, "contracts/A.sol", HEADER + 'contract A { function f(uint256 x) external pure returns (uint256) { return x; } }\n')
    (copy / "contracts" / "B.sol").rename(copy / "contracts" / "B2.sol")  # B's artifact path changes
    result, data = compile_json(copy)
    assert result.code == 0, result.output
    assert len(data["compiled"]) == 4  # the copy's cache is not trusted: a full build
    after = {p.relative_to(proj): p.read_bytes() for p in (proj / "build").rglob("*") if p.is_file()}
    assert after == before  # nothing of the original moved, changed or went
    assert (copy / "build" / "contracts" / "B.json").exists() and (copy / "build" / "contracts" / "A.json").exists()


def test_compile_error_is_reported_like_a_compiler(proj: Path) -> None:
    compile_json(proj)
    before = (proj / "build/contracts/Leaf.json").read_text()
    write(proj, "contracts/Leaf.sol", HEADER + "contract Leaf {\n    function f() external { undefinedThing = 1; }\n}\n")
    result = run_cli("compile", cwd=proj)
    assert result.code == ExitStatus.COMPILE
    assert "contracts/Leaf.sol:4:29: error [7576]: Undeclared identifier." in result.stderr
    assert "    function f() external { undefinedThing = 1; }" in result.stderr
    assert "^^^^^^^^^^^^^^" in result.stderr
    assert "compilation failed with 1 error" in result.stderr
    assert "Nothing to compile" not in result.stderr  # no contradicting summary line
    assert (proj / "build/contracts/Leaf.json").read_text() == before  # nothing half-written
    again = run_cli("compile", cwd=proj)
    assert again.code == ExitStatus.COMPILE  # a failure is never cached as up to date


def test_warnings_shown_and_silenced_by_code(proj: Path) -> None:
    write(proj, "contracts/W.sol", HEADER + "contract W { function f(uint256 unused) external pure returns (uint256) { return 1; } }\n")
    result = run_cli("compile", cwd=proj)
    assert result.code == 0
    assert "contracts/W.sol:3:25: warning [5667]: Unused function parameter." in result.stderr
    (proj / "smartdev.toml").write_text("[compiler]\nignore_warnings = [5667]\n")
    quiet = run_cli("compile", "--force", cwd=proj)
    assert quiet.code == 0 and "warning" not in quiet.stderr


def test_missing_import_names_importer_and_paths(proj: Path) -> None:
    write(proj, "contracts/C.sol", HEADER + '\nimport "./nope/Gone.sol";\ncontract C {}\n')
    result = run_cli("compile", cwd=proj)
    assert result.code == ExitStatus.NOT_FOUND
    assert "contracts/C.sol:4:1" in result.stderr
    assert str(proj / "contracts/nope/Gone.sol") in result.stderr


def test_pragma_conflict_names_both_files(proj: Path) -> None:
    write(proj, "contracts/Old.sol", "// SPDX-License-Identifier: MIT\npragma solidity ^0.6.0;\ncontract Old {}\n")
    write(proj, "contracts/Mixed.sol", HEADER + 'import "./Old.sol";\ncontract Mixed {}\n')
    result = run_cli("compile", cwd=proj)
    assert result.code == ExitStatus.COMPILE
    assert "contracts/Mixed.sol" in result.stderr and "contracts/Old.sol" in result.stderr
    assert "^0.6.0" in result.stderr and "^0.8.20" in result.stderr


def test_impossible_pragma(proj: Path) -> None:
    write(proj, "contracts/Future.sol", "pragma solidity ^0.99.0;\ncontract Future {}\n")
    result = run_cli("compile", cwd=proj)
    assert result.code == ExitStatus.COMPILE
    assert "contracts/Future.sol" in result.stderr and "^0.99.0" in result.stderr


def test_remappings_and_node_modules(project: Path) -> None:
    write(project, "node_modules/@acme/tokens/Base.sol", HEADER + 'import "./util/U.sol";\ncontract Base { function u() public pure returns (uint256) { return U.one(); } }\n')
    write(project, "node_modules/@acme/tokens/util/U.sol", HEADER + "library U { function one() internal pure returns (uint256) { return 1; } }\n")
    write(project, "vendor/solmate/Owned.sol", HEADER + "contract Owned { address public owner = msg.sender; }\n")
    (project / "remappings.txt").write_text("solmate/=vendor/solmate/\n")
    (project / "smartdev.toml").write_text('[compiler]\nremappings = ["@tok/=@acme/tokens/"]\n')
    write(project, "contracts/App.sol", HEADER + 'import "@acme/tokens/Base.sol";\nimport "solmate/Owned.sol";\nimport {U} from "@tok/util/U.sol";\ncontract App is Base, Owned {}\n')
    result, data = compile_json(project)
    assert result.code == 0, result.output
    assert "@acme/tokens/Base.sol" in data["compiled"] and "vendor/solmate/Owned.sol" in data["compiled"]
    app = json.loads((project / "build/contracts/App.json").read_text())
    assert {e.get("name") for e in app["abi"]} >= {"u", "owner"}


def test_library_imports_resolve_into_contract_library(project: Path, tmp_path: Path, monkeypatch) -> None:
    library = tmp_path / "library"
    write(library, "math/SafeMath2.sol", HEADER + "library SafeMath2 { function add(uint256 a, uint256 b) internal pure returns (uint256) { return a + b; } }\n")
    monkeypatch.setattr("smartdev.resources.contract_library_dir", lambda: library)
    write(project, "contracts/UsesLib.sol", HEADER + 'import "@smartdev/math/SafeMath2.sol";\ncontract UsesLib { function s() external pure returns (uint256) { return SafeMath2.add(1, 2); } }\n')
    result, data = compile_json(project)
    assert result.code == 0, result.output
    assert "@smartdev/math/SafeMath2.sol" in data["compiled"]


def test_no_sources(project: Path) -> None:
    result = run_cli("compile", cwd=project)
    assert result.code == ExitStatus.NOT_FOUND and "no Solidity sources" in result.stderr


def test_compiled_token_deploys_and_binding_works(project: Path) -> None:
    write(project, "contracts/Token.sol", TOKEN_SOURCE.read_text())
    assert run_cli("compile", cwd=project).code == 0
    import importlib
    import sys

    from smartdev.accounts import dev_signers
    from smartdev.context import Environment
    from smartdev.network import connect

    sys.path.insert(0, str(project / "build"))
    try:
        bindings = importlib.import_module("bindings.Token")
        env = Environment(cwd=project, environ={})
        with connect(env, "embedded") as conn:
            token = bindings.Token.deploy(conn, 1000, env=env)
            assert token.total_supply() == 1000
            receipt = token.transfer(dev_signers()[1].address, 10)
            assert receipt.events[0]["event"] == "Transfer"
            assert token.balance_of(dev_signers()[1].address) == 10
            same = bindings.Token.deployed(conn, env=env)
            assert same.address == token.address
    finally:
        sys.path.remove(str(project / "build"))
        for name in [m for m in sys.modules if m == "bindings" or m.startswith("bindings.")]:
            del sys.modules[name]


def test_clean_keeps_deployments(proj: Path) -> None:
    compile_json(proj)
    (proj / "build/deployments").mkdir()
    (proj / "build/deployments/local.json").write_text("{}")
    result = run_cli("clean", cwd=proj)
    assert result.code == 0
    assert not (proj / "build/contracts").exists() and not (proj / "build/.cache").exists()
    assert (proj / "build/deployments/local.json").exists()
    assert "nothing to clean" in run_cli("clean", cwd=proj).stderr


def test_mixed_versions_compile_in_one_job_per_version(project: Path) -> None:
    write(project, "contracts/Old.sol", "// SPDX-License-Identifier: MIT\npragma solidity ^0.6.0;\ncontract Old { function v() external pure returns (uint256) { return 6; } }\n")
    write(project, "contracts/New.sol", HEADER + "contract New { function v() external pure returns (uint256) { return 8; } }\n")
    result, data = compile_json(project)
    assert result.code == 0, result.output
    assert sorted(job["solc"] for job in data["jobs"]) == ["0.6.12", "0.8.28"]
    assert json.loads((project / "build/contracts/Old.json").read_text())["compiler"]["version"] == "0.6.12"
    assert json.loads((project / "build/contracts/New.json").read_text())["compiler"]["version"] == "0.8.28"
    (project / "smartdev.toml").write_text('[compiler]\nversion = "0.8.28"\n')
    pinned = run_cli("compile", cwd=project)
    assert pinned.code == ExitStatus.COMPILE
    assert "pinned compiler version 0.8.28 does not satisfy the pragma of contracts/Old.sol (^0.6.0)" in pinned.stderr


def test_watch_recompiles_on_save_and_shows_errors(proj: Path) -> None:
    """`smartdev compile --watch` as a real process: edit, break, fix, Ctrl-C."""
    import signal
    import subprocess
    import sys
    import threading

    process = subprocess.Popen([sys.executable, "-m", "smartdev", "compile", "--watch"], cwd=proj,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")), daemon=True)
    reader.start()

    def wait_for(text: str, since: int, timeout: float = 60) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for i, line in enumerate(lines[since:], start=since):
                if text in line:
                    return i + 1
            time.sleep(0.05)
        process.kill()
        raise AssertionError(f"no {text!r} in output:\n{''.join(lines)}")

    try:
        seen = wait_for("watching", 0)
        write(proj, "contracts/Leaf.sol", HEADER + "contract Leaf { uint256 public constant SEED = 7; }\n")
        seen = wait_for("Compiled 1 source(s)", seen)
        write(proj, "contracts/Leaf.sol", HEADER + "contract Leaf { uint256 public constant SEED = oops; }\n")
        seen = wait_for("Undeclared identifier", seen)
        write(proj, "contracts/Leaf.sol", HEADER + "contract Leaf { uint256 public constant SEED = 8; }\n")
        seen = wait_for("Compiled 1 source(s)", seen)
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=30)
    assert code == 0
    artifact = json.loads((proj / "build/contracts/Leaf.json").read_text())
    assert artifact["abi"][0]["name"] == "SEED"


def test_compilers_commands(project: Path) -> None:
    listed = run_cli("compilers", "list", "--json", cwd=project)
    assert listed.code == 0, listed.output
    versions = [c["version"] for c in json.loads(listed.stdout)["installed"]]
    assert "0.8.28" in versions and versions == sorted(versions, key=lambda v: tuple(map(int, v.split("."))), reverse=True)
    which = run_cli("compilers", "which", "0.8.x", "--json", cwd=project)
    assert which.code == 0 and json.loads(which.stdout)["version"].startswith("0.8.")
    none = run_cli("compilers", "which", "0.1.x", cwd=project)
    assert none.code == ExitStatus.NOT_FOUND and "no installed compiler matches" in none.stderr
    unknown = run_cli("compilers", "install", "0.99.1", cwd=project)
    assert unknown.code == ExitStatus.NOT_FOUND and "no released solc version matches" in unknown.stderr
    bad = run_cli("compilers", "install", "not-a-version", cwd=project)
    assert bad.code == ExitStatus.USAGE
