"""The build: sources → compiler jobs → artifacts, incrementally.

1. Find the sources (the contracts folder, or the files named) and follow their
   imports (``sources.collect``).
2. Pick a solc version per source from the pragmas of the source and all it
   imports (newest installed that satisfies them, else install the newest
   known one); group sources into one standard-JSON job per version.
3. Decide what is dirty: a source is rebuilt when its content, anything it
   imports (transitively), its compiler version or any setting changed, or
   one of its artifacts is missing. The compiler still sees every source a
   dirty one needs, but is asked for output only for the dirty ones: code
   generation for unchanged contracts is most of a compile's cost.
4. Run the jobs (large ones split in two so both cores work), report
   diagnostics like a compiler, and write artifacts, build-info, bindings and
   the cache, each atomically. Nothing is written for a job that failed.

A no-op build is decided from file stats alone (no reading, no hashing) so
``smartdev compile`` with nothing to do returns at once.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from smartdev.errors import CompileError, NotFoundError
from smartdev.files import atomic_write_json

if TYPE_CHECKING:  # pragma: no cover
    from smartdev.compile.compilers import Compiler, CompilerResolver
    from smartdev.compile.sources import SourceGraph
    from smartdev.config import CompilerConfig
    from smartdev.context import Environment

CACHE_FORMAT = 1
ARTIFACT_FORMAT = "smartdev-artifact-1"
CONTRACT_OUTPUTS = [
    "abi",
    "evm.bytecode.object",
    "evm.bytecode.sourceMap",
    "evm.bytecode.linkReferences",
    "evm.deployedBytecode.object",
    "evm.deployedBytecode.sourceMap",
    "evm.deployedBytecode.linkReferences",
    "evm.deployedBytecode.immutableReferences",
    "evm.methodIdentifiers",
    "metadata",
    "storageLayout",
    "devdoc",
    "userdoc",
]
SPLIT_THRESHOLD = 6  # dirty sources in one job above which it is split across cores


@dataclass
class Settings:
    """Compiler settings of a build (config merged with command-line flags)."""

    optimize: bool = False
    runs: int = 200
    evm_version: str | None = None
    via_ir: bool = False
    remappings: list[str] = field(default_factory=list)
    version: str | None = None
    solc: str | None = None
    ignore_warnings: set[str] = field(default_factory=set)
    bindings: bool = True

    @classmethod
    def from_config(cls, cfg: CompilerConfig, remappings: list[str], **overrides: Any) -> Settings:
        values = {
            "optimize": cfg.optimize, "runs": cfg.runs, "evm_version": cfg.evm_version,
            "via_ir": cfg.via_ir, "version": cfg.version, "solc": cfg.solc,
            "ignore_warnings": {str(code) for code in cfg.ignore_warnings}, "bindings": cfg.bindings,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(remappings=remappings, **values)

    def solc_settings(self) -> dict[str, Any]:
        """The standard-JSON ``settings`` (without outputSelection)."""
        settings: dict[str, Any] = {"optimizer": {"enabled": self.optimize, "runs": self.runs}}
        if self.evm_version:
            settings["evmVersion"] = self.evm_version
        if self.via_ir:
            settings["viaIR"] = True
        if self.remappings:
            settings["remappings"] = list(self.remappings)
        return settings

    def key(self) -> str:
        """Changes whenever the output could: compiler settings, version pin, solc path."""
        return _digest(json.dumps([self.solc_settings(), self.version, self.solc], sort_keys=True))


@dataclass
class Diagnostic:
    severity: str  # "error", "warning", "info"
    message: str
    code: str | None
    file: str | None = None
    line: int | None = None
    column: int | None = None
    source_line: str | None = None
    end_column: int | None = None

    def render(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}: " if self.file and self.line else (
            f"{self.file}: " if self.file else "")
        code = f" [{self.code}]" if self.code else ""
        text = f"{where}{self.severity}{code}: {self.message}"
        if self.source_line is not None and self.column:
            width = max(1, (self.end_column or self.column + 1) - self.column)
            text += f"\n    {self.source_line.rstrip()}\n    {' ' * (self.column - 1)}{'^' * width}"
        return text


@dataclass
class Job:
    compiler: Compiler
    units: list[str]  # units whose output is wanted
    sources: list[str]  # units given to the compiler (the closure of ``units``)


@dataclass
class BuildResult:
    compiled: list[str] = field(default_factory=list)  # units whose artifacts were rebuilt
    unchanged: int = 0
    artifacts: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    jobs: list[tuple[str, int]] = field(default_factory=list)  # (version, number of units)
    seconds: float = 0.0
    nothing_to_do: bool = False

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]


def _digest(text: str | bytes) -> str:
    data = text.encode() if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


# -- the cache --------------------------------------------------------------
class BuildCache:
    """``build/.cache/compile.json``: what was built from what. Corrupt → empty."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # The cache names files by absolute path: one copied along with its project (cp -r)
        # describes the original, so it is ignored, never acted on (it would move the
        # original's artifacts).
        build_dir = str(path.parent.parent.resolve())
        self.data: dict[str, Any] = {"format": CACHE_FORMAT, "build_dir": build_dir, "units": {}, "files": {},
                                     "entries": [], "settings": None}
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict) and loaded.get("format") == CACHE_FORMAT and isinstance(loaded.get("units"), dict) \
                    and loaded.get("build_dir") == build_dir:
                self.data = loaded
        except (OSError, ValueError):
            pass

    @property
    def units(self) -> dict[str, dict[str, Any]]:
        return self.data["units"]

    def unchanged(self, entries: list[str], settings_key: str) -> bool:
        """True when nothing can have changed: same entries and settings, same file stats,
        every artifact present. Decided without reading any source."""
        if self.data.get("entries") != entries or self.data.get("settings") != settings_key:
            return False
        from smartdev.compile.sources import fingerprint

        files = self.data.get("files", {})
        if not files:
            return False
        current = fingerprint([Path(p) for p in files])
        if any(tuple(current.get(p) or ()) != tuple(v) for p, v in files.items()):
            return False
        return all(os.path.exists(a) for u in self.units.values() for a in u.get("artifacts", []))

    def save(self) -> None:
        atomic_write_json(self.path, self.data, compact=True)


