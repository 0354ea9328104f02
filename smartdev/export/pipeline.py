"""The export: ranges of blocks from a node's JSON-RPC into a sink, exactly once.

A run plans the block range as work ranges in the sink itself (``sink.plan``), then
``workers`` threads each loop: claim a range (``sink.claim``: atomic, also across
processes and machines sharing a database), fetch its blocks and receipts in batched
JSON-RPC requests, turn them into rows (``rows.rows_for``), decode events and calls
with the project's ABIs (``decode.Decoder``), optionally verify every block against
its header (``verify.verify_block``), and commit the rows and the range's done mark in
one transaction (``sink.commit``). A process killed at any moment leaves each range
fully committed or not at all; the next run claims what is left.

``follow`` keeps going: it waits for new blocks, exports up to ``head -
confirmations``, and before each round compares the stored tip's hashes with the
chain's; on a reorganisation the orphaned blocks' rows are rolled back
(``sink.rollback``) and the new branch exported.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from smartdev.errors import NetworkError, UsageError, VerificationError

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    from smartdev.context import Environment

DEFAULT_CHUNK = 100  # blocks per work range
DEFAULT_WORKERS = 4
STALE_AFTER = 20.0  # seconds without a heartbeat before another worker (or process) takes a claimed range over
HEARTBEAT = STALE_AFTER / 4
FOREIGN_POLL = 1.0  # seconds between looks at other processes' claims, once nothing is left to claim
REORG_WINDOW = 128  # stored blocks compared with the chain before each follow round


@dataclass
class Options:
    rpc_url: str
    sink_url: str
    start: int = 0
    end: int | None = None  # default: the head (less confirmations)
    chunk: int = DEFAULT_CHUNK
    workers: int = DEFAULT_WORKERS
    verify: bool = False
    follow: bool = False
    confirmations: int = 0
    poll: float = 1.0  # seconds between head checks when following
    abi: Path | None = None  # artifacts to decode with (default: the project's build folder)
    decode: bool = True
    max_rounds: int | None = None  # follow: stop after this many rounds (tests)


@dataclass
class Summary:
    chain_id: int
    start: int
    end: int
    blocks: int = 0  # exported by this run
    ranges: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    reorgs: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def blocks_per_second(self) -> float:
        return self.blocks / self.seconds if self.seconds > 0 else 0.0


class _Progress:
    """Thread-safe counters, reported to ``on_progress(done_blocks, total_blocks)``."""

    def __init__(self, total: int, report: Callable[[int, int], None] | None) -> None:
        self.total = total
        self.done = 0
        self.report = report
        self.lock = threading.Lock()

    def add(self, blocks: int) -> None:
        with self.lock:
            self.done += blocks
            if self.report:
                self.report(self.done, self.total)


def owner_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def run(env: Environment, options: Options, *, on_progress: Callable[[int, int], None] | None = None,
        on_info: Callable[[str], None] | None = None) -> Summary:
    """Export ``options.start``..``options.end`` (and, following, what comes after)."""
    from smartdev.export.sinks import open_sink
    from smartdev.export.sinks.schema import CORE_TABLES

    say = on_info or (lambda message: None)
    if options.chunk < 1 or options.workers < 1:
        raise UsageError("--chunk and --workers must be at least 1")
    if options.end is not None and options.end < options.start:
        raise UsageError(f"--to-block {options.end} is before --from {options.start}")
    rpc = _Clients(options.rpc_url)  # RpcClient is for one thread: one per worker thread
    try:
        chain_id = rpc.chain_id()
        genesis = rpc.block_hash(0)
        head = rpc.head()
    except BaseException:
        rpc.close()
        raise
    if options.start > head and not options.follow:
        rpc.close()
        raise UsageError(f"--from {options.start} is beyond the chain's head (block {head})",
                         hint="Pick a lower --from, or --follow to wait for it.")
    decoder = _decoder(env, options, rpc, chain_id) if options.decode else None
    sink = open_sink(options.sink_url, env=env)  # only now: bad input above leaves no sink behind
    try:
        tables = list(CORE_TABLES) + (decoder.tables() if decoder else [])
        sink.prepare(chain_id, genesis, tables)
        summary = Summary(chain_id=chain_id, start=options.start, end=options.start - 1)
        began = time.monotonic()
        rounds = 0
        while True:
            head = rpc.head()
            safe = head - options.confirmations
            end = safe if options.end is None else min(options.end, safe)
            _check_reorg(rpc, sink, summary, say)  # a resumed or following export starts from the chain as it is
            if end >= options.start:
                sink.plan(options.start, end, options.chunk)
                summary.end = max(summary.end, end)
                _drain(sink, rpc, decoder, options, summary, on_progress, end)
                if options.follow:
                    say(f"up to block {end} (head {head}): {summary.blocks} block(s) exported so far")
            rounds += 1
            if not options.follow or (options.end is not None and summary.end >= options.end):
                break
            if options.max_rounds is not None and rounds >= options.max_rounds:
                break
            time.sleep(options.poll)
        summary.seconds = time.monotonic() - began
        if decoder is not None:
            summary.warnings.extend(decoder.warnings)
        return summary
    finally:
        sink.close()
        rpc.close()


class _Clients:
    """One :class:`~smartdev.export.rpc.RpcClient` per thread, used as one client."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.local = threading.local()
        self.all: list[Any] = []
        self.lock = threading.Lock()

    def get(self) -> Any:
        client = getattr(self.local, "client", None)
        if client is None:
            from smartdev.export.rpc import RpcClient

            client = self.local.client = RpcClient(self.url)
            with self.lock:
                self.all.append(client)
        return client

    def __getattr__(self, name: str) -> Any:
        return getattr(self.get(), name)

    def close(self) -> None:
        for client in self.all:
            client.close()


