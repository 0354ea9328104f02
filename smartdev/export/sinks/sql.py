"""SQL sinks through SQLAlchemy Core: SQLite, PostgreSQL (psycopg 3), MySQL/MariaDB (PyMySQL).

Besides the data tables a sink keeps two of its own:

- ``_export_meta`` (key, value): ``schema_version``, ``chain_id``, ``genesis_hash`` and
  one ``table:NAME`` entry per data table (its spec as JSON);
- ``_export_ranges``: one row per planned block range, ``state`` todo/claimed/done,
  the claim's ``owner``, ``token`` and ``heartbeat_at`` (seconds, database clock).

A range's rows, the deletion of whatever the range held before, and its "done" mark
are one transaction: a process killed at any moment leaves the range committed or
untouched. Claims use ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL and MySQL 8 /
MariaDB ≥ 10.6 (older servers: a plain ``FOR UPDATE``, correct but serialised); on
SQLite every write transaction is ``BEGIN IMMEDIATE`` (one writer at a time, the others
wait up to the busy timeout, ``?timeout=SECONDS``, default 60), in WAL mode so readers
never wait. Bulk rows go in with ``COPY`` on PostgreSQL and multi-row ``executemany``
elsewhere.

Column kinds map to (see ``SQL_TYPES``)::

    kind      SQLite    PostgreSQL        MySQL/MariaDB
    int64     BIGINT    BIGINT            BIGINT
    uint256   TEXT *    NUMERIC(78, 0)    VARCHAR(78) *
    int256    TEXT *    NUMERIC(78, 0)    VARCHAR(78) *
    hex       TEXT      TEXT              LONGTEXT (VARCHAR(200) in a key or index)
    address   VARCHAR(42) VARCHAR(42)     VARCHAR(42)
    bool      BOOLEAN   BOOLEAN           BOOL (TINYINT(1))
    text      TEXT      TEXT              LONGTEXT (VARCHAR(200) in a key or index)
    json      TEXT **   TEXT **           LONGTEXT **

    *  decimal digits (DECIMAL(65) cannot hold 2**256-1); read back as int
    ** JSON text; read back as lists/dicts
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from smartdev.errors import NetworkError, UsageError
from smartdev.export.sinks import (
    URL_HINT,
    Claim,
    Range,
    Sink,
    Status,
    check_chain,
    check_plan_args,
    check_rows,
    check_table,
    chunked,
    gaps,
    mask_url,
    merge,
    migration_steps,
    uncovered,
    wanted_tables,
)
from smartdev.export.sinks.schema import SCHEMA_VERSION, TableSpec

if TYPE_CHECKING:  # pragma: no cover
    import sqlalchemy as sa

META = "_export_meta"
RANGES = "_export_ranges"
KEYED_TEXT = 200  # MySQL: a hex/text column in a key or index is VARCHAR(200)

SQL_TYPES = {  # kind -> (SQLite, PostgreSQL, MySQL/MariaDB), for the docs
    "int64": ("BIGINT", "BIGINT", "BIGINT"),
    "uint256": ("TEXT (decimal)", "NUMERIC(78,0)", "VARCHAR(78) (decimal)"),
    "int256": ("TEXT (decimal)", "NUMERIC(78,0)", "VARCHAR(78) (decimal)"),
    "hex": ("TEXT", "TEXT", "LONGTEXT / VARCHAR(200) if keyed"),
    "address": ("VARCHAR(42)", "VARCHAR(42)", "VARCHAR(42)"),
    "bool": ("BOOLEAN", "BOOLEAN", "BOOL"),
    "text": ("TEXT", "TEXT", "LONGTEXT / VARCHAR(200) if keyed"),
    "json": ("TEXT (JSON)", "TEXT (JSON)", "LONGTEXT (JSON)"),
}

# Drivers for the URL schemes, and the pip extra that installs each.
DRIVERS = {
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "mysql": "mysql+pymysql",
    "mariadb": "mariadb+pymysql",
}
EXTRAS = {"postgresql": "postgres", "mysql": "mysql", "mariadb": "mysql"}

# Schema migrations: MIGRATIONS[v](sink, conn) brings a sink from version v to v + 1
# inside a transaction. A missing step means "cannot migrate in place".
MIGRATIONS: dict[int, Callable[[SqlSink, Any], None]] = {}

# Errors worth retrying the whole transaction for: deadlocks, lock wait timeouts,
# serialization failures (PostgreSQL SQLSTATEs, MySQL error numbers).
_RETRY_PG = {"40P01", "40001", "55P03"}
_RETRY_MYSQL = {1213, 1205}
_NOW = {
    "sqlite": "((julianday('now') - 2440587.5) * 86400.0)",
    "postgresql": "CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS DOUBLE PRECISION)",
    "mysql": "UNIX_TIMESTAMP(NOW(6))",
}


class SqlSink(Sink):
    def __init__(self, url: str, *, cwd: Path | None = None) -> None:
        self.url = mask_url(url)
        self._password: str | None = None
        self.engine = self._create_engine(url, Path.cwd() if cwd is None else cwd)
        self.dialect = "mysql" if self.engine.dialect.name in ("mysql", "mariadb") else self.engine.dialect.name
        try:
            self._setup()
        except BaseException:
            self.engine.dispose()
            raise

    # -- opening ------------------------------------------------------------------------

    def _create_engine(self, url: str, cwd: Path) -> sa.Engine:
        import sqlalchemy as sa
        from sqlalchemy.engine import make_url

        try:
            u = make_url(url)
        except (sa.exc.ArgumentError, ValueError) as exc:
            raise UsageError(f"bad sink URL {self.url}: {exc}", hint=URL_HINT) from None
        self._password = u.password
        if u.password:
            self.url = u.render_as_string(hide_password=True)
        base = u.drivername.split("+")[0]
        if "+" not in u.drivername and base in DRIVERS:
            u = u.set(drivername=DRIVERS[base])
        kwargs: dict[str, Any] = {"pool_pre_ping": base != "sqlite"}  # servers restart; files don't
        query = dict(u.query)
        if base == "sqlite":
            if not u.database or u.database == ":memory:" or u.database.startswith("file:"):
                raise UsageError(
                    f"SQLite sink {self.url} needs a file", hint="Give sqlite:///FILE.db (relative) or sqlite:////ABS/PATH.db."
                )
            path = (cwd / Path(u.database).expanduser()).resolve()
            if path.is_dir():
                raise UsageError(f"SQLite sink {self.url}: {path} is a directory", hint="Give a file name.")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise UsageError(f"SQLite sink {self.url}: cannot create {path.parent}: {exc.strerror}") from None
            try:
                timeout = float(query.pop("timeout", 60))
            except ValueError:
                raise UsageError(f"SQLite sink {self.url}: timeout must be a number of seconds") from None
            u = u.set(database=str(path), query=query)
            kwargs["connect_args"] = {"timeout": timeout, "isolation_level": None, "check_same_thread": False}
        elif base in ("postgresql", "postgres"):
            kwargs["connect_args"] = {} if "connect_timeout" in query else {"connect_timeout": 10}
        elif base in ("mysql", "mariadb"):
            kwargs["connect_args"] = {} if "connect_timeout" in query else {"connect_timeout": 10}
            if "charset" not in query:
                u = u.update_query_dict({"charset": "utf8mb4"})
            # READ COMMITTED: no gap locks, so concurrent range commits don't deadlock.
            kwargs["isolation_level"] = "READ COMMITTED"
        else:
            raise UsageError(f"unsupported sink {u.drivername!r} in {self.url}", hint=URL_HINT)
        try:
            engine = sa.create_engine(u, **kwargs)
        except ImportError as exc:
            extra = EXTRAS.get(base if base != "postgres" else "postgresql")
            hint = f"Install it: pip install 'smartdev[{extra}]'." if extra else None
            raise UsageError(
                f"the {u.drivername} driver for {self.url} is not installed ({exc.name or exc})", hint=hint
            ) from None
        except (sa.exc.NoSuchModuleError, sa.exc.ArgumentError, TypeError) as exc:
            raise UsageError(f"unsupported sink {self.url}: {_first_line(exc)}", hint=URL_HINT) from None
        if base == "sqlite":
            _sqlite_events(engine)
        return engine

    def _setup(self) -> None:
        import sqlalchemy as sa

        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
                if self.dialect == "mysql":
                    self._check_innodb(conn)
        except sa.exc.DBAPIError as exc:
            raise NetworkError(
                f"cannot connect to the sink {self.url}: {self._scrub(exc.orig)}",
                hint="Check that the server runs and the URL (host, port, user, database) is right.",
            ) from None
        except TypeError as exc:  # the driver refused an option given in the URL's query
            raise UsageError(f"bad option in the sink URL {self.url}: {self._scrub(exc)}") from None
        self._now = sa.literal_column(_NOW[self.dialect], sa.Double())
        self.md = sa.MetaData()
        self.meta_t = sa.Table(
            META, self.md,
            sa.Column("key", sa.String(100), primary_key=True),
            sa.Column("value", _long_text(self.dialect)),
            **_table_kwargs(self.dialect),
        )
        self.ranges_t = sa.Table(
            RANGES, self.md,
            sa.Column("start_block", sa.BigInteger, primary_key=True, autoincrement=False),
            sa.Column("end_block", sa.BigInteger, nullable=False),
            sa.Column("state", sa.String(8), nullable=False),
            sa.Column("owner", sa.String(200)),
            sa.Column("token", sa.String(64)),
            sa.Column("heartbeat_at", sa.Double()),
            sa.Column("committed_at", sa.Double()),
            sa.Column("attempts", sa.Integer, nullable=False),
            sa.Index(f"ix{RANGES}_state", "state", "start_block"),
            **_table_kwargs(self.dialect),
        )
        self._meta: dict[str, str] = {}
        self._specs: dict[str, TableSpec] = {}
        self._sql: dict[str, sa.Table] = {}
        self._skip_locked = self._supports_skip_locked()
        with self._translated("open"):
            with self._read() as conn:
                version = self._load(conn)
        if version is not None and version != SCHEMA_VERSION:
            self._migrate(version)

    def _check_innodb(self, conn: Any) -> None:
        engine = conn.exec_driver_sql("SELECT @@default_storage_engine").scalar()
        if str(engine).lower() != "innodb":
            # Tables are created ENGINE=InnoDB anyway; say so only if InnoDB is missing.
            have = conn.exec_driver_sql("SELECT SUPPORT FROM information_schema.ENGINES WHERE ENGINE='InnoDB'").scalar()
            if str(have or "").upper() not in ("YES", "DEFAULT"):
                raise UsageError(f"{self.url}: the server has no InnoDB engine (transactions are needed)")

    def _supports_skip_locked(self) -> bool:
        d = self.engine.dialect
        if self.dialect != "mysql":
            return True
        version = d.server_version_info or ()
        if getattr(d, "is_mariadb", False):
            return tuple(version[:2]) >= (10, 6)
        return tuple(version[:1]) >= (8,)

    def _scrub(self, exc: object) -> str:
        text = _first_line(exc)
        if self._password:
            text = text.replace(self._password, "***")
        return text

    def _load(self, conn: Any) -> int | None:
        """Read the meta table (if any): the table specs; returns the schema version."""
        import sqlalchemy as sa

        if not sa.inspect(conn).has_table(META):
            return None
        meta = dict(conn.execute(sa.select(self.meta_t.c.key, self.meta_t.c.value)).all())
        self._meta = meta
        for key, value in meta.items():
            if key.startswith("table:"):
                spec = TableSpec.from_json(json.loads(value))
                if spec.name not in self._specs:
                    self._add_table(spec)
        version = meta.get("schema_version")
        if version is None:
            return None
        try:
            return int(version)
        except ValueError:
            raise UsageError(f"{self.url}: {META} holds a bad schema_version {version!r}") from None

    def _migrate(self, version: int) -> None:
        migration_steps(self.url, version, MIGRATIONS)
        with self._locked() as conn:
            current = int(self._get_meta(conn, "schema_version"))
            for step in migration_steps(self.url, current, MIGRATIONS):
                step(self, conn)
            self._set_meta(conn, {"schema_version": str(SCHEMA_VERSION)})

    # -- transactions -------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Any]:
        """A write transaction (SQLite: BEGIN IMMEDIATE)."""
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Any]:
        """A read transaction (SQLite: a deferred BEGIN, never waiting for writers)."""
        with self.engine.connect() as conn:
            conn.execution_options(smartdev_read=True)
            with conn.begin():
                yield conn

    @contextmanager
    def _locked(self) -> Iterator[Any]:
        """A write transaction holding the sink-wide lock: prepare, plan, rollback and
        migrations run one at a time across processes."""
        if self.dialect == "sqlite":
            with self._write() as conn:
                yield conn
        elif self.dialect == "postgresql":
            with self._write() as conn:
                conn.exec_driver_sql(
                    "SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.smartdev.export'))"
                )
                yield conn
        else:
            name = "smartdev.export." + hashlib.sha1(str(self.engine.url.database).encode()).hexdigest()[:24]
            with self.engine.connect() as conn:
                got = conn.exec_driver_sql("SELECT GET_LOCK(%s, 300)", (name,)).scalar()
                conn.commit()
                if got != 1:
                    raise NetworkError(f"{self.url}: timed out waiting for another export's lock")
                try:
                    with conn.begin():
                        yield conn
                finally:
                    conn.exec_driver_sql("SELECT RELEASE_LOCK(%s)", (name,))
                    conn.commit()

    @contextmanager
    def _translated(self, what: str) -> Iterator[None]:
        """A lost connection → NetworkError (with the URL, never the password)."""
        import sqlalchemy as sa

        try:
            yield
        except sa.exc.DBAPIError as exc:
            if exc.connection_invalidated or isinstance(exc, sa.exc.InterfaceError):
                raise NetworkError(
                    f"lost the connection to the sink {self.url} during {what}: {self._scrub(exc.orig)}"
                ) from None
            raise

    def _run(self, what: str, fn: Callable[[], Any], attempts: int = 8) -> Any:
        """``fn()`` (one transaction), retried on deadlocks / lock timeouts."""
        import sqlalchemy as sa

        for attempt in range(attempts):
            try:
                with self._translated(what):
                    return fn()
            except sa.exc.DBAPIError as exc:
                if attempt + 1 < attempts and self._retryable(exc):
                    time.sleep(0.05 * 2**attempt)
                    continue
                raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _retryable(self, exc: Any) -> bool:
        orig = getattr(exc, "orig", None)
        if self.dialect == "postgresql":
            return getattr(orig, "sqlstate", None) in _RETRY_PG
        if self.dialect == "mysql":
            args = getattr(orig, "args", ())
            return bool(args) and args[0] in _RETRY_MYSQL
        return "locked" in str(orig)  # SQLite: still busy after the busy timeout

    # -- meta ---------------------------------------------------------------------------

    def _get_meta(self, conn: Any, key: str) -> str | None:
        import sqlalchemy as sa

        return conn.execute(sa.select(self.meta_t.c.value).where(self.meta_t.c.key == key)).scalar()

    def _set_meta(self, conn: Any, values: dict[str, str]) -> None:
        import sqlalchemy as sa

        t = self.meta_t
        for key, value in values.items():
            if conn.execute(sa.update(t).where(t.c.key == key).values(value=value)).rowcount == 0:
                conn.execute(sa.insert(t).values(key=key, value=value))

    # -- tables -------------------------------------------------------------------------

    def _add_table(self, spec: TableSpec) -> sa.Table:
        import sqlalchemy as sa

        keyed = set(spec.primary_key).union(*spec.index)
        cols = [
            sa.Column(c.name, _sql_type(c.kind, self.dialect, c.name in keyed), nullable=c.nullable,
                      primary_key=c.name in spec.primary_key, autoincrement=False)
            for c in spec.columns
        ]
        indexes = list(spec.index)
        if not any(ix[0] == spec.block_column for ix in [spec.primary_key, *indexes]):
            indexes.append((spec.block_column,))  # commit and rollback delete by block
        table = sa.Table(
            spec.name, self.md, *cols,
            *[sa.Index(_index_name(spec.name, i), *ix) for i, ix in enumerate(indexes)],
            **_table_kwargs(self.dialect),
        )
        self._specs[spec.name] = spec
        self._sql[spec.name] = table
        return table

    def tables(self) -> dict[str, TableSpec]:
        return dict(self._specs)

    def prepare(self, chain_id: int, genesis_hash: str, tables: list[TableSpec]) -> None:
        wanted = wanted_tables(tables)
        self._run("prepare", lambda: self._prepare(int(chain_id), genesis_hash.lower(), wanted))

    def _prepare(self, chain_id: int, genesis: str, wanted: dict[str, TableSpec]) -> None:
        import sqlalchemy as sa

        with self._locked() as conn:
            inspector = sa.inspect(conn)
            for own in (self.meta_t, self.ranges_t):
                if not inspector.has_table(own.name):
                    own.create(conn)
            meta = dict(conn.execute(sa.select(self.meta_t.c.key, self.meta_t.c.value)).all())
            check_chain(self.url, meta.get("chain_id"), meta.get("genesis_hash"), chain_id, genesis)
            if meta.get("schema_version") not in (None, str(SCHEMA_VERSION)):
                raise UsageError(f"{self.url}: schema version {meta['schema_version']} changed while opening")
            new_meta = {"chain_id": str(chain_id), "genesis_hash": genesis, "schema_version": str(SCHEMA_VERSION)}
            for name, spec in wanted.items():
                stored = meta.get(f"table:{name}")
                create = not inspector.has_table(name)
                check_table(self.url, name, stored and json.loads(stored), not create, spec)
                table = self._sql.get(name)
                if table is None or self._specs[name] != spec:
                    if table is not None:
                        self.md.remove(table)
                    table = self._add_table(spec)
                if create:
                    table.create(conn)
                    new_meta[f"table:{name}"] = json.dumps(spec.to_json(), sort_keys=True)
            self._set_meta(conn, new_meta)
            self._meta = {**meta, **new_meta}

    # -- ranges -------------------------------------------------------------------------

    def plan(self, start: int, end: int, chunk: int) -> int:
        check_plan_args(start, end)
        self._require_prepared()
        if chunk < 1:
            raise UsageError(f"chunk must be at least 1 block, not {chunk}")
        return self._run("plan", lambda: self._plan(start, end, chunk))

    def _plan(self, start: int, end: int, chunk: int) -> int:
        import sqlalchemy as sa

        r = self.ranges_t
        with self._locked() as conn:
            covered = conn.execute(
                sa.select(r.c.start_block, r.c.end_block).where(r.c.end_block >= start, r.c.start_block <= end)
            ).all()
            new = chunked(uncovered(start, end, [tuple(row) for row in covered]), chunk)
            if new:
                conn.execute(
                    sa.insert(r),
                    [{"start_block": s, "end_block": e, "state": "todo", "attempts": 0} for s, e in new],
                )
            return len(new)

    def claim(self, owner: str, stale_after: float) -> Range | None:
        self._require_prepared()
        return self._run("claim", lambda: self._claim(owner[:200], float(stale_after)))

    def _claim(self, owner: str, stale_after: float) -> Range | None:
        import sqlalchemy as sa

        r = self.ranges_t
        with self._write() as conn:
            found = None
            for where in (
                sa.and_(r.c.state == "claimed", r.c.heartbeat_at < self._now - stale_after),
                r.c.state == "todo",
            ):
                query = (
                    sa.select(r.c.start_block, r.c.end_block).where(where).order_by(r.c.start_block).limit(1)
                    .with_for_update(skip_locked=self._skip_locked)
                )
                found = conn.execute(query).first()
                if found is not None:
                    break
            if found is None:
                return None
            token = uuid.uuid4().hex
            conn.execute(
                sa.update(r).where(r.c.start_block == found.start_block).values(
                    state="claimed", owner=owner, token=token, heartbeat_at=self._now, attempts=r.c.attempts + 1
                )
            )
            return Range(found.start_block, found.end_block, owner, token)

    def _mine(self, rng: Range) -> Any:
        r = self.ranges_t
        return (r.c.start_block == rng.start) & (r.c.end_block == rng.end) & (r.c.token == rng.token) & (
            r.c.state == "claimed"
        )

    def heartbeat(self, rng: Range) -> bool:
        import sqlalchemy as sa

        def run() -> bool:
            with self._write() as conn:
                return conn.execute(sa.update(self.ranges_t).where(self._mine(rng)).values(heartbeat_at=self._now)).rowcount == 1

        return self._run("heartbeat", run)

    def abandon(self, owner: str) -> int:
        import sqlalchemy as sa

        r = self.ranges_t

        def run() -> int:
            with self._write() as conn:
                return conn.execute(
                    sa.update(r).where((r.c.state == "claimed") & (r.c.owner == owner[:200]))
                    .values(state="todo", owner=None, token=None, heartbeat_at=None)
                ).rowcount

        return self._run("abandon", run)

    def release(self, rng: Range) -> None:
        import sqlalchemy as sa

        def run() -> None:
            with self._write() as conn:
                conn.execute(
                    sa.update(self.ranges_t).where(self._mine(rng))
                    .values(state="todo", owner=None, token=None, heartbeat_at=None)
                )

        self._run("release", run)

    def commit(self, rng: Range, rows: dict[str, list[dict]]) -> bool:
        if any(name not in self._specs for name in rows):
            with self._read() as conn:  # another process may have prepared new tables
                self._load(conn)
        check_rows(self._specs, rng, rows)
        batches = {name: self._encode(name, items) for name, items in rows.items() if items}
        return self._run("commit", lambda: self._commit(rng, batches))

    def _commit(self, rng: Range, batches: dict[str, list[tuple]]) -> bool:
        import sqlalchemy as sa

        r = self.ranges_t
        with self._write() as conn:
            mine = conn.execute(sa.select(r.c.start_block).where(self._mine(rng)).with_for_update()).first()
            if mine is None:
                return False
            for name, table in self._sql.items():
                col = table.c[self._specs[name].block_column]
                conn.execute(sa.delete(table).where(col >= rng.start, col <= rng.end))
            for name, batch in batches.items():
                self._insert(conn, name, batch)
            conn.execute(
                sa.update(r).where(r.c.start_block == rng.start)
                .values(state="done", heartbeat_at=self._now, committed_at=self._now)
            )
            return True

    def _encode(self, name: str, items: list[dict]) -> list[tuple]:
        """Rows as tuples in column order, values as the driver takes them."""
        from operator import itemgetter

        spec = self._specs[name]
        get = itemgetter(*spec.column_names)
        single = len(spec.columns) == 1
        convert = []
        for i, col in enumerate(spec.columns):
            if col.kind == "json":
                convert.append((i, _dump_json))
            elif col.kind in ("uint256", "int256") and self.dialect != "postgresql":
                convert.append((i, str))
        out = []
        for row in items:
            values = (get(row),) if single else get(row)
            if convert:
                values = list(values)
                for i, fn in convert:
                    if values[i] is not None:
                        values[i] = fn(values[i])
            out.append(tuple(values))
        return out

    def _insert(self, conn: Any, name: str, batch: list[tuple]) -> None:
        table = self._sql[name]
        q = self.engine.dialect.identifier_preparer.quote_identifier
        cols = ", ".join(q(c.name) for c in table.columns)
        if self.dialect == "postgresql":
            driver = conn.connection.driver_connection
            with driver.cursor() as cur, cur.copy(f"COPY {q(name)} ({cols}) FROM STDIN") as copy:
                for row in batch:
                    copy.write_row(row)
            return
        mark = "?" if self.engine.dialect.paramstyle == "qmark" else "%s"
        marks = ", ".join([mark] * len(table.columns))
        conn.exec_driver_sql(f"INSERT INTO {q(name)} ({cols}) VALUES ({marks})", batch)

    def rollback(self, from_block: int) -> None:
        if from_block < 0:
            raise UsageError(f"cannot roll back from block {from_block}")
        self._run("rollback", lambda: self._rollback(int(from_block)))

    def _rollback(self, from_block: int) -> None:
        import sqlalchemy as sa

        r = self.ranges_t
        with self._locked() as conn:
            hit = conn.execute(
                sa.select(r.c.start_block, r.c.end_block, r.c.state).where(r.c.end_block >= from_block)
                .order_by(r.c.start_block).with_for_update()
            ).all()
            reset = {"state": "todo", "owner": None, "token": None, "heartbeat_at": None, "committed_at": None}
            for row in hit:
                if row.start_block >= from_block:
                    conn.execute(sa.update(r).where(r.c.start_block == row.start_block).values(**reset))
                else:  # split: the part before from_block keeps its rows
                    kept = {"end_block": from_block - 1}
                    if row.state != "done":
                        kept.update(reset)
                    conn.execute(sa.update(r).where(r.c.start_block == row.start_block).values(**kept))
                    conn.execute(sa.insert(r).values(start_block=from_block, end_block=row.end_block, attempts=0, **reset))
            for name, table in self._sql.items():
                col = table.c[self._specs[name].block_column]
                conn.execute(sa.delete(table).where(col >= from_block))

    # -- reading ------------------------------------------------------------------------

    def status(self) -> Status:
        return self._run("status", self._status)

    def _status(self) -> Status:
        import sqlalchemy as sa

        r = self.ranges_t
        with self._read() as conn:
            if not sa.inspect(conn).has_table(META):
                return Status()
            meta = dict(conn.execute(sa.select(self.meta_t.c.key, self.meta_t.c.value)).all())
            ranges = conn.execute(
                sa.select(r.c.start_block, r.c.end_block, r.c.state, r.c.owner, self._now - r.c.heartbeat_at)
            ).all()
            rows = {
                name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0
                for name, table in self._sql.items()
            }
        committed = merge((s, e) for s, e, state, *_ in ranges if state == "done")
        return Status(
            chain_id=int(meta["chain_id"]) if meta.get("chain_id") else None,
            genesis_hash=meta.get("genesis_hash"),
            schema_version=int(meta["schema_version"]) if meta.get("schema_version") else None,
            committed=committed,
            gaps=gaps(committed),
            pending=merge((s, e) for s, e, state, *_ in ranges if state != "done"),
            claims=sorted(
                Claim(s, e, owner or "", float(age or 0.0)) for s, e, state, owner, age in ranges if state == "claimed"
            ),
            rows=rows,
        )

    def read(self, table: str, start: int, end: int) -> list[dict]:
        import sqlalchemy as sa

        spec = self._specs.get(table)
        if spec is None:
            with self._read() as conn:  # another process may have prepared it since
                self._load(conn)
            spec = self._specs.get(table)
        if spec is None:
            raise UsageError(f"the sink {self.url} has no table {table}")
        t = self._sql[table]
        col = t.c[spec.block_column]
        order = [t.c[c] for c in spec.read_order]
        query = sa.select(t).where(col >= start, col <= end).order_by(*order)

        def run() -> list:
            with self._read() as conn:
                return conn.execute(query).all()

        decode = []
        for i, c in enumerate(spec.columns):
            if c.kind in ("uint256", "int256"):
                decode.append((i, int))
            elif c.kind == "json":
                decode.append((i, json.loads))
            elif c.kind == "bool":
                decode.append((i, bool))
        names = spec.column_names
        out = []
        for row in self._run("read", run):
            values = list(row)
            for i, fn in decode:
                if values[i] is not None:
                    values[i] = fn(values[i])
            out.append(dict(zip(names, values)))
        return out

    def block_hashes(self, start: int, end: int) -> dict[int, str]:
        import sqlalchemy as sa

        t = self._sql.get("blocks")
        if t is None:
            return {}

        def run() -> dict[int, str]:
            with self._read() as conn:
                rows = conn.execute(sa.select(t.c.number, t.c.hash).where(t.c.number >= start, t.c.number <= end))
                return {int(n): h for n, h in rows}

        return self._run("block_hashes", run)

    def close(self) -> None:
        self.engine.dispose()


# -- helpers ----------------------------------------------------------------------------


def _first_line(exc: object) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _dump_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _long_text(dialect: str) -> Any:
    import sqlalchemy as sa

    if dialect == "mysql":
        from sqlalchemy.dialects.mysql import LONGTEXT

        return LONGTEXT()
    return sa.Text()


def _sql_type(kind: str, dialect: str, keyed: bool) -> Any:
    import sqlalchemy as sa

    if kind == "int64":
        return sa.BigInteger()
    if kind in ("uint256", "int256"):
        if dialect == "postgresql":
            return sa.Numeric(78, 0)
        return sa.String(78) if dialect == "mysql" else sa.Text()
    if kind == "address":
        return sa.String(42)
    if kind == "bool":
        return sa.Boolean()
    if dialect == "mysql" and keyed and kind in ("hex", "text"):
        return sa.String(KEYED_TEXT)
    return _long_text(dialect)


def _table_kwargs(dialect: str) -> dict[str, str]:
    return {"mysql_engine": "InnoDB", "mysql_charset": "utf8mb4"} if dialect == "mysql" else {}


def _index_name(table: str, i: int) -> str:
    name = f"ix_{table}_{i}"
    if len(name) > 63:
        name = f"ix_{table[:40]}_{hashlib.sha1(table.encode()).hexdigest()[:12]}_{i}"
    return name


def _sqlite_events(engine: Any) -> None:
    """WAL mode and explicit transactions for pysqlite: writes BEGIN IMMEDIATE (one
    writer at a time; the rest wait up to the busy timeout), reads a deferred BEGIN."""
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        try:
            if cur.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: atomic, fast; a power cut may lose the last commits
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("smartdev_read") else "BEGIN IMMEDIATE")
