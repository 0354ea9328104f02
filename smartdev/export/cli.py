"""`smartdev export`: the command line over :mod:`smartdev.export.pipeline`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from smartdev.context import current

if TYPE_CHECKING:  # pragma: no cover
    from smartdev.context import Environment

DEFAULT_SINK = "sqlite:///chain.db"

app = typer.Typer(add_completion=False, invoke_without_command=True,
                  help="Chain data out to SQLite, PostgreSQL, MySQL/MariaDB, CSV or JSON Lines: "
                  "resumable, exactly once, reorg-safe, verified.")

SinkOption = Annotated[Optional[str], typer.Option(
    "--to", help=f"Where to: sqlite:///FILE, postgresql://…, mysql://…, jsonl:DIR, csv:DIR "
    f"(default: \\[export] to, else {DEFAULT_SINK}).", show_default=False)]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _sink(env: Environment, given: str | None) -> str:
    from smartdev.export.config import ExportConfig

    return given or env.config.section("export", ExportConfig).to or DEFAULT_SINK


@app.callback()
def export(
    ctx: typer.Context,
    network: Annotated[Optional[str], typer.Option("--network", "-n", help="Network to read (a node reachable over RPC: local, a configured network, or a URL).", show_default=False)] = None,
    rpc: Annotated[Optional[str], typer.Option("--rpc", help="JSON-RPC URL of the node (instead of --network).", show_default=False)] = None,
    to: SinkOption = None,
    start: Annotated[int, typer.Option("--from", min=0, help="First block.")] = 0,
    end: Annotated[Optional[int], typer.Option("--to-block", min=0, help="Last block (default: the head, less --confirmations).", show_default=False)] = None,
    abi: Annotated[Optional[Path], typer.Option("--abi", help="Artifacts (a folder or file) to decode events and calls with (default: the project's build folder).", show_default=False)] = None,
    no_decode: Annotated[bool, typer.Option("--no-decode", help="Only blocks, transactions, receipts and logs.")] = False,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, max=64, help="Ranges fetched and written at once.")] = 4,
    chunk: Annotated[int, typer.Option("--chunk", min=1, help="Blocks per committed range.")] = 100,
    verify: Annotated[bool, typer.Option("--verify", help="Check every block's transactions root, receipts root and hash before writing it.")] = False,
    follow: Annotated[bool, typer.Option("--follow", help="Keep up with the head (Ctrl-C to stop); reorganisations are rolled back.")] = False,
    confirmations: Annotated[int, typer.Option("--confirmations", min=0, help="Stay this many blocks behind the head.")] = 0,
    json_out: JsonOption = False,
) -> None:
    """Export blocks, transactions, receipts, logs and decoded events/calls; `status` and `verify` check a sink."""
    if ctx.invoked_subcommand is not None:
        return
    from smartdev.export import pipeline

    env = current()
    with _rpc_url(env, network, rpc) as url:
        options = pipeline.Options(rpc_url=url, sink_url=_sink(env, to), start=start, end=end, chunk=chunk,
                                   workers=workers, verify=verify, follow=follow, confirmations=confirmations,
                                   abi=(env.cwd / abi) if abi else None, decode=not no_decode)
        with _progress(env, enabled=not json_out) as report:
            summary = pipeline.run(env, options, on_progress=report, on_info=env.output.info)
    for warning in summary.warnings:
        env.output.warn(warning)
    if json_out:
        env.output.json({"chain_id": summary.chain_id, "from": summary.start, "to": summary.end,
                         "blocks": summary.blocks, "ranges": summary.ranges, "rows": summary.rows,
                         "seconds": round(summary.seconds, 3), "blocks_per_second": round(summary.blocks_per_second, 1),
                         "reorgs": summary.reorgs, "warnings": summary.warnings, "sink": options.sink_url})
        return
    rows = ", ".join(f"{n} {t}" for t, n in sorted(summary.rows.items()) if n)
    if summary.blocks:
        env.output.success(f"exported {summary.blocks} block(s) {summary.start}..{summary.end} in "
                           f"{summary.seconds:.2f} s ({summary.blocks_per_second:,.0f} blocks/s) to "
                           f"{options.sink_url}: {rows or 'no rows'}")
    else:
        env.output.info(f"nothing to export: blocks {summary.start}..{summary.end} are already in {options.sink_url}")


@app.command("status")
def status(to: SinkOption = None, json_out: JsonOption = False) -> None:
    """Progress of a sink: committed ranges, gaps, last block, rows per table, claims in flight."""
    from smartdev.export.sinks import open_existing

    env = current()
    url = _sink(env, to)
    sink = open_existing(url, env=env)
    try:
        state = sink.status()
    finally:
        sink.close()
    data = state.as_dict()
    if json_out:
        env.output.json({"sink": url, **data})
        return
    out = env.output.stdout
    out.write(f"sink        {url}\n")
    out.write(f"chain id    {data.get('chain_id')}\n")
    out.write(f"blocks      {data.get('first_block')}..{data.get('last_block')}\n")
    gaps = data.get("gaps") or []
    out.write("gaps        " + (", ".join(f"{a}..{b}" for a, b in gaps) if gaps else "none") + "\n")
    if data.get("claimed"):
        out.write(f"in flight   {len(data['claimed'])} range(s)\n")
    for table, count in sorted((data.get("rows") or {}).items()):
        out.write(f"  {table:<40} {count:>12,}\n")


@app.command("verify")
def verify_cmd(
    to: SinkOption = None,
    start: Annotated[Optional[int], typer.Option("--from", min=0, help="First block (default: the first stored).", show_default=False)] = None,
    end: Annotated[Optional[int], typer.Option("--to-block", min=0, help="Last block (default: the last stored).", show_default=False)] = None,
    json_out: JsonOption = False,
) -> None:
    """Re-check stored data: each block's transactions root, receipts root and hash, and the parent-hash chain."""
    from smartdev.errors import VerificationError
    from smartdev.export.pipeline import verify_stored

    env = current()
    url = _sink(env, to)
    report = verify_stored(env, url, start=start, end=end)
    if json_out:
        env.output.json({"sink": url, **report})
    if report["problems"]:
        shown = "; ".join(report["problems"][:5])
        more = f" (and {len(report['problems']) - 5} more)" if len(report["problems"]) > 5 else ""
        raise VerificationError(f"{len(report['problems'])} problem(s) in {url}: {shown}{more}",
                                hint="Re-export the named blocks into a fresh sink; the chain is the reference.")
    if not json_out:
        gaps = f"; gaps {report['gaps']}" if report["gaps"] else ""
        env.output.success(f"verified {report['blocks']} block(s) {report['from']}..{report['to']} in {url}: "
                           f"every transactions root, receipts root, block hash and parent link matches{gaps}")


