"""Fakes of verify's ports: no process, no socket, no disk. Each records what it is asked, in
order, in one ``World``, which can make any of those requests fail."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from migrator.model.progress import Progress
from migrator.model.service_plan import ServicePlan
from migrator.verify.application.ports import Adapters, Interpreter, Target
from migrator.verify.domain.routes import ProbeResult, RouteProbe
from migrator.verify.domain.report import FAILED, PASSED, SUITE_STEP, Broker, Step, fuzz_step
from migrator.verify.domain.own_suite import OWN_SUITE_STEP, OwnSuite, Placement
from migrator.verify.domain.system import MonolithSuite, SystemDescription


@dataclass
class World:
    events: list[str] = field(default_factory=list)
    failures: dict[str, BaseException] = field(default_factory=dict)
    """Event -> what is raised when it happens."""

    def record(self, event: str) -> None:
        self.events.append(event)
        if event in self.failures:
            raise self.failures[event]


@dataclass
class FakeProcess:
    name: str
    log: Path
    argv: list[str]
    env: dict[str, str]
    cwd: Path
    running: bool = True

    def exit_code(self) -> int | None:
        return None if self.running else -15


class FakeProcesses:
    def __init__(self, world: World) -> None:
        self.world = world
        self.started: dict[str, FakeProcess] = {}
        self.ran: dict[str, FakeProcess] = {}
        """What ``run`` ran, by name; ``exit_codes`` says how each ends (0 by default)."""
        self.exit_codes: dict[str, int] = {}

    def start(self, name: str, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], log: Path) -> FakeProcess:
        self.world.record(f"start {name}")
        self.started[name] = FakeProcess(name, log, list(argv), dict(env), cwd)
        return self.started[name]

    def run(self, name: str, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], log: Path) -> int:
        self.world.record(f"run {name}")
        self.ran[name] = FakeProcess(name, log, list(argv), dict(env), cwd, running=False)
        return self.exit_codes.get(name, 0)

    def stop_all(self) -> None:
        self.world.record("stop processes")
        for process in self.started.values():
            process.running = False

    def running(self) -> list[str]:
        return [name for name, process in self.started.items() if process.running]

    def interruptible(self) -> AbstractContextManager[None]:
        @contextmanager
        def inside() -> Iterator[None]:
            self.world.record("interruptible")
            yield

        return inside()


PYTHON = Path("/envs/0123abcd/bin/python")


class FakeEnvironments:
    def __init__(self, world: World) -> None:
        self.world = world
        self.asked: list[tuple[list[Path], list[str]]] = []

    def ensure(self, requirements: Sequence[Path], *, tools: Sequence[str], constraints: Path | None = None) -> Interpreter:
        self.world.record("ensure environment")
        self.asked.append((list(requirements), list(tools)))
        return Interpreter(PYTHON, "CPython 3.11.7 (x86_64), 12 requirements, reused: /envs/0123abcd", ("a note of the environment",))


class FakeBrokers:
    def __init__(self, world: World) -> None:
        self.world = world

    def ensure(self, bus: str, url: str | None, folder: Path) -> Broker:
        self.world.record(f"ensure {bus} broker")
        return Broker(bus, url or f"{bus}://user:s3cret@127.0.0.1:4999", started=True)

    def stop_all(self) -> None:
        self.world.record("stop brokers")


class FakeDatabases:
    def __init__(self, world: World, problems: Sequence[str] = ()) -> None:
        self.world = world
        self.problems = list(problems)
        self.url = "postgresql://app:pw@db/{run_id}_{name}"
        """Each database's URL; ``sqlite:///...`` makes them files, as without ``--database-url``."""
        self.deferred: set[str] = set()
        self.ensured: list[str] = []
        """The deferred databases made empty (``ensure``), in order."""

    def create(self, services: Sequence[str], *, run_id: str, folder: Path, deferred: bool = False) -> dict[str, str]:
        self.world.record("create databases")
        urls = {name: self.url.format(run_id=run_id, name=name) for name in services}
        if deferred:
            self.deferred |= set(urls.values())
        return urls

    def ensure(self, urls: Iterable[str]) -> None:
        self.ensured += [url for url in urls if url in self.deferred]

    def drop(self) -> list[str]:
        self.world.record("drop databases")
        return self.problems


