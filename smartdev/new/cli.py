"""`smartdev new`: the command line over :mod:`smartdev.new.scaffold`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from smartdev.context import current

app = typer.Typer(add_completion=False)


@app.command("new")
def new(
    name: Annotated[Optional[str], typer.Argument(help="Project name: the folder and the Python package.", show_default=False)] = None,
    template: Annotated[str, typer.Option("--template", "-t", help="Template to start from (see --list-templates).")] = "basic",
    no_input: Annotated[bool, typer.Option("--no-input", help="Take every default (and --set values) without prompting.")] = False,
    settings: Annotated[Optional[list[str]], typer.Option("--set", help="A template variable, KEY=VALUE (repeatable).", show_default=False)] = None,
    from_contracts: Annotated[Optional[Path], typer.Option("--from-contracts", help="Build the project around the .sol files in this folder.", show_default=False)] = None,
    output_dir: Annotated[Optional[Path], typer.Option("--output-dir", "-o", help="Where to create the project folder (default: here).", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Add to an existing folder; files that differ are written as NAME.new, never overwritten.")] = False,
    list_templates: Annotated[bool, typer.Option("--list-templates", help="List the templates and exit.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Create a project from a template: contracts, tests, deploy script, config."""
    from smartdev.errors import UsageError
    from smartdev.new import scaffold

    env = current()
    if list_templates:
        found = scaffold.templates()
        if json_out:
            env.output.json([{"name": t.name, "description": t.description, "variables": t.variables} for t in found])
            return
        width = max(len(t.name) for t in found)
        for t in found:
            env.output.stdout.write(f"{t.name:<{width}}  {t.description}\n")
        return
    if name is None:
        raise UsageError("missing the project NAME", hint="For example: smartdev new myproj --template token")
    interactive = not no_input and sys.stdin is not None and sys.stdin.isatty()
    created = scaffold.create(env, name, template=template, output_dir=output_dir, no_input=not interactive,
                              settings=settings or [], force=force, from_contracts=from_contracts)
    if json_out:
        env.output.json({"path": str(created.path), "template": created.template, "files": created.files,
                         "kept": created.kept, "contracts": created.contracts})
        return
    for rel in created.kept:
        env.output.warn(f"kept your {rel}; the template's version is {rel}.new")
    where = created.path
    try:
        where = created.path.relative_to(Path.cwd())
    except ValueError:
        pass
    extra = f", around {len(created.contracts)} contract file(s)" if created.contracts else ""
    env.output.success(f"created {where} from template '{created.template}' ({len(created.files)} files{extra})")
    env.output.info(f"next: cd {where} && smartdev compile && smartdev test")
