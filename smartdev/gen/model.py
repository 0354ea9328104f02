"""What `smartdev gen` generates for one contract, worked out from its artifact.

Names and types for the client (Python types, a dataclass per struct, a frozen
dataclass per event) and for the service (pydantic field types, request and response
models, paths) are decided here, so the templates only lay them out.
"""

from __future__ import annotations

import json
import keyword
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from smartdev.contracts.codegen import (
    RESERVED_PARAMS,
    canonical_type,
    element,
    identifier,
    int_bits,
    method_names,
    params,
    pascal,
    returns,
    signature,
    snake,
    struct_key,
    unmappable,
)
from smartdev.errors import UsageError

# Attributes of the client base class: functions with these names get a "_".
CLIENT_ATTRIBUTES = frozenset({
    "address", "conn", "env", "at", "deploy", "deployed", "artifact", "events", "get_events",
    "deploy_result", "_call", "_send", "_deploy", "_function", "_target", "mro",
})
# Attributes of pydantic's BaseModel: request/response fields with these names get a "_".
MODEL_ATTRIBUTES = frozenset({
    "construct", "copy", "dict", "from_orm", "json", "parse_file", "parse_obj", "parse_raw", "schema",
    "schema_json", "update_forward_refs", "validate", "model_config", "model_fields", "model_computed_fields",
    "model_extra", "model_fields_set", "model_construct", "model_copy", "model_dump", "model_dump_json",
    "model_json_schema", "model_parametrized_name", "model_post_init", "model_rebuild", "model_validate",
    "model_validate_json", "model_validate_strings", "value_wei", "self",
})
ENDPOINT_PARAMS = RESERVED_PARAMS | {"contract", "body", "request"}
# Names the generated modules import; contract, struct, event and model names avoid them.
CLIENT_IMPORTS = {"annotations", "dataclass", "Any", "ClassVar", "TYPE_CHECKING", "ContractClient", "Event", "TxResult",
                  "Signer", "Connection", "ABI_FILE", "STRUCTS", "EVENTS", "SIGNATURE"}
SERVICE_IMPORTS = {"annotations", "Annotated", "Any", "APIRouter", "Depends", "Field", "Json", "Query", "web", "router",
                   "client", "Deployed", "Address", "Bytes", *(f"Bytes{n}" for n in range(1, 33)),
                   *(f"{kind}{bits}" for kind in ("Int", "Uint") for bits in range(8, 257, 8))}
_LIBRARY_CODE = re.compile(r"0x730{40}30")  # a library's call protection: PUSH20 <self> ADDRESS EQ


@dataclass
class Value:
    """A parameter, output, struct member or event argument."""

    name: str  # Python identifier
    abi_name: str
    type: str  # client (Python) type
    web: str  # service (pydantic) type
    param: dict[str, Any]
    indexed: bool = False

    @property
    def alias(self) -> str | None:
        return self.abi_name if self.abi_name != self.name else None

    @property
    def query_json(self) -> bool:
        """A GET parameter passed as JSON (structs, nested or fixed-size arrays)."""
        inner = element(self.param)
        if inner is not None:
            return inner[1] is not None or element(inner[0]) is not None or inner[0]["type"] == "tuple"
        return self.param["type"] == "tuple"


@dataclass
class Struct:
    key: str
    name: str  # client dataclass and service model
    fields: list[Value]
    source: str  # internalType, or the canonical tuple type


@dataclass
class Event:
    name: str  # client class
    abi_name: str
    signature: str
    model: str  # service model
    fields: list[Value]
    doc: str
    decls: list[str]  # the parameters as declared: "address indexed from"
    hashed: list[str]  # indexed strings, bytes, arrays and structs: only their hash is logged


@dataclass
class Function:
    method: str
    abi_name: str
    signature: str
    view: bool
    payable: bool
    inputs: list[Value]
    outputs: list[Value]
    returns: str
    doc: str
    path: str  # /<Contract>/<path>
    query: list[Value] = field(default_factory=list)  # GET parameters (endpoint argument names)
    body: list[Value] = field(default_factory=list)  # POST body model fields
    request_model: str = ""
    response_model: str = ""


