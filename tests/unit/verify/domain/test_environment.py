"""A service's configuration for a run: its variables from the deployment view, pointed at this
run's loopback ports, bus, database and event namespace; the bus a run uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from generators.service.runtime import settings as runtime_settings
from migrator.errors import MigratorError
from migrator.model.deployment import env_prefix, url_variable
from migrator.model.service_plan import Client, GatewayRoute, ServicePlan, ServiceSpec
from migrator.verify.domain.environment import event_bus, event_namespace, service_env
from migrator.verify.domain.report import Broker
from migrator.verify.domain.request import VerifyRequest
from migrator.verify.domain.system import RunnableService, SystemDescription


def _service(name: str) -> RunnableService:
    package = f"{name.replace('-', '_')}_service"
    return RunnableService(name, package, name, f"{package}.main:app", 8001, {}, f"contracts/{name}.openapi.json", ())


def _spec(name: str, port: int, clients: tuple[str, ...] = (), env: dict[str, str] | None = None) -> ServiceSpec:
    return ServiceSpec(name=name, port=port, modules=(), tables=(), routes=(), internal=(),
                       clients=tuple(Client(c, f"shop.{c}.get", f"/internal/shop/{c}/get", True) for c in clients),
                       publishes=(), subscribes=(), env=env or {})


def _system(*services: RunnableService, plan: ServicePlan | None = None, event_bus: str = "nats") -> SystemDescription:
    names = [s.name for s in services]
    plan = plan or ServicePlan("Shop", tuple(_spec(n, 8001 + i) for i, n in enumerate(names)), (), tuple(GatewayRoute(f"/api/{n}", n) for n in names), ())
    return SystemDescription(Path("/out"), plan.system, None, None, event_bus, "shared", services, plan)


def test_a_services_configuration_points_at_this_runs_ports_bus_database_and_namespace() -> None:
    plan = ServicePlan("shop", (
        _spec("accounts", 8001), _spec("order-items", 8002), _spec("orders", 8003, clients=("accounts", "order-items"),
                                                                    env={"SHOP_ADMIN_TOKEN": "secret"}), _spec("reviews", 8004),
    ), (), (), (), database_variables=("SHOP_DATABASE_URL",))
    orders = _service("orders")
    system = _system(_service("accounts"), _service("order-items"), _service("reviews"), orders, plan=plan)
    ports = {"accounts": 40001, "order-items": 40002, "reviews": 40003, "orders": 40004}
    env = service_env(orders, system, ports=ports, namespace="shop_verify_1234", database_url="sqlite:////tmp/run/orders.db",
                      broker=Broker("redis", "redis://127.0.0.1:6399", started=True))
    assert env == {
        "SERVICE_NAME": "orders",
        "PORT": "40004",
        "DATABASE_URL": "sqlite:////tmp/run/orders.db",
        "SHOP_DATABASE_URL": "sqlite:////tmp/run/orders.db",  # the monolith's own variable for it follows
        "DATABASE_MODE": "per-service",
        "EVENT_BUS": "redis",
        "EVENT_BUS_URL": "redis://127.0.0.1:6399",
        "EVENT_NAMESPACE": "shop_verify_1234",
        "EVENT_CONSISTENCY_TIMEOUT": "10",
        "CALL_TIMEOUT_SECONDS": "30",
        "ACCOUNTS_URL": "http://127.0.0.1:40001",
        "ORDER_ITEMS_URL": "http://127.0.0.1:40002",
        "SHOP_ADMIN_TOKEN": "secret",  # the monolith's own settings pass through
    }  # and no REVIEWS_URL: orders does not call reviews


def test_the_address_variable_of_a_service_follows_the_documented_rule() -> None:
    assert [url_variable(name) for name in ("orders", "order-items", "Payments.v2")] == ["ORDERS_URL", "ORDER_ITEMS_URL", "PAYMENTS_V2_URL"]


def test_the_generated_runtime_reads_the_variables_the_toolkit_writes() -> None:
    # the runtime is copied into every service and cannot import the toolkit: its copy of the rule must agree
    names = ("orders", "order-items", "Payments.v2", "ä-service", "x__y", "9lives", "")
    assert [runtime_settings.env_name(name) for name in names] == [env_prefix(name) for name in names]
    assert [runtime_settings.env_name(name) + "_URL" for name in names] == [url_variable(name) for name in names]


def test_the_bus_asked_for_wins_over_the_systems_own() -> None:
    system = _system(_service("orders"), event_bus="rabbit")
    assert event_bus(VerifyRequest(Path("/out")), system) == "rabbit"
    assert event_bus(VerifyRequest(Path("/out"), event_bus="redis"), system) == "redis"


def test_an_unknown_bus_is_a_user_error_that_lists_the_known_ones() -> None:
    with pytest.raises(MigratorError) as raised:
        event_bus(VerifyRequest(Path("/out")), _system(_service("orders"), event_bus="pigeon"))
    assert (raised.value.message, raised.value.hint) == ("unknown event bus 'pigeon'", "use one of nats, kafka, rabbit, redis")


def test_the_event_namespace_is_the_systems_name_and_the_run() -> None:
    assert event_namespace(_system(_service("orders")), "verify_1a2b") == "shop_verify_1a2b"
