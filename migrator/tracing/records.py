"""The agent's raw records (one row per use case and fact, with its count) turned into a ``Trace``:
one use case per test, one per route (what serving its requests did, over every test), and one
``run`` for what ran outside any test (imports, a command that is no test suite)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from migrator.model.trace import (
    ROUTE, RUN, TEST, CallCount, ExceptionCount, SqlCount, Statement, Trace, TransactionCount, UseCase, counted,
)

_RUN_ID = "run"


def trace_from_records(raw: Mapping[str, Any], *, outcomes: Mapping[str, str] | None = None) -> Trace:
    """``raw``, as the agent dumped it; ``outcomes``: test id -> passed, failed, error or skipped."""
    outcomes = outcomes or {}
    buckets: dict[str, dict[str, list[tuple[tuple[Any, ...], int]]]] = {}

    def add(table: str, test: str | None, route: str | None, key: tuple[Any, ...], count: int) -> None:
        owner = f"test:{test}" if test is not None else _RUN_ID
        buckets.setdefault(owner, {}).setdefault(table, []).append((key, count))
        if route is not None:
            buckets.setdefault(f"route:{route}", {}).setdefault(table, []).append((key, count))

    for test, route, source, target, count in raw.get("calls", ()):
        add("calls", test, route, (source, target), count)
    for test, route, function, statement, count in raw.get("sql", ()):
        add("sql", test, route, (function, statement), count)
    for test, route, function, writes, reads, outcome, count in raw.get("transactions", ()):
        add("transactions", test, route, (function, tuple(writes), tuple(reads), outcome), count)
    for test, route, kind, raised_in, caught_in, count in raw.get("exceptions", ()):
        add("exceptions", test, route, (kind, raised_in, caught_in), count)
    requests: dict[str, int] = {}
    for test, route, count in raw.get("requests", ()):
        for owner in (f"test:{test}" if test is not None else _RUN_ID, f"route:{route}"):
            requests[owner] = requests.get(owner, 0) + count
    for test in raw.get("tests", {}):
        buckets.setdefault(f"test:{test}", {})
    use_cases = [_use_case(owner, tables, requests.get(owner, 0), outcomes) for owner, tables in buckets.items()]
    order = {TEST: 0, ROUTE: 1, RUN: 2}
    statements = tuple(Statement(text, str(facts.get("operation", "")), tuple(facts.get("reads", ())), tuple(facts.get("writes", ())))
                       for text, facts in sorted(raw.get("statements", {}).items()))
    return Trace(tuple(sorted(use_cases, key=lambda u: (order[u.kind], u.id))), statements, dict(raw.get("places", {})),
                 root=str(raw.get("root", "")), tracer=str(raw.get("tracer", "")), python=str(raw.get("python", "")))


def _use_case(owner: str, tables: Mapping[str, list[tuple[tuple[Any, ...], int]]], requests: int, outcomes: Mapping[str, str]) -> UseCase:
    kind = TEST if owner.startswith("test:") else ROUTE if owner.startswith("route:") else RUN
    outcome = outcomes.get(owner[len("test:"):], "") if kind == TEST else ""
    return UseCase(
        owner, kind, outcome=outcome, requests=requests,
        calls=tuple(CallCount(*key, count) for key, count in counted(tables.get("calls", ()))),
        sql=tuple(SqlCount(*key, count) for key, count in counted(tables.get("sql", ()))),
        transactions=tuple(TransactionCount(*key, count) for key, count in counted(tables.get("transactions", ()))),
        exceptions=tuple(ExceptionCount(*key, count) for key, count in counted(tables.get("exceptions", ()))),
    )
