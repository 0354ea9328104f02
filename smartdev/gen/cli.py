"""`smartdev gen`: a typed Python client (and a REST service) generated from the compiled contracts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from smartdev.context import current

if TYPE_CHECKING:  # pragma: no cover
    from smartdev.context import Environment
    from smartdev.gen.regen import Report

app = typer.Typer(add_completion=False)


@app.command("gen")
def gen(
    contracts: Annotated[Optional[str], typer.Option("--contracts", "-c", help="Comma-separated contract names (default: \\[gen] contracts, else every deployable contract of the project).", show_default=False)] = None,
    service: Annotated[Optional[bool], typer.Option("--service/--no-service", help="Also a FastAPI REST service and its tests (default: \\[gen] service, else no).", show_default=False)] = None,
    package: Annotated[Optional[str], typer.Option("--package", "-p", help="Package name (default: \\[gen] package, else the project folder's name).", show_default=False)] = None,
    out: Annotated[Optional[str], typer.Option("--out", "-o", help="Folder the package goes in (default: \\[gen] out, else the project root).", show_default=False)] = None,
    save: Annotated[bool, typer.Option("--save/--no-save", help="Save the options given into \\[gen] of smartdev.toml, so that a plain `smartdev gen` repeats them.")] = True,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Generate a typed client package (and --service: a REST service with tests) from build/contracts."""
    from smartdev.gen import config
    from smartdev.gen.generate import generate

    env = current()
    names = config.split_names(contracts) if contracts is not None else None
    options = config.resolve(env, package=package, contracts=names, service=service, out=out)
    report = generate(env, options)
    saved = config.save(env, {"package": package, "contracts": names, "service": service, "out": out}) if save else []
    show(env, report, options.package, json_out=json_out, saved=saved)


def show(env: Environment, report: Report, package: str, *, json_out: bool = False, saved: list[str] | None = None) -> None:
    """Print what a run did (also used by `smartdev compile` with [gen] auto = true)."""
    for warning in report.warnings:
        env.output.warn(warning)
    if json_out:
        env.output.json({"package": package, "written": report.written, "unchanged": report.unchanged,
                         "removed": report.removed, "kept": report.kept, "conflicts": report.conflicts,
                         "skipped": report.foreign, "saved": saved or []})
        return
    parts = [f"{len(report.written)} written", f"{len(report.unchanged)} unchanged"]
    if report.removed:
        parts.append(f"{len(report.removed)} removed")
    if report.conflicts:
        parts.append(f"{len(report.conflicts)} edited (see the .new files)")
    if report.kept:
        parts.append(f"{len(report.kept)} edited and kept")
    env.output.success(f"Generated {package}: " + ", ".join(parts))
    if saved:
        env.output.info(f"saved {', '.join(saved)} in [gen] of {env.config.file.name if env.config.file else 'the config'}")
