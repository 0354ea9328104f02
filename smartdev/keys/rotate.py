"""Key rotation against the recoverable account registry, as a journaled, resumable operation.

An account's stable identity lives on chain in the contract library's
``RecoverableAccount`` registry (``@smartdev/governance/RecoverableAccount.sol``):
an id bound to the key that may act for it. Rotating key ``NAME`` means:

1. **prepared** — a new key is generated and written, encrypted with the same
   password, next to the journal (``journal/NAME.next.json``);
2. **signed** — ``rotateKey(id, newKey)`` is signed by the old key; the raw
   transaction and its hash are journaled *before* it is sent;
3. **confirmed** — the transaction is mined and the registry reports the new key;
4. **swapped** — the old keystore is archived, ``NAME.json`` becomes the new key,
   the key's metadata records the rotation;
5. an audit line is appended and the journal removed.

Every step is written to ``journal/NAME.json`` (atomically) before the next
begins, so a process killed at any point is resumed by running ``keys rotate``
again: it re-sends the same signed transaction, or finds it mined, or finishes the
file swap. ``--abort`` rolls back a rotation whose transaction never made it on
chain; the unused new key is archived, not deleted. No step deletes a key.

``SMARTDEV_KEYS_FAIL_AT=<step>`` makes the process exit right after journaling
that step (fault injection for the crash tests; documented, never set by smartdev).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smartdev.errors import NetworkError, NotFoundError, RevertError, UsageError
from smartdev.files import atomic_write_json

if TYPE_CHECKING:  # pragma: no cover
    from smartdev.accounts import Signer
    from smartdev.context import Environment
    from smartdev.keys.curves import KeyPair
    from smartdev.keys.store import KeyStore
    from smartdev.network import Connection

FORMAT = "smartdev-rotation/1"
STEPS = ("prepared", "signed", "confirmed", "swapped")
FAIL_ENV = "SMARTDEV_KEYS_FAIL_AT"
REGISTRY_NAME = "RecoverableAccount"
RECEIPT_TIMEOUT = 120


@cache
def registry_artifact() -> dict[str, Any]:
    """ABI and creation code of the library's RecoverableAccount (shipped with smartdev;
    a test keeps it equal to what `smartdev compile` builds from the library)."""
    return json.loads((Path(__file__).with_name("RecoverableAccount.json")).read_text(encoding="utf-8"))


# -- the registry -----------------------------------------------------------------------
@dataclass
class Registry:
    conn: Connection
    address: str

    @property
    def contract(self) -> Any:
        return self.conn.w3.eth.contract(address=self.address, abi=registry_artifact()["abi"])

    def call(self, fn: str, *args: Any) -> Any:
        from smartdev.contracts.ops import _reverts
        from smartdev.network import rpc_errors

        with rpc_errors(self.conn.network.name, self.conn.network.url), \
                _reverts(f"{REGISTRY_NAME}.{fn}", registry_artifact()["abi"]):
            return getattr(self.contract.functions, fn)(*args).call()

    def account_of(self, key: str) -> int:
        return int(self.call("accountOf", key))

    def key_of(self, account_id: int) -> str:
        return str(self.call("keyOf", account_id))


def find_registry(env: Environment, conn: Connection, explicit: str | None) -> Registry:
    """The registry: ``--account-registry``, else ``[keys] registry``, else this network's
    recorded ``RecoverableAccount`` deployment."""
    from eth_utils import is_address, to_checksum_address

    from smartdev.keys.store import KeysConfig

    spec = explicit or env.config.section("keys", KeysConfig).registry
    address = None
    if spec and is_address(spec):
        address = to_checksum_address(spec)
    else:
        from smartdev.contracts.ops import deployments_for

        name = spec or REGISTRY_NAME
        record = deployments_for(env, conn).contracts.get(name)
        if record is not None:
            address = to_checksum_address(record["address"])
        elif spec:
            raise NotFoundError(f"no deployment named '{spec}' on network '{conn.network.name}'",
                                hint="Pass --account-registry 0x... or deploy one with `smartdev keys registry deploy`.")
    if address is None:
        raise NotFoundError(
            f"no recoverable account registry on network '{conn.network.name}'",
            hint="Deploy one with `smartdev keys registry deploy`, or pass --account-registry ADDRESS "
            "(or set registry in [keys]).")
    if not conn.w3.eth.get_code(address):
        raise NotFoundError(f"no contract at {address} on network '{conn.network.name}' (chain {conn.chain_id})",
                            hint="Was the chain reset? Deploy the registry again.")
    return Registry(conn, address)


# -- transactions -------------------------------------------------------------------------
def signer_of(pair: KeyPair, name: str | None = None) -> Signer:
    from smartdev.accounts import Signer

    return Signer(name or pair.address, pair.address, pair.private_key)


def sign_call(conn: Connection, signer: Signer, registry: Registry, fn: str, *args: Any) -> dict[str, Any]:
    """Build and sign a registry call from ``signer``; nothing is sent. Returns {hash, raw, nonce}."""
    from eth_utils import keccak

    from smartdev.contracts.ops import GAS_MARGIN, _fee_fields, _reverts
    from smartdev.network import rpc_errors

    w3 = conn.w3
    data = registry.contract.encode_abi(fn, args=list(args))
    with rpc_errors(conn.network.name, conn.network.url):
        tx: dict[str, Any] = {"from": signer.address, "to": registry.address, "data": data, "value": 0,
                              "chainId": conn.chain_id,
                              "nonce": w3.eth.get_transaction_count(signer.address, "pending")}
        latest = w3.eth.get_block("latest")
        with _reverts(f"{REGISTRY_NAME}.{fn}", registry_artifact()["abi"]):
            estimate = w3.eth.estimate_gas(tx)
        tx["gas"] = min(int(estimate * GAS_MARGIN), latest["gasLimit"])
        tx.update(_fee_fields(w3, latest))
    raw = signer.sign_transaction({k: v for k, v in tx.items() if k != "from"})
    return {"hash": "0x" + keccak(raw).hex(), "raw": "0x" + raw.hex(), "nonce": tx["nonce"]}


def send_signed(conn: Connection, signed: dict[str, Any], what: str) -> Any:
    """Send a signed transaction (again, if need be) and wait for its receipt."""
    from web3.exceptions import TimeExhausted, TransactionNotFound

    from smartdev.network import rpc_errors

    w3 = conn.w3
    with rpc_errors(conn.network.name, conn.network.url):
        try:
            receipt = w3.eth.get_transaction_receipt(signed["hash"])
        except TransactionNotFound:
            receipt = None
        if receipt is None:
            try:
                w3.eth.send_raw_transaction(signed["raw"])
            except ValueError as exc:
                text = str(exc).lower()
                if "known" not in text and "already" not in text:  # a re-send of a pending tx is fine
                    raise NetworkError(f"{what}: the node refused the transaction: {exc}") from None
            try:
                receipt = w3.eth.wait_for_transaction_receipt(signed["hash"], timeout=RECEIPT_TIMEOUT,
                                                              poll_latency=0.05)
            except TimeExhausted:
                raise NetworkError(f"{what}: transaction {signed['hash']} not mined within {RECEIPT_TIMEOUT} s",
                                   hint="Run the same command again to keep waiting, or --abort.") from None
    if receipt["status"] != 1:
        raise RevertError(f"{what} failed on chain in transaction {signed['hash']}", tx_hash=signed["hash"])
    return receipt


def transact(conn: Connection, signer: Signer, registry: Registry, fn: str, *args: Any) -> Any:
    """Sign and send one registry call from ``signer`` (not journaled)."""
    return send_signed(conn, sign_call(conn, signer, registry, fn, *args), f"{REGISTRY_NAME}.{fn}")


# -- the journal --------------------------------------------------------------------------
class Journal:
    def __init__(self, store: KeyStore, name: str) -> None:
        self.store = store
        self.name = name
        self.path = store.journal_dir / f"{name}.json"
        self.next_key = store.journal_dir / f"{name}.next.json"

    def exists(self) -> bool:
        return self.path.exists()

    def read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UsageError(f"the rotation journal {self.path} is unreadable: {exc}",
                             hint="Inspect it; the old key is untouched in the key store.") from None
        if data.get("format") != FORMAT:
            raise UsageError(f"{self.path} is not a smartdev rotation journal")
        return data

    def write(self, data: dict[str, Any], state: str) -> None:
        from smartdev.keys.store import now_iso

        data.update(state=state, updated=now_iso())
        self.store.journal_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.store.journal_dir, 0o700)
        atomic_write_json(self.path, data, mode=0o600)
        _maybe_fail(state)

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
        self.next_key.unlink(missing_ok=True)


def _maybe_fail(state: str) -> None:
    if os.environ.get(FAIL_ENV) == state:
        os._exit(75)  # simulated crash: no cleanup, like kill -9


# -- rotation -----------------------------------------------------------------------------
@dataclass
class RotationResult:
    name: str
    old_address: str
    new_address: str
    account_id: int
    registry: str
    tx: str
    archived: str
    resumed: bool


def rotate(env: Environment, store: KeyStore, name: str, *, network: str | None, password: str,
           registry: str | None = None, progress: Any = None) -> RotationResult:
    """Rotate key ``name`` (see the module doc); resumes a journaled rotation."""
    from smartdev.keys import curves, keystore
    from smartdev.keys.store import now_iso
    from smartdev.network import connect

    say = progress or (lambda message: None)
    journal = Journal(store, name)
    resumed = journal.exists()
    info = store.info(name)
    with connect(env, network) as conn:
        if resumed:
            data = journal.read()
            if data["chain_id"] != conn.chain_id or data["network"] != conn.network.name:
                raise UsageError(
                    f"key '{name}' has a rotation in progress on network '{data['network']}' "
                    f"(chain {data['chain_id']})",
                    hint=f"Finish it with `smartdev keys rotate {name} --network {data['network']}` or --abort it.")
            say(f"resuming the rotation of '{name}' (last step: {data['state']})")
            reg = Registry(conn, data["registry"])
        else:
            if info.curve != "secp256k1":
                raise UsageError(f"key '{name}' is an {info.curve} key; the registry rotates Ethereum keys")
            old = store.unlock(name, password)
            reg = find_registry(env, conn, registry)
            account_id = reg.account_of(old.address)
            if account_id == 0:
                raise NotFoundError(
                    f"{old.address} (key '{name}') is not bound to an account in the registry {reg.address}",
                    hint=f"Register it first: `smartdev keys register {name} --guardians A,B,C`.")
            if reg.call("isFrozen", account_id):
                raise UsageError(f"account {account_id} is frozen; a frozen account cannot rotate its key",
                                 hint="Unfreeze it (key holder or guardian) or recover it through its guardians.")
            new = curves.generate("secp256k1")
            store.journal_dir.mkdir(parents=True, exist_ok=True)
            os.chmod(store.journal_dir, 0o700)
            atomic_write_json(journal.next_key, store.encrypt(new, password), mode=0o600, exclusive=True)
            data = {"format": FORMAT, "name": name, "old_address": old.address, "new_address": new.address,
                    "network": conn.network.name, "chain_id": conn.chain_id, "registry": reg.address,
                    "account_id": account_id, "started": now_iso(), "tx": None}
            journal.write(data, "prepared")
            say(f"new key {new.address} generated (journaled)")

        account_id = data["account_id"]
        if data["state"] == "prepared":
            old = store.unlock(name, password)
            if old.address != data["old_address"]:  # pragma: no cover - the store changed under the journal
                raise UsageError(f"key '{name}' is no longer {data['old_address']}; the journal is stale")
            data["tx"] = sign_call(conn, signer_of(old, name), reg, "rotateKey", account_id, data["new_address"])
            journal.write(data, "signed")
        if data["state"] == "signed":
            on_chain = reg.key_of(account_id)
            if on_chain != data["new_address"]:
                say(f"sending rotateKey({account_id}, {data['new_address']}) as {data['tx']['hash']}")
                try:
                    send_signed(conn, data["tx"], f"{REGISTRY_NAME}.rotateKey")
                except NetworkError as exc:
                    if "nonce too low" in str(exc).lower():
                        # The old key's nonce was used by another transaction meanwhile: sign again.
                        data["state"] = "prepared"
                        journal.write(data, "prepared")
                        return rotate(env, store, name, network=network, password=password,
                                      registry=registry, progress=progress)
                    raise
                on_chain = reg.key_of(account_id)
            if on_chain != data["new_address"]:
                raise UsageError(f"the registry still binds account {account_id} to {on_chain}, "
                                 f"not {data['new_address']}", hint="Nothing local was changed; inspect the chain.")
            journal.write(data, "confirmed")
            say(f"registry {reg.address}: account {account_id} now bound to {data['new_address']}")
        if data["state"] == "confirmed":
            new_keystore = keystore.load(journal.next_key)
            current = keystore.load(store.keystore_path(name))
            archived = data.get("archived")
            if keystore.declared_address(current) != keystore.declared_address(new_keystore):
                archived = str(store.archive(name, "rotated"))
                data["archived"] = archived
                journal.write(data, "confirmed")  # remember the archive before replacing
                atomic_write_json(store.keystore_path(name), new_keystore, mode=0o600)
            rotations = store.info(name).rotations
            if not any(r.get("tx") == data["tx"]["hash"] for r in rotations):
                rotations.append({"time": now_iso(), "old": data["old_address"], "new": data["new_address"],
                                  "tx": data["tx"]["hash"], "network": data["network"],
                                  "chain_id": data["chain_id"], "registry": data["registry"],
                                  "account_id": account_id, "archived": archived})
                store.update_meta(name, {"address": data["new_address"], "rotations": rotations})
            journal.write(data, "swapped")
        if data["state"] == "swapped":
            if not any(e.get("action") == "rotate" and e.get("tx") == data["tx"]["hash"]
                       for e in store.audit_entries(name)):
                store.audit("rotate", name, old=data["old_address"], new=data["new_address"], tx=data["tx"]["hash"],
                            network=data["network"], chain_id=data["chain_id"], registry=data["registry"],
                            account_id=account_id, archived=data.get("archived"))
            journal.clear()
    return RotationResult(name, data["old_address"], data["new_address"], account_id, data["registry"],
                          data["tx"]["hash"], str(data.get("archived")), resumed)


def abort(env: Environment, store: KeyStore, name: str, *, network: str | None) -> str:
    """Roll back a rotation whose transaction is not on chain; archives the unused new key."""
    from smartdev.network import connect

    journal = Journal(store, name)
    if not journal.exists():
        raise NotFoundError(f"key '{name}' has no rotation in progress")
    data = journal.read()
    if data["state"] not in ("prepared", "signed"):
        raise UsageError(f"the rotation of '{name}' is already on chain (step {data['state']}); it cannot be aborted",
                         hint=f"Finish it with `smartdev keys rotate {name}`.")
    if data["state"] == "signed":
        with connect(env, network or data["network"]) as conn:
            from web3.exceptions import TransactionNotFound

            try:
                receipt = conn.w3.eth.get_transaction_receipt(data["tx"]["hash"])
            except TransactionNotFound:
                receipt = None
            if receipt is not None and receipt["status"] == 1:
                raise UsageError(f"the rotation transaction {data['tx']['hash']} is mined; it cannot be aborted",
                                 hint=f"Finish it with `smartdev keys rotate {name}`.")
    archived = ""
    if journal.next_key.exists():
        from smartdev.keys import keystore

        archived = str(store.archive(name, "aborted", keystore.load(journal.next_key)))
    store.audit("rotate-aborted", name, old=data["old_address"], new=data["new_address"],
                tx=(data.get("tx") or {}).get("hash"), archived=archived)
    journal.clear()
    return archived