@dataclass
class Contract:
    name: str  # ABI contract name
    cls: str
    module: str
    source: str  # artifact path relative to the project
    artifact: dict[str, Any]
    functions: list[Function]
    events: list[Event]
    structs: list[Struct]
    constructor: list[Value]
    constructor_payable: bool
    deployable: bool  # has creation bytecode and is not a library
    aliases: dict[str, str]  # service type alias -> its definition
    model_structs: dict[str, str] = field(default_factory=dict)

    @property
    def views(self) -> list[Function]:
        return [f for f in self.functions if f.view]

    @property
    def abi_file(self) -> str:
        return f"abi/{self.cls}.json"

    def embedded_json(self) -> str:
        """The body of client/abi/<Name>.json: the members after the header (see regen.compose)."""
        data = {key: self.artifact.get(key) for key in ("contractName", "sourceName", "abi", "bytecode",
                                                          "deployedBytecode")}
        text = json.dumps(data, indent=2)
        return text[text.index("\n") + 1:] + "\n"


def is_library(artifact: dict[str, Any]) -> bool:
    return bool(_LIBRARY_CODE.match(str(artifact.get("deployedBytecode") or "")))


def has_bytecode(artifact: dict[str, Any]) -> bool:
    return str(artifact.get("bytecode") or "0x") not in ("0x", "")


class Names:
    """Distinct identifiers in one module's namespace."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = set(taken)

    def take(self, wanted: str) -> str:
        name = wanted if wanted.isidentifier() and not keyword.iskeyword(wanted) else wanted + "_"
        while name in self.taken:
            name += "_"
        self.taken.add(name)
        return name


def build(artifact: dict[str, Any], *, cls: str, module: str, source: str) -> Contract:
    """The generation model of one contract; UsageError for ABI types Python cannot take."""
    name = artifact["contractName"]
    abi = artifact.get("abi", [])
    _check_mappable(name, abi)
    client_names = Names(CLIENT_IMPORTS | {cls})
    service_names = Names(SERVICE_IMPORTS | {cls})
    aliases: dict[str, str] = {}
    structs: dict[str, Struct] = {}
    model_structs: dict[str, str] = {}

    def struct_name(param: dict[str, Any]) -> str:
        key = struct_key(param)
        if key not in structs:
            members = _values(param.get("components", []), struct_name, web_type, MODEL_ATTRIBUTES, "field{}")
            wanted = pascal(key.rsplit(".", 1)[-1]) if not key.startswith("(") else "Struct"
            structs[key] = Struct(key, client_names.take(wanted), members, param.get("internalType") or key)
            model_structs[key] = service_names.take(structs[key].name)
        return structs[key].name

    def web_type(param: dict[str, Any]) -> str:
        inner = element(param)
        if inner is not None:
            listed = f"list[{web_type(inner[0])}]"
            size = inner[1]
            return listed if size is None else f"Annotated[{listed}, Field(min_length={size}, max_length={size})]"
        abi_type = param["type"]
        if abi_type == "tuple":
            struct_name(param)
            return model_structs[struct_key(param)]
        if abi_type in ("bool", "string"):
            return "bool" if abi_type == "bool" else "str"
        bits = int_bits(abi_type)
        if bits is not None:
            alias = f"{'Int' if bits[1] else 'Uint'}{bits[0]}"
            aliases[alias] = f"web.integer({bits[0]}, signed={bits[1]})"
        elif abi_type == "address":
            alias, aliases["Address"] = "Address", "web.Address"
        elif abi_type == "bytes":
            alias, aliases["Bytes"] = "Bytes", "web.Bytes"
        else:  # bytesN
            alias = f"Bytes{abi_type[5:]}"
            aliases[alias] = f"web.fixed_bytes({abi_type[5:]})"
        return alias

    userdoc = artifact.get("userdoc") or {}
    devdoc = artifact.get("devdoc") or {}
    functions = [e for e in abi if e.get("type") == "function"]
    methods = method_names(functions, RESERVED_PARAMS | CLIENT_ATTRIBUTES)
    result: list[Function] = []
    paths: set[str] = set()
    for fn, method in zip(functions, methods):
        fn_signature = signature(fn)
        base = identifier(fn["name"], "fn", RESERVED_PARAMS | CLIENT_ATTRIBUTES)
        path = fn["name"] + method[len(base):] if method.startswith(base) else method
        while path in paths:
            path += "_"
        paths.add(path)
        inputs = _values(fn.get("inputs", []), struct_name, web_type, RESERVED_PARAMS)
        outputs = _values(fn.get("outputs", []), struct_name, web_type, MODEL_ATTRIBUTES,
                          "value" if len(fn.get("outputs", [])) == 1 else "value{}")
        doc = _doc(userdoc, devdoc, "methods", fn_signature)
        view = fn.get("stateMutability") in ("view", "pure")
        item = Function(
            method=method, abi_name=fn["name"], signature=fn_signature, view=view,
            payable=fn.get("stateMutability") == "payable", inputs=inputs, outputs=outputs,
            returns=returns(fn.get("outputs", []), struct_name), doc=doc, path=f"/{cls}/{path}",
        )
        camel = pascal(method)
        if view:
            item.query = _values(fn.get("inputs", []), struct_name, web_type, ENDPOINT_PARAMS)
            item.response_model = service_names.take(f"{camel}Response")
        else:
            item.body = _values(fn.get("inputs", []), struct_name, web_type, MODEL_ATTRIBUTES)
            if item.body or item.payable:
                item.request_model = service_names.take(f"{camel}Request")
        result.append(item)

    events = []
    event_entries = [e for e in abi if e.get("type") == "event"]
    counts: dict[str, int] = {}
    for entry in event_entries:
        counts[entry["name"]] = counts.get(entry["name"], 0) + 1
    for entry in event_entries:
        ev_signature = signature(entry)
        wanted = pascal(entry["name"]) if counts[entry["name"]] == 1 else pascal(snake(ev_signature))
        logged = [{"name": inp.get("name", ""), "type": "bytes32"} if inp.get("indexed") and _is_reference(inp)
                  else inp for inp in entry.get("inputs", [])]  # an indexed string/array/struct: its hash
        fields = _values(logged, struct_name, web_type, MODEL_ATTRIBUTES | {"log"})
        for value, inp in zip(fields, entry.get("inputs", [])):
            value.indexed = bool(inp.get("indexed"))
        ev_name = client_names.take(wanted)
        decls = [f"{abi_decl(inp)}{' indexed' if inp.get('indexed') else ''} {f.abi_name}"
                 for inp, f in zip(entry.get("inputs", []), fields)]
        events.append(Event(ev_name, entry["name"], ev_signature, service_names.take(f"{ev_name}Event"), fields,
                            _doc(userdoc, devdoc, "events", ev_signature), decls,
                            [f.name for f, inp in zip(fields, entry.get("inputs", []))
                             if inp.get("indexed") and _is_reference(inp)]))

    constructor = next((e for e in abi if e.get("type") == "constructor"), None) or {"inputs": []}
    ctor_inputs = _values(constructor.get("inputs", []), struct_name, web_type, RESERVED_PARAMS)
    return Contract(
        name=name, cls=cls, module=module, source=source, artifact=artifact, functions=result, events=events,
        structs=list(structs.values()), constructor=ctor_inputs,
        constructor_payable=constructor.get("stateMutability") == "payable",
        deployable=has_bytecode(artifact) and not is_library(artifact), aliases=dict(sorted(aliases.items())),
        model_structs=model_structs,
    )


def abi_decl(param: dict[str, Any]) -> str:
    """How a parameter's type reads in docs: ``uint256``, ``struct Shop.Item[]``, ``contract IERC20``."""
    internal = param.get("internalType") or ""
    if internal.startswith(("struct ", "enum ", "contract ")):
        return internal
    return canonical_type(param)


