"""``migrator verify OUT``: boot the generated system on loopback (broker, one uvicorn process per
service, the nginx gateway), wait until it is ready, run the monolith's own HTTP test suite
against the gateway and schemathesis against every service, then stop everything it started."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrator.model.progress import Progress
from generators.gateway import render_gateway
from migrator.errors import MigratorError
from migrator.model.deployment import BUSES, GATEWAY_HEALTH_PATH, READY_PATH, Topology
from migrator.model.service_plan import MONOLITH
from migrator.pipeline.brokers import Broker, ensure_broker
from migrator.pipeline.databases import (
    create_postgres_databases, database_name, drop_postgres_databases, redacted, sqlite_urls,
)
from migrator.pipeline.processes import Child, Supervisor, child_env, free_ports, sigterm_as_interrupt
from migrator.pipeline.system_file import RunnableService, SystemDescription, load_system
from migrator.pipeline.verification_checks import (
    FAILED, PASSED, SKIPPED, Step, Target, count_junit, run_schemathesis, run_suite, wait_ready,
)

CONSISTENCY_TIMEOUT = "10"
"""Seconds a request waits for its events' consumers: the monolith's suite expects read-your-writes."""
GATEWAY = "gateway"
_NGINX_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

__all__ = ["CONSISTENCY_TIMEOUT", "Step", "VerifyReport", "VerifyRequest", "count_junit", "service_env", "verify"]


@dataclass(frozen=True)
class VerifyRequest:
    out: Path
    event_bus: str | None = None
    """Default: the system's own (system.json)."""
    bus_url: str | None = None
    """Default: the local default of that bus, or a broker this run starts."""
    database_url: str | None = None
    """A PostgreSQL server to create a fresh database per service on; default: SQLite files."""
    timeout: float = 60.0
    examples: int = 10
    headers: tuple[str, ...] = ()
    """``Name: value`` headers for schemathesis (e.g. the admin token)."""
    keep: bool = False
    """Keep the run's folder and the databases afterwards."""


@dataclass
class VerifyReport:
    run_id: str
    run_dir: Path | None
    """None once removed (a passing run that was not asked to keep it)."""
    gateway_url: str
    urls: dict[str, str]
    broker: Broker
    databases: dict[str, str]
    steps: list[Step] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(step.status != FAILED for step in self.steps)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "run_id": self.run_id, "run_dir": str(self.run_dir) if self.run_dir else None, "gateway": self.gateway_url,
            "services": dict(self.urls), "broker": {"bus": self.broker.bus, "url": redacted(self.broker.url), "started": self.broker.started},
            "databases": {name: redacted(url) for name, url in self.databases.items()}, "steps": [step.to_dict() for step in self.steps],
            "notes": list(self.notes),
        }


def service_env(
    service: RunnableService, system: SystemDescription, *, ports: Mapping[str, int], namespace: str, database_url: str, broker: Broker
) -> dict[str, str]:
    """The service's configuration for this run: its variables (from the deployment view) with
    every address on loopback and the database, the bus and the event namespace the run's own."""
    topology = Topology(system.plan)
    env = topology.environment(topology.by_key(service.name), lambda key, _port: f"http://127.0.0.1:{ports[key]}")
    env["PORT"] = str(ports[service.name])
    env.update(
        EVENT_NAMESPACE=namespace, EVENT_CONSISTENCY_TIMEOUT=CONSISTENCY_TIMEOUT, DATABASE_URL=database_url,
        EVENT_BUS=broker.bus, EVENT_BUS_URL=broker.url,
    )
    for variable in system.plan.database_variables:
        env[variable] = database_url
    return env


def verify(request: VerifyRequest, progress: Progress | None = None, hold: Callable[[VerifyReport], None] | None = None) -> VerifyReport:
    """Run the generated system under ``request.out`` and check it; ``hold`` (if any) is called
    with the system still up, after the checks. Everything started is stopped before returning."""
    system = load_system(request.out)
    bus = request.event_bus or system.event_bus
    if bus not in BUSES:
        raise MigratorError(f"unknown event bus {bus!r}", hint=f"use one of {', '.join(BUSES)}")
    nginx = shutil.which("nginx", path=os.environ.get("PATH", "") + os.pathsep + _NGINX_PATH)
    if nginx is None:
        raise MigratorError("nginx, the gateway, is not installed", hint="apt-get install nginx-light (or scripts/setup.sh --tests)")
    run_id = f"verify_{secrets.token_hex(4)}"
    run_dir = Path(tempfile.mkdtemp(prefix=f"migrator-{run_id}-"))
    supervisor, infrastructure = Supervisor(), Supervisor()  # the system stops before the broker it may still talk to
    report: VerifyReport | None = None
    created: list[str] = []
    try:
        with sigterm_as_interrupt():
            broker = ensure_broker(bus, request.bus_url, infrastructure, run_dir)
            names = [service.name for service in system.services]
            ports = dict(zip([*names, GATEWAY], free_ports(len(names) + 1), strict=True))
            databases = _databases(request, names, run_id, run_dir, created)
            report = VerifyReport(run_id, run_dir, f"http://127.0.0.1:{ports[GATEWAY]}",
                                  {name: f"http://127.0.0.1:{ports[name]}" for name in names}, broker, databases)
            report.steps.append(_broker_step(broker))
            _run(system, request, report, ports, nginx, supervisor, progress)
            if hold is not None:
                hold(report)
        return report
    finally:
        supervisor.stop_all()
        infrastructure.stop_all()
        problems = [] if request.keep or not request.database_url else drop_postgres_databases(request.database_url, created)
        if report is not None:
            report.notes += problems
        if not request.keep and (report is None or report.ok):
            shutil.rmtree(run_dir, ignore_errors=True)
            if report is not None:
                report.run_dir = None


