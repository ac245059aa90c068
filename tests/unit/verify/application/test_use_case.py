"""verify()'s logic with fakes of every port: what it starts and in which order, that it stops
everything it started whatever happens, what it skips and why, what it keeps and removes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from migrator.errors import MigratorError
from migrator.model.service_plan import Client, Endpoint, GatewayRoute, ServicePlan, ServiceSpec
from migrator.verify.application.ports import Adapters
from migrator.verify.application.use_case import verify
from migrator.verify.domain.processes import ProcessState
from migrator.verify.domain.report import VerifyReport
from migrator.verify.domain.request import VerifyRequest
from migrator.verify.domain.system import MonolithSuite, RunnableService, SystemDescription
from tests.unit.verify.application.fakes import PYTHON, FakeChecks, FakeEnvironments, FakeGateway, FakeProcesses, World, fake_adapters

RUN = "verify_test"
FOLDER = Path("/runs") / RUN
STARTING = ["create folder", "interruptible", "ensure environment", "ensure nats broker", "create databases", "run accounts-schema",
            "run order-items-schema", "run orders-schema", "start accounts", "start order-items", "start orders", "start gateway", "wait ready"]
STOPPING = ["stop processes", "stop brokers", "drop databases"]


def _spec(name: str, port: int, calls: tuple[str, ...] = ()) -> ServiceSpec:
    clients = tuple(Client(other, f"shop.{other}.get", f"/internal/shop/{other}/get", True) for other in calls)
    routes = (Endpoint("GET", f"/api/{name}/<int:id>", f"shop.{name}.get"),)
    return ServiceSpec(name, port, (f"shop.{name}",), (), routes, (), clients, (), ())


def _system(*, event_bus: str = "nats") -> SystemDescription:
    """Three services of the plan's four run (reviews is not part of the run); the plan names one ``order_items``."""
    plan = ServicePlan("Shop", (_spec("accounts", 8001), _spec("order_items", 8002), _spec("orders", 8003, calls=("accounts",)),
                                _spec("reviews", 8004)),
                       (), tuple(GatewayRoute(f"/api/{name}", name) for name in ("accounts", "order_items", "orders", "reviews")), ())
    services = tuple(
        RunnableService(key, f"{key.replace('-', '_')}_service", key, f"{key.replace('-', '_')}_service.main:app", 8001 + i, {},
                        None if key == "accounts" else f"contracts/{key}.openapi.json", ())
        for i, key in enumerate(("accounts", "order-items", "orders"))
    )
    suite = MonolithSuite(Path("/src/shop/tests"), "SHOP_BASE_URL")
    return SystemDescription(Path("/out"), "Shop", Path("/src/shop"), suite, event_bus, "shared", services, plan)


def _verify(
    world: World, request: VerifyRequest | None = None, *, not_ready: tuple[str, ...] = (), drop_problems: tuple[str, ...] = ()
) -> tuple[VerifyReport, Adapters]:
    adapters = fake_adapters(world, not_ready=not_ready, drop_problems=drop_problems)
    report = verify(request or VerifyRequest(Path("/out"), examples=3, fuzz_concurrency=1), _system(), adapters, run_id=RUN)
    return report, adapters


def test_a_passing_run_reports_every_check_and_removes_its_folder() -> None:
    world = World()
    report, _ = _verify(world)
    assert [(step.name, step.status) for step in report.steps] == [
        ("environment", "passed"), ("event bus", "passed"), ("database schema", "passed"), ("accounts ready", "passed"),
        ("order-items ready", "passed"), ("orders ready", "passed"), ("gateway ready", "passed"), ("routes through the gateway", "passed"),
        ("monolith test suite", "passed"), ("schemathesis accounts", "passed"),
        ("schemathesis order-items", "passed"), ("schemathesis orders", "passed"), ("monolith's own test suite", "skipped"),
        ("processes still up", "passed"),
    ]
    assert report.steps[0].detail == "CPython 3.11.7 (x86_64), 12 requirements, reused: /envs/0123abcd"
    assert report.steps[1].detail == "nats at nats://user:***@127.0.0.1:4999 (started by this run)"
    assert report.ok and report.run_dir is None and report.notes == ["a note of the environment"]
    assert world.events == [*STARTING, "probe routes", "run suite", "run schemathesis accounts", "run schemathesis order-items", "run schemathesis orders",
                            *STOPPING, f"remove {FOLDER}"]


