"""The checks of a verification run, each a row of its report: readiness of every process, the
monolith's own HTTP test suite against the gateway, schemathesis against each service."""

from __future__ import annotations

import json
import os
import sys
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from migrator.model.progress import Progress
from migrator.pipeline.processes import Child, Supervisor, child_env, last_traceback, tail
from migrator.pipeline.system_file import MonolithSuite

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"
SCHEMATHESIS_REQUEST_TIMEOUT = 30
"""Seconds; a request may wait for its events' consumers (EVENT_CONSISTENCY_TIMEOUT)."""


@dataclass(frozen=True)
class Excerpt:
    source: str
    """The log it is cut from."""
    what: str
    """Which part: ``the end of``, ``the last traceback in`` ..."""
    text: str


def end_of(log: Path) -> Excerpt:
    return Excerpt(str(log), "the end of", tail(log))


@dataclass(frozen=True)
class Step:
    """One row of the report."""

    name: str
    status: str
    detail: str
    log: str | None = None
    excerpts: tuple[Excerpt, ...] = ()
    """The parts of logs that explain a failure."""
    counts: dict[str, int] = field(default_factory=dict)
    failures: tuple[str, ...] = ()
    """What failed: test ids, or operations that answered with a server error."""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "detail": self.detail, "log": self.log,
                "excerpts": [{"source": e.source, "what": e.what, "text": e.text} for e in self.excerpts if e.text],
                "counts": dict(self.counts), "failures": list(self.failures)}


@dataclass(frozen=True)
class Target:
    """A process to wait for: ready when ``url`` answers 200."""

    name: str
    url: str
    child: Child


def wait_ready(targets: Sequence[Target], *, timeout: float, progress: Progress | None = None) -> list[Step]:
    """Poll every target until it answers 200, its process exits, or ``timeout`` seconds pass."""
    started = time.monotonic()
    last: dict[str, str] = {t.name: "no answer yet" for t in targets}
    steps: dict[str, Step] = {}
    with httpx.Client(timeout=2.0, trust_env=False) as client:  # loopback: never through a proxy
        while len(steps) < len(targets):
            for target in targets:
                if target.name not in steps:
                    step = _probe(client, target, last, started)
                    if step is not None:
                        steps[target.name] = step
            if progress:
                progress("ready", len(steps), len(targets))
            if len(steps) < len(targets):
                if time.monotonic() - started > timeout:
                    break
                time.sleep(0.2)
    for target in targets:
        if target.name not in steps:
            steps[target.name] = Step(f"{target.name} ready", FAILED, f"not ready within {timeout:g} s (last answer: {last[target.name]})",
                                      log=str(target.child.log), excerpts=(end_of(target.child.log),))
    return [steps[t.name] for t in targets]


def _probe(client: httpx.Client, target: Target, last: dict[str, str], started: float) -> Step | None:
    code = target.child.exit_code()
    if code is not None:
        return Step(f"{target.name} ready", FAILED, f"exited with code {code} before it was ready", log=str(target.child.log),
                    excerpts=(end_of(target.child.log),))
    try:
        response = client.get(target.url)
    except httpx.TransportError as error:
        last[target.name] = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        return None
    if response.status_code == 200:
        return Step(f"{target.name} ready", PASSED, f"{target.url} in {time.monotonic() - started:.1f} s", log=str(target.child.log))
    last[target.name] = f"{response.status_code} {response.text[:200]}".strip()
    return None


@dataclass(frozen=True)
class SuiteCounts:
    tests: int
    failed: int
    errors: int
    skipped: int
    failing: tuple[str, ...] = ()

    @property
    def passed(self) -> int:
        return self.tests - self.failed - self.errors - self.skipped


def count_junit(path: Path) -> SuiteCounts:
    """Count the outcomes in a JUnit XML report (pytest's, or any with ``testcase`` elements)."""
    root = ElementTree.parse(path).getroot()
    tests = failed = errors = skipped = 0
    failing: list[str] = []
    for case in root.iter("testcase"):
        tests += 1
        kinds = {child.tag for child in case}
        if kinds & {"failure", "error"}:
            failing.append(f"{case.get('classname', '')}::{case.get('name', '')}".lstrip(":"))
        if "error" in kinds:
            errors += 1
        elif "failure" in kinds:
            failed += 1
        elif "skipped" in kinds:
            skipped += 1
    return SuiteCounts(tests, failed, errors, skipped, tuple(failing))