# -- version selection ------------------------------------------------------
def choose_versions(graph: SourceGraph, units: list[str], resolver: CompilerResolver,
                    settings: Settings) -> dict[str, Compiler]:
    """A compiler for each unit, from its own and its imports' pragmas."""
    from smartdev.compile.compilers import satisfies

    chosen: dict[str, Compiler] = {}
    by_specs: dict[tuple[str, ...], Compiler] = {}
    for unit in units:
        pragmas = graph.pragmas_of(unit)
        specs = tuple(sorted({p for ps in pragmas.values() for p in ps}))
        if specs in by_specs:
            chosen[unit] = by_specs[specs]
            continue
        if settings.version:
            if not satisfies(settings.version, list(specs)):
                bad = [f"{u} ({' '.join(ps)})" for u, ps in pragmas.items() if ps and not satisfies(settings.version, ps)]
                raise CompileError(
                    f"the pinned compiler version {settings.version} does not satisfy the pragma of {', '.join(bad)}",
                    hint="Change [compiler] version in the config, or the pragma.",
                )
            compiler = resolver.resolve([f"={settings.version}"])
        else:
            _check_conflicts(pragmas, resolver)
            compiler = resolver.resolve(list(specs))
        by_specs[specs] = compiler
        chosen[unit] = compiler
    return chosen


def _check_conflicts(pragmas: dict[str, list[str]], resolver: CompilerResolver) -> None:
    """Name the files whose pragmas no released version satisfies together."""
    from smartdev.compile.compilers import newest_satisfying

    known = resolver.known_versions()
    specs = [p for ps in pragmas.values() for p in ps]
    if newest_satisfying(known, specs) is not None:
        return
    files = [(u, ps) for u, ps in pragmas.items() if ps]
    for u in files:
        if newest_satisfying(known, u[1]) is None:
            raise CompileError(f"no released solc version satisfies `pragma solidity {' '.join(u[1])}` in {u[0]}")
    for i, (a, pa) in enumerate(files):
        for b, pb in files[i + 1:]:
            if newest_satisfying(known, pa + pb) is None:
                raise CompileError(
                    f"conflicting pragmas: {a} needs {' '.join(pa)} but {b} (imported with it) needs {' '.join(pb)}",
                    hint="No single solc version satisfies both; align the pragmas.",
                )
    listing = "; ".join(f"{u}: {' '.join(ps)}" for u, ps in files)
    raise CompileError(f"no single solc version satisfies all these pragmas: {listing}")