def test_the_suite_runs_through_the_gateway_and_schemathesis_against_each_service() -> None:
    report, adapters = _verify(World())
    checks = adapters.checks
    assert isinstance(checks, FakeChecks)
    assert report.steps[7].detail == "4 routes, each answered by its owner (accounts 1, order-items 1, orders 1, reviews 1)"
    assert report.steps[8].detail == f"3/3 passed against {report.gateway_url}"
    assert report.steps[11].detail == f"3 examples against {report.urls['orders']}"
    assert checks.documents == {"accounts": report.urls["accounts"] + "/openapi.json",  # no document of its own: it serves one
                                "order-items": "/out/contracts/order-items.openapi.json", "orders": "/out/contracts/orders.openapi.json"}
    assert [(t.name, t.url) for t in checks.targets] == [
        *((name, report.urls[name] + "/healthz/ready") for name in ("accounts", "order-items", "orders")),
        ("gateway", report.gateway_url + "/gateway/healthz"),
    ]


def test_each_service_runs_under_uvicorn_on_its_port_with_this_runs_variables() -> None:
    report, adapters = _verify(World())
    processes = adapters.processes
    assert isinstance(processes, FakeProcesses)
    orders = processes.started["orders"]
    port = report.urls["orders"].rsplit(":", 1)[1]
    assert orders.argv == [str(PYTHON), "-m", "uvicorn", "orders_service.main:app", "--host", "127.0.0.1", "--port", port]
    assert (orders.cwd, orders.log) == (Path("/out/orders"), FOLDER / "logs" / "orders.log")
    assert {name: orders.env[name] for name in ("PORT", "ACCOUNTS_URL", "DATABASE_URL", "EVENT_BUS", "EVENT_BUS_URL", "EVENT_NAMESPACE")} == {
        "PORT": port, "ACCOUNTS_URL": report.urls["accounts"], "DATABASE_URL": f"postgresql://app:pw@db/{RUN}_orders", "EVENT_BUS": "nats",
        "EVENT_BUS_URL": "nats://user:s3cret@127.0.0.1:4999", "EVENT_NAMESPACE": f"shop_{RUN}",
    }
    assert (orders.env["PYTHONPATH"], orders.env["PYTHONUNBUFFERED"]) == ("/out/orders:/out/shared", "1")
    assert len({*report.urls.values(), report.gateway_url}) == 4  # a port of its own each


def test_every_service_runs_with_verifys_site_first_and_keeps_its_mail_in_the_runs_folder() -> None:
    """Nobody gets mail from a run: verify's sitecustomize keeps what a service sends where the
    monolith's own suite reads it back."""
    world = World()
    adapters = fake_adapters(world)
    adapters = Adapters(**{**adapters.__dict__, "site": (Path("/migrator/suite_shim"),)})
    verify(VerifyRequest(Path("/out"), examples=3), _system(), adapters, run_id=RUN)
    assert isinstance(adapters.processes, FakeProcesses)
    for process in adapters.processes.started.values():
        if process.name != "gateway":
            assert process.env["PYTHONPATH"].split(":")[0] == "/migrator/suite_shim"
            assert process.env["MIGRATOR_MAIL_DIR"] == str(FOLDER / "mail")


