"""Decoded event/call tables and the contracts table (smartdev.export.decode), on a real
node (`smartdev chain start`) driven with compiled contracts: events with indexed and
plain parameters, structs, arrays, overloads, an anonymous event, a constructor with
arguments, a linked library, an immutable, a reverted call; rows fetched over JSON-RPC."""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from clitools import run_cli
from smartdev.errors import NotFoundError, UsageError
from smartdev.export.decode import Decoder, load_abis, recorded_deployments, snake
from smartdev.export.sinks.schema import MAX_NAME

SHOP = """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

library Fmt {
    function twice(uint256 x) public pure returns (uint256) { return 2 * x; }
}

interface IPing {
    event Ping(uint256 n);
    function ping(uint256 n) external;
}

contract Market {
    struct Order { address maker; uint96 amount; bytes32 id; string note; }

    event Listed(address indexed seller, uint256 indexed price, string title, bytes data);
    event Filled(Order order, uint256[] amounts, address[2] parties);
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Transfer(address indexed from, address indexed to, uint256 value, bytes memo);
    event Tagged(string indexed tag, int64 delta, bool flag, bytes4 code);
    event Raw(uint256 a, int256 b) anonymous;

    uint256 public immutable createdAt;
    string public label;
    uint256 public total;

    constructor(string memory _label, uint256[] memory seeds, address owner) payable {
        createdAt = block.number;
        label = _label;
        total = seeds.length;
        emit Transfer(address(0), owner, seeds.length);
    }

    function list(string calldata title, uint256 price, bytes calldata data) external {
        emit Listed(msg.sender, price, title, data);
    }
    function fill(Order calldata order, uint256[] calldata amounts) external payable {
        emit Filled(order, amounts, [msg.sender, order.maker]);
    }
    function send(address to, uint256 value) external { emit Transfer(msg.sender, to, value); }
    function send(address to, uint256 value, bytes calldata memo) external {
        emit Transfer(msg.sender, to, value, memo);
    }
    function tag(string calldata t, int64 delta) external {
        emit Tagged(t, delta, delta < 0, bytes4(keccak256(bytes(t))));
    }
    function raw(uint256 a, int256 b) external { emit Raw(a, b); }
    function fail(uint256 x) external { require(x == 0, "no"); total = x; }
    function peek() external view returns (uint256) { return total + createdAt; }
}

contract Calc {
    event Doubled(uint256 input, uint256 output);
    function double(uint256 x) external returns (uint256 y) { y = Fmt.twice(x); emit Doubled(x, y); }
}

contract Other is IPing {
    function ping(uint256 n) external { emit Ping(n); }
}

contract My_Token { event Moved(uint256 amount); function move(uint256 amount) external { emit Moved(amount); } }
contract MyToken { event Moved(uint256 amount); function move(uint256 amount) external { emit Moved(amount); } }

contract AContractWithAVeryLongNameThatKeepsGoingForTheSakeOfTesting {
    event SomethingRatherLongHappenedHereToday(uint256 blockNumber, address from, uint256 order, uint256 block_number);
    function doSomethingRatherLongWithManyWordsInItsName(uint256 value) external {
        emit SomethingRatherLongHappenedHereToday(value, msg.sender, value + 1, value + 2);
    }
}
"""


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """A compiled project with a `smartdev chain start` node, contracts deployed and driven;
    the core rows of all its blocks, fetched by smartdev.export.rpc/rows."""
    from smartdev.accounts import dev_signers
    from smartdev.context import Environment
    from smartdev.contracts import ops
    from smartdev.contracts.artifacts import load_artifact
    from smartdev.errors import RevertError
    from smartdev.export.rows import rows_for
    from smartdev.export.rpc import RpcClient
    from smartdev.localnode import free_port
    from smartdev.network import connect

    root = tmp_path_factory.mktemp("decodeproj")
    (root / "smartdev.toml").write_text('default_network = "local"\n')
    (root / "contracts").mkdir()
    (root / "contracts" / "Shop.sol").write_text(SHOP)
    compiled = run_cli("compile", cwd=root)
    assert compiled.code == 0, compiled.output
    started = run_cli("chain", "start", "--port", str(free_port()), cwd=root)
    assert started.code == 0, started.output
    try:
        env = Environment(cwd=root, environ={})
        build = root / "build"
        alice, bob = dev_signers()[:2]
        info = {"alice": alice.address.lower(), "bob": bob.address.lower(), "txs": {}}
        with connect(env, "local") as conn:
            def deploy(name, args=(), artifact=None, value=0):
                art = artifact or load_artifact(build, name)
                result = ops.deploy_artifact(env, conn, art, list(args), signer=alice, value=value)
                info[name] = result.contract_address.lower()
                info["txs"][f"deploy {name}"] = result.tx_hash
                return ops.Target(art, result.contract_address)

            def send(target, signature, args, value=0, signer=alice, gas=None):
                fn = next(e for e in target.artifact.abi if e.get("type") == "function"
                          and ops.abi_mod.signature(e) == signature)
                result = ops.send_function(conn, target, fn, list(args), signer=signer, value=value, gas=gas)
                info["txs"][signature] = result.tx_hash
                return result

            info["first_block"] = conn.w3.eth.block_number + 1
            market = deploy("Market", ["shop", [7, 8, 9], bob.address], value=5)
            fmt = deploy("Fmt")
            calc_art = load_artifact(build, "Calc")
            linked = re.sub(r"__\$[0-9a-fA-F]{34}\$__", fmt.address[2:].lower(), calc_art.bytecode)
            calc = deploy("Calc", artifact=replace(calc_art, bytecode=linked))
            other = deploy("Other")
            my_token = deploy("MyToken")
            under = deploy("My_Token")
            long = deploy("AContractWithAVeryLongNameThatKeepsGoingForTheSakeOfTesting")
            info["after_deploys"] = conn.w3.eth.block_number + 1
            send(market, "list(string,uint256,bytes)", ["Bike", 250, b"\x01\x02\xff"])
            order = (bob.address, 12345, b"\x11" * 32, "fragile ✓\x00")
            send(market, "fill((address,uint96,bytes32,string),uint256[])", [order, [1, 2**200]], value=42)
            send(market, "send(address,uint256)", [bob.address, 3])
            send(market, "send(address,uint256,bytes)", [bob.address, 4, b"memo"])
            send(market, "tag(string,int64)", ["hello", -5])
            send(market, "raw(uint256,int256)", [2**255, -(2**255)])
            with pytest.raises(RevertError):
                send(market, "fail(uint256)", [1], gas=100_000)
            send(market, "peek()", [])  # a transaction calling a view function
            send(calc, "double(uint256)", [21])
            send(other, "ping(uint256)", [99], signer=bob)
            send(my_token, "move(uint256)", [1])
            send(under, "move(uint256)", [2])
            send(long, "doSomethingRatherLongWithManyWordsInItsName(uint256)", [10])
            head = conn.w3.eth.block_number
            info["chain_id"] = conn.chain_id
            url = conn.network.url
        client = RpcClient(url)
        blocks = client.blocks(info["first_block"], head)
        info["rows"] = rows_for(blocks, client.receipts(blocks))
        info["client"] = client
        info["root"] = root
        info["build"] = build
        info["code_of"] = client.code
        info["codes_of"] = client.codes
        yield info
        client.close()
    finally:
        stopped = run_cli("chain", "stop", cwd=root)
        assert stopped.code == 0, stopped.output


