"""Tests of smartdev.contracts.abi: CLI strings to ABI values, formatting, revert reasons."""

from __future__ import annotations

import json
from decimal import Decimal

import eth_abi
import pytest
from eth_utils import keccak, to_checksum_address
from hypothesis import given, settings
from hypothesis import strategies as st

from smartdev.contracts.abi import (
    convert_args,
    decode_revert,
    find_constructor,
    find_function,
    format_outputs,
    format_value,
    parse_int,
    signature,
)
from smartdev.errors import UsageError

ADDR_LOWER = "0x" + "ab" * 20
ADDR = to_checksum_address(ADDR_LOWER)
OTHER = to_checksum_address("0x" + "cd" * 20)


def fn(name: str, *types: str) -> dict:
    """A minimal ABI function entry with inputs named a0, a1, …."""
    inputs = [{"name": f"a{i}", "type": t} for i, t in enumerate(types)]
    return {"type": "function", "name": name, "inputs": inputs, "outputs": []}


def p(type_: str, name: str = "x", components: list[dict] | None = None) -> dict:
    """An ABI parameter."""
    param: dict = {"name": name, "type": type_}
    if components is not None:
        param["components"] = components
    return param


def error_entry(name: str, *inputs: dict) -> dict:
    """An ABI custom error entry."""
    return {"type": "error", "name": name, "inputs": list(inputs)}


def convert_one(type_: str, text: str, name: str = "x", **kwargs: object) -> object:
    """convert_args for a single parameter of ``type_`` named ``name``, labelled T.f."""
    return convert_args([p(type_, name)], [text], what="T.f", **kwargs)[0]


def usage_error(func, *args, **kwargs) -> UsageError:
    """The UsageError ``func(*args, **kwargs)`` raises (the test fails if it raises none)."""
    with pytest.raises(UsageError) as info:
        func(*args, **kwargs)
    return info.value


PAIR = [p("uint256", "amount"), p("address", "to")]

ERC20_ABI = [
    fn("transfer", "address", "uint256"),
    fn("transfer", "address", "uint256", "bytes"),
    fn("balanceOf", "address"),
    fn("approve", "address", "uint256"),
    {"type": "event", "name": "Transfer", "inputs": []},
    {"type": "constructor", "inputs": [p("uint256", "supply")]},
]


# ---------------------------------------------------------------- signature


def test_signature_simple_and_empty():
    assert signature(fn("transfer", "address", "uint256")) == "transfer(address,uint256)"
    assert signature(fn("totalSupply")) == "totalSupply()"


def test_signature_expands_tuples_and_keeps_array_suffixes():
    item = {
        "type": "function",
        "name": "f",
        "inputs": [
            p("tuple[]", "orders", [p("uint256", "id"), p("address", "who")]),
            p("bytes32[2]", "keys"),
            p("tuple", "nested", [p("tuple[2][]", "inner", [p("bool", "ok")]), p("string", "s")]),
        ],
    }
    assert signature(item) == "f((uint256,address)[],bytes32[2],((bool)[2][],string))"


def test_signature_of_error_entry():
    assert signature(error_entry("Oops", p("uint8", "code"))) == "Oops(uint8)"


# ---------------------------------------------------------------- find_function


def test_find_function_by_unique_name():
    assert find_function(ERC20_ABI, "balanceOf", contract="Token") is ERC20_ABI[2]


@pytest.mark.parametrize(
    "spec",
    ["transfer(address,uint256)", " transfer( address , uint256 ) ", "transfer(address,uint)"],
)
def test_find_function_by_full_signature(spec):
    assert find_function(ERC20_ABI, spec, contract="Token") is ERC20_ABI[0]


def test_find_function_full_signature_beats_nargs():
    found = find_function(ERC20_ABI, "transfer(address,uint256,bytes)", contract="Token", nargs=2)
    assert found is ERC20_ABI[1]


@pytest.mark.parametrize(("nargs", "index"), [(2, 0), (3, 1)])
def test_find_function_overload_resolved_by_argument_count(nargs, index):
    assert find_function(ERC20_ABI, "transfer", contract="Token", nargs=nargs) is ERC20_ABI[index]


def test_find_function_ambiguous_overload_lists_signatures():
    error = usage_error(find_function, ERC20_ABI, "transfer", contract="Token")
    assert "Token.transfer" in error.message
    assert "transfer(address,uint256)" in error.message
    assert "transfer(address,uint256,bytes)" in error.message
    assert "full signature" in error.hint
    assert "'Token.transfer(address,uint256)'" in error.hint


def test_find_function_no_overload_with_that_many_arguments():
    error = usage_error(find_function, ERC20_ABI, "transfer", contract="Token", nargs=5)
    assert "5 arguments" in error.message
    assert "transfer(address,uint256,bytes)" in error.message
    assert "full signature" in error.hint


