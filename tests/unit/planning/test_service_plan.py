"""The ServicePlan: one model whose names, ports, paths and labels every artifact will share."""

from __future__ import annotations

import pytest

from migrator.planning.plan import build_plan
from migrator.planning.service_plan import build_service_plan, internal_path
from tests.unit.planning.test_plan import DECOMPOSITION, _graph


@pytest.fixture
def plan():
    graph = _graph()
    return build_service_plan(graph, DECOMPOSITION, build_plan(graph, DECOMPOSITION), system="shop")


def test_ports_and_packages_are_deterministic_and_distinct(plan) -> None:
    assert [(s.name, s.port, s.package) for s in plan.services] == [
        ("catalog", 8001, "catalog_service"), ("mail", 8002, "mail_service"), ("orders", 8003, "orders_service"),
    ]


def test_a_rest_crossing_gives_the_caller_a_client_and_the_owner_an_internal_endpoint(plan) -> None:
    orders, catalog = plan.service("orders"), plan.service("catalog")
    assert {(c.service, c.function, c.idempotent) for c in orders.clients} == {
        ("catalog", "shop.catalog.price", False), ("catalog", "shop.catalog.get_product", True),
    }
    assert {(e.function, e.path, e.callers) for e in catalog.internal} == {
        ("shop.catalog.price", "/internal/shop/catalog/price", ("orders",)),
        ("shop.catalog.get_product", "/internal/shop/catalog/get_product", ("orders",)),
    }
    assert orders.env["CATALOG_URL"] == "http://catalog:8001"  # discovery by name, from the same model


def test_events_and_fire_and_forget_calls_become_channels(plan) -> None:
    assert {(c.name, c.publishers, c.subscribers) for c in plan.channels} == {
        ("order.placed", ("orders",), ("mail",)), ("send", ("orders",), ("mail",)),
    }
    assert plan.service("mail").subscribes == ("order.placed", "send")


def test_labels_and_gateway(plan) -> None:
    assert plan.service("orders").labels["app.kubernetes.io/name"] == "orders"
    assert {(r.prefix, r.service) for r in plan.gateway} == {("/orders", "orders")}


def test_internal_paths_come_from_names_only() -> None:
    assert internal_path("shop.orders._private") == "/internal/shop/orders/private"
