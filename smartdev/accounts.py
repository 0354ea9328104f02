"""Accounts: the funded dev accounts of local chains, and signers for --from."""

from __future__ import annotations

import getpass
import json
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smartdev.errors import ConfigError, NotFoundError, UsageError

if TYPE_CHECKING:  # pragma: no cover
    from smartdev.context import Environment
    from smartdev.network import ResolvedNetwork

# The dev accounts every local chain (embedded, `chain start`, anvil) funds at
# genesis. The mnemonic and derivation path are the ones Hardhat and anvil use,
# so the same names map to the same addresses on every engine.
DEV_MNEMONIC = "test test test test test test test test test test test junk"
DEV_HD_PATH = "m/44'/60'/0'/0"  # account i is DEV_HD_PATH/i
DEV_ACCOUNT_COUNT = 10
DEV_BALANCE_WEI = 10_000 * 10**18
DEV_NAMES = ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy")


@dataclass
class Signer:
    """An account smartdev can sign for. The key never leaves this object."""

    name: str
    address: str
    _key: bytes = field(repr=False)

    def sign_transaction(self, tx: dict[str, Any]) -> bytes:
        from eth_account import Account

        return bytes(Account.sign_transaction(tx, self._key).raw_transaction)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.address})" if self.name != self.address else self.address


@lru_cache(maxsize=1)
def dev_signers() -> tuple[Signer, ...]:
    """The funded dev accounts, derived from DEV_MNEMONIC along DEV_HD_PATH."""
    from eth_account import Account

    Account.enable_unaudited_hdwallet_features()
    signers = []
    for i in range(DEV_ACCOUNT_COUNT):
        acct = Account.from_mnemonic(DEV_MNEMONIC, account_path=f"{DEV_HD_PATH}/{i}")
        signers.append(Signer(DEV_NAMES[i], acct.address, bytes(acct.key)))
    return tuple(signers)


def dev_signer(spec: str) -> Signer | None:
    """A dev account by name ('alice'), alias ('dev3'), index ('3') or address."""
    spec_l = spec.lower()
    index: int | None = None
    if spec_l in DEV_NAMES:
        index = DEV_NAMES.index(spec_l)
    elif spec_l.startswith("dev") and spec_l[3:].isdigit():
        index = int(spec_l[3:])
    elif spec_l.isdigit():
        index = int(spec_l)
    if index is not None:
        return dev_signers()[index] if index < DEV_ACCOUNT_COUNT else None
    if spec_l.startswith("0x") and len(spec_l) == 42:
        for signer in dev_signers():
            if signer.address.lower() == spec_l:
                return signer
    return None


