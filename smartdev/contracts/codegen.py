"""ABI entries as Python names and types, for the code generators.

Shared by the typed bindings ``smartdev compile`` writes (``build/bindings``) and
the client and service ``smartdev gen`` writes, so a function has the same
method name and Python types in both. Pure string work: no web3 import.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable, Iterable
from typing import Any

# Keyword arguments of the generated methods: ABI parameters with these names get a "_".
RESERVED_PARAMS = frozenset({"self", "cls", "signer", "value_wei", "gas_limit", "block", "conn", "env"})

_ARRAY = re.compile(r"(.*)\[(\d*)\]")
_INT = re.compile(r"(u?)int(\d*)")
_UNMAPPABLE = re.compile(r"u?fixed(\d+x\d+)?|function")

StructNamer = Callable[[dict[str, Any]], str]


def snake(name: str) -> str:
    """``balanceOf`` -> ``balance_of``, ``ERC20Token`` -> ``erc20_token``."""
    text = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text)
    return text.lower()


def pascal(name: str) -> str:
    """``balance_of`` / ``balanceOf`` -> ``BalanceOf`` (for class names)."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", name) if part)


def identifier(name: str, fallback: str, reserved: Iterable[str] = RESERVED_PARAMS) -> str:
    """A snake_case Python identifier for an ABI name (``fallback`` when unnamed)."""
    name = snake(name) if name else fallback
    if not name.isidentifier():
        name = re.sub(r"\W", "_", name)
        if not name.isidentifier():
            name = "_" + name
    if keyword.iskeyword(name) or name in reserved:
        name += "_"
    return name


def canonical_type(param: dict[str, Any]) -> str:
    """The ABI type with tuples spelt out: ``(uint256,address)[]``."""
    abi_type = param["type"]
    if abi_type.startswith("tuple"):
        return "(" + ",".join(canonical_type(c) for c in param.get("components", [])) + ")" + abi_type[5:]
    return abi_type


def signature(entry: dict[str, Any]) -> str:
    """``transfer(address,uint256)`` for a function, event or error entry."""
    return f"{entry.get('name', '')}(" + ",".join(canonical_type(i) for i in entry.get("inputs", [])) + ")"


def element(param: dict[str, Any]) -> tuple[dict[str, Any], int | None] | None:
    """For an array parameter: its element parameter and fixed size (None: dynamic)."""
    match = _ARRAY.fullmatch(param["type"])
    if not match:
        return None
    internal = param.get("internalType")
    inner = {**param, "type": match.group(1)}
    if isinstance(internal, str) and internal.endswith("]"):
        inner["internalType"] = internal[: internal.rindex("[")]
    return inner, int(match.group(2)) if match.group(2) else None


def int_bits(abi_type: str) -> tuple[int, bool] | None:
    """``(bits, signed)`` for ``uintN``/``intN`` (``uint`` is 256 bits), else None."""
    match = _INT.fullmatch(abi_type)
    if not match:
        return None
    return int(match.group(2) or 256), not match.group(1)


def struct_key(param: dict[str, Any]) -> str:
    """What identifies a tuple parameter's struct: ``Shop.Item`` from the compiler's
    ``internalType`` (``struct Shop.Item[]`` -> ``Shop.Item``), else its field types."""
    internal = param.get("internalType") or ""
    if internal.startswith("struct "):
        return re.sub(r"(\[\d*\])+$", "", internal[len("struct "):])
    return canonical_type({**param, "type": "tuple"})


def unmappable(param: dict[str, Any]) -> str | None:
    """The ABI type inside ``param`` that has no Python mapping (fixedMxN, function), if any."""
    inner = element(param)
    if inner is not None:
        return unmappable(inner[0])
    if param["type"] == "tuple":
        return next((bad for c in param.get("components", []) if (bad := unmappable(c))), None)
    return param["type"] if _UNMAPPABLE.fullmatch(param["type"]) else None


def python_type(param: dict[str, Any], struct_name: StructNamer | None = None) -> str:
    """The Python type an ABI parameter takes or returns; tuples are ``tuple[...]``
    unless ``struct_name`` names a class for them."""
    inner = element(param)
    if inner is not None:
        return f"list[{python_type(inner[0], struct_name)}]"
    abi_type: str = param["type"]
    if abi_type == "tuple":
        if struct_name is not None:
            return struct_name(param)
        parts = ", ".join(python_type(c) for c in param.get("components", []))
        return f"tuple[{parts}]" if parts else "tuple[()]"
    if int_bits(abi_type):
        return "int"
    if abi_type == "bool":
        return "bool"
    if abi_type.startswith("bytes"):
        return "bytes"
    return "str"  # address, string


def returns(outputs: list[dict[str, Any]], struct_name: StructNamer | None = None) -> str:
    if not outputs:
        return "None"
    if len(outputs) == 1:
        return python_type(outputs[0], struct_name)
    return "tuple[" + ", ".join(python_type(o, struct_name) for o in outputs) + "]"


def params(inputs: list[dict[str, Any]], struct_name: StructNamer | None = None,
           reserved: Iterable[str] = RESERVED_PARAMS, fallback: str = "arg{}") -> list[dict[str, Any]]:
    """Each input as ``{name, abi_name, type, param}``: distinct identifiers, Python types.
    Unnamed inputs are named ``fallback.format(index)``."""
    result, used = [], set()
    for i, inp in enumerate(inputs):
        name = identifier(inp.get("name", ""), fallback.format(i), reserved)
        while name in used:
            name += "_"
        used.add(name)
        result.append({"name": name, "abi_name": inp.get("name") or fallback.format(i),
                       "type": python_type(inp, struct_name), "param": inp})
    return result


def method_names(functions: list[dict[str, Any]], reserved: Iterable[str] = RESERVED_PARAMS) -> list[str]:
    """A distinct method name per ABI function: snake_case, overloads suffixed with their
    parameter types (``f_uint256``, ``f_uint256_arr``, ``f_`` for no parameters)."""
    reserved = set(reserved)
    counts: dict[str, int] = {}
    for fn in functions:
        counts[fn["name"]] = counts.get(fn["name"], 0) + 1
    names: list[str] = []
    for fn in functions:
        name = identifier(fn["name"], "fn", reserved)
        if counts[fn["name"]] > 1:
            types = [_type_word(i) for i in fn.get("inputs", [])]
            name += "_" + "_".join(types) if types else "_"
        while name in names:
            name += "_"
        names.append(name)
    return names


def _type_word(param: dict[str, Any]) -> str:
    """``uint256[]`` -> ``uint256_arr``, ``address[2]`` -> ``address_arr2``, tuples -> ``tuple``."""
    inner = element(param)
    if inner is not None:
        return _type_word(inner[0]) + "_arr" + (str(inner[1]) if inner[1] is not None else "")
    return "tuple" if param["type"] == "tuple" else param["type"]
