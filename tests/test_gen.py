"""`smartdev gen`: the typed client against the embedded chain, the REST service over real
HTTP, the generated tests run by pytest, safe regeneration, configuration and bad input."""

from __future__ import annotations

import ast
import importlib
import json
import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from clitools import KEPT_ENV, TOKEN_SOURCE, run_cli
from smartdev.errors import ExitStatus

BOB = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
ALICE = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"

SHOP = """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IShop { function count() external view returns (uint256); }

/// @notice A shop: structs, arrays, overloads, events, bytes and payable functions.
contract Shop is IShop {
    struct Item { string name; uint256 price; address seller; bytes32 tag; }
    struct Order { uint256 id; uint256[] quantities; Item item; }

    event Listed(uint256 indexed id, Item item, string indexed label);
    event Bought(address indexed buyer, uint256 id, uint256 paid);

    Item[] internal items;
    uint256 public revenue;
    bytes public note;

    function count() external view returns (uint256) { return items.length; }

    /// @notice Put an item up for sale.
    function list(Item calldata item) external returns (uint256 id) {
        items.push(item);
        id = items.length - 1;
        emit Listed(id, item, item.name);
    }

    function get(uint256 id) external view returns (Item memory) {
        require(id < items.length, "no such item");
        return items[id];
    }

    function all() external view returns (Item[] memory) { return items; }

    function buy(uint256 id) external payable {
        require(id < items.length, "no such item");
        require(msg.value >= items[id].price, "not enough paid");
        revenue += msg.value;
        emit Bought(msg.sender, id, msg.value);
    }

    function total(uint256[] calldata xs) external pure returns (uint256 sum, uint256 n) {
        for (uint256 i; i < xs.length; i++) sum += xs[i];
        n = xs.length;
    }

    function price(uint256 id) external view returns (uint256) { return items[id].price; }
    function price(uint256 id, uint256 quantity) external view returns (uint256) { return items[id].price * quantity; }

    function setNote(bytes calldata data) external { note = data; }
    function echo(bytes4 sel, bytes calldata data) external pure returns (bytes4, bytes memory) { return (sel, data); }

    function units(Order calldata o) external pure returns (uint256 n) {
        for (uint256 i; i < o.quantities.length; i++) n += o.quantities[i];
    }
}
"""


def _env_vars() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("SMARTDEV_") or k in KEPT_ENV}


@pytest.fixture(scope="module")
def compiled(tmp_path_factory) -> Path:
    """A project with Token and Shop compiled once by `smartdev compile`."""
    root = tmp_path_factory.mktemp("genbase") / "shopapp"
    (root / "contracts").mkdir(parents=True)
    (root / "smartdev.toml").write_text("# the project\n")
    shutil.copy(TOKEN_SOURCE, root / "contracts" / "Token.sol")
    (root / "contracts" / "Shop.sol").write_text(SHOP)
    result = run_cli("compile", cwd=root)
    assert result.code == 0, result.output
    return root


@pytest.fixture
def proj(compiled: Path, tmp_path: Path) -> Path:
    """A fresh copy of the compiled project (without the compile cache, which names the
    original's files by absolute path)."""
    root = tmp_path / "shopapp"
    shutil.copytree(compiled, root, ignore=shutil.ignore_patterns(".cache"))
    return root


@contextmanager
def imported(root: Path, package: str):
    """The generated package imported from ``root``, forgotten afterwards."""
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(package)
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]


@contextmanager
def embedded(root: Path):
    from smartdev.context import Environment
    from smartdev.network import connect

    env = Environment(cwd=root, environ={})
    with connect(env, "embedded") as conn:
        yield env, conn


def gen(root: Path, *args: str):
    result = run_cli("gen", *args, cwd=root)
    assert result.code == 0, result.output
    return result