def test_find_function_several_overloads_with_same_count():
    abi = [fn("set", "uint256"), fn("set", "address"), fn("set")]
    error = usage_error(find_function, abi, "set", contract="Box", nargs=1)
    assert "set(uint256)" in error.message and "set(address)" in error.message
    assert "set()" not in error.message
    assert "'Box.set(uint256)'" in error.hint


def test_find_function_unknown_name_suggests_close_names():
    error = usage_error(find_function, ERC20_ABI, "balanceof", contract="Token")
    assert "Token" in error.message and "'balanceof'" in error.message
    assert "Did you mean Token.balanceOf?" in error.hint


def test_find_function_unknown_name_lists_functions():
    error = usage_error(find_function, ERC20_ABI, "zzz", contract="Token")
    assert "Did you mean" not in error.hint
    assert "approve, balanceOf, transfer" in error.hint


def test_find_function_ignores_non_function_entries():
    error = usage_error(find_function, ERC20_ABI, "Transfer", contract="Token")
    assert "'Transfer'" in error.message
    assert "Token.transfer" in error.hint


def test_find_function_without_any_functions():
    error = usage_error(find_function, [], "foo", contract="Empty")
    assert "Empty has no function 'foo'" == error.message
    assert "no functions" in error.hint


def test_find_function_unknown_signature_of_known_name():
    error = usage_error(find_function, ERC20_ABI, "balanceOf(uint256)", contract="Token")
    assert "balanceOf(uint256)" in error.message
    assert "balanceOf(address)" in error.message
    assert "'Token.balanceOf(address)'" in error.hint


def test_find_function_unknown_name_in_signature():
    error = usage_error(find_function, ERC20_ABI, "mint(uint256)", contract="Token")
    assert "'mint'" in error.message


def test_find_constructor():
    assert find_constructor(ERC20_ABI) is ERC20_ABI[-1]
    assert find_constructor(ERC20_ABI[:-1]) is None


# ---------------------------------------------------------------- parse_int


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1000", 1000),
        ("0", 0),
        ("1_000_000", 1_000_000),
        ("0x1f", 31),
        ("0X1F", 31),
        ("0xff_ff", 0xFFFF),
        ("1e18", 10**18),
        ("1.5e18", 15 * 10**17),
        ("1E3", 1000),
        ("2.50e1", 25),
        ("1ether", 10**18),
        ("1.5 ether", 15 * 10**17),
        ("1.5ETHER", 15 * 10**17),
        ("5gwei", 5 * 10**9),
        ("3wei", 3),
        ("0.001ether", 10**15),
        ("1e-3ether", 10**15),
        ("  42  ", 42),
        ("0e999999999", 0),
        ("1" + "0" * 77, 10**77),
    ],
)
def test_parse_int_accepts(text, expected):
    assert parse_int(text) == expected


@pytest.mark.parametrize(
    ("text", "bits", "expected"),
    [("-5", 256, -5), ("-0x10", 8, -16), ("-128", 8, -128), ("127", 8, 127)],
)
def test_parse_int_signed(text, bits, expected):
    assert parse_int(text, bits=bits, signed=True) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("abc", "is not an integer"),
        ("", "is not an integer"),
        ("1.2.3", "is not an integer"),
        ("0xzz", "is not an integer"),
        ("ether", "is not an integer"),
        ("1.5", "is not a whole number"),
        ("1.5wei", "is not a whole number"),
        ("1e-1", "is not a whole number"),
        ("1foo", "unknown unit 'foo'"),
        ("-5", "out of range for uint256"),
        ("1e78", "out of range for uint256"),
        ("1e999999999", "out of range for uint256"),
        ("9" * 5000, "out of range for uint256"),
        ("0x1" + "0" * 64, "out of range for uint256"),
    ],
)
def test_parse_int_rejects(text, problem):
    error = usage_error(parse_int, text, label="--value")
    assert error.message.startswith("--value: ")
    assert problem in error.message
    assert repr(text)[:20] in error.message


@pytest.mark.parametrize(
    ("text", "bits", "signed", "bounds"),
    [
        ("256", 8, False, "uint8 (0 to 255)"),
        ("-129", 8, True, "int8 (-128 to 127)"),
        ("128", 8, True, "int8 (-128 to 127)"),
        ("18446744073709551616", 64, False, "uint64 (0 to 2**64-1)"),
        ("-0x8000000000000000000000000000000000000001", 160, True, "int160 (-2**159 to 2**159-1)"),
    ],
)
def test_parse_int_range(text, bits, signed, bounds):
    error = usage_error(parse_int, text, bits=bits, signed=signed)
    assert error.message.startswith("value: ")
    assert error.message.endswith(f"is out of range for {bounds}")


def test_parse_int_range_edges_accepted():
    assert parse_int("255", bits=8) == 255
    assert parse_int(str(2**256 - 1)) == 2**256 - 1
    assert parse_int(str(-(2**255)), signed=True) == -(2**255)


