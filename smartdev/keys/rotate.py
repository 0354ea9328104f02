"""Key rotation: a new key takes over an old one's place on chain, as a journaled, resumable operation.

What moves on chain is, in order:

* the account's stable identity, when the key is bound to one in the contract
  library's ``RecoverableAccount`` registry (``@smartdev/governance/RecoverableAccount.sol``):
  ``rotateKey(id, newKey)``;
* the calls configured in ``[keys.rotate.NAME]`` (``calls = [{ call = "Token.transfer",
  args = ["{new}", "{balance}"] }, …]``): roles, ownerships and balances the old address holds;
* with ``sweep = true`` (or ``--sweep``), the old address's remaining ether.

All of them are sent by the old key. Rotating key ``NAME`` then means:

1. **prepared** — the plan is checked (contracts, functions, arguments), a new key is
   generated and written, encrypted with the same password, next to the journal
   (``journal/NAME.next.json``);
2. **sending** — each step is signed and its raw transaction and hash journaled
   *before* it is sent, then confirmed; a step with nothing to move is skipped;
3. **confirmed** — every step is on chain;
4. **swapped** — the old keystore is archived, ``NAME.json`` becomes the new key,
   the key's metadata records the rotation;
5. the old address is replaced by the new one wherever the project configuration
   names it, an audit line is appended and the journal removed.

Every step is written to ``journal/NAME.json`` (atomically) before the next
begins, so a process killed at any point is resumed by running ``keys rotate``
again: it re-sends the same signed transaction, or finds it mined, or signs again
when its nonce was used meanwhile, or finishes the file swap. Call steps not yet
signed follow the current configuration, so a failing step can be fixed and the
rotation continued. ``--abort`` rolls back a rotation none of whose steps is on
chain; the unused new key is archived, not deleted. No step deletes a key.

``SMARTDEV_KEYS_FAIL_AT=<checkpoint>`` makes the process exit right after journaling
that checkpoint: ``prepared``, ``signed`` (the first step), ``signed:N``,
``confirmed:N`` (step N), ``confirmed``, ``swapped`` (fault injection for the crash
tests; documented, never set by smartdev).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from smartdev.errors import NetworkError, NotFoundError, RevertError, UsageError
from smartdev.files import atomic_write_json

if TYPE_CHECKING:  # pragma: no cover
    from smartdev.accounts import Signer
    from smartdev.context import Environment
    from smartdev.keys.curves import KeyPair
    from smartdev.keys.store import KeyStore, RotateCall, RotatePlan
    from smartdev.network import Connection

FORMAT = "smartdev-rotation/2"
STATES = ("prepared", "sending", "confirmed", "swapped")
FAIL_ENV = "SMARTDEV_KEYS_FAIL_AT"
REGISTRY_NAME = "RecoverableAccount"
RECEIPT_TIMEOUT = 120
SWEEP_GAS = 21000  # a plain ether transfer to a fresh (code-less) address


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


def sign_tx(conn: Connection, signer: Signer, to: str, data: str, *, what: str, abi: list[dict],
            value: int = 0) -> dict[str, Any]:
    """Estimate and sign a transaction from ``signer``; nothing is sent. Returns {hash, raw, nonce}."""
    from smartdev.contracts.ops import GAS_MARGIN, _fee_fields, _reverts
    from smartdev.network import rpc_errors

    w3 = conn.w3
    with rpc_errors(conn.network.name, conn.network.url):
        tx: dict[str, Any] = {"from": signer.address, "to": to, "data": data, "value": value,
                              "chainId": conn.chain_id,
                              "nonce": w3.eth.get_transaction_count(signer.address, "pending")}
        latest = w3.eth.get_block("latest")
        with _reverts(what, abi):
            estimate = w3.eth.estimate_gas(tx)
        tx["gas"] = min(int(estimate * GAS_MARGIN), latest["gasLimit"])
        tx.update(_fee_fields(w3, latest))
        fee = tx["gas"] * tx.get("maxFeePerGas", tx.get("gasPrice", 0))
        balance = w3.eth.get_balance(signer.address)
    if balance < fee + value:
        raise UsageError(f"{what}: {signer.address} has {balance} wei, not enough for the fee (up to {fee} wei)",
                         hint="Send it some ether for gas, then run the same command again.")
    return _signed(signer, tx)


def _signed(signer: Signer, tx: dict[str, Any]) -> dict[str, Any]:
    from eth_utils import keccak

    raw = signer.sign_transaction({k: v for k, v in tx.items() if k != "from"})
    return {"hash": "0x" + keccak(raw).hex(), "raw": "0x" + raw.hex(), "nonce": tx["nonce"]}


def sign_call(conn: Connection, signer: Signer, registry: Registry, fn: str, *args: Any) -> dict[str, Any]:
    """Build and sign a registry call from ``signer``; nothing is sent."""
    data = registry.contract.encode_abi(fn, args=list(args))
    return sign_tx(conn, signer, registry.address, data, what=f"{REGISTRY_NAME}.{fn}",
                   abi=registry_artifact()["abi"])


class StaleTransaction(Exception):
    """A journaled transaction can no longer be mined (its nonce was used, or the funds moved): sign again."""


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
                if "nonce too low" in text or "insufficient funds" in text:
                    raise StaleTransaction(str(exc)) from None
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
            raise UsageError(f"{self.path} is not a smartdev rotation journal ({FORMAT})",
                             hint="Finish or abort it with the smartdev version that started it.")
        return data

    def write(self, data: dict[str, Any], state: str, checkpoint: str | None = None) -> None:
        from smartdev.keys.store import now_iso

        data.update(state=state, updated=now_iso())
        self.store.journal_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.store.journal_dir, 0o700)
        atomic_write_json(self.path, data, mode=0o600)
        _maybe_fail(checkpoint or state)

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
        self.next_key.unlink(missing_ok=True)


def _maybe_fail(checkpoint: str) -> None:
    if os.environ.get(FAIL_ENV) == checkpoint:
        os._exit(75)  # simulated crash: no cleanup, like kill -9


# -- the steps ------------------------------------------------------------------------------
def _plan(env: Environment, name: str) -> RotatePlan:
    from smartdev.keys.store import KeysConfig, RotatePlan

    return env.config.section("keys", KeysConfig).rotate.get(name) or RotatePlan()


def _call_action(call: RotateCall) -> dict[str, Any]:
    shown = ", ".join(call.args)
    by = " (sent by the new key)" if call.by == "new" else ""
    return {"kind": "call", "call": call.call, "args": list(call.args), "at": call.at, "by": call.by,
            "label": f"{call.call}({shown})" + (f" at {call.at}" if call.at else "") + by,
            "state": "pending", "tx": None}


def _same_call(action: dict[str, Any], other: dict[str, Any]) -> bool:
    def key(a: dict[str, Any]) -> tuple:
        return a["call"], a["args"], a["at"], a.get("by", "old")

    return key(action) == key(other)


def _resolve_call(env: Environment, conn: Connection, action: dict[str, Any], old: str, new: str,
                  *, balance: int | None = None) -> tuple[Any, dict, list[Any], int | None]:
    """Target, function and typed arguments of a call step; ``{balance}`` is read now
    (or taken from ``balance``). Raises UsageError/NotFoundError for a wrong plan."""
    from smartdev.contracts import abi as abi_mod
    from smartdev.contracts.ops import _prepare, call_function

    args = [a.replace("{old}", old).replace("{new}", new) for a in action["args"]]
    held = None
    if any("{balance}" in a for a in args):
        from smartdev.contracts.ops import resolve_target, split_function

        contract_name, _ = split_function(action["call"])
        target = resolve_target(env, conn, contract_name, action["at"])
        try:
            balance_of = abi_mod.find_function(target.artifact.abi, "balanceOf(address)",
                                               contract=target.artifact.name, nargs=1)
        except UsageError:
            raise UsageError(f"{{balance}} needs {target.artifact.name}.balanceOf(address), "
                             "which it does not have") from None
        held = balance if balance is not None else int(call_function(conn, target, balance_of, [old]))
        args = [a.replace("{balance}", str(held)) for a in args]
    target, fn, values = _prepare(env, conn, action["call"], args, action["at"])
    return target, fn, values, held


def _sign_action(env: Environment, conn: Connection, signer: Signer, data: dict[str, Any],
                 action: dict[str, Any], reg: Registry | None) -> dict[str, Any] | None:
    """Sign one step (by ``signer``); None when there is nothing to move (the step is skipped)."""
    new = data["new_address"]
    if action["kind"] == "registry":
        assert reg is not None
        return sign_call(conn, signer, reg, "rotateKey", data["account_id"], new)
    if action["kind"] == "call":
        from smartdev.contracts import abi as abi_mod

        target, fn, values, held = _resolve_call(env, conn, action, data["old_address"], new)
        if held == 0:
            action["note"] = "nothing to move: the balance is 0"
            return None
        contract = conn.w3.eth.contract(address=target.address, abi=[fn])
        payload = contract.encode_abi(abi_mod.signature(fn), args=values)
        return sign_tx(conn, signer, target.address, payload, what=f"{target.artifact.name}.{fn['name']}",
                       abi=target.artifact.abi)
    # sweep: a legacy transaction pays exactly gas * gasPrice, so the old address ends at 0 wei
    from smartdev.network import rpc_errors

    w3 = conn.w3
    with rpc_errors(conn.network.name, conn.network.url):
        balance = w3.eth.get_balance(signer.address)
        base_fee = w3.eth.get_block("latest").get("baseFeePerGas") or 0
        price = max(w3.eth.gas_price, 2 * base_fee)
        nonce = w3.eth.get_transaction_count(signer.address, "pending")
    value = balance - SWEEP_GAS * price
    if value <= 0:
        action["note"] = f"nothing to sweep: {balance} wei does not cover the fee"
        return None
    action["value"] = value
    return _signed(signer, {"to": new, "value": value, "gas": SWEEP_GAS, "gasPrice": price,
                            "nonce": nonce, "chainId": conn.chain_id, "data": b""})


def _registry_step(env: Environment, conn: Connection, explicit: str | None, address: str,
                   name: str, required: bool) -> tuple[Registry | None, int | None]:
    """The registry and account id to rotate, or (None, None) when no registry is in play.

    A registry named by --account-registry or ``[keys] registry`` (or any registry, when
    the plan has nothing else to do) must bind the key; a registry merely recorded on
    the network is used when it does."""
    from smartdev.keys.store import KeysConfig

    named = explicit or env.config.section("keys", KeysConfig).registry
    try:
        reg = find_registry(env, conn, explicit)
    except NotFoundError:
        if named or required:
            raise
        return None, None
    account_id = reg.account_of(address)
    if account_id == 0:
        if named or required:
            raise NotFoundError(
                f"{address} (key '{name}') is not bound to an account in the registry {reg.address}",
                hint=f"Register it first (`smartdev keys register {name} --guardians A,B,C`), "
                f"or say what to move in [keys.rotate.{name}] (calls, sweep).")
        return None, None
    if reg.call("isFrozen", account_id):
        raise UsageError(f"account {account_id} is frozen; a frozen account cannot rotate its key",
                         hint="Unfreeze it (key holder or guardian) or recover it through its guardians.")
    return reg, account_id


def _plan_actions(env: Environment, conn: Connection, name: str, old: str) -> tuple[list[dict[str, Any]], bool]:
    """The configured call steps, each checked now (contract, function, arguments), and
    whether to sweep: nothing is written before the whole plan makes sense."""
    plan = _plan(env, name)
    actions = [_call_action(call) for call in plan.calls]
    placeholder = "0x" + "00" * 19 + "01"  # stands in for the new address while checking
    for action in actions:
        try:
            _resolve_call(env, conn, action, old, placeholder, balance=1)
        except (UsageError, NotFoundError) as exc:
            exc.message = f"[keys.rotate.{name}] step {action['label']}: {exc.message}"
            raise
    return actions, plan.sweep


def _ordered(registry: list[dict[str, Any]], calls: list[dict[str, Any]],
             sweep: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Step order: the registry, the old key's calls, the sweep, the new key's calls."""
    return (registry + [a for a in calls if a.get("by", "old") == "old"] + sweep
            + [a for a in calls if a.get("by") == "new"])


