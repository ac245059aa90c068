"""The monolith's own suite in a run: last, on the database the services share, or with a database
per service on the database of the one service that owns the tables; skipped with the reason otherwise."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from migrator.verify.application.use_case import verify
from migrator.verify.domain.own_suite import UNITTEST, OwnSuite
from migrator.verify.domain.request import VerifyRequest
from tests.unit.verify.application.fakes import World, fake_adapters
from tests.unit.verify.application.test_use_case import RUN, _system

SUITE = OwnSuite(UNITTEST, ("-m", "unittest", "discover", "-s", "tests", "-t", "."), where="unittest discover -s tests")


def _run(world: World, *, database: str | None, tables: dict[str, tuple[str, ...]] | None = None,
         replicas: dict[str, tuple[str, ...]] | None = None) -> dict[str, tuple[str, str]]:
    system = replace(_system(), tests=None, own_suite=SUITE)
    services = tuple(replace(s, tables=(tables or {}).get(s.name, ()), replicas=(replicas or {}).get(s.name, ())) for s in system.plan.services)
    system = replace(system, plan=replace(system.plan, services=services))
    report = verify(VerifyRequest(Path("/out"), examples=3, database=database), system, fake_adapters(world), run_id=RUN)
    return {step.name: (step.status, step.detail) for step in report.steps}


def test_the_own_suite_runs_last_on_the_database_the_services_share() -> None:
    world = World()
    steps = _run(world, database="shared")
    assert steps["monolith's own test suite"][0] == "passed"
    ran = [event for event in world.events if event.startswith("run ")]
    assert ran[-1] == f"run own suite on postgresql://app:pw@db/{RUN}_shared"


def test_with_a_database_per_service_it_runs_on_the_database_of_the_service_owning_the_tables() -> None:
    """Its writes there reach the read models of the others (here order-items and orders read
    accounts' users) as the services' own writes do; reviews is not part of the run."""
    world = World()
    steps = _run(world, database="per-service", tables={"accounts": ("users", "roles")},
                 replicas={"order_items": ("users",), "orders": ("users",), "reviews": ("users",)})
    assert steps["monolith's own test suite"][0] == "passed"
    assert [event for event in world.events if event.startswith("run ")][-1] == (
        f"run own suite on postgresql://app:pw@db/{RUN}_accounts owned by accounts, read by order-items, orders")


def test_with_a_database_per_service_and_tables_of_several_owners_it_is_skipped_with_the_reason() -> None:
    world = World()
    steps = _run(world, database="per-service", tables={"accounts": ("users",), "orders": ("orders",)})
    assert steps["monolith's own test suite"] == (
        "skipped", "unittest suite found (unittest discover -s tests), not run with a database per service: its tables belong to 2 services "
        "(accounts, orders) with a database each: the suite's writes have one home only where one service owns them all "
        "(migrator verify OUT --database shared runs it)")
    assert not any(event.startswith("run own suite") for event in world.events)
