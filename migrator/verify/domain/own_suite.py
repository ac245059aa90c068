"""The monolith's own test suite, as it runs (``OwnSuite``: found by ``adapters.own_suite`` in the
monolith's folder), and what its two runs tell once compared: each test passed on the monolith (in
process, on its own test settings), passed on the split system (its clients sent through the
gateway), and for each test that passed on the first and fails on the second, its first failing
assertion; a test that failed there because it read state only its own process has (a template
context, the mail outbox, a patch it started) is named as not covered over HTTP, with what it read."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from migrator.model.deployment import Topology
from migrator.model.service_plan import ServicePlan
from migrator.verify.domain.report import FAILED, PASSED, SKIPPED, Excerpt, Step

OWN_SUITE_STEP = "monolith's own test suite"
PYTEST, PYTEST_DJANGO, UNITTEST, DJANGO = "pytest", "pytest-django", "unittest", "django"


@dataclass(frozen=True)
class OwnSuite:
    """How the monolith's tests run: ``argv`` after the Python, from ``cwd`` (the monolith's folder)."""

    kind: str
    argv: tuple[str, ...]
    settings: str = ""
    """Django's test settings module (Django's runner, pytest-django)."""
    tools: tuple[str, ...] = ()
    """What the suite needs installed beside the application's requirements (pytest-django, factory-boy...)."""
    where: str = ""
    """What it was found by, for the report."""

    def split_argv(self, settings_module: str) -> tuple[str, ...]:
        """The same run on the services' own Django settings module (``settings_module``)."""
        if self.kind == DJANGO:
            return (*[a for a in self.argv if not a.startswith("--settings")], f"--settings={settings_module}")
        if self.kind == PYTEST_DJANGO:
            return (*self.argv, f"--ds={settings_module}")
        return self.argv


@dataclass(frozen=True)
class Outcome:
    test: str
    outcome: str
    """passed, failed, error or skipped."""
    failure: str = ""
    in_process: tuple[str, ...] = ()
    gaps: tuple[str, ...] = ()
    """What the services did, answering its requests with a database per service, to tables their
    databases do not hold (a read model missing): on a test that fails there, a gap of the split."""


def read_outcomes(text: str) -> dict[str, Outcome]:
    """The lines the shim wrote (one JSON object each); a test recorded twice (a subtest failed,
    then the test ended) keeps its first failure."""
    outcomes: dict[str, Outcome] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        outcome = Outcome(str(item["id"]), str(item["outcome"]), str(item.get("failure") or ""), tuple(item.get("in_process") or ()),
                          tuple(item.get("gaps") or ()))
        previous = outcomes.get(outcome.test)
        if previous is None or previous.outcome == PASSED:
            outcomes[outcome.test] = outcome
    return outcomes


@dataclass(frozen=True)
class Comparison:
    tests: int
    passed_on_monolith: int
    passed_on_split: int
    regressions: tuple[Outcome, ...] = ()
    """Passed on the monolith, failed on the split: the run fails."""
    not_covered: tuple[Outcome, ...] = ()
    """Passed on the monolith, failed on the split after reading state only its process has."""
    not_run: tuple[str, ...] = ()
    """Passed on the monolith, never ran on the split."""
    skipped: tuple[str, ...] = field(default=())


def compare(monolith: dict[str, Outcome], split: dict[str, Outcome]) -> Comparison:
    regressions, not_covered, not_run = [], [], []
    for test, outcome in sorted(monolith.items()):
        if outcome.outcome != PASSED:
            continue
        other = split.get(test)
        if other is None:
            not_run.append(test)
        elif other.outcome != PASSED:
            (not_covered if other.in_process else regressions).append(other)
    return Comparison(
        tests=len(monolith), passed_on_monolith=sum(o.outcome == PASSED for o in monolith.values()),
        passed_on_split=sum(o.outcome == PASSED for o in split.values()), regressions=tuple(regressions),
        not_covered=tuple(not_covered), not_run=tuple(not_run),
        skipped=tuple(sorted(t for t, o in monolith.items() if o.outcome == SKIPPED)),
    )