@pytest.fixture(scope="module")
def abis(chain):
    return load_abis(chain["build"])


@pytest.fixture(scope="module")
def decoded(chain, abis):
    decoder = Decoder(abis, chain["code_of"])
    return decoder, decoder.decode(chain["rows"])


def _spec(decoder, name):
    return next(s for s in decoder.tables() if s.name == name)


def _tables(decoder, prefix):
    return sorted(s.name for s in decoder.tables() if s.name.startswith(prefix))


def _one(out, table):
    rows = out.get(table, [])
    assert len(rows) == 1, (table, rows)
    return rows[0]


# ---------------------------------------------------------------- table specs


def test_table_specs_names_and_kinds(decoded) -> None:
    decoder, _ = decoded
    names = {s.name for s in decoder.tables()}
    for name in ("event_market_listed", "event_market_filled", "event_market_tagged", "event_market_raw",
                 "call_market_list", "call_market_fill", "call_market_tag", "call_market_raw", "call_market_fail",
                 "call_market_constructor", "event_calc_doubled", "call_calc_double", "event_other_ping",
                 "call_other_ping", "event_i_ping_ping", "call_i_ping_ping"):
        assert name in names
    # view/pure functions (peek, getters, the library's twice) have no tables; nor has Fmt at all
    assert not any(n.startswith(("call_market_peek", "call_market_label", "call_market_total", "call_fmt"))
                   for n in names)
    assert not any("fmt" in n for n in names)
    # overloads: each gets a hash suffix; the same holds for MyToken and My_Token
    assert [len(n) for n in _tables(decoder, "event_market_transfer")] == [len("event_market_transfer") + 9] * 2
    assert len(_tables(decoder, "call_market_send")) == 2
    assert len(_tables(decoder, "event_my_token_moved")) == 2 and len(_tables(decoder, "call_my_token_move")) == 2
    assert all(len(n) <= MAX_NAME for n in names)
    long_event = _tables(decoder, "event_a_contract_with")
    assert len(long_event) == 1 and len(long_event[0]) == MAX_NAME

    listed = _spec(decoder, "event_market_listed")
    assert [(c.name, c.kind) for c in listed.columns] == [
        ("block_number", "int64"), ("log_index", "int64"), ("transaction_hash", "hex"), ("address", "address"),
        ("seller", "address"), ("price", "uint256"), ("title", "text"), ("data", "hex")]
    assert listed.primary_key == ("block_number", "log_index")
    assert [(c.name, c.kind) for c in _spec(decoder, "event_market_filled").columns[4:]] == [
        ("p_order", "json"), ("amounts", "json"), ("parties", "json")]
    assert [(c.name, c.kind) for c in _spec(decoder, "event_market_tagged").columns[4:]] == [
        ("tag", "hex"), ("delta", "int64"), ("flag", "bool"), ("code", "hex")]
    assert [(c.name, c.kind) for c in _spec(decoder, "event_market_raw").columns[4:]] == [
        ("a", "uint256"), ("b", "int256")]
    constructor = _spec(decoder, "call_market_constructor")
    assert [(c.name, c.kind, c.nullable) for c in constructor.columns] == [
        ("transaction_hash", "hex", False), ("block_number", "int64", False), ("from_address", "address", False),
        ("to_address", "address", False), ("value", "uint256", False), ("status", "int64", True),
        ("label", "text", False), ("seeds", "json", False), ("owner", "address", False)]
    assert constructor.primary_key == ("transaction_hash",)
    send = [_spec(decoder, n) for n in _tables(decoder, "call_market_send")]
    assert sorted(tuple(c.name for c in s.columns[6:]) for s in send) == [("p_to", "p_value"),
                                                                         ("p_to", "p_value", "memo")]
    # reserved words and fixed columns are prefixed; a second block_number gets a number
    assert [c.name for c in _spec(decoder, long_event[0]).columns[4:]] == [
        "p_block_number", "p_from", "p_order", "p_block_number_2"]