def _refresh_pending(env: Environment, conn: Connection, data: dict[str, Any]) -> None:
    """On resume, call steps not yet signed follow the current ``[keys.rotate.NAME]``
    (so a step that failed can be fixed or dropped); steps already signed stay."""
    done = [a for a in data["actions"] if a["kind"] == "call" and a["state"] != "pending"]
    configured, _ = _plan_actions(env, conn, data["name"], data["old_address"])
    pending = [a for a in configured if not any(_same_call(a, d) for d in done)]
    data["actions"] = _ordered([a for a in data["actions"] if a["kind"] == "registry"], done + pending,
                               [a for a in data["actions"] if a["kind"] == "sweep"])


# -- rotation -----------------------------------------------------------------------------
@dataclass
class RotationResult:
    name: str
    old_address: str
    new_address: str
    account_id: int | None
    registry: str | None
    tx: str | None  # the registry transaction, when the registry was rotated
    archived: str
    resumed: bool
    steps: list[dict[str, Any]]
    repointed: list[str]
    warnings: list[str]


def rotate(env: Environment, store: KeyStore, name: str, *, network: str | None, password: str,
           registry: str | None = None, sweep: bool | None = None, progress: Any = None) -> RotationResult:
    """Rotate key ``name`` (see the module doc); resumes a journaled rotation."""
    from smartdev.keys import curves
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
            if data["state"] in ("prepared", "sending"):
                _refresh_pending(env, conn, data)
        else:
            if info.curve != "secp256k1":
                raise UsageError(f"key '{name}' is an {info.curve} key; only Ethereum (secp256k1) keys rotate on chain")
            old = store.unlock(name, password)
            calls, do_sweep = _plan_actions(env, conn, name, old.address)
            do_sweep = do_sweep if sweep is None else sweep
            reg, account_id = _registry_step(env, conn, registry, old.address, name,
                                             required=not (calls or do_sweep))
            actions = _ordered(
                [{"kind": "registry", "label": f"{REGISTRY_NAME}.rotateKey({account_id}, {{new}})",
                  "state": "pending", "tx": None}] if reg is not None else [],
                calls,
                [{"kind": "sweep", "label": "sweep the ether to {new}", "state": "pending", "tx": None}]
                if do_sweep else [])
            new = curves.generate("secp256k1")
            store.journal_dir.mkdir(parents=True, exist_ok=True)
            os.chmod(store.journal_dir, 0o700)
            atomic_write_json(journal.next_key, store.encrypt(new, password), mode=0o600, exclusive=True)
            data = {"format": FORMAT, "name": name, "old_address": old.address, "new_address": new.address,
                    "network": conn.network.name, "chain_id": conn.chain_id,
                    "registry": reg.address if reg else None, "account_id": account_id,
                    "started": now_iso(), "actions": actions}
            journal.write(data, "prepared")
            say(f"new key {new.address} generated (journaled); {len(actions)} on-chain step(s) to take")

        if data["state"] in ("prepared", "sending"):
            _take_steps(env, conn, store, journal, data, password, say)
            journal.write(data, "confirmed")
        if data["state"] == "confirmed":
            _swap(store, journal, data)
            journal.write(data, "swapped")
        if data["state"] == "swapped":
            data.setdefault("repointed", [])
            data.setdefault("warnings", [])
            repointed, warnings = repoint_config(env, data["old_address"], data["new_address"])
            data["repointed"] += [r for r in repointed if r not in data["repointed"]]
            data["warnings"] = warnings
            registry_tx = _registry_tx(data)
            if not any(e.get("action") == "rotate" and e.get("new") == data["new_address"]
                       for e in store.audit_entries(name)):
                store.audit("rotate", name, old=data["old_address"], new=data["new_address"], tx=registry_tx,
                            txs=[a["tx"]["hash"] for a in data["actions"] if a["tx"]], started=data["started"],
                            network=data["network"], chain_id=data["chain_id"], registry=data["registry"],
                            account_id=data["account_id"], archived=data.get("archived"),
                            repointed=data["repointed"])
            journal.clear()
    steps = [{"step": a["label"].replace("{new}", data["new_address"]), "state": a["state"],
              "tx": a["tx"]["hash"] if a["tx"] else None, **({"note": a["note"]} if a.get("note") else {})}
             for a in data["actions"]]
    return RotationResult(name, data["old_address"], data["new_address"], data["account_id"], data["registry"],
                          _registry_tx(data), str(data.get("archived")), resumed, steps,
                          data.get("repointed", []), data.get("warnings", []))


