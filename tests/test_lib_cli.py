"""`smartdev lib list|show|add|manifest` against a small real library in a temp folder,
plus one check of the real contract_library/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clitools import run_cli
from smartdev.lib.manifest import (CATEGORIES, build_manifest, find, load_manifest, rewrite_imports,
                                   source_api, summary_of)

HEADER = "// SPDX-License-Identifier: Apache-2.0\npragma solidity ^0.8.20;\n\n"

SOURCES = {
    "base/Math.sol": HEADER + '''/// @title Math
/// @notice Small integer helpers.
library Math {
    /// @notice Overflow in an addition.
    error MathOverflow(uint256 a, uint256 b);

    function max(uint256 a, uint256 b) internal pure returns (uint256) {
        return a > b ? a : b;
    }

    function add(uint256 a, uint256 b) internal pure returns (uint256 c) {
        unchecked { c = a + b; }
        if (c < a) revert MathOverflow(a, b);
    }
}
''',
    "base/Ownable.sol": HEADER + '''import "./Math.sol";

/**
 * @title Ownable
 * @dev no notice here: the title is the summary
 */
abstract contract Ownable {
    address private _owner;

    event OwnershipTransferred(address indexed previous, address indexed next);
    error NotOwner(address caller);

    modifier onlyOwner() {
        if (msg.sender != _owner) revert NotOwner(msg.sender);
        _;
    }

    constructor() {
        _owner = msg.sender;
    }

    function owner() public view returns (address) {
        return _owner;
    }

    function transferOwnership(address next) external onlyOwner {
        emit OwnershipTransferred(_owner, next);
        _owner = next;
    }
}
''',
    "tokens/Token.sol": HEADER + '''import "@smartdev/base/Ownable.sol";

// function commentedOut(uint256) external; -- not part of the API
/// @title Token
/// @notice A minimal fixed-supply token
///   with an owner.
contract Token is Ownable {
    string public constant NOTE = "function inString(uint256) external;";
    mapping(address => uint256) private _balances;

    event Transfer(address indexed from, address indexed to, uint256 value);
    error InsufficientBalance(uint256 available, uint256 required);

    constructor(uint256 supply) {
        _balances[msg.sender] = supply;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _balances[account];
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        uint256 available = _balances[msg.sender];
        if (available < amount) revert InsufficientBalance(available, amount);
        _balances[msg.sender] = available - amount;
        _balances[to] += amount;
        emit Transfer(msg.sender, to, amount);
        return true;
    }
}
''',
    "tokens/Vault.sol": HEADER + '''import {Token} from '@smartdev/tokens/Token.sol';
import {Math} from "@smartdev/base/Math.sol";

/// @title Vault
/// @notice Holds tokens for their owner.
contract Vault {
    Token public immutable token;

    constructor(Token token_) {
        token = token_;
    }

    function limit(uint256 a, uint256 b) external pure returns (uint256) {
        return Math.max(a, b);
    }

    receive() external payable {}
}
''',
}

DOCS = {
    "base/Math.md": "# Math\n\nInteger helpers.\n",
    "base/Ownable.md": "# Ownable\n\nSingle-owner access control.\n",
    "tokens/Token.md": "# Token\n\nA minimal token. Example: `new Token(1000)`.\n",
    "tokens/Vault.md": "# Vault\n\nHolds tokens.\n",
}


def write_library(root: Path) -> Path:
    for rel, text in {**SOURCES, **DOCS}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


@pytest.fixture
def library(tmp_path: Path, monkeypatch) -> Path:
    lib = write_library(tmp_path / "library")
    monkeypatch.setattr("smartdev.resources.contract_library_dir", lambda: lib)
    return lib


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "contracts").mkdir(parents=True)
    (root / "smartdev.toml").write_text("")
    return root


# -- list ------------------------------------------------------------------------------------
def test_list(library: Path, proj: Path) -> None:
    result = run_cli("lib", "list", cwd=proj)
    assert result.code == 0, result.output
    for name in ("Math", "Ownable", "Token", "Vault"):
        assert name in result.stdout
    assert "A minimal fixed-supply token with an owner." in result.stdout

    result = run_cli("lib", "list", "--category", "tokens", "--json", cwd=proj)
    assert result.code == 0, result.output
    assert [e["name"] for e in json.loads(result.stdout)] == ["Token", "Vault"]

    result = run_cli("lib", "list", "--category", "crypto", cwd=proj)  # known, empty
    assert result.code == 0 and "no entries" in result.stderr

    result = run_cli("lib", "list", "--category", "money", cwd=proj)
    assert result.code == 2
    assert "unknown category 'money'" in result.stderr and "governance" in result.stderr


# -- show ------------------------------------------------------------------------------------
def test_show(library: Path, proj: Path) -> None:
    result = run_cli("lib", "show", "Token", cwd=proj)
    assert result.code == 0, result.output
    out = result.stdout
    assert "A minimal token. Example: `new Token(1000)`." in out  # the doc page
    assert "contract Token" in out
    assert "constructor(uint256)" in out
    assert "balanceOf(address) external view returns (uint256)" in out
    assert "transfer(address,uint256) external returns (bool)" in out
    assert "Transfer(address indexed,address indexed,uint256)" in out
    assert "InsufficientBalance(uint256,uint256)" in out
    assert "commentedOut" not in out and "inString" not in out
    assert str(library / "tokens" / "Token.sol") in out
    assert "dependencies: Ownable" in out

    data = json.loads(run_cli("lib", "show", "Vault", "--json", cwd=proj).stdout)
    assert data["dependencies"] == ["Math", "Token"]
    assert data["requires"] == ["Math", "Token", "Ownable"]
    assert data["doc_text"] == DOCS["tokens/Vault.md"]
    (vault,) = data["api"]
    assert [f["signature"] for f in vault["functions"]] == ["constructor(Token)", "limit(uint256,uint256)", "receive()"]
    assert vault["functions"][2]["mutability"] == "payable"

    ownable = json.loads(run_cli("lib", "show", "base/Ownable", "--json", cwd=proj).stdout)["api"][0]
    assert ownable["kind"] == "abstract contract"
    assert [e["text"] for e in ownable["events"]] == ["OwnershipTransferred(address indexed,address indexed)"]
    assert ownable["events"][0]["inputs"][1] == {"name": "next", "type": "address", "indexed": True}
    assert [e["signature"] for e in ownable["errors"]] == ["NotOwner(address)"]

    result = run_cli("lib", "show", "Tokn", cwd=proj)
    assert result.code == 4
    assert "no library entry named 'Tokn'" in result.stderr and "Did you mean Token" in result.stderr
    assert "base, tokens" in result.stderr


def test_source_api_details() -> None:
    api = source_api(HEADER + '''
error Free(uint256 x);
interface I {
    function f(uint256[] calldata xs, address payable to) external payable returns(bytes memory);
    function g(mapping(address => uint256) storage m) external view;
    event E(bytes32 indexed id) anonymous;
}
''')
    assert [u["kind"] for u in api] == ["interface", "file"]
    f, g = api[0]["functions"]
    assert f["text"] == "f(uint256[],address payable) external payable returns (bytes)"
    assert g["signature"] == "g(mapping(address => uint256))"
    assert api[0]["events"][0]["text"] == "E(bytes32 indexed) anonymous"
    assert api[1]["errors"][0]["signature"] == "Free(uint256)"


def test_summary_prefers_main_contract_natspec() -> None:
    text = HEADER + '/// @notice helper\nlibrary H {}\n\n/** @title Main\n *  @notice The main one. */\ncontract Main {}\n'
    assert summary_of(text, "Main") == "The main one."
    assert summary_of(text, "Other") == "helper"
    assert summary_of(HEADER + "contract X {}\n", "X") == ""


# -- add -------------------------------------------------------------------------------------
def test_add_copies_dependencies_and_compiles(library: Path, proj: Path, tmp_path: Path, monkeypatch) -> None:
    result = run_cli("lib", "add", "Vault", cwd=proj)
    assert result.code == 0, result.output
    vendor = proj / "contracts" / "vendor" / "smartdev"
    copied = sorted(p.relative_to(vendor).as_posix() for p in vendor.rglob("*") if p.is_file())
    assert copied == ["base/Math.sol", "base/Ownable.sol", "tokens/Token.sol", "tokens/Vault.sol"]
    assert "wrote contracts/vendor/smartdev/tokens/Vault.sol" in result.stderr
    vault = (vendor / "tokens" / "Vault.sol").read_text()
    assert "import {Token} from './Token.sol';" in vault
    assert 'import {Math} from "../base/Math.sol";' in vault
    assert 'import "../base/Ownable.sol";' in (vendor / "tokens" / "Token.sol").read_text()
    assert (vendor / "base" / "Ownable.sol").read_text() == SOURCES["base/Ownable.sol"]  # relative: as is
    assert all("@smartdev/" not in p.read_text() for p in vendor.rglob("*.sol"))

    # The copy compiles on its own: the library is out of reach now.
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setattr("smartdev.resources.contract_library_dir", lambda: empty)
    result = run_cli("compile", cwd=proj)
    assert result.code == 0, result.output
    assert (proj / "build" / "contracts" / "Vault.json").is_file()
    assert (proj / "build" / "contracts" / "Token.json").is_file()


def test_add_again_conflicts_and_force(library: Path, proj: Path) -> None:
    dest = proj / "vendored"
    assert run_cli("lib", "add", "Token", "--to", "vendored", cwd=proj).code == 0
    files = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())
    assert files == ["base/Math.sol", "base/Ownable.sol", "tokens/Token.sol"]

    again = run_cli("lib", "add", "token", "--to", "vendored", cwd=proj)  # identical: fine
    assert again.code == 0, again.output
    assert "0 written, 3 already up to date" in again.stderr

    math = dest / "base" / "Math.sol"
    math.write_text(math.read_text() + "\n// local change\n")
    changed = math.read_text()
    (dest / "tokens" / "Token.sol").unlink()
    refused = run_cli("lib", "add", "Token", "--to", "vendored", cwd=proj)
    assert refused.code == 2
    assert "would overwrite 1 changed file(s)" in refused.stderr and str(math) in refused.stderr
    assert math.read_text() == changed
    assert not (dest / "tokens" / "Token.sol").exists()  # nothing written at all

    forced = run_cli("lib", "add", "Token", "--to", "vendored", "--force", cwd=proj)
    assert forced.code == 0, forced.output
    assert "(overwritten)" in forced.stderr
    assert math.read_text() == SOURCES["base/Math.sol"]
    assert (dest / "tokens" / "Token.sol").is_file()

    missing = run_cli("lib", "add", "Vallt", cwd=proj)
    assert missing.code == 4 and "Did you mean Vault" in missing.stderr


def test_rewrite_imports_ignores_comments_and_strings() -> None:
    text = HEADER + '// import "@smartdev/base/Math.sol";\nimport /* "x" */ "@smartdev/base/Math.sol" as M;\n'
    rewritten, external = rewrite_imports(text, "tokens/T.sol")
    assert rewritten.endswith('// import "@smartdev/base/Math.sol";\nimport /* "x" */ "../base/Math.sol" as M;\n')
    assert external == []


# -- manifest --------------------------------------------------------------------------------
def test_build_manifest(library: Path) -> None:
    manifest = build_manifest(library)
    assert manifest["format"] == 1
    assert [(e["category"], e["name"]) for e in manifest["entries"]] == [
        ("base", "Math"), ("base", "Ownable"), ("tokens", "Token"), ("tokens", "Vault")]
    assert find(manifest, "Token") == {
        "name": "Token", "category": "tokens", "summary": "A minimal fixed-supply token with an owner.",
        "path": "tokens/Token.sol", "doc": "tokens/Token.md", "contracts": ["Token"],
        "dependencies": ["Ownable"], "pragma": "^0.8.20",
    }
    assert find(manifest, "Ownable")["summary"] == "Ownable"  # @title fallback
    assert find(manifest, "Ownable")["dependencies"] == ["Math"]
    (library / "tokens" / "Vault.md").unlink()
    assert find(build_manifest(library), "Vault")["doc"] is None


def test_build_manifest_errors(library: Path) -> None:
    from smartdev.errors import NotFoundError, UsageError

    (library / "tokens" / "Vault.sol").write_text(HEADER + 'import "@smartdev/base/Nope.sol";\ncontract Vault {}\n')
    with pytest.raises(NotFoundError, match="tokens/Vault.sol:4:1: imports '@smartdev/base/Nope.sol'"):
        build_manifest(library)
    (library / "tokens" / "Vault.sol").unlink()
    (library / "tokens" / "Math.sol").write_text(HEADER + "library Math {}\n")
    with pytest.raises(UsageError, match="two library entries are named Math"):
        build_manifest(library)


def test_manifest_write_and_check(library: Path, proj: Path) -> None:
    path = library / "manifest.json"
    missing = run_cli("lib", "manifest", "--check", cwd=proj)
    assert missing.code == 2 and "is stale" in missing.stderr and "missing" in missing.stdout

    wrote = run_cli("lib", "manifest", cwd=proj)
    assert wrote.code == 0, wrote.output
    assert "4 entries" in wrote.stderr
    assert path.read_text() == json.dumps(build_manifest(library), indent=2) + "\n"
    assert run_cli("lib", "manifest", "--check", cwd=proj).code == 0
    assert "already up to date" in run_cli("lib", "manifest", cwd=proj).stderr
    assert load_manifest(library) == json.loads(path.read_text())

    token = library / "tokens" / "Token.sol"
    token.write_text(token.read_text().replace("A minimal fixed-supply token", "A fixed-supply token"))
    (library / "base" / "Extra.sol").write_text(HEADER + "/// @notice Extra.\nlibrary Extra {}\n")
    stale = run_cli("lib", "manifest", "--check", cwd=proj)
    assert stale.code == 2
    assert "changed: Token.summary" in stale.stdout and "added: Extra (base/Extra.sol)" in stale.stdout
    # A stale committed copy never changes what the commands report.
    assert find(load_manifest(library), "Token")["summary"] == "A fixed-supply token with an owner."


# -- the real library --------------------------------------------------------------------------
def test_real_contract_library_manifest() -> None:
    from smartdev.resources import contract_library_dir

    library = contract_library_dir()
    manifest = build_manifest(library)
    names = [e["name"] for e in manifest["entries"]]
    assert len(names) == len(set(names))
    for entry in manifest["entries"]:
        assert entry["summary"], f"{entry['path']}: no @notice or @title"
        assert entry["doc"] and (library / entry["doc"]).is_file(), f"{entry['path']}: no doc page"
        assert entry["category"] in CATEGORIES, f"{entry['path']}: unknown category"