# -- diagnostics ------------------------------------------------------------
def _diagnostics(output: dict[str, Any], graph: SourceGraph, settings: Settings) -> list[Diagnostic]:
    found = []
    for err in output.get("errors", []):
        severity = err.get("severity", "error")
        code = str(err["errorCode"]) if err.get("errorCode") is not None else None
        if severity == "warning" and code in settings.ignore_warnings:
            continue
        diag = Diagnostic(severity=severity, message=err.get("message", "").strip(), code=code)
        loc = err.get("sourceLocation") or {}
        unit = loc.get("file")
        if unit:
            diag.file = unit
            src = graph.sources.get(unit)
            if src is not None and isinstance(loc.get("start"), int) and loc["start"] >= 0:
                data = src.content.encode("utf-8")
                before = data[: loc["start"]].decode("utf-8", "replace")
                diag.line = before.count("\n") + 1
                line_start = before.rfind("\n") + 1
                diag.column = len(before) - line_start + 1
                lines = src.content.splitlines()
                diag.source_line = lines[diag.line - 1] if diag.line - 1 < len(lines) else ""
                end = loc.get("end", loc["start"] + 1)
                span = len(data[loc["start"]:end].decode("utf-8", "replace").split("\n")[0])
                diag.end_column = diag.column + max(1, span)
        found.append(diag)
    return found


# -- jobs -------------------------------------------------------------------
def _plan_jobs(graph: SourceGraph, dirty: list[str], versions: dict[str, Compiler], split: bool) -> list[Job]:
    groups: dict[tuple[str, str, str], list[str]] = {}
    for unit in dirty:
        c = versions[unit]
        groups.setdefault((c.version, c.kind, str(c.path)), []).append(unit)
    jobs = []
    for units in groups.values():
        compiler = versions[units[0]]
        parts = [units]
        if split and len(units) > SPLIT_THRESHOLD:
            # Balance by the size of what each unit's code generation covers.
            weighted = sorted(units, key=lambda u: -len(graph.sources[u].content))
            parts = [[], []]
            sizes = [0, 0]
            for unit in weighted:
                i = 0 if sizes[0] <= sizes[1] else 1
                parts[i].append(unit)
                sizes[i] += len(graph.sources[unit].content)
        for part in parts:
            needed: dict[str, None] = {}
            for unit in part:
                for dep in graph.closure(unit):
                    needed[dep] = None
            jobs.append(Job(compiler, sorted(part), list(needed)))
    return jobs


def _standard_input(graph: SourceGraph, job: Job, settings: Settings) -> dict[str, Any]:
    solc_settings = settings.solc_settings()
    solc_settings["outputSelection"] = {unit: {"*": CONTRACT_OUTPUTS, "": ["ast"]} for unit in job.units}
    return {
        "language": "Solidity",
        "sources": {unit: {"content": graph.sources[unit].content} for unit in sorted(job.sources)},
        "settings": solc_settings,
    }


# -- artifacts --------------------------------------------------------------
def _artifact(unit: str, name: str, contract: dict[str, Any], compiler: Compiler,
              settings: dict[str, Any], build_info: str) -> dict[str, Any]:
    evm = contract.get("evm", {})
    bytecode = evm.get("bytecode", {})
    deployed = evm.get("deployedBytecode", {})

    def hex0x(obj: str | None) -> str:
        return "0x" + (obj or "")

    return {
        "_format": ARTIFACT_FORMAT,
        "contractName": name,
        "sourceName": unit,
        "abi": contract.get("abi", []),
        "bytecode": hex0x(bytecode.get("object")),
        "deployedBytecode": hex0x(deployed.get("object")),
        "linkReferences": bytecode.get("linkReferences", {}),
        "deployedLinkReferences": deployed.get("linkReferences", {}),
        "sourceMap": bytecode.get("sourceMap", ""),
        "deployedSourceMap": deployed.get("sourceMap", ""),
        "immutableReferences": deployed.get("immutableReferences", {}),
        "methodIdentifiers": evm.get("methodIdentifiers", {}),
        "metadata": contract.get("metadata", ""),
        "storageLayout": contract.get("storageLayout", {}),
        "devdoc": contract.get("devdoc", {}),
        "userdoc": contract.get("userdoc", {}),
        "compiler": {"name": "solc", "version": compiler.version, "kind": compiler.kind},
        "settings": settings,
        "buildInfo": f"build-info/{build_info}.json",
    }


