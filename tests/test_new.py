"""`smartdev new`: every template generates a project whose own tests pass (`smartdev compile &&
smartdev test`, run for real in a subprocess), --from-contracts, --force merging, and bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clitools import KEPT_ENV, REPO, run_cli

TEMPLATES = ["basic", "token", "governance", "dapp", "plugin"]
SMARTDEV = [sys.executable, "-m", "smartdev"]


def new(where: Path, *args: str):
    return run_cli("new", *args, cwd=where)


def in_project(root: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    """`smartdev ARGS` inside a generated project, in its own process, as a user runs it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTDEV_") or k in KEPT_ENV}
    env.pop("PYTEST_ADDOPTS", None)
    return subprocess.run([*SMARTDEV, *args], cwd=root, env=env, capture_output=True, text=True, timeout=timeout)


def test_list_templates(tmp_path: Path) -> None:
    listed = new(tmp_path, "--list-templates", "--json")
    assert listed.code == 0, listed.output
    found = {t["name"]: t for t in json.loads(listed.stdout)}
    assert sorted(found) == sorted(TEMPLATES)
    assert all(t["description"] for t in found.values())
    assert found["token"]["variables"]["token_symbol"] == "MTK"
    text = new(tmp_path, "--list-templates")
    assert text.code == 0 and "governance" in text.stdout and "recoverable accounts" in text.stdout


@pytest.mark.parametrize("template", TEMPLATES)
def test_each_template_passes_its_own_tests(tmp_path: Path, template: str) -> None:
    made = new(tmp_path, f"my_{template}", "--template", template, "--no-input", "--json")
    assert made.code == 0, made.output
    root = tmp_path / f"my_{template}"
    info = json.loads(made.stdout)
    assert info["path"] == str(root) and info["template"] == template
    for rel in ("smartdev.toml", "README.md", ".gitignore", "pyproject.toml", "tests", "scripts/deploy.py"):
        assert (root / rel).exists(), rel
    assert (root / ".git").is_dir()  # the post-generation hook ran `git init`
    assert not list(tmp_path.glob(".smartdev-new-*"))  # the staging folder is gone
    compiled = in_project(root, "compile")
    assert compiled.returncode == 0, compiled.stderr
    tested = in_project(root, "test")
    assert tested.returncode == 0, tested.stdout[-3000:] + tested.stderr[-2000:]
    assert " passed" in tested.stdout and " failed" not in tested.stdout
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTDEV_") or k in KEPT_ENV}
    deployed = subprocess.run([sys.executable, "scripts/deploy.py"], cwd=root, env=env, capture_output=True,
                              text=True, timeout=120)  # on the embedded chain, the projects' default
    assert deployed.returncode == 0, deployed.stderr
    assert " at 0x" in deployed.stdout


def test_variables_reach_the_files(tmp_path: Path) -> None:
    made = new(tmp_path, "coin", "--template", "token", "--no-input", "--set", "token_symbol=CNY",
               "--set", "token_name=Coin", "--set", "cap=42", "--set", "license=Apache-2.0", "--set", "init_git=no")
    assert made.code == 0, made.output
    source = (tmp_path / "coin" / "contracts" / "Token.sol").read_text()
    assert '"Coin", "CNY", 18, 42 * 10 ** 18' in source and "SPDX-License-Identifier: Apache-2.0" in source
    assert "CAP = 42 * UNIT" in (tmp_path / "coin" / "tests" / "test_token.py").read_text()
    assert not (tmp_path / "coin" / ".git").exists()


def test_from_contracts_builds_around_existing_sources(tmp_path: Path) -> None:
    legacy = tmp_path / "legacy"
    (legacy / "nested").mkdir(parents=True)
    shutil.copy(REPO / "examples" / "token" / "contracts" / "Token.sol", legacy / "Token.sol")
    (legacy / "nested" / "Vault.sol").write_text(
        "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.20;\n"
        "contract Vault { address public owner; constructor(address o) { require(o != msg.sender, 'not you'); owner = o; } }\n"
        "contract Picky { constructor(uint256 x) { require(x > 100, 'too small'); } }\n")
    made = new(tmp_path, "around", "--from-contracts", str(legacy), "--no-input", "--json")
    assert made.code == 0, made.output
    root = tmp_path / "around"
    assert sorted(json.loads(made.stdout)["contracts"]) == ["contracts/Token.sol", "contracts/nested/Vault.sol"]
    assert not (root / "contracts" / "Counter.sol").exists() and not (root / "tests" / "test_counter.py").exists()
    assert (root / "tests" / "test_contracts.py").exists() and (root / "scripts" / "deploy.py").exists()
    assert in_project(root, "compile").returncode == 0
    tested = in_project(root, "test", "--", "-rs")
    assert tested.returncode == 0, tested.stdout[-3000:] + tested.stderr[-2000:]
    assert "3 passed" in tested.stdout and "1 skipped" in tested.stdout  # Picky refuses the placeholder 1
    assert "too small" in tested.stdout


