"""The checks of a run, in order: every process ready, then the monolith's own test suite through
the gateway, then schemathesis against each service; skipped with the reason when not ready."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from migrator.model.progress import Progress
from migrator.verify.application.ports import Checks, Target
from migrator.verify.application.starting import log_of, run_dir
from migrator.verify.domain.report import FAILED, SKIPPED, SUITE_STEP, Step, VerifyReport, fuzz_step
from migrator.verify.domain.request import VerifyRequest
from migrator.verify.domain.system import SystemDescription

NOT_READY = "the system did not get ready"


def run_checks(
    system: SystemDescription, request: VerifyRequest, report: VerifyReport, targets: Sequence[Target], checks: Checks,
    progress: Progress | None = None, *, python: Path,
) -> None:
    """Add a step per check to ``report``; the monolith's suite runs on ``python``, the system's own."""
    step = progress or (lambda stage, done, total: None)
    ready = checks.wait_ready(targets, timeout=request.timeout, progress=step)
    report.steps += ready
    if any(s.status == FAILED for s in ready):
        report.steps.append(Step(SUITE_STEP, SKIPPED, NOT_READY))
        report.steps += [Step(fuzz_step(s.name), SKIPPED, NOT_READY) for s in system.services]
        return
    step("tests", 0, 1)
    report.steps.append(checks.run_suite(system.tests, source=system.source, base_url=report.gateway_url, run_dir=run_dir(report),
                                         python=python))
    step("tests", 1, 1)
    for done, service in enumerate(system.services):
        step("schemathesis", done, len(system.services))
        document = str(system.root / service.openapi) if service.openapi else report.urls[service.name] + "/openapi.json"
        report.steps.append(checks.run_schemathesis(
            service.name, document=document, url=report.urls[service.name], examples=request.examples, headers=request.headers,
            run_dir=run_dir(report), service_log=log_of(report, service.name),
        ))
    step("schemathesis", len(system.services), len(system.services))