def _databases(request: VerifyRequest, names: list[str], run_id: str, run_dir: Path, created: list[str]) -> dict[str, str]:
    if not request.database_url:
        return sqlite_urls(run_dir / "databases", names)
    wanted = {name: database_name(run_id, name) for name in names}
    urls = create_postgres_databases(request.database_url, wanted)
    created += wanted.values()
    return urls


def _broker_step(broker: Broker) -> Step:
    where = "started by this run" if broker.started else "already running"
    return Step("event bus", PASSED, f"{broker.bus} at {redacted(broker.url)} ({where})")


def _run(
    system: SystemDescription, request: VerifyRequest, report: VerifyReport, ports: dict[str, int], nginx: str, supervisor: Supervisor,
    progress: Progress | None,
) -> None:
    assert report.run_dir is not None
    step = progress or (lambda stage, done, total: None)
    ready = wait_ready(_start_system(system, report, ports, nginx, supervisor), timeout=request.timeout, progress=step)
    report.steps += ready
    if any(s.status == FAILED for s in ready):
        report.steps.append(Step("monolith test suite", SKIPPED, "the system did not get ready"))
        report.steps += [Step(f"schemathesis {s.name}", SKIPPED, "the system did not get ready") for s in system.services]
        return
    step("tests", 0, 1)
    report.steps.append(run_suite(system.tests, import_root=system.import_root(), base_url=report.gateway_url, run_dir=report.run_dir,
                                  supervisor=supervisor))
    step("tests", 1, 1)
    for done, service in enumerate(system.services):
        step("schemathesis", done, len(system.services))
        document = str(system.root / service.openapi) if service.openapi else report.urls[service.name] + "/openapi.json"
        report.steps.append(run_schemathesis(
            service.name, document=document, url=report.urls[service.name], examples=request.examples, headers=request.headers,
            run_dir=report.run_dir, supervisor=supervisor, service_log=_log(report, service.name),
        ))
    step("schemathesis", len(system.services), len(system.services))


def _start_system(system: SystemDescription, report: VerifyReport, ports: dict[str, int], nginx: str, supervisor: Supervisor) -> list[Target]:
    """Every service and the gateway, started at once; what to wait for."""
    namespace = re.sub(r"[^a-z0-9_]", "_", system.system.lower()) + "_" + report.run_id
    targets = []
    for service in system.services:
        env = service_env(service, system, ports=ports, namespace=namespace, database_url=report.databases[service.name], broker=report.broker)
        child = supervisor.start(service.name, _uvicorn(service, ports[service.name]), cwd=system.service_dir(service),
                                 env=_process_env(system, service, env), log=_log(report, service.name))
        targets.append(Target(service.name, report.urls[service.name] + READY_PATH, child))
    gateway = _start_gateway(system, report, ports, nginx, supervisor)
    return [*targets, Target(GATEWAY, report.gateway_url + GATEWAY_HEALTH_PATH, gateway)]


def _log(report: VerifyReport, name: str) -> Path:
    assert report.run_dir is not None
    return report.run_dir / "logs" / f"{name}.log"


def _uvicorn(service: RunnableService, port: int) -> list[str]:
    return [sys.executable, "-m", "uvicorn", service.app, "--host", "127.0.0.1", "--port", str(port)]


def _process_env(system: SystemDescription, service: RunnableService, env: Mapping[str, str]) -> dict[str, str]:
    paths = [system.service_dir(service)] + ([system.root / system.shared] if system.shared else [])
    return child_env(**env, PYTHONPATH=os.pathsep.join(str(path) for path in paths), PYTHONUNBUFFERED="1")


def _start_gateway(system: SystemDescription, report: VerifyReport, ports: dict[str, int], nginx: str, supervisor: Supervisor) -> Child:
    assert report.run_dir is not None
    addresses = {name: f"127.0.0.1:{ports[name]}" for name in report.urls}
    keys = [w.key for w in Topology(system.plan).workloads]
    missing = [key for key in keys if key not in addresses] + ([] if MONOLITH in addresses else [MONOLITH])
    if missing:
        # not part of this run: an address that refuses, so the gateway answers 502 for their paths
        for name, port in zip(missing, free_ports(len(missing)), strict=True):
            addresses[name] = f"127.0.0.1:{port}"
    text = render_gateway(system.plan, addresses=addresses, listen=ports[GATEWAY])["gateway/nginx.conf"]
    folder = report.run_dir / "gateway"
    (folder / "tmp").mkdir(parents=True)
    (folder / "nginx.conf").write_text(text, encoding="utf-8")
    argv = [nginx, "-p", str(folder), "-c", "nginx.conf", "-e", "stderr", "-g", "daemon off;"]
    return supervisor.start(GATEWAY, argv, cwd=folder, env=child_env(), log=_log(report, GATEWAY))
