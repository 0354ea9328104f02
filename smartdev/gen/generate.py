"""`smartdev gen`: a typed client package (and a REST service with its tests) from the
compiled contracts in ``build/contracts``.

Layout, under ``<out>/<package>/``::

    __init__.py                    (only when missing; yours afterwards)
    client/__init__.py             one class per contract
    client/<module>.py             the class, its struct dataclasses and event records
    client/abi/<Name>.json         ABI and bytecode, so the client works without build/
    service/__init__.py, app.py    (--service) create_app(): a FastAPI app
    service/<module>.py            the contract's endpoints and models

and ``<tests>/test_<package>_service.py`` with the service. Files are written by
:mod:`smartdev.gen.regen`'s rules: edited files are kept, a ``.new`` is written next to them.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smartdev.contracts.artifacts import list_artifacts
from smartdev.contracts.codegen import element, int_bits, snake
from smartdev.errors import NotFoundError, UsageError
from smartdev.gen import model
from smartdev.gen.config import Options
from smartdev.gen.regen import Report, Writer

if TYPE_CHECKING:  # pragma: no cover
    from smartdev.context import Environment

# Dev account 0 of every local chain: the address argument tests give constructors and endpoints.
TEST_ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
_RESERVED_MODULES = {"abi", "app", "web"}  # client/abi/, service/app.py, the runtime module
LINE = 110  # wrap generated calls and signatures longer than this


def generate(env: Environment, options: Options) -> Report:
    """Write (or refresh) the generated package for ``options``; the report says what changed."""
    from smartdev import __version__

    root = env.config.root
    contracts = _contracts(env, options.contracts)
    package_dir = options.out / options.package
    writer = Writer(root, __version__)
    build_rel = _rel(env.config.path("build") / "contracts", root)
    context = {"package": options.package, "contracts": contracts, "service": options.service}

    writer.write(package_dir / "__init__.py", _render("package_init.py.j2", context), source=build_rel,
                 create_only=True)
    client = package_dir / "client"
    for c in contracts:
        source = _rel(Path(c.source), root)
        writer.write(client / f"{c.module}.py", _render("client_contract.py.j2", {**context, **_client_context(c)}),
                     source=source)
        writer.write(client / c.abi_file, c.embedded_json(), source=source)
    writer.write(client / "__init__.py", _render("client_init.py.j2", context), source=build_rel)

    service = package_dir / "service"
    tests_file = env.config.path("tests") / f"test_{options.package}_service.py"
    served = [c for c in contracts if c.deployable]
    if options.service and not served:
        writer.report.warnings.append("no service: none of the contracts can be deployed (interfaces, "
                                      "abstract contracts and libraries are left out of the service)")
    elif options.service:
        service_context = {**context, "contracts": served,
                           "routers": sorted(f"{c.module}.router" for c in served)}
        for c in served:
            writer.write(service / f"{c.module}.py",
                         _render("service_contract.py.j2", {**service_context, **_service_context(c)}),
                         source=_rel(Path(c.source), root))
        writer.write(service / "__init__.py", _render("service_init.py.j2", service_context), source=build_rel)
        writer.write(service / "app.py", _render("service_app.py.j2", service_context), source=build_rel)
        writer.write(tests_file, _render("test_service.py.j2", {**service_context, **_test_context(
            served, tests_file.parent, options.out)}), source=build_rel)

    stale = [*client.glob("*.py"), *client.glob("abi/*.json"), *service.glob("*.py"), tests_file]
    writer.remove_stale([p for p in stale if p.is_file()])
    return writer.report


def after_build(env: Environment, result: Any) -> Report | None:
    """What `smartdev compile` and `smartdev test` run after a build (a BuildResult): with
    ``[gen] auto = true`` and no compile errors, :func:`auto`."""
    from smartdev.gen.config import GenConfig

    if result.errors or not env.config.section("gen", GenConfig).auto:
        return None
    return auto(env, changed=not result.nothing_to_do and bool(result.compiled or result.removed))


def auto(env: Environment, *, changed: bool) -> Report | None:
    """The run ``[gen] auto = true`` asks for after `smartdev compile`: when the build changed
    something, or when the package has not been generated yet."""
    from smartdev.gen.cli import show
    from smartdev.gen.config import resolve
    from smartdev.errors import SmartdevError

    options = resolve(env)
    if not changed and (options.out / options.package / "client" / "__init__.py").is_file():
        return None
    try:
        report = generate(env, options)
    except SmartdevError as exc:
        exc.message = f"compiled, but generating the code ([gen] auto = true) failed: {exc.message}"
        raise
    show(env, report, options.package)
    return report


# -- which contracts --------------------------------------------------------------------
def _contracts(env: Environment, names: list[str] | None) -> list[model.Contract]:
    build_dir = env.config.path("build")
    paths = list_artifacts(build_dir)
    if not paths:
        raise NotFoundError(f"no compiled contracts in {_rel(build_dir / 'contracts', env.config.root)}",
                            hint="Run `smartdev compile` first.")
    artifacts = []
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UsageError(f"cannot read artifact {path}: {exc}", hint="Recompile with `smartdev compile --force`.") from None
        if isinstance(data, dict) and isinstance(data.get("abi"), list) and data.get("contractName"):
            artifacts.append((path, data))
    chosen = _select(env, artifacts, names)
    taken: set[str] = set(_RESERVED_MODULES)
    duplicated = _duplicates([data["contractName"] for _, data in chosen])
    result = []
    for path, data in chosen:
        name = data["contractName"]
        cls = name if name not in duplicated else _qualified(data)
        module = snake(cls)
        while module in taken or not module.isidentifier():
            module += "_"
        taken.add(module)
        result.append(model.build(data, cls=cls, module=module, source=str(path)))
    return result


def _select(env: Environment, artifacts: list[tuple[Path, dict]], names: list[str] | None) -> list[tuple[Path, dict]]:
    if names is None:
        own = env.config.paths.contracts.rstrip("/") + "/"
        chosen = [(p, d) for p, d in artifacts
                  if model.has_bytecode(d) and not model.is_library(d) and str(d.get("sourceName", own)).startswith(own)]
        if not chosen:
            known = ", ".join(sorted({d["contractName"] for _, d in artifacts}))
            raise NotFoundError("no deployable contract of the project is compiled (interfaces, abstract contracts, "
                                f"libraries and dependencies are left out by default; compiled: {known})",
                                hint="Name the contracts to generate with --contracts or [gen] contracts.")
        return chosen
    chosen = []
    for name in names:
        source, _, contract = name.rpartition(":")
        matches = [(p, d) for p, d in artifacts
                   if d["contractName"] == contract and (not source or d.get("sourceName") == source)]
        if not matches:
            import difflib

            known = sorted({d["contractName"] for _, d in artifacts})
            close = difflib.get_close_matches(contract, known, n=1)
            raise NotFoundError(f"no compiled contract '{name}' (compiled: {', '.join(known)})",
                                hint=(f"Did you mean '{close[0]}'? " if close else "")
                                + "Fix --contracts or [gen] contracts, or compile the contract first.")
        if len(matches) > 1:
            sources = ", ".join(f"{d.get('sourceName')}:{contract}" for _, d in matches)
            raise UsageError(f"'{name}' is ambiguous: {sources}", hint="Name it with its source, e.g. 'path/File.sol:Name'.")
        if matches[0] not in chosen:
            chosen.append(matches[0])
    return chosen


def _duplicates(names: list[str]) -> set[str]:
    return {n for n in names if names.count(n) > 1}


def _qualified(artifact: dict[str, Any]) -> str:
    """A class name for a contract whose name is used twice: its source path and name."""
    from smartdev.contracts.codegen import pascal

    return pascal(str(artifact.get("sourceName", "")).removesuffix(".sol")) + "_" + artifact["contractName"]


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


# -- rendering --------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(Path(__file__).parent / "templates")), undefined=StrictUndefined,
                      keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["abi_decl"] = model.abi_decl
    env.filters["decl"] = lambda value: f"{value.name}: {value.type}"
    env.filters["query_param"] = _query_param
    env.filters["prefix"] = lambda text, prefix: prefix + text
    env.filters["snake"] = snake
    env.filters["py"] = literal
    env.globals["call"] = call
    return env


def _render(template: str, context: dict[str, Any]) -> str:
    return _environment().get_template(template).render(**context)


def literal(value: Any) -> str:
    """A Python literal for a JSON-like value, strings in double quotes."""
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    return repr(value)


def call(indent: int, head: str, args: list[str], tail: str = "") -> str:
    """``head(arg, ...)tail`` on one line when it fits, else one argument a line (black's style)."""
    pad = " " * indent
    line = f"{pad}{head}({', '.join(args)}){tail}"
    if len(line) <= LINE or not args:
        return line
    inner = "".join(f"{pad}    {arg},\n" for arg in args)
    return f"{pad}{head}(\n{inner}{pad}){tail}"


def _client_context(c: model.Contract) -> dict[str, Any]:
    notice = (c.artifact.get("userdoc") or {}).get("notice", "") or (c.artifact.get("devdoc") or {}).get("title", "")
    sends = any(not f.view for f in c.functions)
    return {"c": c, "var": snake(c.cls), "doc": " ".join(str(notice).replace('"""', "'''").split()),
            "exports": [c.cls, *(s.name for s in c.structs), *(e.name for e in c.events)],
            "typing": ["TYPE_CHECKING"] * (sends or c.deployable) + ["Any"] * c.deployable + ["ClassVar"],
            "runtime": ["ContractClient", "Event"] + ["TxResult"] * sends,
            "checking": ["from smartdev.accounts import Signer"] * (sends or c.deployable)
            + ["from smartdev.network import Connection"] * c.deployable}


def _service_context(c: model.Contract) -> dict[str, Any]:
    values = [v for s in c.structs for v in s.fields] + [v for e in c.events for v in e.fields]
    values += [v for f in c.functions for v in (*f.body, *f.outputs)]
    uses_field = any(v.alias or "Field(" in v.web for v in [*values, *(v for f in c.functions for v in f.query)])
    uses_field = uses_field or any(f.payable for f in c.functions)
    query = [v for f in c.functions for v in f.query]
    return {"c": c, "fastapi": ["APIRouter", "Depends"] + ["Query"] * bool(query),
            "pydantic": ["Field"] * uses_field + ["Json"] * any(v.query_json for v in query)}


def _query_param(value: model.Value) -> str:
    """An endpoint argument for a GET parameter: plain, repeated (arrays) or JSON."""
    alias = f'alias="{value.alias}"' if value.alias else ""
    if value.query_json:
        return f"{value.name}: Annotated[Json[{value.web}], Query({alias})]"
    if element(value.param) is not None:  # left out: an empty array
        return f"{value.name}: Annotated[{value.web}, Query({alias})] = []"
    return f"{value.name}: Annotated[{value.web}, Query({alias})]"


# -- generated tests --------------------------------------------------------------------
def _test_context(contracts: list[model.Contract], tests_dir: Path, out: Path) -> dict[str, Any]:
    deploy = {c.cls: [literal(_default(p.param)) for p in c.constructor] for c in contracts}
    views = {c.cls: [f.path for f in c.views if not f.inputs] for c in contracts}
    paths = sorted({f.path for c in contracts for f in c.functions}
                   | {f"/{c.cls}/events/{e.name}" for c in contracts for e in c.events})
    bad = [b for c in contracts if (b := _bad_request(c)) is not None]
    return {"deploy": deploy, "views": views, "paths": paths, "bad_requests": bad,
            "out_rel": os.path.relpath(out, tests_dir)}


def _default(param: dict[str, Any]) -> Any:
    """A valid JSON value of ``param``'s type (which the client accepts too)."""
    inner = element(param)
    if inner is not None:
        return [] if inner[1] is None else [_default(inner[0]) for _ in range(inner[1])]
    abi_type = param["type"]
    if abi_type == "tuple":
        return {c.get("name") or f"arg{i}": _default(c) for i, c in enumerate(param.get("components", []))}
    bits = int_bits(abi_type)
    if bits is not None:
        return min(1000, (1 << (bits[0] - 1)) - 1 if bits[1] else (1 << bits[0]) - 1)
    if abi_type == "address":
        return TEST_ADDRESS
    if abi_type == "bool":
        return True
    if abi_type == "string":
        return "test"
    return "0x" + "00" * int(abi_type[5:] or 0)  # bytes (empty) and bytesN (zeros)


_BAD = {"address": "0xnot-an-address", "bool": "maybe", "int": "twelve", "bytes": "0xzz"}


def _bad_value(param: dict[str, Any]) -> str | None:
    if element(param) is not None or param["type"] in ("tuple", "string"):
        return None
    if int_bits(param["type"]):
        return _BAD["int"]
    return _BAD.get(param["type"], _BAD["bytes"])


def _bad_request(c: model.Contract) -> dict[str, Any] | None:
    """One request with a malformed argument (the others valid), for a 422 test."""
    for fn in c.functions:
        values = fn.query if fn.view else fn.body
        for index, value in enumerate(values):
            bad = _bad_value(value.param)
            if bad is None:
                continue
            if fn.view:
                params = {v.abi_name: _query_text(v, _default(v.param)) for v in values if not _is_empty_list(v)}
                params[value.abi_name] = bad
                return {"method": "GET", "path": fn.path, "payload": params, "field": value.abi_name}
            body = {v.abi_name: _default(v.param) for v in values}
            body[value.abi_name] = bad
            return {"method": "POST", "path": fn.path, "payload": body, "field": value.abi_name}
    return None


def _is_empty_list(value: model.Value) -> bool:
    return not value.query_json and element(value.param) is not None


def _query_text(value: model.Value, default: Any) -> str:
    if value.query_json:
        return json.dumps(default)
    return str(default).lower() if isinstance(default, bool) else str(default)