def test_names_do_not_depend_on_order(abis) -> None:
    forward = [s.to_json() for s in Decoder(abis).tables()]
    backward = [s.to_json() for s in Decoder(list(reversed(abis))).tables()]
    assert forward == backward
    # a collision only renames what collides: Market alone still has its suffixed overloads
    market = [a for a in abis if a.name == "Market"]
    assert _tables(Decoder(market), "event_market_transfer") == _tables(Decoder(abis), "event_market_transfer")


def test_snake_case_and_column_collisions() -> None:
    from smartdev.contracts.artifacts import Artifact

    assert [snake(n) for n in ("ERC20Token", "setURI", "_to", "balanceOf", "NFTMinted", "v2Pool", "a__b")] == [
        "erc20_token", "set_uri", "to", "balance_of", "nft_minted", "v2_pool", "a_b"]
    event = {"type": "event", "name": "E", "anonymous": False, "inputs": [
        {"name": "fooBar", "type": "uint8", "indexed": False},
        {"name": "foo_bar", "type": "uint64", "indexed": False},
        {"name": "", "type": "int8", "indexed": False},
        {"name": "select", "type": "bool", "indexed": False},
        {"name": "address", "type": "address", "indexed": False},
        {"name": "x" * 80, "type": "bytes32", "indexed": False},
        {"name": "y" * 80, "type": "bytes32", "indexed": False}]}
    art = Artifact("K", None, [event], "0x", "0x", Path("K.json"))
    spec = Decoder([art], addresses={"0x" + "11" * 20: "K"}).tables()[0]
    names = [c.name for c in spec.columns[4:]]
    assert names[:5] == ["foo_bar", "p_foo_bar", "arg2", "p_select", "p_address"]
    assert all(len(n) <= MAX_NAME for n in names) and len(set(names)) == 7
    assert [c.kind for c in spec.columns[4:]] == ["int64", "uint256", "int64", "bool", "address", "hex", "hex"]
    # an ABI that can never be matched (no bytecode, no address, no function) gets no tables
    assert Decoder([art]).tables() == []


def _param(abi_type: str, name: str = "v", components: list | None = None) -> dict:
    return {"name": name, "type": abi_type, **({"components": components} if components else {})}


ORDER = [_param("address", "maker"), _param("uint96", "amount"), _param("string", "note"),
         _param("bytes2[]", "codes")]
