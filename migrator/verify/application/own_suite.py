"""The monolith's own test suite against the split system: the last check of a run, since its tests
empty and drop what the services hold (Django's flush, a suite's ``drop_all``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from migrator.verify.application.ports import Adapters, Checks
from migrator.verify.application.starting import log_of, run_dir, schema_step
from migrator.verify.domain.environment import event_namespace, service_env
from migrator.verify.domain.own_suite import OWN_SUITE_STEP, placement, skipped_step
from migrator.verify.domain.report import FAILED, SUITE_STEP, Step, VerifyReport
from migrator.verify.domain.system import SystemDescription
from migrator.verify.domain.urls import on_server

SUITE_DATABASE = "own-suite-monolith"
"""The database of the monolith's run of its suite, where the application takes its database's
parts (``Hosting.database_components``): created beside the services' and dropped with them."""
SuiteDatabase = Callable[[], str | Step]
"""Makes the database of the monolith's run of its suite, its schema made: its URL, or the step
that says why the suite cannot run."""


def own_suite_step(system: SystemDescription, report: VerifyReport, checks: Checks, *, run_dir: Path, python: Path,
                   suite_database: SuiteDatabase) -> Step:
    """The suite's step: run on the database the services share, which the data its tests make
    through the ORM must reach; with a database per service, each row it writes on the database of
    the service owning its table, reaching the others' read models through the events (``Placement``);
    skipped with the reason where a service owning tables is not part of the run. An application
    that builds its database URL from parts (host, name...) runs its suite on the monolith on a database of its own on the run's server (``suite_database``),
    never on a SQLite file, which has no such parts: on SQLite the suite is skipped with the reason. Any
    split on a database server has the monolith's run on that server too, so that both runs meet
    one engine."""
    suite = system.own_suite
    if suite is None:
        return skipped_step("no test suite found in the monolith's folder" if system.source else "system.json names no source folder")
    if system.tests is not None:
        return skipped_step(f"the suite already runs through the gateway ({SUITE_STEP}): it takes its base URL from {system.tests.base_url_variable}")
    databases = set(report.databases.values())
    home = placement(system.plan, report.databases, runs_as=system.suite_service().name) if len(databases) > 1 else None
    if isinstance(home, str):
        return skipped_step(f"{suite.kind} suite found ({suite.where}), not run with a database per service: {home}")
    database_url = home.database_url if home else databases.pop()
    components = system.plan.hosting.database_components
    monolith_database = None
    if components and not on_server(database_url):
        return skipped_step(
            f"{suite.kind} suite found ({suite.where}), not run: the application builds its database URL from "
            f"{', '.join(components)} (a server's host, port, user, password, database), which a SQLite file has none of; "
            "its suite needs a database server (migrator verify OUT --database-url postgresql://...)")
    if on_server(database_url):
        # the monolith's run on the split's server too: what differs is then the split's, never the
        # engine's (rows a query without ORDER BY returns in another order on PostgreSQL than on SQLite)
        made = suite_database()
        if isinstance(made, Step):
            return made
        monolith_database = made
    return checks.run_own_suite(suite, system=system, database_url=database_url, gateway_url=report.gateway_url, run_dir=run_dir,
                                python=python, placement=home, monolith_database_url=monolith_database)


def make_suite_database(system: SystemDescription, report: VerifyReport, adapters: Adapters, *, ports: Mapping[str, int], python: Path) -> str | Step:
    """A fresh database on the run's server for the monolith's run of its suite (``SUITE_DATABASE``,
    dropped at the end with the services'), given the schema by the schema step of the service the
    suite runs as (``python -m <package>.prepare``), as the services' databases are."""
    url = adapters.databases.create([SUITE_DATABASE], run_id=report.run_id, folder=run_dir(report) / "databases")[SUITE_DATABASE]
    service = system.suite_service()
    env = service_env(service, system, ports=ports, namespace=event_namespace(system, report.run_id), database_url=url, broker=report.broker)
    name = f"{SUITE_DATABASE}-schema"
    code = schema_step(system, report, service, env, adapters, python=python, name=name)
    if code != 0:
        return Step(OWN_SUITE_STEP, FAILED, f"the schema of the monolith's own database for its suite could not be made by "
                    f"{service.package}.prepare (exit {code})", log=str(log_of(report, name)))
    return url
