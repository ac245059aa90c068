"""Starting the system of a run: every service under its server (gunicorn or uvicorn, the system's own Python) on its
loopback port with this run's variables, and the gateway in front of them."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from migrator.model.deployment import GATEWAY_HEALTH_PATH, READY_PATH, Topology
from migrator.model.service_plan import MONOLITH
from migrator.verify.application.parallel import in_parallel
from migrator.verify.application.ports import Adapters, Loopback, Target
from migrator.verify.domain.environment import GATEWAY, LOOPBACK, MAIL_FOLDER, MAIL_VARIABLE, event_namespace, loopback_address, service_env
from migrator.verify.domain.report import FAILED, PASSED, SKIPPED, Step, VerifyReport
from migrator.words import plural

SCHEMA_STEP = "database schema"
SCHEMA_CONCURRENCY = 2
"""Databases given their schema at once: each step is a process that mostly starts the application
and waits on its database (parsifal's 14 Django migrations one after the other took about a minute)."""
from migrator.verify.domain.system import RunnableService, SystemDescription


def start_system(system: SystemDescription, report: VerifyReport, ports: Mapping[str, int], adapters: Adapters, *, python: Path) -> list[Target]:
    """Every service (run by ``python``) and the gateway, started at once, once every database
    has its schema; what to wait for."""
    namespace = event_namespace(system, report.run_id)
    envs = {service.name: service_env(service, system, ports=ports, namespace=namespace, database_url=report.databases[service.name],
                                      broker=report.broker) for service in system.services}
    for env in envs.values():
        env[MAIL_VARIABLE] = str(run_dir(report) / MAIL_FOLDER)  # read by the shim in adapters.site: kept, never sent
    if len(system.services) > 1 and len({report.databases[s.name] for s in system.services}) == 1:
        for env in envs.values():
            env["DATABASE_MODE"] = "shared"  # no read models to feed: every service reads the tables themselves
    report.steps.append(prepare_schemas(system, report, envs, adapters, python=python))
    targets = []
    for service in system.services:
        env = envs[service.name]
        process = adapters.processes.start(service.name, service.command(str(python), LOOPBACK, ports[service.name]), cwd=system.service_dir(service),
                                           env=_process_env(system, service, env, adapters.site), log=log_of(report, service.name))
        targets.append(Target(service.name, report.urls[service.name] + READY_PATH, process))
    gateway = adapters.gateway.start(system.plan, addresses=gateway_addresses(system, ports, adapters.loopback), listen=ports[GATEWAY],
                                     folder=run_dir(report) / "gateway", log=log_of(report, GATEWAY))
    return [*targets, Target(GATEWAY, report.gateway_url + GATEWAY_HEALTH_PATH, gateway)]


def prepare_schemas(system: SystemDescription, report: VerifyReport, envs: Mapping[str, Mapping[str, str]], adapters: Adapters, *,
                    python: Path) -> Step:
    """Each database given the monolith's schema by the application's own tooling
    (``python -m <package>.prepare``: Django's migrate, Flask-Migrate, create_all), once per
    database: a database the services share is prepared by the monolith's service alone. A
    database an earlier run made from the same files, interpreter and variables is copied instead
    (``adapters.prepared``); every other one is made empty first (``Databases.ensure``)."""
    by_database: dict[str, RunnableService] = {}
    for service in sorted(system.services, key=lambda s: (s.name != MONOLITH, s.name)):
        if service.prepare:  # a system of an earlier migrator has no schema step
            by_database.setdefault(report.databases[service.name], service)
    if not by_database:
        adapters.databases.ensure(sorted(set(report.databases.values())))
        return Step(SCHEMA_STEP, SKIPPED, "no service has a schema step (python -m <package>.prepare): each makes its own at start")
    todo = []
    for url, service in by_database.items():
        sources = [system.service_dir(service), *([system.root / system.shared] if system.shared else [])]
        identity = json.dumps({"python": str(python), "env": service.env, "mode": envs[service.name].get("DATABASE_MODE", "")}, sort_keys=True)
        if adapters.prepared is None or not adapters.prepared.restore(url, sources=sources, identity=identity):
            todo.append((url, service, sources, identity))
    adapters.databases.ensure(sorted(set(report.databases.values()) - set(by_database) | {url for url, *_ in todo}))

    def make(item: tuple[str, RunnableService, list[Path], str]) -> int:
        service = item[1]
        return schema_step(system, report, service, envs[service.name], adapters, python=python, name=f"{service.name}-schema")

    failed = []
    for (url, service, sources, identity), code in zip(todo, in_parallel(todo, make, workers=SCHEMA_CONCURRENCY), strict=True):
        if code != 0:
            failed.append(f"{service.name} (exit {code}, log {log_of(report, f'{service.name}-schema')})")
        elif adapters.prepared is not None:
            adapters.prepared.keep(url, sources=sources, identity=identity)
    reused = len(by_database) - len(todo)
    count = plural(len(by_database), "database")
    if failed:
        return Step(SCHEMA_STEP, FAILED, f"the schema could not be made for {', '.join(failed)}")
    aside = f" ({reused} made by an earlier run from the same files, copied)" if reused else ""
    return Step(SCHEMA_STEP, PASSED, f"{count} given the monolith's schema by its own tooling{aside}")


def schema_step(system: SystemDescription, report: VerifyReport, service: RunnableService, env: Mapping[str, str], adapters: Adapters, *,
                python: Path, name: str) -> int:
    """``python -m <package>.prepare`` of ``service`` with ``env`` (its database's URL in
    ``DATABASE_URL``), to its end, logged as ``name``; its exit code."""
    return adapters.processes.run(name, [str(python), "-m", f"{service.package}.prepare"], cwd=system.service_dir(service),
                                  env=_process_env(system, service, env, adapters.site), log=log_of(report, name))


def gateway_addresses(system: SystemDescription, ports: Mapping[str, int], loopback: Loopback) -> dict[str, str]:
    """``host:port`` of every service of the plan and of the monolith: this run's processes where
    they run, elsewhere an address that refuses, so that the gateway answers 502 for their paths."""
    addresses = {service.name: loopback_address(ports[service.name]) for service in system.services}
    keys = [workload.key for workload in Topology(system.plan).workloads]
    missing = [key for key in keys if key not in addresses] + ([] if MONOLITH in addresses else [MONOLITH])
    if missing:
        for name, port in zip(missing, loopback.free_ports(len(missing)), strict=True):
            addresses[name] = loopback_address(port)
    return addresses


def _process_env(system: SystemDescription, service: RunnableService, env: Mapping[str, str], site: Sequence[Path]) -> dict[str, str]:
    paths = [*site, system.service_dir(service)] + ([system.root / system.shared] if system.shared else [])
    return {**env, "PYTHONPATH": os.pathsep.join(str(path) for path in paths), "PYTHONUNBUFFERED": "1"}


def run_dir(report: VerifyReport) -> Path:
    assert report.run_dir is not None, "the run's folder is removed only once everything has stopped"
    return report.run_dir


def log_of(report: VerifyReport, name: str) -> Path:
    """The log of the process called ``name``."""
    return run_dir(report) / "logs" / f"{name}.log"