def _registry_tx(data: dict[str, Any]) -> str | None:
    return next((a["tx"]["hash"] for a in data["actions"] if a["kind"] == "registry" and a["tx"]), None)


def _take_steps(env: Environment, conn: Connection, store: KeyStore, journal: Journal, data: dict[str, Any],
                password: str, say: Any) -> None:
    """Sign, journal, send and confirm each on-chain step in order, resuming where the journal says."""
    name = data["name"]
    old = store.unlock(name, password)
    if old.address != data["old_address"]:  # pragma: no cover - the store changed under the journal
        raise UsageError(f"key '{name}' is no longer {data['old_address']}; the journal is stale")
    signers = {"old": signer_of(old, name)}
    reg = Registry(conn, data["registry"]) if data["registry"] else None
    new = data["new_address"]
    total = len(data["actions"])
    for index, action in enumerate(data["actions"], start=1):
        label = action["label"].replace("{new}", new)
        if action["state"] in ("confirmed", "skipped"):
            continue
        if action["kind"] == "registry" and reg is not None and reg.key_of(data["account_id"]) == new:
            action["state"] = "confirmed"  # mined before a crash
            journal.write(data, "sending", checkpoint=f"confirmed:{index}")
            continue
        by = action.get("by", "old")
        if by not in signers:
            from smartdev.keys import keystore

            signers[by] = signer_of(keystore.decrypt(keystore.load(journal.next_key), password), f"{name} (new)")
        for _attempt in range(3):
            if action["state"] == "pending":
                try:
                    signed = _sign_action(env, conn, signers[by], data, action, reg)
                except (UsageError, NotFoundError, RevertError) as exc:
                    _stopped(exc, name, index, total, label)
                if signed is None:
                    action["state"] = "skipped"
                    journal.write(data, "sending")
                    say(f"step {index}/{total} {label}: skipped ({action['note']})")
                    break
                action.update(tx=signed, state="signed")
                journal.write(data, "sending", checkpoint="signed" if index == 1 else f"signed:{index}")
            say(f"step {index}/{total} {label}: sending {action['tx']['hash']}")
            try:
                send_signed(conn, action["tx"], label)
            except StaleTransaction:
                # its nonce was used by another transaction meanwhile, or the funds moved: sign again
                action.update(state="pending", tx=None)
                journal.write(data, "sending")
                continue
            except RevertError as exc:
                _stopped(exc, name, index, total, label)
            action["state"] = "confirmed"
            journal.write(data, "sending", checkpoint=f"confirmed:{index}")
            break
        else:
            raise NetworkError(f"step {index}/{total} {label}: the transaction kept going stale",
                               hint=f"Is another program using the key? Run `smartdev keys rotate {name}` again.")
        if action["kind"] == "registry" and reg is not None and reg.key_of(data["account_id"]) != new:
            raise UsageError(f"the registry still binds account {data['account_id']} to "
                             f"{reg.key_of(data['account_id'])}, not {new}",
                             hint="Nothing local was changed; inspect the chain.")


