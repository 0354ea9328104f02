"""Files sinks: ``jsonl:DIR`` (JSON Lines) and ``csv:DIR``.

Layout::

    DIR/blocks/000000000-000000099.jsonl     one file per table per committed range
    DIR/logs/000000000-000000099.jsonl       (a table without rows in a range: no file)
    DIR/_export/meta.json                    schema version, format, chain, table specs
    DIR/_export/ranges.jsonl                 the committed ranges, one JSON line each
    DIR/_export/lock                         held (flock) by the one process writing

A range's files are written to temp names, fsynced and renamed, and only then is the
range appended (fsynced) to ``ranges.jsonl``: that line is the commit. Files of a range
not recorded there are leftovers of a crash, removed when a writer next opens the
directory and overwritten by the next attempt. Claims are in-process only: a second
process writing to the same directory is refused (use a database to split work
across processes); reading (``status``, ``read``) needs no lock.

JSON Lines: one object per row, integers as JSON numbers (uint256 included: exact in
Python, but JavaScript's JSON.parse rounds past 2**53), JSON columns nested.
CSV: a header row; PostgreSQL's CSV conventions, so ``COPY t FROM 'f.csv' CSV HEADER``
loads a file as is: NULL is an empty unquoted field, an empty string is ``""``,
booleans are ``true``/``false``, JSON columns are JSON text.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from smartdev.errors import UsageError
from smartdev.export import sinks as common
from smartdev.export.sinks import Claim, Range, Sink, Status
from smartdev.export.sinks.schema import SCHEMA_VERSION, TableSpec
from smartdev.files import append_line, atomic_write_bytes, atomic_write_json

CONTROL = "_export"
# Migrations of the files layout: FILE_MIGRATIONS[v](sink) brings it from v to v + 1.
FILE_MIGRATIONS: dict[int, Callable[[FilesSink], None]] = {}
_NAME = re.compile(r"^(\d+)-(\d+)\.(jsonl|csv)$")


@dataclass
class _Work:
    """A planned range of this process: todo, claimed (owner, token, heartbeat) or done."""

    end: int
    state: str = "todo"
    owner: str = ""
    token: str = ""
    beat: float = 0.0


class FilesSink(Sink):
    def __init__(self, fmt: str, root: Path) -> None:
        self.fmt = fmt
        self.root = Path(root)
        self.url = f"{fmt}:{root}"
        self._control = self.root / CONTROL
        self._mutex = threading.RLock()
        self._lock_fd: int | None = None
        self._work: dict[int, _Work] = {}
        if self.root.exists() and not self.root.is_dir():
            raise UsageError(f"{self.url}: {self.root} is a file, not a directory")
        self._meta = self._read_meta()
        self._specs = {name: TableSpec.from_json(s) for name, s in self._meta.get("tables", {}).items()}
        version = self._meta.get("schema_version")
        if version is not None:
            if self._meta.get("format") != fmt:
                raise UsageError(
                    f"{self.root} holds a {self._meta.get('format')} export, not {fmt}",
                    hint=f"Use {self._meta.get('format')}:{self.root}, or another directory.",
                )
            if version != SCHEMA_VERSION:
                common.migration_steps(self.url, int(version), FILE_MIGRATIONS)
                self._writer()
                for step in common.migration_steps(self.url, int(self._read_meta()["schema_version"]), FILE_MIGRATIONS):
                    step(self)
                self._meta = {**self._read_meta(), "schema_version": SCHEMA_VERSION}
                atomic_write_json(self._control / "meta.json", self._meta)

    # -- control files ------------------------------------------------------------------

    def _read_meta(self) -> dict:
        path = self._control / "meta.json"
        try:
            return json.loads(path.read_text())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise UsageError(f"{self.url}: cannot read {path}: {exc}") from None

    def _committed(self) -> list[dict]:
        """The committed ranges, from ranges.jsonl (a torn last line is no commit)."""
        try:
            text = (self._control / "ranges.jsonl").read_text()
        except FileNotFoundError:
            return []
        out = []
        for line in text.splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and "start" in entry:
                out.append(entry)
        return sorted(out, key=lambda e: e["start"])

    def _writer(self) -> None:
        """Become the one process writing here (flock on _export/lock), once."""
        if self._lock_fd is not None:
            return
        import fcntl

        self._control.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._control / "lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.read(fd, 64).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise UsageError(
                f"{self.url} is being written by another smartdev export (pid {holder})",
                hint="Wait for it to finish or stop it; a files sink takes one process "
                "(to split work across processes, export to PostgreSQL or MySQL).",
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._lock_fd = fd
        self._remove_leftovers()
        ranges = self._control / "ranges.jsonl"
        if ranges.exists() and not ranges.read_bytes().endswith(b"\n") and ranges.stat().st_size:
            # a torn last line (a crash mid-append): drop it, or the next line would join it
            text = "".join(json.dumps(e, separators=(",", ":")) + "\n" for e in self._committed())
            atomic_write_bytes(ranges, text.encode())

    def _remove_leftovers(self) -> None:
        """Delete range files no committed range names, and temp files: crash leftovers."""
        keep = {(e["start"], e["end"]) for e in self._committed()}
        for table_dir in self.root.iterdir():
            if not table_dir.is_dir() or table_dir.name == CONTROL:
                continue
            for path in table_dir.iterdir():
                m = _NAME.match(path.name)
                stray = path.name.endswith(".tmp") and path.name.startswith(".")
                if stray or (m and (int(m[1]), int(m[2])) not in keep):
                    path.unlink(missing_ok=True)

    def _path(self, table: str, start: int, end: int) -> Path:
        return self.root / table / f"{start:09d}-{end:09d}.{self.fmt}"

    # -- protocol -----------------------------------------------------------------------

    def tables(self) -> dict[str, TableSpec]:
        return dict(self._specs)

    def prepare(self, chain_id: int, genesis_hash: str, tables: list[TableSpec]) -> None:
        wanted = common.wanted_tables(tables)
        genesis = genesis_hash.lower()
        with self._mutex:
            self._writer()
            meta = self._read_meta()
            common.check_chain(self.url, meta.get("chain_id"), meta.get("genesis_hash"), int(chain_id), genesis)
            stored = meta.get("tables", {})
            for name, spec in wanted.items():
                common.check_table(self.url, name, stored.get(name), name in stored, spec)
            meta.update(
                schema_version=SCHEMA_VERSION, format=self.fmt, chain_id=int(chain_id), genesis_hash=genesis,
                tables={**stored, **{name: spec.to_json() for name, spec in wanted.items()}},
            )
            atomic_write_json(self._control / "meta.json", meta)
            self._meta = meta
            self._specs = {name: TableSpec.from_json(s) for name, s in meta["tables"].items()}

    def plan(self, start: int, end: int, chunk: int) -> int:
        common.check_plan_args(start, end)
        self._require_prepared()
        with self._mutex:
            self._writer()
            covered = [(e["start"], e["end"]) for e in self._committed()]
            covered += [(s, w.end) for s, w in self._work.items()]
            new = common.chunked(common.uncovered(start, end, covered), chunk)
            for s, e in new:
                self._work[s] = _Work(e)
            return len(new)

    def claim(self, owner: str, stale_after: float) -> Range | None:
        self._require_prepared()
        with self._mutex:
            self._writer()
            now = time.monotonic()
            stale = [s for s, w in self._work.items() if w.state == "claimed" and now - w.beat > stale_after]
            todo = [s for s, w in self._work.items() if w.state == "todo"]
            if not stale and not todo:
                return None
            start = min(stale) if stale else min(todo)
            work = self._work[start]
            work.state, work.owner, work.token, work.beat = "claimed", owner, uuid.uuid4().hex, now
            return Range(start, work.end, owner, work.token)

    def _mine(self, rng: Range) -> _Work | None:
        work = self._work.get(rng.start)
        if work and work.state == "claimed" and work.token == rng.token and work.end == rng.end:
            return work
        return None

    def heartbeat(self, rng: Range) -> bool:
        with self._mutex:
            work = self._mine(rng)
            if work:
                work.beat = time.monotonic()
            return work is not None

    def release(self, rng: Range) -> None:
        with self._mutex:
            work = self._mine(rng)
            if work:
                work.state, work.owner, work.token = "todo", "", ""

    def commit(self, rng: Range, rows: dict[str, list[dict]]) -> bool:
        common.check_rows(self._specs, rng, rows)
        encoded = {name: self._encode(self._specs[name], items) for name, items in rows.items() if items}
        with self._mutex:
            work = self._mine(rng)
            if work is None:
                return False
            for name in self._specs:
                path = self._path(name, rng.start, rng.end)
                if name in encoded:
                    atomic_write_bytes(path, encoded[name])
                else:
                    path.unlink(missing_ok=True)
            counts = {name: len(rows[name]) for name in encoded}
            entry = {"start": rng.start, "end": rng.end, "rows": counts, "at": round(time.time(), 3)}
            append_line(self._control / "ranges.jsonl", json.dumps(entry, separators=(",", ":")), mode=0o644)
            work.state = "done"
            return True

    def rollback(self, from_block: int) -> None:
        if from_block < 0:
            raise UsageError(f"cannot roll back from block {from_block}")
        with self._mutex:
            self._writer()
            kept, dropped = [], []
            for entry in self._committed():
                s, e = entry["start"], entry["end"]
                if e < from_block:
                    kept.append(entry)
                    continue
                dropped.append(entry)
                if s < from_block:  # the part before from_block keeps its rows, in new files
                    counts = {}
                    for name, spec in self._specs.items():
                        part = [r for r in self._read_file(spec, s, e) if r[spec.block_column] < from_block]
                        if part:
                            atomic_write_bytes(self._path(name, s, from_block - 1), self._encode(spec, part))
                            counts[name] = len(part)
                    kept.append({"start": s, "end": from_block - 1, "rows": counts, "at": round(time.time(), 3)})
            text = "".join(json.dumps(e, separators=(",", ":")) + "\n" for e in kept)
            atomic_write_bytes(self._control / "ranges.jsonl", text.encode())  # the rollback's commit point
            for entry in dropped:
                for name in self._specs:
                    self._path(name, entry["start"], entry["end"]).unlink(missing_ok=True)
            work: dict[int, _Work] = {}
            for s, w in self._work.items():  # this process's plan: blocks from from_block on are to do
                if w.end < from_block:
                    work[s] = w
                elif s < from_block:
                    work[s] = _Work(from_block - 1, "done") if w.state == "done" else _Work(from_block - 1)
                    work[from_block] = _Work(w.end)
                else:
                    work[s] = _Work(w.end)
            for entry in dropped:
                s = max(entry["start"], from_block)
                work.setdefault(s, _Work(entry["end"]))
            self._work = work

    def status(self) -> Status:
        committed_entries = self._committed()
        committed = common.merge((e["start"], e["end"]) for e in committed_entries)
        rows = dict.fromkeys(self._specs, 0)
        for entry in committed_entries:
            for name, n in entry.get("rows", {}).items():
                rows[name] = rows.get(name, 0) + n
        now = time.monotonic()
        with self._mutex:
            work = list(self._work.items())
        return Status(
            chain_id=self._meta.get("chain_id"),
            genesis_hash=self._meta.get("genesis_hash"),
            schema_version=self._meta.get("schema_version"),
            committed=committed,
            gaps=common.gaps(committed),
            pending=common.merge((s, w.end) for s, w in work if w.state != "done"),
            claims=sorted(Claim(s, w.end, w.owner, now - w.beat) for s, w in work if w.state == "claimed"),
            rows=rows,
        )

    def read(self, table: str, start: int, end: int) -> list[dict]:
        spec = self._specs.get(table)
        if spec is None:
            raise UsageError(f"the sink {self.url} has no table {table}")
        col = spec.block_column
        out = []
        for entry in self._committed():
            if entry["end"] < start or entry["start"] > end or not entry.get("rows", {}).get(table):
                continue
            out += [r for r in self._read_file(spec, entry["start"], entry["end"]) if start <= r[col] <= end]
        order = spec.read_order
        out.sort(key=lambda r: tuple(r[c] for c in order))
        return out

    def close(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the flock
            self._lock_fd = None

    # -- encoding -----------------------------------------------------------------------

    def _encode(self, spec: TableSpec, rows: list[dict]) -> bytes:
        names = spec.column_names
        if self.fmt == "jsonl":
            dumps = json.JSONEncoder(separators=(",", ":")).encode
            lines = [dumps({c: row[c] for c in names}) for row in rows]
        else:
            lines = [",".join(names)]
            kinds = [c.kind for c in spec.columns]
            for row in rows:
                lines.append(",".join(_csv_field(row[c], k) for c, k in zip(names, kinds)))
        return ("\n".join(lines) + "\n").encode()

    def _read_file(self, spec: TableSpec, start: int, end: int) -> list[dict]:
        path = self._path(spec.name, start, end)
        try:
            text = path.read_bytes().decode("utf-8")  # no newline translation: "\r" stays
        except FileNotFoundError:
            return []
        if self.fmt == "jsonl":
            return [json.loads(line) for line in text.splitlines() if line]
        records = _parse_csv(text, path)
        header, body = records[0], records[1:]
        if header != spec.column_names:
            raise UsageError(f"{path}: the header does not match table {spec.name}'s columns")
        decoders = [_CSV_DECODE.get(c.kind, str) for c in spec.columns]
        return [
            {name: (None if v is None else fn(v)) for name, v, fn in zip(header, rec, decoders)} for rec in body
        ]


# -- CSV (PostgreSQL's conventions: unquoted empty = NULL, "" = empty string) ------------------

_NEEDS_QUOTES = re.compile(r'[,"\r\n]|^\s|\s$')


def _csv_field(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = json.dumps(value, separators=(",", ":")) if kind == "json" else str(value)
    if text == "" or _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


_CSV_DECODE: dict[str, Callable[[str], Any]] = {
    "int64": int,
    "uint256": int,
    "int256": int,
    "bool": lambda v: v == "true",
    "json": json.loads,
}
_FIELD = re.compile(r'"((?:[^"]|"")*)"|([^,"\n]*)')


def _parse_csv(text: str, path: Path) -> list[list[str | None]]:
    """Records of ``text``: quoted fields as strings (``""`` → ""), unquoted empty → None."""
    records: list[list[str | None]] = []
    record: list[str | None] = []
    pos, n = 0, len(text)
    while pos < n:
        m = _FIELD.match(text, pos)
        quoted, plain = m.group(1), m.group(2)
        record.append(quoted.replace('""', '"') if quoted is not None else (plain or None))
        pos = m.end()
        if pos >= n:
            break
        if text[pos] == ",":
            pos += 1
        elif text[pos] == "\n":
            records.append(record)
            record = []
            pos += 1
        else:
            raise UsageError(f"{path}: malformed CSV at character {pos}")
    if record:
        records.append(record)
    return records
