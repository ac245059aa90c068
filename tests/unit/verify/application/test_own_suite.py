"""The monolith's own suite in a run: last, on the database the services share, skipped with the
reason otherwise."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from migrator.verify.application.use_case import verify
from migrator.verify.domain.own_suite import UNITTEST, OwnSuite
from migrator.verify.domain.request import VerifyRequest
from tests.unit.verify.application.fakes import World, fake_adapters
from tests.unit.verify.application.test_use_case import RUN, _system

SUITE = OwnSuite(UNITTEST, ("-m", "unittest", "discover", "-s", "tests", "-t", "."), where="unittest discover -s tests")


def _run(world: World, *, database: str | None) -> dict[str, tuple[str, str]]:
    system = replace(_system(), tests=None, own_suite=SUITE)
    report = verify(VerifyRequest(Path("/out"), examples=3, database=database), system, fake_adapters(world), run_id=RUN)
    return {step.name: (step.status, step.detail) for step in report.steps}


def test_the_own_suite_runs_last_on_the_database_the_services_share() -> None:
    world = World()
    steps = _run(world, database="shared")
    assert steps["monolith's own test suite"][0] == "passed"
    ran = [event for event in world.events if event.startswith("run ")]
    assert ran[-1] == f"run own suite on postgresql://app:pw@db/{RUN}_shared"


def test_with_a_database_per_service_the_own_suite_is_skipped_with_the_reason() -> None:
    world = World()
    steps = _run(world, database="per-service")
    assert steps["monolith's own test suite"] == ("skipped", "unittest suite found (unittest discover -s tests): its tests' data reach the services "
                                                  "only on one database they share (migrator verify OUT --database shared)")
    assert not any(event.startswith("run own suite") for event in world.events)