def artifact_paths(names_by_unit: dict[str, list[str]], artifacts_dir: Path) -> dict[tuple[str, str], Path]:
    """``<Name>.json`` for unique names; ``<source unit>/<Name>.json`` where a name repeats."""
    count: dict[str, int] = {}
    for names in names_by_unit.values():
        for name in names:
            count[name] = count.get(name, 0) + 1
    paths = {}
    for unit, names in names_by_unit.items():
        for name in names:
            rel = Path(f"{name}.json") if count[name] == 1 else Path(unit) / f"{name}.json"
            paths[(unit, name)] = artifacts_dir / rel
    return paths


# -- the build --------------------------------------------------------------
def build(
    env: Environment,
    *,
    files: list[Path] | None = None,
    force: bool = False,
    overrides: dict[str, Any] | None = None,
    resolver: CompilerResolver | None = None,
    runner: Callable[[Job, dict[str, Any]], dict[str, Any]] | None = None,
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Compile the project (or ``files``); return what was done. Raises CompileError on errors."""
    from smartdev.compile.sources import load_remappings, project_sources

    started = time.perf_counter()
    config = env.config
    root = config.root
    build_dir = config.path("build")
    contracts_dir = config.path("contracts")
    remappings = load_remappings(root, list(config.compiler.remappings))
    settings = Settings.from_config(config.compiler, remappings, **(overrides or {}))
    entries_paths = [p.resolve() for p in files] if files else project_sources(root, contracts_dir)
    if not entries_paths:
        raise NotFoundError(
            f"no Solidity sources in {contracts_dir}",
            hint="Put .sol files there, name files to compile, or set [paths] contracts in the config.",
        )
    for path in entries_paths:
        if not path.is_file():
            raise NotFoundError(f"{path} does not exist")
    entry_keys = sorted(str(p) for p in entries_paths)
    cache = BuildCache(build_dir / ".cache" / "compile.json")
    result = BuildResult()
    if not force and cache.unchanged(entry_keys, settings.key()):
        result.nothing_to_do = True
        result.unchanged = len(cache.units)
        result.seconds = time.perf_counter() - started
        return result

    from smartdev.compile.sources import collect
    from smartdev.resources import contract_library_dir

    if resolver is None:
        from smartdev.compile.compilers import CompilerResolver

        resolver = CompilerResolver(env.environ, solc=settings.solc)
    # Loading solc-js is most of a small compile: start the compiler used last
    # time (else the newest installed) now, while the sources are read and
    # versions chosen. If another one is chosen, this process is just closed.
    warm = _speculative_start(cache, resolver) if runner is None else None
    try:
        graph = collect(root, entries_paths, remappings=remappings, library_dir=contract_library_dir())
        return _build_graph(env, cache, graph, settings, resolver, warm, force=force, files=files,
                            entry_keys=entry_keys, runner=runner, progress=progress, started=started)
    finally:
        if warm is not None:
            warm[1].close()


def _speculative_start(cache: BuildCache, resolver: CompilerResolver):
    """(compiler, started process) for the likeliest compiler, or None."""
    installed = resolver.installed()
    last = cache.data.get("last_compiler")
    guess = next((c for c in installed if [c.version, str(c.path)] == last), None)
    if guess is None and installed:
        guess = installed[0]  # the newest, the most common choice
    # daemon=True: a solc-js daemon that a previous build left running skips the load entirely.
    return (guess, guess.start(daemon=True)) if guess is not None else None


def _build_graph(env: Environment, cache: BuildCache, graph: SourceGraph, settings: Settings,
                 resolver: CompilerResolver, warm, *, force: bool, files: list[Path] | None,
                 entry_keys: list[str], runner, progress, started: float) -> BuildResult:
    from smartdev.compile.sources import fingerprint

    config = env.config
    build_dir = config.path("build")
    result = BuildResult()
    # Artifacts for everything the project compiles: its sources and what they import.
    units = sorted(graph.sources)
    # Stats taken now, before compiling: an edit made while the compiler runs
    # must make the next build a real one (this matters in --watch).
    stats = fingerprint([graph.sources[u].path for u in units])
    versions = choose_versions(graph, units, resolver, settings)
    settings_key = settings.key()

    def unit_key(unit: str) -> str:
        parts = [graph.sources[u].sha256 + u for u in sorted(graph.closure(unit))]
        c = versions[unit]
        return _digest("|".join(parts) + f"|{c.version}|{c.kind}|{settings_key}")

    keys = {u: unit_key(u) for u in units}
    dirty = [u for u in units if force or _needs_build(cache.units.get(u), keys[u])]
    result.unchanged = len(units) - len(dirty)

    jobs = _plan_jobs(graph, dirty, versions, split=(os.cpu_count() or 1) > 1)
    inputs, outputs = _run_jobs(graph, jobs, settings, runner, progress, warm)
    if jobs:
        cache.data["last_compiler"] = [jobs[0].compiler.version, str(jobs[0].compiler.path)]

    # Diagnostics first: a failed job writes nothing.
    failed = set()
    seen: set[tuple] = set()
    for i, output in enumerate(outputs):
        for diag in _diagnostics(output, graph, settings):
            ident = (diag.severity, diag.code, diag.file, diag.line, diag.column, diag.message)
            if ident not in seen:  # split jobs report shared warnings twice
                seen.add(ident)
                result.diagnostics.append(diag)
            if diag.severity == "error":
                failed.add(i)

    solc_settings = settings.solc_settings()
    # A build of named files leaves the rest of the project's artifacts alone.
    partial = files is not None
    names_by_unit = {u: list(entry.get("contracts", [])) for u, entry in cache.units.items()
                     if partial or u in graph.sources}
    produced: dict[str, dict[str, Any]] = {}
    for i, (job, output) in enumerate(zip(jobs, outputs)):
        if i in failed:
            continue
        build_info_id = _digest(json.dumps(inputs[i], sort_keys=True))[:24]
        atomic_write_json(build_dir / "build-info" / f"{build_info_id}.json", {
            "_format": "smartdev-build-info-1", "id": build_info_id,
            "solcVersion": job.compiler.version, "compiler": job.compiler.kind,
            "input": inputs[i], "output": output,
        }, compact=True)
        for unit in job.units:
            contracts = output.get("contracts", {}).get(unit, {})
            names_by_unit[unit] = sorted(contracts)
            produced[unit] = {"job": job, "contracts": contracts, "build_info": build_info_id}
    artifacts_dir = build_dir / "contracts"
    paths = artifact_paths(names_by_unit, artifacts_dir)

    for unit, info in produced.items():
        for name, contract in info["contracts"].items():
            path = paths[(unit, name)]
            atomic_write_json(path, _artifact(unit, name, contract, info["job"].compiler, solc_settings,
                                              info["build_info"]), compact=True)
            result.artifacts.append(path)
        cache.units[unit] = {
            "key": keys[unit], "version": versions[unit].version, "contracts": names_by_unit[unit],
            "artifacts": [str(paths[(unit, n)]) for n in names_by_unit[unit]], "build_info": info["build_info"],
        }
        result.compiled.append(unit)
    # Unchanged units whose artifact path moved (a contract name became (un)ambiguous).
    for unit, names in names_by_unit.items():
        if unit in produced or unit not in cache.units:
            continue
        new_paths = [str(paths[(unit, n)]) for n in names]
        for old, new in zip(cache.units[unit].get("artifacts", []), new_paths):
            if old != new and Path(old).is_relative_to(artifacts_dir) and os.path.exists(old):
                Path(new).parent.mkdir(parents=True, exist_ok=True)
                os.replace(old, new)
        cache.units[unit]["artifacts"] = new_paths

    # Forget what no longer exists: deleted sources, renamed contracts.
    for unit in [u for u in cache.units if u not in names_by_unit]:
        del cache.units[unit]
    wanted = {str(p) for p in paths.values()}
    result.removed = _remove_stale(artifacts_dir, wanted)
    live_infos = {u["build_info"] for u in cache.units.values()}
    _remove_stale_build_info(build_dir / "build-info", live_infos)

    if settings.bindings:
        from smartdev.compile.bindings import sync_bindings

        sync_bindings(build_dir / "bindings", artifacts_dir, paths.values(),
                      {str(p) for p in result.artifacts})

    if not failed:
        cache.data.update({"entries": entry_keys, "settings": settings_key,
                           "files": {k: list(v) for k, v in stats.items()}})
    else:
        cache.data.update({"entries": [], "files": {}})  # never a no-op after a failure
    cache.save()
    result.jobs = [(job.compiler.version, len(job.units)) for job in jobs]
    result.seconds = time.perf_counter() - started
    if result.errors:
        raise BuildFailed(result)
    return result


def _run_jobs(graph: SourceGraph, jobs: list[Job], settings: Settings,
              runner: Callable[[Job, dict[str, Any]], dict[str, Any]] | None,
              progress: Callable[[str], None] | None, warm=None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run the jobs in parallel; return their standard-JSON inputs and outputs.

    Without a runner, each job's compiler process is started before its
    standard-JSON input is built, so loading the compiler (the bulk of a small
    compile) overlaps the rest of the work."""
    if not jobs:
        return [], []
    processes = []
    if runner is None:
        # A daemon answers one request at a time: the parts of a split job get their own
        # processes (the speculatively started daemon connection still takes one part).
        from collections import Counter

        per_compiler = Counter(job.compiler for job in jobs)
        for job in jobs:
            if warm is not None and warm[0] == job.compiler and warm[1] not in processes:
                processes.append(warm[1])  # the speculatively started one; closed by build()
            else:
                processes.append(job.compiler.start(daemon=per_compiler[job.compiler] == 1))
    try:
        inputs = [_standard_input(graph, job, settings) for job in jobs]
        if progress:
            versions = ", ".join(sorted({j.compiler.version for j in jobs}))
            progress(f"compiling {sum(len(j.units) for j in jobs)} source(s) with solc {versions}")

        def run(i: int) -> dict[str, Any]:
            return processes[i].compile(inputs[i]) if runner is None else runner(jobs[i], inputs[i])

        if len(jobs) == 1:
            return inputs, [run(0)]
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
            return inputs, list(pool.map(run, range(len(jobs))))
    finally:
        for process in processes:
            process.close()


def _needs_build(cached: dict[str, Any] | None, key: str) -> bool:
    if cached is None or cached.get("key") != key:
        return True
    return not all(os.path.exists(p) for p in cached.get("artifacts", []))


def _remove_stale(artifacts_dir: Path, wanted: set[str]) -> list[Path]:
    """Delete smartdev artifacts nobody wants any more, and the folders they leave empty."""
    removed = []
    if not artifacts_dir.is_dir():
        return removed
    for path in artifacts_dir.rglob("*.json"):
        if str(path) in wanted:
            continue
        try:
            if json.loads(path.read_text(encoding="utf-8")).get("_format") != ARTIFACT_FORMAT:
                continue  # not ours: leave it alone
        except (OSError, ValueError, AttributeError):
            continue
        path.unlink()
        removed.append(path)
    for directory in sorted((d for d in artifacts_dir.rglob("*") if d.is_dir()), key=lambda d: -len(d.parts)):
        try:
            directory.rmdir()  # only succeeds when empty
        except OSError:
            pass
    return removed


def _remove_stale_build_info(directory: Path, live: set[str]) -> None:
    if not directory.is_dir():
        return
    for path in directory.glob("*.json"):
        if path.stem not in live:
            path.unlink(missing_ok=True)


class BuildFailed(CompileError):
    """The compiler reported errors; ``result`` holds the diagnostics."""

    def __init__(self, result: BuildResult) -> None:
        count = len(result.errors)
        super().__init__(f"compilation failed with {count} error{'s' if count != 1 else ''}",
                         hint="Fix the errors above and run `smartdev compile` again.")
        self.result = result