ROUND_TRIP = [  # (ABI parameter, value to encode, expected row value)
    (_param("uint8"), 255, 255), (_param("int16"), -300, -300), (_param("int256"), -(2**255), -(2**255)),
    (_param("bool"), True, True), (_param("address"), "0x" + "Ab" * 20, "0x" + "ab" * 20),
    (_param("bytes3"), b"abc", "0x616263"), (_param("bytes"), b"\x00" * 33, "0x" + "00" * 33),
    (_param("string"), "héllo wörld " * 5, "héllo wörld " * 5), (_param("string"), "", ""),
    (_param("string"), "a\x00b", "a\ufffdb"),  # no NUL: PostgreSQL cannot store it in text
    (_param("uint256[]"), [1, 2**256 - 1], [1, 2**256 - 1]), (_param("uint8[]"), [], []),
    (_param("string[2]"), ["a", "bc"], ["a", "bc"]), (_param("int8[2][]"), [[1, -1], [2, -2]], [[1, -1], [2, -2]]),
    (_param("bytes[]"), [b"", b"\x01" * 40], ["0x", "0x" + "01" * 40]),
    (_param("tuple", "o", ORDER), ("0x" + "11" * 20, 7, "n", [b"ab"]),
     {"maker": "0x" + "11" * 20, "amount": 7, "note": "n", "codes": ["0x6162"]}),
    (_param("tuple[]", "os", ORDER), [("0x" + "22" * 20, 1, "x", []), ("0x" + "33" * 20, 2, "", [b"zz"])],
     [{"maker": "0x" + "22" * 20, "amount": 1, "note": "x", "codes": []},
      {"maker": "0x" + "33" * 20, "amount": 2, "note": "", "codes": ["0x7a7a"]}]),
    (_param("tuple", "pair", [_param("uint8", ""), _param("bool", "")]), (3, False), [3, False]),
    (_param("tuple[2]", "ps", [_param("uint8", "a"), _param("bytes32", "b")]), [(1, b"\x01" * 32), (2, b"\x02" * 32)],
     [{"a": 1, "b": "0x" + "01" * 32}, {"a": 2, "b": "0x" + "02" * 32}]),
]


def test_decoding_matches_eth_abi_encoding() -> None:
    """Every kind of parameter, alone and all together, decodes back to what was encoded."""
    import eth_abi

    from smartdev.contracts.abi import signature
    from smartdev.export.decode import _Params, _Undecodable

    def canonical(p):
        return signature({"inputs": [p]})[1:-1]

    params = [p for p, _, _ in ROUND_TRIP]
    columns = [f"c{i}" for i in range(len(params))]
    data = eth_abi.encode([canonical(p) for p in params], [v for _, v, _ in ROUND_TRIP]).hex()
    assert _Params(params, columns, exact=True).decode(data) == {c: e for c, (_, _, e) in zip(columns, ROUND_TRIP)}
    for param, value, expected in ROUND_TRIP:
        encoded = eth_abi.encode([canonical(param)], [value]).hex()
        decoder = _Params([param], ["c"], exact=True)
        assert decoder.decode(encoded) == {"c": expected}
        with pytest.raises(_Undecodable):  # cut short
            decoder.decode(encoded[:-64])
    for param, word in [("uint8", "1" + "0" * 63), ("int8", "00" + "ff" * 31), ("bool", "0" * 63 + "2"),
                        ("address", "ff" * 32), ("bytes2", "ffff" + "01" * 30), ("uint256", "zz" * 32)]:
        with pytest.raises(_Undecodable):  # values out of their type's range: not this ABI
            _Params([_param(param)], ["c"], exact=True).decode(word)
    invalid_utf8 = eth_abi.encode(["bytes"], [b"ok\xff"]).hex()  # a string is encoded as bytes are
    assert _Params([_param("string")], ["c"], exact=True).decode(invalid_utf8) == {"c": "ok\ufffd"}
    with pytest.raises(_Undecodable):  # an array claiming more items than the data holds
        _Params([_param("uint256[]")], ["c"], exact=True).decode("20".rjust(64, "0") + "ff" * 32)


# ---------------------------------------------------------------- decoded rows


def test_event_rows(chain, decoded) -> None:
    _, out = decoded
    alice, bob, market = chain["alice"], chain["bob"], chain["Market"]
    listed = _one(out, "event_market_listed")
    assert listed["address"] == market and listed["seller"] == alice
    assert (listed["price"], listed["title"], listed["data"]) == (250, "Bike", "0x0102ff")
    assert listed["transaction_hash"] == chain["txs"]["list(string,uint256,bytes)"]
    assert isinstance(listed["block_number"], int) and isinstance(listed["log_index"], int)
    filled = _one(out, "event_market_filled")
    assert filled["p_order"] == {"maker": bob, "amount": 12345, "id": "0x" + "11" * 32, "note": "fragile ✓\ufffd"}
    assert filled["amounts"] == [1, 2**200] and filled["parties"] == [alice, bob]
    json.dumps(filled)  # JSON columns are JSON-serialisable
    transfers = {n: out.get(n, []) for n in out if n.startswith("event_market_transfer")}
    plain = next(rows for rows in transfers.values() if rows and "memo" not in rows[0])
    memo = next(rows for rows in transfers.values() if rows and "memo" in rows[0])
    assert [(r["p_from"], r["p_to"], r["value"]) for r in plain] == [("0x" + "00" * 20, bob, 3), (alice, bob, 3)]
    assert [(r["value"], r["memo"]) for r in memo] == [(4, "0x" + b"memo".hex())]
    from eth_utils import keccak

    tagged = _one(out, "event_market_tagged")
    assert tagged["tag"] == "0x" + keccak(b"hello").hex()  # an indexed string is only its hash
    assert (tagged["delta"], tagged["flag"], tagged["code"]) == (-5, True, "0x" + keccak(b"hello")[:4].hex())
    raw = _one(out, "event_market_raw")  # anonymous: the only anonymous event of Market fits
    assert (raw["a"], raw["b"]) == (2**255, -(2**255))
    doubled = _one(out, "event_calc_doubled")
    assert (doubled["address"], doubled["input"], doubled["output"]) == (chain["Calc"], 21, 42)
    assert _one(out, "event_other_ping")["n"] == 99
    moved = {r["amount"] for n, rows in out.items() if n.startswith("event_my_token_moved") for r in rows}
    assert moved == {1, 2}
    long_rows = next(rows for n, rows in out.items() if n.startswith("event_a_contract_with"))
    assert [(r["p_block_number"], r["p_from"], r["p_order"], r["p_block_number_2"]) for r in long_rows] == [
        (10, alice, 11, 12)]