def comparison_step(suite: OwnSuite, comparison: Comparison, *, log: str) -> Step:
    """The step of the report: failed when a test passed on the monolith and not on the split, when
    no test ran at all, or when none passes on the monolith itself."""
    counts = {"tests": comparison.tests, "passed on the monolith": comparison.passed_on_monolith,
              "passed on the split": comparison.passed_on_split, "differences": len(comparison.regressions) + len(comparison.not_run),
              "not covered over HTTP": len(comparison.not_covered), "skipped": len(comparison.skipped)}
    head = (f"{suite.kind} ({suite.where}): {comparison.tests} tests; {comparison.passed_on_monolith} passed on the monolith, "
            f"{comparison.passed_on_split} through the gateway")
    excerpts = [Excerpt("on the split", "first failing assertion of " + o.test, o.failure + "".join(f"\ngap of the split: {g}" for g in o.gaps))
                for o in comparison.regressions]
    uncovered = "; ".join(f"{o.test} ({', '.join(o.in_process)}" + "".join(f"; gap of the split: {g}" for g in o.gaps) + ")"
                          for o in comparison.not_covered)
    aside = (f"; not covered over HTTP: {uncovered}" if uncovered else "") + (
        f"; skipped on the monolith: {', '.join(comparison.skipped)}" if comparison.skipped else "")
    if comparison.tests == 0:
        return Step(OWN_SUITE_STEP, FAILED, f"{suite.kind} ({suite.where}): no test ran on the monolith", log=log, counts=counts)
    if comparison.passed_on_monolith == 0:  # it proves nothing of the split: the suite does not run here as it is
        return Step(OWN_SUITE_STEP, FAILED, f"{head}: no test passes on the monolith itself, so the suite proves nothing of the split "
                    "(its log says why: a database or a setting it expects)", log=log, counts=counts)
    failures = (*(f"{o.test}: {o.failure.splitlines()[-1] if o.failure else o.outcome}" + (f" (gap of the split: {'; '.join(o.gaps)})" if o.gaps else "")
                  for o in comparison.regressions),
                *(f"{test}: did not run on the split" for test in comparison.not_run))
    if failures:
        gaps = sum(bool(o.gaps) for o in comparison.regressions)
        named = f" ({gaps} after a gap of the split: a service read or wrote a table its database does not hold)" if gaps else ""
        return Step(OWN_SUITE_STEP, FAILED, f"{head}; {len(failures)} passed on the monolith only{named}{aside}", log=log,
                    excerpts=tuple(excerpts), counts=counts, failures=failures)
    return Step(OWN_SUITE_STEP, PASSED, head + aside, log=log, counts=counts)


def skipped_step(reason: str) -> Step:
    return Step(OWN_SUITE_STEP, SKIPPED, reason)


@dataclass(frozen=True)
class Placement:
    """Where the suite's ORM reads and writes in a run with a database per service (service key ->
    URL in ``databases``): a row of a table goes to the database of the service that owns it
    (``owners``: table -> service), whose row changes reach the read models of the others
    (``read_models``: service -> the tables of others it keeps) through the system's own events,
    as the services' own writes do. A table the plan gives no owner is in every database (each
    service has its own); ``home`` is the suite's own database (see ``placement``)."""

    home: str
    databases: dict[str, str]
    owners: dict[str, str] = field(default_factory=dict)
    read_models: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def database_url(self) -> str:
        return self.databases[self.home]

    @property
    def owner_keys(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.owners.values())))

    @property
    def readers(self) -> tuple[str, ...]:
        """The services keeping a read model of a table another owns."""
        return tuple(sorted(key for key, tables in self.read_models.items() if tables))

    def to_dict(self) -> dict[str, object]:
        return {"home": self.home, "databases": dict(sorted(self.databases.items())), "owners": dict(sorted(self.owners.items())),
                "read_models": {key: list(tables) for key, tables in sorted(self.read_models.items())}}


def placement(plan: ServicePlan, databases: Mapping[str, str], *, runs_as: str) -> Placement | str:
    """The suite's ``Placement`` among the run's ``databases`` (by service key), or why its data has
    no place: a service owning tables is not part of the run. Its home is the database of the
    service owning most tables (then holding most; then ``runs_as``, the service whose runtime the
    suite runs with): where the suite's own schema tooling acts (``create_all``, ``drop_all``),
    where the tables nobody owns and the statements naming no table go, so that a suite whose
    tables one service owns runs there as on one database."""
    topology = Topology(plan)
    owners = {table: topology.key_of(s.name) for s in plan.services for table in s.tables}
    missing = sorted(set(owners.values()) - set(databases))
    if missing:
        return f"the services owning its tables ({', '.join(missing)}) are not part of the run"
    if runs_as not in databases:
        return f"the service it runs as ({runs_as}) is not part of the run"
    read_models = {topology.key_of(s.name): tuple(sorted(t for t in s.replicas if owners.get(t, topology.key_of(s.name)) != topology.key_of(s.name)))
                   for s in plan.services if s.replicas and topology.key_of(s.name) in databases}
    read_models = {k: v for k, v in sorted(read_models.items()) if v}
    owned = {key: sum(owner == key for owner in owners.values()) for key in databases}
    home = min(databases, key=lambda key: (-owned[key], -owned[key] - len(read_models.get(key, ())), key != runs_as, key))
    return Placement(home, dict(databases), dict(sorted(owners.items())), read_models)
