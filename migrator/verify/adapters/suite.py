"""The monolith's own HTTP test suite run with pytest against the gateway, and its JUnit report counted."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

from migrator.verify.adapters.logs import end_of
from migrator.verify.adapters.processes import Supervisor
from migrator.verify.domain.report import FAILED, PASSED, SKIPPED, SUITE_STEP, Step
from migrator.verify.domain.system import MonolithSuite

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


def import_root(source: Path | None) -> Path | None:
    """Where the monolith's own imports resolve: the parent of a package source, else the source."""
    if source is None:
        return None
    return source.parent if (source / "__init__.py").is_file() else source


def run_suite(
    suite: MonolithSuite | None, *, source: Path | None, base_url: str, run_dir: Path, supervisor: Supervisor, python: Path
) -> Step:
    """The monolith's own HTTP tests, pointed at ``base_url`` by the variable they honour, run by
    ``python`` (the system's environment, which has pytest)."""
    if suite is None:
        return Step(SUITE_STEP, SKIPPED, "the monolith ships no HTTP test suite that honours a base-URL variable")
    root = import_root(source) or suite.path.parent
    report, log = run_dir / "tests.xml", run_dir / "tests.log"
    paths = [str(root), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {suite.base_url_variable: base_url, "PYTHONPATH": os.pathsep.join(paths)}
    argv = [str(python), "-m", "pytest", str(suite.path), "-q", "-p", "no:cacheprovider", f"--junitxml={report}"]
    code = supervisor.run(SUITE_STEP, argv, cwd=root, env=env, log=log)
    if not report.is_file():
        return Step(SUITE_STEP, FAILED, f"pytest exited with code {code} and wrote no report", log=str(log), excerpts=(end_of(log),))
    return _suite_step(count_junit(report), code, log)


def _suite_step(counts: SuiteCounts, code: int, log: Path) -> Step:
    detail = f"{counts.passed}/{counts.tests} passed" + "".join(
        f", {n} {word}" for n, word in ((counts.failed, "failed"), (counts.errors, "errors"), (counts.skipped, "skipped")) if n
    )
    ok = code == 0 and counts.tests > 0 and not counts.failed and not counts.errors
    if counts.tests == 0:
        detail = f"no test ran (pytest exit code {code})"
    return Step(SUITE_STEP, PASSED if ok else FAILED, detail, log=str(log), excerpts=() if ok else (end_of(log),),
                counts={"tests": counts.tests, "passed": counts.passed, "failed": counts.failed, "errors": counts.errors, "skipped": counts.skipped},
                failures=counts.failing)
