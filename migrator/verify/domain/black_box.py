"""A black-box suite (``migrator verify --suite CMD``): any command that tests an application over
HTTP at ``{base_url}``, run against the monolith and then through the gateway; its counts compared,
and its requests compared answer by answer (``differences``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from migrator.verify.domain.differences import Comparison, Difference
from migrator.verify.domain.exchanges import Exchange
from migrator.verify.domain.report import FAILED, PASSED, SKIPPED, Excerpt, Step
from migrator.words import plural

BASE_URL = "{base_url}"
"""In the command: the URL of what it tests (a recording proxy in front of the monolith or the gateway)."""
JUNIT = "{junit}"
"""In the command: a path the tool writes its JUnit XML report to."""
BLACK_BOX_STEP = "black-box suite"
DIFF_STEP = "answers as the monolith's"
SHOWN = 10


@dataclass(frozen=True)
class BlackBoxSuite:
    """What ``--suite`` asks for."""

    command: str
    cwd: Path
    """Where it runs: where migrator was called."""
    report: Path | None = None
    """A report the tool writes at a path of its own (``--suite-report``), read after each run."""
    diff: bool = True
    """Also run it against a second monolith, and compare every answer (``--no-diff``: counts only)."""


@dataclass(frozen=True)
class Tally:
    tests: int
    passed: int
    failed: int
    skipped: int = 0
    failing: tuple[str, ...] = ()
    """Ids of the tests that failed or errored."""


@dataclass(frozen=True)
class SuiteRun:
    """One run of the suite against one target."""

    target: str
    exit_code: int
    log: str
    tally: Tally | None
    """None when the tool wrote no report to count (neither ``{junit}`` nor ``--suite-report``)."""
    problem: str = ""
    """Why a report that was asked for could not be read."""
    exchanges: tuple[Exchange, ...] = field(default=(), repr=False)

    def outcome(self) -> str:
        if self.tally is None:
            return f"exit {self.exit_code}, {plural(len(self.exchanges), 'request')}"
        skipped = f", {self.tally.skipped} skipped" if self.tally.skipped else ""
        return f"{self.tally.passed}/{self.tally.tests} passed{skipped} (exit {self.exit_code}, {plural(len(self.exchanges), 'request')})"


def suite_step(monolith: SuiteRun, split: SuiteRun) -> Step:
    """The suite's counts on the monolith and through the gateway: failed unless it ran tests and
    every test that passed on the monolith passed on the split system too."""
    detail = f"monolith: {monolith.outcome()}; split: {split.outcome()}"
    problem = _problem(monolith) or _problem(split)
    counts = {f"{side}_{name}": value for side, run in (("monolith", monolith), ("split", split)) if run.tally
              for name, value in (("tests", run.tally.tests), ("passed", run.tally.passed), ("failed", run.tally.failed))}
    if problem:
        return Step(BLACK_BOX_STEP, FAILED, f"{problem}; {detail}", log=split.log, counts=counts)
    if monolith.tally is None or split.tally is None:
        ok = monolith.exit_code == 0 and split.exit_code == 0
        return Step(BLACK_BOX_STEP, PASSED if ok else FAILED, f"{detail}; not counted: no report ({JUNIT} or --suite-report)",
                    log=split.log if ok else None)
    newly = tuple(test for test in split.tally.failing if test not in monolith.tally.failing)
    ok = split.tally.passed >= monolith.tally.passed and not newly
    return Step(BLACK_BOX_STEP, PASSED if ok else FAILED, detail, log=split.log, counts=counts, failures=newly)


def _problem(run: SuiteRun) -> str:
    if run.problem:
        return f"{run.target}: {run.problem}"
    if run.tally is not None and run.tally.tests == 0:
        return f"no test ran against the {run.target} (exit {run.exit_code}, log {run.log})"
    if run.tally is None and not run.exchanges:
        return f"the suite sent no request to the {run.target} (exit {run.exit_code}, log {run.log})"
    return ""


def diff_step(comparison: Comparison) -> Step:
    """Failed when an answer differs in a place where the two monoliths agree."""
    found = comparison.differences
    noise = f"{plural(comparison.noise, 'difference')} explained as noise (the two monoliths differ there too)"
    aside = f"; {plural(comparison.unpaired, 'request')} only one monolith got, not compared" if comparison.unpaired else ""
    counts = {"compared": comparison.compared, "differences": len(found), "noise": comparison.noise, "unpaired": comparison.unpaired}
    if not comparison.compared and not found:
        return Step(DIFF_STEP, FAILED, "no request of the suite reached all three of the two monoliths and the split system", counts=counts)
    if not found:
        return Step(DIFF_STEP, PASSED, f"{plural(comparison.compared, 'request')}: 0 unexplained differences, {noise}{aside}", counts=counts)
    excerpts = tuple(Excerpt(DIFF_STEP, "a difference:", describe(difference)) for difference in found[:SHOWN])
    return Step(DIFF_STEP, FAILED, f"{plural(len(found), 'request')} of {comparison.compared} answered otherwise than by the monolith; {noise}{aside}",
                counts=counts, excerpts=excerpts, failures=tuple(summary(difference) for difference in found))


def summary(difference: Difference) -> str:
    """One line: the request and what differs in its answer."""
    what = difference.reason or "; ".join(f"{f.field} {f.monolith} -> {f.split}" for f in difference.fields[:3])
    return f"{difference.request.request_line()}: {what}"[:300]


def describe(difference: Difference) -> str:
    """The request, every differing place, and both answers."""
    request = difference.request
    lines = [request.request_line() + (f" ({request.request_type}) {_cut(request.request_body)}" if request.request_body else "")]
    lines += [f"  {difference.reason}"] if difference.reason else []
    lines += [f"  {f.field}: monolith {f.monolith} | split {f.split}" for f in difference.fields[:SHOWN]]
    for side, answer in (("monolith", difference.monolith), ("split", difference.split)):
        if answer is not None:
            lines.append(f"  {side} answered {answer.status} {answer.content_type}: {_cut(answer.body)}")
    return "\n".join(lines)


def _cut(text: str, length: int = 400) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length] + " ..."


def skipped_steps(suite: BlackBoxSuite | None, reason: str) -> list[Step]:
    """The suite's steps when it cannot run (none when no suite was asked for)."""
    if suite is None:
        return []
    steps = [Step(BLACK_BOX_STEP, SKIPPED, reason)]
    return steps + [Step(DIFF_STEP, SKIPPED, reason)] if suite.diff else steps
