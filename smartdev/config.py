"""Project configuration: ``smartdev.toml`` or ``[tool.smartdev]`` in ``pyproject.toml``.

Found by walking up from the working directory (or given by ``--config`` /
``SMARTDEV_CONFIG``). Environment variables override the file:
``SMARTDEV_NETWORK`` sets the default network, and ``SMARTDEV_<SECTION>__<KEY>``
(double underscore between levels) sets any key, e.g.
``SMARTDEV_PATHS__BUILD=out`` or ``SMARTDEV_NETWORKS__LOCAL__URL=http://127.0.0.1:9545``.

Core sections are validated here; each plugin declares and validates its own
section with :meth:`Config.section`.
"""

from __future__ import annotations

import difflib
import tomllib
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Literal, Mapping, TypeVar
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from smartdev.errors import ConfigError

CONFIG_FILENAME = "smartdev.toml"
ENV_PREFIX = "SMARTDEV_"
# Environment variables with the prefix that are settings of their own, not config keys.
RESERVED_ENV = {
    "SMARTDEV_NETWORK",
    "SMARTDEV_CONFIG",
    "SMARTDEV_DEBUG",
    "SMARTDEV_PASSWORD",
    "SMARTDEV_CACHE_DIR",
    "SMARTDEV_DATA_DIR",
}
DEFAULT_NETWORK = "embedded"
DEFAULT_LOCAL_URL = "http://127.0.0.1:8545"

M = TypeVar("M", bound=BaseModel)


class Section(BaseModel):
    """Base for config sections: unknown keys are errors, so typos don't pass silently."""

    model_config = ConfigDict(extra="forbid", validate_default=True)


class PathsConfig(Section):
    contracts: str = "contracts"
    build: str = "build"
    tests: str = "tests"
    scripts: str = "scripts"


class CompilerConfig(Section):
    version: str | None = None  # pin one solc version for every source
    solc: str | None = None  # path to a solc executable to use
    optimize: bool = False
    runs: int = Field(200, ge=1)
    evm_version: str | None = None  # default: the compiler's own
    via_ir: bool = False
    remappings: list[str] = Field(default_factory=list)
    ignore_warnings: list[int | str] = Field(default_factory=list)  # solc error codes, e.g. 2072
    bindings: bool = True  # generate typed Python bindings in build/bindings


NetworkKind = Literal["embedded", "rpc", "anvil"]


class NetworkConfig(Section):
    kind: NetworkKind = "rpc"
    url: str | None = None
    chain_id: int | None = Field(None, ge=1)
    timeout: float = Field(10.0, gt=0, description="seconds to wait for each RPC answer")
    dev_accounts: bool | None = None  # default: on for embedded, anvil and `local`
    default_account: str | None = None
    # kind = "anvil": a node smartdev starts for the command and stops afterwards
    port: int | None = Field(None, ge=1, le=65535)
    state: str | None = None
    fork_url: str | None = None
    block_time: float | None = Field(None, gt=0)
    mnemonic: str | None = None

    @model_validator(mode="after")
    def _check_url(self) -> NetworkConfig:
        if self.url is not None:
            scheme = urlparse(self.url).scheme
            if scheme not in ("http", "https", "ws", "wss"):
                raise ValueError(
                    f"url {self.url!r} must start with http://, https://, ws:// or wss://"
                )
            if self.kind != "rpc":
                raise ValueError(f"url is only used with kind = \"rpc\", not {self.kind!r}")
        return self


class AccountConfig(Section):
    keystore: str
    password_env: str | None = None
    password_file: str | None = None


class CoreConfig(Section):
    """The core sections. Plugin sections are kept raw until their plugin asks."""

    model_config = ConfigDict(extra="allow", validate_default=True)

    default_network: str = DEFAULT_NETWORK
    paths: PathsConfig = Field(default_factory=PathsConfig)
    compiler: CompilerConfig = Field(default_factory=CompilerConfig)
    networks: dict[str, NetworkConfig] = Field(default_factory=dict)
    accounts: dict[str, AccountConfig] = Field(default_factory=dict)


CORE_SECTIONS = tuple(CoreConfig.model_fields)

BUILTIN_NETWORKS: dict[str, dict[str, Any]] = {
    "embedded": {"kind": "embedded"},
    # The node `smartdev chain start` runs; its URL comes from the node's state file.
    "local": {"kind": "rpc", "dev_accounts": True},
}