def test_call_rows(chain, decoded) -> None:
    _, out = decoded
    alice, bob, market = chain["alice"], chain["bob"], chain["Market"]
    listed = _one(out, "call_market_list")
    assert listed == {"transaction_hash": chain["txs"]["list(string,uint256,bytes)"],
                      "block_number": listed["block_number"], "from_address": alice, "to_address": market,
                      "value": 0, "status": 1, "title": "Bike", "price": 250, "data": "0x0102ff"}
    fill = _one(out, "call_market_fill")
    assert fill["value"] == 42 and fill["p_order"]["note"] == "fragile ✓\ufffd" and fill["amounts"] == [1, 2**200]
    failed = _one(out, "call_market_fail")  # reverted transactions are rows too, with status 0
    assert (failed["status"], failed["x"]) == (0, 1)
    sends = sorted((r["p_value"], r.get("memo")) for n, rows in out.items() if n.startswith("call_market_send")
                   for r in rows)
    assert sends == [(3, None), (4, "0x" + b"memo".hex())]
    assert _one(out, "call_calc_double")["x"] == 21
    assert _one(out, "call_other_ping")["from_address"] == bob
    # a transaction calling a view function is in `transactions` only
    peek = chain["txs"]["peek()"]
    assert any(tx["hash"] == peek for tx in chain["rows"]["transactions"])
    assert not any(r.get("transaction_hash") == peek for rows in out.values() for r in rows)
    assert decoded[0].warnings == []
    constructor = _one(out, "call_market_constructor")
    assert constructor["to_address"] == market and constructor["value"] == 5
    assert (constructor["label"], constructor["seeds"], constructor["owner"]) == ("shop", [7, 8, 9], bob)
    assert constructor["transaction_hash"] == chain["txs"]["deploy Market"]


def test_contracts_table(chain, decoded) -> None:
    from eth_utils import keccak

    _, out = decoded
    rows = {r["address"]: r for r in out["contracts"]}
    names = ["Market", "Fmt", "Calc", "Other", "MyToken", "My_Token",
             "AContractWithAVeryLongNameThatKeepsGoingForTheSakeOfTesting"]
    assert set(rows) == {chain[n] for n in names}
    for name in names:  # Market has an immutable, Calc a linked library, Fmt is a library: all matched
        row = rows[chain[name]]
        assert row["artifact"] == name and row["deployer"] == chain["alice"]
        assert row["transaction_hash"] == chain["txs"][f"deploy {name}"]
        code = bytes.fromhex(chain["code_of"](row["address"], row["block_number"])[2:])
        assert row["code_hash"] == "0x" + keccak(code).hex()
        assert set(row) == {"address", "block_number", "transaction_hash", "deployer", "code_hash", "artifact"}


def test_creation_input_matching_without_code(chain, abis, decoded) -> None:
    """No eth_getCode: contracts created in the range are recognised by their creation input."""
    _, with_code = decoded
    decoder = Decoder(abis)
    out = decoder.decode(chain["rows"])
    assert {k: v for k, v in out.items() if k != "contracts"} == {k: v for k, v in with_code.items()
                                                                  if k != "contracts"}
    assert [(r["address"], r["artifact"], r["code_hash"]) for r in out["contracts"]] == [
        (r["address"], r["artifact"], None) for r in with_code["contracts"]]
    # a later range alone: known from the creations seen before
    later = _after(chain["rows"], chain["after_deploys"])
    assert decoder.decode(later)["event_market_listed"] == with_code["event_market_listed"]
    assert Decoder(abis).decode(later) == {"contracts": []}  # a fresh decoder without code knows nothing
    assert decoder.warnings == []