def test_parse_int_hint_gives_examples():
    assert "1.5ether" in usage_error(parse_int, "nope").hint
    assert "gwei" in usage_error(parse_int, "1 gwai").hint


# ---------------------------------------------------------------- convert_args: counts and labels


def test_convert_args_wrong_count_message():
    inputs = [p("address", "to"), p("uint256", "amount")]
    error = usage_error(convert_args, inputs, ["0x" + "00" * 20], what="Token.transfer")
    assert error.message == (
        "Token.transfer takes 2 arguments (to: address, amount: uint256), got 1"
    )


def test_convert_args_wrong_count_singular_and_none():
    one = usage_error(convert_args, [p("uint8", "")], [], what="T.f")
    assert one.message == "T.f takes 1 argument (uint8), got 0"
    none = usage_error(convert_args, [], ["1"], what="Token constructor")
    assert none.message == "Token constructor takes no arguments, got 1"


def test_convert_args_wrong_count_hint_mentions_json_for_arrays():
    error = usage_error(convert_args, [p("uint8[]", "xs")], [], what="T.f")
    assert "JSON" in error.hint
    assert "JSON" not in usage_error(convert_args, [p("uint8")], [], what="T.f").hint


def test_convert_args_error_names_argument_type_and_value():
    error = usage_error(convert_args, PAIR, ["twelve", ADDR], what="Token.send")
    assert error.message == "Token.send argument 1 (amount: uint256): 'twelve' is not an integer"
    assert error.hint


def test_convert_args_unnamed_argument_label():
    error = usage_error(convert_args, [p("bool", "")], ["maybe"], what="T.f")
    assert error.message == "T.f argument 1 (bool): 'maybe' is not a bool"


def test_convert_args_empty():
    assert convert_args([], [], what="T.f") == []


# ---------------------------------------------------------------- integers


@pytest.mark.parametrize(
    ("type_", "text", "expected"),
    [
        ("uint256", "1000000", 1000000),
        ("uint8", "255", 255),
        ("int8", "-128", -128),
        ("int256", "-1e18", -(10**18)),
        ("uint256", "2.5ether", 25 * 10**17),
    ],
)
def test_convert_int(type_, text, expected):
    assert convert_one(type_, text) == expected


@pytest.mark.parametrize(
    ("type_", "text", "problem"),
    [
        ("uint8", "256", "'256' is out of range for uint8 (0 to 255)"),
        ("uint256", "-1", "'-1' is out of range for uint256 (0 to 2**256-1)"),
        ("uint256", "12abc", "'12abc' has an unknown unit 'abc'"),
        ("int16", "40000", "'40000' is out of range for int16 (-32768 to 32767)"),
        ("uint256", "1.5", "'1.5' is not a whole number"),
    ],
)
def test_convert_int_errors(type_, text, problem):
    error = usage_error(convert_one, type_, text)
    assert error.message == f"T.f argument 1 (x: {type_}): {problem}"


def test_convert_int_elements_from_json():
    values = convert_one("uint256[]", '[1, "2", "0x10", 1e18, "1.5ether", 3.0]')
    assert values == [1, 2, 16, 10**18, 15 * 10**17, 3]
    assert all(type(v) is int for v in values)


def test_convert_int_json_float_is_exact():
    assert convert_one("uint256[]", "[1e30, 1.5e20]") == [10**30, 15 * 10**19]


@pytest.mark.parametrize(
    ("json_text", "problem"),
    [
        ("[true]", "element [0]: true is not an integer"),
        ("[1.5]", "element [0]: '1.5' is not a whole number"),
        ("[null]", "element [0]: null is not an integer"),
        ("[[1]]", "element [0]: [1] is not an integer"),
        ("[1, 256]", "element [1]: '256' is out of range for uint8"),
    ],
)
def test_convert_int_json_element_errors(json_text, problem):
    error = usage_error(convert_one, "uint8[]", json_text, name="xs")
    assert error.message.startswith("T.f argument 1 (xs: uint8[])")
    assert problem in error.message


# ---------------------------------------------------------------- addresses


@pytest.mark.parametrize("text", [ADDR_LOWER, ADDR_LOWER.upper().replace("0X", "0x"), ADDR])
def test_convert_address_accepts_lower_upper_and_checksummed(text):
    assert convert_one("address", text) == ADDR


def test_convert_address_bad_checksum():
    bad = ADDR[:2] + ADDR[2:].swapcase()
    error = usage_error(convert_one, "address", bad, name="to")
    assert error.message == f"T.f argument 1 (to: address): '{bad}' has a bad checksum"
    assert "lowercase" in error.hint


@pytest.mark.parametrize("text", ["0x1234", "0x" + "g" * 40, "0x" + "ab" * 21, ""])
def test_convert_address_malformed(text):
    error = usage_error(convert_one, "address", text, name="to")
    assert error.message.startswith("T.f argument 1 (to: address): ")
    assert f"{text!r} is not an address" in error.message
    assert "40 hex digits" in error.hint


