"""Databases the schema step made, kept between runs: a SQLite file copied into the next run's
empty database while the service's files, interpreter and variables are the same; made again when
any of them changed; a PostgreSQL database left to its server (test_prepared_postgres)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from migrator.verify.adapters.prepared_databases import SqliteSchemaCache


def _service(folder: Path) -> Path:
    (folder / "svc" / "migrations").mkdir(parents=True)
    (folder / "svc" / "migrations" / "0001.py").write_text("CREATE = 'orders'\n")
    (folder / "svc" / "__pycache__").mkdir()
    (folder / "svc" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    return folder / "svc"


def test_a_made_database_is_copied_into_the_next_runs_while_nothing_that_made_it_changed(tmp_path: Path) -> None:
    service = _service(tmp_path)
    made = tmp_path / "run1" / "orders.db"
    made.parent.mkdir()
    with sqlite3.connect(made) as connection:
        connection.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY)")
    cache = SqliteSchemaCache(tmp_path / "cache")
    assert not cache.restore(f"sqlite:///{tmp_path / 'run0' / 'orders.db'}", sources=[service], identity="py")
    cache.keep(f"sqlite:///{made}", sources=[service], identity="py")
    following = tmp_path / "run2" / "orders.db"
    assert SqliteSchemaCache(tmp_path / "cache").restore(f"sqlite:///{following}", sources=[service], identity="py")
    assert sqlite3.connect(following).execute("SELECT name FROM sqlite_master").fetchall() == [("orders",)]
    (service / "__pycache__" / "x.pyc").write_bytes(b"\1")  # no source changed
    assert SqliteSchemaCache(tmp_path / "cache").restore(f"sqlite:///{tmp_path / 'run3.db'}", sources=[service], identity="py")
    assert not SqliteSchemaCache(tmp_path / "cache").restore(f"sqlite:///{tmp_path / 'run4.db'}", sources=[service], identity="other python")
    (service / "migrations" / "0002.py").write_text("ADD = 'total'\n")
    assert not SqliteSchemaCache(tmp_path / "cache").restore(f"sqlite:///{tmp_path / 'run5.db'}", sources=[service], identity="py")


def test_a_postgresql_database_is_left_to_the_servers_templates(tmp_path: Path) -> None:
    cache = SqliteSchemaCache(tmp_path / "cache")
    cache.keep("postgresql://app@db/run_orders", sources=[_service(tmp_path)], identity="py")
    assert not (tmp_path / "cache").exists()
    assert not cache.restore("postgresql://app@db/run_orders", sources=[tmp_path / "svc"], identity="py")