def test_batched_code_lookups_and_other_metadata(chain, abis, decoded) -> None:
    """codes_of: one batch per range. Another build's metadata does not prevent a match."""
    calls = []

    def codes_of(pairs):
        calls.append(pairs)
        answers = chain["codes_of"](pairs)
        # another build of the same source: the metadata's IPFS hash differs
        return [a[:-42] + "ab" * 8 + a[-26:] if len(a) > 100 else a for a in answers]

    decoder = Decoder(abis, codes_of=codes_of)
    out = decoder.decode(chain["rows"])
    assert len(calls) == 1 and len({a for a, _ in calls[0]}) == len(calls[0])
    # MyToken and My_Token differ only in their metadata: now they cannot be told apart
    artifacts = {r["address"]: r["artifact"] for r in out["contracts"]}
    assert artifacts == {r["address"]: r["artifact"] if r["artifact"] != "My_Token" else "MyToken"
                         for r in decoded[1]["contracts"]}
    [warning] = decoder.warnings
    assert warning.startswith("contracts match several ABIs equally well (MyToken, My_Token), e.g. 0x")
    assert warning.endswith(": decoded as MyToken")
    assert out["event_market_listed"] == decoded[1]["event_market_listed"]
    assert all(r["code_hash"] != d["code_hash"] for r, d in zip(out["contracts"], decoded[1]["contracts"]))
    decoder.decode(chain["rows"])  # known addresses are not looked up again; creations are (for their code hash)
    assert {a for a, _ in calls[1]} == {r["contract_address"] for r in chain["rows"]["receipts"]
                                       if r["contract_address"]}


def test_unknown_contract_gives_no_rows(chain, abis) -> None:
    market = [a for a in abis if a.name == "Market"]
    decoder = Decoder(market, chain["code_of"])
    out = decoder.decode(chain["rows"])
    assert all(n.startswith(("event_market", "call_market")) for n in out if n != "contracts")
    assert len(out["event_market_listed"]) == 1
    artifacts = {r["address"]: r["artifact"] for r in out["contracts"]}
    assert artifacts[chain["Market"]] == "Market" and artifacts[chain["Other"]] is None
    assert artifacts[chain["Calc"]] is None
    assert decoder.warnings == []


def test_interface_matches_by_selectors(chain, abis) -> None:
    """An ABI without bytecode (an interface, a plain ABI file) decodes every contract that
    implements all its functions."""
    iping = [a for a in abis if a.name == "IPing"]
    decoder = Decoder(iping, chain["code_of"])
    out = decoder.decode(chain["rows"])
    assert [(r["address"], r["n"]) for r in out["event_i_ping_ping"]] == [(chain["Other"], 99)]
    assert [r["n"] for r in out["call_i_ping_ping"]] == [99]
    assert {r["address"]: r["artifact"] for r in out["contracts"]}[chain["Other"]] == "IPing"
    assert set(out) == {"contracts", "event_i_ping_ping", "call_i_ping_ping"}
    assert decoder.warnings == []


def test_mismatched_abi_is_skipped_with_one_warning(chain, tmp_path) -> None:
    """An ABI bound to an address whose contract emits other events: those logs are
    skipped, with one warning per contract, however often it happens."""
    market, calc = chain["Market"], chain["Calc"]
    wrong = [{"type": "event", "name": "Listed", "anonymous": False, "inputs": [  # price not indexed
        {"name": "seller", "type": "address", "indexed": True}, {"name": "price", "type": "uint256", "indexed": False},
        {"name": "title", "type": "string", "indexed": False}, {"name": "data", "type": "bytes", "indexed": False}]},
        {"type": "event", "name": "Transfer", "anonymous": False, "inputs": [
            {"name": "from", "type": "address", "indexed": True}, {"name": "to", "type": "address", "indexed": True},
            {"name": "value", "type": "uint256", "indexed": False}]}]
    (tmp_path / "Shop.json").write_text(json.dumps({"address": market, "abi": wrong}))  # hardhat-deploy style
    (tmp_path / "Pinger.json").write_text(json.dumps([{"type": "event", "name": "Ping", "anonymous": False,
                                                       "inputs": [{"name": "n", "type": "uint256"}]}]))
    decoder = Decoder(load_abis(tmp_path), chain["code_of"], addresses={calc: "Pinger"})
    out = decoder.decode(chain["rows"])
    assert "event_shop_listed" not in out and "event_pinger_ping" not in out
    assert len(out["event_shop_transfer"]) == 2  # what does match is decoded
    decoder.decode(chain["rows"])
    warnings = decoder.warnings
    assert len(warnings) == 2, warnings
    assert f"logs of {market} (Shop) that do not decode as its ABI's events were skipped" in warnings[0]
    assert f"logs of {calc} (Pinger) that its ABI does not describe were skipped" in warnings[1]
    assert all(w.count("\n") == 0 for w in warnings)


