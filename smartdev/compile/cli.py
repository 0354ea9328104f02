"""`smartdev compile`, `smartdev compilers list|install|which`, `smartdev clean`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from smartdev.context import current

if TYPE_CHECKING:  # pragma: no cover
    from smartdev.compile.build import BuildResult
    from smartdev.context import Environment

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]

compile_app = typer.Typer(add_completion=False)


def _report(env: Environment, result: BuildResult, json_out: bool, failed: bool = False) -> None:
    if json_out:
        env.output.json({
            "nothing_to_do": result.nothing_to_do,
            "compiled": result.compiled,
            "unchanged": result.unchanged,
            "artifacts": [str(p) for p in result.artifacts],
            "removed": [str(p) for p in result.removed],
            "jobs": [{"solc": v, "sources": n} for v, n in result.jobs],
            "diagnostics": [d.__dict__ for d in result.diagnostics],
            "seconds": round(result.seconds, 3),
        })
        return
    for diag in result.diagnostics:
        env.output.stderr.write(diag.render() + "\n")
    if failed:  # the error line that follows says what went wrong
        return
    if result.nothing_to_do or not result.compiled:
        env.output.info(f"Nothing to compile: {result.unchanged} source(s) up to date ({result.seconds:.2f} s)")
        return
    versions = ", ".join(sorted({v for v, _ in result.jobs}))
    count = len(result.artifacts)
    env.output.success(
        f"Compiled {len(result.compiled)} source(s) into {count} artifact{'s' if count != 1 else ''} "
        f"with solc {versions} in {result.seconds:.2f} s"
        + (f" ({result.unchanged} unchanged)" if result.unchanged else "")
        + (f"; {len(result.warnings)} warning(s)" if result.warnings else "")
    )


@compile_app.command("compile")
def compile_(
    files: Annotated[Optional[list[Path]], typer.Argument(help="Sources to compile (default: everything under the contracts folder).", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", "-f", help="Ignore the cache: recompile everything.")] = False,
    watch: Annotated[bool, typer.Option("--watch", "-w", help="Recompile on every save, with a warm compiler.")] = False,
    optimize: Annotated[Optional[bool], typer.Option("--optimize/--no-optimize", help="Enable the optimizer (default: config, else off).", show_default=False)] = None,
    runs: Annotated[Optional[int], typer.Option("--runs", min=1, help="Optimizer runs.")] = None,
    evm_version: Annotated[Optional[str], typer.Option("--evm-version", help="Target EVM (default: the compiler's own), e.g. paris, cancun.")] = None,
    via_ir: Annotated[Optional[bool], typer.Option("--via-ir/--no-via-ir", help="Compile through Yul IR.", show_default=False)] = None,
    solc: Annotated[Optional[str], typer.Option("--solc", help="Use this solc executable.")] = None,
    json_out: JsonOption = False,
) -> None:
    """Compile Solidity sources: only what changed, offline first, artifacts in build/contracts."""
    env = current()
    overrides: dict[str, Any] = {"optimize": optimize, "runs": runs, "evm_version": evm_version,
                                 "via_ir": via_ir, "solc": solc}
    paths = [(env.cwd / f) for f in files] if files else None
    if watch:
        from smartdev.compile.watch import watch_and_build

        def report(result: BuildResult) -> None:
            from smartdev.errors import SmartdevError

            _report(env, result, json_out)
            try:
                _auto_gen(env, result)
            except SmartdevError as exc:  # say so and keep watching
                env.output.error(exc.one_line())

        watch_and_build(env, files=paths, overrides=overrides, report=report)
        return
    from smartdev.compile.build import BuildFailed, build

    try:
        result = build(env, files=paths, force=force, overrides=overrides, progress=env.output.info)
    except BuildFailed as failed:
        _report(env, failed.result, json_out, failed=True)
        raise
    _report(env, result, json_out)
    _auto_gen(env, result)


def _auto_gen(env: Environment, result: BuildResult) -> None:
    """With ``[gen] auto = true``: `smartdev gen` after a successful build."""
    from smartdev.gen.generate import after_build

    after_build(env, result)


compilers_app = typer.Typer(
    name="compilers", help="Solidity compilers: installed, install one, which one a range picks, stop daemons.",
    add_completion=False, no_args_is_help=True,
)


@compilers_app.command("list")
def compilers_list(
    known: Annotated[bool, typer.Option("--known", help="Also list released versions that are not installed.")] = False,
    json_out: JsonOption = False,
) -> None:
    """List installed compilers (native solc and solc-js), newest first."""
    from smartdev.compile.compilers import CompilerResolver

    env = current()
    resolver = CompilerResolver(env.environ, solc=env.config.compiler.solc)
    installed = resolver.installed()
    rows = [{"version": c.version, "kind": c.kind, "source": c.source, "path": str(c.path)} for c in installed]
    if json_out:
        data: dict[str, Any] = {"installed": rows}
        if known:
            data["known"] = resolver.known_versions()
        env.output.json(data)
        return
    if rows:
        env.output.table(["version", "kind", "found in", "path"],
                         [[r["version"], r["kind"], r["source"], r["path"]] for r in rows])
    else:
        env.output.info("no Solidity compiler installed yet; `smartdev compilers install 0.8.28` or just compile")
    if known:
        have = {r["version"] for r in rows}
        env.output.plain("released: " + " ".join(v + ("*" if v in have else "") for v in resolver.known_versions()))


@compilers_app.command("install")
def compilers_install(
    version: Annotated[str, typer.Argument(help="A version (0.8.28) or a range (0.8.x, ^0.7.0): the newest match.")],
) -> None:
    """Install a compiler: native solc when reachable, else solc-js from npm."""
    from smartdev.compile.compilers import CompilerResolver, newest_satisfying
    from smartdev.errors import NotFoundError

    env = current()
    resolver = CompilerResolver(env.environ)
    exact = newest_satisfying(resolver.known_versions(), [_as_range(version)])
    if exact is None:
        raise NotFoundError(f"no released solc version matches {version!r}",
                            hint="See `smartdev compilers list --known`.")
    with env.output.status(f"installing solc {exact}…"):
        compiler = resolver.install(exact)
    env.output.success(f"solc {compiler.version} ({compiler.kind}) installed at {compiler.path}")


@compilers_app.command("which")
def compilers_which(
    spec: Annotated[str, typer.Argument(help="A version or range: 0.8.x, ^0.8.0, >=0.6.0 <0.8.0, 0.8.28.")],
    json_out: JsonOption = False,
) -> None:
    """Show which installed compiler a version range would use."""
    from smartdev.compile.compilers import CompilerResolver
    from smartdev.errors import NotFoundError

    env = current()
    compiler = CompilerResolver(env.environ, solc=env.config.compiler.solc).which(spec)
    if compiler is None:
        raise NotFoundError(f"no installed compiler matches {spec!r}",
                            hint=f"Install one with `smartdev compilers install {spec}`.")
    if json_out:
        env.output.json({"version": compiler.version, "kind": compiler.kind, "source": compiler.source,
                         "path": str(compiler.path)})
        return
    env.output.plain(f"{compiler.version} {compiler.kind} {compiler.path}")


@compilers_app.command("stop")
def compilers_stop(json_out: JsonOption = False) -> None:
    """Stop the background solc-js daemons (each also stops by itself after 10 idle minutes)."""
    from smartdev.compile.compilers import stop_daemons

    env = current()
    pids = stop_daemons(env.environ)
    if json_out:
        env.output.json({"stopped": pids})
    elif pids:
        env.output.success(f"stopped {len(pids)} compiler daemon{'s' if len(pids) != 1 else ''}")
    else:
        env.output.info("stopped 0 compiler daemons: none was running")


def _as_range(text: str) -> str:
    from smartdev.compile.compilers import parse_pragma_spec
    from smartdev.errors import UsageError

    try:
        parse_pragma_spec(text)
    except ValueError as exc:
        raise UsageError(f"{text!r} is not a version or range: {exc}") from None
    return text


clean_app = typer.Typer(add_completion=False)


@clean_app.command("clean")
def clean() -> None:
    """Remove compiled output (artifacts, build-info, bindings, cache); deployments are kept."""
    import shutil

    env = current()
    build_dir = env.config.path("build")
    removed = []
    for name in ("contracts", "build-info", "bindings", ".cache"):
        target = build_dir / name
        if target.exists():
            shutil.rmtree(target)
            removed.append(name)
    if removed:
        env.output.success(f"removed {', '.join(removed)} from {build_dir}")
    else:
        env.output.info(f"nothing to clean in {build_dir}")