class _AtOnce:
    """Wraps a fake's call: it lasts ``seconds(name)``, and ``most`` says how many ran at once."""

    def __init__(self, call: Callable[..., object], seconds: Callable[[str], float]) -> None:
        import threading

        self.call, self.seconds, self.inside, self.most, self.lock = call, seconds, 0, 0, threading.Lock()

    def __call__(self, name: str, *args: object, **kwargs: object) -> object:
        import threading

        with self.lock:
            self.inside += 1
            self.most = max(self.most, self.inside)
        threading.Event().wait(self.seconds(name))
        with self.lock:
            self.inside -= 1
        return self.call(name, *args, **kwargs)


def test_schemathesis_fuzzes_services_at_once_and_reports_them_in_the_services_order() -> None:
    world = World()
    adapters = fake_adapters(world)
    checks = adapters.checks
    assert isinstance(checks, FakeChecks)
    slow = _AtOnce(checks.run_schemathesis, lambda name: 0.3 if name == "accounts" else 0.05)
    checks.run_schemathesis = slow  # type: ignore[method-assign]
    report = verify(VerifyRequest(Path("/out"), fuzz_concurrency=2), _system(), adapters, run_id=RUN)
    assert slow.most == 2
    assert [e for e in world.events if e.startswith("run schemathesis")][-1] == "run schemathesis accounts"  # it ended last
    assert [s.name for s in report.steps if s.name.startswith("schemathesis")] == [
        "schemathesis accounts", "schemathesis order-items", "schemathesis orders"]


def test_the_gateway_gets_every_service_key_and_a_refusing_address_for_those_not_in_the_run() -> None:
    report, adapters = _verify(World())
    gateway = adapters.gateway
    assert isinstance(gateway, FakeGateway)
    (started,) = gateway.started
    running = {name: url.removeprefix("http://") for name, url in report.urls.items()}
    assert {name: started.addresses[name] for name in running} == running
    assert set(started.addresses) == {"accounts", "order-items", "orders", "reviews", "monolith"}  # keys, not the plan's names
    elsewhere = {started.addresses["reviews"], started.addresses["monolith"]}
    assert len(elsewhere) == 2 and not elsewhere & {*running.values(), report.gateway_url.removeprefix("http://")}
    assert (f"http://127.0.0.1:{started.listen}", started.folder) == (report.gateway_url, FOLDER / "gateway")


@pytest.mark.parametrize("failure", [RuntimeError("boom"), KeyboardInterrupt()], ids=["raises", "interrupted"])
@pytest.mark.parametrize("event", ["ensure environment", "ensure nats broker", "create databases", "start orders", "start gateway", "wait ready", "run suite",
                                   "run schemathesis order-items"])
def test_everything_started_is_stopped_when_a_step_raises_or_is_interrupted(event: str, failure: BaseException) -> None:
    world = World(failures={event: failure})
    adapters = fake_adapters(world)
    with pytest.raises(type(failure)):
        verify(VerifyRequest(Path("/out"), fuzz_concurrency=1), _system(), adapters, run_id=RUN)
    assert world.events[-4:] == [*STOPPING, f"remove {FOLDER}"]  # no check failed: nothing to look at in the folder
    assert isinstance(adapters.processes, FakeProcesses) and adapters.processes.running() == []


def test_when_a_service_never_gets_ready_the_suite_and_schemathesis_are_skipped_with_the_reason() -> None:
    world = World()
    report, _ = _verify(world, not_ready=("order-items",))
    assert [(step.name, step.status, step.detail) for step in report.steps[7:]] == [
        ("routes through the gateway", "skipped", "the system did not get ready"),
        ("monolith test suite", "skipped", "the system did not get ready"),
        ("schemathesis accounts", "skipped", "the system did not get ready"),
        ("schemathesis order-items", "skipped", "the system did not get ready"),
        ("schemathesis orders", "skipped", "the system did not get ready"),
        ("monolith's own test suite", "skipped", "the system did not get ready"),
    ]
    assert not report.ok
    assert world.events == [*STARTING, *STOPPING]  # no check ran, and the folder stays for its logs
    assert report.run_dir == FOLDER


