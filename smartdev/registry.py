"""Plugin registry: every ``smartdev`` command comes from the ``smartdev.plugins``
entry-point group, built-in ones included.

An entry point is ``<command name> = "<module>:<object>"`` where the object is a
``typer.Typer`` app or a click command. Listing commands and ``--help`` must not
import plugins (a plugin may pull in web3, which costs over a second), and even
``importlib.metadata`` costs ~60 ms to import. So the entry-point table and each
command's one-line help are kept in an index file in the user cache, valid while
nothing on ``sys.path`` changes (installing or removing a package changes the
mtime of its site-packages directory) and each plugin module file is unchanged.
A stale or unreadable index is rebuilt; it never changes what runs.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import typer

from smartdev.errors import PluginError

GROUP = "smartdev.plugins"
BUILTIN_DIST = "smartdev"
INDEX_VERSION = 1


@dataclass
class PluginInfo:
    name: str  # the command name
    value: str  # "module:attr"
    dist: str | None  # the distribution that declares it
    version: str | None
    module_file: str | None = None
    module_mtime: int | None = None
    help: str | None = None  # one-line help, filled when first needed
    error: str | None = None  # why it failed to load, if it did

    @property
    def builtin(self) -> bool:
        return self.dist == BUILTIN_DIST

    @property
    def module(self) -> str:
        return self.value.partition(":")[0].strip()


def _mtime(path: str) -> int | None:
    try:
        return os.stat(path or ".").st_mtime_ns
    except OSError:
        return None


def _path_fingerprint() -> list[Any]:
    # sys.path[0] is the script's or the working directory, which differs between
    # `smartdev` and `python -m smartdev` and changes whenever a file is created
    # there; plugins are installed packages, so it is left out.
    return [sys.version, sys.prefix, [[p, _mtime(p)] for p in sys.path[1:]]]


def _find_module_file(module: str) -> str | None:
    """Locate a module's source file on sys.path without importing anything."""
    rel = module.replace(".", os.sep)
    for base in sys.path:
        for candidate in (rel + ".py", os.path.join(rel, "__init__.py")):
            path = os.path.join(base or ".", candidate)
            if os.path.isfile(path):
                return path
    return None


class Registry:
    """The installed plugins, read from the index or from package metadata."""

    def __init__(self, index_file: Path | None = None) -> None:
        if index_file is None:
            from smartdev.context import user_dir

            index_file = user_dir("cache") / f"plugins-index-py{sys.version_info[0]}{sys.version_info[1]}.json"
        self.index_file = index_file
        self.duplicates: list[str] = []
        self._plugins: dict[str, PluginInfo] | None = None
        self._dirty = False

    # -- the table ------------------------------------------------------
    @property
    def plugins(self) -> dict[str, PluginInfo]:
        if self._plugins is None:
            self._plugins = self._read_index()
            if self._plugins is None:
                self._plugins = self._scan()
                self._dirty = True
                self.save()
        return self._plugins

    def names(self) -> list[str]:
        return sorted(self.plugins)

    def _read_index(self) -> dict[str, PluginInfo] | None:
        try:
            data = json.loads(self.index_file.read_text(encoding="utf-8"))
            if data.get("version") != INDEX_VERSION or data.get("fingerprint") != _path_fingerprint():
                return None
            plugins = {p["name"]: PluginInfo(**p) for p in data["plugins"]}
            self.duplicates = list(data.get("duplicates", []))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        for info in plugins.values():
            if info.module_file is None:
                if _find_module_file(info.module) is not None:
                    return None  # a module that was missing is there now
            elif _mtime(info.module_file) != info.module_mtime:
                return None  # a plugin's code changed: its help may have too
        return plugins

    def _scan(self) -> dict[str, PluginInfo]:
        from importlib.metadata import distributions

        plugins: dict[str, PluginInfo] = {}
        self.duplicates = []
        seen_dists: set[str] = set()
        for dist in distributions():
            dist_name = dist.metadata["Name"]
            if dist_name is None or dist_name.lower() in seen_dists:
                continue  # the same distribution found twice on sys.path: first one wins
            seen_dists.add(dist_name.lower())
            for ep in dist.entry_points:
                if ep.group != GROUP:
                    continue
                info = PluginInfo(name=ep.name, value=ep.value, dist=dist_name, version=dist.version)
                info.module_file = _find_module_file(info.module)
                info.module_mtime = _mtime(info.module_file) if info.module_file else None
                other = plugins.get(ep.name)
                if other is not None:
                    keep, drop = (other, info) if other.builtin or not info.builtin else (info, other)
                    self.duplicates.append(
                        f"command '{ep.name}' is declared by both {keep.dist} and {drop.dist}; "
                        f"using {keep.dist}"
                    )
                    plugins[ep.name] = keep
                else:
                    plugins[ep.name] = info
        return plugins

    def save(self) -> None:
        """Write the index atomically (best effort: a read-only cache only costs speed)."""
        if not self._dirty or self._plugins is None:
            return
        data = {
            "version": INDEX_VERSION,
            "fingerprint": _path_fingerprint(),
            "plugins": [asdict(p) for p in self._plugins.values()],
            "duplicates": self.duplicates,
        }
        from smartdev.files import atomic_write_json

        try:
            atomic_write_json(self.index_file, data)
            self._dirty = False
        except OSError:
            pass

    # -- loading --------------------------------------------------------
    def load(self, name: str):
        """Import plugin ``name`` and return its click command (raises PluginError)."""
        info = self.plugins[name]
        try:
            command = _load_command(info)
        except PluginError as exc:
            self._record(info, help=None, error=exc.message)
            raise
        self._record(info, help=_short_help(command), error=None)
        return command

    def describe(self, name: str) -> PluginInfo:
        """The plugin's info with its help filled in (importing it if the index lacks it)."""
        info = self.plugins[name]
        if info.help is None and info.error is None:
            try:
                self.load(name)
            except PluginError:
                pass
        return info

    def _record(self, info: PluginInfo, *, help: str | None, error: str | None) -> None:
        if info.help != help or info.error != error:
            info.help, info.error = help, error
            self._dirty = True