def _check_mappable(contract: str, abi: list[dict[str, Any]]) -> None:
    for entry in abi:
        if entry.get("type") not in ("function", "event", "constructor"):
            continue
        for kind in ("inputs", "outputs"):
            for i, param in enumerate(entry.get(kind, [])):
                bad = unmappable(param)
                if bad:
                    what = entry.get("name") or entry["type"]
                    label = param.get("name") or f"#{i + 1}"
                    raise UsageError(
                        f"{contract}.{what} ({signature(entry)}): {'output' if kind == 'outputs' else 'parameter'} "
                        f"{label} has ABI type {canonical_type(param)}, and {bad} has no Python mapping",
                        hint=f"Leave {contract} out (--contracts), or change the {entry['type']} to use integers "
                        "or bytes.",
                    )


def _is_reference(param: dict[str, Any]) -> bool:
    return param["type"] in ("string", "bytes", "tuple") or param["type"].endswith("]")


def _values(inputs: list[dict[str, Any]], struct_name: Callable[[dict[str, Any]], str],
            web_type: Callable[[dict[str, Any]], str], reserved: Iterable[str], fallback: str = "arg{}") -> list[Value]:
    return [Value(p["name"], p["abi_name"], p["type"], web_type(p["param"]), p["param"])
            for p in params(inputs, struct_name, reserved, fallback)]


def _doc(userdoc: dict[str, Any], devdoc: dict[str, Any], kind: str, key: str) -> str:
    notice = ((userdoc.get(kind) or {}).get(key) or {}).get("notice", "")
    details = ((devdoc.get(kind) or {}).get(key) or {}).get("details", "")
    text = " ".join(part.strip() for part in (notice, details) if part and part.strip())
    return " ".join(text.replace("\\", "\\\\").replace('"""', "'''").split())
