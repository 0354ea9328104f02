"""Command-line strings to ABI values and back, and revert reasons.

``smartdev deploy``, ``call`` and ``send`` take contract arguments as plain
strings; :func:`convert_args` turns them into the Python values ``eth_abi`` and
web3 expect, raising :class:`~smartdev.errors.UsageError` that names the
argument, its ABI type and the bad value. :func:`format_outputs` turns decoded
results into JSON-friendly values and :func:`decode_revert` explains reverts.

Scalars are given as they are (``1000``, ``1.5ether``, ``0xab…``, ``true``);
arrays and tuples as one JSON argument (``'[1,2]'``, ``'{"to": "0xab…"}'``).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

import eth_abi
from eth_abi.exceptions import ABITypeError, DecodingError, ParseError
from eth_utils import is_checksum_address, keccak, to_checksum_address

from smartdev.errors import UsageError

AddressResolver = Callable[[str], str | None]

_ERROR_SELECTOR = bytes.fromhex("08c379a0")  # Error(string)
_PANIC_SELECTOR = bytes.fromhex("4e487b71")  # Panic(uint256)

PANIC_CODES: dict[int, str] = {
    0x00: "generic compiler panic",
    0x01: "assertion failed",
    0x11: "arithmetic underflow or overflow",
    0x12: "division or modulo by zero",
    0x21: "invalid enum value",
    0x22: "incorrectly encoded storage byte array",
    0x31: "pop on an empty array",
    0x32: "array index out of bounds",
    0x41: "out of memory (too much memory allocated or array too large)",
    0x51: "call to a zero-initialised internal function pointer",
}

# Decimal exponent of each unit suffix accepted by parse_int.
_UNITS: dict[str, int] = {
    "wei": 0,
    "kwei": 3,
    "mwei": 6,
    "gwei": 9,
    "szabo": 12,
    "finney": 15,
    "ether": 18,
    "eth": 18,
}

_INT_TYPE = re.compile(r"(u?)int(\d+)")
_BYTES_N_TYPE = re.compile(r"bytes(\d+)")
_ARRAY_SUFFIX = re.compile(r"(.*)\[(\d*)\]")
_HEX_INT = re.compile(r"(-?)0x([0-9a-f]+)")
_DECIMAL = re.compile(r"(-?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?\s*([a-z]*)")
_HEX_DIGITS = re.compile(r"[0-9a-fA-F]*")
_HEX_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")
_BARE_INT_ALIAS = re.compile(r"\b(u?int)(?=[,)\[]|$)")

_INT_HINT = "Use a whole number such as 1000, 1_000_000, 0x1f, 1e18 or 1.5ether."
_HEX_HINT = "Write bytes as 0x followed by hex digits, two per byte."
_JSON_HINT = (
    "Give arrays and tuples as one quoted JSON argument, with strings and addresses "
    """in double quotes, e.g. '[1, 2]' or '["0xab…", "0xcd…"]'."""
)
_SUPPORTED = "Supported: (u)intN, address, bool, bytesN, bytes, string, arrays and tuples."


class _Invalid(Exception):
    """A value that does not fit its type; located inside an argument by ``path``."""

    def __init__(self, problem: str, hint: str | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.hint = hint
        self.path: list[str] = []

    def within(self, segment: str) -> _Invalid:
        """Prefix the location with an enclosing array index or tuple field."""
        self.path.insert(0, segment)
        return self

    def location(self) -> str:
        """`` element [1].to`` / `` field to`` or ``""`` at the top of the argument."""
        where = "".join(self.path)
        if not where:
            return ""
        if where.startswith("."):
            return " field " + where[1:]
        return " element " + where


# ---------------------------------------------------------------- signatures


def _canonical_type(param: dict) -> str:
    """The ABI type of ``param`` with tuples spelt out: ``(uint256,address)[]``."""
    abi_type = param["type"]
    if abi_type.startswith("tuple"):
        inner = ",".join(_canonical_type(c) for c in param.get("components", []))
        return f"({inner}){abi_type[len('tuple'):]}"
    return abi_type


def signature(item: dict) -> str:
    """The canonical signature of an ABI function, error or event entry.

    ``{"name": "transfer", "inputs": [address, uint256]}`` gives
    ``"transfer(address,uint256)"``; tuples expand to ``(t1,t2)`` and keep their
    array suffixes.
    """
    types = ",".join(_canonical_type(p) for p in item.get("inputs", []))
    return f"{item.get('name', '')}({types})"


def _describe_params(params: Sequence[dict]) -> str:
    """``to: address, amount: uint256`` (unnamed parameters show only the type)."""
    return ", ".join(_param_label(p) for p in params)


def _param_label(param: dict) -> str:
    name = param.get("name")
    return f"{name}: {_canonical_type(param)}" if name else _canonical_type(param)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


# ---------------------------------------------------------------- lookup


def find_function(abi: list[dict], spec: str, *, contract: str, nargs: int | None = None) -> dict:
    """The ``function`` entry of ``abi`` that ``spec`` names.

    ``spec`` is a name (``transfer``) or a full signature
    (``transfer(address, uint256)``; spaces and ``uint``/``int`` aliases are
    tolerated). An overloaded name is resolved by ``nargs`` when exactly one
    overload takes that many inputs. Raises :class:`UsageError` for unknown
    names and ambiguous overloads, naming ``contract`` and the candidates.
    """
    functions = [e for e in abi if e.get("type") == "function"]
    spec = "".join(spec.split())
    name = spec.split("(", 1)[0]
    candidates = [f for f in functions if f.get("name") == name]
    if not candidates:
        raise _unknown_function(functions, name, contract)
    if "(" in spec:
        wanted = _BARE_INT_ALIAS.sub(r"\g<1>256", spec)
        for function in candidates:
            if signature(function) == wanted:
                return function
        raise UsageError(
            f"{contract} has no function {spec}; it has {_signatures(candidates)}",
            hint=f"Use one of these signatures, e.g. '{contract}.{signature(candidates[0])}'.",
        )
    if len(candidates) == 1:
        return candidates[0]
    return _pick_overload(candidates, nargs, contract)


def _pick_overload(candidates: list[dict], nargs: int | None, contract: str) -> dict:
    """The one overload taking ``nargs`` inputs, else a UsageError listing them."""
    name = candidates[0]["name"]
    hint = f"Use the full signature, e.g. '{contract}.{signature(candidates[0])}'."
    if nargs is None:
        raise UsageError(f"{contract}.{name} is overloaded: {_signatures(candidates)}", hint=hint)
    fitting = [f for f in candidates if len(f.get("inputs", [])) == nargs]
    if len(fitting) == 1:
        return fitting[0]
    if not fitting:
        raise UsageError(
            f"no overload of {contract}.{name} takes {_plural(nargs, 'argument')}; "
            f"candidates: {_signatures(candidates)}",
            hint=hint,
        )
    raise UsageError(
        f"{contract}.{name} has {len(fitting)} overloads taking "
        f"{_plural(nargs, 'argument')}: {_signatures(fitting)}",
        hint=f"Use the full signature, e.g. '{contract}.{signature(fitting[0])}'.",
    )


def _signatures(functions: list[dict]) -> str:
    return ", ".join(signature(f) for f in functions)


def _unknown_function(functions: list[dict], name: str, contract: str) -> UsageError:
    """The error for a function name ``contract`` does not have, with suggestions."""
    names = sorted({f["name"] for f in functions})
    if not names:
        return UsageError(
            f"{contract} has no function '{name}'", hint=f"{contract}'s ABI has no functions."
        )
    hints = []
    close = difflib.get_close_matches(name, names, n=3)
    if close:
        hints.append("Did you mean " + " or ".join(f"{contract}.{c}" for c in close) + "?")
    hints.append(f"{contract} has: {', '.join(names)}.")
    return UsageError(f"{contract} has no function '{name}'", hint=" ".join(hints))


def find_constructor(abi: list[dict]) -> dict | None:
    """The ``constructor`` entry of ``abi``, or ``None`` when it has none."""
    return next((e for e in abi if e.get("type") == "constructor"), None)


# ---------------------------------------------------------------- conversion


def convert_args(
    inputs: list[dict],
    values: list[str],
    *,
    what: str,
    resolve_address: AddressResolver | None = None,
) -> list:
    """Convert command-line strings to the values of the ABI ``inputs``.

    ``what`` labels messages (``"Token.transfer"``, ``"Token constructor"``).
    ``resolve_address`` maps a name such as ``alice`` to an address; it is asked
    only for address values that are not hex. The result is ready for
    ``eth_abi.encode`` and web3 calls: ints, checksummed address strings, bool,
    bytes, str, lists for arrays and tuples for tuples. Raises
    :class:`UsageError` naming the argument, its type and the bad value.
    """
    return _convert_all(inputs, values, what, lambda param, text: _convert_cli(param, text, resolve_address))


def convert_values(inputs: list[dict], values: Sequence[object], *, what: str) -> list:
    """Check and normalise Python values for the ABI ``inputs``, as :func:`convert_args`
    does for command-line strings: ints (or integer strings), ``bytes`` or ``0x`` hex,
    addresses in any case (checksummed on the way out), lists or tuples for arrays,
    and tuples, lists or ``{field: value}`` dicts for tuples."""
    return _convert_all(inputs, list(values), what, lambda param, value: _convert(param, value, None))


def check_value(param: dict, value: object) -> object:
    """One Python or JSON value of ``param``'s type, normalised as by :func:`convert_values`;
    raises ValueError saying what is wrong (for validators such as pydantic's)."""
    try:
        return _convert(param, value, None)
    except _Invalid as bad:
        where = bad.location().strip()
        hint = f". {bad.hint}" if bad.hint else ""
        raise ValueError((f"{where}: " if where else "") + bad.problem + hint) from None


def _convert_all(inputs: list[dict], values: list, what: str, convert: Callable[[dict, object], object]) -> list:
    if len(values) != len(inputs):
        raise _count_error(inputs, len(values), what)
    converted = []
    for index, (param, value) in enumerate(zip(inputs, values), start=1):
        try:
            converted.append(convert(param, value))
        except _Invalid as bad:
            raise UsageError(
                f"{what} argument {index} ({_param_label(param)}){bad.location()}: {bad.problem}",
                hint=bad.hint,
            ) from None
    return converted


def _count_error(inputs: list[dict], given: int, what: str) -> UsageError:
    if inputs:
        takes = f"takes {_plural(len(inputs), 'argument')} ({_describe_params(inputs)})"
    else:
        takes = "takes no arguments"
    hint = "Give one value per parameter, in order."
    if any(_is_composite(p) for p in inputs):
        hint += " " + _JSON_HINT
    return UsageError(f"{what} {takes}, got {given}", hint=hint)


def _is_composite(param: dict) -> bool:
    return param["type"].endswith("]") or param["type"].startswith("tuple")


def _convert_cli(param: dict, text: str, resolve: AddressResolver | None) -> object:
    """One command-line string: JSON for arrays and tuples, the raw text otherwise."""
    if not _is_composite(param):
        return _convert(param, text, resolve)
    try:
        value = json.loads(text, parse_float=Decimal)
    except ValueError:
        kind = "tuple" if param["type"] == "tuple" else "array"
        raise _Invalid(f"{_show(text)} is not a JSON {kind}", _JSON_HINT) from None
    return _convert(param, value, resolve)


def _convert(param: dict, value: object, resolve: AddressResolver | None) -> object:
    """A JSON value (or a command-line string for a scalar) of the type of ``param``."""
    array = _ARRAY_SUFFIX.fullmatch(param["type"])
    if array:
        element = {**param, "type": array.group(1)}
        size = int(array.group(2)) if array.group(2) else None
        return _convert_array(element, size, value, resolve)
    if param["type"] == "tuple":
        return _convert_tuple(param.get("components", []), value, resolve)
    return _convert_scalar(param["type"], value, resolve)


def _convert_array(
    element: dict, size: int | None, value: object, resolve: AddressResolver | None
) -> list:
    if not isinstance(value, (list, tuple)):
        raise _Invalid(f"{_show(value)} is not an array", _JSON_HINT)
    if size is not None and len(value) != size:
        raise _Invalid(
            f"expected {_plural(size, 'element')}, got {len(value)}",
            f"Give exactly {size} {_canonical_type(element)} values.",
        )
    converted = []
    for index, item in enumerate(value):
        try:
            converted.append(_convert(element, item, resolve))
        except _Invalid as bad:
            raise bad.within(f"[{index}]") from None
    return converted


def _convert_tuple(
    components: list[dict], value: object, resolve: AddressResolver | None
) -> tuple:
    fields = f"({_describe_params(components)})"
    if isinstance(value, dict):
        value = _tuple_items(components, value, fields)
    if not isinstance(value, (list, tuple)):
        raise _Invalid(
            f"{_show(value)} is not a tuple",
            f"Give a JSON array or object of the fields {fields}.",
        )
    if len(value) != len(components):
        raise _Invalid(
            f"expected {_plural(len(components), 'field')} {fields}, got {len(value)}",
            "Give the fields in order, or as a JSON object keyed by field name.",
        )
    converted = []
    for index, (component, item) in enumerate(zip(components, value)):
        try:
            converted.append(_convert(component, item, resolve))
        except _Invalid as bad:
            name = component.get("name")
            raise bad.within(f".{name}" if name else f"[{index}]") from None
    return tuple(converted)


def _tuple_items(components: list[dict], value: dict, fields: str) -> list:
    """The values of a JSON object in component order; every field exactly once."""
    names = [c.get("name") or "" for c in components]
    missing = [n for n in names if n not in value]
    unknown = [k for k in value if k not in names]
    if missing or unknown:
        problems = []
        if missing:
            problems.append("missing " + ", ".join(repr(n) for n in missing))
        if unknown:
            problems.append("unknown " + ", ".join(repr(k) for k in unknown))
        raise _Invalid(
            f"tuple fields {' and '.join(problems)}",
            f"The fields are {fields}; or give them in order as a JSON array.",
        )
    return [value[n] for n in names]


def _convert_scalar(abi_type: str, value: object, resolve: AddressResolver | None) -> object:
    integer = _INT_TYPE.fullmatch(abi_type)
    if integer and _valid_int_bits(int(integer.group(2))):
        return _to_int(value, int(integer.group(2)), signed=not integer.group(1))
    fixed_bytes = _BYTES_N_TYPE.fullmatch(abi_type)
    if fixed_bytes and 1 <= int(fixed_bytes.group(1)) <= 32:
        return _to_bytes(value, int(fixed_bytes.group(1)))
    if abi_type == "bytes":
        return _to_bytes(value, None)
    if abi_type == "address":
        return _to_address(value, resolve)
    if abi_type == "bool":
        return _to_bool(value)
    if abi_type == "string":
        if not isinstance(value, str):
            raise _Invalid(f"{_show(value)} is not a string", "Put strings in double quotes.")
        return value
    raise _Invalid(f"ABI type {abi_type} is not supported", _SUPPORTED)


def _valid_int_bits(bits: int) -> bool:
    return 8 <= bits <= 256 and bits % 8 == 0


def _show(value: object) -> str:
    """A bad value as quoted in messages, shortened when long."""
    if isinstance(value, str):
        text = repr(value)
    elif isinstance(value, Decimal):
        text = str(value)
    else:
        text = json.dumps(value, default=str)
    return text if len(text) <= 80 else text[:77] + "…"


def _to_int(value: object, bits: int, *, signed: bool) -> int:
    if isinstance(value, bool):
        raise _Invalid(f"{_show(value)} is not an integer", _INT_HINT)
    if isinstance(value, (str, Decimal)):
        return _parse_int(str(value), bits, signed)
    if isinstance(value, int):
        return _check_range(value, str(value), bits, signed)
    raise _Invalid(f"{_show(value)} is not an integer", _INT_HINT)


def _to_bytes(value: object, size: int | None) -> bytes:
    """``0x``-prefixed hex (or ``bytes``) as bytes; exactly ``size`` bytes when given (bytesN)."""
    if isinstance(value, (bytes, bytearray)):
        data = bytes(value)
        value = "0x" + data.hex()
    else:
        data = _hex_bytes(value)
    if size is not None and len(data) != size:
        raise _Invalid(
            f"{_show(value)} has the wrong length: expected {_plural(size, 'byte')}, "
            f"got {len(data)}",
            f"Give exactly {size * 2} hex digits after 0x.",
        )
    return data


def _hex_bytes(value: object) -> bytes:
    if not isinstance(value, str) or not value.startswith(("0x", "0X")):
        raise _Invalid(f"{_show(value)} is not 0x-prefixed hex", _HEX_HINT)
    digits = value[2:]
    if not _HEX_DIGITS.fullmatch(digits):
        raise _Invalid(f"{_show(value)} is not valid hex", _HEX_HINT)
    if len(digits) % 2:
        raise _Invalid(f"{_show(value)} has an odd number of hex digits", _HEX_HINT)
    return bytes.fromhex(digits)


def _to_address(value: object, resolve: AddressResolver | None) -> str:
    """A checksummed address from hex, or from an account name via ``resolve``."""
    hint = "Use 0x followed by 40 hex digits" + (", or an account name." if resolve else ".")
    if not isinstance(value, str):
        raise _Invalid(f"{_show(value)} is not an address", hint)
    if not value.startswith("0x"):
        resolved = resolve(value) if resolve else None
        if resolved is None:
            known = " or a known account name" if resolve else ""
            raise _Invalid(f"{_show(value)} is not an address{known}", hint)
        return to_checksum_address(resolved)
    if not _HEX_ADDRESS.fullmatch(value):
        raise _Invalid(f"{_show(value)} is not an address (expected 0x and 40 hex digits)", hint)
    digits = value[2:]
    if digits != digits.lower() and digits != digits.upper() and not is_checksum_address(value):
        raise _Invalid(
            f"{_show(value)} has a bad checksum",
            "Check the address for typos, or write it in all lowercase to skip the check.",
        )
    return to_checksum_address(value)


_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


def _to_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise _Invalid(f"{_show(value)} is not a bool", "Use true/false, yes/no or 1/0.")


# ---------------------------------------------------------------- integers


def parse_int(text: str, *, bits: int = 256, signed: bool = False, label: str = "value") -> int:
    """Parse an integer as written on the command line, range-checked for ``bits``.

    Accepts decimals (``1000``, ``1_000_000``, ``-5`` when ``signed``), hex
    (``0x1f``), exact scientific notation (``1e18``, ``1.5e18``) and unit
    suffixes (``1ether``, ``1.5 ether``, ``5gwei``, ``3wei``; case-insensitive).
    The result must be whole. Raises :class:`UsageError` starting with ``label``.
    """
    try:
        return _parse_int(text, bits, signed)
    except _Invalid as bad:
        raise UsageError(f"{label}: {bad.problem}", hint=bad.hint) from None


def _parse_int(text: str, bits: int, signed: bool) -> int:
    cleaned = text.strip().lower().replace("_", "")
    hex_match = _HEX_INT.fullmatch(cleaned)
    if hex_match:
        magnitude = int(hex_match.group(2), 16)
        return _check_range(-magnitude if hex_match.group(1) else magnitude, text, bits, signed)
    match = None if cleaned.lstrip("-").startswith("0x") else _DECIMAL.fullmatch(cleaned)
    if not match or not (match.group(2) or match.group(3)):
        raise _Invalid(f"{_show(text)} is not an integer", _INT_HINT)
    sign, whole, fraction, exponent, unit = match.groups()
    if unit and unit not in _UNITS:
        raise _Invalid(
            f"{_show(text)} has an unknown unit {unit!r}", f"Units: {', '.join(_UNITS)}."
        )
    digits = (whole + (fraction or "")).lstrip("0")
    scale = int(exponent or 0) + _UNITS.get(unit, 0) - len(fraction or "")
    significant = digits.rstrip("0")
    scale += len(digits) - len(significant)
    if not significant:
        return 0
    if scale < 0:  # ``significant`` has no trailing zero, so 10**-scale cannot divide it
        raise _Invalid(f"{_show(text)} is not a whole number", _INT_HINT)
    if len(significant) + scale > len(str(1 << bits)):
        raise _range_error(text, bits, signed)
    value = int(significant) * 10**scale
    return _check_range(-value if sign else value, text, bits, signed)


def _check_range(value: int, text: str, bits: int, signed: bool) -> int:
    low, high = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    if not low <= value <= high:
        raise _range_error(text, bits, signed)
    return value


def _range_error(text: str, bits: int, signed: bool) -> _Invalid:
    if signed:
        bounds = f"-2**{bits - 1} to 2**{bits - 1}-1"
        if bits <= 32:
            bounds = f"{-(1 << (bits - 1))} to {(1 << (bits - 1)) - 1}"
    else:
        bounds = f"0 to 2**{bits}-1" if bits > 32 else f"0 to {(1 << bits) - 1}"
    type_name = f"{'' if signed else 'u'}int{bits}"
    return _Invalid(f"{_show(text)} is out of range for {type_name} ({bounds})")


# ---------------------------------------------------------------- formatting


def format_value(abi_type: dict, value: object) -> object:
    """A decoded ABI value as JSON-friendly data.

    Addresses become checksummed strings, ``bytes``/``bytesN`` ``0x`` hex, arrays
    lists, and tuples a ``{name: value}`` dict when every component is named
    (a list otherwise); ints, bools and strings stay as they are.
    """
    array = _ARRAY_SUFFIX.fullmatch(abi_type["type"])
    if array:
        element = {**abi_type, "type": array.group(1)}
        return [format_value(element, item) for item in value]
    if abi_type["type"] == "tuple":
        return _format_tuple(abi_type.get("components", []), value)
    if abi_type["type"] == "address":
        return to_checksum_address(value)
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    if isinstance(value, Decimal):  # fixedMxN
        return str(value)
    return value


def _format_tuple(components: list[dict], value: Sequence | Mapping) -> object:
    if isinstance(value, Mapping):  # web3 decodes a struct inside an event as {name: value}
        value = [value[c.get("name") or f"arg{i}"] for i, c in enumerate(components)]
    items = [format_value(c, v) for c, v in zip(components, value, strict=True)]
    names = [c.get("name") for c in components]
    if all(names) and len(set(names)) == len(names):
        return dict(zip(names, items))
    return items


def format_outputs(outputs: list[dict], values: object) -> list[dict]:
    """``[{"name", "type", "value"}]`` for each ABI output and its decoded value.

    ``values`` is the tuple ``eth_abi.decode`` returns, or, for a single output,
    that value on its own (as web3 returns it). ``type`` is the canonical type.
    """
    if not outputs:
        return []
    if len(outputs) == 1 and not _is_wrapped_single(outputs[0], values):
        values = (values,)
    return [
        {
            "name": param.get("name", ""),
            "type": _canonical_type(param),
            "value": format_value(param, value),
        }
        for param, value in zip(outputs, values, strict=True)
    ]


def _is_wrapped_single(param: dict, values: object) -> bool:
    """Whether ``values`` is a 1-sequence holding the value of ``param`` (not the value)."""
    return isinstance(values, (list, tuple)) and len(values) == 1 and _fits(param, values[0])


def _fits(param: dict, value: object) -> bool:
    """Whether ``value`` has the shape of a decoded value of ``param``'s type."""
    array = _ARRAY_SUFFIX.fullmatch(param["type"])
    if array:
        element = {**param, "type": array.group(1)}
        return (
            isinstance(value, (list, tuple))
            and (not array.group(2) or len(value) == int(array.group(2)))
            and all(_fits(element, v) for v in value)
        )
    if param["type"] == "tuple":
        components = param.get("components", [])
        return (
            isinstance(value, (list, tuple))
            and len(value) == len(components)
            and all(_fits(c, v) for c, v in zip(components, value))
        )
    return not isinstance(value, (list, tuple))


# ---------------------------------------------------------------- reverts


def decode_revert(data: bytes | str | None, abi: list[dict] | None = None) -> str:
    """A human-readable reason for revert ``data`` (bytes or ``0x`` hex).

    Knows ``Error(string)``, ``Panic(uint256)`` and the custom errors of
    ``abi``; anything else is shown as hex. Never raises on malformed data.
    """
    if isinstance(data, str):
        try:
            data = bytes.fromhex(data.removeprefix("0x").removeprefix("0X"))
        except ValueError:
            return f"reverted with unreadable data {data!r}"
    if not data:
        return "reverted without a reason"
    data = bytes(data)
    if len(data) < 4:
        return f"reverted with data 0x{data.hex()}"
    selector, payload = data[:4], data[4:]
    if selector == _ERROR_SELECTOR:
        return _decode_error_string(data)
    if selector == _PANIC_SELECTOR:
        return _decode_panic(data)
    for entry in abi or []:
        if entry.get("type") == "error" and keccak(text=signature(entry))[:4] == selector:
            return _decode_custom_error(entry, payload, data)
    return f"custom error 0x{selector.hex()} (data 0x{data.hex()})"


def _safe_decode(types: list[str], payload: bytes) -> tuple | None:
    try:
        return eth_abi.decode(types, payload)
    except (DecodingError, ValueError, ParseError, ABITypeError):
        return None


def _decode_error_string(data: bytes) -> str:
    decoded = _safe_decode(["string"], data[4:])
    if decoded is None:
        return f"Error(string) with malformed data 0x{data.hex()}"
    return decoded[0] or "reverted with an empty reason string"


def _decode_panic(data: bytes) -> str:
    decoded = _safe_decode(["uint256"], data[4:])
    if decoded is None:
        return f"Panic(uint256) with malformed data 0x{data.hex()}"
    code = decoded[0]
    return f"panic 0x{code:02x}: {PANIC_CODES.get(code, 'unknown panic code')}"


def _decode_custom_error(entry: dict, payload: bytes, data: bytes) -> str:
    inputs = entry.get("inputs", [])
    decoded = _safe_decode([_canonical_type(p) for p in inputs], payload)
    if decoded is None:
        return f"{signature(entry)} with malformed data 0x{data.hex()}"
    args = []
    for param, value in zip(inputs, decoded):
        shown = _render(param, format_value(param, value))
        args.append(f"{param['name']}={shown}" if param.get("name") else shown)
    return f"{entry['name']}({', '.join(args)})"


def _render(param: dict, value: object) -> str:
    """A formatted value inside a revert reason: hex bare, strings and the rest as JSON."""
    if isinstance(value, str) and param["type"] != "string":
        return value
    return json.dumps(value)
