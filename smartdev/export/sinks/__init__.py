"""Where `smartdev export` writes: SQL databases (SQLite, PostgreSQL, MySQL/MariaDB)
and files (JSON Lines, CSV), behind one protocol.

``open_sink(url)`` gives a :class:`Sink`. Work is split into block ranges that the
sink itself keeps: ``plan`` records them, ``claim`` hands the next one to a worker
(atomically, across processes and, for databases, machines), ``commit`` writes all
rows of a range together with its "done" mark (exactly once: all or nothing, and a
retried range is rewritten from scratch), ``rollback`` undoes blocks after a reorg.

Importing this package is cheap: SQLAlchemy and the drivers load when a sink opens.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from smartdev.errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    from smartdev.context import Environment
    from smartdev.export.sinks.schema import TableSpec

URL_HINT = "Give sqlite:///FILE.db, postgresql://USER@HOST/DB, mysql://USER@HOST/DB, jsonl:DIR or csv:DIR."


@dataclass(frozen=True)
class Range:
    """Blocks ``start``..``end`` (inclusive), as claimed by ``owner``; ``token``
    identifies this claim (a range claimed again after going stale gets a new one)."""

    start: int
    end: int
    owner: str = ""
    token: str = ""

    @property
    def blocks(self) -> int:
        return self.end - self.start + 1


@dataclass(frozen=True, order=True)
class Claim:
    """A range being worked on: who claimed it and how long ago it last heartbeated."""

    start: int
    end: int
    owner: str
    age: float


@dataclass
class Status:
    """What a sink holds. Ranges are inclusive ``(start, end)`` pairs, merged.

    ``committed``: blocks stored; ``gaps``: holes between committed blocks;
    ``pending``: planned but not committed (claimed ones included); ``claims``: in flight;
    ``rows``: rows per table."""

    chain_id: int | None = None
    genesis_hash: str | None = None
    schema_version: int | None = None
    committed: list[tuple[int, int]] = field(default_factory=list)
    gaps: list[tuple[int, int]] = field(default_factory=list)
    pending: list[tuple[int, int]] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def last_block(self) -> int | None:
        """The highest committed block (None: nothing committed)."""
        return self.committed[-1][1] if self.committed else None

    @property
    def first_block(self) -> int | None:
        return self.committed[0][0] if self.committed else None

    @property
    def blocks(self) -> int:
        """How many blocks are committed."""
        return self.committed_blocks()

    def committed_blocks(self, start: int | None = None, end: int | None = None) -> int:
        """How many blocks of ``start``..``end`` (default: all) are committed."""
        total = 0
        for s, e in self.committed:
            lo = s if start is None else max(s, start)
            hi = e if end is None else min(e, end)
            total += max(0, hi - lo + 1)
        return total

    def as_dict(self) -> dict:
        """JSON-ready: ranges as ``[start, end]`` lists, claims under ``claimed``."""
        return {
            "chain_id": self.chain_id,
            "genesis_hash": self.genesis_hash,
            "schema_version": self.schema_version,
            "first_block": self.first_block,
            "last_block": self.last_block,
            "blocks": self.blocks,
            "committed": [list(r) for r in self.committed],
            "gaps": [list(r) for r in self.gaps],
            "pending": [list(r) for r in self.pending],
            "claimed": [{"start": c.start, "end": c.end, "owner": c.owner, "age": round(c.age, 3)} for c in self.claims],
            "rows": dict(self.rows),
        }


class Sink(ABC):
    """The protocol every sink implements (see the module docstring)."""

    url: str  # as given, password masked: safe to print

    @abstractmethod
    def prepare(self, chain_id: int, genesis_hash: str, tables: list[TableSpec]) -> None:
        """Create the missing tables (core and ``tables``), record the schema version and the chain."""

    @abstractmethod
    def tables(self) -> dict[str, TableSpec]:
        """The tables this sink holds (core and decoded), by name."""

    @abstractmethod
    def plan(self, start: int, end: int, chunk: int) -> int:
        """Record ranges of at most ``chunk`` blocks for the blocks of ``start``..``end``
        no range covers yet; returns how many were added."""

    @abstractmethod
    def claim(self, owner: str, stale_after: float) -> Range | None:
        """Atomically take the next unclaimed (or stale) range for ``owner``; None when none is left."""

    @abstractmethod
    def heartbeat(self, rng: Range) -> bool:
        """Refresh the claim; False if it was lost (taken over or rolled back)."""

    @abstractmethod
    def commit(self, rng: Range, rows: dict[str, list[dict]]) -> bool:
        """Write the range's rows and mark it done, in one transaction. False (and
        nothing written) when the claim was lost: another worker took the range over
        after it went stale, or a rollback reset it."""

    @abstractmethod
    def release(self, rng: Range) -> None:
        """Give a claimed range back (its worker failed)."""

    def abandon(self, owner: str) -> int:
        """Give back every range ``owner`` holds (a process known to be dead: killed on
        this machine); returns how many. Without this, its claims go stale in time."""
        return 0

    @abstractmethod
    def status(self) -> Status:
        """Committed ranges, gaps, claims in flight and rows per table."""

    @abstractmethod
    def rollback(self, from_block: int) -> None:
        """Delete every row of block ``from_block`` and after, in every table; those ranges become todo again."""

    @abstractmethod
    def read(self, table: str, start: int, end: int) -> list[dict]:
        """The rows of ``table`` for blocks ``start``..``end``, as they were written."""

    def block_hashes(self, start: int, end: int) -> dict[int, str]:
        return {row["number"]: row["hash"] for row in self.read("blocks", start, end)}

    def close(self) -> None:
        pass

    def _require_prepared(self) -> None:
        if not self.tables():
            raise UsageError(
                f"the sink {self.url} holds no export yet (prepare it first)",
                hint="Run smartdev export with this --to first.",
            )

    def __enter__(self) -> Sink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_sink(url: str, *, env: Environment | None = None) -> Sink:
    """The sink for ``url``. Relative paths (``sqlite:///chain.db``, ``jsonl:out``) are
    relative to the environment's working directory. A bad URL, an unsupported
    scheme or a missing driver → UsageError; an unreachable server → NetworkError."""
    cwd = Path(env.cwd) if env is not None else Path.cwd()
    if not isinstance(url, str) or ":" not in url:
        raise UsageError(f"not a sink URL: {url!r}", hint=URL_HINT)
    scheme, rest = url.split(":", 1)
    scheme = scheme.lower()
    if scheme in ("jsonl", "csv"):
        from smartdev.export.sinks.files import FilesSink

        path = rest[2:] if rest.startswith("//") else rest
        if not path.strip():
            raise UsageError(f"{scheme} sink without a directory: {url!r}", hint=URL_HINT)
        return FilesSink(scheme, cwd / Path(path).expanduser())
    if scheme.split("+")[0] in ("sqlite", "postgresql", "postgres", "mysql", "mariadb"):
        from smartdev.export.sinks.sql import SqlSink

        return SqlSink(url, cwd=cwd)
    raise UsageError(f"unsupported sink {scheme!r} in {mask_url(url)}", hint=URL_HINT)


def open_existing(url: str, *, env: Environment | None = None) -> Sink:
    """The sink for ``url`` that an export has written to, for reading (status, verify):
    a missing SQLite file or files folder, or a database without an export, is a
    NotFoundError — and nothing is created."""
    from smartdev.errors import NotFoundError

    cwd = Path(env.cwd) if env is not None else Path.cwd()
    scheme, _, rest = url.partition(":")
    where = None
    if scheme.lower() in ("jsonl", "csv"):
        where = cwd / Path(rest[2:] if rest.startswith("//") else rest).expanduser()
    elif scheme.lower().split("+")[0] == "sqlite" and rest.startswith("///") and rest[3:].split("?")[0]:
        where = cwd / Path(rest[3:].split("?")[0]).expanduser()
    if where is not None and not where.exists():
        raise NotFoundError(f"no export at {mask_url(url)}: {where} does not exist",
                            hint="Check --to, or run `smartdev export --to ...` first.")
    sink = open_sink(url, env=env)
    try:
        if sink.status().chain_id is None:
            raise NotFoundError(f"{mask_url(url)} holds no export", hint="Run `smartdev export --to ...` first.")
    except BaseException:
        sink.close()
        raise
    return sink


def mask_url(url: str) -> str:
    """``url`` with any password replaced by ``***``: safe to print."""
    import re

    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", url)


# -- block ranges: (start, end) inclusive pairs ----------------------------------------


def merge(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, with overlapping and adjacent ranges joined."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if out and start <= out[-1][1] + 1:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def uncovered(start: int, end: int, covered: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of ``start``..``end`` that no range of ``covered`` holds."""
    out = []
    at = start
    for s, e in merge(covered):
        if e < at:
            continue
        if s > end:
            break
        if s > at:
            out.append((at, s - 1))
        at = max(at, e + 1)
    if at <= end:
        out.append((at, end))
    return out


def gaps(committed: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The holes between merged committed ranges."""
    return [(a[1] + 1, b[0] - 1) for a, b in zip(committed, committed[1:])]


def chunked(parts: Iterable[tuple[int, int]], chunk: int) -> list[tuple[int, int]]:
    """Split ranges into pieces of at most ``chunk`` blocks, aligned to multiples of
    ``chunk`` (so the same blocks planned twice give the same ranges)."""
    if chunk < 1:
        raise UsageError(f"chunk must be at least 1 block, not {chunk}")
    out = []
    for start, end in parts:
        at = start
        while at <= end:
            stop = min(end, (at // chunk + 1) * chunk - 1)
            out.append((at, stop))
            at = stop + 1
    return out


def check_plan_args(start: int, end: int) -> None:
    if start < 0 or end < start:
        raise UsageError(f"bad block range {start}..{end}")


def check_rows(tables: dict[str, TableSpec], rng: Range, rows: dict[str, list[dict]]) -> None:
    """Every table known and every row inside the range: a row outside it would
    escape the range's delete-then-insert and could be stored twice."""
    for name, items in rows.items():
        spec = tables.get(name)
        if spec is None:
            raise ValueError(f"rows for table {name!r}, which prepare() did not create")
        col = spec.block_column
        for row in items:
            number = row[col]
            if not rng.start <= number <= rng.end:
                raise ValueError(
                    f"{name} row with {col}={number} outside range {rng.start}..{rng.end}"
                )


# -- checks shared by every sink ---------------------------------------------------------


def wanted_tables(tables: list[TableSpec]) -> dict[str, TableSpec]:
    """The core tables plus ``tables``, by name (the same name twice must be the same spec)."""
    from smartdev.export.sinks.schema import CORE_TABLES

    wanted: dict[str, TableSpec] = {}
    for spec in [*CORE_TABLES, *tables]:
        if spec.name in wanted and wanted[spec.name] != spec:
            raise ValueError(f"two different specs for table {spec.name}")
        wanted[spec.name] = spec
    return wanted


def check_chain(url: str, stored_chain: object, stored_genesis: object, chain_id: int, genesis: str) -> None:
    """A sink holds one chain: another chain's data → UsageError."""
    if stored_chain is None:
        return
    if int(stored_chain) != chain_id or stored_genesis != genesis:
        raise UsageError(
            f"the sink {url} holds chain {stored_chain} (genesis {stored_genesis}), "
            f"not chain {chain_id} (genesis {genesis})",
            hint="Export each chain into its own database or directory.",
        )


def check_table(url: str, name: str, stored: dict | None, exists: bool, spec: TableSpec) -> None:
    """A table already in the sink must be one this export created, with these columns."""
    from smartdev.export.sinks.schema import TableSpec

    if not exists:
        return
    if stored is None:
        raise UsageError(
            f"{url} already has a table {name} that smartdev export did not create",
            hint="Export into another database, schema or directory, or drop that table.",
        )
    if TableSpec.from_json(stored) != spec:
        raise UsageError(
            f"table {name} in {url} has other columns than this export needs (was the ABI changed?)",
            hint=f"Drop table {name} to rebuild it, or export into another database or directory.",
        )


def migration_steps(url: str, version: int, migrations: dict) -> list:
    """The steps that bring a sink of schema ``version`` to the current one; a newer
    sink, or an older one without a step for each version → UsageError saying what to do."""
    from smartdev.export.sinks.schema import SCHEMA_VERSION

    if version > SCHEMA_VERSION:
        raise UsageError(
            f"the export in {url} was written by a newer smartdev (export schema version "
            f"{version}; this smartdev knows up to {SCHEMA_VERSION})",
            hint="Upgrade smartdev, or export into another database or directory.",
        )
    steps = [migrations.get(v) for v in range(version, SCHEMA_VERSION)]
    if not all(steps):
        raise UsageError(
            f"the export in {url} has schema version {version}, older than this smartdev's "
            f"{SCHEMA_VERSION}, and cannot be migrated in place",
            hint="Export into a new database or directory (or drop the old export's tables) and run again.",
        )
    return steps
