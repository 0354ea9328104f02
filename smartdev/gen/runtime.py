"""Runtime of the typed clients `smartdev gen` writes (``<package>/client/``).

A client class is a :class:`~smartdev.contracts.binding.ContractBinding` that reads its
ABI and bytecode from the package (``client/abi/<Name>.json``), so it works without
``build/``. Arguments are checked and normalised as on the command line (ints or
integer strings, ``bytes`` or ``0x`` hex, addresses in any case, the generated struct
dataclasses, dicts or tuples for structs); results come back with structs as the
generated dataclasses; events are frozen dataclasses with a :class:`LogInfo`.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from smartdev.contracts import abi as abi_mod
from smartdev.contracts.artifacts import Artifact, read_artifact
from smartdev.contracts.binding import ContractBinding, TxResult
from smartdev.contracts.codegen import element, signature, struct_key

if TYPE_CHECKING:  # pragma: no cover
    from smartdev.accounts import Signer
    from smartdev.context import Environment
    from smartdev.network import Connection

__all__ = ["ContractClient", "Event", "LogInfo", "TxResult"]

E = TypeVar("E", bound="Event")
_ARTIFACTS: dict[type, Artifact] = {}


@dataclass(frozen=True)
class LogInfo:
    """Where an event was logged."""

    address: str
    block_number: int
    tx_hash: str
    log_index: int


@dataclass(frozen=True)
class Event:
    """Base of the generated event records; ``log`` says where it was logged."""

    SIGNATURE: ClassVar[str] = ""
    log: LogInfo | None = field(default=None, kw_only=True, compare=False, repr=False)


class ContractClient(ContractBinding):
    """A deployed contract seen through its generated client class."""

    ABI_FILE: ClassVar[str] = ""  # the embedded artifact, relative to the class's module
    STRUCTS: ClassVar[dict[str, type]] = {}  # struct key (codegen.struct_key) -> dataclass
    EVENTS: ClassVar[tuple[type[Event], ...]] = ()

    @classmethod
    def artifact(cls) -> Artifact:
        cached = _ARTIFACTS.get(cls)
        if cached is None:
            cached = _ARTIFACTS[cls] = read_artifact(Path(inspect.getfile(cls)).parent / cls.ABI_FILE)
        return cached

    # -- deploy, call, send: typed values in and out -----------------------------------
    @classmethod
    def _deploy(cls, conn: Connection, values: list[Any], *, signer: Signer | None, value_wei: int,
                gas_limit: int | None, env: Environment | None):
        inputs = (abi_mod.find_constructor(cls.artifact().abi) or {"inputs": []})["inputs"]
        converted = abi_mod.convert_values(inputs, _plain(values), what=f"{cls.artifact().name} constructor")
        return super()._deploy(conn, converted, signer=signer, value_wei=value_wei, gas_limit=gas_limit, env=env)

    def _call(self, signature: str, values: list[Any], *, block: str | int) -> Any:
        fn = self._function(signature)
        result = super()._call(signature, self._arguments(fn, values), block=block)
        outputs = fn.get("outputs", [])
        if len(outputs) == 1:
            return self._python(outputs[0], result)
        return tuple(self._python(o, v) for o, v in zip(outputs, result))

    def _send(self, signature: str, values: list[Any], *, signer: Signer | None, value_wei: int,
              gas_limit: int | None) -> TxResult:
        converted = self._arguments(self._function(signature), values)
        return super()._send(signature, converted, signer=signer, value_wei=value_wei, gas_limit=gas_limit)

    def _arguments(self, fn: dict[str, Any], values: list[Any]) -> list[Any]:
        return abi_mod.convert_values(fn.get("inputs", []), _plain(values), what=f"{self.artifact().name}.{fn['name']}")

    @classmethod
    def _python(cls, param: dict[str, Any], value: Any) -> Any:
        """A decoded ABI value as the client's Python type (structs as the generated dataclasses)."""
        inner = element(param)
        if inner is not None:
            return [cls._python(inner[0], item) for item in value]
        if param["type"] == "tuple":
            components = param.get("components", [])
            if isinstance(value, Mapping):  # web3 decodes structs inside events as {name: value}
                value = [value[c.get("name") or f"arg{i}"] for i, c in enumerate(components)]
            items = [cls._python(c, v) for c, v in zip(components, value)]
            struct = cls.STRUCTS.get(struct_key(param))
            return struct(*items) if struct is not None else tuple(items)
        if isinstance(value, (bytes, bytearray)):  # HexBytes too
            return bytes(value)
        return value

    # -- events ---------------------------------------------------------------------
    def events(self, result: TxResult | str, *types: type[E]) -> list[E]:
        """The events this contract logged in a transaction (its TxResult or hash), as typed
        records; only those of ``types`` when given."""
        from smartdev.network import rpc_errors

        tx_hash = result.tx_hash if isinstance(result, TxResult) else result
        with rpc_errors(self.conn.network.name, self.conn.network.url):
            receipt = self.conn.w3.eth.get_transaction_receipt(tx_hash)
        return self._decode(receipt["logs"], types)

    def get_events(self, *types: type[E], from_block: int | str = 0, to_block: int | str = "latest") -> list[E]:
        """The events this contract logged in a block range (both ends included), oldest first."""
        from eth_utils import event_abi_to_log_topic

        from smartdev.network import rpc_errors

        query: dict[str, Any] = {"address": self.address, "fromBlock": from_block, "toBlock": to_block}
        if types:
            query["topics"] = [["0x" + event_abi_to_log_topic(self._event_entry(t)).hex() for t in types]]
        with rpc_errors(self.conn.network.name, self.conn.network.url):
            logs = self.conn.w3.eth.get_logs(query)
        return self._decode(logs, types)

    def _event_entry(self, event_type: type[Event]) -> dict[str, Any]:
        for entry in self.artifact().abi:
            if entry.get("type") == "event" and signature(entry) == event_type.SIGNATURE:
                return entry
        raise ValueError(f"{event_type.__name__} is not an event of {self.artifact().name}")

    def _decode(self, logs: list[Any], types: tuple[type[E], ...]) -> list[E]:
        from eth_utils import event_abi_to_log_topic
        from web3._utils.events import get_event_data

        wanted = types or self.EVENTS
        by_topic = {event_abi_to_log_topic(entry): (event_type, entry)
                    for event_type in wanted for entry in [self._event_entry(event_type)]}
        records = []
        for log in logs:
            if log["address"].lower() != self.address.lower() or not log["topics"]:
                continue
            match = by_topic.get(bytes(log["topics"][0]))
            if match is None:
                continue
            event_type, entry = match
            args = get_event_data(self.conn.w3.codec, entry, log)["args"]
            values = []
            for i, inp in enumerate(entry["inputs"]):
                value = args.get(inp["name"] or f"arg{i}")
                # bytes as they are: an indexed string, array or struct is logged as its hash
                values.append(bytes(value) if isinstance(value, (bytes, bytearray)) else self._python(inp, value))
            where = LogInfo(address=log["address"], block_number=log["blockNumber"],
                            tx_hash="0x" + bytes(log["transactionHash"]).hex(), log_index=log["logIndex"])
            records.append(event_type(*values, log=where))
        return records


def _plain(value: Any) -> Any:
    """Dataclass instances (the generated structs) as tuples and pydantic models (the
    service's) as ``{ABI name: value}`` dicts, inside lists too."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tuple(_plain(getattr(value, f.name)) for f in dataclasses.fields(value))
    if callable(getattr(value, "model_dump", None)):
        return value.model_dump(by_alias=True)
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