def test_convert_address_resolves_names():
    names = {"alice": ADDR_LOWER, "bob": OTHER}
    resolved = convert_args(
        [p("address", "to"), p("address[]", "all")],
        ["alice", '["bob", "alice", "0x' + "00" * 20 + '"]'],
        what="T.f",
        resolve_address=names.get,
    )
    assert resolved == [ADDR, [OTHER, ADDR, "0x" + "00" * 20]]


def test_convert_address_resolver_not_asked_for_hex():
    asked: list[str] = []

    def resolve(name: str) -> str | None:
        asked.append(name)
        return None

    assert convert_one("address", ADDR_LOWER, resolve_address=resolve) == ADDR
    usage_error(convert_one, "address", "0x12", resolve_address=resolve)
    assert asked == []


def test_convert_address_unknown_name():
    error = usage_error(convert_one, "address", "carol", name="to", resolve_address=lambda _: None)
    assert error.message == (
        "T.f argument 1 (to: address): 'carol' is not an address or a known account name"
    )
    assert "account name" in error.hint


def test_convert_address_name_without_resolver():
    error = usage_error(convert_one, "address", "alice", name="to")
    assert error.message == "T.f argument 1 (to: address): 'alice' is not an address"


def test_convert_address_array_element_path():
    inputs = [p("uint256", "amount"), p("address[]", "recipients")]
    error = usage_error(convert_args, inputs, ["1", f'["{ADDR}", "xyz"]'], what="T.f")
    assert error.message == (
        "T.f argument 2 (recipients: address[]) element [1]: 'xyz' is not an address"
    )


def test_convert_address_json_non_string():
    error = usage_error(convert_one, "address[]", "[5]")
    assert "element [0]: 5 is not an address" in error.message


# ---------------------------------------------------------------- bools


@pytest.mark.parametrize(
    ("text", "expected"),
    [("true", True), ("TRUE", True), ("1", True), ("yes", True), ("Yes", True),
     ("false", False), ("False", False), ("0", False), ("no", False), ("NO", False)],
)
def test_convert_bool(text, expected):
    assert convert_one("bool", text) is expected


def test_convert_bool_json():
    assert convert_one("bool[]", '[true, false, "yes", 0, 1]') == [True, False, True, False, True]


@pytest.mark.parametrize("text", ["maybe", "2", "", "tru"])
def test_convert_bool_rejects(text):
    error = usage_error(convert_one, "bool", text, name="flag")
    assert error.message == f"T.f argument 1 (flag: bool): {text!r} is not a bool"
    assert "true/false" in error.hint


def test_convert_bool_json_rejects_other_numbers():
    assert "element [0]: 2 is not a bool" in usage_error(convert_one, "bool[]", "[2]").message


# ---------------------------------------------------------------- bytes


def test_convert_fixed_bytes():
    assert convert_one("bytes32", "0x" + "11" * 32) == b"\x11" * 32
    assert convert_one("bytes1", "0xFF") == b"\xff"


def test_convert_fixed_bytes_wrong_length():
    error = usage_error(convert_one, "bytes32", "0x123456", name="key")
    assert error.message.startswith("T.f argument 1 (key: bytes32): '0x123456'")
    assert "expected 32 bytes, got 3" in error.message
    assert "64 hex digits" in error.hint


def test_convert_dynamic_bytes():
    assert convert_one("bytes", "0x") == b""
    assert convert_one("bytes", "0xdeadBEEF") == bytes.fromhex("deadbeef")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("0x123", "has an odd number of hex digits"),
        ("0xzz", "is not valid hex"),
        ("deadbeef", "is not 0x-prefixed hex"),
        ("0x12 3456", "is not valid hex"),
    ],
)
def test_convert_bytes_rejects(text, problem):
    error = usage_error(convert_one, "bytes", text, name="data")
    assert error.message == f"T.f argument 1 (data: bytes): {text!r} {problem}"


def test_convert_bytes_json_non_string():
    error = usage_error(convert_one, "bytes4[]", "[7]")
    assert "element [0]: 7 is not 0x-prefixed hex" in error.message


# ---------------------------------------------------------------- strings


@pytest.mark.parametrize("text", ["hello world", "", '"quoted"', "[1, 2]", "héllo ✓"])
def test_convert_string_is_raw(text):
    assert convert_one("string", text) == text


def test_convert_string_array_needs_json_strings():
    assert convert_one("string[]", '["a", "b c"]') == ["a", "b c"]
    error = usage_error(convert_one, "string[]", '["a", 5]', name="names")
    assert error.message == "T.f argument 1 (names: string[]) element [1]: 5 is not a string"


# ---------------------------------------------------------------- arrays


