"""What ``verify`` computes without running anything: each service's configuration for a run,
the counts of a JUnit report and of a schemathesis report, system.json read back, the table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from migrator.errors import MigratorError
from migrator.model.service_plan import Client, GatewayRoute, ServicePlan, ServiceSpec
from migrator.pipeline.brokers import Broker
from migrator.pipeline.system_file import RunnableService, SystemDescription, load_system
from generators.service.runtime import settings as runtime_settings
from migrator.model.deployment import env_prefix, url_variable
from migrator.pipeline.verification import count_junit, service_env
from migrator.pipeline.verification_checks import read_schemathesis_report
from migrator.reporting.verification_text import failure_details, summary_line, verification_table


def _service(name: str, env: dict[str, str], calls: tuple[str, ...] = ()) -> RunnableService:
    return RunnableService(name, f"{name.replace('-', '_')}_service", name, f"{name.replace('-', '_')}_service.main:app", 8001, env,
                           f"contracts/{name}.openapi.json", calls)


def _spec(name: str, port: int, clients: tuple[str, ...] = (), env: dict[str, str] | None = None) -> ServiceSpec:
    return ServiceSpec(name=name, port=port, modules=(), tables=(), routes=(), internal=(),
                       clients=tuple(Client(c, f"shop.{c}.get", f"/internal/shop/{c}/get", True) for c in clients),
                       publishes=(), subscribes=(), env=env or {})


def _plan(*names: str) -> ServicePlan:
    specs = tuple(_spec(name, 8001 + i) for i, name in enumerate(names))
    return ServicePlan("shop", specs, (), tuple(GatewayRoute(f"/api/{name}", name) for name in names), ())


def _system(*services: RunnableService, plan: ServicePlan | None = None) -> SystemDescription:
    return SystemDescription(Path("/out"), "shop", None, None, "nats", "shared", services, plan or _plan(*(s.name for s in services)))


def test_a_services_configuration_points_at_this_runs_ports_bus_database_and_namespace() -> None:
    plan = ServicePlan("shop", (
        _spec("accounts", 8001), _spec("order-items", 8002), _spec("orders", 8003, clients=("accounts", "order-items"),
                                                                    env={"SHOP_ADMIN_TOKEN": "secret"}), _spec("reviews", 8004),
    ), (), (), (), database_variables=("SHOP_DATABASE_URL",))
    orders = _service("orders", {})
    system = _system(_service("accounts", {}), _service("order-items", {}), _service("reviews", {}), orders, plan=plan)
    ports = {"accounts": 40001, "order-items": 40002, "reviews": 40003, "orders": 40004}
    env = service_env(orders, system, ports=ports, namespace="shop_verify_1234", database_url="sqlite:////tmp/run/orders.db",
                      broker=Broker("redis", "redis://127.0.0.1:6399", started=True))
    assert env == {
        "SERVICE_NAME": "orders",
        "PORT": "40004",
        "DATABASE_URL": "sqlite:////tmp/run/orders.db",
        "SHOP_DATABASE_URL": "sqlite:////tmp/run/orders.db",  # the monolith's own variable for it follows
        "EVENT_BUS": "redis",
        "EVENT_BUS_URL": "redis://127.0.0.1:6399",
        "EVENT_NAMESPACE": "shop_verify_1234",
        "EVENT_CONSISTENCY_TIMEOUT": "10",
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


JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites name="pytest tests">
  <testsuite name="pytest" errors="1" failures="1" skipped="1" tests="5">
    <testcase classname="shop.tests.test_cart" name="test_add" time="0.1"/>
    <testcase classname="shop.tests.test_cart" name="test_remove" time="0.1">
      <failure message="assert 404 == 200">details</failure>
    </testcase>
    <testcase classname="shop.tests.test_orders" name="test_checkout" time="0.1">
      <error message="failed on setup">fixture exploded</error>
    </testcase>
    <testcase classname="shop.tests.test_orders" name="test_refund" time="0.0">
      <skipped type="pytest.skip" message="not yet">skip</skipped>
    </testcase>
  </testsuite>
  <testsuite name="more" tests="1">
    <testcase classname="shop.tests.test_more" name="test_ok" time="0.1"/>
  </testsuite>
</testsuites>
"""


def test_junit_counts_every_outcome_and_names_what_failed(tmp_path: Path) -> None:
    report = tmp_path / "tests.xml"
    report.write_text(JUNIT)
    counts = count_junit(report)
    assert (counts.tests, counts.passed, counts.failed, counts.errors, counts.skipped) == (5, 2, 1, 1, 1)
    assert counts.failing == ("shop.tests.test_cart::test_remove", "shop.tests.test_orders::test_checkout")


def test_junit_with_a_single_suite_root_and_no_tests(tmp_path: Path) -> None:
    report = tmp_path / "tests.xml"
    report.write_text('<testsuite name="pytest" tests="0" errors="0" failures="0" skipped="0"></testsuite>')
    counts = count_junit(report)
    assert (counts.tests, counts.passed, counts.failing) == (0, 0, ())


def test_the_schemathesis_report_gives_operations_tested_and_server_errors(tmp_path: Path) -> None:
    report = tmp_path / "schemathesis.json"
    report.write_text(json.dumps({
        "operations": {"total": 6, "selected": 6, "tested": 5, "errored": 0, "skipped": 1},
        "failures": [
            {"type": "ServerError", "code": "ST101", "count": 2, "operations": ["POST /api/orders", "GET /api/orders/{order_id}"]},
            {"type": "ResponseTimeExceeded", "code": "ST301", "count": 1, "operations": ["GET /api/orders"]},
        ],
        "errors": [{"message": "connection refused"}],
    }))
    outcome = read_schemathesis_report(report)
    assert (outcome.tested, outcome.server_errors, outcome.other_failures, outcome.errors) == (5, 2, 1, 1)
    assert outcome.operations == ("GET /api/orders", "GET /api/orders/{order_id}", "POST /api/orders")