@dataclass
class GatewayStart:
    plan: ServicePlan
    addresses: dict[str, str]
    listen: int
    folder: Path


class FakeGateway:
    def __init__(self, processes: FakeProcesses) -> None:
        self.processes = processes
        self.started: list[GatewayStart] = []

    def start(self, plan: ServicePlan, *, addresses: Mapping[str, str], listen: int, folder: Path, log: Path) -> FakeProcess:
        self.started.append(GatewayStart(plan, dict(addresses), listen, folder))
        return self.processes.start("gateway", ["nginx"], cwd=folder, env={}, log=log)


class FakeChecks:
    def __init__(self, world: World, not_ready: Sequence[str] = ()) -> None:
        self.world = world
        self.not_ready = set(not_ready)
        self.targets: list[Target] = []
        self.documents: dict[str, str] = {}
        self.suite_python: Path | None = None

    def wait_ready(self, targets: Sequence[Target], *, timeout: float, progress: Progress | None = None) -> list[Step]:
        self.world.record("wait ready")
        self.targets = list(targets)
        return [Step(f"{t.name} ready", FAILED if t.name in self.not_ready else PASSED, t.url) for t in targets]

    def run_suite(self, suite: MonolithSuite | None, *, source: Path | None, base_url: str, run_dir: Path, python: Path) -> Step:
        self.world.record("run suite")
        self.suite_python = python
        return Step(SUITE_STEP, PASSED, f"3/3 passed against {base_url}")

    def run_own_suite(self, suite: OwnSuite, *, system: SystemDescription, database_url: str, gateway_url: str, run_dir: Path,
                      python: Path, placement: Placement | None = None, monolith_database_url: str | None = None) -> Step:
        self.world.record(f"run own suite on {database_url}" + (
            f" as {placement.home}, tables owned by {', '.join(placement.owner_keys)}, read by {', '.join(placement.readers)}" if placement else "")
                          + (f", the monolith's run on {monolith_database_url}" if monolith_database_url else ""))
        return Step(OWN_SUITE_STEP, PASSED, f"{suite.kind}: 2 tests; 2 passed on the monolith, 2 through {gateway_url}")

    def run_schemathesis(
        self, name: str, *, document: str, url: str, examples: int, headers: Sequence[str], run_dir: Path, service_log: Path,
        monolith_url: str | None = None,
    ) -> Step:
        self.world.record(f"run schemathesis {name}")
        self.documents[name] = document
        return Step(fuzz_step(name), PASSED, f"{examples} examples against {url}")


    def probe_routes(self, probes: Sequence[RouteProbe], *, gateway_url: str, monolith_url: str | None) -> list[ProbeResult]:
        self.world.record("probe routes")
        return [ProbeResult(probe, 200, probe.owner, 200 if probe.compare and monolith_url else None) for probe in probes]


class FakeWorkspace:
    def __init__(self, world: World) -> None:
        self.world = world

    def create(self, run_id: str) -> Path:
        self.world.record("create folder")
        return Path("/runs") / run_id

    def remove(self, folder: Path) -> None:
        self.world.record(f"remove {folder}")


class FakeLoopback:
    def __init__(self, first: int = 40001) -> None:
        self.next = first

    def free_ports(self, count: int) -> list[int]:
        ports = list(range(self.next, self.next + count))
        self.next += count
        return ports


def fake_adapters(world: World, *, not_ready: Sequence[str] = (), drop_problems: Sequence[str] = ()) -> Adapters:
    processes = FakeProcesses(world)
    return Adapters(environments=FakeEnvironments(world), processes=processes, brokers=FakeBrokers(world), databases=FakeDatabases(world, drop_problems),
                    gateway=FakeGateway(processes), checks=FakeChecks(world, not_ready), workspace=FakeWorkspace(world),
                    loopback=FakeLoopback())