def keystore_address(path: Path) -> str | None:
    """The address a keystore file declares (no password needed), if any."""
    from smartdev.keys.keystore import declared_address

    try:
        return declared_address(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def _read_password(env: Environment, what: str, *, password_env: str | None,
                   password_file: str | None, base: Path) -> str:
    if password_file:
        path = (base / password_file).expanduser()
        try:
            return path.read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise ConfigError(f"cannot read the password file {path}: {exc.strerror}") from None
    for var in (password_env, "SMARTDEV_PASSWORD"):
        if var and env.environ.get(var) is not None:
            return env.environ[var]
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(f"Password for {what}: ")
    raise UsageError(
        f"no password for {what}",
        hint="Set SMARTDEV_PASSWORD (or the account's password_env / password_file); "
        "smartdev prompts for it only on a terminal.",
    )


def load_keystore(env: Environment, path: Path, *, name: str | None = None,
                  password_env: str | None = None, password_file: str | None = None) -> Signer:
    """Decrypt a Web3 Secret Storage (v3) keystore file into a Signer."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NotFoundError(f"keystore file {path} does not exist") from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path} is not a readable keystore file: {exc}") from None
    if not isinstance(data, dict) or "crypto" not in {k.lower() for k in data}:
        raise UsageError(f"{path} is not a keystore file (no 'crypto' section)",
                         hint="Pass a Web3 Secret Storage v3 JSON file, as written by geth, cast or smartdev.")
    label = name or path.name
    password = _read_password(env, f"keystore {label}", password_env=password_env,
                              password_file=password_file, base=env.config.root)
    from eth_account import Account

    try:
        key = Account.decrypt(data, password)
    except ValueError as exc:
        if "MAC mismatch" in str(exc):
            raise UsageError(f"wrong password for keystore {label}") from None
        raise UsageError(f"cannot decrypt keystore {label}: {exc}") from None
    except Exception as exc:  # eth-keyfile raises KeyError/TypeError on malformed content
        raise UsageError(f"{path} is not a valid keystore file: {type(exc).__name__}: {exc}") from None
    address = Account.from_key(key).address
    return Signer(name or address, address, bytes(key))


def resolve_signer(env: Environment, network: ResolvedNetwork, spec: str | None) -> Signer:
    """The account for ``--from``: a configured account, a dev account, or a keystore file."""
    config = env.config
    if spec is None:
        spec = network.config.default_account
        if spec is None:
            if network.dev_accounts:
                return dev_signers()[0]
            raise UsageError(
                f"network '{network.name}' has no dev accounts; say which account signs",
                hint="Pass --from NAME (an [accounts.NAME] entry) or --from path/to/keystore.json, "
                f"or set default_account in [networks.{network.name}].",
            )
    if spec in config.accounts:
        acct = config.accounts[spec]
        return load_keystore(env, (config.root / acct.keystore).expanduser(), name=spec,
                             password_env=acct.password_env, password_file=acct.password_file)
    stored = _store_signer(env, spec)
    if stored is not None:
        return stored
    signer = dev_signer(spec)
    if signer is not None:
        if not network.dev_accounts:
            raise UsageError(
                f"'{spec}' is a dev account, and network '{network.name}' does not use dev accounts",
                hint="Use a keystore account (--from NAME or --from FILE), "
                f"or set dev_accounts = true in [networks.{network.name}].",
            )
        return signer
    path = (env.cwd / spec).expanduser()
    if path.is_file():
        return load_keystore(env, path)
    known = list(config.accounts) + _store_names(env) + (list(DEV_NAMES) if network.dev_accounts else [])
    raise NotFoundError(
        f"unknown account '{spec}'" + (f" (known: {', '.join(known)})" if known else ""),
        hint="Use an [accounts.NAME] entry, a key from `smartdev keys list`, a dev account name on a dev "
        "network, or a keystore file path.",
    )


def _key_store(env: Environment):
    from smartdev.keys.store import KeyStore

    return KeyStore.for_env(env)


def _store_names(env: Environment) -> list[str]:
    return _key_store(env).names()


def _store_signer(env: Environment, spec: str) -> Signer | None:
    """A key of the key store (`smartdev keys`) named ``spec``, unlocked; None if there is none."""
    from smartdev.keys.store import NAME_RE

    if not NAME_RE.match(spec):
        return None
    store = _key_store(env)
    if not store.exists(spec):
        return None
    info = store.info(spec)
    if info.curve != "secp256k1":
        raise UsageError(f"key '{spec}' is an {info.curve} key; Ethereum transactions need a secp256k1 key")
    password = _read_password(env, f"key {spec}", password_env=None, password_file=None, base=env.config.root)
    pair = store.unlock(spec, password)
    return Signer(spec, pair.address, pair.private_key)


def address_book(env: Environment, network: ResolvedNetwork) -> dict[str, str]:
    """Names usable where an address is expected: dev accounts, stored keys, configured accounts."""
    book: dict[str, str] = {}
    if network.dev_accounts:
        book.update({s.name: s.address for s in dev_signers()})
    store = _key_store(env)
    for name in store.names():
        address = store.info(name).address
        if address.startswith("0x"):
            book[name] = address
    for name, acct in env.config.accounts.items():
        address = keystore_address((env.config.root / acct.keystore).expanduser())
        if address:
            book[name] = address
    return book


