"""The agent's reading of SQL: each statement's shape (literals and parameter lists folded) and the
tables it reads and writes, across the dialects' quoting."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from migrator.tracing.running import AGENT
from migrator.verify.adapters.own_suite_run import SHIM


@pytest.fixture
def sql() -> Iterator[object]:
    sys.path[:0] = [str(AGENT), str(SHIM)]
    try:
        from migrator_trace_agent import sql as module

        yield module
    finally:
        sys.path.remove(str(AGENT))
        sys.path.remove(str(SHIM))


@pytest.mark.parametrize(("statement", "operation", "reads", "writes"), [
    ("SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.id = ?", "select", ["customers", "orders"], []),
    ('INSERT INTO "reviews_review" ("title") VALUES (%s)', "insert", [], ["reviews_review"]),
    ("UPDATE `stock` SET qty = qty - 1 WHERE sku IN (SELECT sku FROM cart_items)", "update", ["cart_items"], ["stock"]),
    ("DELETE FROM public.sessions WHERE expires < now()", "delete", [], ["sessions"]),
    ("INSERT OR REPLACE INTO cache (k, v) VALUES (?, ?)", "insert", [], ["cache"]),
    ("SELECT count(*) FROM (SELECT 1) AS x", "select", [], []),
    ("PRAGMA main.table_info(\"orders\")", "pragma", [], []),
])
def test_tables_of_a_statement(sql: object, statement: str, operation: str, reads: list[str], writes: list[str]) -> None:
    assert sql.describe(statement) == {"operation": operation, "reads": reads, "writes": writes}  # type: ignore[attr-defined]


def test_one_shape_per_query(sql: object) -> None:
    shape = sql.shape  # type: ignore[attr-defined]
    assert shape("SELECT * FROM t WHERE id = 42 AND name = 'it''s'") == "SELECT * FROM t WHERE id = ? AND name = ?"
    assert shape("SELECT * FROM t WHERE id IN (?, ?, ?)") == shape("SELECT * FROM t WHERE id IN (?)") == "SELECT * FROM t WHERE id IN (?)"
    assert len(shape("SELECT " + "a, " * 200 + "b FROM t")) == sql.MAX_STATEMENT  # type: ignore[attr-defined]