def _short_help(command) -> str:
    text = command.short_help or command.help or ""
    text = text.strip().split("\n\n")[0]
    return " ".join(text.split())


def _load_command(info: PluginInfo):
    module_name, _, attr = info.value.partition(":")
    where = f"plugin '{info.name}' ({info.dist or 'unknown package'} {info.version or ''})".replace(" )", ")")
    try:
        obj: Any = importlib.import_module(module_name.strip())
        for part in attr.strip().split(".") if attr.strip() else []:
            obj = getattr(obj, part)
    except PluginError:
        raise
    except Exception as exc:  # a plugin's import can fail in any way; none may stop smartdev
        raise PluginError(
            f"{where} failed to load: {type(exc).__name__}: {exc}",
            hint=f"Entry point '{info.name} = {info.value}'. Reinstall or upgrade {info.dist or 'the plugin'}.",
        ) from exc
    command = _as_click_command(obj, info.name)
    if command is None:
        raise PluginError(
            f"{where}: entry point '{info.value}' is a {type(obj).__name__}, "
            "not a typer.Typer app or a click command",
        )
    command.name = info.name
    return command


def _as_click_command(obj: Any, name: str):
    from typer import _click

    if isinstance(obj, typer.Typer):
        return typer.main.get_command(obj)
    if isinstance(obj, _click.Command):
        return obj
    if hasattr(obj, "main") and hasattr(obj, "get_short_help_str"):
        return _wrap_foreign_click(obj, name)  # a command made with the click package
    return None


def _wrap_foreign_click(foreign: Any, name: str):
    """Wrap a command built with the ``click`` package (not typer's) so it runs under smartdev."""
    app = typer.Typer(add_completion=False)

    @app.command(
        name,
        help=foreign.help,
        short_help=foreign.get_short_help_str(),
        add_help_option=False,
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    )
    def run(ctx: typer.Context) -> None:
        prog = f"{ctx.find_root().info_name} {name}"
        code = foreign.main(list(ctx.args), prog_name=prog, standalone_mode=False)
        if isinstance(code, int) and code:
            raise typer.Exit(code)

    return typer.main.get_command(app)


_registry: Registry | None = None


def get_registry() -> Registry:
    global _registry
    if _registry is None:
        _registry = Registry()
    return _registry


def reset_registry(index_file: Path | None = None) -> Registry:
    """Start from a fresh registry (tests; after installing a plugin in-process)."""
    global _registry
    _registry = Registry(index_file)
    return _registry


def plugin_names() -> list[str]:
    return get_registry().names()