def unused_imports(path: Path) -> list[str]:
    """Names a generated module imports and never uses (ruff's F401, without ruff)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {(alias.asname or alias.name).split(".")[0]
                for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                and getattr(node, "module", None) != "__future__" for alias in node.names}
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    exported = {elt.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
                and any(getattr(t, "id", None) == "__all__" for t in node.targets) for elt in node.value.elts}
    return sorted(imported - used - exported)


# -- what is generated ---------------------------------------------------------------------
def test_gen_writes_client_service_and_tests_and_saves_the_options(proj: Path) -> None:
    result = gen(proj, "--service")
    pkg = proj / "shopapp"
    for rel in ("__init__.py", "client/__init__.py", "client/token.py", "client/shop.py", "client/abi/Token.json",
                "client/abi/Shop.json", "service/__init__.py", "service/app.py", "service/token.py", "service/shop.py"):
        assert (pkg / rel).is_file(), rel
    assert (proj / "tests/test_shopapp_service.py").is_file()
    assert not (pkg / "client/i_shop.py").exists()  # interfaces are left out by default
    assert "Generated shopapp: 11 written" in result.stderr
    config = (proj / "smartdev.toml").read_text()
    assert config.startswith("# the project\n") and "[gen]\nservice = true" in config  # saved, comment kept
    client = (pkg / "client/shop.py").read_text()
    assert client.startswith("# Generated by `smartdev gen`") and "smartdev-gen sha256=" in client.splitlines()[2]
    assert "class Item:" in client and "class Listed(Event):" in client and "class Shop(ContractClient):" in client
    assert "def price_uint256(self, id: int, *, block" in client and "def price_uint256_uint256(" in client
    assert "def get(self, id: int, *, block: str | int = \"latest\") -> Item:" in client
    assert "value_wei: int = 0" in client.split("def buy(")[1].split('"""')[0]  # payable only
    assert "value_wei" not in client.split("def set_note(")[1].split('"""')[0]
    embedded_abi = json.loads((pkg / "client/abi/Shop.json").read_text())
    assert embedded_abi["_generated"].startswith("Generated by `smartdev gen`")
    assert embedded_abi["bytecode"].startswith("0x60") and {e.get("name") for e in embedded_abi["abi"]} >= {"list", "Listed"}

    for path in [*pkg.rglob("*.py"), proj / "tests/test_shopapp_service.py"]:
        assert unused_imports(path) == [], path

    # No options: the saved configuration again, nothing rewritten.
    stamps = {p: p.stat().st_mtime_ns for p in pkg.rglob("*") if p.is_file()}
    again = gen(proj)
    assert "0 written, 11 unchanged" in again.stderr
    assert {p: p.stat().st_mtime_ns for p in pkg.rglob("*") if p.is_file()} == stamps


