"""Databases of a run on the machine's PostgreSQL server: named safely, created, dropped again."""

from __future__ import annotations

import secrets
from pathlib import Path

import psycopg
import pytest

from migrator.errors import MigratorError
from migrator.verify.adapters.postgres import PostgresDatabases, database_name

POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


def test_a_database_name_is_a_safe_postgres_identifier() -> None:
    assert database_name("verify_1a2b", "order-items") == "verify_1a2b_order_items"
    assert database_name("verify_1a2b", "Ünïcode.Service") == "verify_1a2b__n_code_service"
    assert len(database_name("verify_1a2b", "x" * 100)) == 63


def _databases(prefix: str) -> list[str]:
    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        rows = connection.execute("SELECT datname FROM pg_database WHERE datname LIKE %s ORDER BY datname", (f"{prefix}%",)).fetchall()
    return [name for (name,) in rows]


def test_a_database_per_service_is_created_and_dropped_again(tmp_path: Path) -> None:
    run_id = f"verify_{secrets.token_hex(4)}"
    databases = PostgresDatabases(POSTGRES)
    urls = databases.create(["orders", "order-items"], run_id=run_id, folder=tmp_path)
    try:
        assert urls == {"orders": f"postgresql://postgres@127.0.0.1:5432/{run_id}_orders",
                        "order-items": f"postgresql://postgres@127.0.0.1:5432/{run_id}_order_items"}
        assert _databases(run_id) == [f"{run_id}_order_items", f"{run_id}_orders"]
    finally:
        assert databases.drop() == []
    assert _databases(run_id) == []
    assert databases.drop() == []  # nothing left to drop


def test_a_server_that_refuses_is_a_user_error_that_says_what_to_check(tmp_path: Path) -> None:
    with pytest.raises(MigratorError) as raised:
        PostgresDatabases("postgresql://nobody:pw@127.0.0.1:5432/postgres").create(["orders"], run_id="verify_x", folder=tmp_path)
    assert raised.value.message.startswith("PostgreSQL at postgresql://nobody:***@127.0.0.1:5432/postgres refused CREATE DATABASE")
    assert raised.value.hint.startswith("check --database-url")


def test_a_deferred_database_is_named_at_once_made_when_ensured_and_dropped_either_way(tmp_path: Path) -> None:
    run_id = f"verify_{secrets.token_hex(4)}"
    databases = PostgresDatabases(POSTGRES)
    urls = databases.create(["orders", "items"], run_id=run_id, folder=tmp_path, deferred=True)
    try:
        assert urls["orders"] == f"postgresql://postgres@127.0.0.1:5432/{run_id}_orders" and _databases(run_id) == []
        databases.ensure([urls["orders"]])
        databases.ensure([urls["orders"]])  # once
        assert _databases(run_id) == [f"{run_id}_orders"]
    finally:
        assert databases.drop() == []  # the one never made too, quietly
    assert _databases(run_id) == []