def test_an_existing_folder_is_refused_and_force_never_overwrites(tmp_path: Path) -> None:
    root = tmp_path / "busy"
    (root / "contracts").mkdir(parents=True)
    (root / "contracts" / "Counter.sol").write_text("// my own counter\n")
    (root / "notes.txt").write_text("mine\n")
    refused = new(tmp_path, "busy", "--no-input")
    assert refused.code == 2 and "already exists" in refused.stderr and "--force" in refused.stderr
    assert sorted(p.name for p in root.rglob("*")) == ["Counter.sol", "contracts", "notes.txt"]
    merged = new(tmp_path, "busy", "--no-input", "--force")
    assert merged.code == 0, merged.output
    assert (root / "contracts" / "Counter.sol").read_text() == "// my own counter\n"
    assert "contract Counter" in (root / "contracts" / "Counter.sol.new").read_text()
    assert (root / "notes.txt").read_text() == "mine\n" and (root / "tests" / "test_counter.py").exists()
    assert "kept your contracts/Counter.sol" in merged.stderr
    again = new(tmp_path, "busy", "--no-input", "--force")  # identical files are left as they are
    assert again.code == 0 and "tests/test_counter.py" not in again.stderr


@pytest.mark.parametrize(("args", "code", "words"), [
    (["my-proj"], 2, "Try 'my_proj'"),
    (["2fast"], 2, "Try 'p_2fast'"),
    (["class"], 2, "not a valid project name"),
    (["ok", "--template", "tokn"], 4, "Did you mean 'token'"),
    (["ok", "--set", "colour=red"], 2, "has no variable 'colour'"),
    (["ok", "--set", "license=WTFPL"], 2, "choose one of MIT"),
    (["ok", "--set", "author"], 2, "not KEY=VALUE"),
    (["ok", "--from-contracts", "nowhere"], 4, "no such folder"),
    (["ok", "--from-contracts", "."], 4, "no .sol files"),
    (["ok", "--template", "token", "--from-contracts", "."], 2, "cannot be built around existing contracts"),
    ([], 2, "missing the project NAME"),
])
def test_bad_input_writes_nothing(tmp_path: Path, args: list[str], code: int, words: str) -> None:
    refused = new(tmp_path, *args, "--no-input")
    assert refused.code == code, refused.output
    assert words in refused.stderr and "Traceback" not in refused.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_failing_hook_leaves_nothing_behind(tmp_path: Path, monkeypatch) -> None:
    from smartdev.new import scaffold

    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates" / "basic", templates / "basic")
    (templates / "basic" / "hooks" / "post_gen_project.py").write_text("raise SystemExit(3)\n")
    monkeypatch.setattr(scaffold, "templates_dir", lambda: templates)
    out = tmp_path / "out"
    failed = run_cli("new", "doomed", "--no-input", "--output-dir", str(out), cwd=tmp_path)
    assert failed.code == 2 and "hook failed" in failed.stderr
    assert list(out.iterdir()) == []


def test_the_plugin_template_registers_its_command(tmp_path: Path) -> None:
    """Installed (here: into a folder on PYTHONPATH), the plugin's command is a smartdev command."""
    assert new(tmp_path, "sizes_plugin", "--template", "plugin", "--no-input", "--set", "command=codesize").code == 0
    root = tmp_path / "sizes_plugin"
    site = tmp_path / "site"
    installed = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                                "--no-index", "--target", str(site), str(root)], capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTDEV_") or k in KEPT_ENV}
    env["PYTHONPATH"] = str(site)
    assert subprocess.run([*SMARTDEV, "compile"], cwd=root, env=env, capture_output=True).returncode == 0
    listed = subprocess.run([*SMARTDEV, "--help"], cwd=root, env=env, capture_output=True, text=True)
    assert "codesize" in listed.stdout
    ran = subprocess.run([*SMARTDEV, "codesize", "--json"], cwd=root, env=env, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    assert [r["contract"] for r in json.loads(ran.stdout)] == ["Sample"]
