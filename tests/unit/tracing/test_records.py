"""The agent's raw rows turned into use cases: one per test, one per route (over every test), one
``run`` for what ran outside any test; totals over tests and run, never counting a route twice."""

from __future__ import annotations

from migrator.model.trace import read_trace, trace_to_json
from migrator.tracing.records import trace_from_records

RAW = {
    "tracer": "sys.monitoring", "python": "3.12.1", "root": "/src/shop",
    "calls": [["t::a", "GET /x/<int:id>", "shop.views.x", "shop.orders.get", 3], ["t::a", None, None, "shop.views.x", 1],
              ["t::b", "GET /x/<int:id>", "shop.views.x", "shop.orders.get", 1], [None, None, "shop", "shop.views", 1]],
    "sql": [["t::a", "GET /x/<int:id>", "shop.orders.get", "SELECT * FROM orders WHERE id = ?", 3]],
    "statements": {"SELECT * FROM orders WHERE id = ?": {"operation": "select", "reads": ["orders"], "writes": []}},
    "transactions": [["t::b", None, "shop.orders.place", ["orders", "stock"], ["customers"], "commit", 1],
                     ["t::b", None, None, ["orders"], [], "commit", 4]],
    "exceptions": [["t::b", None, "shop.errors.Missing", "shop.orders.get", "shop.views.x", 1]],
    "requests": [["t::a", "GET /x/<int:id>", 3], ["t::b", "GET /x/<int:id>", 1]],
    "tests": {"t::a": 1, "t::b": 1, "t::c": 1}, "places": {"shop.orders.get": "shop/orders.py:3"},
}


def test_use_cases_per_test_route_and_run() -> None:
    trace = trace_from_records(RAW, outcomes={"t::a": "passed", "t::b": "failed"})
    ids = [(u.id, u.kind, u.outcome, u.requests) for u in trace.use_cases]
    assert ids == [("test:t::a", "test", "passed", 3), ("test:t::b", "test", "failed", 1), ("test:t::c", "test", "", 0),
                   ("route:GET /x/<int:id>", "route", "", 4), ("run", "run", "", 0)]
    assert trace.call_counts() == {("shop.views.x", "shop.orders.get"): 4, ("shop", "shop.views"): 1}
    assert trace.route_calls()["route:GET /x/<int:id>"] == (4, {("shop.views.x", "shop.orders.get"): 4})
    assert trace.data_access() == {("shop.orders.get", "reads", "orders"): 3}
    # a transaction no project function began (the test's own) is not the application's
    assert trace.transactions() == {("shop.orders.place", ("orders", "stock")): 1}


def test_the_text_reads_back_the_same() -> None:
    trace = trace_from_records(RAW)
    text = trace_to_json(trace)
    assert read_trace(text, source="trace.json") == trace
    assert trace_to_json(read_trace(text, source="trace.json")) == text