def test_client_deploys_calls_sends_and_decodes_events(proj: Path) -> None:
    gen(proj, "--package", "shop_client")
    shutil.rmtree(proj / "build")  # the client carries its ABI and bytecode
    from smartdev.errors import RevertError, UsageError

    with imported(proj, "shop_client") as pkg, embedded(proj) as (env, conn):
        from shop_client.client.shop import Bought, Item, Listed

        token = pkg.client.Token.deploy(conn, 1000, env=env)
        assert (token.total_supply(), token.name(), token.decimals()) == (1000, "Demo Token", 0)
        result = token.transfer(BOB.lower(), 5)  # addresses in any case
        assert result.status == 1 and token.balance_of(BOB) == 5
        [transfer] = token.events(result)
        assert (transfer.from_, transfer.to, transfer.value) == (ALICE, BOB, 5)
        assert transfer.log.tx_hash == result.tx_hash and transfer.log.address == token.address
        with pytest.raises(RevertError, match=r"InsufficientBalance\(available=995, required=5000\)"):
            token.transfer(BOB, 5000)
        assert pkg.client.Token.deployed(conn, env=env).address == token.address

        shop = pkg.client.Shop.deploy(conn, env=env)
        listed = shop.list(Item("apple", 7, BOB, b"\x01" * 32), signer="bob")
        assert listed.sender == BOB
        [event] = shop.events(listed, Listed)
        assert event.id == 0 and event.item == Item("apple", 7, BOB, b"\x01" * 32)
        assert len(event.label) == 32  # an indexed string: its hash
        shop.list({"name": "pear", "price": 2**200, "seller": ALICE, "tag": "0x" + "ab" * 32})  # dict and hex work too
        assert shop.get(1) == Item("pear", 2**200, ALICE, b"\xab" * 32)
        assert [i.name for i in shop.all()] == ["apple", "pear"]
        assert shop.total([1, 2, 3]) == (6, 3)
        assert (shop.price_uint256(0), shop.price_uint256_uint256(0, 3)) == (7, 21)
        assert shop.echo(b"abcd", "0x0102") == (b"abcd", b"\x01\x02")
        assert shop.units({"id": 1, "quantities": [2, 3], "item": Item("x", 1, ALICE, bytes(32))}) == 5
        shop.set_note(b"hello")
        assert shop.note() == b"hello"
        bought = shop.buy(0, value_wei=7)
        assert shop.revenue() == 7 and shop.events(bought) == [Bought(ALICE, 0, 7)]
        with pytest.raises(RevertError, match="not enough paid"):
            shop.buy(0, value_wei=1)
        with pytest.raises(UsageError, match=r"Shop.echo argument 1 \(sel: bytes4\).*expected 4 bytes"):
            shop.echo(b"ab", b"")
        assert [e.id for e in shop.get_events(Listed, from_block=0)] == [0, 1]
        assert [type(e).__name__ for e in shop.get_events()] == ["Listed", "Listed", "Bought"]
        again = pkg.client.Shop.at(conn, shop.address.lower(), env=env)
        assert again.count() == 2


# -- the service over HTTP -----------------------------------------------------------------
def test_service_answers_real_http_requests(proj: Path) -> None:
    import httpx

    from smartdev.gen.web import serve

    gen(proj, "--service", "--package", "shop_api")
    with imported(proj, "shop_api") as pkg, embedded(proj) as (env, conn):
        import shop_api.service  # noqa: F401

        pkg.client.Token.deploy(conn, 1000, env=env)
        pkg.client.Shop.deploy(conn, env=env)
        app = pkg.service.create_app(env=env, conn=conn)
        with serve(app) as url, httpx.Client(base_url=url, timeout=30) as http:
            assert http.get("/Token/totalSupply").json() == {"value": "1000"}  # uint256: a string
            assert http.get("/Token/decimals").json() == {"value": 0}  # uint8: a number
            assert http.get("/Token/balanceOf", params={"arg0": BOB}).json() == {"value": "0"}

            sent = http.post("/Token/transfer", json={"to": BOB.lower(), "value": "25"})
            assert sent.status_code == 200, sent.text
            body = sent.json()
            assert body["status"] == 1 and body["from"] == ALICE
            assert body["events"][0]["event"] == "Transfer" and body["events"][0]["args"]["value"] == "25"
            assert http.get("/Token/balanceOf", params={"arg0": BOB}).json() == {"value": "25"}

            reverted = http.post("/Token/transfer", json={"to": BOB, "value": 10**6})
            assert reverted.status_code == 400
            assert reverted.json()["reason"] == "InsufficientBalance(available=975, required=1000000)"
            missing = http.get("/Shop/get", params={"id": 9})
            assert missing.status_code == 400 and missing.json()["reason"] == "no such item"

            bad = http.get("/Token/balanceOf", params={"arg0": "0x1234"})
            assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "arg0"]
            assert http.post("/Token/transfer", json={"to": BOB}).status_code == 422
            assert http.post("/Token/transfer", json={"to": BOB, "value": -1}).status_code == 422

            item = {"name": "pear", "price": str(2**200), "seller": BOB, "tag": "0x" + "ab" * 32}
            assert http.post("/Shop/list", json={"item": item}).status_code == 200
            assert http.get("/Shop/get", params={"id": 0}).json() == {"value": item}
            assert http.get("/Shop/total", params={"xs": ["1", "0x10", "1e3"]}).json() == {"sum": "1017", "n": "3"}
            assert http.get("/Shop/total").json() == {"sum": "0", "n": "0"}  # an array left out is empty
            order = {"id": 0, "quantities": [2, 3], "item": item}
            assert http.get("/Shop/units", params={"o": json.dumps(order)}).json() == {"n": "5"}
            assert http.get("/Shop/price_uint256_uint256", params={"id": 0, "quantity": 2}).json() == {
                "value": str(2**201)}
            assert http.get("/Shop/echo", params={"sel": "0x01020304", "data": "0xabcd"}).json() == {
                "value0": "0x01020304", "value1": "0xabcd"}
            cheap = {**item, "price": 7}
            assert http.post("/Shop/list", json={"item": cheap}).status_code == 200
            bought = http.post("/Shop/buy", json={"id": 1, "value_wei": "7"})
            assert bought.status_code == 200 and bought.json()["events"][0]["args"]["paid"] == "7"
            assert http.get("/Shop/revenue").json() == {"value": "7"}
            short = http.post("/Shop/buy", json={"id": 1, "value_wei": 6})
            assert short.status_code == 400 and short.json()["reason"] == "not enough paid"
            events = http.get("/Shop/events/Listed", params={"from_block": 0}).json()
            assert events[0]["item"] == item and events[0]["log"]["tx_hash"].startswith("0x")

            schema = http.get("/openapi.json").json()
            assert {"/Token/transfer", "/Shop/price_uint256", "/Shop/price_uint256_uint256", "/Shop/events/Bought"} <= set(schema["paths"])
            assert "post" in schema["paths"]["/Token/transfer"] and "get" in schema["paths"]["/Token/balanceOf"]
            assert http.get("/docs").status_code == 200
            assert http.get("/health").json()["chain_id"] == conn.chain_id