def test_convert_arrays_fixed_and_nested():
    assert convert_one("uint8[3]", "[1, 2, 3]") == [1, 2, 3]
    assert convert_one("uint8[][2]", "[[1], []]") == [[1], []]
    assert convert_one("uint8[2][]", "[[1, 2], [3, 4], [5, 6]]") == [[1, 2], [3, 4], [5, 6]]
    assert convert_one("address[]", "[]") == []


def test_convert_fixed_array_wrong_size():
    error = usage_error(convert_one, "uint8[3]", "[1, 2]", name="xs")
    assert error.message == "T.f argument 1 (xs: uint8[3]): expected 3 elements, got 2"


def test_convert_nested_array_inner_size_path():
    error = usage_error(convert_one, "uint8[2][]", "[[1, 2], [3]]")
    assert error.message == (
        "T.f argument 1 (x: uint8[2][]) element [1]: expected 2 elements, got 1"
    )


def test_convert_nested_array_deep_element_path():
    error = usage_error(convert_one, "uint8[][2]", '[[1], [2, "x"]]')
    assert "element [1][1]: 'x' is not an integer" in error.message


@pytest.mark.parametrize("text", ["1,2", "[0xab]", "['a']", ""])
def test_convert_array_not_json(text):
    error = usage_error(convert_one, "uint8[]", text, name="xs")
    assert error.message == f"T.f argument 1 (xs: uint8[]): {text!r} is not a JSON array"
    assert "JSON" in error.hint


@pytest.mark.parametrize(
    ("text", "shown"), [('{"a": 1}', '{"a": 1}'), ("5", "5"), ('"[1]"', "'[1]'")]
)
def test_convert_array_json_but_not_array(text, shown):
    error = usage_error(convert_one, "uint8[]", text)
    assert error.message == f"T.f argument 1 (x: uint8[]): {shown} is not an array"


# ---------------------------------------------------------------- tuples

ORDER = p("tuple", "order", [p("uint256", "amount"), p("address", "to")])


def test_convert_tuple_positional_and_object():
    assert convert_args([ORDER], [f'[5, "{ADDR_LOWER}"]'], what="T.f") == [(5, ADDR)]
    assert convert_args([ORDER], [f'{{"to": "{ADDR_LOWER}", "amount": "1gwei"}}'], what="T.f") == [
        (10**9, ADDR)
    ]


def test_convert_tuple_missing_and_unknown_fields():
    error = usage_error(convert_args, [ORDER], ['{"amount": 1, "too": "x"}'], what="T.f")
    assert error.message == (
        "T.f argument 1 (order: (uint256,address)): tuple fields missing 'to' and unknown 'too'"
    )
    assert "amount: uint256, to: address" in error.hint


def test_convert_tuple_wrong_length():
    error = usage_error(convert_args, [ORDER], ["[1]"], what="T.f")
    assert "expected 2 fields (amount: uint256, to: address), got 1" in error.message


def test_convert_tuple_not_a_tuple():
    assert "5 is not a tuple" in usage_error(convert_args, [ORDER], ["5"], what="T.f").message
    not_json = usage_error(convert_args, [ORDER], ["(1, 2)"], what="T.f")
    assert "'(1, 2)' is not a JSON tuple" in not_json.message


def test_convert_tuple_field_path():
    error = usage_error(convert_args, [ORDER], ['{"amount": 1, "to": "nope"}'], what="T.f")
    assert error.message == (
        "T.f argument 1 (order: (uint256,address)) field to: 'nope' is not an address"
    )


def test_convert_tuple_array_path_and_nested_tuples():
    orders = p(
        "tuple[]",
        "orders",
        [p("uint8", "id"), p("tuple", "leg", [p("bytes2", "tag"), p("bool[]", "flags")])],
    )
    text = '[[1, ["0x0102", [true]]], {"id": 2, "leg": {"tag": "0x0304", "flags": []}}]'
    assert convert_args([orders], [text], what="T.f") == [
        [(1, (b"\x01\x02", [True])), (2, (b"\x03\x04", []))]
    ]
    bad = '[[1, ["0x0102", [true]]], {"id": 2, "leg": {"tag": "0x0304", "flags": [true, "x"]}}]'
    error = usage_error(convert_args, [orders], [bad], what="T.f")
    assert error.message == (
        "T.f argument 1 (orders: (uint8,(bytes2,bool[]))[]) element [1].leg.flags[1]: "
        "'x' is not a bool"
    )


def test_convert_tuple_unnamed_component_path():
    pair = p("tuple", "", [p("uint8", ""), p("uint8", "")])
    error = usage_error(convert_args, [pair], ["[1, 300]"], what="T.f")
    assert error.message.startswith(
        "T.f argument 1 ((uint8,uint8)) element [1]: '300' is out of range for uint8"
    )


# ---------------------------------------------------------------- unsupported types


@pytest.mark.parametrize(
    "type_", ["fixed128x18", "ufixed", "function", "uint7", "bytes33", "uint264"]
)
def test_convert_unsupported_type(type_):
    error = usage_error(convert_one, type_, "1", name="v")
    assert error.message == f"T.f argument 1 (v: {type_}): ABI type {type_} is not supported"
    assert "Supported" in error.hint


