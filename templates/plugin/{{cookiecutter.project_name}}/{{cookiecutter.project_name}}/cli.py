"""`smartdev {{ cookiecutter.command }}`: a thin command line over {{ cookiecutter.project_name }}.sizes."""

from __future__ import annotations

from typing import Annotated

import typer

from smartdev.context import current

app = typer.Typer(add_completion=False)


@app.command("{{ cookiecutter.command }}")
def main(
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when a contract is over a limit.")] = False,
) -> None:
    """Code sizes of the compiled contracts against the EIP-170 / EIP-3860 limits."""
    from {{ cookiecutter.project_name }}.sizes import INITCODE_LIMIT, RUNTIME_LIMIT, SizesConfig, sizes

    env = current()
    config = env.config.section("{{ cookiecutter.command }}", SizesConfig)
    found = sizes(env.config.path("build"))
    rows = [{"contract": s.contract, "runtime": s.runtime, "initcode": s.initcode,
             "status": s.status(config.warn_at)} for s in found]
    if json_out:
        env.output.json(rows)
    else:
        env.output.table(["contract", f"runtime / {RUNTIME_LIMIT}", f"initcode / {INITCODE_LIMIT}", "status"],
                         [[r["contract"], r["runtime"], r["initcode"], r["status"]] for r in rows])
    if strict and any(r["status"] == "too big" for r in rows):
        raise typer.Exit(1)