def test_recorded_deployments(chain, abis) -> None:
    """The project's recorded deployments name the contracts of earlier ranges, without code."""
    from smartdev.context import Environment

    recorded = recorded_deployments(chain["build"], chain["chain_id"])
    assert recorded[chain["Market"]] == "contracts/Shop.sol:Market"
    assert recorded_deployments(chain["build"], chain["chain_id"] + 1) == {}
    env = Environment(cwd=chain["root"], environ={})
    decoder = Decoder.for_project(env, chain_id=chain["chain_id"])
    later = _after(chain["rows"], chain["after_deploys"])
    out = decoder.decode(later)
    assert out["event_market_listed"][0]["title"] == "Bike" and out["contracts"] == []
    assert Decoder.for_project(env).decode(later) == {"contracts": []}


def test_threads_share_a_decoder(chain, abis, decoded) -> None:
    decoder = Decoder(abis, chain["code_of"])
    results, errors = [], []

    def work():
        try:
            results.append(decoder.decode(chain["rows"]))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(results) == 8 and all(r == decoded[1] for r in results)


def test_decoded_rows_round_trip_through_every_sink(chain, decoded, any_url) -> None:
    """Decoded tables (negative int256, uint256 in JSON, text, hex...) are stored and read back as they were."""
    from smartdev.export.sinks import open_sink
    from smartdev.export.sinks.schema import CORE_TABLES

    decoder, out = decoded
    rows = {**chain["rows"], **out}
    start, end = chain["first_block"], max(b["number"] for b in rows["blocks"])
    sink = open_sink(any_url)
    try:
        sink.prepare(chain["chain_id"], chain["client"].block_hash(0), [*CORE_TABLES, *decoder.tables()])
        sink.plan(start, end, 10)
        while (claimed := sink.claim("test", 60.0)) is not None:
            sink.commit(claimed, {table: [r for r in table_rows if claimed.start <= r.get("block_number", r.get(
                "number")) <= claimed.end] for table, table_rows in rows.items()})
        for table, table_rows in out.items():
            def key(row):
                return json.dumps(row, sort_keys=True)
            assert sorted(sink.read(table, start, end), key=key) == sorted(table_rows, key=key), table
    finally:
        sink.close()


def test_anonymous_events_only_when_unambiguous() -> None:
    from smartdev.contracts.artifacts import Artifact

    def anonymous(name, *types):
        return {"type": "event", "name": name, "anonymous": True,
                "inputs": [{"name": f"x{i}", "type": t, "indexed": False} for i, t in enumerate(types)]}

    abi = [anonymous("One", "uint8"), anonymous("Two", "uint256", "uint256"), anonymous("Same", "int256")]
    address = "0x" + "42" * 20
    decoder = Decoder([Artifact("Anon", None, abi, "0x", "0x", Path("Anon.json"))], addresses={address: "Anon"})
    assert [s.name for s in decoder.tables()] == ["event_anon_one", "event_anon_same", "event_anon_two"]

    def log(index, words):
        return {"block_number": 5, "log_index": index, "transaction_hash": "0x" + "ee" * 32, "address": address,
                "topic0": None, "topic1": None, "topic2": None, "topic3": None,
                "data": "0x" + "".join(f"{w:064x}" for w in words)}

    out = decoder.decode({"logs": [log(0, [1, 2]), log(1, [3]), log(2, [2**256 - 1])]})
    assert [(r["x0"], r["x1"]) for r in out["event_anon_two"]] == [(1, 2)]  # only Two takes two words
    assert [r["x0"] for r in out["event_anon_same"]] == [-1]  # not a uint8: only Same(int256) fits
    assert "event_anon_one" not in out  # 3 fits One(uint8) and Same(int256): ambiguous, skipped
    assert decoder.warnings == [f"anonymous logs of {address} (Anon) fit several anonymous events: skipped"]


def test_remembered_addresses_are_bounded(chain, abis, decoded, monkeypatch) -> None:
    import smartdev.export.decode as decode_module

    monkeypatch.setattr(decode_module, "CACHE_SIZE", 2)
    decoder = Decoder(abis, chain["code_of"])
    assert decoder.decode(chain["rows"]) == decoded[1]
    assert decoder.decode(chain["rows"]) == decoded[1]  # forgotten addresses are looked up again
    assert len(decoder._cache) < len({r["address"] for r in decoded[1]["contracts"]})


# ---------------------------------------------------------------- loading ABIs


