"""deploy / call / send: the library API behind the commands.

Transactions are signed locally (dev account or keystore) and sent raw, so the
same code works against any node. Gas is estimated first, so a call that would
revert is reported with its decoded reason before anything is sent.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Iterator

from smartdev.contracts import abi as abi_mod
from smartdev.contracts.artifacts import Artifact, load_artifact
from smartdev.contracts.deployments import Deployments
from smartdev.errors import NetworkError, RevertError, UsageError

if TYPE_CHECKING:  # pragma: no cover
    from smartdev.accounts import Signer
    from smartdev.context import Environment
    from smartdev.network import Connection

GAS_MARGIN = 1.2  # estimates can fall short when state moves between estimate and mining
RECEIPT_TIMEOUT = 120.0


@dataclass
class TxResult:
    tx_hash: str
    block: int
    status: int
    gas_used: int
    sender: str
    contract_address: str | None = None
    events: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "tx_hash": self.tx_hash, "block": self.block, "status": self.status,
            "gas_used": self.gas_used, "from": self.sender,
            "contract_address": self.contract_address, "events": self.events,
        }


@dataclass
class Target:
    """A deployed contract: its artifact and address on the connected network."""

    artifact: Artifact
    address: str


def deployments_for(env: Environment, conn: Connection) -> Deployments:
    """The deployment records of the connected network, loaded once per connection."""
    deployments = conn.state.get("deployments")
    if deployments is None:
        deployments = Deployments.load(env.config.path("build"), conn.network.deployments_name,
                                       conn.chain_id, persistent=conn.network.persistent)
        conn.state["deployments"] = deployments
    return deployments


def resolver(env: Environment, conn: Connection, deployments: Deployments):
    """Map names used as address arguments: accounts, then deployed contracts."""
    from smartdev.accounts import address_book

    book = address_book(env, conn.network)
    book.update({name: entry["address"] for name, entry in deployments.contracts.items() if name not in book})
    return book.get


@contextmanager
def _reverts(what: str, artifact_abi: list[dict], tx_hash: str | None = None) -> Iterator[None]:
    """Turn web3's revert exceptions into a RevertError with the decoded reason."""
    from web3.exceptions import ContractLogicError

    try:
        yield
    except ContractLogicError as exc:
        data = exc.data if isinstance(exc.data, str) else None
        if isinstance(exc.data, dict):
            data = exc.data.get("data")
        reason = abi_mod.decode_revert(data, artifact_abi) if data else _reason_from_message(exc.message)
        where = f" in transaction {tx_hash}" if tx_hash else ""
        raise RevertError(f"{what} reverted{where}: {reason}", reason=reason, data=data, tx_hash=tx_hash) from None


def _reason_from_message(message: str | None) -> str:
    text = (message or "").removeprefix("execution reverted").lstrip(": ").strip()
    return text or "reverted without a reason"


def _fee_fields(w3, latest: Any) -> dict[str, int]:
    base_fee = latest.get("baseFeePerGas")
    if base_fee is None:  # pre-London chains (and FISCO BCOS): legacy pricing
        return {"gasPrice": w3.eth.gas_price}
    try:
        tip = w3.eth.max_priority_fee
    except Exception:  # noqa: BLE001 - nodes without eth_maxPriorityFeePerGas
        tip = 10**9
    return {"maxPriorityFeePerGas": tip, "maxFeePerGas": 2 * base_fee + tip}


def _transact(conn: Connection, signer: Signer, tx: dict[str, Any], what: str,
              artifact_abi: list[dict], gas: int | None) -> Any:
    """Estimate, sign, send, wait. Returns the receipt; raises RevertError on status 0."""
    from smartdev.network import rpc_errors

    w3 = conn.w3
    with rpc_errors(conn.network.name, conn.network.url):
        tx = {**tx, "from": signer.address, "chainId": conn.chain_id,
              "nonce": w3.eth.get_transaction_count(signer.address, "pending")}
        balance = w3.eth.get_balance(signer.address)
        if tx.get("value", 0) > balance:
            raise UsageError(f"{signer.label} has {balance} wei, less than the value {tx['value']} wei to send")
        latest = w3.eth.get_block("latest")
        if gas is None:
            with _reverts(what, artifact_abi):
                estimate = w3.eth.estimate_gas(tx)
            gas = min(int(estimate * GAS_MARGIN), latest["gasLimit"])
        tx["gas"] = gas
        tx.update(_fee_fields(w3, latest))
        raw = signer.sign_transaction(tx)
        try:
            tx_hash = w3.eth.send_raw_transaction(raw)
        except ValueError as exc:  # e.g. insufficient funds for gas * price
            raise NetworkError(f"{what}: the node refused the transaction: {exc}") from None
        receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=RECEIPT_TIMEOUT, poll_latency=0.05)
        if receipt["status"] == 0:
            _raise_failed(conn, tx, receipt, what, artifact_abi)
    return receipt