def test_keep_keeps_the_databases_and_the_folder() -> None:
    world = World()
    report, _ = _verify(world, VerifyRequest(Path("/out"), keep=True))
    assert report.ok and report.run_dir == FOLDER
    assert world.events[-2:] == ["stop processes", "stop brokers"]


def test_problems_dropping_the_databases_are_notes_of_the_report() -> None:
    report, _ = _verify(World(), drop_problems=("PostgreSQL at postgresql://db refused DROP DATABASE: in use",))
    assert report.ok and report.notes == ["a note of the environment", "PostgreSQL at postgresql://db refused DROP DATABASE: in use"]


def test_hold_sees_the_system_up_after_the_checks_and_each_process_as_it_is() -> None:
    world = World()
    held: list[list[str]] = []
    states: list[list[tuple[str, int | None]]] = []
    adapters = fake_adapters(world)

    def hold(report: VerifyReport, processes: Callable[[], list[ProcessState]]) -> None:
        held.append(list(world.events))
        states.append([(state.name, state.exit_code) for state in processes()])
        assert isinstance(adapters.processes, FakeProcesses)
        adapters.processes.started["orders"].running = False
        states.append([(state.name, state.exit_code) for state in processes() if state.exit_code is not None])

    verify(VerifyRequest(Path("/out"), fuzz_concurrency=1), _system(), adapters, run_id=RUN, hold=hold)
    assert held == [world.events[: world.events.index("stop processes")]]
    assert held[0][-1] == "run schemathesis orders"
    assert states == [[("accounts", None), ("order-items", None), ("orders", None), ("gateway", None)], [("orders", -15)]]


def test_an_unknown_bus_is_a_user_error_before_anything_starts() -> None:
    world = World()
    with pytest.raises(MigratorError, match="unknown event bus 'pigeon'"):
        verify(VerifyRequest(Path("/out")), _system(event_bus="pigeon"), fake_adapters(world), run_id=RUN)
    assert world.events == []


def test_progress_names_each_stage() -> None:
    seen: list[tuple[str, int, int]] = []
    verify(VerifyRequest(Path("/out")), _system(), fake_adapters(World()), run_id=RUN, progress=lambda *done: seen.append(done))
    assert seen == [("environment", 0, 1), ("environment", 1, 1), ("tests", 0, 1), ("tests", 1, 1), ("schemathesis", 0, 3), ("schemathesis", 1, 3), ("schemathesis", 2, 3),
                    ("schemathesis", 3, 3), ("own tests", 0, 1), ("own tests", 1, 1)]


def test_the_system_and_the_suite_run_on_the_systems_own_environment() -> None:
    report, adapters = _verify(World())
    environments, checks = adapters.environments, adapters.checks
    assert isinstance(environments, FakeEnvironments) and isinstance(checks, FakeChecks)
    assert environments.asked == [([Path(f"/out/{key}/requirements.txt") for key in ("accounts", "order-items", "orders")],
                                   ["pytest", "httpx", "faststream[nats]"])]
    assert checks.suite_python == PYTHON
    assert isinstance(adapters.processes, FakeProcesses)
    assert {name: process.argv[0] for name, process in adapters.processes.started.items() if name != "gateway"} == {
        "accounts": str(PYTHON), "order-items": str(PYTHON), "orders": str(PYTHON)}


def test_requirements_that_cannot_be_installed_end_the_run_before_anything_starts() -> None:
    world = World(failures={"ensure environment": MigratorError("cannot install flask==99.0 on CPython 3.11.7", hint="pin ...")})
    with pytest.raises(MigratorError, match="cannot install flask==99.0"):
        verify(VerifyRequest(Path("/out")), _system(), fake_adapters(world), run_id=RUN)
    assert world.events == ["create folder", "interruptible", "ensure environment", *STOPPING, f"remove {FOLDER}"]


