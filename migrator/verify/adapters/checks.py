"""The ``Checks`` port: readiness over HTTP, the monolith's suite with pytest, schemathesis; the
last two run under the run's supervisor, so that an interrupted run stops them with the rest."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from migrator.model.progress import Progress
from migrator.verify.adapters.processes import Supervisor
from migrator.verify.adapters.readiness import wait_ready
from migrator.verify.adapters.route_probe import probe_routes
from migrator.verify.adapters.own_suite_run import run_own_suite
from migrator.verify.adapters.schemathesis import run_schemathesis
from migrator.verify.adapters.suite import run_suite
from migrator.verify.application.ports import Target
from migrator.verify.domain.report import Step
from migrator.verify.domain.routes import ProbeResult, RouteProbe
from migrator.verify.domain.own_suite import OwnSuite, Placement
from migrator.verify.domain.system import MonolithSuite, SystemDescription


class LocalChecks:
    def __init__(self, supervisor: Supervisor) -> None:
        self.supervisor = supervisor

    def wait_ready(self, targets: Sequence[Target], *, timeout: float, progress: Progress | None = None) -> list[Step]:
        return wait_ready(targets, timeout=timeout, progress=progress)

    def run_suite(self, suite: MonolithSuite | None, *, source: Path | None, base_url: str, run_dir: Path, python: Path) -> Step:
        return run_suite(suite, source=source, base_url=base_url, run_dir=run_dir, supervisor=self.supervisor, python=python)

    def run_own_suite(self, suite: OwnSuite, *, system: SystemDescription, database_url: str, gateway_url: str, run_dir: Path,
                      python: Path, placement: Placement | None = None, monolith_database_url: str | None = None) -> Step:
        return run_own_suite(suite, system=system, database_url=database_url, gateway_url=gateway_url, run_dir=run_dir,
                             supervisor=self.supervisor, python=python, placement=placement, monolith_database_url=monolith_database_url)

    def run_schemathesis(
        self, name: str, *, document: str, url: str, examples: int, headers: Sequence[str], run_dir: Path, service_log: Path,
        monolith_url: str | None = None,
    ) -> Step:
        return run_schemathesis(name, document=document, url=url, examples=examples, headers=headers, run_dir=run_dir,
                                supervisor=self.supervisor, service_log=service_log, monolith_url=monolith_url)

    def probe_routes(self, probes: Sequence[RouteProbe], *, gateway_url: str, monolith_url: str | None) -> list[ProbeResult]:
        return probe_routes(probes, gateway_url=gateway_url, monolith_url=monolith_url)