def _decoder(env: Environment, options: Options, rpc: Any, chain_id: int) -> Any:
    """ABIs from --abi (which must hold some), else the project's build folder (may be empty)."""
    from smartdev.export.decode import Decoder

    return Decoder.for_project(env, options.abi, code_of=rpc.code, codes_of=rpc.codes, chain_id=chain_id)


def _drain(sink: Any, rpc: Any, decoder: Any, options: Options, summary: Summary,
           on_progress: Callable[[int, int], None] | None, end: int) -> None:
    """Work until every planned range is committed: ``options.workers`` threads claim,
    fetch and commit; claims held by other processes are waited for (or taken over
    once they go stale: a crashed process stops heartbeating)."""
    status = sink.status()
    pending = max(0, (end - options.start + 1) - status.committed_blocks(options.start, end))
    progress = _Progress(pending, on_progress)
    errors: list[BaseException] = []
    held: set[Any] = set()
    lock = threading.Lock()
    stop = threading.Event()

    def worker() -> None:
        owner = owner_id()
        while not errors:
            claimed = sink.claim(owner, STALE_AFTER)
            if claimed is None:  # all taken: wait only for other processes' claims (they may die)
                if not _others_working(sink) or stop.wait(FOREIGN_POLL):
                    return
                continue
            with lock:
                held.add(claimed)
            try:
                rows = _fetch_range(rpc, decoder, options, claimed.start, claimed.end)
                committed = sink.commit(claimed, rows)
            except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                sink.release(claimed)
                with lock:
                    errors.append(exc)
                return
            finally:
                with lock:
                    held.discard(claimed)
            if not committed:  # taken over meanwhile (we were too slow): the other worker commits it
                continue
            with lock:
                summary.ranges += 1
                summary.blocks += claimed.end - claimed.start + 1
                for table, table_rows in rows.items():
                    summary.rows[table] = summary.rows.get(table, 0) + len(table_rows)
            progress.add(claimed.end - claimed.start + 1)

    def heartbeats() -> None:
        while not stop.wait(HEARTBEAT):
            with lock:
                ranges = list(held)
            for claimed in ranges:
                sink.heartbeat(claimed)

    beating = threading.Thread(target=heartbeats, name="export-heartbeat", daemon=True)
    beating.start()
    threads = [threading.Thread(target=worker, name=f"export-{i}", daemon=True) for i in range(options.workers)]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join()
    finally:
        stop.set()
        beating.join()
    if errors:
        raise errors[0]


