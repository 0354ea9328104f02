"""The key store: named, encrypted keys in one per-user directory.

Layout (directory 0700, every file 0600)::

    <keys dir>/<name>.json          Web3 Secret Storage v3 keystore (opens with geth, cast, eth-account)
    <keys dir>/<name>.meta.json     name, address, curve, created, source, derivation path, rotations
    <keys dir>/archive/…            keystores a rotation or recovery replaced; never deleted
    <keys dir>/journal/<name>.json  a rotation in progress (see smartdev.keys.rotate)
    <keys dir>/audit.log            one JSON line per key event: new, import, password, export, rotate, recover

The directory is ``[keys] dir`` from the config, else ``SMARTDEV_KEYS_DIR``, else
``<data dir>/keys`` (``SMARTDEV_DATA_DIR`` or the XDG data home). A name is created
only if it does not exist yet (exclusive writes): nothing here overwrites or
deletes a key by accident; replacing a key's file (``password``, ``rotate``) first
archives the old one.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import socket
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from smartdev.config import Section
from smartdev.errors import NotFoundError, UsageError
from smartdev.files import append_line, atomic_write_json

if TYPE_CHECKING:  # pragma: no cover
    from smartdev.context import Environment
    from smartdev.keys.curves import KeyPair

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
PASSWORD_ENV = "SMARTDEV_PASSWORD"


class RotateCall(Section):
    """One call the old key makes when it is rotated, e.g. handing over a role or a balance."""

    call: str  # Contract.function, as `smartdev send` takes it
    # Arguments as on the command line; {old} and {new} are the two addresses, {balance}
    # is the contract's balanceOf(old) when the call is signed (zero: the call is skipped).
    args: list[str] = Field(default_factory=list)
    at: str | None = None  # the contract's address, when it has no recorded deployment
    # Who sends it: the old key (default), or the new key after the sweep, e.g.
    # Ownable2Step.acceptOwnership.
    by: Literal["old", "new"] = "old"


class RotatePlan(Section):
    """``[keys.rotate.NAME]``: what `keys rotate NAME` moves from the old address to the new one."""

    calls: list[RotateCall] = Field(default_factory=list)
    sweep: bool = False  # finally send the old address's ether, less the fee, to the new address


class KeysConfig(Section):
    """``[keys]`` in smartdev.toml."""

    dir: str | None = None  # the key store directory
    kdf: str = Field("scrypt", pattern="^(scrypt|pbkdf2)$")  # for new keystores
    # scrypt n / pbkdf2 iterations for new keystores; default: geth's standard (n = 262144).
    # Lower only for throwaway keys (tests): it is what stands between a stolen file and the key.
    work_factor: int | None = Field(None, ge=2)
    registry: str | None = None  # RecoverableAccount address or deployment name used by rotate/recover
    rotate: dict[str, RotatePlan] = Field(default_factory=dict)  # per key name


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class KeyInfo:
    """What the store knows about a key without decrypting it."""

    name: str
    address: str
    curve: str
    created: str
    source: str
    path: str | None = None  # BIP44 derivation path, when derived from a mnemonic
    rotations: list[dict[str, Any]] = field(default_factory=list)
    file: Path | None = None

    def public(self) -> dict[str, Any]:
        return {"name": self.name, "address": self.address, "curve": self.curve, "created": self.created,
                "source": self.source, "path": self.path, "rotations": self.rotations,
                "file": str(self.file) if self.file else None}


def check_name(name: str) -> str:
    if not NAME_RE.match(name) or name.endswith(".meta"):
        raise UsageError(f"'{name}' is not a valid key name",
                         hint="Use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.")
    return name


class KeyStore:
    def __init__(self, root: Path, *, kdf: str = "scrypt", work_factor: int | None = None) -> None:
        self.root = Path(root)
        self.kdf = kdf  # for keystores this store writes
        self.work_factor = work_factor

    # -- locations ----------------------------------------------------------------
    @classmethod
    def for_env(cls, env: Environment) -> KeyStore:
        config = env.config.section("keys", KeysConfig)
        if config.dir:
            root = (env.config.root / config.dir).expanduser()
        elif env.environ.get("SMARTDEV_KEYS_DIR"):
            root = Path(env.environ["SMARTDEV_KEYS_DIR"]).expanduser()
        else:
            root = env.user_dir("data") / "keys"
        return cls(root, kdf=config.kdf, work_factor=config.work_factor)

    def keystore_path(self, name: str) -> Path:
        return self.root / f"{check_name(name)}.json"

    def meta_path(self, name: str) -> Path:
        return self.root / f"{check_name(name)}.meta.json"

    @property
    def archive_dir(self) -> Path:
        return self.root / "archive"

    @property
    def journal_dir(self) -> Path:
        return self.root / "journal"

    @property
    def audit_log(self) -> Path:
        return self.root / "audit.log"

    def _ensure_root(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o700)

    # -- reading --------------------------------------------------------------------
    def exists(self, name: str) -> bool:
        return self.keystore_path(name).exists()

    def names(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.name[: -len(".json")] for p in self.root.glob("*.json")
                      if not p.name.endswith(".meta.json") and NAME_RE.match(p.name[: -len(".json")]))

    def info(self, name: str) -> KeyInfo:
        path = self.keystore_path(name)
        if not path.exists():
            known = self.names()
            raise NotFoundError(
                f"no key named '{name}' in {self.root}" + (f" (known: {', '.join(known)})" if known else ""),
                hint="List keys with `smartdev keys list`; create one with `smartdev keys new NAME`.")
        meta: dict[str, Any] = {}
        try:
            meta = json.loads(self.meta_path(name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass  # a keystore dropped in by hand: describe it from the keystore itself
        if not meta:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise UsageError(f"{path} is not a readable keystore: {exc}") from None
            from smartdev.keys.keystore import declared_address

            meta = {"address": declared_address(data) or "?",
                    "curve": data.get("curve", "secp256k1") if isinstance(data, dict) else "?",
                    "created": datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).isoformat(),
                    "source": "file"}
        return KeyInfo(name=name, address=meta.get("address", "?"), curve=meta.get("curve", "secp256k1"),
                       created=meta.get("created", "?"), source=meta.get("source", "?"), path=meta.get("path"),
                       rotations=list(meta.get("rotations", [])), file=path)

    def load_keystore(self, name: str) -> dict[str, Any]:
        from smartdev.keys import keystore

        self.info(name)  # the not-found error, with the known names
        return keystore.load(self.keystore_path(name))

    def unlock(self, name: str, password: str) -> KeyPair:
        from smartdev.keys import keystore

        data = self.load_keystore(name)
        try:
            return keystore.decrypt(data, password)
        except UsageError as exc:
            raise UsageError(f"key '{name}': {exc.message}", hint=exc.hint) from None

    # -- writing --------------------------------------------------------------------
    def encrypt(self, pair: KeyPair, password: str) -> dict[str, Any]:
        """``pair`` as a v3 keystore with this store's KDF settings."""
        from smartdev.keys import keystore

        return keystore.encrypt(pair, password, kdf=self.kdf, work_factor=self.work_factor)

    def add(self, name: str, pair: KeyPair, password: str, *, source: str, path: str | None = None,
            keystore_json: dict[str, Any] | None = None) -> KeyInfo:
        """Store a new key under ``name``; refuses an existing name.

        ``keystore_json``: keep this already-encrypted keystore as it is (an import
        of a keystore file keeps its encryption) instead of encrypting ``pair``."""
        check_name(name)
        if self.exists(name):
            raise UsageError(f"a key named '{name}' already exists in {self.root}",
                             hint="Pick another name; smartdev never overwrites a key.")
        data = keystore_json if keystore_json is not None else self.encrypt(pair, password)
        self._ensure_root()
        meta = {"name": name, "address": pair.address, "curve": pair.curve, "created": now_iso(),
                "source": source, "path": path, "rotations": []}
        try:
            atomic_write_json(self.keystore_path(name), data, mode=0o600, exclusive=True)
        except FileExistsError:
            raise UsageError(f"a key named '{name}' already exists in {self.root}",
                             hint="Pick another name; smartdev never overwrites a key.") from None
        atomic_write_json(self.meta_path(name), meta, mode=0o600)
        self.audit("new" if source == "new" else "import", name, address=pair.address, source=source)
        return self.info(name)

    def archive(self, name: str, reason: str, data: dict[str, Any] | None = None) -> Path:
        """Copy ``name``'s keystore (or the keystore ``data`` belonging to it) into archive/
        (exclusive); returns the archived file."""
        if data is None:
            data = json.loads(self.keystore_path(name).read_text(encoding="utf-8"))
        address = str(data.get("address", "unknown"))[:8]
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        dest = self.archive_dir / f"{name}-{reason}-{stamp}-{address}.json"
        self.archive_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.archive_dir, 0o700)
        atomic_write_json(dest, data, mode=0o600, exclusive=True)
        return dest

    def rewrap(self, name: str, pair: KeyPair, password: str) -> None:
        """Re-encrypt ``name`` with a new password. The old file is replaced, not archived:
        a copy under the old password would keep a possibly leaked password useful.
        The new keystore is decrypted again before it replaces the old one."""
        from smartdev.keys import keystore

        data = self.encrypt(pair, password)
        if keystore.decrypt(data, password).private_key != pair.private_key:  # pragma: no cover - defensive
            raise UsageError(f"re-encrypting key '{name}' failed a read-back check; nothing was changed")
        atomic_write_json(self.keystore_path(name), data, mode=0o600)
        self.audit("password", name, address=pair.address)

    def adopt(self, name: str, source: str, *, reason: str, event: dict[str, Any]) -> str | None:
        """Make stored key ``source`` the key called ``name`` (after a recovery).

        An existing ``name`` is archived first; ``source``'s files are removed only after
        they were written under ``name``, so a crash leaves a duplicate, never a loss.
        Returns the archive path of the replaced key, if any."""
        archived = str(self.archive(name, reason)) if self.exists(name) else None
        data = json.loads(self.keystore_path(source).read_text(encoding="utf-8"))
        info = self.info(source)
        rotations = (self.info(name).rotations if self.exists(name) else []) + [{**event, "archived": archived}]
        atomic_write_json(self.keystore_path(name), data, mode=0o600)
        meta = {k: v for k, v in info.public().items() if k != "file"}
        meta.update(name=name, rotations=rotations)
        atomic_write_json(self.meta_path(name), meta, mode=0o600)
        if source != name:
            self.keystore_path(source).unlink()
            self.meta_path(source).unlink(missing_ok=True)
        return archived

    def update_meta(self, name: str, changes: dict[str, Any]) -> None:
        meta_path = self.meta_path(name)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            info = self.info(name)
            meta = {k: v for k, v in info.public().items() if k != "file"}
        meta.update(changes)
        atomic_write_json(meta_path, meta, mode=0o600)

    def audit(self, action: str, name: str, **details: Any) -> None:
        self._ensure_root()
        entry = {"time": now_iso(), "user": _user(), "host": socket.gethostname(), "action": action,
                 "name": name, **details}
        append_line(self.audit_log, json.dumps(entry, sort_keys=True))

    def audit_entries(self, name: str | None = None) -> list[dict[str, Any]]:
        if not self.audit_log.exists():
            return []
        entries = []
        for line in self.audit_log.read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # a torn last line after a crash
            if name is None or entry.get("name") == name:
                entries.append(entry)
        return entries


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no passwd entry in some containers
        return str(os.getuid())


# -- passwords --------------------------------------------------------------------------
def read_password(env: Environment, what: str, *, password_file: Path | None = None,
                  confirm: bool = False) -> str:
    """A password from ``--password-file``, ``SMARTDEV_PASSWORD``, or a prompt (terminal only).

    Never echoed, never logged. ``confirm``: ask twice at the prompt (new passwords)."""
    if password_file is not None:
        try:
            return (env.cwd / Path(password_file).expanduser()).read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise UsageError(f"cannot read the password file {password_file}: {exc.strerror}") from None
    if env.environ.get(PASSWORD_ENV) is not None:
        return env.environ[PASSWORD_ENV]
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass(f"Password for {what}: ")
        if confirm:
            if getpass.getpass("Repeat the password: ") != first:
                raise UsageError("the passwords do not match; nothing was written")
            if not first:
                raise UsageError("an empty password protects nothing; nothing was written")
        return first
    raise UsageError(f"no password for {what}",
                     hint=f"Pass --password-file FILE or set {PASSWORD_ENV}; smartdev prompts only on a terminal.")
