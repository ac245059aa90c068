"""``--database shared``: every service keeps the monolith's database, in compose and the cluster,
and the system's README says what the split still needs."""

from __future__ import annotations

from dataclasses import replace

import yaml

from generators.deploy import render_deployment
from generators.system_readme import render_readme
from migrator.model.deployment import Topology
from tests.plans import shop_plan


def test_in_a_shared_database_every_service_uses_the_monoliths() -> None:
    plan = replace(shop_plan(), database="shared")
    compose = yaml.safe_load(render_deployment(plan)["docker-compose.yml"])
    databases = sorted(name for name in compose["services"] if name.endswith("-db"))
    assert databases == ["monolith-db"]
    urls = {name: service["environment"]["DATABASE_URL"] for name, service in compose["services"].items() if "DATABASE_URL" in service.get("environment", {})}
    assert len(urls) == len(plan.services) and len(set(urls.values())) == 1 and "@monolith-db:5432/monolith" in next(iter(urls.values()))
    assert {w.db for w in Topology(plan).workloads} == {"monolith-db"}


def test_per_service_databases_stay_apart_and_the_readme_says_which_mode() -> None:
    plan = shop_plan()
    assert len({w.db for w in Topology(plan).workloads}) == len(plan.services)
    assert "Each service has a database of its own" in render_readme(plan)["README.md"]
    shared = render_readme(replace(plan, database="shared"))["README.md"]
    assert "What the split still needs" in shared and "--database per-service" in shared
