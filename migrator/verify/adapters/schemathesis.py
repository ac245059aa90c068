"""Schemathesis run against one service through its OpenAPI document, failing on server errors and
on operations the service does not serve (``schemathesis_hooks``: 404 or 405 where it documents them)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from migrator.verify.adapters.logs import end_of, last_traceback, section, tail
from migrator.verify.adapters.processes import Supervisor
from migrator.verify.domain.report import FAILED, PASSED, Excerpt, Step, fuzz_step

NOT_SERVED_CHECK = "served_by_service"
NOT_SERVED = "Not served"
"""The check of ``schemathesis_hooks``, loaded into schemathesis' process, and the title of its failures."""
HOOKS = "migrator.verify.adapters.schemathesis_hooks"
SEED = 20261206
"""The same requests on every run, and on a service and the monolith alike."""
SCHEMATHESIS_REQUEST_TIMEOUT = 30
"""Seconds; a request may wait for its events' consumers (EVENT_CONSISTENCY_TIMEOUT)."""
PHASES = "examples,fuzzing,stateful"
"""Every phase but coverage. On the sample's 11 services, coverage made 2,602 of the 3,923 requests
(its boundary and missing-parameter cases for every operation) and found nothing fuzzing did not:
fuzzing's positive and negative cases already reach every documented operation, which is what a 404,
405 or 5xx of the split shows on (schemathesis 4.32, 10 examples, seed fixed)."""


@dataclass(frozen=True)
class FuzzOutcome:
    tested: int
    server_errors: int
    other_failures: int
    """Failures of any other check."""
    errors: int
    operations: tuple[str, ...]
    """Operations that failed a check."""
    not_served: tuple[str, ...] = ()
    """Operations answered 404 or 405 as if the service did not have them."""
    server_operations: tuple[str, ...] = ()
    """Operations answered with a server error."""


def read_schemathesis_report(path: Path) -> FuzzOutcome:
    """The numbers of a schemathesis 4 JSON run report (``--report json``)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    failures = data.get("failures") or []
    server = sum(int(f.get("count", 1)) for f in failures if f.get("code") == "ST101" or f.get("type") == "ServerError")
    total = sum(int(f.get("count", 1)) for f in failures)
    operations = sorted({op for f in failures for op in f.get("operations") or ()})
    unserved = [f for f in failures if f.get("title") == NOT_SERVED]
    not_served = sorted({op for f in unserved for op in f.get("operations") or ()})
    other = total - server - sum(int(f.get("count", 1)) for f in unserved)
    server_operations = sorted({op for f in failures if f.get("code") == "ST101" or f.get("type") == "ServerError" for op in f.get("operations") or ()})
    return FuzzOutcome(int((data.get("operations") or {}).get("tested", 0)), server, other, len(data.get("errors") or []), tuple(operations),
                       tuple(not_served), tuple(server_operations))


def _fuzz(supervisor: Supervisor, step: str, document: str, url: str, examples: int, headers: Sequence[str], run_dir: Path,
          stem: str) -> tuple[int, Path, Path]:
    """One schemathesis run (its seed fixed, so that a second run against another URL sends the
    same requests): its exit code, JSON report and log."""
    report, log = run_dir / f"{stem}.json", run_dir / f"{stem}.log"
    argv = [
        sys.executable, "-m", "schemathesis.cli", "run", document, "--url", url, "--checks", f"not_a_server_error,{NOT_SERVED_CHECK}",
        "--max-examples", str(examples), "--request-timeout", str(SCHEMATHESIS_REQUEST_TIMEOUT), "--generation-database", "none",
        "--seed", str(SEED), "--phases", PHASES, "--report", "json", "--report-json-path", str(report), "--no-color",
    ]
    for header in headers:
        argv += ["--header", header]
    # its own working folder: schemathesis reads a schemathesis.toml and writes caches where it runs
    code = supervisor.run(step, argv, cwd=run_dir, env={"NO_COLOR": "1", "SCHEMATHESIS_HOOKS": HOOKS}, log=log)
    return code, report, log


def run_schemathesis(
    name: str, *, document: str, url: str, examples: int, headers: Sequence[str], run_dir: Path, supervisor: Supervisor, service_log: Path,
    monolith_url: str | None = None,
) -> Step:
    """Fuzz one service through its OpenAPI document, failing on server errors (5xx) and on its
    own operations answered 404 or 405, except those the monolith (``monolith_url``: the whole
    application) fails alike for the same requests: the application's own behaviour, said apart."""
    step = fuzz_step(name)
    code, report, log = _fuzz(supervisor, step, document, url, examples, headers, run_dir, f"schemathesis-{name}")
    if not report.is_file():
        return Step(step, FAILED, f"schemathesis exited with code {code} and wrote no report", log=str(log), excerpts=(end_of(log),))
    outcome = read_schemathesis_report(report)
    alike: tuple[str, ...] = ()
    if monolith_url and url != monolith_url and (outcome.server_errors or outcome.not_served):
        _, reference, _ = _fuzz(supervisor, step, document, monolith_url, examples, headers, run_dir, f"schemathesis-{name}-on-monolith")
        if reference.is_file():
            outcome, alike = _without(outcome, read_schemathesis_report(reference))
            code = 0 if not (outcome.server_errors or outcome.not_served or outcome.other_failures or outcome.errors) else code
    ok = code == 0 and not outcome.server_errors and not outcome.not_served and not outcome.other_failures and not outcome.errors
    detail = _detail(outcome) + (f"; {_count(len(alike), 'operation')} the monolith fails alike (the application's own): "
                                 + ", ".join(alike[:5]) if alike else "")
    return Step(step, PASSED if ok else FAILED, detail, log=str(log), excerpts=() if ok else _fuzz_excerpts(log, service_log, outcome),
                counts={"operations": outcome.tested, "server_errors": outcome.server_errors, "not_served": len(outcome.not_served),
                        "other_failures": outcome.other_failures,
                        "errors": outcome.errors},
                failures=outcome.operations)


