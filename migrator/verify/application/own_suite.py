"""The monolith's own test suite against the split system: the last check of a run, since its tests
empty and drop what the services hold (Django's flush, a suite's ``drop_all``)."""

from __future__ import annotations

from pathlib import Path

from migrator.verify.application.ports import Checks
from migrator.verify.domain.own_suite import placement, skipped_step
from migrator.verify.domain.report import SUITE_STEP, Step, VerifyReport
from migrator.verify.domain.system import SystemDescription


def own_suite_step(system: SystemDescription, report: VerifyReport, checks: Checks, *, run_dir: Path, python: Path) -> Step:
    """The suite's step: run on the database the services share, which the data its tests make
    through the ORM must reach; with a database per service, on the database of the service that
    owns the tables, its writes reaching the others' read models through the events; skipped with
    the reason otherwise."""
    if system.own_suite is None:
        return skipped_step("no test suite found in the monolith's folder" if system.source else "system.json names no source folder")
    if system.tests is not None:
        return skipped_step(f"the suite already runs through the gateway ({SUITE_STEP}): it takes its base URL from {system.tests.base_url_variable}")
    databases = set(report.databases.values())
    if len(databases) == 1:
        return checks.run_own_suite(system.own_suite, system=system, database_url=databases.pop(), gateway_url=report.gateway_url,
                                    run_dir=run_dir, python=python)
    home = placement(system.plan, report.databases)
    if isinstance(home, str):
        return skipped_step(f"{system.own_suite.kind} suite found ({system.own_suite.where}), not run with a database per service: {home}")
    return checks.run_own_suite(system.own_suite, system=system, database_url=home.database_url, gateway_url=report.gateway_url,
                                run_dir=run_dir, python=python, placement=home)