def test_convert_unsupported_type_in_array():
    error = usage_error(convert_one, "fixed8x1[]", "[1]")
    assert "element [0]: ABI type fixed8x1 is not supported" in error.message


def test_convert_result_encodes_with_eth_abi():
    inputs = [ORDER, p("bytes32[2]", "keys"), p("string", "note")]
    values = convert_args(
        inputs, [f'[7, "{ADDR}"]', f'["0x{"01" * 32}", "0x{"02" * 32}"]', "hi"], what="T.f"
    )
    types = ["(uint256,address)", "bytes32[2]", "string"]
    decoded = eth_abi.decode(types, eth_abi.encode(types, values))
    assert decoded == ((7, ADDR_LOWER), (b"\x01" * 32, b"\x02" * 32), "hi")


# ---------------------------------------------------------------- format_value / format_outputs


def test_format_value_scalars():
    assert format_value(p("address"), ADDR_LOWER) == ADDR
    assert format_value(p("bytes"), b"\xde\xad") == "0xdead"
    assert format_value(p("bytes32"), b"\x00" * 32) == "0x" + "00" * 32
    assert format_value(p("uint256"), 2**200) == 2**200
    assert format_value(p("bool"), False) is False
    assert format_value(p("string"), "hi") == "hi"


def test_format_value_fixed_point_is_a_string():
    assert format_value(p("fixed128x18"), Decimal("1.5")) == "1.5"


def test_format_value_nested_tuples_and_arrays():
    param = p(
        "tuple[]",
        "orders",
        [p("address", "to"), p("tuple", "leg", [p("bytes2", "tag"), p("uint8[]", "xs")])],
    )
    value = ((ADDR_LOWER, (b"\x01\x02", (1, 2))),)
    assert format_value(param, value) == [{"to": ADDR, "leg": {"tag": "0x0102", "xs": [1, 2]}}]


def test_format_value_unnamed_components_give_list():
    param = p("tuple", "", [p("address", ""), p("bytes", "data")])
    assert format_value(param, (ADDR_LOWER, b"\x01")) == [ADDR, "0x01"]


def test_format_outputs_many():
    outputs = [p("uint256", "balance"), p("address", ""), p("bytes4[]", "sels")]
    result = format_outputs(outputs, (5, ADDR_LOWER, (b"\x01\x02\x03\x04",)))
    assert result == [
        {"name": "balance", "type": "uint256", "value": 5},
        {"name": "", "type": "address", "value": ADDR},
        {"name": "sels", "type": "bytes4[]", "value": ["0x01020304"]},
    ]
    assert json.loads(json.dumps(result)) == result


def test_format_outputs_nested_tuple_type_and_value():
    kids = p("tuple[]", "kids", [p("uint8", "age")])
    outputs = [p("tuple", "info", [p("string", "name"), kids])]
    value = {"name": "a", "kids": [{"age": 3}]}
    expected = [{"name": "info", "type": "(string,(uint8)[])", "value": value}]
    assert format_outputs(outputs, (("a", ((3,),)),)) == expected
    assert format_outputs(outputs, ("a", [(3,)])) == expected


@pytest.mark.parametrize("values", [7, (7,), [7]])
def test_format_outputs_single_scalar_wrapped_or_not(values):
    expected = [{"name": "n", "type": "uint8", "value": 7}]
    assert format_outputs([p("uint8", "n")], values) == expected


@pytest.mark.parametrize(
    ("type_", "values", "expected"),
    [
        ("uint8[]", [7], [7]),  # web3: the array itself
        ("uint8[]", ((7,),), [7]),  # eth_abi.decode: a 1-tuple holding the array
        ("uint8[][]", [[1], [2]], [[1], [2]]),
        ("uint8[][]", [[1]], [[1]]),  # [1] is no uint8[][], so [[1]] is the value itself
        ("(uint8)", [(1,)], {"a": 1}),
        ("(uint8)", (1,), {"a": 1}),
    ],
)
def test_format_outputs_single_composite_output(type_, values, expected):
    output = p("tuple", "t", [p("uint8", "a")]) if type_ == "(uint8)" else p(type_, "xs")
    assert format_outputs([output], values)[0]["value"] == expected


def test_format_outputs_single_string_and_bytes():
    assert format_outputs([p("string", "s")], "abc")[0]["value"] == "abc"
    assert format_outputs([p("bytes", "b")], b"\x01")[0]["value"] == "0x01"


def test_format_outputs_none():
    assert format_outputs([], ()) == []
    assert format_outputs([], None) == []


def test_format_outputs_count_mismatch_is_a_bug():
    with pytest.raises(ValueError):
        format_outputs([p("uint8"), p("uint8")], (1,))


# ---------------------------------------------------------------- decode_revert


