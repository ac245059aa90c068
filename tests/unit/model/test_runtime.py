"""A trace merged into a graph: static call edges marked seen or not, the calls only the trace saw
added, names matched to the graph's nodes, routes matched however the framework writes them."""

from __future__ import annotations

from migrator.model.facts import Edge, EdgeKind, Node, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.model.runtime import apply_trace, route_key
from migrator.model.trace import CallCount, SqlCount, Statement, Trace, TransactionCount, UseCase


def _graph() -> DependencyGraph:
    graph = DependencyGraph("/src")
    for node_id, kind in [("shop.views.show", NodeKind.FUNCTION), ("shop.orders.get", NodeKind.FUNCTION), ("shop.orders.Order", NodeKind.CLASS),
                          ("shop.audit.log", NodeKind.FUNCTION), ("route:GET /orders/<int:id>", NodeKind.ROUTE), ("table:orders", NodeKind.TABLE)]:
        graph.add_node(Node(node_id, kind))
    graph.add_edge(Edge("shop.views.show", "shop.orders.get", EdgeKind.CALLS, 1, ("shop/views.py:4",)))
    graph.add_edge(Edge("shop.views.show", "shop.audit.log", EdgeKind.CALLS, 1, ("shop/views.py:5",)))
    return graph


def _trace() -> Trace:
    test = UseCase("test:t::a", "test", "passed", 2, calls=(
        CallCount("shop.views.show", "shop.orders.get", 4),
        CallCount("shop.orders.get.<locals>.load", "shop.orders.Order.__init__", 4),  # a nested function, a constructor
        CallCount("shop.orders.get", "thirdparty.helper", 1),
        CallCount(None, "shop.views.show", 2)),
        transactions=(TransactionCount("shop.orders.get", ("orders",), (), "commit", 2),))
    route = UseCase("route:GET /orders/{id}", "route", requests=2, calls=test.calls)
    return Trace((test, route))


def test_static_edges_seen_and_missed() -> None:
    merged, match = apply_trace(_graph(), _trace())
    assert merged.edge("shop.views.show", "shop.orders.get", EdgeKind.CALLS).attrs == {
        "runtime_calls": 4, "per_request": 2.0, "hottest_route": "route:GET /orders/<int:id>"}
    assert merged.edge("shop.views.show", "shop.audit.log", EdgeKind.CALLS).attrs == {"runtime_calls": 0}
    dynamic = merged.edge("shop.orders.get", "shop.orders.Order", EdgeKind.CALLS)
    assert dynamic is not None and dynamic.attrs["dynamic"] and dynamic.attrs["runtime_calls"] == 4
    assert (match.static_calls, match.confirmed, match.dynamic, match.unmatched) == (2, 1, 1, 1)
    assert match.routes_matched == match.routes_traced == 1


def test_contexts_transactions_and_requests() -> None:
    merged, match = apply_trace(_graph(), _trace())
    assert merged.node("shop.orders.get").contexts == ("route:GET /orders/<int:id>", "test:t::a")
    assert merged.node("shop.audit.log").contexts == ()
    assert merged.node("shop.orders.get").attrs["transactions"] == [{"writes": ["orders"], "count": 2}]
    assert merged.node("route:GET /orders/<int:id>").attrs["requests"] == 2
    assert match.transactions == 1


def test_route_keys_agree_across_frameworks() -> None:
    assert route_key("route:GET /orders/<int:id>/") == route_key("route:get /orders/{id}") == ("GET", "/orders/{}")
    assert route_key("route:GET ^reviews/(?P<slug>[-\\w]+)/$") == ("GET", "/reviews/{}")


def test_a_constructor_running_is_its_class_called() -> None:
    graph = _graph()
    graph.add_node(Node("shop.orders.Order.__init__", NodeKind.FUNCTION))
    graph.add_edge(Edge("shop.orders.get", "shop.orders.Order", EdgeKind.CALLS, 1, ("shop/orders.py:9",)))
    graph.add_node(Node("shop.orders.Special", NodeKind.CLASS))
    graph.add_node(Node("shop.orders.Special.__init__", NodeKind.FUNCTION))
    graph.add_edge(Edge("shop.orders.Special.__init__", "shop.orders.Order.__init__", EdgeKind.CALLS, 1, ("shop/orders.py:14",)))  # super().__init__
    trace = Trace((UseCase("test:t::a", "test", calls=(
        CallCount("shop.orders.get", "shop.orders.Order.__init__", 2),
        CallCount("shop.orders.Special.__init__", "shop.orders.Order.__init__", 1))),))
    merged, match = apply_trace(graph, trace)
    assert merged.edge("shop.orders.get", "shop.orders.Order", EdgeKind.CALLS).attrs["runtime_calls"] == 2
    assert merged.edge("shop.orders.Special.__init__", "shop.orders.Order.__init__", EdgeKind.CALLS).attrs["runtime_calls"] == 1
    assert match.dynamic == 0


def test_the_trace_s_tables_confirm_static_access_to_the_model_that_maps_them() -> None:
    graph = _graph()
    graph.add_node(Node("shop.orders.OrderRow", NodeKind.MODEL, attrs={"table": "orders"}))
    graph.add_edge(Edge("shop.orders.get", "shop.orders.OrderRow", EdgeKind.READS, 1, ("shop/orders.py:7",)))
    select, insert = "SELECT * FROM orders WHERE id = ?", "INSERT INTO orders (id) VALUES (?)"
    trace = Trace((UseCase("test:t::a", "test", sql=(SqlCount("shop.orders.get", select, 3), SqlCount("shop.audit.log", insert, 1))),),
                  statements=(Statement(select, "select", ("orders",), ()), Statement(insert, "insert", (), ("orders",))))
    merged, match = apply_trace(graph, trace)
    assert merged.edge("shop.orders.get", "shop.orders.OrderRow", EdgeKind.READS).attrs == {"runtime_statements": 3}
    assert merged.edge("shop.orders.get", "table:orders", EdgeKind.READS) is None  # seen, not new
    assert merged.edge("shop.audit.log", "table:orders", EdgeKind.WRITES).attrs == {"dynamic": True, "runtime_statements": 1}
    assert match.data_edges == 2
