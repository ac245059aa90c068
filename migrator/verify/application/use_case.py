"""``verify()``: boot the generated system in an environment of its own (broker, databases,
services, gateway), wait until it is ready, run the checks, and stop everything it started,
whatever happened."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from migrator.model.progress import Progress
from migrator.verify.application.black_box import run_black_box
from migrator.verify.application.checking import run_checks
from migrator.verify.application.own_suite import make_suite_database
from migrator.verify.application.ports import Adapters, Interpreter, Target
from migrator.verify.application.starting import start_system
from migrator.verify.domain.environment import GATEWAY, event_bus, loopback_url
from migrator.verify.domain.processes import ProcessState
from migrator.verify.domain.report import ENVIRONMENT_STEP, PASSED, Broker, Step, VerifyReport
from migrator.verify.domain.request import VerifyRequest
from migrator.verify.domain.system import SystemDescription, run_tools
from migrator.verify.domain.urls import redacted

SHARED_DATABASE = "shared"
"""The database of a run whose services share one (``--database shared``)."""
Hold = Callable[[VerifyReport, Callable[[], list[ProcessState]]], None]
"""Called with the system still up, after the checks (``--keep-running``), and a way to ask each process's state."""


def verify(
    request: VerifyRequest, system: SystemDescription, adapters: Adapters, *, run_id: str, progress: Progress | None = None,
    hold: Hold | None = None,
) -> VerifyReport:
    """Run ``system`` and check it. Everything started is stopped before returning; the run's
    databases are dropped and its folder removed unless the request keeps them (the folder is kept
    too when a check failed: its logs show why)."""
    bus = event_bus(request, system)
    folder = adapters.workspace.create(run_id)
    report: VerifyReport | None = None
    try:
        with adapters.processes.interruptible():
            interpreter = _environment(system, adapters, bus, progress)
            report, ports = _open(request, system, adapters, bus=bus, run_id=run_id, folder=folder)
            report.steps.insert(0, Step(ENVIRONMENT_STEP, PASSED, interpreter.detail))
            report.notes += interpreter.notes
            targets = start_system(system, report, ports, adapters, python=interpreter.python)
            black_box = partial(run_black_box, system, report, adapters, request.suite, python=interpreter.python, timeout=request.timeout,
                                progress=progress) if request.suite else None
            suite_database = partial(make_suite_database, system, report, adapters, ports=ports, python=interpreter.python)
            run_checks(system, request, report, targets, adapters.checks, progress, python=interpreter.python, suite_database=suite_database,
                       black_box=black_box)
            if hold is not None:
                hold(report, partial(process_states, targets))
        return report
    finally:
        _close(request, report, adapters, folder)


def process_states(targets: list[Target]) -> list[ProcessState]:
    """Each process of the system as it is now: up, or exited with its code."""
    return [ProcessState(t.name, t.url, t.process.exit_code(), str(t.process.log)) for t in targets]


def _environment(system: SystemDescription, adapters: Adapters, bus: str, progress: Progress | None) -> Interpreter:
    """The system's own environment: the monolith's requirements and the runtime's, the suite's
    tools and the client of ``bus``."""
    step = progress or (lambda stage, done, total: None)
    step(ENVIRONMENT_STEP, 0, 1)
    interpreter = adapters.environments.ensure(system.requirements(), tools=run_tools(bus, system.own_suite), constraints=system.lock())
    step(ENVIRONMENT_STEP, 1, 1)
    return interpreter


def _open(
    request: VerifyRequest, system: SystemDescription, adapters: Adapters, *, bus: str, run_id: str, folder: Path
) -> tuple[VerifyReport, dict[str, int]]:
    """The broker, a loopback port per process and a database per service: the report to fill."""
    broker = adapters.brokers.ensure(bus, request.bus_url, folder)
    names = [service.name for service in system.services]
    ports = dict(zip([*names, GATEWAY], adapters.loopback.free_ports(len(names) + 1), strict=True))
    deferred = adapters.prepared is not None  # made by the schema step (start_system): copied from a kept one where it can
    if (request.database or system.plan.database) == "shared":
        shared = adapters.databases.create([SHARED_DATABASE], run_id=run_id, folder=folder / "databases", deferred=deferred)[SHARED_DATABASE]
        databases = {name: shared for name in names}
    else:
        databases = adapters.databases.create(names, run_id=run_id, folder=folder / "databases", deferred=deferred)
    report = VerifyReport(run_id, folder, loopback_url(ports[GATEWAY]), {name: loopback_url(ports[name]) for name in names}, broker, databases)
    report.steps.append(broker_step(broker))
    return report, ports


def broker_step(broker: Broker) -> Step:
    where = "started by this run" if broker.started else "already running"
    return Step("event bus", PASSED, f"{broker.bus} at {redacted(broker.url)} ({where})")


def _close(request: VerifyRequest, report: VerifyReport | None, adapters: Adapters, folder: Path) -> None:
    adapters.processes.stop_all()
    adapters.brokers.stop_all()  # after the system, which may still talk to it
    problems = [] if request.keep else adapters.databases.drop()
    if report is not None:
        report.notes += problems
    if not request.keep and (report is None or report.ok):
        adapters.workspace.remove(folder)
        if report is not None:
            report.run_dir = None