class _rpc_url:
    """The node's JSON-RPC URL: --rpc, else the network's (an anvil network is started for the run)."""

    def __init__(self, env: Environment, network: str | None, rpc: str | None) -> None:
        self.env, self.network, self.rpc = env, network, rpc
        self.conn = None

    def __enter__(self) -> str:
        from smartdev.errors import UsageError

        if self.rpc and self.network:
            raise UsageError("give --network or --rpc, not both")
        if self.rpc:
            if not self.rpc.startswith(("http://", "https://")):
                raise UsageError(f"--rpc {self.rpc!r} is not an http(s) URL")
            return self.rpc
        from smartdev.network import resolve_network

        net = resolve_network(self.env, self.network)
        if net.kind == "embedded":
            raise UsageError(f"network '{net.name}' is the in-process embedded chain: there is nothing to export "
                             "once the command ends",
                             hint="Start a node with `smartdev chain start` and use --network local, or pass --rpc URL.")
        if net.kind == "anvil":
            from smartdev.network import open_connection

            self.conn = open_connection(self.env, net)
            return net.url  # set once the node is up
        if not net.url or not net.url.startswith(("http://", "https://")):
            raise UsageError(f"network '{net.name}' has no http(s) URL to export from ({net.url})")
        return net.url

    def __exit__(self, *exc: object) -> None:
        if self.conn is not None:
            self.conn.close()


class _progress:
    """A rich progress bar (blocks, blocks/s, ETA) on a terminal's stderr; silent otherwise."""

    def __init__(self, env: Environment, *, enabled: bool) -> None:
        self.env = env
        self.enabled = enabled and env.output.stderr.isatty()
        self.bar = None
        self.task = None

    def __enter__(self):
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(TextColumn("exporting"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[rate]} blocks/s"), TimeRemainingColumn(),
                            console=Console(file=self.env.output.stderr), transient=True)
        self.bar.start()
        import time

        began = time.monotonic()

        def report(done: int, total: int) -> None:
            if self.task is None:
                self.task = self.bar.add_task("export", total=total, rate="-")
            rate = done / max(time.monotonic() - began, 1e-6)
            self.bar.update(self.task, completed=done, total=total, rate=f"{rate:,.0f}")

        return report

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