def _stopped(exc: Any, name: str, index: int, total: int, label: str) -> NoReturn:
    """A step cannot be taken: say which, what is already on chain, and how to go on."""
    before = " (no step is on chain yet; --abort rolls back)" if index == 1 else \
        f" (steps 1-{index - 1} are on chain; the key store still holds the old key)"
    exc.message = f"rotation of '{name}' stopped at step {index}/{total} {label}: {exc.message}{before}"
    exc.hint = (f"{exc.hint + ' ' if exc.hint else ''}Fix the cause (or the step in [keys.rotate.{name}]), "
                f"then run `smartdev keys rotate {name}` again to go on.")
    raise exc


def _swap(store: KeyStore, journal: Journal, data: dict[str, Any]) -> None:
    """Make the new key the store's ``NAME``: archive the old keystore first, record the rotation."""
    from smartdev.keys import keystore
    from smartdev.keys.store import now_iso

    name = data["name"]
    new_keystore = keystore.load(journal.next_key)
    current = keystore.load(store.keystore_path(name))
    archived = data.get("archived")
    if keystore.declared_address(current) != keystore.declared_address(new_keystore):
        archived = str(store.archive(name, "rotated"))
        data["archived"] = archived
        journal.write(data, "confirmed")  # remember the archive before replacing
        atomic_write_json(store.keystore_path(name), new_keystore, mode=0o600)
    rotations = store.info(name).rotations
    if not any(r.get("new") == data["new_address"] for r in rotations):  # a fresh key: unique
        rotations.append({"time": now_iso(), "started": data["started"], "old": data["old_address"],
                          "new": data["new_address"], "tx": _registry_tx(data),
                          "txs": [a["tx"]["hash"] for a in data["actions"] if a["tx"]],
                          "network": data["network"], "chain_id": data["chain_id"], "registry": data["registry"],
                          "account_id": data["account_id"], "archived": archived})
        store.update_meta(name, {"address": data["new_address"], "rotations": rotations})


