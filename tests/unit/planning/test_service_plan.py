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


def test_a_call_into_another_services_data_module_gives_a_client_and_an_internal_endpoint(plan) -> None:
    orders, mail = plan.service("orders"), plan.service("mail")
    # shop.mail writes data: its function is the mail service's; shop.catalog holds none, so calls
    # into it stay plain calls (its code is a library, not a service)
    assert {(c.service, c.function, c.idempotent) for c in orders.clients} == {("mail", "shop.mail.send", False)}
    assert orders.remote == ("shop.mail.send",)
    assert {(e.function, e.path, e.callers) for e in mail.internal} == {("shop.mail.send", "/internal/shop/mail/send", ("orders",))}
    assert orders.env["MAIL_URL"] == "http://mail:8002"  # discovery by name, from the same model


def test_events_with_handlers_in_another_service_become_channels(plan) -> None:
    # a fire-and-forget call stays a call (a client); only events with handlers travel on the bus
    assert {(c.name, c.publishers, c.subscribers) for c in plan.channels} == {("order.placed", ("orders",), ("mail",))}
    assert plan.service("mail").subscribes == ("order.placed",)


def test_labels_and_gateway(plan) -> None:
    assert plan.service("orders").labels["app.kubernetes.io/name"] == "orders"
    assert {(r.prefix, r.service) for r in plan.gateway} == {("/orders", "orders")}


def test_internal_paths_come_from_names_only() -> None:
    assert internal_path("shop.orders._private") == "/internal/shop/orders/private"