def test_load_abis_formats_and_bad_input(chain, tmp_path) -> None:
    build = chain["build"]
    names = sorted(a.name for a in load_abis(build))
    assert names == sorted(["Fmt", "IPing", "Market", "Calc", "Other", "My_Token", "MyToken",
                            "AContractWithAVeryLongNameThatKeepsGoingForTheSakeOfTesting"])
    market = json.loads((build / "contracts" / "Market.json").read_text())
    foundry = {"abi": market["abi"], "bytecode": {"object": market["bytecode"]},
               "deployedBytecode": {"object": market["deployedBytecode"],
                                    "immutableReferences": market["immutableReferences"]}}
    (tmp_path / "out" / "Shop.sol").mkdir(parents=True)
    (tmp_path / "out" / "Shop.sol" / "Market.json").write_text(json.dumps(foundry))
    (tmp_path / "out" / "notes.json").write_text('{"not": "an abi"}')  # passed over in a folder
    loaded = load_abis(tmp_path / "out")
    assert [(a.name, a.bytecode == market["bytecode"], a.immutables) for a in loaded] == [
        ("Market", True, [(r["start"], r["length"]) for refs in market["immutableReferences"].values()
                          for r in refs])]
    out = Decoder(loaded, chain["code_of"]).decode(chain["rows"])
    assert {r["address"]: r["artifact"] for r in out["contracts"]}[chain["Market"]] == "Market"
    # Hardhat-like: no immutableReferences; immutables are guessed from PUSH32 0
    del foundry["deployedBytecode"]["immutableReferences"]
    (tmp_path / "out" / "Shop.sol" / "Market.json").write_text(json.dumps(foundry))
    assert load_abis(tmp_path / "out")[0].immutables is None
    out = Decoder(load_abis(tmp_path / "out"), chain["code_of"]).decode(chain["rows"])
    assert {r["address"]: r["artifact"] for r in out["contracts"]}[chain["Market"]] == "Market"

    with pytest.raises(NotFoundError, match="no ABI file or folder"):
        load_abis(tmp_path / "missing")
    assert load_abis(tmp_path / "missing", required=False) == []
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match="no ABI in"):
        load_abis(tmp_path / "empty")
    (tmp_path / "bad.json").write_text("{nope")
    with pytest.raises(UsageError, match="cannot read ABI file"):
        load_abis(tmp_path / "bad.json")
    with pytest.raises(UsageError, match="holds no ABI"):
        load_abis(tmp_path / "out" / "notes.json")
    # two plain ABIs of the same name in different folders: told apart by their paths
    for sub in ("a", "b"):
        (tmp_path / "plain" / sub).mkdir(parents=True)
        (tmp_path / "plain" / sub / "Pinger.json").write_text(json.dumps([
            {"type": "function", "name": "ping", "stateMutability": "nonpayable",
             "inputs": [{"name": "n", "type": "uint256"}], "outputs": []}]))
    decoder = Decoder(load_abis(tmp_path / "plain"))
    assert decoder.contract_names == ["a/Pinger:Pinger", "b/Pinger:Pinger"]
    assert len(_tables(decoder, "call_pinger_ping")) == 2


def test_unknown_recorded_name_warns(abis) -> None:
    decoder = Decoder(abis, addresses={"0x" + "ab" * 20: "Nope"})
    assert decoder.warnings == ["Nope (recorded at 0x" + "ab" * 20 + ") matches no ABI loaded: not decoded"]


def test_copy_of_build_is_equivalent(chain, tmp_path) -> None:
    """--abi pointing at a copy of the build folder loads the same artifacts as the project."""
    shutil.copytree(chain["build"] / "contracts", tmp_path / "contracts")
    assert [a.name for a in load_abis(tmp_path)] == [a.name for a in load_abis(chain["build"])]


# ---------------------------------------------------------------- speed


def test_decoding_speed(chain, decoded, abis) -> None:
    """Decoding is far from the bottleneck: many thousand logs and calls a second."""
    rows = chain["rows"]
    logs = [log for log in rows["logs"] if log["address"] == chain["Market"]]
    txs = [tx for tx in rows["transactions"]
           if tx["to_address"] == chain["Market"] and tx["hash"] != chain["txs"]["peek()"]]
    many = {"logs": [dict(log, log_index=i) for i in range(3000) for log in logs],
            "transactions": [dict(tx, hash=f"{tx['hash'][:-8]}{i:08x}") for i in range(3000) for tx in txs],
            "receipts": []}
    decoder = Decoder(abis, chain["code_of"])
    decoder.decode(rows)  # addresses resolved
    began = time.perf_counter()
    out = decoder.decode(many)
    seconds = time.perf_counter() - began
    count = len(many["logs"]) + len(many["transactions"])
    assert sum(len(v) for k, v in out.items() if k != "contracts") == count
    print(f"decoded {count} logs and calls (mixed) in {seconds:.2f}s: {count / seconds:,.0f}/s")
    assert count / seconds > 5000


# ---------------------------------------------------------------- helpers


def _after(rows, block):
    return {table: [r for r in table_rows if r.get("block_number", r.get("number")) >= block]
            for table, table_rows in rows.items()}
