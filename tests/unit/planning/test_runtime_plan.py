"""The plan with a merged trace: a synchronous call across services made several times per request
is hot, with its count per request and route; a call static analysis found that never ran is
counted apart; without a trace the plan has no run-time part."""

from __future__ import annotations

import json

from migrator.model.plan import HOT_PER_REQUEST
from migrator.model.serialization import graph_from_dict
from migrator.model.decomposition import loads_decomposition
from migrator.planning.plan import build_plan
from migrator.reporting.plan_markdown import render_plan_markdown

GRAPH = {
    "nodes": [{"id": "shop"}, {"id": "shop.orders"}, {"id": "shop.catalog"},
              {"id": "shop.orders.place", "kind": "function"}, {"id": "shop.orders.cancel", "kind": "function"},
              {"id": "shop.catalog.price", "kind": "function"}, {"id": "shop.catalog.stock", "kind": "function"},
              {"id": "shop.catalog.Product", "kind": "model", "attrs": {"table": "products"}}, {"id": "table:products", "kind": "table"}],
    "edges": [
        # the catalog owns its data: calls into it cross to its service
        {"source": "shop.catalog.Product", "target": "table:products", "kind": "references", "attrs": {"maps_to": True}},
        {"source": "shop.catalog.price", "target": "shop.catalog.Product", "kind": "reads"},
        {"source": "shop.catalog.stock", "target": "shop.catalog.Product", "kind": "writes"},
        {"source": "shop.orders.place", "target": "shop.catalog.price", "kind": "calls",
         "attrs": {"runtime_calls": 30, "per_request": 3.0, "hottest_route": "route:POST /orders"}},
        {"source": "shop.orders.place", "target": "shop.catalog.stock", "kind": "calls", "attrs": {"runtime_calls": 10, "per_request": 1.0}},
        {"source": "shop.orders.cancel", "target": "shop.catalog.price", "kind": "calls", "attrs": {"runtime_calls": 0}},
    ],
}
DECOMPOSITION = "services:\n  orders:\n    modules: [shop.orders]\n  catalog:\n    modules: [shop.catalog]\n"


def _plan(graph: dict):  # noqa: ANN202
    return build_plan(graph_from_dict(json.loads(json.dumps(graph))), loads_decomposition(DECOMPOSITION))


def test_hot_calls_with_their_count_per_request() -> None:
    runtime = _plan(GRAPH).runtime
    assert runtime is not None and runtime.unseen_crossings == 1
    hot, other = runtime.calls
    assert (hot.target, hot.per_request, hot.route, hot.hot, hot.calls) == ("shop.catalog.price", 3.0, "POST /orders", True, 30)
    assert (other.target, other.hot) == ("shop.catalog.stock", False) and HOT_PER_REQUEST > 1.0
    markdown = render_plan_markdown(_plan(GRAPH))
    assert "## Run time: volumes and observed transactions" in markdown and "| **hot** |" in markdown


def test_no_trace_no_runtime_part() -> None:
    static = {**GRAPH, "edges": [{**e, "attrs": {}} for e in GRAPH["edges"]]}
    plan = _plan(static)
    assert plan.runtime is None
    assert "Run time" not in render_plan_markdown(plan)