def repoint_config(env: Environment, old: str, new: str) -> tuple[list[str], list[str]]:
    """Replace the old address by the new one wherever the project configuration names it
    (comments and layout kept). Returns (what changed, warnings about what could not be)."""
    file = env.config.file
    if file is None or not file.is_file():
        return [], []
    from smartdev.config import edit_config_file

    changed: list[str] = []

    def walk(node: Any, path: tuple[str, ...]) -> None:
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in list(items):
            where = (*path, str(key))
            if isinstance(value, str):
                if value.lower() == old.lower():
                    node[key] = new
                    changed.append(".".join(where))
            elif isinstance(value, (dict, list)):
                walk(value, where)

    with edit_config_file(file) as (root, prefix):
        walk(root, prefix)
    warnings = []
    from smartdev.accounts import keystore_address

    for account, entry in env.config.accounts.items():
        path = (env.config.root / entry.keystore).expanduser()
        if path.is_file() and (keystore_address(path) or "").lower() == old.lower():
            warnings.append(f"[accounts.{account}] uses {path}, a keystore of the old key {old}; "
                            f"point it at the rotated key (its name in the key store) by hand")
    return [f"{file.name}: {w}" for w in changed], warnings


def abort(env: Environment, store: KeyStore, name: str, *, network: str | None) -> str:
    """Roll back a rotation none of whose steps is on chain; archives the unused new key."""
    from smartdev.network import connect

    journal = Journal(store, name)
    if not journal.exists():
        raise NotFoundError(f"key '{name}' has no rotation in progress")
    data = journal.read()
    on_chain = [a for a in data["actions"] if a["state"] == "confirmed"]
    if data["state"] not in ("prepared", "sending") or on_chain:
        raise UsageError(f"the rotation of '{name}' already has steps on chain (step {data['state']}); "
                         "it cannot be aborted", hint=f"Finish it with `smartdev keys rotate {name}`.")
    signed = [a for a in data["actions"] if a["state"] == "signed"]
    if signed:
        with connect(env, network or data["network"]) as conn:
            from web3.exceptions import TransactionNotFound

            for action in signed:
                try:
                    receipt = conn.w3.eth.get_transaction_receipt(action["tx"]["hash"])
                except TransactionNotFound:
                    receipt = None
                if receipt is not None and receipt["status"] == 1:
                    raise UsageError(f"the rotation transaction {action['tx']['hash']} is mined; "
                                     "it cannot be aborted", hint=f"Finish it with `smartdev keys rotate {name}`.")
    archived = ""
    if journal.next_key.exists():
        from smartdev.keys import keystore

        archived = str(store.archive(name, "aborted", keystore.load(journal.next_key)))
    store.audit("rotate-aborted", name, old=data["old_address"], new=data["new_address"],
                txs=[a["tx"]["hash"] for a in signed], archived=archived)
    journal.clear()
    return archived