def run_suite(suite: MonolithSuite | None, *, import_root: Path | None, base_url: str, run_dir: Path, supervisor: Supervisor) -> Step:
    """The monolith's own HTTP tests, pointed at ``base_url`` by the variable they honour."""
    name = "monolith test suite"
    if suite is None:
        return Step(name, SKIPPED, "the monolith ships no HTTP test suite that honours a base-URL variable")
    root = import_root or suite.path.parent
    report, log = run_dir / "tests.xml", run_dir / "tests.log"
    paths = [str(root), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = child_env(**{suite.base_url_variable: base_url, "PYTHONPATH": os.pathsep.join(paths)})
    argv = [sys.executable, "-m", "pytest", str(suite.path), "-q", "-p", "no:cacheprovider", f"--junitxml={report}"]
    code = supervisor.run(name, argv, cwd=root, env=env, log=log)
    if not report.is_file():
        return Step(name, FAILED, f"pytest exited with code {code} and wrote no report", log=str(log), excerpts=(end_of(log),))
    counts = count_junit(report)
    detail = f"{counts.passed}/{counts.tests} passed" + "".join(
        f", {n} {word}" for n, word in ((counts.failed, "failed"), (counts.errors, "errors"), (counts.skipped, "skipped")) if n
    )
    ok = code == 0 and counts.tests > 0 and not counts.failed and not counts.errors
    if counts.tests == 0:
        detail = f"no test ran (pytest exit code {code})"
    return Step(name, PASSED if ok else FAILED, detail, log=str(log), excerpts=() if ok else (end_of(log),),
                counts={"tests": counts.tests, "passed": counts.passed, "failed": counts.failed, "errors": counts.errors, "skipped": counts.skipped},
                failures=counts.failing)


@dataclass(frozen=True)
class FuzzOutcome:
    tested: int
    server_errors: int
    other_failures: int
    errors: int
    operations: tuple[str, ...]
    """Operations that failed a check."""


def read_schemathesis_report(path: Path) -> FuzzOutcome:
    """The numbers of a schemathesis 4 JSON run report (``--report json``)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    failures = data.get("failures") or []
    server = sum(int(f.get("count", 1)) for f in failures if f.get("code") == "ST101" or f.get("type") == "ServerError")
    total = sum(int(f.get("count", 1)) for f in failures)
    operations = sorted({op for f in failures for op in f.get("operations") or ()})
    return FuzzOutcome(int((data.get("operations") or {}).get("tested", 0)), server, total - server, len(data.get("errors") or []), tuple(operations))


def run_schemathesis(
    name: str, *, document: str, url: str, examples: int, headers: Sequence[str], run_dir: Path, supervisor: Supervisor, service_log: Path
) -> Step:
    """Fuzz one service through its OpenAPI document, failing only on server errors (5xx)."""
    step = f"schemathesis {name}"
    report, log = run_dir / f"schemathesis-{name}.json", run_dir / f"schemathesis-{name}.log"
    argv = [
        sys.executable, "-m", "schemathesis.cli", "run", document, "--url", url, "--checks", "not_a_server_error",
        "--max-examples", str(examples), "--request-timeout", str(SCHEMATHESIS_REQUEST_TIMEOUT), "--generation-database", "none",
        "--report", "json", "--report-json-path", str(report), "--no-color",
    ]
    for header in headers:
        argv += ["--header", header]
    # its own working folder: schemathesis reads a schemathesis.toml and writes caches where it runs
    code = supervisor.run(step, argv, cwd=run_dir, env=child_env(NO_COLOR="1"), log=log)
    if not report.is_file():
        return Step(step, FAILED, f"schemathesis exited with code {code} and wrote no report", log=str(log), excerpts=(end_of(log),))
    outcome = read_schemathesis_report(report)
    detail = f"{_count(outcome.tested, 'operation')} tested, {_count(outcome.server_errors, 'server error')}"
    if outcome.other_failures:
        detail += f", {_count(outcome.other_failures, 'other failure')}"
    if outcome.errors:
        detail += f", {_count(outcome.errors, 'error')}"
    if outcome.operations:
        detail += ": " + ", ".join(outcome.operations[:5]) + (" ..." if len(outcome.operations) > 5 else "")
    ok = code == 0 and not outcome.server_errors and not outcome.other_failures and not outcome.errors
    return Step(step, PASSED if ok else FAILED, detail, log=str(log), excerpts=() if ok else _fuzz_excerpts(log, service_log, outcome),
                counts={"operations": outcome.tested, "server_errors": outcome.server_errors, "other_failures": outcome.other_failures,
                        "errors": outcome.errors},
                failures=outcome.operations)


def _fuzz_excerpts(log: Path, service_log: Path, outcome: FuzzOutcome) -> tuple[Excerpt, ...]:
    # schemathesis' own account (with a curl command per failure), then the service's side of it
    found = Excerpt(str(log), "the failures in", _failures_section(log))
    if not outcome.server_errors:
        return (found if found.text else end_of(log),)
    return found, Excerpt(str(service_log), "the last traceback in", last_traceback(service_log) or tail(service_log))


def _failures_section(log: Path, lines: int = 60) -> str:
    try:
        text = log.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    start = next((i for i, line in enumerate(text) if line.strip("= ") == "FAILURES"), None)
    if start is None:
        return ""
    end = next((i for i in range(start + 1, len(text)) if text[i].startswith("=====")), len(text))
    return "\n".join(text[start + 1: end][:lines]).strip("\n")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
