"""Runtime of the REST services `smartdev gen --service` writes (``<package>/service/``).

- ABI types as pydantic types: integers accept JSON numbers or strings (decimal,
  ``0x`` hex, ``1e18``, ``1.5ether``) and are answered as numbers up to 53 bits and
  as decimal strings above (``uint64`` … ``uint256``: JavaScript loses precision past
  2**53); bytes are ``0x`` hex; addresses are checksummed (lowercase accepted).
- :func:`create_app`: one connection to the network (opened on first use, so a node
  that is down answers 503 until it is up), the account that signs POSTs, and each
  contract's address (configured, else the network's recorded deployment).
- Errors: revert -> 400 with the decoded reason, no deployment -> 404, node
  unreachable -> 503, bad arguments -> 422 (FastAPI's validation).
- :func:`serve`: run an app with uvicorn on a free loopback port in a thread (tests).

fastapi and uvicorn are imported inside functions: only generated services use them.
"""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, PlainValidator, WithJsonSchema

from smartdev.contracts.abi import check_value
from smartdev.contracts.codegen import element, int_bits
from smartdev.errors import ConfigError, NetworkError, NotFoundError, RevertError, SmartdevError, UsageError

if TYPE_CHECKING:  # pragma: no cover
    from fastapi import FastAPI

    from smartdev.context import Environment
    from smartdev.contracts.binding import TxResult
    from smartdev.gen.runtime import ContractClient
    from smartdev.network import Connection

SAFE_INT_BITS = 53  # JSON numbers are exact up to 2**53


def _checker(abi_type: str) -> Callable[[Any], Any]:
    param = {"type": abi_type, "name": ""}
    return lambda value: check_value(param, value)


def integer(bits: int, *, signed: bool) -> Any:
    """``(u)int<bits>``: a JSON number or a string in requests; a number (up to 53 bits) or
    a decimal string in responses."""
    low, high = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    name = f"{'' if signed else 'u'}int{bits}"
    number = {"type": "integer", "minimum": low, "maximum": high} if bits <= SAFE_INT_BITS else {"type": "integer"}
    text = {"type": "string", "pattern": r"^-?(0[xX][0-9a-fA-F]+|[0-9][0-9_]*(\.[0-9]+)?([eE][0-9]+)?\s*[a-z]*)$"}
    out = number if bits <= SAFE_INT_BITS else {"type": "string", "pattern": r"^-?[0-9]+$"}
    return Annotated[
        int,
        PlainValidator(_checker(name)),
        PlainSerializer(int if bits <= SAFE_INT_BITS else str, when_used="json"),
        WithJsonSchema({"anyOf": [number, text], "description": f"{name}: a number, or a string for big values "
                        "(decimal, 0x hex, 1e18, 1.5ether)"}, mode="validation"),
        WithJsonSchema({**out, "description": name + ("" if bits <= SAFE_INT_BITS else " as a decimal string")},
                       mode="serialization"),
    ]


def _hex(value: bytes) -> str:
    return "0x" + bytes(value).hex()


def fixed_bytes(size: int) -> Any:
    """``bytes<size>``: exactly ``size`` bytes as ``0x`` hex."""
    return Annotated[bytes, PlainValidator(_checker(f"bytes{size}")), PlainSerializer(_hex, when_used="json"),
                     WithJsonSchema({"type": "string", "pattern": f"^0x[0-9a-fA-F]{{{2 * size}}}$",
                                     "description": f"bytes{size} as 0x hex"})]


Bytes = Annotated[bytes, PlainValidator(_checker("bytes")), PlainSerializer(_hex, when_used="json"),
                  WithJsonSchema({"type": "string", "pattern": "^0x([0-9a-fA-F]{2})*$", "description": "bytes as 0x hex"})]
Address = Annotated[str, PlainValidator(_checker("address")),
                    WithJsonSchema({"type": "string", "pattern": "^0x[0-9a-fA-F]{40}$",
                                    "description": "address: 0x and 40 hex digits (a mixed-case one must be "
                                    "checksummed)"})]


