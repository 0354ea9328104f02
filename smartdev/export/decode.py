"""Decoded tables of `smartdev export`: events and calls by ABI, and the contracts table.

A :class:`Decoder` is built from ABIs (:func:`load_abis`: the project's artifacts, or
``--abi``: a folder or a file of artifacts, Foundry/Hardhat output, hardhat-deploy
deployment files or plain ABI arrays named by their file stem) and gives

- ``tables()``: one table per contract and event (``event_<contract>_<event>``), per
  contract and state-changing function (``call_<contract>_<function>``) and per
  contract with a constructor (``call_<contract>_constructor``);
- ``decode(rows)``: the decoded rows of one range of core rows (``transactions``,
  ``receipts``, ``logs`` in the export's row format), and the rows of the ``contracts``
  table (one per contract a successful transaction of the range created);
- ``warnings``: what was skipped and why, one line per contract and cause.

**Which contract is at an address.** In this order:

1. its runtime code (``code_of(address, block)``: ``eth_getCode``) is an artifact's
   deployed bytecode, not counting the CBOR metadata at the end (another build of the
   same source), immutables (``immutableReferences``; without them: every ``PUSH32 0``
   of the artifact), linked library addresses and a library's own address;
2. the contract was created in the range and its creation input starts with an
   artifact's creation bytecode (same masking); used when no code is known (no
   ``code_of``, a node without that state, a contract gone already);
3. an address bound to an ABI: the project's recorded deployments
   (:func:`recorded_deployments`), ``addresses=``, the ``address`` of a hardhat-deploy file;
4. an ABI without bytecode (an interface, a plain ABI file) whose every function
   selector the runtime code pushes: the one with the most functions wins (a plain
   ERC-20 ABI decodes every ERC-20 token's events and transfers).

Equally good matches: the first by name, with one warning; an exact match (metadata
included) beats one without. Matches are remembered per address. With ``code_of``,
what a range decodes to depends only on the chain, so ranges may be decoded in any
order, by any thread; without it, contracts are known from the creations seen so far
and the bound addresses.

**What is decoded.** A log of a matched contract whose topic0 is one of its ABI's
events, with the topic count and data that event has, becomes a row of that event's
table. A log the ABI does not describe, or that does not decode, is skipped with one
warning per contract (the ABI is not the deployed contract's, or it is a proxy); an
interface match only warns about logs that do not decode. An anonymous event is
decoded when it is the only one of the contract's anonymous events the log fits. A
transaction to a matched contract whose selector names a state-changing function
becomes a row of that function's table, reverted ones included (``status`` 0).
Transactions calling a ``view``/``pure`` function get no table: they change nothing
(they stay in ``transactions``). A creation matched to an artifact with a constructor
becomes a row of its constructor table (``to_address``: the created contract).

**Names.** Tables and columns are snake_case (``ERC20Token.balanceOf`` →
``erc20_token``, ``balance_of``), at most 63 characters (longer: cut to 54 and
``_<8 hex>`` of a hash of the full name). Tables whose names collide (overloaded events
or functions, contracts of the same name in different sources, ``MyToken`` and
``My_Token``) each get ``_<8 hex>`` of a hash of their qualified contract name and
signature: a name depends only on what it collides with, never on the order of the
ABIs or where the files are. A parameter named like a fixed column, an earlier
parameter or an SQL keyword (``from``, ``to``, ``order``...) is prefixed ``p_`` (then
numbered); unnamed ones are ``arg<i>``.

**Values.** ``uintN``/``intN`` → int (kind ``int64`` up to ``uint56``/``int64``, else
``uint256``/``int256``), ``address`` → lowercase hex, ``bool``, ``string`` → text
(invalid UTF-8 and NUL become U+FFFD: PostgreSQL cannot store NUL; the raw bytes stay
in ``logs.data``), ``bytes``/``bytesN`` → ``0x`` hex, arrays and tuples → JSON (tuples
as ``{name: value}`` when all components are named, else lists). Indexed
``string``/``bytes``/array/tuple event parameters are only their keccak hash (the
topic), kind ``hex``. The ABI decoding is this module's own (on the hex text, as strict
as eth_abi about ranges and padding), several times faster than eth_abi.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smartdev.contracts.artifacts import _UNLINKED, Artifact, list_artifacts
from smartdev.errors import NotFoundError, UsageError
from smartdev.export.sinks.schema import MAX_NAME, Column, TableSpec

if TYPE_CHECKING:  # pragma: no cover
    from smartdev.context import Environment

CACHE_SIZE = 500_000  # addresses whose match is remembered (with code lookups; without, all are)
CodeOf = Callable[[str, int], "bytes | str | None"]
CodesOf = Callable[[list[tuple[str, int]]], Sequence["bytes | str | None"]]

EVENT_COLUMNS = [Column("block_number", "int64"), Column("log_index", "int64"),
                 Column("transaction_hash", "hex"), Column("address", "address")]
CALL_COLUMNS = [Column("transaction_hash", "hex"), Column("block_number", "int64"),
                Column("from_address", "address"), Column("to_address", "address"),
                Column("value", "uint256"), Column("status", "int64", True)]

# SQL keywords (PostgreSQL, MySQL/MariaDB, SQLite) a column is never named after.
SQL_KEYWORDS = frozenset("""
abort action add after all alter analyze and any as asc attach autoincrement before begin between
bigint binary blob both by cascade case cast change char character check collate column commit
conflict constraint create cross current current_date current_time current_timestamp current_user
database databases day dec decimal declare default deferrable deferred delete desc describe
detach distinct div do double drop each else elseif end escape except exclusive exists exit
explain false fetch filter float following for force foreign from full fulltext glob grant group
groups having hour if ignore ilike immediate in index indexed initially inner insert instead int
integer intersect interval into is isnull join key keys kill lateral leading leave left like
limit load localtime localtimestamp lock long loop match minute mod modifies month natural no not
nothing notnull null numeric of offset on only option or order out outer over partition percent
placing plan pragma preceding primary procedure query raise range read real recursive references
regexp reindex release rename repeat replace require restrict return returning revoke right rlike
rollback row rows savepoint schema second select separator session_user set show similar smallint
some sql ssl table temp temporary then ties time timestamp to trailing transaction trigger true
unbounded undo union unique unlock unsigned update usage use user using vacuum values varchar
variadic view virtual when where while window with without write xor year zerofill
""".split())

_INT = re.compile(r"(u?)int(\d*)")
_BYTES_N = re.compile(r"bytes(\d+)")
_ARRAY = re.compile(r"(.*)\[(\d*)\]")
_ZEROS = "0" * 64
_TRUE = "0" * 63 + "1"
_HALF = 1 << 255
_WORD = 1 << 256


class _Undecodable(Exception):
    """A log or input that does not decode as the ABI entry tried."""


# ---------------------------------------------------------------- loading ABIs


@dataclass
class AbiFile(Artifact):
    """An artifact as read by :func:`load_abis`, with what matching needs beyond it."""

    immutables: list[tuple[int, int]] | None = None  # (start, length) in the runtime; None: unknown
    addresses: tuple[str, ...] = ()  # bound by the file itself (hardhat-deploy "address")


def load_abis(path: Path, *, required: bool = True) -> list[AbiFile]:
    """The ABIs in ``path``: a build folder (its ``contracts/``), any folder of JSON
    files (non-ABI JSON is passed over) or one file. ``required``: a missing path or a
    folder without any ABI is an error (an explicit ``--abi``)."""
    if not path.exists():
        if not required:
            return []
        raise NotFoundError(f"no ABI file or folder at {path}", hint="Pass --abi a folder of artifacts or an ABI file.")
    if path.is_file():
        abi = _read_abi_file(path, path.parent, strict=True)
        return [abi] if abi is not None else []
    files = list_artifacts(path) if (path / "contracts").is_dir() else sorted(
        p for p in path.rglob("*.json") if not p.name.startswith("."))
    found = [a for a in (_read_abi_file(p, path, strict=False) for p in files) if a is not None]
    if required and not found:
        raise UsageError(f"no ABI in {path} ({len(files)} JSON files)",
                         hint="Pass --abi compiled artifacts, or ABI JSON files.")
    return found


def _read_abi_file(path: Path, root: Path, *, strict: bool) -> AbiFile | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        if not strict:
            return None
        raise UsageError(f"cannot read ABI file {path}: {exc}", hint="Give an artifact or ABI JSON file.") from None
    abi = data.get("abi") if isinstance(data, dict) else data
    if not (isinstance(abi, list) and all(isinstance(e, dict) for e in abi)):
        if not strict:
            return None
        raise UsageError(f"{path} holds no ABI (a JSON list, or an object with an 'abi' list)",
                         hint="Give an artifact or ABI JSON file.")
    if not isinstance(data, dict):
        data = {}
    bytecode, deployed = data.get("bytecode"), data.get("deployedBytecode")
    immutables = data.get("immutableReferences")
    if isinstance(deployed, dict):  # Foundry: {"object": ..., "immutableReferences": ...}
        immutables = deployed.get("immutableReferences", immutables)
        deployed = deployed.get("object")
    if isinstance(bytecode, dict):
        bytecode = bytecode.get("object")
    source = data.get("sourceName")
    if not source and not data.get("contractName"):  # named by the file: keep its path to tell files apart
        source = path.relative_to(root).with_suffix("").as_posix() if path.is_relative_to(root) else str(path)
        source = source if source != path.stem else None
    address = data.get("address")
    return AbiFile(
        name=str(data.get("contractName") or path.stem), source_name=source, abi=abi,
        bytecode=_hex0x(bytecode), deployed_bytecode=_hex0x(deployed), path=path,
        immutables=_immutable_ranges(immutables),
        addresses=(address.lower(),) if isinstance(address, str) and _is_address(address) else (),
    )


def _hex0x(code: object) -> str:
    text = str(code or "")
    return text if text.startswith("0x") else "0x" + text


def _immutable_ranges(refs: object) -> list[tuple[int, int]] | None:
    if not isinstance(refs, dict):
        return None
    return [(int(r["start"]), int(r["length"])) for refs_of in refs.values() for r in refs_of]


def _is_address(text: str) -> bool:
    return bool(re.fullmatch(r"0x[0-9a-fA-F]{40}", text))


def recorded_deployments(build_dir: Path, chain_id: int) -> dict[str, str]:
    """``{address: artifact}`` of the deployments recorded in ``build/deployments/``
    for chain ``chain_id`` (whatever the network's name)."""
    out: dict[str, str] = {}
    for path in sorted((build_dir / "deployments").glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(data, dict) or data.get("chainId") != chain_id:
            continue
        for name, entry in (data.get("contracts") or {}).items():
            if not isinstance(entry, dict):
                continue
            for record in [entry, *(entry.get("history") or [])]:  # earlier deployments too
                if isinstance(record, dict) and isinstance(record.get("address"), str):
                    out.setdefault(record["address"].lower(), str(record.get("artifact") or name))
    return out


# ---------------------------------------------------------------- names


def snake(name: str) -> str:
    """``ERC20Token`` → ``erc20_token``, ``setURI`` → ``set_uri``, ``_to`` → ``to``."""
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower()


def _short_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:8]


def _fit(name: str, key: str) -> str:
    """``name`` if short enough, else cut with a hash of ``key`` (the full identity)."""
    if len(name) <= MAX_NAME:
        return name
    return name[:MAX_NAME - 9].rstrip("_") + "_" + _short_hash(key)


def _unique_names(wanted: list[tuple[str, str]]) -> list[str]:
    """Names for ``(base name, identity key)`` pairs: colliding ones all get a hash suffix."""
    fitted = [_fit(base, key) for base, key in wanted]
    counts: dict[str, int] = {}
    for name in fitted:
        counts[name] = counts.get(name, 0) + 1
    out = []
    for (base, key), name in zip(wanted, fitted):
        if counts[name] > 1:
            suffix = "_" + _short_hash(key)
            name = base[:MAX_NAME - len(suffix)].rstrip("_") + suffix
        out.append(name)
    if len(set(out)) != len(out):  # hash prefixes collide too (a one in four billion chance): longer ones
        out = [_fit(name + "_" + hashlib.sha256(key.encode()).hexdigest()[:16], key + "+") for name, (_, key)
               in zip(out, wanted)]
    return out


def _column_names(params: list[dict], taken: set[str]) -> list[str]:
    used = set(taken)
    names = []
    for i, param in enumerate(params):
        base = snake(param.get("name") or "") or f"arg{i}"
        base = "p_" + base if base[0].isdigit() else base
        candidates = [base, "p_" + base] if base not in SQL_KEYWORDS else ["p_" + base]
        name = next((c for c in (_fit(c, f"{c}#{i}") for c in candidates) if c not in used), None)
        n = 2
        while name is None or name in used:
            name = _fit(f"p_{base}_{n}", f"{base}#{i}#{n}")
            n += 1
        used.add(name)
        names.append(name)
    return names


# ---------------------------------------------------------------- types and values


def _signature(entry: dict) -> str:
    from smartdev.contracts.abi import signature

    return signature(entry)


def _is_dynamic_or_composite(param: dict) -> bool:
    kind = param["type"]
    return kind in ("string", "bytes") or kind.endswith("]") or kind.startswith("tuple")


def column_kind(param: dict) -> str:
    """The column kind of a decoded ABI parameter."""
    kind = param["type"]
    if kind.endswith("]") or kind.startswith("tuple"):
        return "json"
    if kind in ("address", "bool"):
        return kind
    if kind == "string":
        return "text"
    if kind == "bytes" or kind == "function" or _BYTES_N.fullmatch(kind):
        return "hex"
    match = _INT.fullmatch(kind)
    if match:
        bits = int(match.group(2) or 256)
        if match.group(1):
            return "int64" if bits <= 56 else "uint256"
        return "int64" if bits <= 64 else "int256"
    if re.fullmatch(r"u?fixed(\d+x\d+)?", kind):
        return "text"
    raise ValueError(f"unsupported ABI type {kind}")


def _word_decoder(kind: str) -> Callable[[str], Any] | None:
    """A decoder of one 64-hex-digit word for a static elementary type (None: not one)."""
    if kind == "address":
        def address(word: str) -> str:
            if word[:24] != "000000000000000000000000":
                raise _Undecodable
            return "0x" + word[24:]
        return address
    if kind == "bool":
        def boolean(word: str) -> bool:
            if word == _ZEROS:
                return False
            if word == _TRUE:
                return True
            raise _Undecodable
        return boolean
    match = _INT.fullmatch(kind)
    if match:
        bits = int(match.group(2) or 256)
        if match.group(1):
            limit = 1 << bits

            def uint(word: str) -> int:
                value = int(word, 16)
                if value >= limit:
                    raise _Undecodable
                return value
            return uint
        low, high = -(1 << (bits - 1)), 1 << (bits - 1)

        def sint(word: str) -> int:
            value = int(word, 16)
            if value >= _HALF:
                value -= _WORD
            if not low <= value < high:
                raise _Undecodable
            return value
        return sint
    match = _BYTES_N.fullmatch(kind)
    if match and 1 <= int(match.group(1)) <= 32:
        digits = 2 * int(match.group(1))
        padding = "0" * (64 - digits)

        def fixed_bytes(word: str) -> str:
            if word[digits:] != padding:
                raise _Undecodable
            return "0x" + word[:digits]
        return fixed_bytes
    if kind == "function":  # an address and a selector: bytes24
        return _word_decoder("bytes24")
    match = re.fullmatch(r"(u?)fixed(?:(\d+)x(\d+))?", kind)
    if match:
        as_int = _word_decoder(f"{match.group(1)}int{match.group(2) or 128}")
        places = -int(match.group(3) or 18)

        def fixed_point(word: str) -> str:
            from decimal import Decimal

            return str(Decimal(as_int(word)).scaleb(places))
        return fixed_point
    return None


# A decoder reads the value whose encoding starts at hex position ``at`` of ``data`` (the
# ABI encoding as hex, no 0x); ``size`` is the hex length of a static type's encoding,
# None for a dynamic type (its head is an offset, relative to the enclosing tuple).
_Decode = Callable[[str, int], Any]


def _value_decoder(param: dict) -> tuple[int | None, _Decode]:
    """The (size, decoder) of an ABI parameter, producing row values."""
    kind = param["type"]
    array = _ARRAY.fullmatch(kind)
    if array:
        size, item = _value_decoder({**param, "type": array.group(1)})
        if array.group(2):
            count = int(array.group(2))
            decode = _sequence_decoder([(size, item)] * count)
            return (None if size is None else size * count), decode
        return None, _dynamic_array_decoder(size, item)
    if kind == "tuple":
        components = param.get("components", [])
        parts = [_value_decoder(c) for c in components]
        sequence = _sequence_decoder(parts)
        names = [c.get("name") for c in components]
        if all(names) and len(set(names)) == len(names):
            def as_dict(data: str, at: int) -> dict[str, Any]:
                return dict(zip(names, sequence(data, at)))
            decode = as_dict
        else:
            decode = sequence
        sizes = [size for size, _ in parts]
        return (None if None in sizes else sum(sizes)), decode
    if kind in ("bytes", "string"):
        return None, _bytes_decoder(kind == "string")
    word = _word_decoder(kind)
    if word is None:
        raise ValueError(f"unsupported ABI type {kind}")

    def static(data: str, at: int) -> Any:
        return word(data[at:at + 64])
    return 64, static


def _sequence_decoder(parts: list[tuple[int | None, _Decode]]) -> Callable[[str, int], list]:
    """A tuple's (or a fixed-size array's) encoding: heads, then the tails of dynamic parts."""
    head = sum(64 if size is None else size for size, _ in parts)

    def sequence(data: str, at: int) -> list:
        if at + head > len(data):
            raise _Undecodable
        out = []
        pos = at
        for size, decode in parts:
            if size is None:
                out.append(decode(data, at + 2 * int(data[pos:pos + 64], 16)))
                pos += 64
            else:
                out.append(decode(data, pos))
                pos += size
        return out
    return sequence


def _dynamic_array_decoder(size: int | None, item: _Decode) -> _Decode:
    head = 64 if size is None else size

    def dynamic_array(data: str, at: int) -> list:
        if at + 64 > len(data):
            raise _Undecodable
        count = int(data[at:at + 64], 16)
        if at + 64 + count * head > len(data):
            raise _Undecodable
        base = at + 64
        if size is None:
            return [item(data, base + 2 * int(data[pos:pos + 64], 16)) for pos in range(base, base + 64 * count, 64)]
        return [item(data, pos) for pos in range(base, base + size * count, size)]
    return dynamic_array


def _bytes_decoder(text: bool) -> _Decode:
    def byte_string(data: str, at: int) -> str:
        if at + 64 > len(data):
            raise _Undecodable
        end = at + 64 + 2 * int(data[at:at + 64], 16)
        padded = min(len(data), end + (-(end - at) % 64))
        if end > len(data) or data.count("0", end, padded) != padded - end:
            raise _Undecodable
        if text:
            # NUL too: PostgreSQL refuses it in text; the same value in every sink
            return bytes.fromhex(data[at + 64:end]).decode("utf-8", "replace").replace("\x00", "\ufffd")
        return "0x" + data[at + 64:end]
    return byte_string


class _Params:
    """Decodes ABI-encoded parameters (hex, no 0x) into ``{column: value}``."""

    def __init__(self, params: list[dict], columns: list[str], *, exact: bool) -> None:
        self.columns = columns
        words = [_word_decoder(p["type"]) for p in params]
        self.exact = exact  # events: the data is exactly the encoding; calls may carry more
        self.size = 64 * len(params)
        self.words = words if all(words) else None
        self.sequence = _sequence_decoder([_value_decoder(p) for p in params])

    def decode(self, hexdata: str) -> dict[str, Any]:
        if self.words is not None:  # static elementary types only: word by word
            if (len(hexdata) != self.size) if self.exact else (len(hexdata) < self.size):
                raise _Undecodable
        try:
            if self.words is not None:
                return {col: dec(hexdata[i:i + 64])
                        for col, dec, i in zip(self.columns, self.words, range(0, self.size, 64))}
            return dict(zip(self.columns, self.sequence(hexdata, 0)))
        except (ValueError, IndexError) as exc:  # not hex, or bytes that are not hex
            raise _Undecodable from exc


# ---------------------------------------------------------------- decoded entries


@dataclass
class _Event:
    table: TableSpec
    topic0: str | None  # None: anonymous
    topics: int  # how many topics its logs have
    indexed: list[tuple[str, str, Callable[[str], Any] | None]]  # column, topic, decoder (None: keep the hash)
    body: _Params

    def decode(self, log: dict) -> dict[str, Any]:
        row = {"block_number": log["block_number"], "log_index": log["log_index"],
               "transaction_hash": log["transaction_hash"], "address": log["address"]}
        for column, key, word in self.indexed:
            topic = log[key]
            row[column] = word(topic[2:]) if word else topic
        row.update(self.body.decode(log["data"][2:]))
        return row


@dataclass
class _Function:
    table: TableSpec
    inputs: _Params


@dataclass
class _Contract:
    """One ABI with everything to decode by it and to recognise its code."""

    label: str  # the name in table names and in contracts.artifact
    artifact: Artifact
    events: dict[str, list[_Event]] = field(default_factory=dict)  # topic0 → candidates
    anonymous: list[_Event] = field(default_factory=list)
    functions: dict[str, _Function] = field(default_factory=dict)  # selector (8 hex) → function
    constructor: _Function | None = None
    runtime: _Code | None = None
    creation: _Code | None = None
    selectors: frozenset[bytes] = frozenset()


@dataclass
class _Code:
    """An artifact's code without its metadata; ``masks`` (start, end): bytes that vary per deployment."""

    body: bytes
    masks: list[tuple[int, int]]
    full: bytes

    def masked(self, code: bytes) -> bytes:
        if not self.masks:
            return code
        out = bytearray(code)
        for start, end in self.masks:
            out[start:end] = bytes(end - start)
        return bytes(out)


def _strip_metadata(code: bytes) -> bytes:
    """``code`` without the CBOR metadata solc appends (its length is in the last 2 bytes)."""
    if len(code) > 2:
        size = int.from_bytes(code[-2:], "big")
        if 0 < size <= len(code) - 2 and 0xA0 <= code[-2 - size] <= 0xBF:  # a CBOR map
            return code[:-2 - size]
    return code


def _code_pattern(hexcode: str, immutables: list[tuple[int, int]] | None, *, runtime: bool) -> _Code | None:
    text = hexcode[2:] if hexcode.startswith("0x") else hexcode
    if not text:
        return None
    masks = [((m.start()) // 2, (m.end()) // 2) for m in _UNLINKED.finditer(text)]  # unlinked libraries
    try:
        full = bytes.fromhex(_UNLINKED.sub(lambda m: "0" * len(m.group()), text))
    except ValueError:
        return None
    body = _strip_metadata(full)
    if runtime:
        if full[:1] == b"\x73" and full[1:21] == bytes(20):  # a library: PUSH20 <its own address>
            masks.append((1, 21))
        if immutables is not None:
            masks += [(start, start + length) for start, length in immutables]
        else:  # no immutableReferences (e.g. Hardhat artifacts): every PUSH32 0 may be one
            masks += [(m.start() + 1, m.start() + 33) for m in re.finditer(re.escape(b"\x7f" + bytes(32)), body)]
    masks = sorted((s, min(e, len(body))) for s, e in masks if s < len(body))
    pattern = _Code(body, masks, full)
    pattern.body = pattern.masked(body)
    return pattern


def _pushed_selectors(code: bytes) -> set[bytes]:
    """4-byte values the code pushes (PUSH4, or PUSH3/PUSH2 for selectors with leading zeros)."""
    found = {m.group(1) for m in re.finditer(rb"(?=\x63(....))", code, re.S)}
    found |= {b"\0" + m.group(1) for m in re.finditer(rb"(?=\x62(...))", code, re.S)}
    found |= {b"\0\0" + m.group(1) for m in re.finditer(rb"(?=\x61(..))", code, re.S)}
    return found


@dataclass(frozen=True)
class _Match:
    contract: int | None  # index in Decoder._contracts
    code_hash: str | None
    how: str = ""  # code, creation, bound, interface


def _normalise_code(code: bytes | str | None) -> bytes | None:
    if code is None or isinstance(code, (bytes, bytearray)):
        return bytes(code) if code is not None else None
    text = code[2:] if code.startswith("0x") else code
    return bytes.fromhex(text)


# ---------------------------------------------------------------- the decoder


class Decoder:
    """Decoded tables and rows for ``artifacts``; safe to share between threads.

    ``code_of(address, block)``: the runtime code at that block (bytes or hex; ``None``
    when the node cannot say, e.g. pruned state). ``codes_of(pairs)``: the same for many
    at once (one batched request); used instead of ``code_of`` when given.
    ``addresses``: ``{address: artifact name}`` known deployments (e.g.
    :func:`recorded_deployments`).
    """

    def __init__(self, artifacts: Sequence[Artifact], code_of: CodeOf | None = None, *,
                 codes_of: CodesOf | None = None, addresses: Mapping[str, str] | None = None) -> None:
        self._code_of = code_of
        self._codes_of = codes_of
        self._lock = threading.Lock()
        self._warnings: list[str] = []
        self._warned: set[tuple] = set()
        self._cache: dict[str, _Match] = {}
        addresses = {a.lower(): name for a, name in (addresses or {}).items()}
        self._contracts = self._build(list(artifacts), set(addresses.values()))
        self._by_length: dict[int, list[int]] = {}
        for i, contract in enumerate(self._contracts):
            if contract.runtime is not None:
                self._by_length.setdefault(len(contract.runtime.body), []).append(i)
        self._interfaces = [i for i, c in enumerate(self._contracts)
                            if c.runtime is None and c.creation is None and c.selectors]
        self._bound: dict[str, int] = {}
        for i, contract in enumerate(self._contracts):
            if isinstance(contract.artifact, AbiFile):
                for address in contract.artifact.addresses:
                    self._bound.setdefault(address, i)
        for address, name in addresses.items():
            index = self._find(name)
            if index is None:
                self._warn(("bound", name), f"{name} (recorded at {address}) matches no ABI loaded: not decoded")
            else:
                self._bound[address] = index

    @classmethod
    def from_path(cls, path: Path, code_of: CodeOf | None = None, *, required: bool = True,
                  **options: Any) -> Decoder:
        """A decoder of the ABIs in ``path`` (see :func:`load_abis`)."""
        return cls(load_abis(path, required=required), code_of, **options)

    @classmethod
    def for_project(cls, env: Environment, abi: Path | None = None, code_of: CodeOf | None = None, *,
                    chain_id: int | None = None, **options: Any) -> Decoder:
        """``abi`` (required to hold ABIs), else the project's build folder (may be empty);
        with ``chain_id``, the project's recorded deployments on that chain too."""
        build = env.config.path("build")
        addresses = recorded_deployments(build, chain_id) if chain_id is not None else {}
        addresses.update(options.pop("addresses", None) or {})
        abis = load_abis(abi) if abi is not None else load_abis(build, required=False)
        return cls(abis, code_of, addresses=addresses, **options)

    # -- public ---------------------------------------------------------------

    def tables(self) -> list[TableSpec]:
        """Every decoded table, sorted by name."""
        specs = [e.table for c in self._contracts for es in c.events.values() for e in es]
        specs += [e.table for c in self._contracts for e in c.anonymous]
        specs += [f.table for c in self._contracts for f in c.functions.values()]
        specs += [c.constructor.table for c in self._contracts if c.constructor is not None]
        return sorted({s.name: s for s in specs}.values(), key=lambda s: s.name)

    @property
    def contract_names(self) -> list[str]:
        return [c.label for c in self._contracts]

    @property
    def warnings(self) -> list[str]:
        with self._lock:
            return list(self._warnings)

    def decode(self, rows: Mapping[str, list[dict]]) -> dict[str, list[dict]]:
        """Decoded rows of one range of core rows: ``{table: rows}`` for the decoded
        tables that got rows, and ``contracts`` (always present)."""
        transactions = rows.get("transactions", [])
        receipts = {r["transaction_hash"]: r for r in rows.get("receipts", [])}
        by_hash = {t["hash"]: t for t in transactions}
        created = [(r, by_hash.get(r["transaction_hash"])) for r in rows.get("receipts", [])
                   if r.get("contract_address")]
        matches = self._resolve_range(rows, created)
        out: dict[str, list[dict]] = {"contracts": []}
        self._decode_logs(rows.get("logs", []), matches, out)
        self._decode_calls(transactions, receipts, matches, out)
        for receipt, tx in created:
            self._decode_creation(receipt, tx, matches.get(receipt["contract_address"]), out)
        return out

    # -- building -------------------------------------------------------------

    def _build(self, artifacts: list[Artifact], bound_names: set[str]) -> list[_Contract]:
        names: dict[str, int] = {}
        for art in artifacts:
            names[art.name] = names.get(art.name, 0) + 1
        contracts: list[_Contract] = []
        entries: list[tuple[_Contract, str, dict, list[str]]] = []  # with table base name and identity key
        for art in artifacts:
            label = art.name if names[art.name] == 1 else art.qualified_name if art.source_name else str(art.path)
            runtime_code = _code_pattern(art.deployed_bytecode, getattr(art, "immutables", None), runtime=True)
            contract = _Contract(label, art, runtime=runtime_code,
                                 creation=_code_pattern(art.bytecode, None, runtime=False))
            functions = [(kind, e) for kind, e, _ in self._entries(art, label) if kind == "function"]
            contract.selectors = frozenset(_keccak(_signature(e).encode())[:4] for _, e in functions)
            usable = (contract.runtime or contract.creation or getattr(art, "addresses", ())
                      or bound_names & {art.name, art.qualified_name, label})
            for kind, entry, mutability in self._entries(art, label, warn=True):
                if mutability in ("view", "pure"):
                    continue  # changes nothing: no table (see the module's doc)
                sub = "constructor" if kind == "constructor" else snake(entry.get("name", "")) or "unnamed"
                base = f"{'event' if kind == 'event' else 'call'}_{snake(art.name) or 'contract'}_{sub}"
                # what a table is, independent of where the files are: its name never depends on the machine
                key = f"{kind}:{art.qualified_name}:{_signature(entry)}:" + "".join(
                    "1" if p.get("indexed") else "0" for p in entry.get("inputs", [])) + str(entry.get("anonymous"))
                entries.append((contract, kind, entry, [base, key]))
            if usable or contract.selectors:  # an ABI that can never be matched gets no tables
                contracts.append(contract)
            else:
                entries = [e for e in entries if e[0] is not contract]
        wanted = [(base, key) for *_, (base, key) in entries]
        for (contract, kind, entry, _), name in zip(entries, _unique_names(wanted)):
            self._add_entry(contract, kind, entry, name)
        return contracts

    def _entries(self, art: Artifact, label: str, *, warn: bool = False) -> list[tuple[str, dict, str]]:
        """The functions, events and constructor of ``art``'s ABI that can be decoded, once
        each: (type, entry, state mutability)."""
        out, seen = [], set()
        for entry in art.abi:
            kind = entry.get("type", "function")
            if kind not in ("function", "event", "constructor"):
                continue
            try:
                signature = _signature(entry)
                for param in entry.get("inputs", []):
                    column_kind(param)
                    _value_decoder(param)
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                if warn:
                    self._warn(("type", label, str(entry.get("name"))),
                               f"{label}: {kind} {entry.get('name') or ''} cannot be decoded ({exc}): no table")
                continue
            mutability = entry.get("stateMutability") or ("view" if entry.get("constant") else "nonpayable")
            key = (kind, signature, tuple(bool(p.get("indexed")) for p in entry.get("inputs", [])),
                   bool(entry.get("anonymous")))
            if key not in seen:
                seen.add(key)
                out.append((kind, entry, mutability))
        return out

    def _add_entry(self, contract: _Contract, kind: str, entry: dict, table: str) -> None:
        params = entry.get("inputs", [])
        if kind == "event":
            fixed = EVENT_COLUMNS
        else:
            fixed = CALL_COLUMNS
        names = _column_names(params, {c.name for c in fixed})
        columns = [Column(n, "hex" if kind == "event" and p.get("indexed") and _is_dynamic_or_composite(p)
                          else column_kind(p)) for n, p in zip(names, params)]
        if kind == "event":
            spec = TableSpec(table, fixed + columns, ("block_number", "log_index"),
                             [("transaction_hash",), ("address",)])
            anonymous = bool(entry.get("anonymous"))
            indexed = [(n, None if _is_dynamic_or_composite(p) else _word_decoder(p["type"]))
                       for n, p in zip(names, params) if p.get("indexed")]
            indexed = [(n, f"topic{i}", word) for i, (n, word) in enumerate(indexed, start=0 if anonymous else 1)]
            body = [(n, p) for n, p in zip(names, params) if not p.get("indexed")]
            topic0 = None if anonymous else "0x" + _keccak(_signature(entry).encode()).hex()
            event = _Event(spec, topic0, len(indexed) + (0 if anonymous else 1), indexed,
                           _Params([p for _, p in body], [n for n, _ in body], exact=True))
            if anonymous:
                contract.anonymous.append(event)
            else:
                contract.events.setdefault(topic0, []).append(event)
            return
        spec = TableSpec(table, fixed + columns, ("transaction_hash",), [("block_number",), ("to_address",)])
        function = _Function(spec, _Params(params, names, exact=False))
        if kind == "constructor":
            contract.constructor = function
        else:
            contract.functions[_keccak(_signature(entry).encode())[:4].hex()] = function

    def _find(self, name: str) -> int | None:
        for i, contract in enumerate(self._contracts):
            if name in (contract.label, contract.artifact.qualified_name):
                return i
        found = [i for i, c in enumerate(self._contracts) if c.artifact.name == name]
        return found[0] if len(found) == 1 else None

    def _warn(self, key: tuple, message: str) -> None:
        with self._lock:
            if key not in self._warned:
                self._warned.add(key)
                self._warnings.append(message)

    # -- matching -------------------------------------------------------------

    def _resolve_range(self, rows: Mapping[str, list[dict]],
                       created: list[tuple[dict, dict | None]]) -> dict[str, _Match]:
        """The match of every address the range's logs, calls and creations touch."""
        wanted: dict[str, int] = {}
        for log in rows.get("logs", []):
            wanted.setdefault(log["address"], log["block_number"])
        for tx in rows.get("transactions", []):
            if tx.get("to_address") and len(tx.get("input") or "") >= 10:
                wanted.setdefault(tx["to_address"], tx["block_number"])
        with self._lock:
            matches = {a: self._cache[a] for a in wanted if a in self._cache}
        lookups = [(a, b) for a, b in wanted.items() if a not in matches]
        lookups += [(r["contract_address"], r["block_number"]) for r, _ in created]
        codes = self._codes(lookups)
        inputs = {r["contract_address"]: tx.get("input") for r, tx in created if tx is not None}
        new = {}
        for address, _ in lookups:
            new[address] = self._resolve(address, codes.get(address), inputs.get(address))
        with self._lock:
            for address, match in new.items():
                if address in inputs or address not in self._cache:
                    self._cache[address] = match
            if len(self._cache) > CACHE_SIZE and (self._code_of or self._codes_of):
                for address in list(self._cache)[:len(self._cache) // 2]:  # the oldest: looked up again if seen
                    del self._cache[address]
        matches.update(new)
        return matches

    def _codes(self, lookups: list[tuple[str, int]]) -> dict[str, bytes | None]:
        if not lookups or (self._code_of is None and self._codes_of is None):
            return {}
        pairs = list(dict(lookups).items())  # one lookup per address (the last block asked)
        if self._codes_of is not None:
            results = list(self._codes_of(pairs))
        else:
            results = [self._code_of(a, b) for a, b in pairs]
        return {a: _normalise_code(code) for (a, _), code in zip(pairs, results)}

    def _resolve(self, address: str, code: bytes | None, creation_input: str | None) -> _Match:
        code_hash = "0x" + _keccak(code).hex() if code else None
        if code:
            found = self._by_runtime(code)
            if found:
                return _Match(self._pick(found, address), code_hash, "code")
        if creation_input:
            found = self._by_creation(bytes.fromhex(creation_input[2:]))
            if found:
                return _Match(self._pick(found, address), code_hash, "creation")
        if address in self._bound:
            return _Match(self._bound[address], code_hash, "bound")
        if code and self._interfaces:
            pushed = _pushed_selectors(code)
            fits = [i for i in self._interfaces if self._contracts[i].selectors <= pushed]
            if fits:
                most = max(len(self._contracts[i].selectors) for i in fits)
                return _Match(self._pick([i for i in fits if len(self._contracts[i].selectors) == most], address),
                              code_hash, "interface")
        return _Match(None, code_hash)

    def _by_runtime(self, code: bytes) -> list[int]:
        body = _strip_metadata(code)
        found = [i for i in self._by_length.get(len(body), ())
                 if self._contracts[i].runtime.masked(body) == self._contracts[i].runtime.body]
        exact = [i for i in found if self._contracts[i].runtime.full == code]
        return exact or found

    def _by_creation(self, data: bytes) -> list[int]:
        found = []
        for i, contract in enumerate(self._contracts):
            pattern = contract.creation
            if pattern is not None and len(data) >= len(pattern.full) and \
                    pattern.masked(data[:len(pattern.body)]) == pattern.body:
                found.append(i)
        exact = [i for i in found if data.startswith(self._contracts[i].creation.full)]
        longest = max((len(self._contracts[i].creation.full) for i in exact or found), default=0)
        return [i for i in exact or found if len(self._contracts[i].creation.full) == longest]

    def _pick(self, found: list[int], address: str) -> int:
        if len(found) == 1:
            return found[0]
        bound = self._bound.get(address)
        if bound in found:
            return bound
        found = sorted(found, key=lambda i: self._contracts[i].label)
        labels = ", ".join(self._contracts[i].label for i in found)
        self._warn(("ambiguous", labels), f"contracts match several ABIs equally well ({labels}), e.g. {address}: "
                   f"decoded as {self._contracts[found[0]].label}")
        return found[0]

    # -- decoding -------------------------------------------------------------

    def _decode_logs(self, logs: list[dict], matches: dict[str, _Match], out: dict[str, list[dict]]) -> None:
        contracts = self._contracts
        for log in logs:
            match = matches.get(log["address"])
            if match is None or match.contract is None:
                continue
            contract = contracts[match.contract]
            topic0 = log.get("topic0")
            candidates = contract.events.get(topic0) if topic0 else None
            if candidates is None and contract.anonymous:
                fits = _anonymous_fits(contract, log)
                if len(fits) == 1:
                    out.setdefault(fits[0][1].table.name, []).append(fits[0][0])
                    continue
                if fits:
                    self._warn(("anonymous", log["address"]), f"anonymous logs of {log['address']} "
                               f"({contract.label}) fit several anonymous events: skipped")
                    continue
            if candidates is None:
                if match.how != "interface":
                    self._warn(("logs", log["address"], contract.label),
                               f"logs of {log['address']} ({contract.label}) that its ABI does not describe were "
                               f"skipped (e.g. topic {topic0 or 'none'} in block {log['block_number']}): is the ABI "
                               f"the deployed contract's (or is it a proxy)?")
                continue
            count = _topic_count(log)
            for event in candidates:
                if event.topics == count:
                    try:
                        row = event.decode(log)
                    except _Undecodable:
                        continue
                    out.setdefault(event.table.name, []).append(row)
                    break
            else:
                self._warn(("logs", log["address"], contract.label),
                           f"logs of {log['address']} ({contract.label}) that do not decode as its ABI's events "
                           f"were skipped (e.g. block {log['block_number']}, log {log['log_index']}): the ABI does "
                           f"not match the deployed contract")

    def _decode_calls(self, transactions: list[dict], receipts: dict[str, dict], matches: dict[str, _Match],
                      out: dict[str, list[dict]]) -> None:
        for tx in transactions:
            to = tx.get("to_address")
            match = matches.get(to) if to else None
            if match is None or match.contract is None:
                continue
            contract = self._contracts[match.contract]
            data = tx.get("input") or ""
            function = contract.functions.get(data[2:10])
            if function is None:
                continue  # a view function, the fallback or receive function, or a proxied call
            try:
                values = function.inputs.decode(data[10:])
            except _Undecodable:
                self._warn(("calls", to, contract.label),
                           f"transactions to {to} ({contract.label}) whose input does not decode as the function "
                           f"its selector names were skipped (e.g. {tx['hash']})")
                continue
            out.setdefault(function.table.name, []).append(_call_row(tx, receipts.get(tx["hash"]), to, values))

    def _decode_creation(self, receipt: dict, tx: dict | None, match: _Match | None,
                         out: dict[str, list[dict]]) -> None:
        address = receipt["contract_address"]
        contract = self._contracts[match.contract] if match and match.contract is not None else None
        if receipt.get("status") != 0:
            out["contracts"].append({
                "address": address, "block_number": receipt["block_number"],
                "transaction_hash": receipt["transaction_hash"],
                "deployer": tx["from_address"] if tx else None,
                "code_hash": match.code_hash if match else None,
                "artifact": contract.label if contract else None,
            })
        if contract is None or contract.constructor is None or tx is None or contract.creation is None:
            return
        pattern = contract.creation
        data = tx.get("input") or "0x"
        try:
            if pattern.masked(bytes.fromhex(data[2:2 + 2 * len(pattern.body)])) != pattern.body:
                raise _Undecodable  # created by other code than the artifact's: its arguments are unknown
            values = contract.constructor.inputs.decode(data[2 + 2 * len(pattern.full):])
        except (_Undecodable, ValueError):
            self._warn(("constructor", address),
                       f"the constructor arguments of {address} ({contract.label}, transaction "
                       f"{receipt['transaction_hash']}) do not decode: skipped")
            return
        out.setdefault(contract.constructor.table.name, []).append(_call_row(tx, receipt, address, values))


def _anonymous_fits(contract: _Contract, log: dict) -> list[tuple[dict, _Event]]:
    """The rows ``log`` decodes to as each of the contract's anonymous events it fits."""
    count = _topic_count(log)
    fits = []
    for event in contract.anonymous:
        if event.topics == count:
            try:
                fits.append((event.decode(log), event))
            except _Undecodable:
                pass
    return fits


def _topic_count(log: dict) -> int:
    get = log.get
    if get("topic3") is not None:
        return 4
    if get("topic2") is not None:
        return 3
    if get("topic1") is not None:
        return 2
    return 0 if get("topic0") is None else 1


def _call_row(tx: dict, receipt: dict | None, to: str, values: dict[str, Any]) -> dict[str, Any]:
    row = {"transaction_hash": tx["hash"], "block_number": tx["block_number"], "from_address": tx["from_address"],
           "to_address": to, "value": tx["value"], "status": receipt.get("status") if receipt else None}
    row.update(values)
    return row


def _keccak(data: bytes) -> bytes:
    from eth_hash.auto import keccak

    return keccak(data)