def _without(outcome: FuzzOutcome, reference: FuzzOutcome) -> tuple[FuzzOutcome, tuple[str, ...]]:
    """``outcome`` less the operations that fail the same requests on the monolith, and those."""
    alike = tuple(sorted(set(outcome.operations) & set(reference.operations)))
    if not alike:
        return outcome, ()
    server = tuple(op for op in outcome.server_operations if op not in alike)
    kept = FuzzOutcome(outcome.tested, len(server) if server or outcome.server_operations else outcome.server_errors, outcome.other_failures,
                       outcome.errors, tuple(op for op in outcome.operations if op not in alike),
                       tuple(op for op in outcome.not_served if op not in alike), server)
    return kept, alike


def _detail(outcome: FuzzOutcome) -> str:
    detail = f"{_count(outcome.tested, 'operation')} tested, {_count(outcome.server_errors, 'server error')}"
    if outcome.not_served:
        detail += f", {_count(len(outcome.not_served), 'operation')} not served (404 or 405): " + ", ".join(outcome.not_served[:5])
    if outcome.other_failures:
        detail += f", {_count(outcome.other_failures, 'other failure')}"
    if outcome.errors:
        detail += f", {_count(outcome.errors, 'error')}"
    others = [operation for operation in outcome.operations if operation not in outcome.not_served]
    if others:
        detail += ": " + ", ".join(others[:5]) + (" ..." if len(others) > 5 else "")
    return detail


def _fuzz_excerpts(log: Path, service_log: Path, outcome: FuzzOutcome) -> tuple[Excerpt, ...]:
    # schemathesis' own account (with a curl command per failure), then the service's side of it
    found = Excerpt(str(log), "the failures in", section(log, "FAILURES"))
    if not outcome.server_errors:
        return (found if found.text else end_of(log),)
    return found, Excerpt(str(service_log), "the last traceback in", last_traceback(service_log) or tail(service_log))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
