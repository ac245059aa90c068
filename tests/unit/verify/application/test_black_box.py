"""--suite with fakes: two monolith instances on fresh databases of their own, the suite against
each and through the gateway, before any other check writes to the system; its verdict and the comparison."""

from __future__ import annotations

import json
from pathlib import Path

from migrator.model.service_plan import Endpoint, GatewayRoute, ServicePlan, ServiceSpec
from migrator.verify.application.use_case import verify
from migrator.verify.domain.black_box import BlackBoxSuite, SuiteRun, Tally
from migrator.verify.domain.exchanges import Exchange
from migrator.verify.domain.report import VerifyReport
from migrator.verify.domain.request import VerifyRequest
from migrator.verify.domain.system import RunnableService, SystemDescription
from tests.unit.verify.application.fakes import PYTHON, FakeProcesses, World, fake_adapters

RUN = "verify_bb"
SUITE = BlackBoxSuite("hurl --test --variable base_url={base_url} --report-junit {junit} api.hurl", Path("/work"))


class FakeSuiteRunner:
    """Answers as each target would: the split system's ``/api/orders`` total as ``split_total``."""

    def __init__(self, world: World, split_total: int = 5) -> None:
        self.world = world
        self.split_total = split_total
        self.urls: dict[str, str] = {}

    def run(self, name: str, suite: BlackBoxSuite, *, target: str, target_url: str, run_dir: Path) -> SuiteRun:
        self.world.record(f"suite {name}")
        self.urls[name] = target_url
        total = self.split_total if name == "suite-split" else 5
        stamp = {"suite-monolith-a": "10:00", "suite-monolith-b": "10:01"}.get(name, "10:02")
        body = json.dumps({"total": total, "at": stamp})
        exchanges = (Exchange("GET", "/api/orders", "", "", 200, "application/json", "", body),)
        passed = 2 if total == 5 else 1
        return SuiteRun(target, 0 if passed == 2 else 1, f"{run_dir}/{name}.log", Tally(2, passed, 2 - passed), exchanges=exchanges)


def _system() -> SystemDescription:
    specs = (ServiceSpec("orders", 8001, ("shop.orders",), (), (Endpoint("GET", "/api/orders", "shop.orders.list"),), (), (), (), ()),
             ServiceSpec("monolith", 8000, ("shop",), (), (), (), (), (), (), kind="monolith"))
    plan = ServicePlan("Shop", specs, (), (GatewayRoute("/api/orders", "orders"),), ())
    services = tuple(RunnableService(key, f"{key}_service", key, f"{key}_service.main:app", 8000 + i, {}, None, ()) for i, key in enumerate(("monolith", "orders")))
    return SystemDescription(Path("/out"), "Shop", Path("/src/shop"), None, "nats", "shared", services, plan)


def _verify(world: World, runner: FakeSuiteRunner, suite: BlackBoxSuite = SUITE, **kwargs: object) -> tuple[VerifyReport, FakeProcesses]:
    adapters = fake_adapters(world, **kwargs)  # type: ignore[arg-type]
    adapters = type(adapters)(**{**adapters.__dict__, "suite_runner": runner})
    report = verify(VerifyRequest(Path("/out"), suite=suite), _system(), adapters, run_id=RUN)
    assert isinstance(adapters.processes, FakeProcesses)
    return report, adapters.processes


def test_the_suite_runs_on_two_fresh_monoliths_and_through_the_gateway_before_the_other_checks() -> None:
    world = World()
    runner = FakeSuiteRunner(world)
    report, processes = _verify(world, runner)
    after_ready = world.events[world.events.index("wait ready") + 1:]
    assert after_ready[:8] == ["create databases", "run monolith-a-schema", "start monolith-a", "run monolith-b-schema", "start monolith-b",
                               "wait ready", "suite suite-monolith-a", "suite suite-monolith-b"]
    assert after_ready[8:10] == ["suite suite-split", "probe routes"]
    instance = processes.started["monolith-a"]
    assert instance.argv[:3] == [str(PYTHON), "-m", "uvicorn"] and instance.argv[-1] == runner.urls["suite-monolith-a"].rsplit(":", 1)[1]
    assert instance.env["DATABASE_URL"] == f"postgresql://app:pw@db/{RUN}_monolith-a"
    assert instance.env["EVENT_NAMESPACE"] == f"shop_{RUN}_monolith_a"  # its events reach none of the split system's consumers
    assert instance.env["PORT"] == instance.argv[-1]
    assert runner.urls["suite-split"] == report.gateway_url
    steps = {step.name: step for step in report.steps}
    assert steps["monolith instances"].status == "passed"
    assert steps["black-box suite"].detail == "monolith: 2/2 passed (exit 0, 1 request); split: 2/2 passed (exit 0, 1 request)"
    assert steps["answers as the monolith's"].detail.startswith("1 request: 0 unexplained differences, 1 difference explained as noise")
    assert report.ok


def test_a_split_system_that_answers_otherwise_fails_both_the_counts_and_the_comparison() -> None:
    world = World()
    report, _ = _verify(world, FakeSuiteRunner(world, split_total=7))
    steps = {step.name: step for step in report.steps}
    assert steps["black-box suite"].status == "failed"
    assert steps["answers as the monolith's"].failures == ("GET /api/orders: body.total 5 -> 7",)
    assert not report.ok


def test_without_the_comparison_one_monolith_instance_is_enough() -> None:
    world = World()
    report, processes = _verify(world, FakeSuiteRunner(world), BlackBoxSuite(SUITE.command, SUITE.cwd, diff=False))
    assert "monolith-b" not in processes.started
    assert [e for e in world.events if e.startswith("suite ")] == ["suite suite-monolith-a", "suite suite-split"]
    assert "answers as the monolith's" not in {step.name for step in report.steps}


def test_when_the_system_is_not_ready_the_suite_is_skipped_with_the_reason() -> None:
    world = World()
    report, _ = _verify(world, FakeSuiteRunner(world), not_ready=("orders",))
    assert [(s.name, s.status, s.detail) for s in report.steps[-2:]] == [
        ("black-box suite", "skipped", "the system did not get ready"), ("answers as the monolith's", "skipped", "the system did not get ready")]
    assert not any(e.startswith("suite ") for e in world.events)


def test_a_monolith_instance_that_never_gets_ready_skips_the_suite() -> None:
    world = World()
    report, _ = _verify(world, FakeSuiteRunner(world), not_ready=("monolith-b",))
    steps = {step.name: step for step in report.steps}
    assert steps["monolith instances"].status == "failed"
    assert steps["black-box suite"].detail == "a monolith instance did not get ready"
    assert not any(e.startswith("suite ") for e in world.events)
