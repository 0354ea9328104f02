"""`smartdev lib list|show|add|manifest`: the bundled Solidity contract library."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from smartdev.context import current

app = typer.Typer(
    name="lib",
    help="The tested Solidity contract library: list, show, add.",
    add_completion=False,
    no_args_is_help=True,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _library() -> Path:
    # Through the module attribute, looked up at run time (tests point it elsewhere).
    import smartdev.resources

    return smartdev.resources.contract_library_dir()


@app.command("list")
def list_(
    category: Annotated[Optional[str], typer.Option("--category", "-c", help="Only this category.", show_default=False)] = None,
    json_out: JsonOption = False,
) -> None:
    """List the library's entries: name, category, summary."""
    from smartdev.errors import UsageError
    from smartdev.lib.manifest import categories, load_manifest

    env = current()
    manifest = load_manifest(_library())
    entries = manifest["entries"]
    if category is not None:
        known = categories(manifest)
        if category not in known:
            raise UsageError(f"unknown category {category!r}", hint=f"Categories: {', '.join(known)}.")
        entries = [e for e in entries if e["category"] == category]
    if json_out:
        env.output.json(entries)
        return
    if not entries:
        env.output.info(f"no entries in category {category}" if category else "the contract library is empty")
        return
    env.output.table(["name", "category", "summary"], [[e["name"], e["category"], e["summary"]] for e in entries])


def _render_api(env: Any, api: list[dict[str, Any]]) -> None:
    for unit in api:
        env.output.plain(f"{unit['kind']} {unit['name']}" if unit["name"] else "file level")
        for title in ("functions", "events", "errors"):
            if unit[title]:
                env.output.plain(f"  {title}:")
                for item in unit[title]:
                    env.output.plain(f"    {item['text']}")
        if not any(unit[t] for t in ("functions", "events", "errors")):
            env.output.plain("  (no functions, events or errors)")


@app.command()
def show(
    name: Annotated[str, typer.Argument(help="An entry name, e.g. RecoverableAccount (see `smartdev lib list`).")],
    json_out: JsonOption = False,
) -> None:
    """Show an entry: its doc page, then its API (functions, events, errors), source and dependencies."""
    from smartdev.lib.manifest import closure, find, load_manifest, source_api

    env = current()
    library = _library()
    manifest = load_manifest(library)
    entry = find(manifest, name)
    source = library / entry["path"]
    api = source_api(source.read_text(encoding="utf-8"))
    doc_text = (library / entry["doc"]).read_text(encoding="utf-8") if entry["doc"] else None
    requires = [e["name"] for e in closure(manifest, entry["name"])[1:]]
    if json_out:
        env.output.json({**entry, "source": str(source), "doc_text": doc_text, "api": api, "requires": requires})
        return
    if doc_text is not None:
        env.output.plain(doc_text.rstrip("\n"))
    else:
        env.output.warn(f"{entry['name']} has no doc page ({Path(entry['path']).with_suffix('.md').as_posix()})")
        if entry["summary"]:
            env.output.plain(f"{entry['name']}: {entry['summary']}")
    env.output.plain("")
    env.output.plain(f"API of {entry['path']}:")
    _render_api(env, api)
    env.output.plain("")
    env.output.fields([
        ("source", source),
        ("import", f'import "@smartdev/{entry["path"]}";'),
        ("dependencies", ", ".join(entry["dependencies"]) or "none"),
        ("add it", f"smartdev lib add {entry['name']}"
         + (f"  (also copies {', '.join(requires)})" if requires else "")),
    ])


@app.command()
def add(
    name: Annotated[str, typer.Argument(help="An entry name (see `smartdev lib list`).")],
    to: Annotated[Optional[Path], typer.Option("--to", help="Destination folder (default: <contracts>/vendor/smartdev).", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", "-f", help="Overwrite copies that were changed.")] = False,
) -> None:
    """Copy an entry and its library dependencies into the project, imports made relative."""
    from smartdev.lib.manifest import add_entry, load_manifest

    env = current()
    library = _library()
    manifest = load_manifest(library)
    dest = env.cwd / to if to is not None else env.config.path("contracts") / "vendor" / "smartdev"
    result = add_entry(library, manifest, name, dest, force=force)
    for rel, path in result["external"]:
        env.output.warn(f"{rel} imports {path}, which is not in the library: the project must provide it")
    for path in result["written"]:
        overwritten = " (overwritten)" if path in result["conflicts"] else ""
        env.output.success(f"wrote {_shown(env, path)}{overwritten}")
    for path in result["unchanged"]:
        env.output.info(f"unchanged {_shown(env, path)}")
    total = len(result["written"]) + len(result["unchanged"])
    env.output.info(f"{total} file(s) in {_shown(env, dest)}: {len(result['written'])} written, "
                    f"{len(result['unchanged'])} already up to date")


def _shown(env: Any, path: Path) -> str:
    try:
        return Path(path).relative_to(env.cwd).as_posix()
    except ValueError:
        return str(path)


@app.command()
def manifest(
    check: Annotated[bool, typer.Option("--check", help="Only check that manifest.json is up to date; fail if not.")] = False,
) -> None:
    """Write the library's manifest.json from its sources (for library maintainers)."""
    from smartdev.errors import UsageError
    from smartdev.lib.manifest import (MANIFEST_NAME, build_manifest, diff_manifests, read_committed,
                                       write_manifest)

    env = current()
    library = _library()
    if check:
        differences = diff_manifests(read_committed(library), build_manifest(library))
        if differences:
            for line in differences:
                env.output.plain(line)
            raise UsageError(f"{library / MANIFEST_NAME} is stale: {len(differences)} difference(s)",
                             hint="Run `smartdev lib manifest` and commit the result.")
        env.output.success(f"{library / MANIFEST_NAME} is up to date")
        return
    path, changed = write_manifest(library)
    if changed:
        count = len(build_manifest(library)["entries"])
        env.output.success(f"wrote {path} ({count} entries)")
    else:
        env.output.info(f"{path} is already up to date")