def test_service_sender_addresses_404_and_503(proj: Path) -> None:
    import httpx

    from smartdev.gen.web import serve
    from smartdev.localnode import free_port

    gen(proj, "--service", "--package", "shop_cfg")
    with imported(proj, "shop_cfg") as pkg, embedded(proj) as (env, conn):
        import shop_cfg.service  # noqa: F401

        first = pkg.client.Token.deploy(conn, 111, env=env)
        pkg.client.Token.deploy(conn, 222, env=env)  # the recorded deployment
        app = pkg.service.create_app(env=env, conn=conn, addresses={"Token": first.address}, sender="bob")
        with serve(app) as url, httpx.Client(base_url=url, timeout=30) as http:
            assert http.get("/Token/totalSupply").json() == {"value": "111"}
            reverted = http.post("/Token/transfer", json={"to": ALICE, "value": 1})  # bob has no tokens
            assert reverted.status_code == 400 and "available=0" in reverted.json()["reason"]
            missing = http.get("/Shop/count")  # Shop was never deployed
            assert missing.status_code == 404 and "no deployment of Shop" in missing.json()["detail"]

    from smartdev.context import Environment

    with imported(proj, "shop_cfg") as pkg:
        import shop_cfg.service  # noqa: F401

        app = pkg.service.create_app(f"http://127.0.0.1:{free_port()}", Environment(cwd=proj, environ={}))
        with serve(app) as url, httpx.Client(base_url=url, timeout=30) as http:
            down = http.get("/Token/totalSupply")
            assert down.status_code == 503 and "cannot reach" in down.json()["detail"]
            assert http.get("/health").status_code == 503


