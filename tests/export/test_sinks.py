"""Export sinks: SQLite, PostgreSQL, MySQL/MariaDB, JSON Lines and CSV behind one protocol.

Real databases throughout (see conftest.py); several real OS processes claim and
commit ranges concurrently, and one is killed with SIGKILL in the middle of a commit.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from smartdev.errors import NetworkError, UsageError
from smartdev.export.sinks import Range, chunked, gaps, merge, open_sink, uncovered
from smartdev.export.sinks.schema import CORE_TABLES, SCHEMA_VERSION, Column, TableSpec

HERE = Path(__file__).resolve().parent
GENESIS = "0x" + "ab" * 32
U256_MAX = 2**256 - 1

EVENT = TableSpec(
    "event_token_transfer",
    [Column("block_number", "int64"), Column("log_index", "int64"), Column("transaction_hash", "hex"),
     Column("address", "address"), Column("from_", "address"), Column("value", "uint256"),
     Column("delta", "int256"), Column("flag", "bool"), Column("memo", "text", True),
     Column("payload", "hex", True), Column("items", "json", True)],
    primary_key=("block_number", "log_index"),
)
CALL = TableSpec(  # block_number outside the key: the sink indexes it by itself
    "call_token_constructor",
    [Column("transaction_hash", "hex"), Column("block_number", "int64"), Column("from_address", "address"),
     Column("to_address", "address", True), Column("value", "uint256"), Column("status", "int64", True),
     Column("supply", "uint256"), Column("names", "json")],
    primary_key=("transaction_hash",),
)
DECODED = [EVENT, CALL]
TABLES = {spec.name: spec for spec in [*CORE_TABLES, *DECODED]}

# Values that must survive a round trip exactly.
UINTS = [0, 1, U256_MAX, 2**255, 10**18 + 7, 2**64]
INTS = [-(2**255), -1, 0, 2**255 - 1, -(10**30)]
TEXTS = ["", "plain", 'héllo, "world"\nsecond line', "\r\ncrlf, tab\t", " spaced "]
JSONS = [[], [1, {"a": U256_MAX, "s": "x,y"}], {"k": [True, None, "é"]}, ["0x" + "00" * 32]]


def _value(kind: str, seed: int, n: int, nullable: bool, keyed: bool):
    """A value of ``kind``: unique by ``seed`` where keys need it; the ``n``-th row of a
    table cycles through the edge values, so a few rows hold them all."""
    if nullable and n % 4 == 3:
        return None
    if kind == "int64":
        return seed
    if kind == "uint256":
        return UINTS[n % len(UINTS)]
    if kind == "int256":
        return INTS[n % len(INTS)]
    if kind == "hex":
        return "0x" + f"{seed:064x}" + ("ab" * 700 if n % 5 == 0 and not keyed else "")
    if kind == "address":
        return "0x" + f"{seed:040x}"
    if kind == "bool":
        return n % 2 == 0
    if kind == "text":
        return TEXTS[n % len(TEXTS)]
    return JSONS[n % len(JSONS)]


def make_rows(start: int, end: int, per_block: int = 2, tables=None) -> dict[str, list[dict]]:
    """Synthetic rows for blocks start..end: every kind, edge values, NULLs; keys unique."""
    out: dict[str, list[dict]] = {}
    for spec in tables or TABLES.values():
        rows = []
        keyed = set(spec.primary_key).union(*spec.index)
        for block in range(start, end + 1):
            for j in range(1 if spec.name == "blocks" else per_block):
                row = {}
                for i, col in enumerate(spec.columns):
                    if col.name == spec.block_column:
                        row[col.name] = block
                    else:
                        row[col.name] = _value(col.kind, block * 1000 + j * 10 + i, block * per_block + j, col.nullable, col.name in keyed)
                rows.append(row)
        out[spec.name] = rows
    return out


def prepared(url: str, tables=DECODED, chain_id: int = 31337):
    sink = open_sink(url)
    sink.prepare(chain_id, GENESIS, list(tables))
    return sink


def commit_all(sink, owner: str = "t", stale_after: float = 60.0, per_block: int = 2) -> list[Range]:
    done = []
    while (rng := sink.claim(owner, stale_after)) is not None:
        assert sink.commit(rng, make_rows(rng.start, rng.end, per_block))
        done.append(rng)
    return done


def _sorted(rows: list[dict], spec: TableSpec) -> list[dict]:
    return sorted(rows, key=lambda r: tuple(r[c] for c in spec.read_order))


# -- schema --------------------------------------------------------------------------------


def test_core_tables_follow_the_design():
    names = {t.name: t for t in CORE_TABLES}
    assert list(names) == ["blocks", "transactions", "receipts", "logs", "contracts"]
    assert names["blocks"].column_names[:4] == ["number", "hash", "parent_hash", "nonce"]
    assert names["blocks"].column_names[-2:] == ["withdrawals", "uncles"]
    assert names["blocks"].block_column == "number"
    assert names["logs"].primary_key == ("block_number", "log_index")
    assert names["transactions"].column("value").kind == "uint256"
    assert names["transactions"].column("to_address").nullable
    assert not names["transactions"].column("from_address").nullable
    assert names["receipts"].column("root").nullable
    assert names["transactions"].read_order == ["block_number", "transaction_index", "hash"]
    assert CALL.read_order == ["block_number", "transaction_hash"]
    for spec in CORE_TABLES:  # survives its JSON form (stored in the sink's meta)
        assert TableSpec.from_json(json.loads(json.dumps(spec.to_json()))) == spec


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: Column("x", "uint8"), "unknown kind"),
        (lambda: Column("Bad-Name", "int64"), "not a lowercase SQL identifier"),
        (lambda: Column("x" * 64, "int64"), "at most 63"),
        (lambda: TableSpec("t", [Column("block_number", "int64")], ("nope",)), "no column 'nope'"),
        (lambda: TableSpec("t", [Column("a", "int64")], ("a",)), "no column 'block_number'"),
        (lambda: TableSpec("t", [Column("block_number", "hex")], ("block_number",)), "must be int64"),
        (lambda: TableSpec("t", [Column("block_number", "int64")] * 2, ("block_number",)), "duplicate"),
        (lambda: TableSpec("t", [Column("block_number", "int64")], ()), "no primary key"),
    ],
)
def test_bad_specs_are_refused(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_range_arithmetic():
    assert merge([(5, 9), (0, 4), (20, 30), (25, 26), (12, 12)]) == [(0, 9), (12, 12), (20, 30)]
    assert uncovered(0, 30, [(5, 9), (20, 40)]) == [(0, 4), (10, 19)]
    assert uncovered(10, 12, []) == [(10, 12)]
    assert uncovered(10, 12, [(0, 100)]) == []
    assert chunked([(5, 23)], 10) == [(5, 9), (10, 19), (20, 23)]  # aligned to the chunk
    assert gaps([(0, 9), (20, 29), (31, 40)]) == [(10, 19), (30, 30)]
    with pytest.raises(UsageError):
        chunked([(0, 1)], 0)


# -- the protocol on every backend -----------------------------------------------------------


def test_round_trip_is_exact(any_url):
    """What goes in comes back: uint256 max, negative int256, NULLs, JSON, odd text."""
    with prepared(any_url) as sink:
        assert sink.plan(0, 9, 5) == 2
        rng = sink.claim("w1", 60)
        assert (rng.start, rng.end, rng.owner) == (0, 4, "w1")
        written = make_rows(0, 4)
        assert sink.commit(rng, written)
        for name, spec in TABLES.items():
            back = sink.read(name, 0, 4)
            assert back == _sorted(written[name], spec), name
            assert all(type(b[c]) is type(w[c]) for b, w in zip(back, _sorted(written[name], spec)) for c in b)
        values = {r["value"] for r in sink.read("event_token_transfer", 0, 4)}
        assert U256_MAX in values and 2**255 in values
        assert {r["delta"] for r in sink.read("event_token_transfer", 0, 4)} >= {-(2**255), -1}
        assert sink.read("logs", 2, 3) == [r for r in _sorted(written["logs"], TABLES["logs"]) if 2 <= r["block_number"] <= 3]
        assert sink.block_hashes(1, 2) == {1: written["blocks"][1]["hash"], 2: written["blocks"][2]["hash"]}
        with pytest.raises(UsageError, match="no table"):
            sink.read("nope", 0, 1)
    with open_sink(any_url) as reopened:  # as a new process: tables and types come from the sink
        assert set(reopened.tables()) == set(TABLES)
        assert reopened.read("event_token_transfer", 0, 4) == _sorted(written["event_token_transfer"], EVENT)


def test_plan_claim_heartbeat_release(any_url):
    with prepared(any_url) as sink:
        assert sink.plan(0, 29, 10) == 3
        assert sink.plan(0, 29, 10) == 0  # planned already
        assert sink.plan(25, 44, 7) == 3  # only the new blocks: 30..34, 35..41, 42..44 (aligned)
        a = sink.claim("a", 60)
        b = sink.claim("b", 60)
        assert (a.start, a.end) == (0, 9) and (b.start, b.end) == (10, 19) and a.token != b.token
        assert sink.heartbeat(a)
        sink.release(b)
        again = sink.claim("c", 60)
        assert (again.start, again.end) == (10, 19) and again.token != b.token
        assert not sink.heartbeat(b)  # released: that claim is gone
        assert not sink.commit(b, make_rows(10, 19))  # and it cannot commit
        status = sink.status()
        assert [(c.start, c.owner) for c in status.claims] == [(0, "a"), (10, "c")]
        assert status.committed == [] and status.pending == [(0, 44)]
        with pytest.raises(UsageError):
            sink.plan(10, 5, 10)
        with pytest.raises(UsageError):
            sink.plan(0, 5, 0)


def test_plan_with_another_chunk_covers_each_block_once(sql_url):
    with prepared(sql_url) as sink:
        sink.plan(0, 99, 50)
        sink.plan(0, 149, 20)
        ranges = []
        while (rng := sink.claim("x", 60)) is not None:
            ranges.append((rng.start, rng.end))
        assert ranges == [(0, 49), (50, 99), (100, 119), (120, 139), (140, 149)]


def test_stale_claim_is_taken_over_and_the_old_one_cannot_commit(any_url):
    with prepared(any_url) as sink:
        sink.plan(0, 19, 10)
        slow = sink.claim("slow", 60)
        assert sink.claim("fast", 0.5).start == 10  # 0..9 is fresh: not taken
        time.sleep(0.8)
        taken = sink.claim("fast", 0.5)
        assert (taken.start, taken.end, taken.owner) == (0, 9, "fast") and taken.token != slow.token
        assert not sink.heartbeat(slow)
        assert not sink.commit(slow, make_rows(0, 9))
        assert sink.read("blocks", 0, 9) == []
        assert sink.commit(taken, make_rows(0, 9))
        assert len(sink.read("blocks", 0, 9)) == 10
        assert not sink.commit(taken, make_rows(0, 9))  # done: a second commit is refused
        assert sink.claim("fast", 0.5).start == 10  # 10..19 went stale meanwhile; 0..9 never again


def test_commit_refuses_rows_outside_the_range_and_unknown_tables(any_url):
    with prepared(any_url) as sink:
        sink.plan(0, 9, 10)
        rng = sink.claim("w", 60)
        rows = make_rows(0, 10)  # block 10 is outside 0..9
        with pytest.raises(ValueError, match="block_number=10 outside range 0..9|number=10 outside"):
            sink.commit(rng, rows)
        with pytest.raises(ValueError, match="did not create"):
            sink.commit(rng, {"event_other": [{"block_number": 1}]})
        assert sink.read("blocks", 0, 10) == [] and sink.status().committed == []
        assert sink.commit(rng, make_rows(0, 9))  # the claim is still good


def test_status_shows_gaps_rows_and_claims(any_url):
    with prepared(any_url) as sink:
        sink.plan(0, 39, 10)
        ranges = [sink.claim(f"w{i}", 60) for i in range(4)]
        for rng in (ranges[0], ranges[2]):
            assert sink.commit(rng, make_rows(rng.start, rng.end, per_block=3))
        status = sink.status()
        assert status.committed == [(0, 9), (20, 29)]
        assert status.gaps == [(10, 19)]
        assert status.pending == [(10, 19), (30, 39)]
        assert status.last_block == 29 and status.first_block == 0 and status.blocks == 20
        assert [(c.start, c.owner) for c in status.claims] == [(10, "w1"), (30, "w3")]
        assert all(0 <= c.age < 30 for c in status.claims)
        assert status.rows["blocks"] == 20 and status.rows["logs"] == 60 and status.rows["event_token_transfer"] == 60
        assert (status.chain_id, status.genesis_hash, status.schema_version) == (31337, GENESIS, SCHEMA_VERSION)
        assert status.committed_blocks(5, 24) == 10 and status.committed_blocks(30, 39) == 0
        data = json.loads(json.dumps(status.as_dict()))
        assert data["gaps"] == [[10, 19]] and data["first_block"] == 0 and data["last_block"] == 29
        assert [(c["start"], c["owner"]) for c in data["claimed"]] == [(10, "w1"), (30, "w3")]
        assert data["rows"]["logs"] == 60 and data["chain_id"] == 31337


def test_rollback_removes_blocks_from_every_table_and_replans_them(any_url):
    with prepared(any_url) as sink:
        sink.plan(0, 29, 10)
        commit_all(sink)
        in_flight_plan = sink.plan(30, 39, 10)
        assert in_flight_plan == 1
        in_flight = sink.claim("late", 60)
        sink.rollback(15)
        status = sink.status()
        assert status.committed == [(0, 14)] and status.gaps == []
        assert status.pending == [(15, 39)]
        for name, spec in TABLES.items():
            rows = sink.read(name, 0, 100)
            assert rows and max(r[spec.block_column] for r in rows) == 14, name
        assert status.rows["blocks"] == 15
        assert not sink.commit(in_flight, make_rows(30, 39))  # reset by the rollback
        redo = commit_all(sink)
        assert [(r.start, r.end) for r in redo] == [(15, 19), (20, 29), (30, 39)]
        status = sink.status()
        assert status.committed == [(0, 39)] and status.rows["blocks"] == 40
        assert sink.read("logs", 0, 39) == _sorted(make_rows(0, 39)["logs"], TABLES["logs"])
        with pytest.raises(UsageError):
            sink.rollback(-1)


def test_chain_mismatch_is_refused(any_url):
    prepared(any_url).close()
    with open_sink(any_url) as sink:
        with pytest.raises(UsageError, match="holds chain 31337") as err:
            sink.prepare(1, GENESIS, DECODED)
        assert "own database or directory" in err.value.one_line()
        with pytest.raises(UsageError, match="holds chain 31337"):
            sink.prepare(31337, "0x" + "cd" * 32, DECODED)
        sink.prepare(31337, GENESIS.upper().replace("0X", "0x"), DECODED)  # same chain: fine


def test_changed_decoded_table_is_refused_until_dropped(sql_url, admin_sql):
    prepared(sql_url).close()
    changed = TableSpec(EVENT.name, [*EVENT.columns, Column("extra", "text", True)], EVENT.primary_key)
    with open_sink(sql_url) as sink:
        with pytest.raises(UsageError, match="event_token_transfer .* other columns"):
            sink.prepare(31337, GENESIS, [changed, CALL])
    admin_sql(sql_url, "DROP TABLE event_token_transfer")
    with prepared(sql_url, tables=[changed, CALL]) as sink:
        sink.plan(0, 0, 1)
        rng = sink.claim("w", 60)
        rows = make_rows(0, 0, tables=[*CORE_TABLES, changed, CALL])
        assert sink.commit(rng, rows)
        assert sink.read(EVENT.name, 0, 0) == _sorted(rows[EVENT.name], changed)


def test_foreign_table_is_not_touched(sql_url, admin_sql):
    admin_sql(sql_url, "CREATE TABLE logs (id INTEGER PRIMARY KEY, note VARCHAR(10))")
    admin_sql(sql_url, "INSERT INTO logs VALUES (1, 'mine')")
    with open_sink(sql_url) as sink:
        with pytest.raises(UsageError, match="already has a table logs that smartdev export did not create"):
            sink.prepare(31337, GENESIS, DECODED)
    assert admin_sql(sql_url, "SELECT note FROM logs") == [("mine",)]


def test_delete_then_insert_clears_what_a_range_held(sql_url, admin_sql):
    """Rows already in a range (left by anything) are replaced, never duplicated."""
    with prepared(sql_url) as sink:
        sink.plan(0, 9, 10)
        rng = sink.claim("w", 60)
        admin_sql(sql_url, "INSERT INTO call_token_constructor (transaction_hash, block_number, from_address, "
                           "value, supply, names) VALUES ('0xstray', 5, '0x00', '1', '2', '[]')")
        rows = make_rows(0, 9)
        assert sink.commit(rng, rows)
        assert sink.read(CALL.name, 0, 9) == _sorted(rows[CALL.name], CALL)
        assert sink.status().rows[CALL.name] == len(rows[CALL.name])


def test_old_schema_versions_migrate_or_say_what_to_do(sql_url, admin_sql, monkeypatch):
    from smartdev.export.sinks import sql

    prepared(sql_url).close()
    admin_sql(sql_url, "UPDATE _export_meta SET value = '0' WHERE " + _key_col(sql_url) + " = 'schema_version'")
    with pytest.raises(UsageError, match="schema version 0, older than .* cannot be migrated") as err:
        open_sink(sql_url)
    assert "Export into a new database" in err.value.one_line()

    ran = []
    monkeypatch.setitem(sql.MIGRATIONS, 0, lambda sink, conn: ran.append(sink.url))
    with open_sink(sql_url) as sink:
        assert len(ran) == 1 and sink.status().schema_version == SCHEMA_VERSION
        sink.prepare(31337, GENESIS, DECODED)
    open_sink(sql_url).close()
    assert len(ran) == 1  # migrated once

    admin_sql(sql_url, "UPDATE _export_meta SET value = '99' WHERE " + _key_col(sql_url) + " = 'schema_version'")
    with pytest.raises(UsageError, match="newer smartdev .*schema version 99") as err:
        open_sink(sql_url)
    assert "Upgrade smartdev" in err.value.one_line()


def _key_col(url: str) -> str:
    return "`key`" if url.startswith("mysql") else '"key"'


def test_files_schema_versions_and_format(tmp_path, monkeypatch):
    from smartdev.export.sinks import files

    url = f"jsonl:{tmp_path / 'out'}"
    prepared(url).close()
    meta_path = tmp_path / "out" / "_export" / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta_path.write_text(json.dumps({**meta, "schema_version": 99}))
    with pytest.raises(UsageError, match="newer smartdev"):
        open_sink(url)
    meta_path.write_text(json.dumps({**meta, "schema_version": 0}))
    with pytest.raises(UsageError, match="cannot be migrated"):
        open_sink(url)
    monkeypatch.setitem(files.FILE_MIGRATIONS, 0, lambda sink: None)
    open_sink(url).close()
    assert json.loads(meta_path.read_text())["schema_version"] == SCHEMA_VERSION
    with pytest.raises(UsageError, match="holds a jsonl export, not csv"):
        open_sink(f"csv:{tmp_path / 'out'}")


# -- URLs and connection errors ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url, message",
    [
        ("chain.db", "not a sink URL"),
        ("ftp://host/x", "unsupported sink 'ftp'"),
        ("redis://u:hunter2@host/0", "unsupported sink 'redis'"),
        ("sqlite://", "needs a file"),
        ("sqlite:///:memory:", "needs a file"),
        ("jsonl:", "without a directory"),
        ("postgresql+nosuchdriver://u@h/db", "unsupported sink"),
        ("postgresql+psycopg2://u:hunter2@127.0.0.1/db", "psycopg2 driver .* is not installed"),
    ],
)
def test_bad_urls_give_one_clear_error(url, message):
    with pytest.raises(UsageError, match=message) as err:
        open_sink(url)
    assert "hunter2" not in err.value.one_line()


def test_a_sink_must_be_prepared_before_planning(any_url):
    with open_sink(any_url) as sink:
        assert sink.status().committed == [] and sink.status().chain_id is None
        with pytest.raises(UsageError, match="holds no export yet"):
            sink.plan(0, 9, 10)
        with pytest.raises(UsageError, match="holds no export yet"):
            sink.claim("w", 60)


def test_a_bad_option_in_the_url_is_a_usage_error(mysql_url):
    with pytest.raises(UsageError, match="bad option in the sink URL") as err:
        open_sink(mysql_url.replace("root@", "root:hunter2@") + "?bogus=1")
    assert "hunter2" not in err.value.one_line()


def test_missing_driver_says_which_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pymysql", None)  # as if PyMySQL were not installed
    with pytest.raises(UsageError, match="not installed") as err:
        open_sink("mysql://root:hunter2@127.0.0.1:3306/test")
    assert "pip install 'smartdev[mysql]'" in err.value.one_line()
    assert "hunter2" not in err.value.one_line()


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres:hunter2@127.0.0.1:1/test",
        "mysql://root:hunter2@127.0.0.1:1/test",
    ],
)
def test_unreachable_server_is_a_network_error_without_the_password(url):
    with pytest.raises(NetworkError, match="cannot connect to the sink") as err:
        open_sink(url)
    line = err.value.one_line()
    assert "hunter2" not in line and "***" in line and "127.0.0.1:1" in line


def test_wrong_database_names_the_problem(postgresql_url):
    from sqlalchemy.engine import make_url

    url = make_url(os.environ["TEST_POSTGRES_URL"]).set(password="hunter2", database="sdx_no_such_db")
    with pytest.raises(NetworkError, match="sdx_no_such_db") as err:
        open_sink(url.render_as_string(hide_password=False))
    assert "hunter2" not in err.value.one_line()


def test_scheme_aliases_reach_the_same_database(postgresql_url, mysql_url):
    for url, alias in [(postgresql_url, "postgres://"), (mysql_url, "mariadb://"), (mysql_url, "mysql+pymysql://")]:
        with prepared(url) as sink:
            sink.plan(0, 4, 5)
        with open_sink(alias + url.split("://", 1)[1]) as sink:
            assert sink.status().pending == [(0, 4)] and sink.status().chain_id == 31337


def test_sqlite_paths_are_relative_to_the_environment(tmp_path):
    from smartdev.context import Environment

    with open_sink("sqlite:///data/chain.db", env=Environment(cwd=tmp_path)) as sink:
        sink.prepare(1, GENESIS, [])
        assert (tmp_path / "data" / "chain.db").is_file()
        import sqlite3

        mode = sqlite3.connect(tmp_path / "data" / "chain.db").execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"
    (tmp_path / "adir.db").mkdir()
    with pytest.raises(UsageError, match="is a directory"):
        open_sink("sqlite:///adir.db", env=Environment(cwd=tmp_path))
    with pytest.raises(UsageError, match="timeout must be a number"):
        open_sink("sqlite:///x.db?timeout=soon", env=Environment(cwd=tmp_path))


def test_importing_the_sinks_loads_no_database_library():
    code = (
        "import sys, smartdev.export.sinks, smartdev.export.sinks.schema;"
        "print([m for m in ('sqlalchemy', 'psycopg', 'pymysql') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# -- files sinks -------------------------------------------------------------------------------


def test_csv_files_follow_postgresql_conventions(tmp_path, postgresql_url, admin_sql, pg_copy):
    url = f"csv:{tmp_path / 'out'}"
    with prepared(url) as sink:
        sink.plan(0, 3, 4)
        rng = sink.claim("w", 60)
        rows = make_rows(0, 3)
        assert sink.commit(rng, rows)
    path = tmp_path / "out" / EVENT.name / "000000000-000000003.csv"
    lines = path.read_bytes().decode().split("\n")
    assert lines[0] == ",".join(EVENT.column_names)
    assert ',"",' in path.read_text() and ",," in path.read_text()  # "" is an empty string, nothing is NULL
    # PostgreSQL loads the file as it is, with the same values.
    admin_sql(postgresql_url, 'CREATE TABLE t (block_number BIGINT, log_index BIGINT, transaction_hash TEXT, '
              'address TEXT, from_ TEXT, value NUMERIC(78,0), delta NUMERIC(78,0), flag BOOLEAN, memo TEXT, '
              'payload TEXT, items JSONB)')
    with open(path, "rb") as fh:
        data = fh.read()
    pg_copy(postgresql_url, "COPY t FROM STDIN (FORMAT csv, HEADER true)", data)
    got = admin_sql(postgresql_url, "SELECT value, delta, memo, flag, items FROM t ORDER BY block_number, log_index")
    want = _sorted(rows[EVENT.name], EVENT)
    assert [(int(v), int(d), m, f, i) for v, d, m, f, i in got] == [
        (r["value"], r["delta"], r["memo"], r["flag"], r["items"]) for r in want
    ]


def test_files_layout_and_crash_leftovers(tmp_path):
    root = tmp_path / "out"
    with prepared(f"jsonl:{root}") as sink:
        sink.plan(0, 19, 10)
        first = sink.claim("w", 60)
        assert sink.commit(first, make_rows(0, 9))
    assert (root / "blocks" / "000000000-000000009.jsonl").is_file()
    assert len((root / "logs" / "000000000-000000009.jsonl").read_text().splitlines()) == 20
    recorded = (root / "_export" / "ranges.jsonl").read_text().splitlines()
    assert [json.loads(line)["rows"]["logs"] for line in recorded] == [20]
    # A crash after writing 10..19's files but before recording the range, mid-append too:
    (root / "blocks" / "000000010-000000019.jsonl").write_text('{"number": 10}\n')
    (root / "logs" / ".000000010-000000019.jsonl.x.tmp").write_text("half")
    with open(root / "_export" / "ranges.jsonl", "a") as fh:
        fh.write('{"start": 10, "end": 1')
    with open_sink(f"jsonl:{root}") as sink:
        assert sink.status().committed == [(0, 9)]  # the torn line is no commit
        assert [r["number"] for r in sink.read("blocks", 0, 19)] == list(range(10))
        sink.prepare(31337, GENESIS, DECODED)  # writing: leftovers go
        assert not (root / "blocks" / "000000010-000000019.jsonl").exists()
        assert not (root / "logs" / ".000000010-000000019.jsonl.x.tmp").exists()
        sink.plan(0, 19, 10)
        rng = sink.claim("w", 60)
        assert (rng.start, rng.end) == (10, 19)
        assert sink.commit(rng, make_rows(10, 19))
        assert sink.status().committed == [(0, 19)]
        assert len(sink.read("blocks", 0, 19)) == 20


def test_a_second_process_cannot_write_a_files_sink(tmp_path):
    url = f"jsonl:{tmp_path / 'out'}"
    code = (
        "import sys, time; from smartdev.export.sinks import open_sink;"
        f"s = open_sink({url!r}); s.prepare(31337, {GENESIS!r}, []); print('ready', flush=True); time.sleep(60)"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with open_sink(url) as sink:
            assert sink.status().chain_id == 31337  # reading needs no lock
            with pytest.raises(UsageError, match=f"written by another smartdev export \\(pid {holder.pid}\\)") as err:
                sink.plan(0, 9, 10)
            assert "PostgreSQL or MySQL" in err.value.one_line()
    finally:
        holder.kill()
        holder.wait()
    with open_sink(url) as sink:  # the holder died: its lock went with it
        assert sink.plan(0, 9, 10) == 1


# -- concurrency: threads, processes, SIGKILL ----------------------------------------------------


def test_threads_sharing_a_sink_never_get_the_same_range(sql_url):
    with prepared(sql_url) as sink:
        sink.plan(0, 199, 5)
        got: list[tuple[int, int]] = []
        errors: list[BaseException] = []

        def work(i: int) -> None:
            try:
                for rng in commit_all(sink, owner=f"t{i}", per_block=1):
                    got.append((rng.start, rng.end))
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
        assert sorted(got) == [(s, s + 4) for s in range(0, 200, 5)]
        assert sink.status().committed == [(0, 199)] and sink.status().rows["blocks"] == 200


def worker(url: str, owner: str, start: str, end: str, chunk: str, go_file: str) -> None:
    """A separate OS process: wait for the go signal, prepare, plan, then claim and
    commit until nothing is left; print the ranges it committed as JSON."""
    deadline = time.time() + 60
    while not os.path.exists(go_file) and time.time() < deadline:
        time.sleep(0.005)
    sink = open_sink(url)
    sink.prepare(31337, GENESIS, DECODED)  # every worker prepares and plans: they must not clash
    sink.plan(int(start), int(end), int(chunk))
    done = [(rng.start, rng.end) for rng in commit_all(sink, owner=owner, per_block=2)]
    sink.close()
    print(json.dumps(done))


def killed_worker(url: str) -> None:
    """Claim a range and die in the middle of committing it: after the rows are sent,
    before COMMIT (the parent SIGKILLs this process while it sleeps there)."""
    from sqlalchemy import event

    sink = open_sink(url)
    rng = sink.claim("doomed", 3.0)

    @event.listens_for(sink.engine, "commit")
    def _stall(conn) -> None:
        print(json.dumps([rng.start, rng.end]), flush=True)
        time.sleep(120)

    sink.commit(rng, make_rows(rng.start, rng.end))


def _spawn(*args: str) -> subprocess.Popen:
    code = f"import sys; sys.path.insert(0, {str(HERE)!r}); import test_sinks; test_sinks.{args[0]}(*sys.argv[1:])"
    return subprocess.Popen([sys.executable, "-c", code, *args[1:]], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})


def test_processes_commit_every_range_exactly_once(sql_url, tmp_path):
    go = tmp_path / "go"
    procs = [_spawn("worker", sql_url, f"p{i}", "0", "599", "10", str(go)) for i in range(4)]
    time.sleep(1.0)  # let them all start, then release them at once
    go.write_text("go")
    results = [p.communicate(timeout=240) for p in procs]
    for p, (out, err) in zip(procs, results):
        assert p.returncode == 0, err
    per_process = [json.loads(out) for out, _ in results]
    committed = sorted(tuple(r) for ranges in per_process for r in ranges)
    assert committed == [(s, s + 9) for s in range(0, 600, 10)]  # each once: no duplicates, no gaps
    assert sum(1 for ranges in per_process if ranges) >= 2, per_process  # the work was shared
    with open_sink(sql_url) as sink:
        status = sink.status()
        assert status.committed == [(0, 599)] and status.gaps == [] and status.pending == [] and not status.claims
        assert status.rows["blocks"] == 600 and status.rows["logs"] == 1200
        logs = sink.read("logs", 0, 599)
        assert len({(r["block_number"], r["log_index"]) for r in logs}) == 1200
        assert logs == _sorted(make_rows(0, 599)["logs"], TABLES["logs"])


def test_a_process_killed_mid_commit_leaves_nothing_and_its_range_is_reclaimed(sql_url):
    with prepared(sql_url) as sink:
        sink.plan(0, 29, 10)
        proc = _spawn("killed_worker", sql_url)
        line = proc.stdout.readline()
        assert line, proc.stderr.read()
        start, end = json.loads(line)
        assert (start, end) == (0, 9)
        time.sleep(0.3)  # it sleeps inside the open transaction, rows sent
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        deadline = time.time() + 30
        while True:  # the server notices the dead connection and rolls back
            try:
                status = sink.status()
                break
            except Exception:  # noqa: BLE001 - a lock may linger for a moment
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
        assert status.committed == [] and [(c.start, c.owner) for c in status.claims] == [(0, "doomed")]
        for name, spec in TABLES.items():
            assert sink.read(name, 0, 29) == [], name
        fresh = sink.claim("heir", 3.0)
        assert (fresh.start, fresh.end) == (10, 19)  # the dead claim is not stale yet
        time.sleep(3.2)
        heir = sink.claim("heir", 3.0)
        assert (heir.start, heir.end) == (0, 9)
        assert sink.commit(heir, make_rows(0, 9)) and sink.commit(fresh, make_rows(10, 19))
        status = sink.status()
        assert status.committed == [(0, 19)] and status.rows["blocks"] == 20
        assert sink.read("blocks", 0, 9) == make_rows(0, 9)["blocks"]


# -- speed ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_bulk_insert_speed(backend, request, capsys):
    """100k log rows in one commit; the figure is printed (run with -s to see it)."""
    url = request.getfixturevalue(f"{backend}_url")
    logs = TABLES["logs"]
    with prepared(url, tables=[]) as sink:
        sink.plan(0, 999, 1000)
        rng = sink.claim("bench", 600)
        rows = make_rows(0, 999, per_block=100, tables=[logs])
        t0 = time.perf_counter()
        assert sink.commit(rng, rows)
        elapsed = time.perf_counter() - t0
        assert sink.status().rows["logs"] == 100_000
    rate = 100_000 / elapsed
    with capsys.disabled():
        print(f"\n{backend}: 100k log rows committed in {elapsed:.2f}s = {rate:,.0f} rows/s")
    assert rate > 5_000, f"{backend}: only {rate:,.0f} rows/s"  # row-by-row inserts would be below