def error_data(sig: str, types: list[str], values: list) -> bytes:
    return keccak(text=sig)[:4] + eth_abi.encode(types, values)


CUSTOM_ABI = [
    error_entry("InsufficientBalance", p("uint256", "available"), p("uint256", "required")),
    error_entry("Pair", p("address", ""), p("string", "")),
    error_entry("Paused"),
    error_entry("Bad", p("tuple", "t", [p("uint8", "a"), p("bytes", "b")])),
    fn("NotAnError", "uint256"),
]


@pytest.mark.parametrize("data", [None, b"", "", "0x"])
def test_decode_revert_empty(data):
    assert decode_revert(data) == "reverted without a reason"


def test_decode_revert_error_string():
    data = error_data("Error(string)", ["string"], ["not enough tokens"])
    assert data[:4].hex() == "08c379a0"
    assert decode_revert(data) == "not enough tokens"
    assert decode_revert("0x" + data.hex()) == "not enough tokens"
    assert decode_revert(data.hex()) == "not enough tokens"


def test_decode_revert_empty_error_string():
    data = error_data("Error(string)", ["string"], [""])
    assert decode_revert(data) == "reverted with an empty reason string"


@pytest.mark.parametrize(
    ("code", "text"),
    [
        (0x00, "panic 0x00: generic compiler panic"),
        (0x01, "panic 0x01: assertion failed"),
        (0x11, "panic 0x11: arithmetic underflow or overflow"),
        (0x12, "panic 0x12: division or modulo by zero"),
        (0x21, "panic 0x21: invalid enum value"),
        (0x22, "panic 0x22: incorrectly encoded storage byte array"),
        (0x31, "panic 0x31: pop on an empty array"),
        (0x32, "panic 0x32: array index out of bounds"),
        (0x41, "panic 0x41: out of memory"),
        (0x51, "panic 0x51: call to a zero-initialised internal function pointer"),
        (0x99, "panic 0x99: unknown panic code"),
    ],
)
def test_decode_revert_panic(code, text):
    data = error_data("Panic(uint256)", ["uint256"], [code])
    assert data[:4].hex() == "4e487b71"
    assert decode_revert(data).startswith(text)


def test_decode_revert_custom_error_named_args():
    data = error_data("InsufficientBalance(uint256,uint256)", ["uint256", "uint256"], [3, 5])
    assert decode_revert(data, CUSTOM_ABI) == "InsufficientBalance(available=3, required=5)"


def test_decode_revert_custom_error_positional_and_formatted():
    data = error_data("Pair(address,string)", ["address", "string"], [ADDR_LOWER, 'a "b"'])
    assert decode_revert(data, CUSTOM_ABI) == f'Pair({ADDR}, "a \\"b\\"")'


def test_decode_revert_custom_error_without_args_and_tuple_arg():
    assert decode_revert(keccak(text="Paused()")[:4], CUSTOM_ABI) == "Paused()"
    data = error_data("Bad((uint8,bytes))", ["(uint8,bytes)"], [(1, b"\xab")])
    assert decode_revert(data, CUSTOM_ABI) == 'Bad(t={"a": 1, "b": "0xab"})'


def test_decode_revert_ignores_functions_with_the_selector():
    data = error_data("NotAnError(uint256)", ["uint256"], [1])
    assert decode_revert(data, CUSTOM_ABI).startswith(f"custom error 0x{data[:4].hex()} ")


def test_decode_revert_unknown_selector():
    data = bytes.fromhex("12345678") + eth_abi.encode(["uint256"], [1])
    expected = f"custom error 0x12345678 (data 0x{data.hex()})"
    assert decode_revert(data) == expected
    assert decode_revert(data, CUSTOM_ABI) == expected


@pytest.mark.parametrize(
    ("data", "start"),
    [
        (
            bytes.fromhex("08c379a0") + b"\x01\x02",
            "Error(string) with malformed data 0x08c379a00102",
        ),
        (bytes.fromhex("4e487b71"), "Panic(uint256) with malformed data 0x4e487b71"),
        (
            keccak(text="InsufficientBalance(uint256,uint256)")[:4] + b"\x00" * 32,
            "InsufficientBalance(uint256,uint256) with malformed data 0x",
        ),
        (  # a reason that is not UTF-8
            bytes.fromhex("08c379a0") + eth_abi.encode(["bytes"], [b"\xff\xfe"]),
            "Error(string) with malformed",
        ),
        (b"\x01\x02", "reverted with data 0x0102"),
        ("0xnothex", "reverted with unreadable data '0xnothex'"),
    ],
)
def test_decode_revert_malformed_never_raises(data, start):
    assert decode_revert(data, CUSTOM_ABI).startswith(start)


# ---------------------------------------------------------------- round trips (hypothesis)

UINT256 = st.integers(0, 2**256 - 1)
INT128 = st.integers(-(2**127), 2**127 - 1)
ADDRESSES = st.binary(min_size=20, max_size=20)


