"""The environment a command runs in: working directory, environment variables,
output streams, global flags, and the project configuration (loaded lazily).

Commands get it with :func:`current`; tests build their own and pass it to
``smartdev.cli.main(args, env=...)``, so nothing depends on process globals.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from smartdev.console import Output

if TYPE_CHECKING:  # pragma: no cover
    from smartdev.config import Config


def _default_environ() -> Mapping[str, str]:
    return os.environ


@dataclass
class Environment:
    cwd: Path = field(default_factory=Path.cwd)
    environ: Mapping[str, str] = field(default_factory=_default_environ)
    output: Output = field(default_factory=Output)
    debug: bool = False
    config_file: Path | None = None  # --config / SMARTDEV_CONFIG; else found by walking up
    _config: Config | None = field(default=None, repr=False)

    @property
    def config(self) -> Config:
        """The project configuration, loaded and validated on first use."""
        if self._config is None:
            from smartdev.config import load_config

            self._config = load_config(
                cwd=self.cwd, environ=self.environ, config_file=self.config_file
            )
            for warning in self._config.warnings:
                self.output.warn(warning)
        return self._config

    def user_dir(self, kind: str) -> Path:
        """smartdev's per-user directory: ``cache`` (downloads, compilers, plugin index)
        or ``data`` (keys, long-lived state). ``SMARTDEV_CACHE_DIR`` / ``SMARTDEV_DATA_DIR``
        override; otherwise the XDG locations."""
        return user_dir(kind, self.environ)


def user_dir(kind: str, environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    if kind == "cache":
        explicit, xdg, fallback = "SMARTDEV_CACHE_DIR", "XDG_CACHE_HOME", ".cache"
    elif kind == "data":
        explicit, xdg, fallback = "SMARTDEV_DATA_DIR", "XDG_DATA_HOME", ".local/share"
    else:  # pragma: no cover - programming error
        raise ValueError(kind)
    if environ.get(explicit):
        return Path(environ[explicit]).expanduser()
    base = environ.get(xdg) or str(Path(environ.get("HOME") or Path.home()) / fallback)
    return Path(base).expanduser() / "smartdev"


_fallback: Environment | None = None


def current() -> Environment:
    """The Environment of the running command (set by the root CLI group)."""
    from typer._click.globals import get_current_context

    ctx = get_current_context(silent=True)
    if ctx is not None:
        root = ctx.find_root()
        if isinstance(root.obj, Environment):
            return root.obj
    global _fallback
    if _fallback is None:
        _fallback = Environment()
    return _fallback