def _write_system(out: Path, **changes: object) -> None:
    (out / "orders").mkdir(parents=True, exist_ok=True)
    (out / "contracts").mkdir(exist_ok=True)
    (out / "contracts" / "orders.openapi.json").write_text("{}")
    data = {
        "schema": "migrator.system/1", "system": "shop", "source": str(out), "tests": None, "event_bus": "rabbit", "shared": "shared",
        "gateway": {"config": "gateway/nginx.conf", "port": 8080},
        "services": [{"name": "orders", "package": "orders_service", "dir": "orders", "app": "orders_service.main:app", "port": 8001,
                      "env": {"PORT": "8001"}, "openapi": "contracts/orders.openapi.json", "calls": []}],
        "plan": _plan("orders").to_dict(),
    }
    (out / "system.json").write_text(json.dumps({**data, **changes}))


def test_system_json_is_read_back_with_its_plan(tmp_path: Path) -> None:
    _write_system(tmp_path)
    system = load_system(tmp_path)
    assert (system.system, system.event_bus, system.tests, system.root) == ("shop", "rabbit", None, tmp_path.resolve())
    assert [s.app for s in system.services] == ["orders_service.main:app"]
    assert system.plan == _plan("orders")
    assert system.service_dir(system.services[0]) == tmp_path.resolve() / "orders"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"schema": "migrator.graph/1"}, "is not a migrator.system/1 file"),
        ({"services": [{"name": "orders"}]}, "is malformed (KeyError: 'package')"),
        ({"services": []}, "lists no service to run"),
        ({"tests": {"path": "/nowhere/tests", "base_url_variable": "BASE"}}, "the monolith's test suite is not at /nowhere/tests"),
    ],
)
def test_an_unusable_system_json_is_a_user_error_with_a_hint(tmp_path: Path, changes: dict[str, object], message: str) -> None:
    _write_system(tmp_path, **changes)
    with pytest.raises(MigratorError) as raised:
        load_system(tmp_path)
    assert message in raised.value.message
    assert raised.value.hint


def test_a_folder_without_system_json_says_to_generate_first(tmp_path: Path) -> None:
    with pytest.raises(MigratorError) as raised:
        load_system(tmp_path)
    assert raised.value.message == f"{tmp_path} holds no generated system (system.json is missing)"
    assert raised.value.hint == "generate it again: migrator generate SRC --decomposition D -o OUT"


def test_a_missing_service_folder_is_named(tmp_path: Path) -> None:
    _write_system(tmp_path)
    (tmp_path / "orders").rmdir()
    with pytest.raises(MigratorError, match="the folder of service orders is missing"):
        load_system(tmp_path)


REPORT = {
    "run_id": "verify_0001", "run_dir": "/tmp/run",
    "steps": [
        {"name": "orders ready", "status": "passed", "detail": "in 0.4 s", "log": "/tmp/run/logs/orders.log", "excerpts": [], "counts": {},
         "failures": []},
        {"name": "monolith test suite", "status": "failed", "detail": "1/2 passed, 1 failed [Errno 111]", "log": "/tmp/run/tests.log",
         "excerpts": [{"source": "/tmp/run/tests.log", "what": "the end of", "text": "FAILED test_cart::test_add - assert [bold]"}],
         "counts": {}, "failures": ["shop.tests.test_cart::test_add"]},
        {"name": "schemathesis orders", "status": "failed", "detail": "3 operations tested, 1 server error: GET /api/orders",
         "log": "/tmp/run/st-orders.log", "excerpts": [{"source": "/tmp/run/logs/orders.log", "what": "the last traceback in",
                                                         "text": "Traceback (most recent call last):\nValueError: boom"}],
         "counts": {}, "failures": ["GET /api/orders"]},
        {"name": "schemathesis cart", "status": "skipped", "detail": "the system did not get ready", "log": None, "excerpts": [],
         "counts": {}, "failures": []},
    ],
}


def test_the_table_has_a_row_per_check_and_shows_text_from_logs_as_it_is() -> None:
    console = Console(width=160, record=True, color_system=None)
    console.print(verification_table(REPORT))
    text = console.export_text()
    assert "│ orders ready        │ PASS   │ in 0.4 s" in text
    assert "│ monolith test suite │ FAIL   │ 1/2 passed, 1 failed [Errno 111]" in text
    assert "│ schemathesis cart   │ SKIP   │ the system did not get ready" in text


def test_failure_details_name_what_failed_and_the_parts_of_logs_that_show_why() -> None:
    assert failure_details(REPORT).splitlines() == [
        "--- monolith test suite: 1/2 passed, 1 failed [Errno 111]",
        "    failed: shop.tests.test_cart::test_add",
        "    the end of /tmp/run/tests.log:",
        "      FAILED test_cart::test_add - assert [bold]",
        "",
        "--- schemathesis orders: 3 operations tested, 1 server error: GET /api/orders",
        "    log: /tmp/run/st-orders.log",
        "    the last traceback in /tmp/run/logs/orders.log:",
        "      Traceback (most recent call last):",
        "      ValueError: boom",
    ]
    assert summary_line(REPORT) == "2 of 4 checks failed; logs and reports kept in /tmp/run"
    assert summary_line({**REPORT, "steps": REPORT["steps"][:1], "run_dir": None}) == "All 1 checks passed."