class Config:
    """The validated configuration of one project."""

    def __init__(
        self,
        *,
        root: Path,
        file: Path | None,
        raw: dict[str, Any],
        sources: dict[tuple[str, ...], str],
    ) -> None:
        self.root = root
        self.file = file
        self.raw = raw
        self._sources = sources  # key path -> env var that set it
        self.warnings: list[str] = []
        self._sections: dict[str, BaseModel] = {}
        self.core = self._validate(CoreConfig, raw, ())
        for name, net in self.core.networks.items():
            if net.kind == "rpc" and not net.url and name != "local":
                raise self._error(("networks", name, "url"), "an rpc network needs a url")

    # -- core values ----------------------------------------------------
    @property
    def default_network(self) -> str:
        return self.core.default_network

    @property
    def paths(self) -> PathsConfig:
        return self.core.paths

    @property
    def compiler(self) -> CompilerConfig:
        return self.core.compiler

    @property
    def accounts(self) -> dict[str, AccountConfig]:
        return self.core.accounts

    def path(self, name: str) -> Path:
        """An entry of [paths] as an absolute path under the project root."""
        return (self.root / getattr(self.paths, name)).resolve()

    @property
    def state_dir(self) -> Path:
        """Per-project state that is not build output (the local node lives here)."""
        return self.root / ".smartdev"

    def network_names(self) -> list[str]:
        names = list(BUILTIN_NETWORKS)
        names += [n for n in self.core.networks if n not in BUILTIN_NETWORKS]
        return names

    def network(self, name: str) -> NetworkConfig:
        """The configured network ``name``, built-ins merged with the file's overrides."""
        if name in self.core.networks:
            if name in BUILTIN_NETWORKS:
                merged = {**BUILTIN_NETWORKS[name]}
                merged.update(self.core.networks[name].model_dump(exclude_unset=True))
                return self._validate(NetworkConfig, merged, ("networks", name))
            return self.core.networks[name]
        if name in BUILTIN_NETWORKS:
            return NetworkConfig(**BUILTIN_NETWORKS[name])
        from smartdev.errors import NotFoundError

        known = self.network_names()
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"Did you mean '{close[0]}'? " if close else ""
        where = f" in {self.file}" if self.file else ""
        raise NotFoundError(
            f"unknown network '{name}' (known: {', '.join(known)})",
            hint=f"{hint}Add a [networks.{name}] table{where or ' to smartdev.toml'}, "
            "or pass an RPC URL as --network.",
        )

    # -- plugin sections ------------------------------------------------
    def section(self, name: str, model: type[M]) -> M:
        """The ``[name]`` section validated by the plugin's pydantic ``model``."""
        cached = self._sections.get(name)
        if cached is None:
            cached = self._validate(model, self.raw.get(name, {}), (name,))
            self._sections[name] = cached
        return cached  # type: ignore[return-value]

    # -- errors ---------------------------------------------------------
    def _where(self, key_path: tuple[str, ...]) -> str:
        for depth in range(len(key_path), 0, -1):
            env = self._sources.get(key_path[:depth])
            if env:
                return f"environment variable {env}"
        return str(self.file) if self.file else "configuration"

    def _error(self, key_path: tuple[str, ...], message: str, hint: str | None = None):
        return ConfigError(
            message,
            file=self._where(key_path),
            key=".".join(key_path) or None,
            hint=hint,
        )

    def _validate(self, model: type[M], data: Any, prefix: tuple[str, ...]) -> M:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise self._from_validation(model, exc, prefix) from None

    def _from_validation(
        self, model: type[BaseModel], exc: ValidationError, prefix: tuple[str, ...]
    ) -> ConfigError:
        errors = exc.errors()
        first = errors[0]
        loc = prefix + tuple(str(p) for p in first["loc"])
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        if first["type"] == "extra_forbidden":
            owner = _model_at(model, first["loc"][:-1])
            allowed = sorted(owner.model_fields) if owner else []
            close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
            hint = f"Did you mean '{close[0]}'?" if close else None
            expected = f"; expected one of: {', '.join(allowed)}" if allowed else ""
            return self._error(loc, f"unknown key{expected}{more}", hint)
        message = first["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        got = first.get("input")
        if first["type"] not in ("missing",) and not isinstance(got, (dict, list)):
            message += f" (got {got!r})"
        return self._error(loc, message + more)


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The pydantic model class that validates the table at ``loc`` (for key suggestions)."""
    import typing

    current: Any = model
    for part in loc:
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        else:
            args = [a for a in typing.get_args(current) if a is not type(None)]
            current = args[-1] if args else None
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    args = [a for a in typing.get_args(current) if a is not type(None)]
    for arg in args:
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


# -- finding and reading ------------------------------------------------
@contextmanager
def edit_config_file(file: Path) -> Iterator[tuple[Any, tuple[str, ...]]]:
    """Edit a project's config file keeping its comments and layout: yields the smartdev
    table (``[tool.smartdev]`` of a pyproject.toml) as a tomlkit container and its key
    path; when the block ends without an error and something changed, the file is
    written back atomically, with its mode kept."""
    import tomlkit

    from smartdev.files import atomic_write_text

    text = file.read_text(encoding="utf-8")
    doc = tomlkit.parse(text)
    table: Any = doc
    prefix: tuple[str, ...] = ()
    if file.name == "pyproject.toml":
        table = doc.setdefault("tool", tomlkit.table()).setdefault("smartdev", tomlkit.table())
        prefix = ("tool", "smartdev")
    yield table, prefix
    edited = tomlkit.dumps(doc)
    if edited != text:
        atomic_write_text(file, edited, mode=file.stat().st_mode & 0o777)


def find_config_file(start: Path) -> Path | None:
    """The nearest smartdev.toml, or pyproject.toml with [tool.smartdev], at or above ``start``."""
    for directory in (start, *start.parents):
        candidate = directory / CONFIG_FILENAME
        if candidate.is_file():
            return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _has_tool_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except OSError:
        return False
    if "tool.smartdev" not in text:  # cheap pre-check before parsing
        return False
    try:
        return "smartdev" in tomllib.loads(text).get("tool", {})
    except tomllib.TOMLDecodeError:
        return True  # let load_config report the syntax error with the file name


def read_config_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("file not found", file=path, hint="Check the --config path.") from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", file=path) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", file=path) from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("smartdev", {})
        if not isinstance(data, dict):
            raise ConfigError("[tool.smartdev] must be a table", file=path)
    return data


def _parse_env_value(text: str) -> Any:
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def apply_env_overrides(
    raw: dict[str, Any], environ: Mapping[str, str]
) -> dict[tuple[str, ...], str]:
    """Apply SMARTDEV_* variables to ``raw`` in place; return which keys they set."""
    sources: dict[tuple[str, ...], str] = {}
    if environ.get("SMARTDEV_NETWORK"):
        raw["default_network"] = environ["SMARTDEV_NETWORK"]
        sources[("default_network",)] = "SMARTDEV_NETWORK"
    for name, value in sorted(environ.items()):
        if not name.startswith(ENV_PREFIX) or name in RESERVED_ENV or "__" not in name:
            continue
        parts = tuple(p.lower() for p in name[len(ENV_PREFIX) :].split("__"))
        if not all(parts):
            raise ConfigError(f"malformed variable name {name}", hint="Use SMARTDEV_SECTION__KEY.")
        table = raw
        for i, part in enumerate(parts[:-1]):
            nxt = table.setdefault(part, {})
            if not isinstance(nxt, dict):
                raise ConfigError(
                    f"{name} sets a key inside '{'.'.join(parts[: i + 1])}', which is not a table"
                )
            table = nxt
        table[parts[-1]] = _parse_env_value(value)
        sources[parts] = name
    return sources


def load_config(
    *,
    cwd: Path,
    environ: Mapping[str, str],
    config_file: Path | None = None,
    known_sections: set[str] | None = None,
) -> Config:
    """Find, read, override and validate the configuration for a command run in ``cwd``."""
    explicit = config_file or (Path(environ["SMARTDEV_CONFIG"]) if environ.get("SMARTDEV_CONFIG") else None)
    if explicit is not None:
        file: Path | None = (cwd / explicit).resolve()
    else:
        file = find_config_file(cwd.resolve())
    raw = read_config_file(file) if file else {}
    root = file.parent if file else cwd.resolve()
    sources = apply_env_overrides(raw, environ)
    config = Config(root=root, file=file, raw=raw, sources=sources)
    if known_sections is None:
        from smartdev.registry import plugin_names

        known_sections = set(plugin_names())
    known = set(CORE_SECTIONS) | known_sections
    for key in raw:
        if key not in known:
            close = difflib.get_close_matches(key, sorted(known), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            config.warnings.append(
                f"{config._where((key,))}: unknown section or key '{key}'{hint}; "
                "it is not used by smartdev or any installed plugin"
            )
    return config