def test_gen_imports_neither_fastapi_nor_web3(proj: Path) -> None:
    probe = ("import io, sys\nfrom pathlib import Path\nfrom smartdev.cli import main\n"
             "from smartdev.console import Output\nfrom smartdev.context import Environment\n"
             f"code = main(['gen', '--service'], env=Environment(cwd=Path({str(proj)!r}), "
             "output=Output(io.StringIO(), io.StringIO())))\n"
             "print(code, sorted(m for m in ('fastapi', 'uvicorn', 'httpx', 'web3') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, env=_env_vars())
    assert run.stdout.strip() == "0 []", run.stdout + run.stderr
    assert (proj / "shopapp/service/app.py").is_file()


def test_generated_tests_pass_under_pytest(proj: Path) -> None:
    gen(proj, "--service")
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], cwd=proj,
                         capture_output=True, text=True, timeout=300, env=_env_vars())
    assert run.returncode == 0, run.stdout + run.stderr
    assert "5 passed" in run.stdout, run.stdout  # openapi, views of Shop and Token, a 422 for each
    assert time.monotonic() - started < 60


# -- regeneration ----------------------------------------------------------------------------
def test_regeneration_keeps_edits_and_foreign_files(proj: Path) -> None:
    gen(proj, "--service")
    pkg = proj / "shopapp"
    token = pkg / "client/token.py"
    token.write_text(token.read_text().replace('"""Typed client', '"""Edited client', 1))
    (pkg / "client/helpers.py").write_text("# mine\n")
    (pkg / "__init__.py").write_text("VERSION = 1\n")  # the package's __init__ is the user's
    (pkg / "service/shop.py").write_text((pkg / "service/shop.py").read_text().split("\n", 3)[3])  # header gone
    edited, foreign = token.read_text(), (pkg / "service/shop.py").read_text()
    bindings = proj / "build/contracts/Token.json"  # the contract changes: a function more
    artifact = json.loads(bindings.read_text())
    artifact["abi"].append({"type": "function", "name": "burn", "stateMutability": "nonpayable",
                            "inputs": [{"name": "amount", "type": "uint256"}], "outputs": []})
    bindings.write_text(json.dumps(artifact))

    result = run_cli("gen", cwd=proj)
    assert result.code == 0, result.output
    assert token.read_text() == edited  # kept
    new = token.with_name("token.py.new").read_text()
    assert "def burn(" in new and "amount: int," in new and "Edited client" not in new
    assert "shopapp/client/token.py was edited since it was generated: kept; the new version is in shopapp/client/token.py.new" in result.stderr
    assert (pkg / "service/shop.py").read_text() == foreign and "shopapp/service/shop.py has no `smartdev gen` header" in result.stderr
    assert (pkg / "client/helpers.py").read_text() == "# mine\n" and (pkg / "__init__.py").read_text() == "VERSION = 1\n"
    assert "def post_burn(" in (pkg / "service/token.py").read_text()  # untouched files follow the contract


def test_removed_function_and_contract_disappear(proj: Path) -> None:
    gen(proj, "--service")
    pkg = proj / "shopapp"
    assert "def set_note(" in (pkg / "client/shop.py").read_text()
    (proj / "contracts/Shop.sol").write_text(SHOP.replace(
        "    function setNote(bytes calldata data) external { note = data; }\n", ""))
    stamp = time.time_ns() + 1_000_000
    os.utime(proj / "contracts/Shop.sol", ns=(stamp, stamp))
    assert run_cli("compile", cwd=proj).code == 0
    result = gen(proj)
    assert "def set_note(" not in (pkg / "client/shop.py").read_text()
    assert "/setNote" not in (pkg / "service/shop.py").read_text() and "4 written" in result.stderr

    (proj / "contracts/Token.sol").unlink()
    assert run_cli("compile", cwd=proj).code == 0
    result = gen(proj)
    assert "removed" in result.stderr
    for rel in ("client/token.py", "client/abi/Token.json", "service/token.py"):
        assert not (pkg / rel).exists(), rel
    assert "token" not in (pkg / "client/__init__.py").read_text()
    assert "/Token/" not in (proj / "tests/test_shopapp_service.py").read_text()

    gen(proj, "--no-service")  # the service goes too (nothing in it was edited)
    assert not (pkg / "service").exists() and not (proj / "tests/test_shopapp_service.py").exists()
    assert (pkg / "client/shop.py").is_file() and "service = false" in (proj / "smartdev.toml").read_text()


