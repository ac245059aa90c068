"""The interfaces the use case drives: each the edge of one kind of I/O. The adapters in
``migrator.verify.adapters`` implement them with the real things; unit tests with fakes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from migrator.model.progress import Progress
from migrator.model.service_plan import ServicePlan
from migrator.verify.domain.black_box import BlackBoxSuite, SuiteRun
from migrator.verify.domain.own_suite import OwnSuite, Placement
from migrator.verify.domain.report import Broker, Step
from migrator.verify.domain.routes import ProbeResult, RouteProbe
from migrator.verify.domain.system import MonolithSuite, SystemDescription


class Process(Protocol):
    """A started process."""

    @property
    def log(self) -> Path: ...

    def exit_code(self) -> int | None:
        """None while it runs."""


class Processes(Protocol):
    """Starts processes and stops every one it started."""

    def start(self, name: str, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], log: Path) -> Process:
        """Start ``argv`` with ``env`` set on top of our own variables, its output going to ``log``."""

    def run(self, name: str, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], log: Path) -> int:
        """Run ``argv`` to its end (as ``start``); its exit code."""

    def stop_all(self) -> None:
        """Stop every process still running, the last started first."""

    def interruptible(self) -> AbstractContextManager[None]:
        """While inside, a request to stop us (SIGTERM, or SIGINT even where we were started with it
        ignored) interrupts as Ctrl-C does."""


@dataclass(frozen=True)
class Interpreter:
    """The Python the system and the monolith's suite run on: an environment of their own."""

    python: Path
    detail: str
    """What the report says of it: the Python, how many requirements, built or reused, where."""
    notes: tuple[str, ...] = ()
    """What of the requirements it left out, and why."""


class Environments(Protocol):
    def ensure(self, requirements: Sequence[Path], *, tools: Sequence[str], constraints: Path | None = None) -> Interpreter:
        """An environment with every requirement of the ``requirements`` files and the ``tools``
        they do not name already, at the versions ``constraints`` (the system's lock) pins; built
        once, then reused while they are unchanged. A MigratorError naming the requirements when
        they cannot be installed."""


class Brokers(Protocol):
    def ensure(self, bus: str, url: str | None, folder: Path) -> Broker:
        """The broker at ``url`` (it must answer), else the local default, else one started here."""

    def stop_all(self) -> None:
        """Stop the brokers ``ensure`` started."""


class Databases(Protocol):
    def create(self, services: Sequence[str], *, run_id: str, folder: Path, deferred: bool = False) -> dict[str, str]:
        """A fresh, empty database per service; their URLs by service. ``deferred``: only named
        (and dropped with the rest), for ``PreparedDatabases.restore`` to make as a copy, else ``ensure``."""

    def ensure(self, urls: Iterable[str]) -> None:
        """Each database of ``urls`` that ``create`` deferred, made empty now."""

    def drop(self) -> list[str]:
        """Drop what ``create`` made; the problems, one line each (cleanup never raises)."""


class PreparedDatabases(Protocol):
    """Databases the schema step made in an earlier run, kept while nothing that made them changed."""

    def restore(self, url: str, *, sources: Sequence[Path], identity: str) -> bool:
        """The database at ``url`` (empty, or deferred by ``Databases.create``) made as the one kept
        for ``sources`` (the service's files) and ``identity`` (its interpreter and variables);
        False, and ``url`` left as it was, when none is kept."""

    def keep(self, url: str, *, sources: Sequence[Path], identity: str) -> None:
        """Keep the database at ``url``, which the schema step has just made, for the next runs."""


class Gateway(Protocol):
    def start(self, plan: ServicePlan, *, addresses: Mapping[str, str], listen: int, folder: Path, log: Path) -> Process:
        """The gateway of ``plan`` on ``listen``, each service's key (and ``monolith``) sent to its ``host:port``."""


@dataclass(frozen=True)
class Target:
    """A process to wait for: ready when ``url`` answers 200."""

    name: str
    url: str
    process: Process


class Checks(Protocol):
    def wait_ready(self, targets: Sequence[Target], *, timeout: float, progress: Progress | None = None) -> list[Step]:
        """A step per target: ready, exited, or not ready within ``timeout`` seconds."""

    def run_suite(self, suite: MonolithSuite | None, *, source: Path | None, base_url: str, run_dir: Path, python: Path) -> Step:
        """The monolith's own HTTP tests (its code under ``source``) against ``base_url``, run by ``python``."""

    def run_own_suite(self, suite: OwnSuite, *, system: SystemDescription, database_url: str, gateway_url: str, run_dir: Path,
                      python: Path, placement: Placement | None = None, monolith_database_url: str | None = None) -> Step:
        """The monolith's own ``suite`` run by ``python`` in process (on ``monolith_database_url``,
        else on a SQLite file of its own), then with its clients sent to ``gateway_url`` and its
        ORM on ``database_url`` (the services', or with a database per service the owner's of
        ``placement``, whose row changes the suite's writes make too); compared test by test.
        Each run gets its database's URL and, where the application builds it from parts
        (``Hosting.database_components``), those parts."""

    def run_schemathesis(
        self, name: str, *, document: str, url: str, examples: int, headers: Sequence[str], run_dir: Path, service_log: Path,
        monolith_url: str | None = None,
    ) -> Step:
        """Fuzz one service at ``url`` through its OpenAPI ``document``; what fails alike on the
        monolith at ``monolith_url`` is the application's own behaviour, not a failure."""

    def probe_routes(self, probes: Sequence[RouteProbe], *, gateway_url: str, monolith_url: str | None) -> list[ProbeResult]:
        """Each probe through the gateway (and a GET without parameters on the monolith too)."""
        ...


class SuiteRunner(Protocol):
    def run(self, name: str, suite: BlackBoxSuite, *, target: str, target_url: str, run_dir: Path) -> SuiteRun:
        """Run a black-box ``suite`` once against ``target_url`` through a proxy that records every
        exchange, to its end; ``target`` names what it tests in the report."""


class Workspace(Protocol):
    """The run's own folder: logs, reports, configuration, SQLite files."""

    def create(self, run_id: str) -> Path: ...

    def remove(self, folder: Path) -> None: ...


class Loopback(Protocol):
    def free_ports(self, count: int) -> list[int]:
        """``count`` distinct loopback ports that are free now."""


@dataclass(frozen=True)
class Adapters:
    """Everything a run touches. ``processes`` runs the system, the checks and the gateway;
    ``brokers`` keeps its own, so that the system stops before the broker it may still talk to."""

    environments: Environments
    processes: Processes
    brokers: Brokers
    databases: Databases
    gateway: Gateway
    checks: Checks
    workspace: Workspace
    loopback: Loopback
    suite_runner: SuiteRunner | None = None
    """Runs ``--suite``; None where no run asks for one."""
    prepared: PreparedDatabases | None = None
    """Databases reused between runs (the schema step skipped); None: the step makes each."""
    site: tuple[Path, ...] = ()
    """Folders first on the path of every process of the system: verify's ``sitecustomize``, which
    keeps the mail a service sends in the run's folder (``MAIL_FOLDER``) instead of sending it."""
