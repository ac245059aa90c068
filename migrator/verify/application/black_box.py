"""The black-box suite of a run (``--suite``): against a monolith instance of its own (a fresh
database), through the gateway, and, for the differential comparison, against a second monolith
instance, whose differences from the first are the noise. Runs right after the system is ready,
before any other check writes to its databases, so that the three start alike."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from migrator.model.deployment import READY_PATH
from migrator.model.progress import Progress
from migrator.model.service_plan import MONOLITH
from migrator.verify.application.ports import Adapters, Target
from migrator.verify.application.starting import log_of, run_dir
from migrator.verify.domain.black_box import BLACK_BOX_STEP, BlackBoxSuite, diff_step, skipped_steps, suite_step
from migrator.verify.domain.differences import compare
from migrator.verify.domain.environment import GATEWAY, LOOPBACK, event_namespace, loopback_url, service_env
from migrator.verify.domain.exchanges import paired
from migrator.verify.domain.report import FAILED, PASSED, Step, VerifyReport
from migrator.verify.domain.system import RunnableService, SystemDescription

INSTANCES = {"monolith-a": "monolith", "monolith-b": "second monolith"}
"""The monolith instances a run starts for the suite: the reference, and the second that shows the noise."""
INSTANCES_STEP = "monolith instances"


def run_black_box(system: SystemDescription, report: VerifyReport, adapters: Adapters, suite: BlackBoxSuite, *, python: Path,
                  timeout: float, progress: Progress | None = None) -> list[Step]:
    """The suite's steps: the monolith instances, its counts on the monolith and the split system, the comparison."""
    step = progress or (lambda stage, done, total: None)
    assert adapters.suite_runner is not None, "a run with a suite has its runner"
    monolith = next((s for s in system.services if s.name == MONOLITH), None)
    if monolith is None:
        return skipped_steps(suite, "the system runs no monolith service to compare with (every route is extracted)")
    names = list(INSTANCES) if suite.diff else list(INSTANCES)[:1]
    urls, started = start_instances(system, report, adapters, monolith, names, python=python, timeout=timeout)
    if started.status == FAILED:
        return [started, *skipped_steps(suite, "a monolith instance did not get ready")]
    runs = []
    targets = [(name, INSTANCES[name], url) for name, url in urls.items()] + [("split", "split system", report.gateway_url)]
    for done, (name, target, url) in enumerate(targets):
        step(BLACK_BOX_STEP, done, len(targets))
        runs.append(adapters.suite_runner.run(f"suite-{name}", suite, target=target, target_url=url, run_dir=run_dir(report)))
    step(BLACK_BOX_STEP, len(targets), len(targets))
    steps = [started, suite_step(runs[0], runs[-1])]
    if suite.diff:
        steps.append(diff_step(compare(paired(runs[0].exchanges, runs[1].exchanges, runs[2].exchanges))))
    return steps


def start_instances(system: SystemDescription, report: VerifyReport, adapters: Adapters, monolith: RunnableService, names: Sequence[str], *,
                    python: Path, timeout: float) -> tuple[dict[str, str], Step]:
    """Instances of the monolith service, each on a database of its own given the schema, on
    loopback ports; their URLs by name and a step that says whether they got ready."""
    ports = dict(zip(names, adapters.loopback.free_ports(len(names)), strict=True))
    databases = adapters.databases.create(list(names), run_id=report.run_id, folder=run_dir(report) / "databases")
    targets = []
    for name in names:
        env = _instance_env(system, report, monolith, name, port=ports[name], database_url=databases[name])
        code = adapters.processes.run(f"{name}-schema", [str(python), "-m", f"{monolith.package}.prepare"], cwd=system.service_dir(monolith),
                                      env=env, log=log_of(report, f"{name}-schema"))
        if code != 0:
            return {}, Step(INSTANCES_STEP, FAILED, f"the schema of {name}'s database could not be made (exit {code}, log {log_of(report, f'{name}-schema')})")
        process = adapters.processes.start(name, monolith.command(str(python), LOOPBACK, ports[name]), cwd=system.service_dir(monolith), env=env,
                                           log=log_of(report, name))
        targets.append(Target(name, loopback_url(ports[name]) + READY_PATH, process))
    ready = adapters.checks.wait_ready(targets, timeout=timeout)
    failed = [f"{s.name}: {s.detail}" for s in ready if s.status == FAILED]
    if failed:
        return {}, Step(INSTANCES_STEP, FAILED, "; ".join(failed), log=str(log_of(report, names[0])))
    where = ", ".join(f"{name} {loopback_url(ports[name])}" for name in names)
    return {name: loopback_url(ports[name]) for name in names}, Step(INSTANCES_STEP, PASSED, f"the monolith service on fresh databases: {where}")


def _instance_env(system: SystemDescription, report: VerifyReport, monolith: RunnableService, name: str, *, port: int,
                  database_url: str) -> dict[str, str]:
    """The monolith service's variables on its own port, database and event namespace (its events
    reach none of the split system's consumers); it calls the system's services where it calls any.
    Its database holds every table, as one shared database does (``DATABASE_MODE=shared``): it
    forwards no write to a table's owner in the split system, and feeds no read model."""
    urls = {**report.urls, GATEWAY: report.gateway_url}
    ports = {**{key: int(url.rsplit(":", 1)[1]) for key, url in urls.items()}, MONOLITH: port}
    env = service_env(monolith, system, ports=ports, namespace=event_namespace(system, f"{report.run_id}_{name.replace('-', '_')}"),
                      database_url=database_url, broker=report.broker)
    paths = [system.service_dir(monolith)] + ([system.root / system.shared] if system.shared else [])
    return {**env, "PYTHONPATH": os.pathsep.join(str(path) for path in paths), "PYTHONUNBUFFERED": "1", "DATABASE_MODE": "shared"}