def test_contracts_option_and_auto_after_compile(proj: Path) -> None:
    gen(proj, "--contracts", "Token,IShop", "--package", "only")
    client = proj / "only/client"
    assert sorted(p.name for p in client.glob("*.py")) == ["__init__.py", "i_shop.py", "token.py"]
    assert "def deploy(" not in (client / "i_shop.py").read_text()  # an interface: .at() only
    assert unused_imports(client / "i_shop.py") == []
    assert 'contracts = ["Token", "IShop"]' in (proj / "smartdev.toml").read_text()

    (proj / "smartdev.toml").write_text('[gen]\nauto = true\npackage = "auto_pkg"\n')
    shutil.rmtree(proj / "build")
    result = run_cli("compile", cwd=proj)
    assert result.code == 0, result.output
    assert "Generated auto_pkg: 6 written" in result.stderr
    assert (proj / "auto_pkg/client/shop.py").is_file()
    assert "Generated" not in run_cli("compile", cwd=proj).stderr  # a no-op build generates nothing


# -- bad input -------------------------------------------------------------------------------
def test_errors(project: Path, proj: Path) -> None:
    none = run_cli("gen", cwd=project)
    assert none.code == ExitStatus.NOT_FOUND and "no compiled contracts in build/contracts" in none.stderr
    assert "Run `smartdev compile` first" in none.stderr

    unknown = run_cli("gen", "--contracts", "Tokn", cwd=proj)
    assert unknown.code == ExitStatus.NOT_FOUND
    assert "no compiled contract 'Tokn' (compiled: IShop, Shop, Token)" in unknown.stderr and "Did you mean 'Token'?" in unknown.stderr

    bad_name = run_cli("gen", "--package", "my-app", cwd=proj)
    assert bad_name.code == ExitStatus.USAGE
    assert "'my-app' is not a valid Python package name" in bad_name.stderr and "'my_app'" in bad_name.stderr
    inside = run_cli("gen", "--package", "contracts", cwd=proj)
    assert inside.code == ExitStatus.USAGE and "would go into the project's contracts folder" in inside.stderr
    bad_config = run_cli("gen", cwd=proj, env_vars={"SMARTDEV_GEN__SERVICE": "sometimes"})
    assert bad_config.code == ExitStatus.CONFIG and "gen.service" in bad_config.stderr

    fixed = {"contractName": "Rates", "sourceName": "contracts/Rates.sol", "bytecode": "0x6080", "abi": [
        {"type": "function", "name": "rate", "stateMutability": "view", "inputs": [],
         "outputs": [{"name": "", "type": "ufixed128x18"}]}]}
    (proj / "build/contracts/Rates.json").write_text(json.dumps(fixed))
    callback = {"contractName": "Hooks", "sourceName": "contracts/Hooks.sol", "bytecode": "0x6080", "abi": [
        {"type": "function", "name": "run", "stateMutability": "nonpayable", "outputs": [],
         "inputs": [{"name": "hooks", "type": "function[]"}]}]}
    (proj / "build/contracts/Hooks.json").write_text(json.dumps(callback))
    for name, words in (("Rates", "Rates.rate (rate()): output #1 has ABI type ufixed128x18"),
                        ("Hooks", "Hooks.run (run(function[])): parameter hooks has ABI type function[]")):
        result = run_cli("gen", "--contracts", name, cwd=proj)
        assert result.code == ExitStatus.USAGE and words in result.stderr, result.stderr
        assert "no Python mapping" in result.stderr
    assert not (proj / "shopapp").exists()  # nothing written by the failed runs
