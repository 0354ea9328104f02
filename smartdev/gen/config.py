"""The ``[gen]`` section of smartdev.toml, and the options of one `smartdev gen` run.

Options given on the command line are saved into ``[gen]`` (comments and layout of
the file kept), so that `smartdev gen` with no options, and the run ``auto = true``
starts after each successful `smartdev compile`, reproduce the last configuration.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field, field_validator

from smartdev.config import Section
from smartdev.errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    from smartdev.context import Environment


class GenConfig(Section):
    package: str | None = None  # default: the project folder's name as a Python identifier
    contracts: list[str] | None = None  # default: every compiled contract of the project with bytecode
    service: bool = False  # also a FastAPI service and its tests
    network: str | None = None  # the service's network; default: the project's default network
    out: str = "."  # where <package>/ goes, relative to the project root
    auto: bool = False  # run after every successful `smartdev compile`
    # For the generated service at run time:
    sender: str | None = None  # signs POSTs; default: the network's default account
    addresses: dict[str, str] = Field(default_factory=dict)  # contract -> address instead of deployments

    @field_validator("contracts", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        return split_names(value) if isinstance(value, str) else value


def split_names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


@dataclass
class Options:
    package: str
    contracts: list[str] | None
    service: bool
    out: Path


def identifier_for(name: str) -> str:
    """A valid Python package name made from ``name`` (a folder name, say)."""
    text = re.sub(r"\W+", "_", name.strip().lower()).strip("_") or "app"
    if text[0].isdigit():
        text = "_" + text
    return text + "_" if keyword.iskeyword(text) else text


def check_package(name: str) -> str:
    if not name.isidentifier() or keyword.iskeyword(name):
        raise UsageError(f"{name!r} is not a valid Python package name",
                         hint=f"Use an identifier such as {identifier_for(name)!r} (--package or [gen] package).")
    return name


def resolve(env: Environment, *, package: str | None = None, contracts: list[str] | None = None,
            service: bool | None = None, out: str | None = None) -> Options:
    """The options of this run: command line, then ``[gen]``, then the defaults."""
    cfg = env.config.section("gen", GenConfig)
    root = env.config.root
    name = check_package(package or cfg.package or identifier_for(root.resolve().name))
    options = Options(
        package=name,
        contracts=contracts if contracts is not None else cfg.contracts,
        service=cfg.service if service is None else service,
        out=(root / (out if out is not None else cfg.out)).resolve(),
    )
    for folder in ("contracts", "build", "tests", "scripts"):
        if options.out / name == env.config.path(folder):
            raise UsageError(f"the package {name!r} would go into the project's {folder} folder "
                             f"({env.config.path(folder)})", hint="Choose another --package or --out.")
    return options


def save(env: Environment, values: dict[str, Any]) -> list[str]:
    """Write ``values`` into ``[gen]`` of the project's config file (comments kept).

    Returns the keys that changed; nothing is written without a config file."""
    file = env.config.file
    cfg = env.config.section("gen", GenConfig)
    changed = {k: v for k, v in values.items() if v is not None and getattr(cfg, k) != v}
    if file is None or not changed:
        return []
    import tomlkit

    from smartdev.config import edit_config_file

    with edit_config_file(file) as (table, _):
        gen = table.setdefault("gen", tomlkit.table())
        for key, value in changed.items():
            gen[key] = value
    return sorted(changed)