def test_a_run_on_another_bus_than_the_systems_installs_that_buss_client() -> None:
    adapters = fake_adapters(World())
    verify(VerifyRequest(Path("/out"), event_bus="rabbit"), _system(), adapters, run_id=RUN)
    assert isinstance(adapters.environments, FakeEnvironments)
    assert adapters.environments.asked[0][1] == ["pytest", "httpx", "faststream[rabbit]"]


def test_a_process_that_died_during_the_checks_fails_the_run_with_its_log() -> None:
    world = World()
    adapters = fake_adapters(world)
    original = adapters.checks.run_suite

    def dying_suite(*args: object, **kwargs: object):  # the orders service dies while the suite runs
        assert isinstance(adapters.processes, FakeProcesses)
        adapters.processes.started["orders"].running = False
        return original(*args, **kwargs)

    adapters.checks.run_suite = dying_suite  # type: ignore[method-assign]
    report = verify(VerifyRequest(Path("/out"), examples=3), _system(), adapters, run_id=RUN)
    last = report.steps[-1]
    assert (last.name, last.status) == ("processes still up", "failed") and not report.ok
    assert last.detail == f"1 process exited during the checks: orders (exit -15, log {FOLDER / 'logs' / 'orders.log'})"


class _Kept:
    """Databases kept by an earlier run: those of ``kept`` are restored, every other one is kept once made."""

    def __init__(self, kept: set[str]) -> None:
        self.kept, self.restored, self.made = kept, [], []  # type: ignore[var-annotated]

    def restore(self, url: str, *, sources: object, identity: str) -> bool:
        if any(url.endswith(name) for name in self.kept):
            self.restored.append(url)
            return True
        return False

    def keep(self, url: str, *, sources: object, identity: str) -> None:
        self.made.append((url, [str(p) for p in sources], json.loads(identity)["python"]))  # type: ignore[attr-defined]


def test_a_database_an_earlier_run_made_from_the_same_files_is_copied_instead_of_the_schema_step() -> None:
    world, kept = World(), _Kept({"_accounts", "_orders"})
    adapters = Adapters(**{**fake_adapters(world).__dict__, "prepared": kept})
    report = verify(VerifyRequest(Path("/out"), examples=3), _system(), adapters, run_id=RUN)
    assert [e for e in world.events if e.endswith("-schema")] == ["run order-items-schema"]
    assert adapters.databases.ensured == [f"postgresql://app:pw@db/{RUN}_order-items"]  # type: ignore[attr-defined]  # the copies made the others
    assert kept.made == [(f"postgresql://app:pw@db/{RUN}_order-items", ["/out/order-items", "/out/shared"], str(PYTHON))]  # its files and the shared library's
    schema = next(s for s in report.steps if s.name == "database schema")
    assert schema.detail == "3 databases given the monolith's schema by its own tooling (2 made by an earlier run from the same files, copied)"


def test_the_schema_steps_run_two_at_a_time_and_a_failure_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from migrator.verify.application import starting

    monkeypatch.setattr(starting, "SCHEMA_CONCURRENCY", 2)
    adapters = fake_adapters(World())
    processes = adapters.processes
    assert isinstance(processes, FakeProcesses)
    original = processes.run

    def run(name: str, argv: object, **kwargs: object) -> int:
        original(name, argv, **kwargs)  # type: ignore[arg-type]
        return 3 if name == "orders-schema" else 0

    slow = _AtOnce(run, lambda name: 0.1)
    processes.run = slow  # type: ignore[method-assign, assignment]
    report = verify(VerifyRequest(Path("/out"), examples=3), _system(), adapters, run_id=RUN)
    assert slow.most == 2
    schema = next(s for s in report.steps if s.name == "database schema")
    assert schema.status == "failed" and schema.detail.startswith("the schema could not be made for orders (exit 3, log ")
