"""`migrator migrate` on a Django project (several top-level packages, no ASGI application): the
system is generated, every Python file compiles and every contract validates."""

from __future__ import annotations

import json
from pathlib import Path

from openapi_spec_validator import validate

from tests.cli import invoke

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ROOT / "tests" / "assets" / "routes" / "django_project"


def test_a_django_project_yields_a_system_that_compiles_and_whose_contracts_validate(tmp_path: Path) -> None:
    result = invoke("migrate", str(PROJECT), "-o", str(tmp_path), "--services", "2")
    assert result.exit_code == 0, result.output
    system = tmp_path / "system"
    plan = json.loads((system / "system.json").read_text())["plan"]
    assert plan["app_factory"] == ""  # no ASGI application: each service serves its runtime's endpoints
    assert plan["root_package"] == ""  # proj/, shop/ and api/ side by side
    files = sorted(system.rglob("*.py"))
    for path in files:
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    services = [s for s in plan["services"] if s["kind"] == "service"]
    assert len(services) == 2
    for service in plan["services"]:
        assert (system / service["name"] / "shop" / "views.py").is_file()  # the project's tree, its modules as each service holds them
    openapi = sorted((system / "contracts").glob("*.openapi.json"))
    assert len(openapi) == len(plan["services"])
    routes = 0
    for path in openapi:
        document = json.loads(path.read_text())
        validate(document)
        routes += sum(len([m for m in ops if m in ("get", "post", "put", "patch", "delete")]) for p, ops in document["paths"].items()
                      if not p.startswith(("/healthz/", "/metrics", "/internal/")))
    found = sum(len(s["routes"]) for s in plan["services"])
    assert found >= 5 and routes >= found  # every route found is in a contract (a view for any method twice)
