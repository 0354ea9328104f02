"""`smartdev deploy`, `smartdev call`, `smartdev send`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from smartdev.context import current

if TYPE_CHECKING:  # pragma: no cover
    from smartdev.context import Environment
    from smartdev.contracts.ops import TxResult

NetworkOption = Annotated[
    Optional[str],
    typer.Option("--network", "-n", help="Network name from the config, or an RPC URL (default: default_network, else embedded)."),
]
FromOption = Annotated[
    Optional[str],
    typer.Option("--from", "-f", help="Signer: dev account (alice, bob, … on dev chains), an \\[accounts.NAME] entry, or a keystore file. Password: SMARTDEV_PASSWORD or a prompt."),
]
AtOption = Annotated[Optional[str], typer.Option("--at", help="Contract address (default: its recorded deployment on this network).")]
ValueOption = Annotated[Optional[str], typer.Option("--value", help="Ether to send, e.g. 1ether, 5gwei, 1000 (wei).")]
GasOption = Annotated[Optional[int], typer.Option("--gas", min=21000, help="Gas limit (default: estimate + 20%).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
ArgsArgument = Annotated[Optional[list[str]], typer.Argument(help="Arguments, converted by their ABI types (arrays and structs as JSON).", show_default=False)]

deploy_app = typer.Typer(add_completion=False)
call_app = typer.Typer(add_completion=False)
send_app = typer.Typer(add_completion=False)


def _value(text: str | None) -> int:
    if text is None:
        return 0
    from smartdev.contracts.abi import parse_int

    return parse_int(text, label="--value")


def _print_tx(env: Environment, result: TxResult, extra: list[tuple[str, Any]]) -> None:
    env.output.fields([*extra, ("tx", result.tx_hash), ("block", result.block),
                       ("gas used", f"{result.gas_used:,}")])
    for event in result.events:
        if event["event"] is None:
            env.output.plain(f"  log {event['address']} topics={event['topics']}")
        else:
            args = ", ".join(f"{k}={v}" for k, v in event["args"].items())
            env.output.plain(f"  event {event['event']}({args})")


@deploy_app.command("deploy")
def deploy(
    contract: Annotated[str, typer.Argument(help="Contract name (or path/File.sol:Name) in the build folder.")],
    args: ArgsArgument = None,
    network: NetworkOption = None,
    sender: FromOption = None,
    value: ValueOption = None,
    gas: GasOption = None,
    json_out: JsonOption = False,
) -> None:
    """Deploy a compiled contract and record its address for the network."""
    from smartdev.accounts import resolve_signer
    from smartdev.contracts import ops
    from smartdev.network import connect

    env = current()
    with connect(env, network) as conn:
        signer = resolve_signer(env, conn.network, sender)
        artifact, result = ops.deploy(env, conn, contract, list(args or []), signer=signer,
                                      value=_value(value), gas=gas)
    if json_out:
        env.output.json({"contract": artifact.name, "address": result.contract_address,
                         "network": conn.network.name, "chain_id": conn.chain_id, **result.as_dict()})
        return
    env.output.success(f"{artifact.name} deployed at {result.contract_address}")
    if not conn.network.persistent:
        env.output.warn(f"network '{conn.network.name}' lives only as long as this command; "
                        "use `smartdev chain start` and --network local to keep contracts")
    _print_tx(env, result, [("network", conn.description), ("from", signer.label)])


@call_app.command("call")
def call(
    function: Annotated[str, typer.Argument(help="Contract.function, or Contract.function(types) for an overload.")],
    args: ArgsArgument = None,
    network: NetworkOption = None,
    at: AtOption = None,
    sender: Annotated[Optional[str], typer.Option("--from", "-f", help="Caller address or account name (msg.sender).")] = None,
    block: Annotated[str, typer.Option("--block", help="Block number or tag.")] = "latest",
    json_out: JsonOption = False,
) -> None:
    """Call a view function (no transaction) and print what it returns."""
    from smartdev.contracts import ops
    from smartdev.network import connect

    env = current()
    with connect(env, network) as conn:
        caller = _caller_address(env, conn, sender)
        block_id = _block_id(block)
        result = ops.call(env, conn, function, list(args or []), at=at, sender=caller, block=block_id)
    if json_out:
        env.output.json(result)
        return
    outputs = result["outputs"]
    if len(outputs) == 1:
        env.output.plain(_show(outputs[0]["value"]))
    else:
        env.output.fields([(o["name"] or f"[{i}]", _show(o["value"])) for i, o in enumerate(outputs)])


def _block_id(text: str) -> str | int:
    if text in ("latest", "earliest", "pending", "safe", "finalized"):
        return text
    try:
        number = int(text, 0)
    except ValueError:
        number = -1
    if number < 0:
        from smartdev.errors import UsageError

        raise UsageError(f"--block {text!r} is not a block number or tag",
                         hint="Use a number (123 or 0x7b) or latest, earliest, pending, safe, finalized.")
    return number


def _caller_address(env: Environment, conn, sender: str | None) -> str | None:
    if sender is None:
        return None
    from eth_utils import is_address, to_checksum_address

    if is_address(sender):
        return to_checksum_address(sender)
    from smartdev.accounts import address_book
    from smartdev.errors import NotFoundError

    address = address_book(env, conn.network).get(sender)
    if address is None:
        raise NotFoundError(f"unknown account '{sender}' for --from")
    return address


def _show(value: Any) -> str:
    import json

    return value if isinstance(value, str) else json.dumps(value)


@send_app.command("send")
def send(
    function: Annotated[str, typer.Argument(help="Contract.function, or Contract.function(types) for an overload.")],
    args: ArgsArgument = None,
    network: NetworkOption = None,
    sender: FromOption = None,
    at: AtOption = None,
    value: ValueOption = None,
    gas: GasOption = None,
    json_out: JsonOption = False,
) -> None:
    """Send a transaction that calls a contract function; show the receipt and events."""
    from smartdev.accounts import resolve_signer
    from smartdev.contracts import ops
    from smartdev.network import connect

    env = current()
    with connect(env, network) as conn:
        signer = resolve_signer(env, conn.network, sender)
        target, fn, result = ops.send(env, conn, function, list(args or []), signer=signer, at=at,
                                      value=_value(value), gas=gas)
    if json_out:
        env.output.json({"contract": target.artifact.name, "address": target.address,
                         "function": fn["name"], "network": conn.network.name, **result.as_dict()})
        return
    env.output.success(f"{target.artifact.name}.{fn['name']} succeeded")
    _print_tx(env, result, [("network", conn.description), ("from", signer.label), ("to", target.address)])