def _others_working(sink: Any) -> bool:
    """Whether other processes still hold claims (this process's own threads finish theirs).
    Claims of processes of this machine that no longer run are given back at once."""
    host, me = socket.gethostname(), str(os.getpid())
    foreign = False
    for owner in {c.owner for c in sink.status().claims}:
        name, _, rest = owner.partition(":")
        pid = rest.partition(":")[0]
        if name == host and pid == me:
            continue
        if name == host and pid.isdigit() and not _alive(int(pid)):
            sink.abandon(owner)
        foreign = True
    return foreign


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _fetch_range(rpc: Any, decoder: Any, options: Options, start: int, end: int) -> dict[str, list[dict]]:
    """The rows of blocks ``start``..``end``: fetched (again, if the chain changed while
    fetching), verified if asked, decoded."""
    from smartdev.export.rows import rows_for
    from smartdev.export.rpc import ChainChanged

    for attempt in range(3):
        try:
            blocks = rpc.blocks(start, end)
            receipts = rpc.receipts(blocks)
            break
        except ChainChanged:
            if attempt == 2:
                raise
            time.sleep(0.2 * (attempt + 1))
    rows = rows_for(blocks, receipts)
    if options.verify:
        _verify_rows(rows)
    if decoder is not None:
        rows.update(decoder.decode(rows))
    return rows


def _verify_rows(rows: dict[str, list[dict]]) -> None:
    """Every block's transactions root, receipts root and hash recomputed from its rows."""
    from smartdev.export.verify import verify_rows

    problems = verify_rows(rows)
    if problems:
        raise VerificationError("the node's data does not match its block headers: " + "; ".join(problems[:5])
                                + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""),
                                hint="Nothing of these blocks was written. Is the node (or a proxy) altering data?")


def _check_reorg(rpc: Any, sink: Any, summary: Summary, say: Callable[[str], None]) -> None:
    """Compare the stored tip with the chain; roll back from the first block that differs."""
    last = sink.status().last_block
    if last is None:
        return
    first = max(0, last - REORG_WINDOW + 1)
    stored = sink.block_hashes(first, last)
    if not stored:
        return
    numbers = sorted(stored)
    chain = rpc.block_hashes(numbers[0], numbers[-1])
    fork = next((n for n in numbers if chain.get(n) != stored[n]), None)
    if fork is None:
        return
    if fork == numbers[0] and numbers[0] > 0:
        raise NetworkError(f"the chain reorganised deeper than the {REORG_WINDOW} stored blocks checked "
                           f"(block {fork} differs)", hint="Export into a fresh sink, or rollback by hand.")
    sink.rollback(fork)
    summary.reorgs.append({"from_block": fork, "old_tip": last, "old_hash": stored[fork], "new_hash": chain.get(fork)})
    say(f"reorganisation: blocks {fork}..{last} replaced; their rows were rolled back and are exported again")


def verify_stored(env: Environment, sink_url: str, *, start: int | None = None, end: int | None = None,
                  batch: int = 500) -> dict[str, Any]:
    """Re-check what a sink holds: every stored block against its own header, and the
    links (parent hash, total difficulty) between consecutive blocks. Returns
    {blocks, from, to, gaps, problems}."""
    from smartdev.export.sinks import open_existing
    from smartdev.export.verify import verify_rows

    sink = open_existing(sink_url, env=env)
    try:
        status = sink.status()
        if status.last_block is None:
            raise UsageError(f"{sink_url} holds no exported blocks", hint="Run `smartdev export` first.")
        first = status.first_block if start is None else start
        last = status.last_block if end is None else end
        problems: list[str] = []
        checked = 0
        previous: dict | None = None
        for lo in range(first, last + 1, batch):
            hi = min(last, lo + batch - 1)
            rows = {table: sink.read(table, lo, hi) for table in ("blocks", "transactions", "receipts", "logs")}
            problems += verify_rows(rows, previous)
            checked += len(rows["blocks"])
            previous = max(rows["blocks"], key=lambda b: b["number"]) if rows["blocks"] else None
        return {"blocks": checked, "from": first, "to": last, "gaps": status.gaps, "problems": problems}
    finally:
        sink.close()
