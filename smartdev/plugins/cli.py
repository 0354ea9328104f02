"""`smartdev plugins`: list every command plugin, its package, and whether it loads."""

from __future__ import annotations

from typing import Annotated

import typer

from smartdev.context import current

app = typer.Typer(add_completion=False)


@app.command("plugins")
def plugins(
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """List installed plugins: command, package, version, module, built-in or not, load status."""
    from smartdev.registry import get_registry

    env = current()
    registry = get_registry()
    rows = []
    for name in registry.names():
        info = registry.plugins[name]
        try:
            registry.load(name)
        except Exception:  # noqa: BLE001 - the error is recorded on info and shown
            pass
        rows.append(
            {
                "command": name,
                "package": info.dist,
                "version": info.version,
                "module": info.value,
                "kind": "built-in" if info.builtin else "third-party",
                "status": "ok" if info.error is None else "error",
                "error": info.error,
                "help": info.help,
            }
        )
    registry.save()
    if json_out:
        env.output.json(rows)
        return
    env.output.table(
        ["command", "package", "version", "module", "kind", "status"],
        [
            [r["command"], r["package"], r["version"], r["module"], r["kind"],
             "ok" if r["error"] is None else f"error: {r['error']}"]
            for r in rows
        ],
    )
    for note in registry.duplicates:
        env.output.warn(note)
