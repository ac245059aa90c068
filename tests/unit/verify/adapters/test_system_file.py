"""``OUT/system.json`` read back and checked against the folder: a user error that says what to do
when it cannot be run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrator.errors import MigratorError
from migrator.model.service_plan import GatewayRoute, ServicePlan, ServiceSpec
from migrator.verify.adapters.system_file import load_system


def _plan(*names: str) -> ServicePlan:
    specs = tuple(ServiceSpec(name=name, port=8001 + i, modules=(), tables=(), routes=(), internal=(), clients=(), publishes=(), subscribes=())
                  for i, name in enumerate(names))
    return ServicePlan("shop", specs, (), tuple(GatewayRoute(f"/api/{name}", name) for name in names), ())


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