def _raise_failed(conn: Connection, tx: dict, receipt: Any, what: str, artifact_abi: list[dict]) -> None:
    """A mined transaction failed: replay it as a call at its block to learn why."""
    tx_hash = "0x" + bytes(receipt["transactionHash"]).hex()
    call = {k: v for k, v in tx.items() if k in ("from", "to", "data", "value", "gas")}
    with _reverts(what, artifact_abi, tx_hash=tx_hash):
        conn.w3.eth.call(call, max(receipt["blockNumber"] - 1, 0))
    reason = "out of gas" if receipt["gasUsed"] >= tx.get("gas", 0) else "reverted without a reason"
    raise RevertError(f"{what} failed in block {receipt['blockNumber']}: {reason}", reason=reason, tx_hash=tx_hash)


def _result(conn: Connection, receipt: Any, sender: str, artifact_abi: list[dict]) -> TxResult:
    return TxResult(
        tx_hash="0x" + bytes(receipt["transactionHash"]).hex(),
        block=receipt["blockNumber"],
        status=receipt["status"],
        gas_used=receipt["gasUsed"],
        sender=sender,
        contract_address=receipt.get("contractAddress"),
        events=decode_events(conn, receipt, artifact_abi),
    )


def decode_events(conn: Connection, receipt: Any, artifact_abi: list[dict]) -> list[dict[str, Any]]:
    """The receipt's logs, decoded where an event of ``artifact_abi`` matches."""
    from eth_utils import event_abi_to_log_topic
    from web3._utils.events import get_event_data

    by_topic = {event_abi_to_log_topic(e): e for e in artifact_abi if e.get("type") == "event" and not e.get("anonymous")}
    events = []
    for log in receipt["logs"]:
        topics = log["topics"]
        entry = by_topic.get(bytes(topics[0])) if topics else None
        if entry is None:
            events.append({"address": log["address"], "event": None,
                           "topics": ["0x" + bytes(t).hex() for t in topics], "data": "0x" + bytes(log["data"]).hex()})
            continue
        decoded = get_event_data(conn.w3.codec, entry, log)
        args = {inp["name"] or f"arg{i}": abi_mod.format_value(inp, decoded["args"][inp["name"] or f"arg{i}"])
                if (inp["name"] or f"arg{i}") in decoded["args"] else None
                for i, inp in enumerate(entry["inputs"])}
        events.append({"address": log["address"], "event": entry["name"], "args": args})
    return events


def deploy(env: Environment, conn: Connection, name: str, args: list[str], *,
           signer: Signer, value: int = 0, gas: int | None = None) -> tuple[Artifact, TxResult]:
    """Deploy contract ``name`` from its artifact with command-line ``args``."""
    artifact = load_artifact(env.config.path("build"), name)
    constructor = abi_mod.find_constructor(artifact.abi) or {"inputs": []}
    converted = abi_mod.convert_args(constructor["inputs"], args, what=f"{artifact.name} constructor",
                                     resolve_address=resolver(env, conn, deployments_for(env, conn)))
    return artifact, deploy_artifact(env, conn, artifact, converted, signer=signer, value=value, gas=gas,
                                     recorded_args=list(args))


