"""The checks of a run, in order: every process ready, then the monolith's own test suite through
the gateway, then schemathesis against each service; skipped with the reason when not ready."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from migrator.model.progress import Progress
from migrator.verify.application.ports import Checks, Target
from migrator.verify.application.own_suite import SuiteDatabase, own_suite_step
from migrator.verify.application.parallel import in_parallel
from migrator.verify.application.starting import log_of, run_dir
from migrator.verify.domain.own_suite import skipped_step as own_suite_skipped
from migrator.model.service_plan import MONOLITH
from migrator.verify.domain.black_box import skipped_steps
from migrator.verify.domain.report import FAILED, PASSED, SKIPPED, SUITE_STEP, Step, VerifyReport, fuzz_step
from migrator.verify.domain.routes import ROUTES_STEP, SAME_STATUS_STEP, count_by_owner, misrouted, route_probes, status_differences
from migrator.words import plural
from migrator.verify.domain.request import VerifyRequest
from migrator.verify.domain.system import RunnableService, SystemDescription

NOT_READY = "the system did not get ready"
ALIVE_STEP = "processes still up"


def run_checks(
    system: SystemDescription, request: VerifyRequest, report: VerifyReport, targets: Sequence[Target], checks: Checks,
    progress: Progress | None = None, *, python: Path, suite_database: SuiteDatabase, black_box: Callable[[], list[Step]] | None = None,
) -> None:
    """Add a step per check to ``report``; the monolith's suite runs on ``python``, the system's own
    (on the database ``suite_database`` makes where it needs one of its own);
    ``black_box`` (``--suite``) first, while no other check has written to the system's databases."""
    step = progress or (lambda stage, done, total: None)
    ready = checks.wait_ready(targets, timeout=request.timeout, progress=step)
    report.steps += ready
    if any(s.status == FAILED for s in ready):
        report.steps += [Step(ROUTES_STEP, SKIPPED, NOT_READY), Step(SUITE_STEP, SKIPPED, NOT_READY)]
        report.steps += [Step(fuzz_step(s.name), SKIPPED, NOT_READY) for s in system.services] + [own_suite_skipped(NOT_READY)]
        report.steps += skipped_steps(request.suite, NOT_READY)
        return
    if black_box is not None:
        report.steps += black_box()
    report.steps += route_steps(system, report, checks)
    step("tests", 0, 1)
    report.steps.append(checks.run_suite(system.tests, source=system.source, base_url=report.gateway_url, run_dir=run_dir(report),
                                         python=python))
    step("tests", 1, 1)
    if request.fuzz:
        fuzz_steps(system, request, report, checks, step)
    else:
        report.steps += [Step(fuzz_step(s.name), SKIPPED, "--no-fuzz") for s in system.services]
    step("own tests", 0, 1)
    report.steps.append(own_suite_step(system, report, checks, run_dir=run_dir(report), python=python, suite_database=suite_database))
    step("own tests", 1, 1)
    report.steps.append(alive_step(targets))


def alive_step(targets: Sequence[Target]) -> Step:
    """Every process that got ready still runs once the checks are done: one that died on the way
    fails the run, whatever the checks it outlived said."""
    exited = [f"{t.name} (exit {code}, log {t.process.log})" for t in targets if (code := t.process.exit_code()) is not None]
    if exited:
        return Step(ALIVE_STEP, FAILED, f"{plural(len(exited), 'process', 'processes')} exited during the checks: " + "; ".join(exited))
    return Step(ALIVE_STEP, PASSED, f"all {plural(len(targets), 'process', 'processes')} still up after the checks")


def fuzz_steps(system: SystemDescription, request: VerifyRequest, report: VerifyReport, checks: Checks, step: Progress) -> None:
    """schemathesis against each service, its findings beside the monolith's for the same requests;
    ``request.fuzz_concurrency`` services at once, their steps in the services' order."""
    monolith = report.urls.get(MONOLITH) if any(s.name == MONOLITH for s in system.services) else None

    def fuzz(service: RunnableService) -> Step:
        document = str(system.root / service.openapi) if service.openapi else report.urls[service.name] + "/openapi.json"
        return checks.run_schemathesis(
            service.name, document=document, url=report.urls[service.name], examples=request.examples, headers=request.headers,
            run_dir=run_dir(report), service_log=log_of(report, service.name), monolith_url=monolith,
        )

    total = len(system.services)
    step("schemathesis", 0, total)
    report.steps += in_parallel(system.services, fuzz, workers=request.fuzz_concurrency, done=lambda count: step("schemathesis", count, total))


def route_steps(system: SystemDescription, report: VerifyReport, checks: Checks) -> list[Step]:
    """One request per route pattern through the gateway, answered by its owner; every GET without
    parameters answered with the monolith's own status."""
    probes, left_out = route_probes(system.plan)
    if not probes:
        return [Step(ROUTES_STEP, SKIPPED, "the plan names no route a request can be made for")]
    monolith = next((s.name for s in system.services if s.name == MONOLITH), None)
    results = checks.probe_routes(probes, gateway_url=report.gateway_url, monolith_url=report.urls.get(monolith) if monolith else None)
    wrong = misrouted(results)
    owners = ", ".join(f"{owner} {count}" for owner, count in sorted(count_by_owner(results).items()))
    aside = f"; {plural(len(left_out), 'route')} left out: {'; '.join(left_out)}" if left_out else ""
    routes = (Step(ROUTES_STEP, FAILED, f"{plural(len(wrong), 'request')} of {len(results)} not answered by the route's owner: " + "; ".join(wrong))
              if wrong else Step(ROUTES_STEP, PASSED, f"{plural(len(results), 'route')}, each answered by its owner ({owners}){aside}"))
    compared = [r for r in results if r.probe.compare and r.monolith_status is not None]
    if not compared:
        return [routes]
    differ = status_differences(results)
    same = (Step(SAME_STATUS_STEP, FAILED, f"{plural(len(differ), 'route')} of {len(compared)} differ: " + "; ".join(differ)) if differ
            else Step(SAME_STATUS_STEP, PASSED, f"{plural(len(compared), 'GET route')} without parameters: the same status as the monolith's"))
    return [routes, same]
