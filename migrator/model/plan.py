"""The migration plan as data: what each service takes, what crosses the boundaries and how
it will cross, what happens to the data, and the order of extraction."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from migrator.model.service_plan import HeldRoute

REST = "rest"
EVENT = "event"
IN_PROCESS = "in_process"
"""A dependency across the boundaries that no request or message carries: the code runs in the
caller's process (a class built there, a copy of code without data, the shared library)."""
CLIENT = "client"
"""What the generated code has for a crossing: an internal endpoint of the callee's service and
its typed client in the caller's."""
CHANNEL = "channel"
"""What the generated code has for a crossing: the event's channel on the bus."""
SAGA = "saga_or_outbox"
SHARED_LIBRARY = "shared_library"
READ_MODEL = "api_or_read_model"
FK_IN_CODE = "foreign_key_in_code"
WRITE_OWNERSHIP = "switch_write_ownership"
"""A write of another service's table: the writer keeps a read model of it, and the generated
runtime forwards each write to the owner, which applies it (``events.EventRuntime.forward_writes``)."""
JOB_MOVES = "job_moves_with_owner"

DATABASE_STEPS = (
    "schema per service, with its own credentials",
    "cross-service reads through a view, then an API or a local read model fed by events",
    "foreign keys across services dropped from the database and checked in code",
    "writes of another service's table forwarded to its owner (the generated runtime sends each one before the writer commits; "
    "the owner applies it and feeds every read model, the writer's too)",
    "physical split into one database per service",
)


@dataclass(frozen=True)
class Crossing:
    """A runtime dependency from one service to another, how it will cross, and what the generated
    code has for it."""

    treatment: str
    """``rest`` (the result is used or awaited), ``event`` (fire-and-forget, signals, events,
    tasks) or ``in_process`` (nothing crosses: see ``reason``)."""
    via: str
    """call, event, signal or task."""
    source: str
    target: str
    source_service: str
    """The part whose process makes the call or sends the event: a service, or ``infrastructure``
    or ``shared`` for code every service carries (each service but the target's makes it)."""
    target_service: str
    evidence: tuple[str, ...] = ()
    detail: str = ""
    generated: str = ""
    """``client``, ``channel``, or empty when the generated code has neither for it."""
    reason: str = ""
    """Why the generated code does not carry it as ``treatment`` says (empty when it does)."""
    event: str = ""
    """The name of the event or task it goes through (its channel's name)."""


@dataclass(frozen=True)
class DataIssue:
    """A table reached from outside its owner: a read, a write or a foreign key."""

    treatment: str
    table: str
    owner: str
    services: tuple[str, ...]
    """The other services involved."""
    links: tuple[tuple[str, str], ...]
    """(code or model that reaches the table, model or table it reaches)."""
    steps: tuple[str, ...]
    evidence: tuple[str, ...] = ()
    detail: str = ""


@dataclass(frozen=True)
class Transaction:
    """A unit of work that writes tables of several services in one database transaction."""

    root: str
    services: tuple[str, ...]
    tables: tuple[str, ...]
    path: tuple[str, ...]
    """How the writes are reached from the root (calls and in-process events)."""
    treatment: str = SAGA
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServiceScope:
    name: str
    units: tuple[str, ...]
    models: tuple[str, ...]
    tables: tuple[str, ...]
    routes: tuple[str, ...]
    publishes: tuple[str, ...]
    subscribes: tuple[str, ...]
    tasks: tuple[str, ...]
    depends_on: dict[str, int] = field(default_factory=dict)
    used_by: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Wave:
    number: int
    services: tuple[str, ...]
    risk: int
    """1 (low) to 5 (high)."""
    effort: int
    """1 (small) to 5 (large)."""
    reasons: tuple[str, ...]
    routes: tuple[str, ...]
    """Gateway routes that move from the monolith to the new service at this wave."""


@dataclass(frozen=True)
class Violation:
    """An import that breaks the proposed boundaries today."""

    importer: str
    imported: str
    contract: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Coupling:
    """One named coupling of the monolith and the treatment the plan gives it."""

    kind: str
    source: str
    target: str
    treatment: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class BoundaryContract:
    """A part of the system (a service, or the shared library ``shared``) and the modules its own
    modules must not import: one forbidden-import contract."""

    part: str
    sources: tuple[str, ...]
    """The fewest module names that cover exactly the part's modules."""
    forbidden: tuple[str, ...]


@dataclass(frozen=True)
class BoundaryCheck:
    """Today's imports held against the contracts of a decomposition (``migrator check``)."""

    contracts: tuple[BoundaryContract, ...]
    violations: tuple[Violation, ...]
    """The imports that break a contract, except those a baseline knows."""
    unchecked: tuple[str, ...] = ()
    """Package inits no contract names: their submodules belong to several parts."""
    known: tuple[Violation, ...] = ()
    """Imports that break a contract but are in the baseline: tolerated while the migration is
    under way (the plan lists them), so that only new ones fail the check."""

    @property
    def broken(self) -> tuple[str, ...]:
        """The parts whose contract an import breaks, in the contracts' order."""
        parts = {v.contract for v in self.violations}
        return tuple(c.part for c in self.contracts if c.part in parts)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": not self.violations, "broken": list(self.broken), **asdict(self)}


HOT_PER_REQUEST = 2.0
"""Calls per request from which a synchronous call across services is hot (``RuntimeCall.hot``)."""


@dataclass(frozen=True)
class RuntimeCall:
    """A synchronous call across services seen at run time (a merged trace), with its volume."""

    source: str
    target: str
    source_service: str
    target_service: str
    calls: int
    """Over the traced run."""
    per_request: float
    """The most calls per request of one route (0: never made while serving a request)."""
    route: str = ""
    """That route."""
    hot: bool = False
    """Made several times per request: each becomes a network round trip once split."""


@dataclass(frozen=True)
class ObservedTransaction:
    """A transaction the project's code began at run time, with the services owning what it wrote."""

    function: str
    service: str
    tables: tuple[str, ...]
    services: tuple[str, ...]
    count: int


@dataclass(frozen=True)
class RuntimeEvidence:
    """What a merged trace tells the plan: real volumes and the transactions seen."""

    calls: tuple[RuntimeCall, ...] = ()
    transactions: tuple[ObservedTransaction, ...] = ()
    unseen_crossings: int = 0
    """Synchronous calls across services static analysis found that never ran in the trace."""


@dataclass(frozen=True)
class MigrationPlan:
    services: tuple[ServiceScope, ...]
    shared: tuple[str, ...]
    infrastructure: tuple[str, ...]
    crossings: tuple[Crossing, ...]
    data: tuple[DataIssue, ...]
    transactions: tuple[Transaction, ...]
    waves: tuple[Wave, ...]
    violations: tuple[Violation, ...]
    couplings: tuple[Coupling, ...]
    contracts: tuple[BoundaryContract, ...] = ()
    """The boundaries, in the order of the parts' names."""
    importlinter: str = ""
    """``contracts`` as an ``.importlinter`` file; the pipeline renders it (``generators.boundaries``)."""
    tach: str = ""
    """``contracts`` as a ``tach.toml``; the pipeline renders it too."""
    database_steps: tuple[str, ...] = DATABASE_STEPS
    held_routes: tuple[HeldRoute, ...] = ()
    """Routes of services that stay with the monolith at the gateway, and why."""
    runtime: RuntimeEvidence | None = None
    """With a merged trace: volumes of the calls across services, observed transactions."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
