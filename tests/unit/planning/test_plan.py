"""The plan on a hand-built graph: each rule of classification, ownership and ordering."""

from __future__ import annotations

from migrator.model.decomposition import Decomposition, Service
from migrator.model.facts import Edge, EdgeKind, Node, NodeKind
from migrator.model.graph import DependencyGraph
from migrator.planning.plan import build_plan


def _graph() -> DependencyGraph:
    g = DependencyGraph("/shop")
    for module in ("shop.orders", "shop.catalog", "shop.mail", "shop.util"):
        g.add_node(Node(module, NodeKind.MODULE, module.replace(".", "/") + ".py", 1))
    functions = ["shop.orders.place", "shop.orders.cancel", "shop.catalog.price", "shop.catalog.get_product",
                 "shop.mail.send", "shop.mail.on_placed", "shop.util.slug"]
    for i, name in enumerate(functions):
        g.add_node(Node(name, NodeKind.FUNCTION, name.rsplit(".", 1)[0].replace(".", "/") + ".py", 10 + i))
    for model, table in (("shop.orders.Order", "orders"), ("shop.catalog.Product", "products"), ("shop.mail.Outbox", "outbox")):
        g.add_node(Node(model, NodeKind.MODEL, None, None, (), {"table": table}))
        g.add_node(Node(f"table:{table}", NodeKind.TABLE))
        g.add_edge(Edge(model, f"table:{table}", EdgeKind.REFERENCES, 1, (), {"maps_to": True}))
    g.add_node(Node("event:order.placed", NodeKind.EVENT, None, None, (), {"framework": "dispatcher"}))
    g.add_node(Node("route:POST /orders", NodeKind.ROUTE))
    edges = [
        Edge("route:POST /orders", "shop.orders.place", EdgeKind.HANDLES),
        Edge("shop.orders.place", "shop.catalog.price", EdgeKind.CALLS, 1, ("shop/orders.py:5",), {"result_unused": False}),
        Edge("shop.orders.cancel", "shop.mail.send", EdgeKind.CALLS, 1, ("shop/orders.py:9",), {"result_unused": True}),
        Edge("shop.orders.cancel", "shop.catalog.get_product", EdgeKind.CALLS, 1, ("shop/orders.py:8",), {"result_unused": True}),
        Edge("shop.orders.place", "shop.util.slug", EdgeKind.CALLS, 1, (), {"result_unused": False}),
        Edge("shop.orders.place", "event:order.placed", EdgeKind.PUBLISHES, 1, ("shop/orders.py:6",)),
        Edge("event:order.placed", "shop.mail.on_placed", EdgeKind.SUBSCRIBES),
        Edge("shop.orders.place", "shop.orders.Order", EdgeKind.WRITES),
        Edge("shop.mail.on_placed", "shop.mail.Outbox", EdgeKind.WRITES),
        Edge("shop.mail.send", "shop.mail.Outbox", EdgeKind.WRITES),
        Edge("shop.mail.send", "shop.orders.Order", EdgeKind.READS, 1, ("shop/mail.py:3",)),
        Edge("shop.orders.Order", "shop.catalog.Product", EdgeKind.FOREIGN_KEY, 1, (), {"column": "product_id", "references": "products.id"}),
        Edge("shop.orders", "shop.catalog", EdgeKind.IMPORTS, 1, ("shop/orders.py:1",)),
        Edge("shop.orders", "shop.util", EdgeKind.IMPORTS, 1, ("shop/orders.py:2",)),
    ]
    for edge in edges:
        g.add_edge(edge)
    return g


DECOMPOSITION = Decomposition(
    services=(Service("orders", ("shop.orders",)), Service("catalog", ("shop.catalog",)), Service("mail", ("shop.mail",))),
    shared=Service("shared", ("shop.util",)),
)


def test_calls_become_rest_events_or_stay_in_the_callers_process() -> None:
    # each rule on its own graph: tests/unit/planning/test_crossings.py
    plan = build_plan(_graph(), DECOMPOSITION)
    found = {(c.source, c.target): (c.treatment, c.via, c.generated) for c in plan.crossings}
    assert found == {
        ("shop.orders.place", "shop.catalog.price"): ("in_process", "call", ""),  # shop.catalog holds no data: a copy runs in orders
        ("shop.orders.cancel", "shop.mail.send"): ("event", "call", "client"),  # fire-and-forget, still called through a client
        ("shop.orders.cancel", "shop.catalog.get_product"): ("in_process", "call", ""),
        ("shop.orders.place", "shop.mail.on_placed"): ("event", "event", "channel"),  # in-process event
    }
    assert all(c.reason for c in plan.crossings if c.treatment == "in_process" or c.generated == "client" and c.treatment == "event")


def test_tables_reached_from_outside_their_owner() -> None:
    issues = {(d.table, d.treatment, d.owner, d.services) for d in build_plan(_graph(), DECOMPOSITION).data}
    assert issues == {
        ("orders", "api_or_read_model", "orders", ("mail",)),
        ("products", "foreign_key_in_code", "catalog", ("orders",)),
    }


def test_a_write_reached_through_an_in_process_event_is_a_transaction_across_services() -> None:
    (transaction,) = build_plan(_graph(), DECOMPOSITION).transactions
    assert transaction.root == "shop.orders.place"
    assert transaction.services == ("mail", "orders")
    assert transaction.path == ("shop.orders.place", "shop.mail.on_placed")
    assert transaction.treatment == "saga_or_outbox"


def test_waves_start_with_the_least_coupled_service_of_value() -> None:
    waves = build_plan(_graph(), DECOMPOSITION).waves
    assert [w.services[0] for w in waves][0] in ("catalog", "mail")
    assert all(1 <= w.risk <= 5 and 1 <= w.effort <= 5 for w in waves)
    orders = next(w for w in waves if w.services == ("orders",))
    assert orders.routes == ("POST /orders",)


def test_contracts_and_violations() -> None:
    plan = build_plan(_graph(), DECOMPOSITION)
    assert [(v.contract, v.importer, v.imported) for v in plan.violations] == [("orders", "shop.orders", "shop.catalog")]
    contracts = {c.part: (c.sources, c.forbidden) for c in plan.contracts}
    assert contracts == {
        "catalog": (("shop.catalog",), ("shop.mail", "shop.orders")),
        "mail": (("shop.mail",), ("shop.catalog", "shop.orders")),
        "orders": (("shop.orders",), ("shop.catalog", "shop.mail")),  # the shared library is no other service
        "shared": (("shop.util",), ("shop.catalog", "shop.mail", "shop.orders")),
    }
