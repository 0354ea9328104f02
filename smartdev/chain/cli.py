"""`smartdev chain start|status|stop` and `smartdev networks`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from smartdev.context import current

app = typer.Typer(
    name="chain",
    help="Run a local node in the background (py-evm or anvil); later commands reach it as --network local.",
    add_completion=False,
    no_args_is_help=True,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


@app.command()
def start(
    engine: Annotated[
        str, typer.Option("--engine", "-e", help="embedded (py-evm) or anvil.")
    ] = "embedded",
    port: Annotated[int, typer.Option("--port", "-p", min=1, max=65535, help="Port on 127.0.0.1.")] = 8545,
    state: Annotated[
        Optional[Path],
        typer.Option("--state", help="State file (default: .smartdev/chain.db or .smartdev/anvil-state.json)."),
    ] = None,
    chain_id: Annotated[Optional[int], typer.Option("--chain-id", min=1, help="Chain id (embedded default 1337, anvil 31337).")] = None,
    fresh: Annotated[bool, typer.Option("--fresh", help="Discard the saved chain state and start from genesis.")] = False,
    json_out: JsonOption = False,
) -> None:
    """Start the project's local node in the background; its state survives stop/start."""
    from smartdev.chain import node

    env = current()
    with env.output.status(f"starting {engine} node on port {port}…"):
        info = node.start(env, engine=engine, port=port, state=state, chain_id=chain_id, fresh=fresh)
    if json_out:
        env.output.json(info.__dict__)
        return
    env.output.success(f"{info.engine} node running at {info.url} (chain {info.chain_id}, pid {info.pid})")
    env.output.fields([("state", info.state_file), ("log", info.log_file),
                       ("use it", "--network local"), ("stop it", "smartdev chain stop")])


@app.command()
def status(json_out: JsonOption = False) -> None:
    """Show the local node: engine, URL, chain id, head block, pid."""
    from smartdev.chain import node
    from smartdev.errors import NotFoundError

    env = current()
    info = node.status(env)
    if info is None:
        if json_out:
            env.output.json({"running": False})
            return
        raise NotFoundError("no local node is running for this project", hint="Start one with `smartdev chain start`.")
    if json_out:
        env.output.json({"running": True, **info})
        return
    env.output.fields([
        ("engine", info["engine"]), ("url", info["url"]), ("chain id", info["chain_id"]),
        ("head block", info.get("head_block", "?") if info["responding"] else f"not responding: {info.get('error')}"),
        ("pid", info["pid"]), ("state", info["state_file"]), ("started", info["started_at"]),
    ])


@app.command()
def stop() -> None:
    """Stop the local node; its state is saved for the next start."""
    from smartdev.chain import node

    env = current()
    info = node.stop(env)
    if info is None:
        env.output.info("no local node is running for this project")
        return
    env.output.success(f"stopped {info.engine} node (pid {info.pid}); state kept in {info.state_file}")


networks_app = typer.Typer(add_completion=False)


@networks_app.command("networks")
def networks(
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds to wait for each network.")] = 2.0,
    json_out: JsonOption = False,
) -> None:
    """List configured networks and whether each is reachable."""
    from concurrent.futures import ThreadPoolExecutor

    from smartdev.network import probe, resolve_network

    env = current()
    config = env.config
    resolved = [resolve_network(env, name) for name in config.network_names()]
    with ThreadPoolExecutor(max_workers=8) as pool:
        probes = list(pool.map(lambda n: probe(env, n, timeout), resolved))
    rows = []
    for net, result in zip(resolved, probes):
        rows.append({
            "name": net.name, "kind": net.kind, "url": net.url,
            "default": net.name == config.default_network,
            "dev_accounts": net.dev_accounts, **result,
        })
    if json_out:
        env.output.json(rows)
        return
    env.output.table(
        ["network", "kind", "url", "reachable", "chain id", "head", "note"],
        [[r["name"] + (" (default)" if r["default"] else ""), r["kind"], r["url"] or "",
          "yes" if r["reachable"] else "no", r.get("chain_id", ""), r.get("head", ""),
          "" if r["reachable"] and r["kind"] == "rpc" else r["detail"]] for r in rows],
    )
