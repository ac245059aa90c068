"""The monolith's own suite in a run: last, on the database the services share, or with a database
per service with each table's rows on its owner's database; skipped with the reason where an owner is not part of the run.
An application that builds its database URL from parts runs it on the monolith on a server database
of its own."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from migrator.model.hosting import Hosting
from migrator.verify.application.ports import Adapters
from migrator.verify.application.use_case import verify
from migrator.verify.domain.own_suite import UNITTEST, OwnSuite
from migrator.verify.domain.request import VerifyRequest
from tests.unit.verify.application.fakes import FakeDatabases, FakeProcesses, World, fake_adapters
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
    # the monolith's run on the same server: both runs meet one engine
    assert ran[-1] == f"run own suite on postgresql://app:pw@db/{RUN}_shared, the monolith's run on postgresql://app:pw@db/{RUN}_own-suite-monolith"


def test_with_a_database_per_service_it_runs_as_the_first_service_with_each_table_on_its_owners_database() -> None:
    """Its writes there reach the read models of the others (here order-items and orders read
    accounts' users) as the services' own writes do; reviews is not part of the run."""
    world = World()
    steps = _run(world, database="per-service", tables={"accounts": ("users", "roles"), "orders": ("orders",)},
                 replicas={"order_items": ("users",), "orders": ("users",), "reviews": ("users",)})
    assert steps["monolith's own test suite"][0] == "passed"
    assert [event for event in world.events if event.startswith("run ")][-1] == (
        f"run own suite on postgresql://app:pw@db/{RUN}_accounts as accounts, tables owned by accounts, orders, read by order-items, orders, "
        f"the monolith's run on postgresql://app:pw@db/{RUN}_own-suite-monolith")


def test_with_a_database_per_service_and_an_owner_out_of_the_run_it_is_skipped_with_the_reason() -> None:
    world = World()
    steps = _run(world, database="per-service", tables={"accounts": ("users",), "reviews": ("reviews",)})
    assert steps["monolith's own test suite"] == (
        "skipped", "unittest suite found (unittest discover -s tests), not run with a database per service: the services owning its "
        "tables (reviews) are not part of the run")
    assert not any(event.startswith("run own suite") for event in world.events)


PARTS = {"POSTGRES_SERVER": "host", "POSTGRES_DB": "name"}
"""An application that builds its database URL from parts (the FastAPI template's settings)."""


def _run_with_parts(world: World, adapters: Adapters, *, database: str = "shared") -> dict[str, tuple[str, str]]:
    system = replace(_system(), tests=None, own_suite=SUITE)
    system = replace(system, plan=replace(system.plan, hosting=Hosting(framework="fastapi", database_components=PARTS)))
    report = verify(VerifyRequest(Path("/out"), examples=3, database=database), system, adapters, run_id=RUN)
    return {step.name: (step.status, step.detail) for step in report.steps}


def test_an_application_built_on_database_parts_runs_its_suite_on_the_monolith_on_a_server_database_of_its_own() -> None:
    """Not a SQLite file, which has no host or name to give: a database made on the run's server
    after the system's checks, given its schema by the schema step of the monolith's service, and
    dropped at the end with the others."""
    world = World()
    adapters = fake_adapters(world)
    steps = _run_with_parts(world, adapters)
    assert steps["monolith's own test suite"][0] == "passed"
    schema_steps = [e for e in world.events if e.endswith("-schema")]
    assert schema_steps == ["run accounts-schema", "run own-suite-monolith-schema"]  # the shared database's, then the suite's
    after_checks = world.events[world.events.index("run schemathesis orders") + 1:]
    assert after_checks == ["create databases", "run own-suite-monolith-schema",
                            f"run own suite on postgresql://app:pw@db/{RUN}_shared, the monolith's run on postgresql://app:pw@db/{RUN}_own-suite-monolith",
                            "stop processes", "stop brokers", "drop databases", f"remove /runs/{RUN}"]
    processes = adapters.processes
    assert isinstance(processes, FakeProcesses)
    schema = processes.ran["own-suite-monolith-schema"]
    assert schema.argv[1:] == ["-m", "accounts_service.prepare"]  # no monolith in this system: the suite runs as the first service
    assert schema.env["DATABASE_URL"] == f"postgresql://app:pw@db/{RUN}_own-suite-monolith"
    assert schema.cwd == Path("/out/accounts")


def test_when_the_schema_of_the_suites_database_cannot_be_made_the_step_fails_with_its_log() -> None:
    world = World()
    adapters = fake_adapters(world)
    processes = adapters.processes
    assert isinstance(processes, FakeProcesses)
    processes.exit_codes["own-suite-monolith-schema"] = 1
    steps = _run_with_parts(world, adapters)
    assert steps["monolith's own test suite"] == (
        "failed", "the schema of the monolith's own database for its suite could not be made by accounts_service.prepare (exit 1)")
    assert not any(event.startswith("run own suite") for event in world.events)


def test_on_sqlite_an_application_built_on_database_parts_has_its_suite_skipped_with_the_reason() -> None:
    world = World()
    adapters = fake_adapters(world)
    databases = adapters.databases
    assert isinstance(databases, FakeDatabases)
    databases.url = "sqlite:////runs/{run_id}/{name}.db"
    steps = _run_with_parts(world, adapters)
    assert steps["monolith's own test suite"] == (
        "skipped", "unittest suite found (unittest discover -s tests), not run: the application builds its database URL from "
        "POSTGRES_SERVER, POSTGRES_DB (a server's host, port, user, password, database), which a SQLite file has none of; its suite "
        "needs a database server (migrator verify OUT --database-url postgresql://...)")
    assert world.events.count("create databases") == 1
    assert not any(event.startswith("run own suite") or event == "run own-suite-monolith-schema" for event in world.events)