class Model(BaseModel):
    """Base of the generated request and response models: ABI names as aliases."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid", protected_namespaces=())


class LogModel(Model):
    address: str
    block_number: int
    tx_hash: str
    log_index: int


class EventLog(Model):
    address: str
    event: str | None = Field(description="the event's name; null for logs the contract's ABI does not know")
    args: dict[str, Any] | None = None
    topics: list[str] | None = None
    data: str | None = None


class TxResponse(Model):
    """A mined transaction."""

    tx_hash: str
    block: int
    status: int
    gas_used: int
    from_: str = Field(alias="from")
    contract_address: str | None = None
    events: list[EventLog]


# -- the app and its state ------------------------------------------------------------
class ServiceState:
    """What every request of one app shares: the connection, the signer, addresses."""

    def __init__(self, env: "Environment | None", network: str | None, conn: "Connection | None",
                 addresses: dict[str, str] | None, sender: Any) -> None:
        from smartdev.gen.config import GenConfig

        if env is None:
            from smartdev.context import Environment

            env = Environment()
        cfg = env.config.section("gen", GenConfig)
        self.env = env
        self.network = network or cfg.network
        self.addresses = {k.lower(): v for k, v in {**cfg.addresses, **(addresses or {})}.items()}
        self._sender = sender if sender is not None else cfg.sender
        self._signer: Any = None
        self._conn = conn
        self._owns_conn = conn is None
        self._lock = threading.RLock()
        self.send_lock = threading.Lock()  # one transaction at a time: nonces come from the node

    def connection(self) -> "Connection":
        """The connection, opened on first use (and again after a failure)."""
        with self._lock:
            if self._conn is None:
                from smartdev.network import open_connection, resolve_network

                self._conn = open_connection(self.env, resolve_network(self.env, self.network))
            return self._conn

    def contract(self, cls: type["ContractClient"]) -> "ContractClient":
        conn = self.connection()
        address = self.addresses.get(cls.artifact().name.lower())
        instance = cls.at(conn, address, env=self.env) if address else cls.deployed(conn, env=self.env)
        instance.service = self
        return instance

    def signer(self) -> Any:
        with self._lock:
            if self._signer is None:
                from smartdev.accounts import Signer, resolve_signer

                if isinstance(self._sender, Signer):
                    self._signer = self._sender
                else:
                    try:
                        self._signer = resolve_signer(self.env, self.connection().network, self._sender)
                    except (UsageError, NotFoundError) as exc:
                        raise ConfigError(f"the service has no account to sign with: {exc.message}",
                                          hint="Set [gen] sender in smartdev.toml, or pass sender= to "
                                          "create_app().") from None
            return self._signer

    def close(self) -> None:
        with self._lock:
            if self._owns_conn and self._conn is not None:
                self._conn.close()
                self._conn = None


def create_app(*, title: str, description: str, routers: list[Any], network: str | None = None,
               env: "Environment | None" = None, conn: "Connection | None" = None,
               addresses: dict[str, str] | None = None, sender: Any = None) -> "FastAPI":
    """A FastAPI app serving ``routers``; see the generated ``create_app`` for the arguments."""
    from fastapi import FastAPI
    from fastapi.responses import JSONResponse

    state = ServiceState(env, network, conn, addresses, sender)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        state.close()

    app = FastAPI(title=title, description=description, lifespan=lifespan)
    app.state.smartdev = state

    async def smartdev_error(request: Any, exc: Exception) -> JSONResponse:
        status, body = error_response(exc)
        return JSONResponse(body, status_code=status)

    app.add_exception_handler(SmartdevError, smartdev_error)

    @app.get("/health", tags=["service"], summary="The network the service uses, and its head block")
    def health() -> dict[str, Any]:
        conn = state.connection()
        from smartdev.network import rpc_errors

        with rpc_errors(conn.network.name, conn.network.url):
            head = conn.w3.eth.block_number
        return {"network": conn.network.name, "chain_id": conn.chain_id, "block": head}

    for router in routers:
        app.include_router(router)
    return app


def error_response(exc: Exception) -> tuple[int, dict[str, Any]]:
    """The HTTP status and JSON body for a smartdev error."""
    message = exc.one_line() if isinstance(exc, SmartdevError) else str(exc)
    if isinstance(exc, RevertError):
        return 400, {"detail": message, "reason": exc.reason, "data": exc.data, "tx_hash": exc.tx_hash}
    if isinstance(exc, NetworkError):
        return 503, {"detail": message}
    if isinstance(exc, NotFoundError):
        return 404, {"detail": message}
    if isinstance(exc, UsageError):
        return 400, {"detail": message}
    return 500, {"detail": message}


def contract(cls: type["ContractClient"]) -> Callable[..., Any]:
    """A FastAPI dependency giving the deployed instance of client class ``cls``."""
    from fastapi import Request

    def dependency(request: Request) -> Any:
        return request.app.state.smartdev.contract(cls)

    return dependency


def send(method: Callable[..., "TxResult"], *args: Any, value_wei: int | None = None) -> dict[str, Any]:
    """Call a state-changing client method with the service's signer; the mined result as JSON."""
    client: Any = method.__self__  # type: ignore[attr-defined]
    state: ServiceState = client.service
    extra = {} if value_wei is None else {"value_wei": value_wei}
    signer = state.signer()
    with state.send_lock:
        result = method(*args, signer=signer, **extra)
    return tx_json(client, result)


def tx_json(client: "ContractClient", result: "TxResult") -> dict[str, Any]:
    """A TxResult as JSON, event arguments wider than 53 bits as decimal strings."""
    entries = {e["name"]: e for e in client.artifact().abi if e.get("type") == "event"}
    data = result.as_dict()
    for event in data["events"]:
        entry = entries.get(event.get("event") or "")
        if entry is not None and event.get("args") is not None:
            params = {p.get("name") or f"arg{i}": p for i, p in enumerate(entry["inputs"])}
            event["args"] = {k: _big_as_str(params[k], v) if k in params else v for k, v in event["args"].items()}
    return data


def _big_as_str(param: dict[str, Any], value: Any) -> Any:
    inner = element(param)
    if inner is not None and isinstance(value, list):
        return [_big_as_str(inner[0], v) for v in value]
    if param["type"] == "tuple" and isinstance(value, (list, dict)):
        components = param.get("components", [])
        if isinstance(value, dict):
            named = {c.get("name"): c for c in components}
            return {k: _big_as_str(named[k], v) for k, v in value.items()}
        return [_big_as_str(c, v) for c, v in zip(components, value)]
    bits = int_bits(param["type"])
    if bits and bits[0] > SAFE_INT_BITS and isinstance(value, int):
        return str(value)
    return value


@contextmanager
def serve(app: Any, host: str = "127.0.0.1", timeout: float = 10.0) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free port of ``host`` in a background thread;
    yields the base URL (``http://127.0.0.1:PORT``) and stops the server on exit."""
    import socket

    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=f"uvicorn:{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    try:
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the service did not start on {host}:{port}")
            time.sleep(0.01)
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
        sock.close()