def deploy_artifact(env: Environment, conn: Connection, artifact: Artifact, values: list[Any], *,
                    signer: Signer, value: int = 0, gas: int | None = None,
                    recorded_args: list[Any] | None = None) -> TxResult:
    """Deploy ``artifact`` with ABI-typed constructor ``values``; record the address."""
    constructor = abi_mod.find_constructor(artifact.abi) or {"inputs": []}
    if value and constructor.get("stateMutability") != "payable":
        raise UsageError(f"{artifact.name}'s constructor is not payable; it cannot take --value")
    contract = conn.w3.eth.contract(abi=artifact.abi, bytecode=artifact.deploy_code())
    data = contract.constructor(*values).data_in_transaction
    receipt = _transact(conn, signer, {"data": data, "value": value}, f"deploying {artifact.name}", artifact.abi, gas)
    result = _result(conn, receipt, signer.address, artifact.abi)
    deployments_for(env, conn).record(artifact.name, {
        "address": result.contract_address,
        "tx_hash": result.tx_hash,
        "block": result.block,
        "deployer": signer.address,
        "artifact": artifact.qualified_name,
        "args": recorded_args if recorded_args is not None else [str(v) for v in values],
        "deployed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    })
    return result


def resolve_target(env: Environment, conn: Connection, contract: str, at: str | None) -> Target:
    """The artifact and address for ``contract`` (recorded deployment, or ``--at``)."""
    from eth_utils import is_address, to_checksum_address

    artifact = load_artifact(env.config.path("build"), contract)
    if at is not None:
        if not is_address(at):
            raise UsageError(f"--at {at!r} is not an address")
        address = to_checksum_address(at)
    else:
        address = deployments_for(env, conn).address_of(artifact.name)
    from smartdev.network import rpc_errors

    with rpc_errors(conn.network.name, conn.network.url):
        code = conn.w3.eth.get_code(address)
    if not code:
        from smartdev.errors import NotFoundError

        raise NotFoundError(
            f"no contract code at {address} on network '{conn.network.name}' (chain {conn.chain_id})",
            hint=f"Was the chain reset? Deploy again with `smartdev deploy {artifact.name} --network {conn.network.name}`.",
        )
    return Target(artifact, address)


def split_function(spec: str) -> tuple[str, str]:
    """'Token.balanceOf' or 'Token.transfer(address,uint256)' -> (contract, function)."""
    contract, dot, function = spec.partition(".")
    if not dot or not contract or not function:
        raise UsageError(f"'{spec}' does not name a contract function",
                         hint="Write it as Contract.function, e.g. Token.balanceOf.")
    return contract, function


def _prepare(env: Environment, conn: Connection, spec: str, args: list[str], at: str | None):
    """Resolve ``Contract.function`` and convert its command-line arguments."""
    contract_name, fn_spec = split_function(spec)
    target = resolve_target(env, conn, contract_name, at)
    fn = abi_mod.find_function(target.artifact.abi, fn_spec, contract=target.artifact.name, nargs=len(args))
    converted = abi_mod.convert_args(fn["inputs"], args, what=f"{target.artifact.name}.{fn['name']}",
                                     resolve_address=resolver(env, conn, deployments_for(env, conn)))
    return target, fn, converted


def call(env: Environment, conn: Connection, spec: str, args: list[str], *,
         at: str | None = None, sender: str | None = None, block: str | int = "latest") -> dict[str, Any]:
    """Call a function without a transaction; returns the decoded outputs."""
    target, fn, converted = _prepare(env, conn, spec, args, at)
    values = call_function(conn, target, fn, converted, sender=sender, block=block)
    return {
        "contract": target.artifact.name, "address": target.address, "function": abi_mod.signature(fn),
        "outputs": abi_mod.format_outputs(fn.get("outputs", []), values),
    }


def call_function(conn: Connection, target: Target, fn: dict, values: list[Any], *,
                  sender: str | None = None, block: str | int = "latest") -> Any:
    """Call ``fn`` with ABI-typed ``values``; returns web3's decoded result."""
    from web3.exceptions import BadFunctionCallOutput

    from smartdev.network import rpc_errors

    what = f"{target.artifact.name}.{fn['name']}"
    contract = conn.w3.eth.contract(address=target.address, abi=[fn])
    bound = contract.get_function_by_signature(abi_mod.signature(fn))(*values)
    tx = {"from": sender} if sender else {}
    with rpc_errors(conn.network.name, conn.network.url), _reverts(what, target.artifact.abi):
        try:
            return bound.call(tx, block_identifier=block)
        except BadFunctionCallOutput as exc:
            raise UsageError(f"{what} returned data that does not match its ABI: {exc}",
                             hint="Is the address really this contract?") from None


def send(env: Environment, conn: Connection, spec: str, args: list[str], *, signer: Signer,
         at: str | None = None, value: int = 0, gas: int | None = None) -> tuple[Target, dict, TxResult]:
    """Send a transaction calling a function; returns the mined result with decoded events."""
    target, fn, converted = _prepare(env, conn, spec, args, at)
    return target, fn, send_function(conn, target, fn, converted, signer=signer, value=value, gas=gas)


def send_function(conn: Connection, target: Target, fn: dict, values: list[Any], *, signer: Signer,
                  value: int = 0, gas: int | None = None) -> TxResult:
    """Send a transaction calling ``fn`` with ABI-typed ``values``."""
    what = f"{target.artifact.name}.{fn['name']}"
    if value and fn.get("stateMutability") != "payable":
        raise UsageError(f"{what} is not payable; it cannot take --value")
    contract = conn.w3.eth.contract(address=target.address, abi=[fn])
    tx = {"to": target.address, "data": contract.encode_abi(abi_mod.signature(fn), args=values), "value": value}
    receipt = _transact(conn, signer, tx, what, target.artifact.abi, gas)
    return _result(conn, receipt, signer.address, target.artifact.abi)
