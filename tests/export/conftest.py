"""Fixtures for the export tests: a fresh, empty sink URL per test on each backend.

PostgreSQL and MariaDB/MySQL come from TEST_POSTGRES_URL / TEST_MYSQL_URL (tests
needing them skip when unset). Each test gets its own PostgreSQL schema (the URL sets
``search_path``) or MySQL database, dropped afterwards, so runs never collide.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

SQL_BACKENDS = ["sqlite", "postgresql", "mysql"]
ALL_BACKENDS = [*SQL_BACKENDS, "jsonl", "csv"]


def _admin_engine(url: str):
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    u = make_url(url)
    driver = {"postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg",
              "mysql": "mysql+pymysql", "mariadb": "mariadb+pymysql"}.get(u.drivername, u.drivername)
    return sa.create_engine(u.set(drivername=driver), isolation_level="AUTOCOMMIT")


def _scratch(var: str, create: str, drop: str, url_for):
    """A database (or schema) of its own on the server ``var`` names, dropped afterwards."""
    base = os.environ.get(var)
    if not base:
        pytest.skip(f"{var} is not set")
    name = f"sdx_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine(base)
    with admin.connect() as conn:
        conn.exec_driver_sql(create.format(name))
    try:
        yield url_for(base, name)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(drop.format(name))
        admin.dispose()


@pytest.fixture
def postgresql_url():
    yield from _scratch(
        "TEST_POSTGRES_URL", 'CREATE SCHEMA "{}"', 'DROP SCHEMA "{}" CASCADE',
        lambda base, name: base + ("&" if "?" in base else "?") + f"options=-csearch_path%3D{name}",
    )


@pytest.fixture
def mysql_url():
    from sqlalchemy.engine import make_url

    yield from _scratch(
        "TEST_MYSQL_URL", "CREATE DATABASE `{}` CHARACTER SET utf8mb4", "DROP DATABASE IF EXISTS `{}`",
        lambda base, name: make_url(base).set(database=name).render_as_string(hide_password=False),
    )


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'chain.db'}"  # an absolute path: sqlite:////tmp/...


@pytest.fixture
def jsonl_url(tmp_path: Path) -> str:
    return f"jsonl:{tmp_path / 'out'}"


@pytest.fixture
def csv_url(tmp_path: Path) -> str:
    return f"csv:{tmp_path / 'out'}"


@pytest.fixture(params=SQL_BACKENDS)
def sql_url(request) -> str:
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture(params=ALL_BACKENDS)
def any_url(request) -> str:
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def admin_sql():
    """Run SQL on a sink's database behind its back (to simulate strays and old versions)."""
    engines = []

    def run(url: str, sql: str, params: tuple = ()):
        engine = _admin_engine(url)
        engines.append(engine)
        with engine.connect() as conn:
            result = conn.exec_driver_sql(sql, params)
            return result.all() if result.returns_rows else None

    yield run
    for engine in engines:
        engine.dispose()


@pytest.fixture
def pg_copy():
    """Load bytes into PostgreSQL with COPY (to check that exported CSV files load)."""
    engines = []

    def run(url: str, sql: str, data: bytes) -> None:
        engine = _admin_engine(url)
        engines.append(engine)
        with engine.connect() as conn:
            with conn.connection.driver_connection.cursor() as cur, cur.copy(sql) as copy:
                copy.write(data)
            conn.commit()

    yield run
    for engine in engines:
        engine.dispose()