def int_text(value: int) -> st.SearchStrategy[str]:
    """Command-line spellings of ``value``."""
    sign = "-" if value < 0 else ""
    magnitude = abs(value)
    forms = [str(value), f"{sign}{hex(magnitude)}", f"{sign}{magnitude:_}"]
    if magnitude and magnitude % 10**18 == 0:
        forms.append(f"{sign}{magnitude // 10**18}ether")
    if magnitude and magnitude % 10**9 == 0:
        forms.append(f"{sign}{magnitude // 10**9}e9")
    return st.sampled_from(forms)


def address_text(raw: bytes) -> st.SearchStrategy[str]:
    lower = "0x" + raw.hex()
    return st.sampled_from([lower, "0x" + raw.hex().upper(), to_checksum_address(lower)])


def bool_text(value: bool) -> st.SearchStrategy[str]:
    spellings = ["true", "True", "1", "yes"] if value else ["false", "FALSE", "0", "No"]
    return st.sampled_from(spellings)


def hex_text(value: bytes) -> st.SearchStrategy[str]:
    return st.sampled_from(["0x" + value.hex(), "0x" + value.hex().upper()])


CASES = {
    "uint256": (UINT256, int_text, lambda v: v),
    "int128": (INT128, int_text, lambda v: v),
    "address": (ADDRESSES, address_text, lambda v: to_checksum_address(v)),
    "bytes32": (st.binary(min_size=32, max_size=32), hex_text, lambda v: "0x" + v.hex()),
    "bytes": (st.binary(max_size=100), hex_text, lambda v: "0x" + v.hex()),
    "string": (st.text(max_size=50), st.just, lambda v: v),
    "bool": (st.booleans(), bool_text, lambda v: v),
    "uint8[]": (
        st.lists(st.integers(0, 255), max_size=10),
        lambda v: st.sampled_from([json.dumps(v), json.dumps([str(x) for x in v])]),
        lambda v: v,
    ),
}


@st.composite
def typed_values(draw):
    """(ABI type, original value, its CLI text, expected JSON form)."""
    abi_type = draw(st.sampled_from(sorted(CASES)))
    values, spell, expect = CASES[abi_type]
    value = draw(values)
    return abi_type, value, draw(spell(value)), expect(value)


@settings(max_examples=200, deadline=None)
@given(typed_values())
def test_round_trip_scalars_and_arrays(case):
    abi_type, value, text, expected_json = case
    (converted,) = convert_args([p(abi_type)], [text], what="T.f")
    (decoded,) = eth_abi.decode([abi_type], eth_abi.encode([abi_type], [converted]))
    if abi_type == "address":
        assert decoded.lower() == "0x" + value.hex()
    elif abi_type == "uint8[]":
        assert list(decoded) == value
    else:
        assert decoded == value
    assert format_value(p(abi_type), decoded) == expected_json
    assert format_outputs([p(abi_type, "out")], (decoded,))[0]["value"] == expected_json


@settings(max_examples=100, deadline=None)
@given(UINT256, ADDRESSES, st.booleans())
def test_round_trip_tuple(amount, raw_address, as_object):
    param = p("tuple", "pair", [p("uint256", "amount"), p("address", "to")])
    to = "0x" + raw_address.hex()
    text = json.dumps({"to": to, "amount": amount} if as_object else [str(amount), to])
    (converted,) = convert_args([param], [text], what="T.f")
    types = ["(uint256,address)"]
    (decoded,) = eth_abi.decode(types, eth_abi.encode(types, [converted]))
    assert decoded == (amount, to)
    assert format_value(param, decoded) == {"amount": amount, "to": to_checksum_address(to)}


@settings(max_examples=100, deadline=None)
@given(st.integers(-(2**300), 2**300), st.sampled_from([8, 64, 256]), st.booleans())
def test_parse_int_range_matches_bounds(value, bits, signed):
    low, high = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if signed else (0, 2**bits - 1)
    if low <= value <= high:
        assert parse_int(str(value), bits=bits, signed=signed) == value
    else:
        with pytest.raises(UsageError, match="out of range"):
            parse_int(str(value), bits=bits, signed=signed)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(0, 10**6),
    st.integers(0, 18),
    st.sampled_from([("wei", 0), ("gwei", 9), ("ether", 18)]),
)
def test_parse_int_decimal_units_are_exact(mantissa, decimals, unit):
    """``mantissa / 10**decimals`` written as a decimal fraction with a unit suffix."""
    name, exponent = unit
    whole, fraction = divmod(mantissa, 10**decimals)
    text = f"{whole}.{fraction:0{decimals}d}" if decimals else str(mantissa)
    scaled = mantissa * 10**exponent
    if scaled % 10**decimals:
        with pytest.raises(UsageError, match="not a whole number"):
            parse_int(f"{text}{name}")
    else:
        assert parse_int(f"{text} {name}") == scaled // 10**decimals
